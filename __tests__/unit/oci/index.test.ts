import { createHash } from 'node:crypto';
import { type Descriptor, type Index, parseIndex } from '../../../src/oci/descriptor.js';
import { buildIndex, encodeIndex, splitIndex, type IndexContent } from '../../../src/oci/index.js';
import { MediaType } from '../../../src/oci/mediatype.js';
import { ociErrorFrom } from '../../support/thrown.js';

const digestOf = (name: string): string => `sha256:${createHash('sha256').update(name).digest('hex')}`;

function image(name: string, platform: string, mediaType: string = MediaType.ociManifest): Descriptor {
  const [os = '', architecture = '', variant] = platform.split('/');
  return {
    mediaType,
    digest: digestOf(name),
    size: name.length,
    platform: { os, architecture, ...(variant ? { variant } : {}) },
  };
}

function attestation(name: string, of: Descriptor | string): Descriptor {
  return {
    mediaType: MediaType.ociManifest,
    digest: digestOf(name),
    size: 100 + name.length,
    platform: { os: 'unknown', architecture: 'unknown' },
    annotations: {
      'vnd.docker.reference.type': 'attestation-manifest',
      'vnd.docker.reference.digest': typeof of === 'string' ? of : of.digest,
    },
  };
}

const amd64 = image('amd64', 'linux/amd64');
const arm64 = image('arm64', 'linux/arm64');
const armv7 = image('armv7', 'linux/arm/v7');
const dockerAmd64 = image('d-amd64', 'linux/amd64', MediaType.dockerManifest);
const dockerArm64 = image('d-arm64', 'linux/arm64', MediaType.dockerManifest);

describe('buildIndex media type', () => {
  test.each<[string, IndexContent, string]>([
    ['all OCI children', { manifests: [amd64, arm64], attestations: [] }, MediaType.ociIndex],
    ['all Docker children', { manifests: [dockerAmd64, dockerArm64], attestations: [] }, MediaType.dockerManifestList],
    ['Docker and OCI children', { manifests: [dockerAmd64, arm64], attestations: [] }, MediaType.ociIndex],
    [
      'Docker children with index annotations',
      {
        manifests: [dockerAmd64, dockerArm64],
        attestations: [],
        annotations: { 'org.opencontainers.image.source': 's' },
      },
      MediaType.ociIndex,
    ],
    [
      'Docker children with empty index annotations',
      { manifests: [dockerAmd64, dockerArm64], attestations: [], annotations: {} },
      MediaType.dockerManifestList,
    ],
    [
      'a Docker child with descriptor annotations',
      { manifests: [dockerAmd64, { ...dockerArm64, annotations: { k: 'v' } }], attestations: [] },
      MediaType.ociIndex,
    ],
    [
      'a Docker child with empty descriptor annotations',
      { manifests: [dockerAmd64, { ...dockerArm64, annotations: {} }], attestations: [] },
      MediaType.dockerManifestList,
    ],
    [
      'a Docker child with urls',
      { manifests: [{ ...dockerAmd64, urls: ['https://example.com/x'] }], attestations: [] },
      MediaType.ociIndex,
    ],
    [
      'a Docker child with an artifactType',
      { manifests: [{ ...dockerAmd64, artifactType: 'application/x' }], attestations: [] },
      MediaType.ociIndex,
    ],
    [
      'Docker children with an attestation',
      { manifests: [dockerAmd64], attestations: [attestation('att', dockerAmd64)] },
      MediaType.ociIndex,
    ],
    ['no children at all', { manifests: [], attestations: [] }, MediaType.ociIndex],
  ])('builds from %s an index of the right media type', (_name, content, mediaType) => {
    const built = buildIndex(content);
    expect(built.index.mediaType).toBe(mediaType);
    expect(built.descriptor.mediaType).toBe(mediaType);
    expect(JSON.parse(built.bytes.toString('utf8')).mediaType).toBe(mediaType);
  });
});

describe('buildIndex content', () => {
  const content: IndexContent = {
    manifests: [armv7, arm64, amd64],
    attestations: [attestation('att-arm64', arm64), attestation('att-amd64', amd64), attestation('att-armv7', armv7)],
    annotations: { 'org.opencontainers.image.source': 'https://x', 'org.opencontainers.image.created': 'now' },
  };

  test('orders images by platform and attestations after them, in the order of their images', () => {
    const digests = buildIndex(content).index.manifests.map((child) => child.digest);
    expect(digests).toEqual(
      ['amd64', 'armv7', 'arm64', 'att-amd64', 'att-armv7', 'att-arm64'].map((name) => digestOf(name)),
    );
  });

  test('orders attestations of one image by digest, and those of no listed image last', () => {
    const pair = [attestation('x1', amd64), attestation('x2', amd64)].sort((a, b) => (a.digest < b.digest ? -1 : 1));
    const orphan = attestation('orphan', digestOf('gone'));
    const built = buildIndex({
      manifests: [arm64, amd64],
      attestations: [orphan, attestation('y', arm64), pair[1]!, pair[0]!],
    });
    expect(built.index.manifests.slice(2).map((child) => child.digest)).toEqual([
      pair[0]!.digest,
      pair[1]!.digest,
      digestOf('y'),
      orphan.digest,
    ]);
  });

  test('orders two images of one platform by digest', () => {
    const [a, b] = [image('one', 'linux/amd64'), image('two', 'linux/amd64')];
    const expected = [a.digest, b.digest].sort();
    expect(buildIndex({ manifests: [b, a], attestations: [] }).index.manifests.map((c) => c.digest)).toEqual(expected);
    expect(buildIndex({ manifests: [a, b], attestations: [] }).index.manifests.map((c) => c.digest)).toEqual(expected);
  });

  test('puts newer Windows builds before older ones', () => {
    const windows = (name: string, version: string): Descriptor => ({
      ...image(name, 'windows/amd64'),
      platform: { os: 'windows', architecture: 'amd64', 'os.version': version },
    });
    const built = buildIndex({
      manifests: [windows('ltsc2019', '10.0.17763.5458'), windows('ltsc2022', '10.0.20348.2322'), amd64],
      attestations: [],
    });
    expect(built.index.manifests.map((child) => child.platform?.['os.version'])).toEqual([
      undefined,
      '10.0.20348.2322',
      '10.0.17763.5458',
    ]);
  });

  test('gives byte-identical output for the same content in any order', () => {
    const reference = buildIndex(content);
    const shuffled: IndexContent = {
      manifests: [amd64, armv7, arm64],
      attestations: [...content.attestations].reverse(),
      annotations: { 'org.opencontainers.image.created': 'now', 'org.opencontainers.image.source': 'https://x' },
    };
    const again = buildIndex(shuffled);
    expect(again.bytes.equals(reference.bytes)).toBe(true);
    expect(again.descriptor).toEqual(reference.descriptor);
  });

  test('describes its bytes with a digest and size computed independently', () => {
    const built = buildIndex(content);
    const digest = `sha256:${createHash('sha256').update(built.bytes).digest('hex')}`;
    expect(built.descriptor).toStrictEqual({ mediaType: MediaType.ociIndex, digest, size: built.bytes.length });
  });

  test('returns an index equal to what its bytes parse to', () => {
    const built = buildIndex(content);
    expect(parseIndex(built.bytes, 'built')).toStrictEqual(built.index);
    expect(JSON.parse(built.bytes.toString('utf8'))).toStrictEqual(built.index);
  });

  test('keeps attestation descriptors verbatim and index annotations sorted', () => {
    const built = buildIndex(content);
    expect(built.index.manifests[3]).toStrictEqual(attestation('att-amd64', amd64));
    expect(Object.keys(built.index.annotations ?? {})).toEqual([
      'org.opencontainers.image.created',
      'org.opencontainers.image.source',
    ]);
  });

  test('refuses an image without a platform, naming its digest', () => {
    const { platform: _dropped, ...bare } = amd64;
    const error = ociErrorFrom(() => buildIndex({ manifests: [bare], attestations: [] }));
    expect(error.code).toBe('INVALID_MANIFEST');
    expect(error.message).toContain(JSON.stringify(amd64.digest));
  });
});

describe('encodeIndex', () => {
  // A fixed index with a fixed digest: any change to the encoding shows up here first.
  const fixed: Index = {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: [
      {
        annotations: { z: '1', a: '2' },
        platform: { variant: 'v7', 'os.features': ['win32k'], 'os.version': '10.0', os: 'linux', architecture: 'arm' },
        urls: ['https://u'],
        artifactType: 'application/x',
        size: 3,
        digest: digestOf('x'),
        mediaType: MediaType.ociManifest,
      },
      {
        mediaType: MediaType.ociManifest,
        digest: digestOf('y'),
        size: 4,
        annotations: {},
        urls: [],
        platform: { os: 'linux', architecture: 'amd64', variant: '', 'os.features': [] },
      },
    ],
    annotations: { b: 'x', a: 'y' },
  };

  test('writes fixed key order, sorted annotation keys and two-space indent', () => {
    const text = encodeIndex(fixed).toString('utf8');
    expect(text).toBe(
      [
        '{',
        '  "schemaVersion": 2,',
        `  "mediaType": "${MediaType.ociIndex}",`,
        '  "manifests": [',
        '    {',
        `      "mediaType": "${MediaType.ociManifest}",`,
        `      "digest": "${digestOf('x')}",`,
        '      "size": 3,',
        '      "artifactType": "application/x",',
        '      "urls": [',
        '        "https://u"',
        '      ],',
        '      "platform": {',
        '        "architecture": "arm",',
        '        "os": "linux",',
        '        "os.version": "10.0",',
        '        "os.features": [',
        '          "win32k"',
        '        ],',
        '        "variant": "v7"',
        '      },',
        '      "annotations": {',
        '        "a": "2",',
        '        "z": "1"',
        '      }',
        '    },',
        '    {',
        `      "mediaType": "${MediaType.ociManifest}",`,
        `      "digest": "${digestOf('y')}",`,
        '      "size": 4,',
        '      "platform": {',
        '        "architecture": "amd64",',
        '        "os": "linux"',
        '      }',
        '    }',
        '  ],',
        '  "annotations": {',
        '    "a": "y",',
        '    "b": "x"',
        '  }',
        '}',
      ].join('\n'),
    );
  });

  test('keeps giving the known digest for a fixed index', () => {
    expect(`sha256:${createHash('sha256').update(encodeIndex(fixed)).digest('hex')}`).toBe(
      'sha256:573e5856e9f5bc1e365b79df4d6258b57bd47d5a033936b5824cb9f54dbfc3bc',
    );
  });

  test('gives a small built index its known digest', () => {
    const built = buildIndex({ manifests: [arm64, amd64], attestations: [attestation('att', amd64)] });
    // Cross-checked with Python's json.dumps(indent=2) and hashlib over the same index.
    expect(built.descriptor.digest).toBe('sha256:f694fab52502c47eeff7c48c6db8e8d6d525ef2179ecad2889aaaf5f4fc1f144');
    expect(built.descriptor.size).toBe(1122);
  });
});

describe('splitIndex', () => {
  const att = attestation('att', amd64);
  const nested = { mediaType: MediaType.ociIndex, digest: digestOf('nested'), size: 1, platform: amd64.platform };
  const unknownType = { mediaType: 'application/vnd.example+json', digest: digestOf('ex'), size: 1 };
  const otherReference = { ...att, digest: digestOf('sig'), annotations: { 'vnd.docker.reference.type': 'signature' } };
  const noPlatform = { mediaType: MediaType.ociManifest, digest: digestOf('bare'), size: 1 };
  const unknownPlatform = {
    ...noPlatform,
    digest: digestOf('uu'),
    platform: { os: 'unknown', architecture: 'unknown' },
  };

  test.each<[string, 'manifests' | 'attestations' | 'others', Descriptor]>([
    ['an OCI image', 'manifests', amd64],
    ['a Docker image', 'manifests', dockerAmd64],
    ['an image with other annotations', 'manifests', { ...arm64, annotations: { k: 'v' } }],
    ['an attestation', 'attestations', att],
    ['a nested index', 'others', nested],
    ['an unknown media type', 'others', unknownType],
    ['another reference type', 'others', otherReference],
    ['an image without platform', 'others', noPlatform],
    ['an unannotated unknown/unknown image', 'others', unknownPlatform],
  ])('puts %s in %s', (_name, expected, child) => {
    const split = splitIndex({ schemaVersion: 2, manifests: [child] });
    expect(split).toStrictEqual({ manifests: [], attestations: [], others: [], [expected]: [child] });
  });

  test('keeps the order of each group', () => {
    const split = splitIndex({ schemaVersion: 2, manifests: [arm64, att, nested, amd64] });
    expect(split).toStrictEqual({ manifests: [arm64, amd64], attestations: [att], others: [nested] });
  });
});
