import { type RegistryProfile } from './profiles.js';
import { allProfiles } from './lookup.js';

/** Whether a refused tag PUT is some family's answer to an immutable tag (self-hosted Harbor or Quay included). */
export function isImmutableTagRefusal(status: number | undefined, registryCodes: readonly string[]): boolean {
  return allProfiles().some(
    ({ immutableTag }) =>
      immutableTag !== undefined && immutableTag.status === status && registryCodes.includes(immutableTag.registryCode),
  );
}

/** Why a registry of the family would refuse a write, found before it is attempted. */
export interface ForeseenRefusal {
  readonly rule: 'manifest-size' | 'media-type-parameters' | 'docker-list-children' | 'tag';
  /** The fact, quoting what is refused: `the index is 5000000 bytes`. */
  readonly problem: string;
}

const dockerListType = 'application/vnd.docker.distribution.manifest.list.v2+json';
const dockerManifestTypes = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.v1+json',
];

interface WrittenManifest {
  readonly mediaType: string;
  readonly size: number;
  readonly artifactType?: string;
  readonly config?: { readonly mediaType: string };
  readonly layers?: readonly { readonly mediaType: string; readonly artifactType?: string }[];
  readonly manifests?: readonly {
    readonly mediaType: string;
    readonly digest: string;
    readonly artifactType?: string;
    readonly platform?: { readonly os: string; readonly architecture: string };
  }[];
}

/** What the family would refuse in a manifest or index about to be written (its parsed fields and byte size). */
export function foreseeManifestRefusal(
  profile: RegistryProfile,
  manifest: WrittenManifest,
): ForeseenRefusal | undefined {
  if (manifest.size > profile.maxManifestBytes) {
    return {
      rule: 'manifest-size',
      problem: `it is ${manifest.size} bytes, and ${profile.title} takes manifests of at most ${profile.maxManifestBytes} bytes`,
    };
  }
  const children = manifest.manifests ?? [];
  if (profile.dockerListChildren === 'docker-with-platform' && manifest.mediaType === dockerListType) {
    const refused = children.find(
      (child) => !dockerManifestTypes.includes(child.mediaType) || !child.platform?.os || !child.platform.architecture,
    );
    if (refused !== undefined) {
      return {
        rule: 'docker-list-children',
        problem: `it is a Docker manifest list, and ${profile.title} takes one only of Docker manifests with an os and architecture, which ${refused.digest} (${refused.mediaType}) is not`,
      };
    }
  }
  if (profile.mediaTypeParameters === 'refused') {
    const types = [
      manifest.artifactType,
      manifest.config?.mediaType,
      ...(manifest.layers ?? []).flatMap((layer) => [layer.mediaType, layer.artifactType]),
      ...children.flatMap((child) => [child.mediaType, child.artifactType]),
    ];
    const parameterised = types.find((type) => type?.includes(';'));
    if (parameterised !== undefined) {
      return {
        rule: 'media-type-parameters',
        problem: `it names the media type ${JSON.stringify(parameterised)}, and ${profile.title} refuses media types with parameters`,
      };
    }
  }
  return undefined;
}

/** Whether the family takes `tag`; a refusal says which rule it breaks. */
export function foreseeTagRefusal(profile: RegistryProfile, tag: string): ForeseenRefusal | undefined {
  if (profile.tagPattern.test(tag)) return undefined;
  return {
    rule: 'tag',
    problem: `${profile.title} takes tags matching ${profile.tagPattern.source}, which ${JSON.stringify(tag)} does not`,
  };
}
