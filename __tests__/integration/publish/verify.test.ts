import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { UserError } from '../../../src/errors.js';
import { MediaType } from '../../../src/oci/mediatype.js';
import { failuresOf } from '../../../src/publish/publish.js';
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
const tagReads: string[] = [];

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
  proxy = await startFaultProxy({
    target: registry.host,
    faults: (request) => {
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
