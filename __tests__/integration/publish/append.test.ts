import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { UserError } from '../../../src/errors.js';
import { buildImage, pushLayout, removeImages, writeAttestedIndex } from '../../support/images.js';
import type { OciLayout } from '../../support/layout.js';
import { runMerge, writeRecords, type RecordSpec } from '../../support/merge-fixture.js';
import { startRegistry, type TestRegistry } from '../../support/registry.js';
import { inspectForPlatform, inspectRaw } from '../../support/skopeo.js';

/** `append: true` against a real registry: what a tag holds is kept, the records' platforms added or replaced. */
let open: TestRegistry;
let other: TestRegistry;
let amd64: OciLayout;
let arm64Attested: OciLayout;
let armv7: OciLayout;
let arm64Rebuilt: OciLayout;
const image = () => `${open.host}/append/app`;
const platformOf = {
  amd64: { os: 'linux', architecture: 'amd64' },
  arm64: { os: 'linux', architecture: 'arm64' },
  armv7: { os: 'linux', architecture: 'arm', variant: 'v7' },
};

beforeAll(async () => {
  [open, other] = await Promise.all([startRegistry({ auth: 'none' }), startRegistry({ auth: 'none' })]);
  [amd64, arm64Attested, armv7, arm64Rebuilt] = await Promise.all([
    buildImage('linux/amd64'),
    writeAttestedIndex('linux/arm64'),
    buildImage('linux/arm/v7'),
    buildImage('linux/arm64', { content: 'rebuilt' }),
  ]);
  for (const layout of [amd64, arm64Attested, armv7, arm64Rebuilt]) {
    await pushLayout(layout, { registry: open, repository: 'append/app' });
  }
});

afterAll(async () => {
  await Promise.all([open.stop(), other.stop()]);
  await removeImages();
});

async function merge(tags: string, specs: readonly Omit<RecordSpec, 'images'>[], extra: Record<string, string> = {}) {
  const recordsPath = await writeRecords(specs.map((spec) => ({ ...spec, images: [image()] })));
  return runMerge({ images: image(), tags, 'records-path': recordsPath, append: 'true', ...extra });
}

async function entriesUnder(reference: string): Promise<{ digest: string; platform?: { architecture: string } }[]> {
  return (await inspectRaw(reference)).json.manifests;
}

describe('append: true', () => {
  test('creates a tag that does not exist yet', async () => {
    const run = await merge('base', [
      { layout: amd64, platform: platformOf.amd64 },
      { layout: arm64Attested, platform: platformOf.arm64 },
    ]);
    expect(run.error).toBeUndefined();
    expect(await entriesUnder(`${image()}:base`)).toHaveLength(3); // two images and arm64's attestation
  });

  test('adds a platform and keeps every other platform and its attestation', async () => {
    await merge('grow', [
      { layout: amd64, platform: platformOf.amd64 },
      { layout: arm64Attested, platform: platformOf.arm64 },
    ]);
    const run = await merge('grow', [{ layout: armv7, platform: platformOf.armv7 }]);
    expect(run.error).toBeUndefined();
    const entries = await entriesUnder(`${image()}:grow`);
    expect(entries.map((entry) => entry.platform?.architecture).sort()).toEqual(['amd64', 'arm', 'arm64', 'unknown']);
    for (const [layout, platform] of [
      [amd64, platformOf.amd64],
      [armv7, platformOf.armv7],
    ] as const) {
      expect((await inspectForPlatform(`${image()}:grow`, platform)).digest).toBe(layout.descriptor.digest);
    }
  });

  test('replaces a platform the tag already has, never duplicating it, and drops the replaced image’s attestation', async () => {
    await merge('swap', [
      { layout: amd64, platform: platformOf.amd64 },
      { layout: arm64Attested, platform: platformOf.arm64 },
    ]);
    const run = await merge('swap', [{ layout: arm64Rebuilt, platform: platformOf.arm64 }]);
    expect(run.error).toBeUndefined();
    const entries = await entriesUnder(`${image()}:swap`);
    expect(entries.map((entry) => entry.platform?.architecture).sort()).toEqual(['amd64', 'arm64']);
    expect((await inspectForPlatform(`${image()}:swap`, platformOf.arm64)).digest).toBe(arm64Rebuilt.descriptor.digest);
  });

  test('keeps a tag that holds a single image, as the platform its config states', async () => {
    await runMerge({
      images: image(),
      tags: 'single',
      'records-path': await writeRecords([{ layout: amd64, platform: platformOf.amd64, images: [image()] }]),
    });
    // A one-entry index is what the merge writes; make the tag a plain image manifest as `docker push` would.
    const { bytes } = await inspectRaw(`${image()}@${amd64.descriptor.digest}`);
    await pushRawManifest(`${image()}:single`, bytes, amd64.descriptor.mediaType);
    const run = await merge('single', [{ layout: armv7, platform: platformOf.armv7 }]);
    expect(run.error).toBeUndefined();
    const entries = await entriesUnder(`${image()}:single`);
    expect(entries.map((entry) => entry.platform?.architecture).sort()).toEqual(['amd64', 'arm']);
  });

  test('checks platforms against the index that results: what the tag keeps counts, and must be listed', async () => {
    await merge('listed', [{ layout: amd64, platform: platformOf.amd64 }]);
    const complete = await merge('listed', [{ layout: armv7, platform: platformOf.armv7 }], {
      platforms: 'linux/amd64,linux/arm/v7',
    });
    expect(complete.error).toBeUndefined();
    const unlisted = await merge('listed', [{ layout: armv7, platform: platformOf.armv7 }], {
      platforms: 'linux/arm/v7',
    });
    expect(unlisted.error).toBeInstanceOf(UserError);
    expect((unlisted.error as UserError).problem).toContain('linux/amd64');
    expect((unlisted.error as UserError).problem).toContain('not expected');
  });

  test('refuses tags that hold different images for a platform the records leave alone, before any write', async () => {
    await merge('one', [{ layout: arm64Attested, platform: platformOf.arm64 }]);
    await merge('two', [{ layout: arm64Rebuilt, platform: platformOf.arm64 }]);
    await open.settle();
    open.reset();
    const run = await merge('one,two', [{ layout: amd64, platform: platformOf.amd64 }]);
    expect(run.error).toBeInstanceOf(UserError);
    const error = run.error as UserError;
    expect(error.subject).toBe('append');
    expect(error.problem).toContain('the tags hold different images for linux/arm64');
    await open.settle();
    expect(open.writes()).toEqual([]);
  });
});

async function pushRawManifest(reference: string, bytes: Buffer, mediaType: string): Promise<void> {
  const [host, ...rest] = reference.split('/');
  const [path, tag] = rest.join('/').split(':');
  const response = await fetch(`http://${host}/v2/${path}/manifests/${tag}`, {
    method: 'PUT',
    headers: { 'content-type': mediaType },
    body: bytes,
  });
  expect(response.status).toBe(201);
}
