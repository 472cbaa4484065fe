import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { UserError } from '../../../src/errors.js';
import { MediaType } from '../../../src/oci/mediatype.js';
import { failuresOf } from '../../../src/publish/publish.js';
import { attestPublished, provenanceFailure, type SignProvenance } from '../../../src/publish/provenance.js';
import { openRegistrySession } from '../../../src/oci/client.js';
import { silentLogger } from '../../../src/log.js';
import { summaryRows } from '../../../src/publish/report.js';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.js';
import { buildImage, pushLayout, removeImages } from '../../support/images.js';
import { runMerge, writeRecords } from '../../support/merge-fixture.js';
import { startRegistry, type TestRegistry } from '../../support/registry.js';
import { inspectRaw } from '../../support/skopeo.js';

/**
 * The read-back after a publish, against a real registry behind a proxy that can answer a tag's HEAD itself, as a
 * registry behind a stale cache (or after another writer) would: with another digest.
 */
let registry: TestRegistry;
let proxy: FaultProxy;
let recordsPath: string;
const otherDigest = `sha256:${'e'.repeat(64)}`;
let staleAnswersLeft = 0;
let failingReads = 0;
let hideFallbackTags = false;
const tagReads: string[] = [];

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
  proxy = await startFaultProxy({
    target: registry.host,
    faults: (request) => {
      if (hideFallbackTags && request.method === 'GET' && /\/manifests\/sha256-/.test(request.url)) {
        return { status: 404, errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] };
      }
      const tag = /\/manifests\/(v\d)$/.exec(request.url)?.[1];
      if (request.method !== 'HEAD' || tag === undefined) return undefined;
      tagReads.push(tag);
      if (failingReads > 0) return { status: 503 };
      if (staleAnswersLeft <= 0) return undefined;
      staleAnswersLeft--;
      return { status: 200, headers: { 'docker-content-digest': otherDigest, 'content-type': MediaType.ociIndex } };
    },
  });
  const [amd64, arm64] = await Promise.all([buildImage('linux/amd64'), buildImage('linux/arm64')]);
  for (const layout of [amd64, arm64]) await pushLayout(layout, { registry, repository: 'verify/app' });
  const image = `${proxy.host}/verify/app`;
  recordsPath = await writeRecords([
    { layout: amd64, platform: { os: 'linux', architecture: 'amd64' }, images: [image] },
    { layout: arm64, platform: { os: 'linux', architecture: 'arm64' }, images: [image] },
  ]);
});

afterAll(async () => {
  await proxy.stop();
  await registry.stop();
  await removeImages();
});

const inputs = (tags: string, extra: Record<string, string> = {}) => ({
  images: `${proxy.host}/verify/app`,
  tags,
  'records-path': recordsPath,
  ...extra,
});

describe('verify after publish', () => {
  test('reads every tag back and passes when each holds the index just published', async () => {
    tagReads.length = 0;
    const run = await runMerge(inputs('v1,v2'));
    expect(run.error).toBeUndefined();
    expect([...tagReads].sort()).toEqual(['v1', 'v2']);
    const digest = run.outcome?.plan.index.descriptor.digest;
    expect(run.outcome?.verifications[0]?.tags).toEqual([
      { tag: 'v1', digest },
      { tag: 'v2', digest },
    ]);
  });

  test('waits out a registry that answers with a stale tag for a moment', async () => {
    staleAnswersLeft = 2;
    const run = await runMerge(inputs('v3'), { consistencyWaitMs: 2_000 });
    expect(run.error).toBeUndefined();
    expect(staleAnswersLeft).toBe(0);
    expect(run.outcome?.verifications[0]?.tags[0]?.digest).toBe(run.outcome?.plan.index.descriptor.digest);
  });

  test('reports a tag that holds another digest, naming the tag and both digests, and marks it in the summary', async () => {
    staleAnswersLeft = 1_000;
    const run = await runMerge(inputs('v4,v5'), { consistencyWaitMs: 600 });
    staleAnswersLeft = 0;
    const outcome = run.outcome;
    // merge() reports through the outcome; the action turns failuresOf(outcome) into the step's error.
    const error = outcome && failuresOf(outcome);
    expect(error).toBeInstanceOf(UserError);
    const digest = outcome?.plan.index.descriptor.digest ?? '';
    expect(error?.subject).toBe(`${proxy.host}/verify/app`);
    expect(error?.problem).toContain(`tag v4 holds ${otherDigest}, not the index just published (${digest})`);
    expect(error?.fix).toMatch(/Another writer moved the tag/);
    expect(new Set(summaryRows(outcome!, false).map((row) => row.status))).toEqual(
      new Set(['moved by another writer']),
    );
    // The tags really hold the index: only the read-back was stale, which is what the message must not hide.
    expect((await inspectRaw(`${registry.host}/verify/app:v4`)).json.manifests).toHaveLength(2);
  });

  test('a registry that fails the read-back is reported per tag, and what was published is still reported', async () => {
    failingReads = 1;
    const run = await runMerge(inputs('v7'));
    failingReads = 0;
    expect(run.error).toBeUndefined();
    const outcome = run.outcome!;
    expect(outcome.results[0]?.tagsWritten).toEqual(['v7']);
    expect(failuresOf(outcome)?.problem).toContain('tag v7 could not be read back');
    expect(summaryRows(outcome, false).map((row) => row.status)).toContain('not read back');
  });

  test('verify: false writes and reads nothing back', async () => {
    tagReads.length = 0;
    const run = await runMerge(inputs('v6', { verify: 'false' }));
    expect(run.error).toBeUndefined();
    expect(tagReads).toEqual([]);
    expect(run.outcome?.verifications).toEqual([]);
  });
});

describe('verify after attest: the attestation of the index is served', () => {
  // The signer is a port: what it returns travels to the registries as the Sigstore bundle would.
  const sign: SignProvenance = async (subjects) => ({
    bundle: Buffer.from(JSON.stringify({ subjects })),
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    predicateType: 'https://slsa.dev/provenance/v1',
    instance: 'public-good',
  });

  async function publishAndAttest(tags: string) {
    const { outcome, error } = await runMerge(inputs(tags));
    if (!outcome) throw error;
    const session = openRegistrySession({ env: {}, logger: silentLogger });
    try {
      const deps = { sign, clients: session.clients, logger: silentLogger, verify: true, consistencyWaitMs: 300 };
      return { outcome, provenance: await attestPublished(outcome, deps) };
    } finally {
      await session.close();
    }
  }

  test('reads the fallback tag of the index back and finds the attestation there', async () => {
    const { outcome, provenance } = await publishAndAttest('v5');
    expect(provenance?.targets.map((entry) => entry.reading)).toEqual([{ served: true }]);
    expect(provenanceFailure(provenance)).toBeUndefined();
    const tag = `sha256-${outcome.plan.index.descriptor.digest.slice('sha256:'.length)}`;
    const { json } = await inspectRaw(`${registry.host}/verify/app:${tag}`);
    expect(json.manifests.map((entry: { digest: string }) => entry.digest)).toContain(
      provenance?.targets[0]?.referrers[0]?.descriptor.digest,
    );
  });

  test('a registry that does not serve it fails the step, naming the image and the tag it read', async () => {
    hideFallbackTags = true;
    try {
      const { outcome, provenance } = await publishAndAttest('v6');
      expect(failuresOf(outcome)).toBeUndefined();
      const failure = provenanceFailure(provenance);
      expect(failure).toBeInstanceOf(UserError);
      expect(failure?.subject).toBe(`${proxy.host}/verify/app`);
      expect(failure?.problem).toContain('does not serve it for the index');
      expect(failure?.problem).toContain(
        `the tag sha256-${outcome.plan.index.descriptor.digest.slice('sha256:'.length)}`,
      );
    } finally {
      hideFallbackTags = false;
    }
  });
});
