import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { UserErrors } from '../../../src/errors.js';
import type { Platform } from '../../../src/oci/descriptor.js';
import { createRecord } from '../../../src/records/record.js';
import { buildImage, pushLayout, removeImages } from '../../support/images.js';
import { writeBlob, writeJsonBlob, writeLayoutIndex, type OciLayout } from '../../support/layout.js';
import { MediaType } from '../../../src/oci/mediatype.js';
import { dockerConfigFor, writeRecords, type RecordSpec } from '../../support/merge-fixture.js';
import { startEveryAuthMode, type TestRegistry } from '../../support/registry.js';
import { inspectRaw } from '../../support/skopeo.js';
import { expectRefusal, expectRefusedBeforeWrites, observeMerge, writeRecordFiles } from '../../support/refusal.js';

const repository = 'team/app';
const amd64Platform: Platform = { os: 'linux', architecture: 'amd64' };
const arm64Platform: Platform = { os: 'linux', architecture: 'arm64' };

let open: TestRegistry;
let basic: TestRegistry;
let token: TestRegistry;
let registries: TestRegistry[];
let dockerConfig: string;
let amd64: OciLayout;
let arm64: OciLayout;
let otherAmd64: OciLayout;
let arm64v8: OciLayout;
let neverPushed: OciLayout;
let onlyInOpen: OciLayout;

beforeAll(async () => {
  [open, basic, token] = await startEveryAuthMode();
  registries = [open, basic, token];
  [amd64, arm64, otherAmd64, arm64v8, neverPushed, onlyInOpen] = await Promise.all([
    buildImage('linux/amd64'),
    buildImage('linux/arm64'),
    buildImage('linux/amd64', { content: 'a second amd64 build' }),
    buildImage('linux/arm64', { content: 'recorded as arm64/v8' }),
    buildImage('linux/arm64', { content: 'never pushed' }),
    buildImage('linux/amd64', { content: 'only in the open registry' }),
  ]);
  await Promise.all([
    ...registries.map(async (registry) => {
      for (const layout of [amd64, arm64, otherAmd64, arm64v8]) await pushLayout(layout, { registry, repository });
    }),
    pushLayout(onlyInOpen, { registry: open, repository: 'left/app' }),
  ]);
  dockerConfig = await dockerConfigFor(registries.map((registry) => ({ registry })));
});

afterAll(async () => {
  await Promise.all(registries.map((registry) => registry.stop()));
  await removeImages();
});

const allImages = () => registries.map((registry) => `${registry.host}/${repository}`);
const otherImage = () => `${open.host}/other/app`;

function recordJson(layout: OciLayout, platform: Platform, changes: Record<string, unknown> = {}): string {
  const { digest, mediaType, size } = layout.descriptor;
  return JSON.stringify({ ...createRecord({ digest, mediaType, size, platform, images: allImages() }), ...changes });
}

function mergeAll(inputs: Readonly<Record<string, string>>) {
  return observeMerge(registries, { images: allImages().join(','), tags: 'v1', ...inputs }, { dockerConfig });
}

describe('records the merge cannot use are refused by file name before any write', () => {
  test.each([
    {
      behaviour: 'a record whose digest is not a digest',
      files: () => ({ 'amd64.json': recordJson(amd64, amd64Platform, { digest: 'sha256:xyz' }) }),
      quoted: ['sha256:xyz'],
      mentions: ['"digest"'],
      fix: /Re-run the build job that wrote it/,
    },
    {
      behaviour: 'a JSON file that is not a digest record',
      files: () => ({ 'amd64.json': '{"hello":1}' }),
      quoted: ['multiarch-publish/digest-record'],
      mentions: ['is not a multiarch-publish digest record'],
      fix: /Keep only the build jobs' digest records/,
    },
    {
      behaviour: 'a record of another image',
      files: () => ({ 'amd64.json': recordJson(amd64, amd64Platform, { images: [otherImage()] }) }),
      quoted: [],
      mentions: [],
      fix: /Remove records of other images from records-path/,
    },
  ])('$behaviour', async ({ behaviour, files, quoted, mentions, fix }) => {
    const records = await writeRecordFiles({ ...files(), 'arm64.json': recordJson(arm64, arm64Platform) });
    const observed = await mergeAll({ 'records-path': records.dir });
    // The other image's name is only known once the registries run.
    const isForeign = behaviour === 'a record of another image';
    expectRefusedBeforeWrites(observed, {
      subject: records.path('amd64.json'),
      quoted: isForeign ? [otherImage()] : quoted,
      mentions: isForeign ? allImages() : mentions,
      fix,
    });
  });
});

describe('inputs are refused by name, quoting the bad value, before any write', () => {
  test.each([
    { behaviour: 'an unknown platform', inputs: { platforms: 'linux/amd64,linux/amd65' }, quoted: ['linux/amd65'] },
    { behaviour: 'a platform without an architecture', inputs: { platforms: 'linux' }, quoted: ['linux'] },
  ])('rejects $behaviour in platforms', async ({ inputs, quoted }) => {
    const records = await writeRecords([{ layout: amd64, platform: amd64Platform, images: allImages() }]);
    const observed = await mergeAll({ ...inputs, 'records-path': records });
    expectRefusedBeforeWrites(observed, { subject: 'platforms', quoted, fix: /os\/architecture\[\/variant\]/ });
  });

  test.each(['v1 beta', '-bad', 'a'.repeat(129)])('rejects the tag %j with illegal characters', async (tag) => {
    const records = await writeRecords([{ layout: amd64, platform: amd64Platform, images: allImages() }]);
    const observed = await mergeAll({ tags: `v1,${tag}`, 'records-path': records });
    expectRefusedBeforeWrites(observed, { subject: 'tags', quoted: [tag], fix: /^Fix the tag/ });
  });

  test.each(['', ' , \n '])('rejects empty tags (%j)', async (tags) => {
    const records = await writeRecords([{ layout: amd64, platform: amd64Platform, images: allImages() }]);
    const observed = await mergeAll({ tags, 'records-path': records });
    expectRefusedBeforeWrites(observed, { subject: 'tags', mentions: ['is empty'], fix: /List the tags/ });
  });

  test.each([
    { image: 'host/app:1', repository: 'docker.io/host/app', tag: '1' },
    { image: '127.0.0.1:5000/team/app:latest', repository: '127.0.0.1:5000/team/app', tag: 'latest' },
  ])('rejects the image $image that has a tag in it', async ({ image, repository: written, tag }) => {
    const records = await writeRecords([{ layout: amd64, platform: amd64Platform, images: allImages() }]);
    const observed = await mergeAll({ images: `${allImages()[0]},${image}`, 'records-path': records });
    const error = expectRefusedBeforeWrites(observed, {
      subject: 'images',
      quoted: [image, tag],
      fix: /in the merge step.s `tags`/,
    });
    expect(error.fix).toContain(JSON.stringify(written));
  });
});

describe('platforms that do not add up are refused before any write', () => {
  test.each([
    {
      behaviour: 'two images recorded as linux/amd64',
      first: () => ({ layout: amd64, platform: amd64Platform }),
      second: () => ({ layout: otherAmd64, platform: amd64Platform }),
    },
    {
      behaviour: 'linux/arm64 and linux/arm64/v8, which are one platform',
      first: () => ({ layout: arm64, platform: arm64Platform }),
      second: () => ({ layout: arm64v8, platform: { ...arm64Platform, variant: 'v8' } }),
    },
  ])('rejects $behaviour', async ({ first, second }) => {
    const specs: RecordSpec[] = [first(), second()].map((spec) => ({ ...spec, images: allImages() }));
    const records = await writeRecords(specs);
    const observed = await mergeAll({ 'records-path': records });
    expectRefusedBeforeWrites(observed, {
      subject: 'records-path',
      quoted: specs.map((spec) => spec.layout.descriptor.digest),
      mentions: ['has 2 different images', join(records, 'record-0.json'), join(records, 'record-1.json')],
      fix: /Keep one record per platform/,
    });
  });

  test('rejects an expected platform that no record has, naming the build job and allow-partial', async () => {
    const records = await writeRecords([{ layout: amd64, platform: amd64Platform, images: allImages() }]);
    const observed = await mergeAll({ platforms: 'linux/amd64,linux/arm64', 'records-path': records });
    expectRefusedBeforeWrites(observed, {
      subject: 'platforms',
      mentions: ['linux/arm64 is expected but no record has it (found linux/amd64)'],
      fix: /Check the arm64 build job, or set allow-partial: true/,
    });
  });

  test('with allow-partial: true publishes the platforms found and warns about the missing one', async () => {
    const records = await writeRecords([{ layout: amd64, platform: amd64Platform, images: allImages() }]);
    const observed = await mergeAll({
      platforms: 'linux/amd64,linux/arm64',
      'allow-partial': 'true',
      tags: 'partial',
      'records-path': records,
    });
    expect(observed.run.error).toBeUndefined();
    expect(observed.run.outcome?.results.map((result) => result.error)).toEqual([undefined, undefined, undefined]);
    expect(observed.run.outcome?.warnings).toEqual([
      expect.stringContaining('linux/arm64 is expected but no record has it (found linux/amd64)'),
    ]);
    for (const writes of observed.writes) expect(writes.length).toBeGreaterThan(0);
    const { json } = await inspectRaw(`${token.host}/${repository}:partial`, { user: token.reader });
    expect(json.manifests.map((child: { digest: string }) => child.digest)).toEqual([amd64.descriptor.digest]);
  });
});

describe('a child that a record says was pushed but no registry holds', () => {
  test.each(['none', 'basic', 'token'] as const)(
    'is refused before any write, naming the image and the record (%s auth)',
    async (auth) => {
      const registry = registries.find((candidate) => candidate.auth === auth) as TestRegistry;
      const image = `${registry.host}/${repository}`;
      const records = await writeRecords([
        { layout: amd64, platform: amd64Platform, images: [image] },
        { layout: neverPushed, platform: arm64Platform, images: [image] },
      ]);
      const observed = await observeMerge(
        registries,
        { images: image, tags: 'v1', 'records-path': records },
        {
          dockerConfig,
        },
      );
      expectRefusedBeforeWrites(observed, {
        subject: image,
        mentions: [neverPushed.descriptor.digest, join(records, 'record-1.json'), 'linux/arm64 image'],
        fix: /pushed it here/,
      });
    },
  );

  test('is refused before anything else is copied, when every repository its record names lacks it', async () => {
    const [left, right] = [`${open.host}/left/app`, `${basic.host}/right/app`];
    const records = await writeRecords([
      // Present in `left` only: without the missing child, `right` would get a copy of it.
      { layout: onlyInOpen, platform: amd64Platform, images: [left, right] },
      { layout: neverPushed, platform: arm64Platform, images: [left, right] },
    ]);
    const observed = await observeMerge(
      registries,
      { images: `${left},${right}`, tags: 'v1', 'records-path': records },
      {
        dockerConfig,
      },
    );
    expect(observed.writes).toEqual([[], [], []]);
    expect(observed.run.error).toBeInstanceOf(UserErrors);
    const errors = (observed.run.error as UserErrors).errors;
    expect(errors.map((error) => error.subject)).toEqual([left, right]);
    expectRefusal(errors[0], { subject: left, mentions: [neverPushed.descriptor.digest, right], fix: /pushed it/ });
    expectRefusal(errors[1], { subject: right, mentions: [neverPushed.descriptor.digest, left], fix: /pushed it/ });
  });
});

describe("what a target's registry family refuses is found before any write", () => {
  /** An image with an attestation whose SBOM layer names a media type with a parameter (aws/containers-roadmap#2306). */
  async function attestedWithParameter(): Promise<OciLayout> {
    const image = await buildImage('linux/amd64', { content: 'attested with a parameter' });
    const dir = image.dir;
    const empty = await writeBlob(dir, 'application/vnd.oci.empty.v1+json', Buffer.from('{}'));
    const sbom = await writeJsonBlob(dir, 'application/vnd.cyclonedx+json;version=1.5', { bomFormat: 'CycloneDX' });
    const imageDescriptor = { ...image.descriptor, platform: undefined };
    const attestation = await writeJsonBlob(dir, MediaType.ociManifest, {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      artifactType: 'application/vnd.docker.attestation.manifest.v1+json',
      config: empty,
      layers: [sbom],
      subject: { mediaType: imageDescriptor.mediaType, digest: imageDescriptor.digest, size: imageDescriptor.size },
    });
    const index = await writeJsonBlob(dir, MediaType.ociIndex, {
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [
        {
          mediaType: image.descriptor.mediaType,
          digest: image.descriptor.digest,
          size: image.descriptor.size,
          platform: amd64Platform,
        },
        {
          ...attestation,
          annotations: {
            'vnd.docker.reference.digest': image.descriptor.digest,
            'vnd.docker.reference.type': 'attestation-manifest',
          },
          platform: { architecture: 'unknown', os: 'unknown' },
        },
      ],
    });
    return writeLayoutIndex(dir, image.name, index);
  }

  test.each([
    ['keep', 'refused before any write, naming the attestation, the media type and attestations: drop'],
    ['drop', 'published: the images alone carry no parameter'],
  ])('an attestation with a media-type parameter copied into ECR, attestations: %s, is %s', async (attestations) => {
    const layout = await attestedWithParameter();
    await pushLayout(layout, { registry: open, repository: 'params/app' });
    const [source, ecr] = [`${open.host}/params/app`, `${token.host}/params/app`];
    const records = await writeRecords([{ layout, platform: amd64Platform, images: [source] }]);
    const observed = await observeMerge(
      registries,
      { images: `${source},${ecr}`, tags: 'v1', attestations, 'records-path': records },
      { dockerConfig, families: { [token.host]: 'ecr' } },
    );
    if (attestations === 'drop') {
      expect(observed.run.error).toBeUndefined();
      expect(observed.run.outcome?.results.map((result) => result.error)).toEqual([undefined, undefined]);
      return;
    }
    expectRefusedBeforeWrites(observed, {
      subject: ecr,
      mentions: ['the attestation manifest', '"application/vnd.cyclonedx+json;version=1.5"', 'Amazon ECR'],
      fix: /attestations: drop/,
    });
  });
});
