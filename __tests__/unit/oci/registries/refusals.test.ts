import { MediaType } from '../../../../src/oci/mediatype.js';
import { type RegistryProfile } from '../../../../src/oci/registries/profiles.js';
import {
  foreseeManifestRefusal,
  foreseeTagRefusal,
  isImmutableTagRefusal,
} from '../../../../src/oci/registries/refusals.js';
import { profileOf } from '../../../../src/oci/registries/lookup.js';

describe('an immutable tag is recognised by any family’s answer', () => {
  test.each<[number, readonly string[], boolean]>([
    [400, ['TAG_INVALID'], true],
    [409, ['TAG_IMMUTABLE'], true],
    [412, ['PRECONDITION'], true],
    [400, ['MANIFEST_INVALID'], false],
    [409, ['TAG_INVALID'], false],
    [500, [], false],
  ])('%d %j', (status, codes, expected) => {
    expect(isImmutableTagRefusal(status, codes)).toBe(expected);
  });
});

describe('what a family would refuse, foreseen before the write', () => {
  const ecr = profileOf('ecr');
  const quay = profileOf('quay');
  const distribution = profileOf('distribution');
  const dockerManifest = 'application/vnd.docker.distribution.manifest.v2+json';
  const dockerList = 'application/vnd.docker.distribution.manifest.list.v2+json';
  const child = (mediaType: string, platform?: { os: string; architecture: string }) => ({
    mediaType,
    digest: `sha256:${'c'.repeat(64)}`,
    ...(platform ? { platform } : {}),
  });
  const linux = { os: 'linux', architecture: 'amd64' };

  test.each<[string, RegistryProfile, Parameters<typeof foreseeManifestRefusal>[1], string | undefined]>([
    [
      'an index of 4 MiB and one byte',
      distribution,
      { mediaType: MediaType.ociIndex, size: 4 * 1024 * 1024 + 1 },
      'manifest-size',
    ],
    ['an index of exactly 4 MiB', distribution, { mediaType: MediaType.ociIndex, size: 4 * 1024 * 1024 }, undefined],
    [
      'a Docker list of Docker manifests with platforms, on Quay',
      quay,
      { mediaType: dockerList, size: 500, manifests: [child(dockerManifest, linux)] },
      undefined,
    ],
    [
      'a Docker list with an OCI child, on Quay',
      quay,
      { mediaType: dockerList, size: 500, manifests: [child(MediaType.ociManifest, linux)] },
      'docker-list-children',
    ],
    [
      'a Docker list with a child without a platform, on Quay',
      quay,
      { mediaType: dockerList, size: 500, manifests: [child(dockerManifest)] },
      'docker-list-children',
    ],
    [
      'the same list elsewhere',
      distribution,
      { mediaType: dockerList, size: 500, manifests: [child(dockerManifest)] },
      undefined,
    ],
    [
      'a layer media type with a parameter, on ECR',
      ecr,
      { mediaType: MediaType.ociManifest, size: 500, layers: [{ mediaType: 'application/x+json; version=0.2' }] },
      'media-type-parameters',
    ],
    [
      'an artifactType with a parameter, on ECR',
      ecr,
      { mediaType: MediaType.ociManifest, size: 500, artifactType: 'application/x;v=1', layers: [] },
      'media-type-parameters',
    ],
    [
      'a layer media type with a parameter elsewhere',
      distribution,
      { mediaType: MediaType.ociManifest, size: 500, layers: [{ mediaType: 'application/x+json; version=0.2' }] },
      undefined,
    ],
  ])('%s', (_name, profile, manifest, rule) => {
    expect(foreseeManifestRefusal(profile, manifest)?.rule).toBe(rule);
  });

  test('says which rule a refused tag breaks, quoting it', () => {
    expect(foreseeTagRefusal(distribution, 'v1.2.3')).toBeUndefined();
    expect(foreseeTagRefusal(distribution, '.hidden')?.problem).toContain('".hidden"');
  });
});
