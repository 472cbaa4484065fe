import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startAttestServices, type AttestServices } from '../support/attest-fixture.js';
import { certificateIdentityClaim, verifyBundle, type MockSigstore } from '../support/sigstore.js';
import { oidcIssuer } from '../support/github-oidc.js';
import { buildImage, pushLayout, removeImages } from '../support/images.js';
import { dockerConfigFor, writeRecords } from '../support/merge-fixture.js';
import { startRegistry, type TestRegistry, type TestUser } from '../support/registry.js';
import { fakeGithub, runActionAsRunner, visibleLog, type ActionRun } from '../support/runner.js';
import { inspectRaw, readArtifactLayers } from '../support/skopeo.js';
import type { OciLayout } from '../support/layout.js';

/**
 * The merge with `attest: true` as a runner runs dist/merge.js, the real @actions/attest inside it, unmodified: it
 * signs through @sigstore/mock's Fulcio and Rekor (or timestamp authority) reached as their public hosts, takes the
 * job's OIDC token from a fake runner endpoint and stores through a fake attestations API. Each registry is then read
 * with skopeo, and each bundle verified with @sigstore/verify against the mock instance's trusted root.
 */
const mergeAction = resolve('merge');
const bundleType = 'application/vnd.dev.sigstore.bundle.v0.3+json';
let services: AttestServices;
let token: TestRegistry;
let open: TestRegistry;
let amd64: OciLayout;
let arm64: OciLayout;
let recordsPath: string;
let dockerConfig: string;
const images = () => [`${token.host}/attest/app`, `${open.host}/attest/app`];
const userFor = (image: string): TestUser | undefined => (image.startsWith(token.host) ? token.reader : undefined);

beforeAll(async () => {
  [services, token, open] = await Promise.all([
    startAttestServices(),
    startRegistry({ auth: 'token' }),
    startRegistry({ auth: 'none' }),
  ]);
  [amd64, arm64] = await Promise.all([buildImage('linux/amd64'), buildImage('linux/arm64')]);
  for (const registry of [token, open]) {
    for (const layout of [amd64, arm64]) await pushLayout(layout, { registry, repository: 'attest/app' });
  }
  recordsPath = await writeRecords([
    { layout: amd64, platform: { os: 'linux', architecture: 'amd64' }, images: images() },
    { layout: arm64, platform: { os: 'linux', architecture: 'arm64' }, images: images() },
  ]);
  dockerConfig = await dockerConfigFor([{ registry: token }]);
}, 120_000);

afterAll(async () => {
  await Promise.all([services.stop(), token.stop(), open.stop()]);
  await removeImages();
});

function merge(tags: string, env: Record<string, string>, inputs: Record<string, string> = {}): Promise<ActionRun> {
  return runActionAsRunner(
    mergeAction,
    { images: images().join('\n'), tags, 'records-path': recordsPath, attest: 'true', ...inputs },
    { env: { DOCKER_CONFIG: dockerConfig, ...env } },
  );
}

/** Requests and writes the registries have seen so far. */
async function registryTraffic(): Promise<{ requests: number; writes: number }> {
  await Promise.all([token.settle(), open.settle()]);
  return {
    requests: token.requests().length + open.requests().length,
    writes: token.writes().length + open.writes().length,
  };
}

/** The bundles attached to `subject` in `image`, found as a verifier finds them: through the fallback tag. */
async function attachedBundles(image: string, subject: string): Promise<unknown[]> {
  const user = userFor(image);
  const { json: listing } = await inspectRaw(`${image}:sha256-${subject.slice('sha256:'.length)}`, { user });
  expect(listing.mediaType).toBe('application/vnd.oci.image.index.v1+json');
  const attestations = listing.manifests.filter(
    (entry: { artifactType?: string }) => entry.artifactType === bundleType,
  );
  return Promise.all(
    attestations.map(async ({ digest }: { digest: string }) => {
      const { json: manifest } = await inspectRaw(`${image}@${digest}`, { user });
      expect(manifest.subject.digest).toBe(subject);
      const [layer] = await readArtifactLayers(`${image}@${digest}`, { user });
      return JSON.parse((layer as Buffer).toString('utf8')) as unknown;
    }),
  );
}

function verified(bundle: unknown, sigstore: MockSigstore) {
  return verifyBundle(bundle, sigstore, {
    subjectAlternativeName: services.oidc.claims[certificateIdentityClaim] ?? '',
    issuer: oidcIssuer,
  });
}

describe('the merge with attest: true', () => {
  let run: ActionRun;
  let storedBefore: number;
  let runnerTemp: string;

  beforeAll(async () => {
    storedBefore = services.api.stored().length;
    // The job's temporary directory outlives the step, as on a runner, so the subjects file can be read after it.
    runnerTemp = await mkdtemp(join(tmpdir(), 'runner-temp-'));
    run = await merge('v1', { ...services.jobEnv('public'), ACTIONS_STEP_DEBUG: 'true', RUNNER_TEMP: runnerTemp });
  }, 120_000);

  afterAll(() => rm(runnerTemp, { recursive: true, force: true }));

  test('publishes, signs one attestation of the index and both images, and stores it through the API once', async () => {
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    const stored = services.api.stored().slice(storedBefore);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.repository).toBe(fakeGithub.repository);
    expect(run.outputs['attestation-id']).toBe(String(stored[0]?.id));
    const { statement } = verified(stored[0]?.bundle, services.publicGood);
    expect(statement.predicateType).toBe('https://slsa.dev/provenance/v1');
    const digests = [run.outputs.digest, amd64.descriptor.digest, arm64.descriptor.digest];
    expect(statement.subject.map((subject) => `sha256:${subject.digest.sha256}`)).toEqual(digests);
    expect(services.hosts.refused()).toEqual([]);
    expect(
      services.hosts
        .calls()
        .filter((call) => call.method === 'POST')
        .map((call) => call.host),
    ).toEqual(['fulcio.sigstore.dev', 'rekor.sigstore.dev']);
  });

  test('each registry serves the same verified bundle for the index and each image, read back with skopeo', async () => {
    const stored = services.api.stored().at(-1)?.bundle;
    for (const image of images()) {
      for (const subject of [run.outputs.digest ?? '', amd64.descriptor.digest, arm64.descriptor.digest]) {
        const bundles = await attachedBundles(image, subject);
        expect(bundles).toEqual([stored]);
        const { statement } = verified(bundles[0], services.publicGood);
        expect(statement.subject.map((entry) => `sha256:${entry.digest.sha256}`)).toContain(subject);
      }
    }
    // The other instance's root does not vouch for it.
    expect(() => verified(stored, services.github)).toThrow();
  });

  test('outputs the subjects for subject-checksums, in a file too, and the names for subject-name', async () => {
    const hex = (digest: string | undefined) => (digest ?? '').slice('sha256:'.length);
    const lines = [run.outputs.digest, amd64.descriptor.digest, arm64.descriptor.digest].map(
      (digest) => `${hex(digest)}  ${images()[0]}`,
    );
    expect(run.outputs.subjects).toBe(lines.join('\n'));
    expect(run.outputs['subjects-file']?.startsWith(runnerTemp)).toBe(true);
    expect(await readFile(run.outputs['subjects-file'] ?? '', 'utf8')).toBe(`${lines.join('\n')}\n`);
    expect(run.outputs['subject-names']).toBe(images().join('\n'));
  });

  test('lists the attestation and its subjects in the job summary, served in every image', () => {
    expect(run.summary).toContain('### Provenance attestation');
    expect(run.summary).toContain(`| linux/arm64 | \`${arm64.descriptor.digest}\` |`);
    for (const image of images()) {
      expect(run.summary).toMatch(
        new RegExp(`\\| ${image} \\| index \\| \`sha256:[0-9a-f]{64}\` \\| tag \`sha256-[0-9a-f]{64}\` \\| served \\|`),
      );
    }
  });

  test('never prints the OIDC tokens, the runner token, the GitHub token or a private key, in debug mode too', () => {
    const secrets = [
      ...services.oidc.issued(),
      services.oidc.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN ?? '',
      fakeGithub.token,
      token.pusher.password,
    ];
    expect(services.oidc.issued().length).toBeGreaterThanOrEqual(2);
    for (const text of [visibleLog(run), run.stderr, run.summary, JSON.stringify(run.outputs)]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/PRIVATE KEY/);
    }
  });
});

describe('attest in a private repository', () => {
  test('signs with GitHub’s instance (Fulcio and a timestamp authority), verified against its root', async () => {
    const run = await merge('private', services.jobEnv('private'));
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    const bundle = services.api.stored().at(-1)?.bundle;
    // The same records make the same index: this attestation is listed beside the first run's.
    expect(await attachedBundles(images()[1] ?? '', run.outputs.digest ?? '')).toContainEqual(bundle);
    expect(verified(bundle, services.github).statement.subject).toHaveLength(3);
    expect(() => verified(bundle, services.publicGood)).toThrow();
  });
});

describe('attest refused before any registry request', () => {
  test('without id-token: write, naming the permission', async () => {
    const before = await registryTraffic();
    const env = { ...services.jobEnv('public'), ACTIONS_ID_TOKEN_REQUEST_URL: '', ACTIONS_ID_TOKEN_REQUEST_TOKEN: '' };
    const run = await merge('refused', env);
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/^attest: .*`id-token: write`.* Grant the merge job `permissions: id-token: write`/);
    // Refused before the first request: not a write, not even a read.
    expect(await registryTraffic()).toEqual(before);
  });

  test('on GitHub Enterprise Server, naming it', async () => {
    const before = await registryTraffic();
    const run = await merge('refused', { ...services.jobEnv('public'), GITHUB_SERVER_URL: 'https://ghes.example.com' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /^attest: .*GitHub Enterprise Server \(https:\/\/ghes\.example\.com\).* Set attest: false/,
    );
    // Refused before the first request: not a write, not even a read.
    expect(await registryTraffic()).toEqual(before);
  });
});
