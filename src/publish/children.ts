import { UserError, quote } from '../errors.js';
import { type Descriptor, type Index, type Platform, definedOnly } from '../oci/descriptor.js';
import { splitIndex } from '../oci/index.js';
import { isIndex } from '../oci/mediatype.js';
import { comparePlatforms, formatPlatform, platformKey } from '../oci/platform.js';
import type { DigestRecord, SourcedRecord } from '../records/record.js';
import type { IndexAnnotations, DescriptorAnnotation, PlatformOverride, ResolvedRecord, Child } from './types.js';

export interface ChildOptions {
  readonly overrides: readonly PlatformOverride[];
  readonly annotations: IndexAnnotations;
}

const noPlatform: Platform = { os: '', architecture: '' };

interface RecordChildren {
  readonly children: readonly Child[];
  readonly override?: PlatformOverride;
}

/**
 * Whether `platform` is the one `pattern` names, however either is spelled; a pattern without os.version or
 * os.features leaves them open, so `windows/amd64` names every Windows amd64 build.
 */
export function fitsPlatform(pattern: Platform, platform: Platform): boolean {
  const filled: Platform = {
    ...pattern,
    'os.version': pattern['os.version'] || platform['os.version'],
    'os.features': pattern['os.features'] ?? platform['os.features'],
  };
  return platformKey(filled) === platformKey(platform);
}

function formatOverride(override: PlatformOverride): string {
  const from = 'digest' in override.match ? override.match.digest : formatPlatform(override.match.platform);
  return `${from}=${formatPlatform(override.platform)}`;
}

function overrideMatches(override: PlatformOverride, record: DigestRecord, imageDigest: string): boolean {
  if ('digest' in override.match) return [record.digest, imageDigest].includes(override.match.digest);
  return fitsPlatform(override.match.platform, record.platform);
}

function findOverride(
  overrides: readonly PlatformOverride[],
  sourced: SourcedRecord,
  imageDigest: string,
): PlatformOverride | undefined {
  const matching = overrides.filter((override) => overrideMatches(override, sourced.record, imageDigest));
  if (matching.length <= 1) return matching[0];
  throw new UserError(
    'platform-overrides',
    `${matching.map((override) => quote(formatOverride(override))).join(' and ')} all match the record ${quote(sourced.source)} (${sourced.record.digest}).`,
    'Keep one override for that record.',
  );
}

/** The one runnable image and its attestations out of the index a BuildKit push-by-digest writes for one platform. */
function unwrapIndex(sourced: SourcedRecord, index: Index): { image: Descriptor; attestations: readonly Descriptor[] } {
  const { source, record } = sourced;
  const split = splitIndex(index);
  const [image] = split.manifests;
  if (image === undefined || split.manifests.length > 1) {
    const platforms = split.manifests.map((manifest) =>
      formatPlatform(manifest.platform ?? { os: '', architecture: '' }),
    );
    const found = platforms.length === 0 ? '' : ` (${platforms.join(', ')})`;
    throw new UserError(
      source,
      `${quote(record.digest)} is an index with ${split.manifests.length} platform images${found}; a digest record holds one platform.`,
      'Build one platform per build job, so that each job pushes and records one platform image.',
    );
  }
  if (split.others.length > 0) {
    const others = split.others.map((other) => `${quote(other.digest)} (${other.mediaType})`).join(', ');
    throw new UserError(
      source,
      `${quote(record.digest)} is an index with entries that are neither its platform image nor an attestation: ${others}.`,
      'Push one platform image per build job, with at most its BuildKit attestations, and record that.',
    );
  }
  return { image, attestations: split.attestations };
}

/**
 * The image's platform as it states it: the pushed index's entry (what the builder wrote) when the record is an
 * index, else the record (the build action's copy of the image config's platform). Spellings are compared
 * normalised but never rewritten: `arm64/v8` stays `arm64/v8`, since go-containerregistry's matcher finds an entry
 * only by the variant it was asked for.
 */
function recordedPlatform(sourced: SourcedRecord, image: Descriptor): Platform {
  const { source, record } = sourced;
  const pushed = image.platform;
  if (pushed !== undefined && !fitsPlatform(pushed, record.platform) && !fitsPlatform(record.platform, pushed)) {
    throw new UserError(
      source,
      `records the platform ${quote(formatPlatform(record.platform))}, but its index ${quote(record.digest)} gives the image ${quote(image.digest)} the platform ${quote(formatPlatform(pushed))}.`,
      `Make the build job build the platform it records, or, if the image is right, set platform-overrides: ${image.digest}=${formatPlatform(pushed)}.`,
    );
  }
  const stated = pushed ?? record.platform;
  // Windows build numbers the job recorded may be missing from the pushed descriptor, and the other way round.
  return definedOnly({
    os: stated.os,
    architecture: stated.architecture,
    variant: stated.variant,
    'os.version': stated['os.version'] || record.platform['os.version'] || undefined,
    'os.features': stated['os.features'] ?? record.platform['os.features'],
  });
}

function childrenOfRecord(resolved: ResolvedRecord, overrides: readonly PlatformOverride[]): RecordChildren {
  const { sourced, index } = resolved;
  const { record, source } = sourced;
  if (isIndex(record.mediaType) !== (index !== undefined)) {
    throw new Error(
      `collectChildren: record ${source} (${record.mediaType}) must come with its index exactly when it is one`,
    );
  }
  const { image, attestations } =
    index === undefined
      ? { image: { mediaType: record.mediaType, digest: record.digest, size: record.size }, attestations: [] }
      : unwrapIndex(sourced, index);
  const override = findOverride(overrides, sourced, image.digest);
  const platform = override ? override.platform : recordedPlatform(sourced, image);
  const origin = { sources: [source], foundIn: record.images };
  const children: Child[] = [
    { descriptor: { ...image, platform }, kind: 'image', ...origin },
    ...attestations.map((descriptor) => ({ descriptor, kind: 'attestation' as const, ...origin })),
  ];
  return override === undefined ? { children } : { children, override };
}

function checkOverridesUsed(
  overrides: readonly PlatformOverride[],
  used: ReadonlySet<PlatformOverride>,
  children: readonly Child[],
): void {
  const unused = overrides.filter((override) => !used.has(override));
  if (unused.length === 0) return;
  const found = imagesOf(children).map(
    (child) => `${formatPlatform(child.descriptor.platform ?? noPlatform)} ${child.descriptor.digest}`,
  );
  found.sort();
  throw new UserError(
    'platform-overrides',
    `${unused.map((override) => quote(formatOverride(override))).join(', ')} ${unused.length === 1 ? 'matches' : 'match'} no record (the records hold ${found.join(', ') || 'nothing'}).`,
    'Correct the digest or platform on the left of "=", or remove the override.',
  );
}

function imagesOf(children: readonly Child[]): Child[] {
  return children.filter((child) => child.kind === 'image');
}

function childKey(child: Child): string {
  return `${child.kind}\n${child.descriptor.digest}\n${platformKey(child.descriptor.platform ?? noPlatform)}`;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

/**
 * One child per key, remembering every source and repository it came from: a re-run that wrote a second record of
 * the same push, or a tag holding an entry a record also has, adds nothing but another source.
 */
export function mergeChildren(children: readonly Child[], key: (child: Child) => string = childKey): Child[] {
  const merged = new Map<string, Child>();
  for (const child of children) {
    const earlier = merged.get(key(child));
    merged.set(
      key(child),
      earlier === undefined
        ? { ...child, sources: union(child.sources, []), foundIn: union(child.foundIn, []) }
        : {
            ...earlier,
            sources: union(earlier.sources, child.sources),
            foundIn: union(earlier.foundIn, child.foundIn),
          },
    );
  }
  return [...merged.values()];
}

function formatAnnotation(annotation: DescriptorAnnotation): string {
  const level = annotation.platform
    ? `manifest-descriptor[${formatPlatform(annotation.platform)}]`
    : 'manifest-descriptor';
  return `${level}:${annotation.key}=${annotation.value}`;
}

function checkAnnotationPlatforms(annotations: readonly DescriptorAnnotation[], images: readonly Child[]): void {
  const platforms = images.map((child) => child.descriptor.platform ?? noPlatform);
  const unmatched = annotations.filter((annotation) => {
    const wanted = annotation.platform;
    return wanted !== undefined && !platforms.some((platform) => fitsPlatform(wanted, platform));
  });
  if (unmatched.length === 0) return;
  throw new UserError(
    'annotations',
    `${unmatched.map((annotation) => quote(formatAnnotation(annotation))).join(', ')} ${unmatched.length === 1 ? 'names a platform' : 'name platforms'} no record has (found ${[...new Set(platforms.map(formatPlatform))].sort().join(', ') || 'none'}).`,
    'Correct the platform in brackets, or remove the annotation.',
  );
}

// Annotations for every entry go first, so that one for this platform wins over them for the same key.
function annotate(child: Child, annotations: readonly DescriptorAnnotation[]): Child {
  const platform = child.descriptor.platform;
  if (child.kind !== 'image' || platform === undefined) return child;
  const applying = [
    ...annotations.filter((annotation) => annotation.platform === undefined),
    ...annotations.filter((annotation) => annotation.platform && fitsPlatform(annotation.platform, platform)),
  ];
  if (applying.length === 0) return child;
  const added = Object.fromEntries(applying.map((annotation) => [annotation.key, annotation.value]));
  return { ...child, descriptor: { ...child.descriptor, annotations: { ...child.descriptor.annotations, ...added } } };
}

/** The order of entries in an index: images by platform, then attestations, each by digest within. */
export function compareChildren(a: Child, b: Child): number {
  if (a.kind !== b.kind) return a.kind === 'image' ? -1 : 1;
  const byPlatform =
    a.kind === 'image' ? comparePlatforms(a.descriptor.platform ?? noPlatform, b.descriptor.platform ?? noPlatform) : 0;
  return (
    byPlatform || (a.descriptor.digest < b.descriptor.digest ? -1 : a.descriptor.digest > b.descriptor.digest ? 1 : 0)
  );
}

/**
 * Turns the build jobs' records into the entries of the index: one image per record with the platform it was built
 * for (or the override's), its BuildKit attestations verbatim, and the descriptor annotations asked for. Images come
 * first, ordered by platform, so the result does not depend on the order the records were read in.
 */
export function collectChildren(records: readonly ResolvedRecord[], options: ChildOptions): Child[] {
  const perRecord = records.map((record) => childrenOfRecord(record, options.overrides));
  // Sources in a fixed order, so that the order the records were read in shows nowhere.
  const children = mergeChildren(perRecord.flatMap((result) => result.children)).map((child) => ({
    ...child,
    sources: [...child.sources].sort(),
    foundIn: [...child.foundIn].sort(),
  }));
  const used = new Set(perRecord.flatMap((result) => (result.override ? [result.override] : [])));
  checkOverridesUsed(options.overrides, used, children);
  checkAnnotationPlatforms(options.annotations.descriptors, imagesOf(children));
  return children.map((child) => annotate(child, options.annotations.descriptors)).sort(compareChildren);
}
