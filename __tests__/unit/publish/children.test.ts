import { UserError } from '../../../src/errors.js';
import { collectChildren } from '../../../src/publish/children.js';
import type { Descriptor, Platform } from '../../../src/oci/descriptor.js';
import { MediaType } from '../../../src/oci/mediatype.js';
import { formatPlatform } from '../../../src/oci/platform.js';
import {
  attestationDescriptor,
  buildxRecord,
  digestOf,
  ghcr,
  hub,
  imageDescriptor,
  imageRecord,
  indexRecord,
  noAnnotations,
  platform,
  resolved,
  userErrorFrom,
} from '../../fixtures/merge/records.js';
import type { DescriptorAnnotation, PlatformOverride, ResolvedRecord, Child } from '../../../src/publish/types.js';

const amd64 = buildxRecord('amd64', 'records/amd64.json');
const arm64 = buildxRecord('arm64', 'records/arm64.json', { images: [hub] });

function entriesOf(record: ResolvedRecord): { image: Descriptor; attestation: Descriptor } {
  const [image, attestation] = record.index?.manifests ?? [];
  if (image === undefined || attestation === undefined)
    throw new Error('fixture index needs an image and an attestation');
  return { image, attestation };
}

const amd64Entries = entriesOf(amd64);
const arm64Entries = entriesOf(arm64);

function collect(
  records: readonly ResolvedRecord[],
  options: { overrides?: readonly PlatformOverride[]; descriptors?: readonly DescriptorAnnotation[] } = {},
): Child[] {
  return collectChildren(records, {
    overrides: options.overrides ?? [],
    annotations: { index: {}, descriptors: options.descriptors ?? [] },
  });
}

function imagePlatforms(children: readonly Child[]): string[] {
  return children.filter((child) => child.kind === 'image').map((child) => formatPlatform(child.descriptor.platform!));
}

describe('collectChildren: the entries each record contributes', () => {
  test.each<[string, readonly ResolvedRecord[], readonly Child[]]>([
    [
      'an image-manifest record gives one image with the recorded platform',
      [imageRecord('a.json', 'linux/amd64')],
      [
        {
          descriptor: {
            mediaType: MediaType.ociManifest,
            digest: digestOf('image linux/amd64'),
            size: 500 + 'image linux/amd64'.length,
            platform: { os: 'linux', architecture: 'amd64' },
          },
          kind: 'image',
          sources: ['a.json'],
          foundIn: [ghcr],
        },
      ],
    ],
    [
      'a buildx index record gives its image, then its attestation exactly as the index lists it',
      [amd64],
      [
        {
          descriptor: { ...amd64Entries.image, platform: { os: 'linux', architecture: 'amd64' } },
          kind: 'image',
          sources: ['records/amd64.json'],
          foundIn: [ghcr],
        },
        { descriptor: amd64Entries.attestation, kind: 'attestation', sources: ['records/amd64.json'], foundIn: [ghcr] },
      ],
    ],
    [
      'arm64/v8 in the pushed index agrees with an arm64 record and stays arm64/v8, as the builder wrote it',
      [arm64],
      [
        {
          descriptor: { ...arm64Entries.image, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
          kind: 'image',
          sources: ['records/arm64.json'],
          foundIn: [hub],
        },
        { descriptor: arm64Entries.attestation, kind: 'attestation', sources: ['records/arm64.json'], foundIn: [hub] },
      ],
    ],
  ])('%s', (_name, records, expected) => {
    expect(collect(records)).toEqual(expected);
  });

  test('keeps the attestation annotations and its unknown/unknown platform', () => {
    const attestation = collect([amd64]).find((child) => child.kind === 'attestation');
    expect(attestation?.descriptor.platform).toEqual({ os: 'unknown', architecture: 'unknown' });
    expect(attestation?.descriptor.annotations).toEqual({
      'vnd.docker.reference.digest': amd64Entries.image.digest,
      'vnd.docker.reference.type': 'attestation-manifest',
    });
  });

  test.each<[string, ResolvedRecord, Platform]>([
    [
      'linux/arm stays linux/arm: normalised to compare, never rewritten',
      imageRecord('a.json', 'linux/arm'),
      platform('linux/arm'),
    ],
    ['arm64/v8 keeps its variant', imageRecord('a.json', 'linux/arm64/v8'), platform('linux/arm64/v8')],
    ['aarch64 is written as the record states it', imageRecord('a.json', 'linux/aarch64'), platform('linux/aarch64')],
    [
      'a Windows record keeps os.version and os.features',
      imageRecord('w.json', 'windows(10.0.20348.2322+win32k)/amd64'),
      { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.2322', 'os.features': ['win32k'] },
    ],
    [
      'a Windows os.version the record lacks is taken from the pushed index',
      indexRecord('w.json', 'windows/amd64', [
        imageDescriptor('win', 'windows(10.0.17763.5458)/amd64'),
        attestationDescriptor('win provenance', digestOf('win')),
      ]),
      { os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763.5458' },
    ],
  ])('%s', (_name, record, expected) => {
    const [image] = collect([record]);
    expect(image?.descriptor.platform).toEqual(expected);
  });

  test('orders images by platform, then attestations, whatever the order of the records', () => {
    const records = [arm64, imageRecord('s.json', 'linux/s390x'), amd64];
    const children = collect(records);
    expect(children.map((child) => child.kind)).toEqual(['image', 'image', 'image', 'attestation', 'attestation']);
    expect(imagePlatforms(children)).toEqual(['linux/amd64', 'linux/arm64/v8', 'linux/s390x']);
    expect(collect([...records].reverse())).toEqual(children);
    expect(collect([records[1]!, records[0]!, records[2]!])).toEqual(children);
  });
});

describe('collectChildren: identical records', () => {
  test('a record written twice gives each entry once, with both sources and all repositories', () => {
    const again = buildxRecord('amd64', 'records/rerun/amd64.json', { images: [hub, ghcr] });
    const children = collect([amd64, again]);
    expect(children).toHaveLength(2);
    for (const child of children) {
      expect(child.sources).toEqual(['records/amd64.json', 'records/rerun/amd64.json']);
      expect(child.foundIn).toEqual([hub, ghcr].sort());
    }
  });

  test('the same image recorded bare and inside an index is one image entry', () => {
    const bare = resolved('bare.json', { ...amd64Entries.image, platform: 'linux/amd64' });
    const children = collect([bare, amd64]);
    expect(children.map((child) => [child.kind, child.descriptor.digest, child.sources])).toEqual([
      ['image', amd64Entries.image.digest, ['bare.json', 'records/amd64.json']],
      ['attestation', amd64Entries.attestation.digest, ['records/amd64.json']],
    ]);
  });
});

describe('collectChildren: platform overrides', () => {
  const arm = imageRecord('arm.json', 'linux/arm');
  const mislabelled = indexRecord('m.json', 'linux/amd64', [imageDescriptor('really arm64', 'linux/arm64')]);
  test.each<[string, readonly ResolvedRecord[], PlatformOverride, readonly string[]]>([
    [
      'an override by the record digest of an image manifest',
      [arm, amd64],
      { match: { digest: arm.sourced.record.digest }, platform: platform('linux/arm/v6') },
      ['linux/amd64', 'linux/arm/v6'],
    ],
    [
      "an override by an index record's digest",
      [amd64],
      { match: { digest: amd64.sourced.record.digest }, platform: platform('linux/amd64/v3') },
      ['linux/amd64/v3'],
    ],
    [
      'an override by the digest of the image inside an index record',
      [amd64, arm64],
      { match: { digest: amd64Entries.image.digest }, platform: platform('linux/amd64/v2') },
      ['linux/amd64/v2', 'linux/arm64/v8'],
    ],
    [
      'an override by platform, arm matching a record of arm',
      [arm],
      { match: { platform: platform('linux/arm') }, platform: platform('linux/arm/v6') },
      ['linux/arm/v6'],
    ],
    [
      'an override by platform, arm64/v8 matching a record of arm64',
      [arm64],
      { match: { platform: platform('linux/arm64/v8') }, platform: platform('linux/arm64/v9') },
      ['linux/arm64/v9'],
    ],
    [
      'an override settles a record whose pushed index disagrees with it',
      [mislabelled],
      { match: { digest: mislabelled.sourced.record.digest }, platform: platform('linux/arm64') },
      ['linux/arm64'],
    ],
  ])('%s', (_name, records, override, expected) => {
    expect(imagePlatforms(collect(records, { overrides: [override] }))).toEqual(expected);
  });
});

describe('collectChildren: descriptor annotations', () => {
  const records = [amd64, arm64];
  const everywhere = { key: 'org.example.tier', value: 'all' };
  test.each<[string, readonly DescriptorAnnotation[], Record<string, Record<string, string> | undefined>]>([
    [
      'one without a platform goes on every image, never on attestations',
      [everywhere],
      {
        [amd64Entries.image.digest]: { 'org.example.tier': 'all' },
        [arm64Entries.image.digest]: { 'org.example.tier': 'all' },
        [amd64Entries.attestation.digest]: amd64Entries.attestation.annotations,
        [arm64Entries.attestation.digest]: arm64Entries.attestation.annotations,
      },
    ],
    [
      'one for arm64/v8 goes on the arm64 image only',
      [{ platform: platform('linux/arm64/v8'), key: 'org.example.cpu', value: 'neoverse' }],
      {
        [amd64Entries.image.digest]: undefined,
        [arm64Entries.image.digest]: { 'org.example.cpu': 'neoverse' },
      },
    ],
    [
      'one for a platform wins over one for every platform, whichever came first',
      [{ platform: platform('linux/amd64'), key: 'org.example.tier', value: 'amd64' }, everywhere],
      {
        [amd64Entries.image.digest]: { 'org.example.tier': 'amd64' },
        [arm64Entries.image.digest]: { 'org.example.tier': 'all' },
      },
    ],
  ])('%s', (_name, descriptors, expected) => {
    const children = collect(records, { descriptors });
    const annotations = Object.fromEntries(
      children.map((child) => [child.descriptor.digest, child.descriptor.annotations]),
    );
    for (const digest of Object.keys(expected)) expect(annotations[digest]).toEqual(expected[digest]);
  });

  test('adds to the annotations the pushed index already gives the image', () => {
    const annotated = { ...imageDescriptor('annotated', 'linux/amd64'), annotations: { 'org.example.built': 'yes' } };
    const [image] = collect([indexRecord('a.json', 'linux/amd64', [annotated])], { descriptors: [everywhere] });
    expect(image?.descriptor.annotations).toEqual({ 'org.example.built': 'yes', 'org.example.tier': 'all' });
  });
});

describe('collectChildren: refusals', () => {
  const twoImages = indexRecord('two.json', 'linux/amd64', [
    imageDescriptor('one', 'linux/amd64'),
    imageDescriptor('two', 'linux/arm64'),
  ]);
  const attestationOnly = indexRecord('none.json', 'linux/amd64', [attestationDescriptor('prov', digestOf('x'))]);
  const nested: Descriptor = { mediaType: MediaType.ociIndex, digest: digestOf('nested'), size: 300 };
  const withNested = indexRecord('nested.json', 'linux/amd64', [imageDescriptor('one', 'linux/amd64'), nested]);
  const conflicting = indexRecord('c.json', 'linux/amd64', [imageDescriptor('really arm64', 'linux/arm64')]);
  const arm = imageRecord('arm.json', 'linux/arm');
  test.each<[string, () => unknown, string, readonly string[], string]>([
    [
      'an index record with two platform images',
      () => collect([twoImages]),
      'two.json',
      [
        `"${twoImages.sourced.record.digest}" is an index with 2 platform images (linux/amd64, linux/arm64); a digest record holds one platform.`,
      ],
      'one platform per build job',
    ],
    [
      'an index record with no platform image',
      () => collect([attestationOnly]),
      'none.json',
      [`"${attestationOnly.sourced.record.digest}" is an index with 0 platform images;`],
      'one platform per build job',
    ],
    [
      'an index record with an entry that is neither its image nor an attestation',
      () => collect([withNested]),
      'nested.json',
      [`"${withNested.sourced.record.digest}"`, `"${nested.digest}" (${MediaType.ociIndex})`],
      'at most its BuildKit attestations',
    ],
    [
      'a record whose pushed index gives its image another platform',
      () => collect([conflicting]),
      'c.json',
      ['"linux/amd64"', '"linux/arm64"', `"${conflicting.sourced.record.digest}"`, `"${digestOf('really arm64')}"`],
      `platform-overrides: ${digestOf('really arm64')}=linux/arm64`,
    ],
    [
      'a Windows record whose pushed index names another build',
      () =>
        collect([
          indexRecord('w.json', 'windows(10.0.20348.1)/amd64', [imageDescriptor('win', 'windows(10.0.17763.9)/amd64')]),
        ]),
      'w.json',
      ['"windows(10.0.20348.1)/amd64"', '"windows(10.0.17763.9)/amd64"'],
      'platform-overrides',
    ],
    [
      'an override by a digest no record has',
      () =>
        collect([amd64], { overrides: [{ match: { digest: digestOf('gone') }, platform: platform('linux/arm64') }] }),
      'platform-overrides',
      [`"${digestOf('gone')}=linux/arm64" matches no record`, `linux/amd64 ${amd64Entries.image.digest}`],
      'remove the override',
    ],
    [
      'overrides by a platform no record has, all named at once',
      () =>
        collect([amd64], {
          overrides: [
            { match: { platform: platform('linux/arm') }, platform: platform('linux/arm/v6') },
            { match: { platform: platform('linux/386') }, platform: platform('linux/amd64') },
          ],
        }),
      'platform-overrides',
      ['"linux/arm=linux/arm/v6", "linux/386=linux/amd64" match no record'],
      'remove the override',
    ],
    [
      'two overrides matching one record',
      () =>
        collect([arm], {
          overrides: [
            { match: { platform: platform('linux/arm/v7') }, platform: platform('linux/arm/v6') },
            { match: { digest: arm.sourced.record.digest }, platform: platform('linux/arm/v5') },
          ],
        }),
      'platform-overrides',
      [
        '"linux/arm/v7=linux/arm/v6" and',
        `"${arm.sourced.record.digest}=linux/arm/v5" all match the record "arm.json"`,
      ],
      'Keep one override',
    ],
    [
      'a descriptor annotation for a platform no record has',
      () => collect([amd64, arm64], { descriptors: [{ platform: platform('linux/s390x'), key: 'k', value: 'v' }] }),
      'annotations',
      ['"manifest-descriptor[linux/s390x]:k=v" names a platform no record has (found linux/amd64, linux/arm64/v8)'],
      'Correct the platform',
    ],
  ])('refuses %s', (_name, work, subject, problemParts, fix) => {
    const error = userErrorFrom(work);
    expect(error.subject).toBe(subject);
    for (const part of problemParts) expect(error.problem).toContain(part);
    expect(error.fix).toContain(fix);
  });

  test('treats an index record that arrives without its index as a bug, not a user error', () => {
    const { sourced } = amd64;
    const work = () => collectChildren([{ sourced }], { overrides: [], annotations: noAnnotations });
    expect(work).toThrow('must come with its index');
    expect(work).not.toThrow(UserError);
  });
});
