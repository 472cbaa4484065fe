import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { UserError } from '../../src/errors.js';
import { failuresOf } from '../../src/publish/publish.js';
import { startFaultProxy, type Fault, type FaultProxy, type FaultRequest } from '../support/fault-proxy.js';
import { buildImage, pushLayout, removeImages, writeAttestedIndex } from '../support/images.js';
import { readBlob, type OciLayout } from '../support/layout.js';
import { runMerge, writeRecords } from '../support/merge-fixture.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';

/**
 * What registries other than distribution answer, replayed in front of a real one: ECR's immutable tags and missing
 * repositories, Docker Hub's rate limit with its headers, a manifest not visible right after its push. Each must
 * end in a message that says what to do, or, where the answer means no harm, in success.
 */
let registry: TestRegistry;
let proxy: FaultProxy;
let amd64: OciLayout;
let arm64: OciLayout;
let answer: (request: FaultRequest) => Fault | undefined = () => undefined;

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
  proxy = await startFaultProxy({ target: registry.host, faults: (request) => answer(request) });
  [amd64, arm64] = await Promise.all([buildImage('linux/amd64'), buildImage('linux/arm64')]);
  for (const layout of [amd64, arm64]) await pushLayout(layout, { registry, repository: 'errors/app' });
});

afterAll(async () => {
  await proxy.stop();
  await registry.stop();
  await removeImages();
});

const image = () => `${proxy.host}/errors/app`;

async function merge(tags: string, options: { readonly consistencyWaitMs?: number } = {}) {
  const recordsPath = await writeRecords([
    { layout: amd64, platform: { os: 'linux', architecture: 'amd64' }, images: [image()] },
    { layout: arm64, platform: { os: 'linux', architecture: 'arm64' }, images: [image()] },
  ]);
  const run = await runMerge({ images: image(), tags, 'records-path': recordsPath }, options);
  const failure = run.error ?? (run.outcome && failuresOf(run.outcome));
  if (failure !== undefined && !(failure instanceof UserError)) throw failure;
  return { run, failure };
}

const isTagPut = (request: FaultRequest, tag: string) =>
  request.method === 'PUT' && request.url.endsWith(`/manifests/${tag}`);
const immutable = (tag: string): Fault => ({
  status: 400,
  errors: [
    {
      code: 'TAG_INVALID',
      message: `The image tag '${tag}' already exists in the 'errors/app' repository and cannot be overwritten because the repository is immutable.`,
    },
  ],
});

describe('registry answers turned into outcomes a user can act on', () => {
  test('an immutable tag (ECR) that already holds the same index is a success: re-running is idempotent', async () => {
    answer = () => undefined;
    expect((await merge('release')).failure).toBeUndefined();
    let refused = 0;
    answer = (request) => (isTagPut(request, 'release') && ++refused ? immutable('release') : undefined);
    const { run, failure } = await merge('release');
    answer = () => undefined;
    expect(refused).toBe(1);
    expect(failure).toBeUndefined();
    expect(run.outcome?.results[0]?.tagsWritten).toEqual(['release']);
  });

  test('an immutable tag that holds another image fails naming the tag immutability and the way out', async () => {
    await runMerge({
      images: image(),
      tags: 'pinned',
      'records-path': await writeRecords([
        { layout: amd64, platform: { os: 'linux', architecture: 'amd64' }, images: [image()] },
      ]),
    });
    answer = (request) => (isTagPut(request, 'pinned') ? immutable('pinned') : undefined);
    const { failure } = await merge('pinned');
    answer = () => undefined;
    expect(failure).toBeInstanceOf(UserError);
    // The registry's own words say why; the ECR-specific advice is in the explain() table's unit test.
    expect(failure?.message).toContain('cannot be overwritten because the repository is immutable');
    expect(failure?.message).toContain('[TAG_INVALID]');
  });

  test('a repository that does not exist and is not created on push (ECR) says to create it', async () => {
    answer = (request) =>
      request.method === 'PUT'
        ? {
            status: 404,
            errors: [{ code: 'NAME_UNKNOWN', message: "The repository with name 'errors/app' does not exist" }],
          }
        : undefined;
    const { failure } = await merge('fresh');
    answer = () => undefined;
    expect(failure?.subject).toBe(image());
    expect(failure?.fix).toMatch(/does not create repositories on push: create it first/);
  });

  test('a rate limit (Docker Hub) shows the limits the registry stated', async () => {
    answer = (request) =>
      request.method === 'HEAD'
        ? {
            status: 429,
            retryAfter: '0',
            headers: { 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '0;w=21600' },
            errors: [{ code: 'TOOMANYREQUESTS', message: 'You have reached your pull rate limit.' }],
          }
        : undefined;
    const { failure } = await merge('limited');
    answer = () => undefined;
    expect(failure?.message).toContain('ratelimit-limit: 100;w=21600, ratelimit-remaining: 0;w=21600');
    expect(failure?.fix).toMatch(/rate-limiting/);
  });

  test('a child not visible yet right after its push is waited for, not reported missing', async () => {
    let notYet = 2;
    answer = (request) =>
      request.method === 'HEAD' && request.url.endsWith(arm64.descriptor.digest) && notYet-- > 0
        ? { status: 404, errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }
        : undefined;
    const { failure } = await merge('eventually', { consistencyWaitMs: 2_000 });
    answer = () => undefined;
    expect(failure).toBeUndefined();
    expect(notYet).toBeLessThan(0);
  });

  test('a tag PUT told a child is unknown for a moment (distribution while another push of it commits) is tried again', async () => {
    // distribution on a filesystem answers this way when a link file it reads is being rewritten by a concurrent push.
    let torn = 1;
    answer = (request) =>
      isTagPut(request, 'torn') && torn-- > 0
        ? {
            status: 400,
            errors: [
              { code: 'DIGEST_INVALID', message: 'provided digest did not match uploaded content' },
              { code: 'MANIFEST_BLOB_UNKNOWN', message: 'blob unknown to registry' },
            ],
          }
        : undefined;
    const { failure } = await merge('torn', { consistencyWaitMs: 2_000 });
    answer = () => undefined;
    expect(failure).toBeUndefined();
    expect(torn).toBeLessThan(0);
  });

  test('a reference still refused after the wait is named with its role, and the advice is about the registry, not the build', async () => {
    const attested = await writeAttestedIndex('linux/arm64');
    await pushLayout(attested, { registry, repository: 'errors/src' });
    const [source, target] = [`${proxy.host}/errors/src`, `${proxy.host}/errors/dst`];
    const index = JSON.parse((await readBlob(attested.dir, attested.descriptor.digest)).toString('utf8'));
    const [image, attestation] = index.manifests as { digest: string }[];
    answer = (request) =>
      request.method === 'PUT' && request.url.endsWith(`/errors/dst/manifests/${attestation?.digest}`)
        ? {
            status: 400,
            errors: [
              { code: 'MANIFEST_BLOB_UNKNOWN', message: 'blob unknown to registry', detail: image?.digest ?? '' },
            ],
          }
        : undefined;
    const run = await runMerge(
      {
        images: `${source},${target}`,
        tags: 'named',
        'records-path': await writeRecords([
          { layout: attested, platform: { os: 'linux', architecture: 'arm64' }, images: [source] },
        ]),
      },
      { consistencyWaitMs: 500 },
    );
    answer = () => undefined;
    const failure = (run.error ?? (run.outcome && failuresOf(run.outcome))) as UserError | undefined;
    expect(failure?.subject).toBe(target);
    expect(failure?.message).toContain(`it lacks the manifest's subject ${image?.digest}`);
    expect(failure?.fix).toMatch(/This step wrote what the registry says it lacks just before/);
  });
});
