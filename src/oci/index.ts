import {
  type Descriptor,
  type Index,
  type ManifestBytes,
  type Platform,
  parseIndex,
  parseImageManifest,
  definedOnly,
} from './descriptor.js';
import { sha256Digest } from './digest.js';
import { OciError } from './errors.js';
import { MediaType, attestationAnnotation, isDockerType, isImageManifest, isIndex } from './mediatype.js';
import { comparePlatforms } from './platform.js';

export interface IndexContent {
  /** Runnable image manifests, each with a platform. */
  readonly manifests: readonly Descriptor[];
  /** Attestation manifests, kept verbatim and placed after all runnable ones. */
  readonly attestations: readonly Descriptor[];
  /** Index-level annotations. */
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface BuiltIndex extends ManifestBytes {
  readonly index: Index;
}

export interface SplitIndex {
  readonly manifests: readonly Descriptor[];
  readonly attestations: readonly Descriptor[];
  /** Nested indexes, unknown types, image manifests without a runnable platform, other reference types. */
  readonly others: readonly Descriptor[];
}

function sortedAnnotations(
  annotations: Readonly<Record<string, string>> | undefined,
): Record<string, string> | undefined {
  const keys = Object.keys(annotations ?? {}).sort();
  if (annotations === undefined || keys.length === 0) return undefined;
  return Object.fromEntries(keys.map((key) => [key, annotations[key] as string]));
}

function canonicalPlatform(platform: Platform): Platform {
  const features = platform['os.features'];
  return definedOnly({
    architecture: platform.architecture,
    os: platform.os,
    'os.version': platform['os.version'] || undefined,
    'os.features': features !== undefined && features.length > 0 ? [...features] : undefined,
    variant: platform.variant || undefined,
  });
}

function canonicalDescriptor(descriptor: Descriptor): Descriptor {
  return definedOnly({
    mediaType: descriptor.mediaType,
    digest: descriptor.digest,
    size: descriptor.size,
    artifactType: descriptor.artifactType,
    urls: descriptor.urls !== undefined && descriptor.urls.length > 0 ? [...descriptor.urls] : undefined,
    platform: descriptor.platform && canonicalPlatform(descriptor.platform),
    annotations: sortedAnnotations(descriptor.annotations),
  });
}

function canonicalIndex(index: Index): Index {
  return definedOnly({
    schemaVersion: index.schemaVersion,
    mediaType: index.mediaType,
    artifactType: index.artifactType,
    manifests: index.manifests.map(canonicalDescriptor),
    subject: index.subject && canonicalDescriptor(index.subject),
    annotations: sortedAnnotations(index.annotations),
  });
}

/** The one encoder for indexes: fixed key order, sorted annotation keys, two-space indent, no trailing newline. */
export function encodeIndex(index: Index): Buffer {
  return Buffer.from(JSON.stringify(canonicalIndex(index), null, 2), 'utf8');
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

// The last resort keeps the order total when two entries share platform and digest but differ elsewhere.
function compareDescriptors(a: Descriptor, b: Descriptor): number {
  return compareText(a.digest, b.digest) || compareText(JSON.stringify(a), JSON.stringify(b));
}

function sortManifests(manifests: readonly Descriptor[]): Descriptor[] {
  const withPlatforms = manifests.map((manifest) => {
    if (manifest.platform !== undefined) {
      return { manifest: canonicalDescriptor(manifest), platform: manifest.platform };
    }
    throw new OciError({
      code: 'INVALID_MANIFEST',
      message: `image manifest ${JSON.stringify(manifest.digest)} has no platform, so no machine would pull it`,
    });
  });
  withPlatforms.sort((a, b) => comparePlatforms(a.platform, b.platform) || compareDescriptors(a.manifest, b.manifest));
  return withPlatforms.map((entry) => entry.manifest);
}

// Each attestation follows the order of the image it describes; one describing no listed image goes last.
function sortAttestations(attestations: readonly Descriptor[], manifests: readonly Descriptor[]): Descriptor[] {
  const positions = new Map<string, number>();
  manifests.forEach((manifest, position) => positions.has(manifest.digest) || positions.set(manifest.digest, position));
  const positionOf = (attestation: Descriptor): number =>
    positions.get(attestation.annotations?.[attestationAnnotation.digest] ?? '') ?? manifests.length;
  return attestations
    .map(canonicalDescriptor)
    .sort((a, b) => positionOf(a) - positionOf(b) || compareDescriptors(a, b));
}

function hasOciOnlyFields(descriptor: Descriptor): boolean {
  return descriptor.annotations !== undefined || descriptor.artifactType !== undefined || descriptor.urls !== undefined;
}

/**
 * buildx's rule: a Docker manifest list only when every child is a Docker type and nothing needs a field a Docker
 * list cannot hold (annotations, artifactType, urls); otherwise an OCI index. An empty list is an OCI index.
 */
function chooseMediaType(children: readonly Descriptor[], annotations: object | undefined): string {
  const dockerOnly =
    children.length > 0 &&
    annotations === undefined &&
    children.every((child) => isDockerType(child.mediaType) && !hasOciOnlyFields(child));
  return dockerOnly ? MediaType.dockerManifestList : MediaType.ociIndex;
}

/**
 * Builds the index for a set of children. Pure and deterministic: the same content in any order gives the same bytes,
 * hence the same digest, so two merges of the same builds converge on one index.
 */
export function buildIndex(content: IndexContent): BuiltIndex {
  const manifests = sortManifests(content.manifests);
  const children = [...manifests, ...sortAttestations(content.attestations, manifests)];
  const annotations = sortedAnnotations(content.annotations);
  const mediaType = chooseMediaType(children, annotations);
  const index = canonicalIndex({ schemaVersion: 2, mediaType, manifests: children, annotations });
  const bytes = encodeIndex(index);
  return { index, bytes, descriptor: { mediaType, digest: sha256Digest(bytes), size: bytes.length } };
}

function classifyChild(child: Descriptor): keyof SplitIndex {
  if (!isImageManifest(child.mediaType)) return 'others';
  const referenceType = child.annotations?.[attestationAnnotation.type];
  if (referenceType !== undefined) {
    return referenceType === attestationAnnotation.attestationManifest ? 'attestations' : 'others';
  }
  const platform = child.platform;
  const runnable = platform !== undefined && platform.os !== 'unknown' && platform.architecture !== 'unknown';
  return runnable ? 'manifests' : 'others';
}

export function splitIndex(index: Index): SplitIndex {
  const split = { manifests: [] as Descriptor[], attestations: [] as Descriptor[], others: [] as Descriptor[] };
  for (const child of index.manifests) split[classifyChild(child)].push(child);
  return split;
}

/** Something a manifest names that a registry must hold before it accepts the manifest. */
export interface ManifestReference {
  readonly kind: 'manifest' | 'blob';
  /** What the manifest names it as, for messages: an index's child, the manifest's subject, a config or a layer. */
  readonly role: 'child' | 'subject' | 'config' | 'layer';
  readonly descriptor: Descriptor;
}

/**
 * What must exist before a manifest is written: an index's children, an image's config and layers, and the `subject`
 * either may have (image-spec 1.1; BuildKit 0.32's attestation manifests have one). Layers with `urls` are foreign
 * (Windows base layers): registries neither hold nor need them.
 */
export function referencesOf(manifest: ManifestBytes): ManifestReference[] {
  const source = manifest.descriptor.digest;
  const parsed = isIndex(manifest.descriptor.mediaType)
    ? parseIndex(manifest.bytes, source)
    : parseImageManifest(manifest.bytes, source);
  const subject: ManifestReference[] = parsed.subject
    ? [{ kind: 'manifest', role: 'subject', descriptor: parsed.subject }]
    : [];
  if ('manifests' in parsed) {
    return [
      ...parsed.manifests.map((descriptor) => ({ kind: 'manifest', role: 'child', descriptor }) as const),
      ...subject,
    ];
  }
  return [
    ...subject,
    { kind: 'blob', role: 'config', descriptor: parsed.config },
    ...parsed.layers
      .filter((layer) => !layer.urls?.length)
      .map((descriptor) => ({ kind: 'blob', role: 'layer', descriptor }) as const),
  ];
}
