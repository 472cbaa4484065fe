import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { RetryPolicy } from '../../../src/oci/retry.js';
import { manifestAccept } from '../../../src/oci/mediatype.js';
import { failuresOf } from '../../../src/publish/publish.js';
import { startFaultProxy, type Fault, type FaultProxy } from '../../support/fault-proxy.js';
import { buildImage, pushLayout, removeImages, writeAttestedIndex } from '../../support/images.js';
import type { OciLayout } from '../../support/layout.js';
import { dockerConfigFor, runMerge, writeRecords, type RecordSpec } from '../../support/merge-fixture.js';
import { startRegistry, type TestRegistry } from '../../support/registry.js';
import { inspectForPlatform } from '../../support/skopeo.js';

/**
 * The merge against registries that fail: a fifth of all requests answered 500, 503, 429 or with a reset connection;
 * then a registry that fails for good from one request on, swept over every request of a publish. Children are
 * copied from the first registry into the second each time, so the failures land in reads, blob copies, the index
 * and the tags alike. Tags are checked directly against the registries, not through the client under test.
 */
let source: TestRegistry;
let target: TestRegistry;
let sourceProxy: FaultProxy;
let targetProxy: FaultProxy;
let layouts: OciLayout[];
let dockerConfig: string;
let sourceFault: (n: number) => Fault | undefined = () => undefined;
let targetFault: (n: number) => Fault | undefined = () => undefined;
const noFault = () => undefined;

const platforms = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64' },
  { os: 'linux', architecture: 'arm', variant: 'v7' },
] as const;
const patient: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 5,
  maxDelayMs: 40,
  maxRetryAfterMs: 100,
  random: () => 0.5,
};
const impatient: RetryPolicy = {
  maxAttempts: 2,
  baseDelayMs: 5,
  maxDelayMs: 10,
  maxRetryAfterMs: 10,
  random: () => 0.5,
};

beforeAll(async () => {
  [source, target] = await Promise.all([startRegistry({ auth: 'none' }), startRegistry({ auth: 'basic' })]);
  [sourceProxy, targetProxy] = await Promise.all([
    startFaultProxy({ target: source.host, faults: (_request, n) => sourceFault(n) }),
    startFaultProxy({ target: target.host, faults: (_request, n) => targetFault(n) }),
  ]);
  layouts = await Promise.all([
    buildImage('linux/amd64'),
    writeAttestedIndex('linux/arm64'),
    buildImage('linux/arm/v7'),
  ]);
  for (const layout of layouts) await pushLayout(layout, { registry: source, repository: 'faults/app' });
  // The client reaches the target through its proxy, so its credentials are filed under the proxy's host.
  dockerConfig = await dockerConfigFor([{ registry: { ...target, host: targetProxy.host } }]);
});

afterAll(async () => {
  await Promise.all([sourceProxy.stop(), targetProxy.stop()]);
  await Promise.all([source.stop(), target.stop()]);
  await removeImages();
});

/** Records of the three images, pushed to the source only: the target's repository gets copies. */
async function mergeInto(repository: string, tags: string, retry: RetryPolicy) {
  const images = [`${sourceProxy.host}/faults/app`, `${targetProxy.host}/${repository}`];
  const specs: RecordSpec[] = layouts.map((layout, i) => ({
    layout,
    platform: platforms[i] ?? platforms[0],
    images: [images[0] ?? ''],
  }));
  return runMerge(
    { images: images.join(','), tags, 'records-path': await writeRecords(specs), verify: 'false' },
    { dockerConfig, retry, consistencyWaitMs: 0 },
  );
}

/** A pseudo-random fault for about one request in five, the same sequence every run. */
function oneInFive(seed: number): (n: number) => Fault | undefined {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const kinds: Fault[] = [{ status: 500 }, { status: 503 }, { status: 429, retryAfter: '0' }, { reset: true }];
  return () => (next() < 0.2 ? kinds[Math.floor(next() * kinds.length)] : undefined);
}

/** What a tag holds, read straight from the registry: undefined when absent, else whether every child resolves. */
async function readTag(
  registry: TestRegistry,
  repository: string,
  tag: string,
): Promise<'absent' | 'complete' | string> {
  // Every manifest type, or distribution hides the OCI ones (404).
  const headers: Record<string, string> = { accept: manifestAccept };
  if (registry.auth === 'basic') {
    const { username, password } = registry.reader;
    headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  const base = `http://${registry.host}/v2/${repository}/manifests`;
  const response = await fetch(`${base}/${tag}`, { headers });
  if (response.status === 404) return 'absent';
  const index = (await response.json()) as { manifests: { digest: string }[] };
  const missing: string[] = [];
  for (const child of index.manifests) {
    const head = await fetch(`${base}/${child.digest}`, { method: 'HEAD', headers });
    if (head.status !== 200) missing.push(child.digest);
  }
  if (index.manifests.length !== layouts.length + 1) return `holds ${index.manifests.length} entries`;
  return missing.length === 0 ? 'complete' : `lacks ${missing.join(', ')}`;
}

describe('a publish against failing registries', () => {
  test('completes when a fifth of the requests fail with 500, 503, 429 or a reset, and every tag resolves', async () => {
    sourceFault = oneInFive(7);
    targetFault = oneInFive(11);
    sourceProxy.reset();
    targetProxy.reset();
    const run = await mergeInto('faults/flaky', 'v1,v2', patient);
    sourceFault = targetFault = noFault;
    expect(run.error).toBeUndefined();
    expect(failuresOf(run.outcome!)).toBeUndefined();
    expect(sourceProxy.faultsInjected() + targetProxy.faultsInjected()).toBeGreaterThan(3);
    for (const reference of [`${source.host}/faults/app`, `${target.host}/faults/flaky`]) {
      const user = reference.startsWith(target.host) ? target.reader : undefined;
      for (const tag of ['v1', 'v2']) {
        for (const [i, platform] of platforms.entries()) {
          const resolved = await inspectForPlatform(`${reference}:${tag}`, platform, { user });
          expect(resolved.architecture).toBe(platform.architecture);
          expect(i === 1 || resolved.digest === layouts[i]?.descriptor.digest).toBe(true);
        }
      }
    }
  }, 120_000);

  test('never leaves a tag on an index missing a child, whichever request a registry starts failing at', async () => {
    targetProxy.reset();
    const clean = await mergeInto('faults/sweep-0', 'a,b', impatient);
    expect(clean.error).toBeUndefined();
    const requestsOfOnePublish = targetProxy.total();
    const written: string[] = [];
    const problems: string[] = [];
    let failures = 0;
    let tagsMovedBeforeTheFailure = 0;
    for (let failFrom = 1; failFrom <= requestsOfOnePublish; failFrom++) {
      targetProxy.reset();
      let seen = 0;
      targetFault = () => (++seen >= failFrom ? { status: 503 } : undefined);
      const run = await mergeInto(`faults/sweep-${failFrom}`, 'a,b', impatient);
      targetFault = noFault;
      if (run.error || (run.outcome && failuresOf(run.outcome))) failures++;
      written.push(`faults/sweep-${failFrom}`);
      for (const repository of written) {
        for (const tag of ['a', 'b']) {
          const state = await readTag(target, repository, tag);
          if (state === 'complete' && repository === `faults/sweep-${failFrom}`) tagsMovedBeforeTheFailure++;
          if (state !== 'absent' && state !== 'complete') problems.push(`${repository}:${tag} ${state}`);
        }
      }
    }
    expect(problems).toEqual([]);
    // The target failed for good in every publish of the sweep, at a different request each time.
    expect(failures).toBe(requestsOfOnePublish);
    // Some publishes failed between their tags: the first tag moved (to the whole index), the next did not.
    expect(tagsMovedBeforeTheFailure).toBeGreaterThan(0);
  }, 300_000);
});
