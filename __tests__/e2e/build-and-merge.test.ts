import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { resolve } from 'node:path';
import { startArtifactService, type ArtifactService } from '../support/artifact-service.js';
import { startContainerd } from '../support/containerd.js';
import { unreachableChildren } from '../support/platform-matchers.js';
import { buildahEnvironment, removeImages, writeBuildContext } from '../support/images.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { dockerConfigFor } from '../support/merge-fixture.js';
import { runActionAsRunner, type ActionRun } from '../support/runner.js';
import { inspectForPlatform, inspectRaw, listTags } from '../support/skopeo.js';

/**
 * The whole flow as a workflow runs it: three build jobs of one run in parallel (buildah, one platform each), each
 * pushing by digest to two registries and uploading its record as an artifact, then the merge job reading the run's
 * artifacts by itself. Only GitHub's artifact service is a fake, and it speaks the protocol the real client uses.
 */
const buildAction = resolve('.');
const mergeAction = resolve('merge');
const runId = '7001';
const platforms = [
  { name: 'linux/amd64', os: 'linux', architecture: 'amd64' },
  { name: 'linux/arm64', os: 'linux', architecture: 'arm64' },
  { name: 'linux/arm/v7', os: 'linux', architecture: 'arm', variant: 'v7' },
] as const;

let open: TestRegistry;
let token: TestRegistry;
let artifacts: ArtifactService;
let context: string;
let buildah: Record<string, string>;
let dockerConfig: string;
const images = () => [`${open.host}/e2e/app`, `${token.host}/e2e/app`];

beforeAll(async () => {
  [open, token, artifacts] = await Promise.all([
    startRegistry({ auth: 'none' }),
    startRegistry({ auth: 'token' }),
    startArtifactService(),
  ]);
  [context, buildah] = await Promise.all([writeBuildContext('built natively'), buildahEnvironment()]);
  dockerConfig = await dockerConfigFor([{ registry: token }]);
});

afterAll(async () => {
  await Promise.all([open.stop(), token.stop(), artifacts.stop()]);
  await removeImages();
});

function buildJob(platform: string, attempt = '1'): Promise<ActionRun> {
  // A re-run job gets a new job id from GitHub, and the run a new attempt number.
  const jobId = `build-${platform.replaceAll('/', '-')}-attempt-${attempt}`;
  return runActionAsRunner(
    buildAction,
    { images: images().join(','), platform, builder: 'buildah', context },
    {
      env: {
        ...artifacts.envFor({ runId, jobId }),
        ...buildah,
        DOCKER_CONFIG: dockerConfig,
        SOURCE_DATE_EPOCH: '1700000000',
        GITHUB_RUN_ATTEMPT: attempt,
      },
      timeoutMs: 120_000,
    },
  );
}

function mergeJob(tags: string): Promise<ActionRun> {
  return runActionAsRunner(
    mergeAction,
    { images: images().join('\n'), tags, platforms: platforms.map((p) => p.name).join(',') },
    { env: { ...artifacts.envFor({ runId, jobId: 'merge' }), DOCKER_CONFIG: dockerConfig } },
  );
}

const userFor = (image: string) => (image.startsWith(token.host) ? token.reader : undefined);

function expectSucceeded(run: ActionRun): void {
  expect({ errors: run.errors, exitCode: run.exitCode }).toEqual({ errors: [], exitCode: 0 });
}

describe('build jobs in parallel, then the merge, through the run’s artifacts', () => {
  let builds: ActionRun[];
  let tagsBeforeMerge: string[][];
  let merged: ActionRun;

  beforeAll(async () => {
    builds = await Promise.all(platforms.map((platform) => buildJob(platform.name)));
    tagsBeforeMerge = await Promise.all(images().map((image) => listTags(image, { user: userFor(image) })));
    merged = await mergeJob('1.0.0,latest');
  });

  test('each build job pushes by digest, records its platform and uploads one artifact', () => {
    builds.forEach(expectSucceeded);
    const names = builds.map((run) => run.outputs['record-name']);
    expect(artifacts.artifacts(runId).map((artifact) => artifact.name)).toEqual(
      expect.arrayContaining(names as string[]),
    );
    expect(artifacts.artifacts(runId)).toHaveLength(3);
    for (const [index, run] of builds.entries()) {
      const record = JSON.parse(run.outputs.record ?? '{}');
      expect(record).toMatchObject({
        digest: run.outputs.digest,
        images: images(),
        run: { id: '4242424242', attempt: 1, job: 'publish' },
      });
      expect(run.outputs.platform).toBe(platforms[index]?.name);
    }
  });

  test('the build jobs push to every image and leave no tag in any repository', async () => {
    for (const run of builds) {
      for (const image of images()) {
        const { bytes } = await inspectRaw(`${image}@${run.outputs.digest}`, { user: userFor(image) });
        expect(JSON.parse(run.outputs.record ?? '{}').size).toBe(bytes.length);
      }
    }
    expect(tagsBeforeMerge).toEqual([[], []]);
  });

  test('the merge finds the records without a download step and every tag resolves every platform', async () => {
    expectSucceeded(merged);
    expect(unreachableChildren(JSON.parse(merged.outputs.index ?? '{}').manifests)).toEqual([]);
    for (const image of images()) {
      const user = userFor(image);
      for (const tag of ['1.0.0', 'latest']) {
        const { bytes } = await inspectRaw(`${image}:${tag}`, { user });
        expect(bytes.toString('utf8')).toBe(merged.outputs.index);
        for (const [index, platform] of platforms.entries()) {
          const resolved = await inspectForPlatform(`${image}:${tag}`, platform, { user });
          expect(resolved.digest).toBe(builds[index]?.outputs.digest);
          expect(resolved).toMatchObject({ os: platform.os, architecture: platform.architecture });
        }
      }
    }
  });

  test('containerd pulls and unpacks, for each platform with and without its variant, the child its job built', async () => {
    const containerd = await startContainerd();
    try {
      const built = builds.map((run) => run.outputs.digest);
      for (const [index, platform] of platforms.entries()) {
        for (const asked of new Set([platform.name, `${platform.os}/${platform.architecture}`])) {
          const fetched = await containerd.pull(`${open.host}/e2e/app:1.0.0`, asked);
          expect(built.filter((digest) => fetched.includes(digest as string))).toEqual([built[index]]);
        }
      }
    } finally {
      await containerd.stop();
    }
  });

  test('re-running one build job replaces its record, and the merge publishes the same index again', async () => {
    const rerun = await buildJob('linux/arm64', '2');
    expectSucceeded(rerun);
    expect(rerun.outputs.digest).toBe(builds[1]?.outputs.digest);
    expect(artifacts.artifacts(runId)).toHaveLength(3);
    expect(JSON.parse(rerun.outputs.record ?? '{}').run.attempt).toBe(2);
    const again = await mergeJob('1.0.0,latest');
    expectSucceeded(again);
    expect(again.outputs.digest).toBe(merged.outputs.digest);
  });
});
