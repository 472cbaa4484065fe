import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failuresOf } from '../../../src/publish/publish.js';
import { readBlob, type OciLayout } from '../../support/layout.js';
import { buildImage, pushLayout, removeImages, writeAttestedIndex } from '../../support/images.js';
import { runMerge, writeRecords } from '../../support/merge-fixture.js';
import { startRegistry, type TestRegistry, type TestUser } from '../../support/registry.js';
import { inspectForPlatform, inspectRaw, type ManifestJson } from '../../support/skopeo.js';
import { unreachableChildren } from '../../support/platform-matchers.js';
import { everyStrictRule, startStrictRegistry, type StrictRegistry } from '../../support/strict-registry.js';

/**
 * Records in the layouts BuildKit writes (0.32's OCI-artifact attestations with a subject, and 0.31's) merged into
 * registries that apply every rule stricter registries apply, at once, with image layers that take seconds to
 * upload: the merge must meet every rule without one refusal but the mounts Harbor answers 401 (which it falls back
 * from), and every platform and every attestation's subject must resolve in every target.
 */
const platforms = [
  { text: 'linux/amd64', layout: 'image-manifest' },
  { text: 'linux/arm64', layout: 'oci-artifact' },
  { text: 'linux/arm/v7', layout: 'oci-artifact' },
] as const;
const layerDelayMs = 3_000;

let origin: TestRegistry;
let second: TestRegistry;
let strictOrigin: StrictRegistry;
let strictSecond: StrictRegistry;
let layouts: OciLayout[];
let dockerConfig: string;

async function layerDigests(layout: OciLayout): Promise<string[]> {
  const index = JSON.parse((await readBlob(layout.dir, layout.descriptor.digest)).toString('utf8')) as ManifestJson;
  const image = JSON.parse((await readBlob(layout.dir, index.manifests[0].digest)).toString('utf8')) as ManifestJson;
  return image.layers.map((layer: { digest: string }) => layer.digest);
}

async function configFor(entries: readonly [string, TestUser][]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'docker-config-'));
  await mkdir(dir, { recursive: true });
  const auths = Object.fromEntries(
    entries.map(([host, user]) => [
      host,
      { auth: Buffer.from(`${user.username}:${user.password}`).toString('base64') },
    ]),
  );
  await writeFile(join(dir, 'config.json'), JSON.stringify({ auths }));
  return dir;
}

beforeAll(async () => {
  [origin, second] = await Promise.all([startRegistry({ auth: 'token' }), startRegistry({ auth: 'basic' })]);
  layouts = await Promise.all(
    platforms.map(({ text, layout }) => writeAttestedIndex(text, { attestationLayout: layout, names: ['app'] })),
  );
  // The build jobs pushed to the origin registry itself; the merge reaches it through the strict proxy.
  for (const layout of layouts) await pushLayout(layout, { registry: origin, repository: 'o/app' });
  const slow = new Set((await Promise.all(layouts.map(layerDigests))).flat());
  const slowBlobs = { digests: slow, delayMs: layerDelayMs };
  [strictOrigin, strictSecond] = await Promise.all([
    startStrictRegistry({ target: origin.host, rules: everyStrictRule, slowBlobs }),
    startStrictRegistry({ target: second.host, rules: everyStrictRule, slowBlobs }),
  ]);
  dockerConfig = await configFor([
    [strictOrigin.host, origin.pusher],
    [strictSecond.host, second.pusher],
  ]);
});

afterAll(async () => {
  await Promise.all([strictOrigin?.stop(), strictSecond?.stop()]);
  await Promise.all([origin?.stop(), second?.stop()]);
  await removeImages();
});

// Where the build jobs pushed, a repository beside it that gets mounts, and another registry that gets copies.
const built = () => `${strictOrigin.host}/o/app`;
const targets = () => [built(), `${strictOrigin.host}/o/mirror`, `${strictSecond.host}/o/app`];
const users = () => [origin.pusher, origin.pusher, second.pusher];

async function merge(tags: string) {
  const recordsPath = await writeRecords(
    layouts.map((layout, i) => ({
      layout,
      platform: {
        os: 'linux',
        architecture: platforms[i]!.text.split('/')[1]!,
        ...(platforms[i]!.text.split('/')[2] ? { variant: platforms[i]!.text.split('/')[2]! } : {}),
      },
      images: [built()],
    })),
  );
  const run = await runMerge({ images: targets().join(','), tags, 'records-path': recordsPath }, { dockerConfig });
  return run.error ?? (run.outcome && failuresOf(run.outcome));
}

describe('every stricter registry rule at once', () => {
  test('the merge is refused nothing but the mounts it falls back from, and waits for slow layers instead of racing them', async () => {
    strictOrigin.reset();
    strictSecond.reset();
    expect(await merge('1.0,latest')).toBeUndefined();
    // Harbor's 401 to a mount inside the origin registry, then a streamed copy; no other rule refused anything.
    const originRefusals = strictOrigin.refusals();
    expect(originRefusals.length).toBeGreaterThan(0);
    expect(originRefusals.filter((refusal) => refusal.rule !== 'mount-unauthorized')).toEqual([]);
    expect(strictSecond.refusals()).toEqual([]);
    // Every image layer was uploaded slowly into each target: the attestations waited for their subjects.
    expect(strictOrigin.slowedUploads()).toBe(platforms.length);
    expect(strictSecond.slowedUploads()).toBe(platforms.length);
  }, 60_000);

  test.each([0, 1, 2])('skopeo resolves every platform under every tag in target %d', async (target) => {
    const user = users()[target];
    for (const tag of ['1.0', 'latest']) {
      const reference = `${targets()[target]}:${tag}`;
      const index = (await inspectRaw(reference, { user })).json;
      expect(unreachableChildren(index.manifests)).toEqual([]);
      for (const { text } of platforms) {
        const [os, architecture, variant] = text.split('/') as [string, string, string | undefined];
        const wanted = { os, architecture, ...(variant ? { variant } : {}) };
        const resolved = await inspectForPlatform(reference, wanted, { user });
        expect(resolved).toMatchObject({ os, architecture });
        const entry = index.manifests.find((each: ManifestJson) => each.digest === resolved.digest);
        expect(entry?.platform).toMatchObject(wanted);
      }
    }
  });

  test.each([0, 1, 2])('each attestation and its subject resolve in target %d', async (target) => {
    const user = users()[target];
    const index = (await inspectRaw(`${targets()[target]}:latest`, { user })).json;
    const attestations = index.manifests.filter(
      (entry: ManifestJson) => entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest',
    );
    expect(attestations).toHaveLength(platforms.length);
    for (const attestation of attestations) {
      const manifest = (await inspectRaw(`${targets()[target]}@${attestation.digest}`, { user })).json;
      const describes = attestation.annotations['vnd.docker.reference.digest'];
      if (manifest.subject !== undefined) expect(manifest.subject.digest).toBe(describes);
      const subject = await inspectRaw(`${targets()[target]}@${describes}`, { user });
      expect(subject.json.config).toBeDefined();
    }
    const subjects = attestations.map((entry: ManifestJson) => entry.annotations['vnd.docker.reference.digest']);
    expect(new Set(subjects).size).toBe(platforms.length);
  });

  test('Docker images are published as a Docker manifest list of Docker manifests with platforms, as Quay takes it', async () => {
    const images = await Promise.all(
      ['linux/amd64', 'linux/arm64'].map((platform) =>
        buildImage(platform, { format: 'docker', content: 'docker format' }),
      ),
    );
    for (const layout of images) await pushLayout(layout, { registry: second, repository: 'docker/app' });
    const recordsPath = await writeRecords(
      images.map((layout, i) => ({
        layout,
        platform: { os: 'linux', architecture: ['amd64', 'arm64'][i]! },
        images: [`${strictSecond.host}/docker/app`],
      })),
    );
    strictSecond.reset();
    const run = await runMerge(
      { images: `${strictSecond.host}/docker/app`, tags: 'docker', 'records-path': recordsPath },
      { dockerConfig },
    );
    expect(run.error ?? (run.outcome && failuresOf(run.outcome))).toBeUndefined();
    expect(run.outcome?.plan.index.descriptor.mediaType).toBe(
      'application/vnd.docker.distribution.manifest.list.v2+json',
    );
    expect(strictSecond.refusals()).toEqual([]);
  });

  test('publishing again under immutable tags that hold the index is a success', async () => {
    strictOrigin.reset();
    strictSecond.reset();
    expect(await merge('1.0,latest')).toBeUndefined();
    const rules = [...strictOrigin.refusals(), ...strictSecond.refusals()].map((refusal) => refusal.rule);
    expect(rules).toEqual(Array(6).fill('immutable-tags'));
  });
});
