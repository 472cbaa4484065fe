import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { buildahEnvironment, buildImage, pushLayout, removeImages, writeBuildContext } from '../support/images.js';
import type { OciLayout } from '../support/layout.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { runActionAsRunner, visibleLog, type ActionRun } from '../support/runner.js';
import { inspectForPlatform, inspectRaw, listTags } from '../support/skopeo.js';

/**
 * The build action as the runner runs dist/build.js. No Docker daemon runs here, so builder buildx meets a stand-in
 * `docker` on PATH (fixtures/docker-stand-in) that takes buildx's command line, builds with buildah, pushes by digest
 * with skopeo and writes the metadata file as buildx does; what it received is asserted argument by argument.
 */
const buildAction = resolve('.');
const standInDir = resolve('__tests__/fixtures/docker-stand-in');

let registry: TestRegistry;
let buildah: Record<string, string>;
let context: string;
let amd64: OciLayout;

beforeAll(async () => {
  registry = await startRegistry({ auth: 'basic' });
  [buildah, context, amd64] = await Promise.all([
    buildahEnvironment(),
    writeBuildContext('built by the buildx stand-in'),
    buildImage('linux/amd64'),
  ]);
});

afterAll(async () => {
  await registry.stop();
  await removeImages();
});

async function buildxJob(
  inputs: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string>> = {},
): Promise<{ run: ActionRun; invocations: string[][]; recordsPath: string }> {
  const work = await mkdtemp(join(tmpdir(), 'buildx-job-'));
  const log = join(work, 'docker-invocations.jsonl');
  const recordsPath = join(work, 'records');
  const run = await runActionAsRunner(
    buildAction,
    { images: `${registry.host}/buildx/app`, platform: 'linux/arm64', context, 'records-path': recordsPath, ...inputs },
    {
      env: {
        ...buildah,
        PATH: `${standInDir}${delimiter}${process.env.PATH}`,
        DOCKER_CONFIG: registry.dockerConfig(),
        STAND_IN_DOCKER_LOG: log,
        ...env,
      },
      timeoutMs: 120_000,
    },
  );
  const lines = await readFile(log, 'utf8').catch(() => '');
  const invocations = lines
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as string[]);
  return { run, invocations, recordsPath };
}

async function writesSoFar(): Promise<number> {
  await registry.settle();
  return registry.writes().length;
}

describe('builder buildx', () => {
  test('runs buildx with a by-digest image output and the metadata file, and records the digest it pushed', async () => {
    const { run, invocations, recordsPath } = await buildxJob({
      'build-args': 'GREETING=hello, world',
      'cache-from': 'type=gha',
      'cache-to': 'type=gha,mode=max',
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    const [inspect, buildCommand] = invocations;
    expect(inspect).toEqual(['buildx', 'inspect']);
    const metadataFile = buildCommand?.[buildCommand.indexOf('--metadata-file') + 1] ?? '';
    // The record's name is unique per image set and platform, which is what a cache scope must be.
    const scope = run.outputs['record-name'];
    expect(buildCommand).toEqual([
      'buildx',
      'build',
      '--platform',
      'linux/arm64',
      '--output',
      `type=image,"name=${registry.host}/buildx/app",push-by-digest=true,name-canonical=true,push=true`,
      '--metadata-file',
      metadataFile,
      '--build-arg',
      'GREETING=hello, world',
      '--cache-from',
      `type=gha,scope=${scope}`,
      '--cache-to',
      `type=gha,mode=max,scope=${scope}`,
      context,
    ]);
    const digest = run.outputs.digest ?? '';
    const resolved = await inspectForPlatform(
      `${registry.host}/buildx/app@${digest}`,
      { os: 'linux', architecture: 'arm64' },
      { user: registry.reader },
    );
    expect(resolved.digest).toBe(digest);
    expect(await listTags(`${registry.host}/buildx/app`, { user: registry.reader })).toEqual([]);
    expect(await readdir(recordsPath)).toEqual([`${run.outputs['record-name']}.json`]);
    expect(JSON.parse(await readFile(join(recordsPath, `${run.outputs['record-name']}.json`), 'utf8'))).toEqual(
      JSON.parse(run.outputs.record ?? ''),
    );
  });

  test('records the index buildx pushes with provenance, which the merge flattens into image and attestation', async () => {
    const { run, recordsPath } = await buildxJob({ provenance: 'mode=min' });
    expect(run.errors).toEqual([]);
    const record = JSON.parse(run.outputs.record ?? '{}');
    expect(record.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    const merge = await runActionAsRunner(
      resolve('merge'),
      { images: `${registry.host}/buildx/app`, tags: 'attested', 'records-path': recordsPath },
      { env: { DOCKER_CONFIG: registry.dockerConfig() } },
    );
    expect(merge.errors).toEqual([]);
    const index = JSON.parse(merge.outputs.index ?? '{}');
    expect(index.manifests.map((entry: { platform: { architecture: string } }) => entry.platform.architecture)).toEqual(
      ['arm64', 'unknown'],
    );
    const resolved = await inspectForPlatform(
      `${registry.host}/buildx/app:attested`,
      { os: 'linux', architecture: 'arm64' },
      { user: registry.reader },
    );
    expect(resolved.digest).toBe(index.manifests[0].digest);
  });

  test('passes annotations in the --output value, which buildx takes before 0.12 (no --annotation flag there)', async () => {
    const { run, invocations } = await buildxJob({
      annotations:
        'org.opencontainers.image.description=one, "two"\nmanifest-descriptor[linux/arm64]:org.example.cpu=neoverse',
    });
    expect(run.errors).toEqual([]);
    const output = invocations[1]?.[(invocations[1]?.indexOf('--output') ?? 0) + 1];
    expect(output).toBe(
      `type=image,"name=${registry.host}/buildx/app",push-by-digest=true,name-canonical=true,push=true,` +
        '"annotation.org.opencontainers.image.description=one, ""two""",' +
        'annotation-manifest-descriptor[linux/arm64].org.example.cpu=neoverse',
    );
    const manifest = (await inspectRaw(`${registry.host}/buildx/app@${run.outputs.digest}`, { user: registry.reader }))
      .json;
    expect(manifest.annotations['org.opencontainers.image.description']).toBe('one, "two"');
  });

  test('refuses an annotation of an unknown level, naming annotations, before building', async () => {
    const { run, invocations } = await buildxJob({ annotations: 'manifests:org.example=1' });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/^annotations: "manifests:org.example=1" has the unknown level "manifests"/);
    expect(invocations).toEqual([['buildx', 'inspect']]);
  });

  test('passes secrets as files and never prints their values', async () => {
    const secret = 'npm_S3cretTokenValue0123456789';
    const { run, invocations } = await buildxJob({ secrets: `npm=${secret}` }, { ACTIONS_STEP_DEBUG: 'true' });
    expect(run.exitCode).toBe(0);
    const buildCommand = invocations[1] ?? [];
    const secretArgument = buildCommand[buildCommand.indexOf('--secret') + 1] ?? '';
    expect(secretArgument).toMatch(/^id=npm,src=\/.+$/);
    expect(run.masked).toContain(secret);
    const shown = visibleLog(run);
    for (const text of [shown, run.stderr, run.summary, JSON.stringify(run.outputs), JSON.stringify(invocations)]) {
      expect(text).not.toContain(secret);
    }
  });

  test('masks a secrets input before parsing it, so even a malformed one never shows', async () => {
    const secret = 'S3cr3tValueWithAQuote0123456789';
    const { run } = await buildxJob({ secrets: `npm=ok\n"${secret}` }, { ACTIONS_STEP_DEBUG: 'true' });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/^secrets: has a double quote that is never closed/);
    expect(run.masked).toEqual(expect.arrayContaining([`"${secret}`]));
    const visible = visibleLog(run);
    expect(visible + run.stderr).not.toContain(secret);
  });

  test('fails naming builder and the fix when the builder uses the docker driver, before any registry write', async () => {
    await registry.settle();
    registry.reset();
    const { run, invocations, recordsPath } = await buildxJob({}, { STAND_IN_BUILDX_DRIVER: 'docker' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /^builder: .*`docker` driver, which cannot push an image by digest.*setup-buildx-action/,
    );
    expect(invocations).toEqual([['buildx', 'inspect']]);
    expect(await writesSoFar()).toBe(0);
    expect(await readdir(recordsPath).catch(() => [])).toEqual([]);
  });
});

test('an empty Driver line (no usable builder) gives the setup advice, not the next line as a driver', async () => {
  const { run } = await buildxJob({}, { STAND_IN_BUILDX_DRIVER: '' });
  expect(run.exitCode).toBe(1);
  expect(run.errors[0]).toMatch(
    /^builder: .*shows no driver: there is no usable builder\. Add docker\/setup-buildx-action/,
  );
});

describe('builder none', () => {
  beforeAll(async () => {
    await pushLayout(amd64, { registry, repository: 'none/app' });
  });

  test('records an image pushed by another step with neither Docker nor the artifact service', async () => {
    const recordsPath = await mkdtemp(join(tmpdir(), 'none-records-'));
    const run = await runActionAsRunner(
      buildAction,
      {
        images: `${registry.host}/none/app`,
        platform: 'linux/amd64',
        builder: 'none',
        digest: amd64.descriptor.digest,
        'records-path': recordsPath,
      },
      // No docker, buildah or skopeo can be found: only node, which the runner starts by its full path.
      { env: { PATH: '/nonexistent', DOCKER_CONFIG: registry.dockerConfig() } },
    );
    expect(run.errors).toEqual([]);
    expect(run.outputs.digest).toBe(amd64.descriptor.digest);
    expect(await readdir(recordsPath)).toEqual([`${run.outputs['record-name']}.json`]);
    expect(run.summary).toContain(`\`${amd64.descriptor.digest}\``);
  });

  test('without records-path outside GitHub, fails naming records-path', async () => {
    const run = await runActionAsRunner(
      buildAction,
      {
        images: `${registry.host}/none/app`,
        platform: 'linux/amd64',
        builder: 'none',
        digest: amd64.descriptor.digest,
      },
      { env: { DOCKER_CONFIG: registry.dockerConfig() } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/^records-path: is empty and this step has no access to the run/);
  });
});
