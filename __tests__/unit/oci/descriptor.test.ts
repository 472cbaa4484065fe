import { parseIndex, parseImageManifest } from '../../../src/oci/descriptor.js';
import { buildIndex } from '../../../src/oci/index.js';
import { MediaType } from '../../../src/oci/mediatype.js';
import { ociErrorFrom } from '../../support/thrown.js';
import { attestationDescriptor, digestOf, imageDescriptor } from '../../fixtures/merge/records.js';

const amd64 = imageDescriptor('amd64', 'linux/amd64');
const dockerAmd64 = imageDescriptor('d-amd64', 'linux/amd64', MediaType.dockerManifest);

const encode = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const validIndex = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [amd64] };
const validManifest = {
  schemaVersion: 2,
  mediaType: MediaType.ociManifest,
  config: { mediaType: MediaType.ociConfig, digest: digestOf('config'), size: 6 },
  layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: digestOf('layer'), size: 5 }],
};

describe('parseIndex', () => {
  test.each<[string, unknown]>([
    ['an OCI index', validIndex],
    ['a Docker manifest list', { ...validIndex, mediaType: MediaType.dockerManifestList, manifests: [dockerAmd64] }],
    ['an index without mediaType', { schemaVersion: 2, manifests: [] }],
    [
      'an index with attestations and annotations',
      buildIndex({
        manifests: [amd64],
        attestations: [attestationDescriptor('a', amd64.digest)],
        annotations: { k: 'v' },
      }).index,
    ],
  ])('reads %s', (_name, value) => {
    expect(parseIndex(encode(value), 'src')).toStrictEqual(value);
  });

  test('drops fields it does not know', () => {
    const parsed = parseIndex(encode({ ...validIndex, extra: 1, manifests: [{ ...amd64, data: 'e30=' }] }), 'src');
    expect(parsed).toStrictEqual(validIndex);
  });

  test.each<[string, string | Record<string, unknown>, string]>([
    ['text that is not JSON', '{', 'not JSON'],
    ['a JSON array', '[]', 'not a JSON object'],
    ['schemaVersion 1', { ...validIndex, schemaVersion: 1 }, 'schemaVersion is 1, expected 2'],
    ['an image manifest type', { ...validIndex, mediaType: MediaType.ociManifest }, 'is not an index media type'],
    ['no manifests', { schemaVersion: 2, mediaType: MediaType.ociIndex }, 'manifests must be an array'],
    ['a child that is not an object', { ...validIndex, manifests: [1] }, 'manifests[0] must be a descriptor object'],
    [
      'a child without mediaType',
      { ...validIndex, manifests: [{ ...amd64, mediaType: undefined }] },
      'manifests[0].mediaType must be a string',
    ],
    [
      'a bad child digest',
      { ...validIndex, manifests: [{ ...amd64, digest: 'sha256:x' }] },
      'manifests[0].digest "sha256:x" is not a valid digest',
    ],
    [
      'a negative size',
      { ...validIndex, manifests: [{ ...amd64, size: -1 }] },
      'manifests[0].size must be a non-negative integer',
    ],
    ['a fractional size', { ...validIndex, manifests: [{ ...amd64, size: 1.5 }] }, 'manifests[0].size'],
    ['a size given as text', { ...validIndex, manifests: [{ ...amd64, size: '5' }] }, 'manifests[0].size'],
    [
      'a platform without os',
      { ...validIndex, manifests: [{ ...amd64, platform: { architecture: 'amd64' } }] },
      'manifests[0].platform.os must be a string',
    ],
    [
      'bad os.features',
      { ...validIndex, manifests: [{ ...amd64, platform: { ...amd64.platform, 'os.features': 'x' } }] },
      'manifests[0].platform["os.features"] must be an array',
    ],
    ['a non-string annotation', { ...validIndex, annotations: { k: 1 } }, 'annotations.k must be a string'],
    [
      'non-string urls',
      { ...validIndex, manifests: [{ ...amd64, urls: [1] }] },
      'manifests[0].urls[0] must be a string',
    ],
  ])('refuses %s with INVALID_MANIFEST naming the source', (_name, value, problem) => {
    const bytes = typeof value === 'string' ? Buffer.from(value) : encode(value);
    const error = ociErrorFrom(() => parseIndex(bytes, 'ghcr.io/o/app:v1'));
    expect(error.code).toBe('INVALID_MANIFEST');
    expect(error.message.startsWith('invalid index from "ghcr.io/o/app:v1": ')).toBe(true);
    expect(error.message).toContain(problem);
  });
});

describe('parseImageManifest', () => {
  test.each<[string, unknown]>([
    ['an OCI image manifest', validManifest],
    ['a Docker image manifest', { ...validManifest, mediaType: MediaType.dockerManifest }],
    [
      'an attestation with annotated layers',
      { ...validManifest, layers: [{ ...validManifest.layers[0], annotations: { 'in-toto.io/predicate-type': 'p' } }] },
    ],
    ['a manifest with a subject', { ...validManifest, subject: amd64, artifactType: 'application/x' }],
  ])('reads %s', (_name, value) => {
    expect(parseImageManifest(encode(value), 'src')).toStrictEqual(value);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['an index type', { ...validManifest, mediaType: MediaType.ociIndex }, 'is not an image manifest media type'],
    ['no config', { ...validManifest, config: undefined }, 'config must be a descriptor object'],
    ['no layers', { ...validManifest, layers: undefined }, 'layers must be an array'],
    [
      'a bad layer digest',
      { ...validManifest, layers: [{ ...validManifest.layers[0], digest: 'md5:' }] },
      'layers[0].digest "md5:"',
    ],
  ])('refuses %s with INVALID_MANIFEST naming the source', (_name, value, problem) => {
    const error = ociErrorFrom(() => parseImageManifest(encode(value), 'child sha256:abc'));
    expect(error.code).toBe('INVALID_MANIFEST');
    expect(error.message.startsWith('invalid image manifest from "child sha256:abc": ')).toBe(true);
    expect(error.message).toContain(problem);
  });
});
