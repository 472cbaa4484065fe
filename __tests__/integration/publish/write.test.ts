import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { startEveryAuthMode, type AccessLogEntry, type TestRegistry } from '../../support/registry.js';
import { buildImage, pushLayout, removeImages, writeAttestedIndex, writeWindowsImage } from '../../support/images.js';
import { unreachableChildren } from '../../support/platform-matchers.js';
import { inspectForPlatform, inspectRaw } from '../../support/skopeo.js';
import { dockerConfigFor, runMerge, writeRecords, type RecordSpec } from '../../support/merge-fixture.js';
import type { OciLayout } from '../../support/layout.js';

const repository = 'team/app';
const tags = ['1.2.3', '1.2', 'latest'];
const linux = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64' },
  { os: 'linux', architecture: 'arm', variant: 'v7' },
] as const;

let open: TestRegistry;
let basic: TestRegistry;
let token: TestRegistry;
let registries: TestRegistry[];
let amd64: OciLayout;
let arm64: OciLayout;
let armv7Attested: OciLayout;
let windows: OciLayout;

beforeAll(async () => {
  [open, basic, token] = await startEveryAuthMode();
  registries = [open, basic, token];
  [amd64, arm64, armv7Attested, windows] = await Promise.all([
    buildImage('linux/amd64'),
    buildImage('linux/arm64'),
    writeAttestedIndex('linux/arm/v7'),
    writeWindowsImage({ osVersion: '10.0.20348.2322' }),
  ]);
});

afterAll(async () => {
  await Promise.all(registries.map((registry) => registry.stop()));
  await removeImages();
});

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

function recordsFor(images: readonly string[]): RecordSpec[] {
  return [
    { layout: amd64, platform: { os: 'linux', architecture: 'amd64' }, images },
    { layout: arm64, platform: { os: 'linux', architecture: 'arm64' }, images },
    { layout: armv7Attested, platform: { os: 'linux', architecture: 'arm', variant: 'v7' }, images },
    { layout: windows, platform: { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.2322' }, images },
  ];
}

describe('publishing one index from four single-platform records into three registries', () => {
  const images = () => registries.map((registry) => `${registry.host}/${repository}`);
  let indexDigest: string;
  let logAfterMerge: Map<TestRegistry, readonly AccessLogEntry[]>;

  beforeAll(async () => {
    for (const registry of registries) {
      for (const layout of [amd64, arm64, armv7Attested, windows]) await pushLayout(layout, { registry, repository });
    }
    await Promise.all(registries.map((registry) => registry.settle()));
    registries.forEach((registry) => registry.reset());
    const recordsPath = await writeRecords(recordsFor(images()));
    const run = await runMerge(
      {
        images: images().join(','),
        tags: tags.join('\n'),
        platforms: 'linux/amd64,linux/arm64,linux/arm/v7,windows/amd64',
        annotations: 'org.opencontainers.image.description=multi-platform test image',
        'records-path': recordsPath,
      },
      { dockerConfig: await dockerConfigFor(registries.map((registry) => ({ registry }))) },
    );
    expect(run.error).toBeUndefined();
    expect(run.outcome?.results.map((result) => result.error)).toEqual([undefined, undefined, undefined]);
    indexDigest = run.outcome!.plan.index.descriptor.digest;
    await Promise.all(registries.map((registry) => registry.settle()));
    logAfterMerge = new Map(registries.map((registry) => [registry, registry.requests()]));
  });

  test('every tag in every registry holds the same index, byte for byte', async () => {
    for (const registry of registries) {
      const user = registry.auth === 'none' ? undefined : registry.reader;
      for (const tag of tags) {
        const { bytes, json } = await inspectRaw(`${registry.host}/${repository}:${tag}`, { user });
        expect(sha256(bytes)).toBe(indexDigest);
        expect(json.mediaType).toBe('application/vnd.oci.image.index.v1+json');
        expect(json.annotations).toEqual({ 'org.opencontainers.image.description': 'multi-platform test image' });
      }
    }
  });

  test('the index lists each platform once, keeps the attestation after the images and os.version for Windows', async () => {
    const { json } = await inspectRaw(`${open.host}/${repository}:latest`);
    const platforms = json.manifests.map((child: { platform: Record<string, string> }) => child.platform);
    expect(platforms).toEqual([
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm', os: 'linux', variant: 'v7' },
      { architecture: 'arm64', os: 'linux' },
      { architecture: 'amd64', os: 'windows', 'os.version': '10.0.20348.2322' },
      { architecture: 'unknown', os: 'unknown' },
    ]);
    const attestation = json.manifests[4];
    expect(attestation.annotations['vnd.docker.reference.type']).toBe('attestation-manifest');
    expect(attestation.annotations['vnd.docker.reference.digest']).toBe(json.manifests[1].digest);
  });

  test('containerd, containers/image, podman and go-containerregistry each find every child, with and without its variant', async () => {
    const index = (await inspectRaw(`${open.host}/${repository}:latest`)).json;
    expect(unreachableChildren(index.manifests)).toEqual([]);
  });

  test('a real client resolves the right child for every platform under every tag in every registry', async () => {
    const expected = new Map([
      ['linux/amd64', amd64.descriptor.digest],
      ['linux/arm64', arm64.descriptor.digest],
    ]);
    const { json } = await inspectRaw(`${open.host}/${repository}@${indexDigest}`);
    expected.set('linux/arm/v7', json.manifests[1].digest);
    for (const registry of registries) {
      const user = registry.auth === 'none' ? undefined : registry.reader;
      for (const tag of tags) {
        for (const platform of linux) {
          const resolved = await inspectForPlatform(`${registry.host}/${repository}:${tag}`, platform, { user });
          const key = [platform.os, platform.architecture, 'variant' in platform ? platform.variant : undefined]
            .filter(Boolean)
            .join('/');
          expect({ key, digest: resolved.digest, architecture: resolved.architecture }).toEqual({
            key,
            digest: expected.get(key),
            architecture: platform.architecture,
          });
        }
      }
    }
  });

  test('each registry saw one existence check per child, one write per tag (no PUT by digest of its own), then the read-back', () => {
    for (const registry of registries) {
      const log = logAfterMerge.get(registry) ?? [];
      const isWrite = (entry: AccessLogEntry) => entry.method !== 'GET' && entry.method !== 'HEAD';
      const firstWrite = log.findIndex(isWrite);
      const afterWrites = log.length - [...log].reverse().findIndex(isWrite);
      const heads = log.slice(0, firstWrite).filter((entry) => entry.method === 'HEAD' && entry.status !== 401);
      const readBack = log.slice(afterWrites);
      expect(readBack.map((entry) => entry.method)).toEqual(Array.from({ length: tags.length }, () => 'HEAD'));
      expect(readBack.filter((entry) => tags.some((tag) => entry.path.endsWith(`/manifests/${tag}`)))).toHaveLength(
        tags.length,
      );
      const writes = log.filter(isWrite);
      expect(writes.map((entry) => `${entry.method} ${entry.status}`)).toEqual(
        Array.from({ length: tags.length }, () => 'PUT 201'),
      );
      expect(writes.every((entry) => entry.path.startsWith(`/v2/${repository}/manifests/`))).toBe(true);
      expect(heads).toHaveLength(5);
      const unauthorized = log.filter((entry) => entry.status === 401);
      expect(unauthorized.length).toBe(registry.auth === 'none' ? 0 : 1);
    }
    expect(token.tokenIssuer?.tokensIssued()).toBeGreaterThan(0);
  });

  test('merging the same records again, read in another order, gives the same index digest', async () => {
    const recordsPath = await writeRecords([...recordsFor(images())].reverse());
    const run = await runMerge(
      {
        images: images().join(','),
        tags: tags.join(','),
        annotations: 'org.opencontainers.image.description=multi-platform test image',
        'records-path': recordsPath,
      },
      { dockerConfig: await dockerConfigFor(registries.map((registry) => ({ registry }))) },
    );
    expect(run.error).toBeUndefined();
    expect(run.outcome?.plan.index.descriptor.digest).toBe(indexDigest);
    const { bytes } = await inspectRaw(`${open.host}/${repository}:latest`);
    expect(sha256(bytes)).toBe(indexDigest);
  });

  test('a real client on Windows resolves the Windows child', async () => {
    const resolved = await inspectForPlatform(
      `${token.host}/${repository}:1.2.3`,
      { os: 'windows', architecture: 'amd64' },
      { user: token.reader },
    );
    expect(resolved).toMatchObject({ digest: windows.descriptor.digest, os: 'windows', architecture: 'amd64' });
  });
});

describe('children missing from a target repository', () => {
  test('a child present only in registry A is copied into registry B, blobs streamed, and resolves there', async () => {
    const source = `${open.host}/only-here/app`;
    const target = `${token.host}/copied/app`;
    await pushLayout(amd64, { registry: open, repository: 'only-here/app' });
    await pushLayout(arm64, { registry: open, repository: 'only-here/app' });
    await token.settle();
    token.reset();
    const recordsPath = await writeRecords([
      { layout: amd64, platform: { os: 'linux', architecture: 'amd64' }, images: [source] },
      { layout: arm64, platform: { os: 'linux', architecture: 'arm64' }, images: [source] },
    ]);
    const run = await runMerge(
      { images: `${source},${target}`, tags: 'v1', 'records-path': recordsPath },
      { dockerConfig: await dockerConfigFor([{ registry: token }]) },
    );
    expect(run.error).toBeUndefined();
    expect(run.outcome?.results.map((result) => result.error)).toEqual([undefined, undefined]);
    for (const [platform, layout] of [
      [linux[0], amd64],
      [linux[1], arm64],
    ] as const) {
      const resolved = await inspectForPlatform(`${target}:v1`, platform, { user: token.reader });
      expect(resolved.digest).toBe(layout.descriptor.digest);
    }
    await token.settle();
    const blobUploads = token
      .writes()
      .filter((entry) => entry.method === 'PUT' && entry.path.includes('/blobs/uploads/'));
    expect(blobUploads.length).toBeGreaterThanOrEqual(4); // config + layer of each image
    // Children first, then the tag, which stores the index by digest too: never a tag before what it points at.
    const manifestPuts = token
      .writes()
      .filter((entry) => entry.method === 'PUT' && entry.path.includes('/manifests/'))
      .map((entry) => entry.path.split('/').pop());
    expect(manifestPuts).toHaveLength(3);
    expect(manifestPuts.slice(0, 2).sort()).toEqual([amd64.descriptor.digest, arm64.descriptor.digest].sort());
    expect(manifestPuts.at(-1)).toBe('v1');
    // The read-back covers what was copied in, as well as the tag.
    const copiedTarget = run.outcome?.verifications.find((entry) => entry.target.reference === target);
    expect(copiedTarget?.missingChildren).toEqual([]);
    const lastWrite = token
      .requests()
      .map((entry) => entry.method !== 'HEAD' && entry.method !== 'GET')
      .lastIndexOf(true);
    const readBack = token
      .requests()
      .slice(lastWrite + 1)
      .map((entry) => entry.path.split('/').pop());
    expect(readBack).toEqual(expect.arrayContaining(['v1', amd64.descriptor.digest, arm64.descriptor.digest]));
  });

  test('a child in another repository of the same registry is mounted, not uploaded', async () => {
    await pushLayout(amd64, { registry: basic, repository: 'staging/app' });
    await basic.settle();
    basic.reset();
    const recordsPath = await writeRecords([
      { layout: amd64, platform: { os: 'linux', architecture: 'amd64' }, images: [`${basic.host}/staging/app`] },
    ]);
    const run = await runMerge(
      { images: `${basic.host}/staging/app,${basic.host}/release/app`, tags: 'v1', 'records-path': recordsPath },
      { dockerConfig: await dockerConfigFor([{ registry: basic }]) },
    );
    expect(run.error).toBeUndefined();
    expect(run.outcome?.results.map((result) => result.error)).toEqual([undefined, undefined]);
    await basic.settle();
    const writes = basic.writes().filter((entry) => entry.path.startsWith('/v2/release/app/'));
    expect(writes.filter((entry) => entry.method === 'POST' && entry.status === 201)).toHaveLength(2); // config + layer mounted
    expect(writes.filter((entry) => entry.method === 'PUT' && entry.path.includes('/blobs/'))).toHaveLength(0);
    const resolved = await inspectForPlatform(`${basic.host}/release/app:v1`, linux[0], { user: basic.reader });
    expect(resolved.digest).toBe(amd64.descriptor.digest);
  });
});

describe('the index media type', () => {
  test.each([
    [
      'no annotation asked for: a Docker manifest list',
      '',
      'application/vnd.docker.distribution.manifest.list.v2+json',
    ],
    [
      'an annotation asked for: an OCI index, so it is not dropped',
      'index:org.example.k=v',
      'application/vnd.oci.image.index.v1+json',
    ],
  ])('Docker-format children with %s', async (_case, annotations, mediaType) => {
    const [dockerAmd64, dockerArm64] = await Promise.all([
      buildImage('linux/amd64', { format: 'docker' }),
      buildImage('linux/arm64', { format: 'docker' }),
    ]);
    const image = `${open.host}/docker-format/app`;
    for (const layout of [dockerAmd64, dockerArm64])
      await pushLayout(layout, { registry: open, repository: 'docker-format/app' });
    const recordsPath = await writeRecords([
      { layout: dockerAmd64, platform: { os: 'linux', architecture: 'amd64' }, images: [image] },
      { layout: dockerArm64, platform: { os: 'linux', architecture: 'arm64' }, images: [image] },
    ]);
    const run = await runMerge({ images: image, tags: 'v1', annotations, 'records-path': recordsPath });
    expect(run.error).toBeUndefined();
    const { json } = await inspectRaw(`${image}:v1`);
    expect(json.mediaType).toBe(mediaType);
    expect(json.manifests.map((child: { mediaType: string }) => child.mediaType)).toEqual([
      'application/vnd.docker.distribution.manifest.v2+json',
      'application/vnd.docker.distribution.manifest.v2+json',
    ]);
    const resolved = await inspectForPlatform(`${image}:v1`, linux[1]);
    expect(resolved.digest).toBe(dockerArm64.descriptor.digest);
  });
});

describe('attestations: drop', () => {
  test('publishes the platform images only, in both BuildKit layouts, and copies no attestation', async () => {
    const [current, older] = await Promise.all([
      writeAttestedIndex('linux/amd64', { attestationLayout: 'oci-artifact' }),
      writeAttestedIndex('linux/arm64', { attestationLayout: 'image-manifest' }),
    ]);
    const source = `${open.host}/attested/app`;
    const target = `${token.host}/dropped/app`;
    for (const layout of [current, older]) await pushLayout(layout, { registry: open, repository: 'attested/app' });
    const recordsPath = await writeRecords([
      { layout: current, platform: linux[0], images: [source] },
      { layout: older, platform: linux[1], images: [source] },
    ]);
    await token.settle();
    token.reset();
    const run = await runMerge(
      { images: `${source},${target}`, tags: 'v1', attestations: 'drop', 'records-path': recordsPath },
      { dockerConfig: await dockerConfigFor([{ registry: token }]) },
    );
    expect(run.error).toBeUndefined();
    expect(run.outcome?.results.map((result) => result.error)).toEqual([undefined, undefined]);
    const index = (await inspectRaw(`${target}:v1`, { user: token.reader })).json;
    expect(index.manifests.map((entry: { platform: object }) => entry.platform)).toEqual([linux[0], linux[1]]);
    await token.settle();
    // Two images copied (manifest each) and one tag: nothing else was written as a manifest.
    const manifestPuts = token.writes().filter((entry) => entry.method === 'PUT' && entry.path.includes('/manifests/'));
    expect(manifestPuts).toHaveLength(3);
  });
});
