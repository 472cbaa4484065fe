import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { resolve } from 'node:path';
import { artifactNames, serverEnvironment, serviceOf, type ServerName } from '../support/actions-servers.js';
import { startContainerd } from '../support/containerd.js';
import { startArtifactFakes, type StartedFakes } from '../support/record-jobs.js';
import { unreachableChildren } from '../support/platform-matchers.js';
import { buildahEnvironment, removeImages, writeBuildContext } from '../support/images.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { dockerConfigFor } from '../support/merge-fixture.js';
import { runActionAsRunner, type ActionRun } from '../support/runner.js';
import { inspectForPlatform, inspectRaw, listTags } from '../support/skopeo.js';

/**
 * The whole flow as a workflow runs it: three build jobs of one run in parallel (buildah, one platform each), each
 * pushing by digest to two registries and storing its record as an artifact, then the merge job reading the run's
 * artifacts by itself. It runs on each kind of Actions server, with the environment its runner sets: github.com (the
 * current artifact service), GitHub Enterprise Server (the legacy one, through @actions/artifact 1.x) and Gitea (the
 * current one, past the client's host check). Only the artifact services are fakes, speaking the protocols the real
 * clients use; each server's records must reach its own service and never the other.
 */
const buildAction = resolve('.');
const mergeAction = resolve('merge');
const servers: readonly ServerName[] = ['github.com', 'GHES', 'Gitea'];
const platforms = [
  { name: 'linux/amd64', os: 'linux', architecture: 'amd64' },
  { name: 'linux/arm64', os: 'linux', architecture: 'arm64' },
  { name: 'linux/arm/v7', os: 'linux', architecture: 'arm', variant: 'v7' },
] as const;

let open: TestRegistry;
let token: TestRegistry;
let fakes: StartedFakes;
let context: string;
let buildah: Record<string, string>;
let dockerConfig: string;
/** Each server's flow publishes to repositories of its own. */
const images = (server: ServerName) => {
  const path = `e2e/${server.toLowerCase().replace(/\W/g, '-')}`;
  return [`${open.host}/${path}`, `${token.host}/${path}`];
};
const runIdOf = (server: ServerName) => `700${servers.indexOf(server) + 1}`;
/** What each server's flow published: its build jobs and its first merge, for the tests after it. */
const published = new Map<ServerName, { readonly builds: ActionRun[]; readonly merged: ActionRun }>();

beforeAll(async () => {
  const [openRegistry, tokenRegistry, artifactFakes] = await Promise.all([
    startRegistry({ auth: 'none' }),
    startRegistry({ auth: 'token' }),
    startArtifactFakes(),
  ]);
  [open, token, fakes] = [openRegistry, tokenRegistry, artifactFakes];
  [context, buildah] = await Promise.all([writeBuildContext('built natively'), buildahEnvironment()]);
  dockerConfig = await dockerConfigFor([{ registry: token }]);
});

afterAll(async () => {
  await Promise.all([open.stop(), token.stop(), fakes.stop()]);
  await removeImages();
});

function buildJob(server: ServerName, platform: string, attempt = 1): Promise<ActionRun> {
  // A re-run job gets a new job id from GitHub, and the run a new attempt number.
  const jobId = `build-${platform.replaceAll('/', '-')}-attempt-${attempt}`;
  return runActionAsRunner(
    buildAction,
    { images: images(server).join(','), platform, builder: 'buildah', context },
    {
      env: {
        ...serverEnvironment(server, fakes, { runId: runIdOf(server), jobId, attempt }),
        ...buildah,
        DOCKER_CONFIG: dockerConfig,
        SOURCE_DATE_EPOCH: '1700000000',
      },
      timeoutMs: 120_000,
    },
  );
}

function mergeJob(server: ServerName, tags: string, attempt = 1): Promise<ActionRun> {
  return runActionAsRunner(
    mergeAction,
    { images: images(server).join('\n'), tags, platforms: platforms.map((p) => p.name).join(',') },
    {
      env: {
        ...serverEnvironment(server, fakes, { runId: runIdOf(server), jobId: `merge-${attempt}`, attempt }),
        DOCKER_CONFIG: dockerConfig,
      },
    },
  );
}

const userFor = (image: string) => (image.startsWith(token.host) ? token.reader : undefined);

function expectSucceeded(run: ActionRun): void {
  expect({ errors: run.errors, exitCode: run.exitCode }).toEqual({ errors: [], exitCode: 0 });
}

describe.each(servers)('on %s: build jobs in parallel, then the merge, through the run’s artifacts', (server) => {
  const unused = serviceOf(server) === 'legacy' ? 'current' : 'legacy';
  let builds: ActionRun[];
  let tagsBeforeMerge: string[][];
  let merged: ActionRun;

  beforeAll(async () => {
    fakes.current.resetRequests();
    fakes.legacy.resetRequests();
    builds = await Promise.all(platforms.map((platform) => buildJob(server, platform.name)));
    tagsBeforeMerge = await Promise.all(images(server).map((image) => listTags(image, { user: userFor(image) })));
    merged = await mergeJob(server, '1.0.0,latest');
    published.set(server, { builds, merged });
  });

  test('each build job pushes by digest, records its platform and stores one artifact', () => {
    builds.forEach(expectSucceeded);
    const names = builds.map((run) => run.outputs['record-name'] ?? '');
    expect(artifactNames(server, fakes, runIdOf(server))).toEqual([...names].sort());
    for (const [index, run] of builds.entries()) {
      const record = JSON.parse(run.outputs.record ?? '{}');
      expect(record).toMatchObject({
        digest: run.outputs.digest,
        images: images(server),
        run: { id: runIdOf(server), attempt: 1, job: 'publish' },
      });
      expect(run.outputs.platform).toBe(platforms[index]?.name);
    }
  });

  test('the build jobs push to every image and leave no tag in any repository', async () => {
    for (const run of builds) {
      for (const image of images(server)) {
        const { bytes } = await inspectRaw(`${image}@${run.outputs.digest}`, { user: userFor(image) });
        expect(JSON.parse(run.outputs.record ?? '{}').size).toBe(bytes.length);
      }
    }
    expect(tagsBeforeMerge).toEqual([[], []]);
  });

  test('the merge finds the records without a download step and every tag resolves every platform', async () => {
    expectSucceeded(merged);
    expect(unreachableChildren(JSON.parse(merged.outputs.index ?? '{}').manifests)).toEqual([]);
    for (const image of images(server)) {
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

  test('re-running one build job replaces its record, and the merge publishes the same index again', async () => {
    const rerun = await buildJob(server, 'linux/arm64', 2);
    expectSucceeded(rerun);
    expect(rerun.outputs.digest).toBe(builds[1]?.outputs.digest);
    expect(artifactNames(server, fakes, runIdOf(server))).toHaveLength(3);
    expect(JSON.parse(rerun.outputs.record ?? '{}').run.attempt).toBe(2);
    const again = await mergeJob(server, '1.0.0,latest', 2);
    expectSucceeded(again);
    expect(again.outputs.digest).toBe(merged.outputs.digest);
  });

  test(`the records went through ${serviceOf(server) === 'legacy' ? 'the legacy' : 'the current'} artifact service only`, () => {
    expect(fakes[serviceOf(server)].requests().length).toBeGreaterThan(0);
    expect(fakes[unused].requests()).toEqual([]);
  });
});

describe('the published images, whichever server carried the records', () => {
  test('every server’s run publishes the same index digest: the transports change nothing in the records', () => {
    const digests = servers.map((server) => published.get(server)?.merged.outputs.digest);
    expect(digests[0]).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(new Set(digests)).toEqual(new Set([digests[0]]));
  });

  test('containerd pulls and unpacks, for each platform with and without its variant, the child its job built', async () => {
    const { builds } = published.get('github.com')!;
    const containerd = await startContainerd();
    try {
      const built = builds.map((run) => run.outputs.digest);
      for (const [index, platform] of platforms.entries()) {
        for (const asked of new Set([platform.name, `${platform.os}/${platform.architecture}`])) {
          const fetched = await containerd.pull(`${images('github.com')[0]}:1.0.0`, asked);
          expect(built.filter((digest) => fetched.includes(digest as string))).toEqual([built[index]]);
        }
      }
    } finally {
      await containerd.stop();
    }
  });
});
