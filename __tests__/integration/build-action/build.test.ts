import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../../src/errors.js';
import { runBuild } from '../../support/build-fixture.js';
import {
  buildahEnvironment,
  buildImage,
  pushLayout,
  removeImages,
  writeAttestedIndex,
  writeBuildContext,
  writeWindowsImage,
} from '../../support/images.js';
import type { OciLayout } from '../../support/layout.js';
import { startRegistry, type TestRegistry } from '../../support/registry.js';
import { inspectForPlatform, inspectRaw, listTags } from '../../support/skopeo.js';

let open: TestRegistry;
let basic: TestRegistry;
let arm64: OciLayout;
let dockerConfig: string;

beforeAll(async () => {
  [open, basic] = await Promise.all([startRegistry({ auth: 'none' }), startRegistry({ auth: 'basic' })]);
  arm64 = await buildImage('linux/arm64');
  dockerConfig = basic.dockerConfig();
});

afterAll(async () => {
  await Promise.all([open.stop(), basic.stop()]);
  await removeImages();
});

async function writesSoFar(): Promise<number> {
  await Promise.all([open.settle(), basic.settle()]);
  return open.writes().length + basic.writes().length;
}

async function recordFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.json'));
}

function userError(error: unknown): UserError {
  if (error instanceof UserError) return error;
  throw error instanceof Error ? error : new Error(`expected a UserError, got ${String(error)}`);
}

describe('builder buildah', () => {
  test('pushes the platform by digest to every image, tags nothing, and records what the config confirms', async () => {
    const images = [`${open.host}/buildah/app`, `${open.host}/buildah/mirror`, `${basic.host}/buildah/app`];
    const context = await writeBuildContext('arm v7 by buildah');
    const run = await runBuild(
      { images: images.join(','), platform: 'linux/arm/v7', builder: 'buildah', context },
      { dockerConfig, env: await buildahEnvironment() },
    );
    expect(run.error).toBeUndefined();
    const record = run.outcome?.record;
    expect(record).toMatchObject({ platform: { os: 'linux', architecture: 'arm', variant: 'v7' }, images });
    // Read back with one GET of the manifest: an image (not an index) is the manifest the config is named in.
    await open.settle();
    const manifestReads = open
      .requests()
      .filter((entry) => entry.method === 'GET' && entry.path === `/v2/buildah/app/manifests/${record?.digest}`);
    expect(manifestReads).toHaveLength(1);
    for (const image of images) {
      const user = image.startsWith(basic.host) ? basic.reader : undefined;
      const resolved = await inspectForPlatform(
        `${image}@${record?.digest}`,
        { os: 'linux', architecture: 'arm' },
        { user },
      );
      expect(resolved).toMatchObject({ digest: record?.digest, architecture: 'arm', variant: 'v7' });
      expect(await listTags(image, { user })).toEqual([]);
    }
    expect(await recordFiles(run.recordsPath)).toEqual([`${run.outcome?.recordName}.json`]);
    // The second repository of the same registry mounts the blobs the first received instead of uploading them.
    await open.settle();
    const mirrorUploads = open.writes().filter((entry) => entry.path.startsWith('/v2/buildah/mirror/blobs/uploads/'));
    expect(mirrorUploads.map((entry) => `${entry.method} ${entry.status}`)).toEqual(['POST 201', 'POST 201']);
  });
});

describe('builder buildah, platform check', () => {
  test('refuses an image whose config says another platform before anything is pushed', async () => {
    // buildah 1.28 (Debian 12) writes variant v7 into the config of a FROM scratch image built for linux/arm/v6:
    // a real builder producing another platform than asked, which the record must never claim.
    await open.settle();
    open.reset();
    const context = await writeBuildContext('asked for arm v6');
    const run = await runBuild(
      { images: `${open.host}/buildah/v6`, platform: 'linux/arm/v6', builder: 'buildah', context },
      { env: await buildahEnvironment() },
    );
    const error = userError(run.error);
    expect(error.subject).toBe('platform');
    expect(error.problem).toMatch(/is linux\/arm\/v6, but the image pushed \(sha256:[0-9a-f]{64}\) is linux\/arm\/v7/);
    await open.settle();
    expect(open.writes()).toEqual([]);
    expect(await recordFiles(run.recordsPath)).toEqual([]);
  });
});

describe('builder none', () => {
  beforeAll(async () => {
    for (const registry of [open, basic]) await pushLayout(arm64, { registry, repository: 'none/app' });
  });

  const images = () => [`${open.host}/none/app`, `${basic.host}/none/app`];

  test('records an image another step pushed, with its media type and size from the registry', async () => {
    await Promise.all([open.settle(), basic.settle()]);
    open.reset();
    basic.reset();
    const run = await runBuild(
      { images: images().join(','), platform: 'linux/arm64', builder: 'none', digest: arm64.descriptor.digest },
      { dockerConfig },
    );
    expect(run.error).toBeUndefined();
    expect(run.outcome?.record).toMatchObject({
      digest: arm64.descriptor.digest,
      mediaType: arm64.descriptor.mediaType,
      size: arm64.descriptor.size,
      platform: { os: 'linux', architecture: 'arm64' },
    });
    const [file] = await recordFiles(run.recordsPath);
    const written = JSON.parse(await readFile(join(run.recordsPath, file ?? ''), 'utf8'));
    expect(written).toEqual(JSON.parse(JSON.stringify(run.outcome?.record)));
    // The first image's manifest GET is its presence check (sent with the other images' HEADs), then its config.
    await Promise.all([open.settle(), basic.settle()]);
    const reads = (registry: typeof open) =>
      registry
        .requests()
        .filter((entry) => entry.status !== 401)
        .map((entry) => `${entry.method} ${entry.path.replace(/sha256:[0-9a-f]{64}/, '<digest>')}`);
    expect(reads(open)).toEqual(['GET /v2/none/app/manifests/<digest>', 'GET /v2/none/app/blobs/<digest>']);
    expect(reads(basic)).toEqual(['HEAD /v2/none/app/manifests/<digest>']);
  });

  test('refuses a platform the image is not, naming platform, and writes no record', async () => {
    await Promise.all([open.settle(), basic.settle()]);
    open.reset();
    basic.reset();
    const run = await runBuild(
      { images: images().join(','), platform: 'linux/amd64', builder: 'none', digest: arm64.descriptor.digest },
      { dockerConfig },
    );
    const error = userError(run.error);
    expect(error.subject).toBe('platform');
    expect(error.problem).toContain('is linux/amd64, but the image pushed');
    expect(error.problem).toContain('is linux/arm64 according to its config');
    expect(await recordFiles(run.recordsPath)).toEqual([]);
    expect(await writesSoFar()).toBe(0);
  });

  test.each(['first', 'last'])('refuses a digest the %s image lacks, naming that image', async (position) => {
    const missing = `${open.host}/none/elsewhere`;
    const listed = position === 'first' ? [missing, ...images()] : [...images(), missing];
    const run = await runBuild(
      { images: listed.join(','), platform: 'linux/arm64', builder: 'none', digest: arm64.descriptor.digest },
      { dockerConfig },
    );
    const error = userError(run.error);
    expect(error.subject).toBe(`${missing}@${arm64.descriptor.digest}`);
    expect(error.fix).toMatch(/Push the image to every repository in `images`/);
    expect(await recordFiles(run.recordsPath)).toEqual([]);
  });

  test('records a BuildKit-style index with attestations as the index, its platform read from the image in it', async () => {
    const attested = await writeAttestedIndex('linux/amd64');
    await pushLayout(attested, { registry: open, repository: 'none/attested' });
    const run = await runBuild({
      images: `${open.host}/none/attested`,
      platform: 'linux/amd64',
      builder: 'none',
      digest: attested.descriptor.digest,
    });
    expect(run.error).toBeUndefined();
    expect(run.outcome?.record).toMatchObject({
      digest: attested.descriptor.digest,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      platform: { os: 'linux', architecture: 'amd64' },
    });
  });

  test('adds os.version and os.features from a Windows image config to the record', async () => {
    const windows = await writeWindowsImage({ osVersion: '10.0.20348.2340', osFeatures: ['win32k'] });
    await pushLayout(windows, { registry: open, repository: 'none/windows' });
    const run = await runBuild({
      images: `${open.host}/none/windows`,
      platform: 'windows/amd64',
      builder: 'none',
      digest: windows.descriptor.digest,
    });
    expect(run.error).toBeUndefined();
    expect(run.outcome?.record.platform).toEqual({
      os: 'windows',
      architecture: 'amd64',
      'os.version': '10.0.20348.2340',
      'os.features': ['win32k'],
    });
    // Named for the platform asked for: next month's base-image patch must replace this record, not add a second.
    expect(run.outcome?.recordName).toMatch(/-windows-amd64$/);
    const { json } = await inspectRaw(`${open.host}/none/windows@${windows.descriptor.digest}`);
    expect(json.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
  });

  test.each([
    ['windows(10.0.20348)/amd64', undefined],
    ['windows(10.0.20348.2340)/amd64', undefined],
    ['windows(10.0.17763)/amd64', 'asks for os.version 10.0.17763, but the image pushed'],
    ['windows(10.0.2034)/amd64', 'asks for os.version 10.0.2034, but'],
  ])('checks an os.version in %s against the config (a dot-separated prefix)', async (platform, problem) => {
    const windows = await writeWindowsImage({ osVersion: '10.0.20348.2340' });
    await pushLayout(windows, { registry: open, repository: 'none/windows-versions' });
    const run = await runBuild({
      images: `${open.host}/none/windows-versions`,
      platform,
      builder: 'none',
      digest: windows.descriptor.digest,
    });
    if (problem === undefined) {
      expect(run.error).toBeUndefined();
      expect(run.outcome?.record.platform['os.version']).toBe('10.0.20348.2340');
      return;
    }
    const error = userError(run.error);
    expect(error.subject).toBe('platform');
    expect(error.problem).toContain(problem);
  });
});
