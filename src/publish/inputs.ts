import { UserError } from '../errors.js';
import {
  parseBoolean,
  parseImages,
  parseInputValue,
  parseList,
  parsePlatformInput,
  parsePlatformList,
  quote,
  type InputGetter,
} from '../inputs.js';
import type { Platform } from '../oci/descriptor.js';
import { parseDigest } from '../oci/digest.js';
import { planTargets } from './plan.js';
import { OciError } from '../oci/errors.js';
import { parsePlatform, platformKey } from '../oci/platform.js';
import { formatRepository, isValidTag, parseReference, parseRepository, type Repository } from '../oci/reference.js';

export interface MergeInputs {
  readonly images: readonly Repository[];
  readonly tags: readonly TagTarget[];
  /** The platforms the index must hold; empty when the records alone decide. */
  readonly platforms: readonly Platform[];
  readonly annotations: IndexAnnotations;
  readonly 'platform-overrides': readonly PlatformOverride[];
  readonly 'allow-partial': boolean;
  /** Whether BuildKit's attestation manifests are published beside their images or left out. */
  readonly attestations: 'keep' | 'drop';
  /** Keep what the tags already hold for platforms the records do not have. */
  readonly append: boolean;
  readonly 'dry-run': boolean;
  /** Read every tag and child back after publishing. */
  readonly verify: boolean;
  readonly 'records-path': string | undefined;
  /** Registry names (host[:port]) that may be reached over plain HTTP. */
  readonly 'insecure-registries': readonly string[];
}

/** A tag for every image, or, when the input gave a full reference, for that one repository only. */
export interface TagTarget {
  readonly tag: string;
  readonly repository?: Repository;
}

export interface IndexAnnotations {
  readonly index: Readonly<Record<string, string>>;
  readonly descriptors: readonly DescriptorAnnotation[];
}

/** An annotation on the index's entries: those of one platform, or every entry when `platform` is unset. */
export interface DescriptorAnnotation {
  readonly platform?: Platform;
  readonly key: string;
  readonly value: string;
}

/** What `docker manifest annotate --arch` did: give the entry with this digest or platform another platform. */
export interface PlatformOverride {
  readonly match: { readonly digest: string } | { readonly platform: Platform };
  readonly platform: Platform;
}

// Index annotations travel in the index on every pull; this is far above real use and far below registry limits.
const maxAnnotationBytes = 64 * 1024;

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const itemKey = key(item);
    if (seen.has(itemKey)) return false;
    seen.add(itemKey);
    return true;
  });
}

function invalidTag(item: string): UserError {
  const suggestion = item
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 128);
  return new UserError(
    'tags',
    `${quote(item)} is not a valid tag (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-').`,
    isValidTag(suggestion) ? `Fix the tag, e.g. ${quote(suggestion)}.` : 'Fix the tag.',
  );
}

function parseTag(item: string): TagTarget {
  if (isValidTag(item)) return { tag: item };
  // Only a reference has a ':' or '/'; anything else is a tag with a typo.
  if (!/[:/@]/.test(item)) throw invalidTag(item);
  const fix = 'Write a tag such as 1.2.3, or a full reference such as ghcr.io/owner/app:1.2.3.';
  const reference = parseInputValue('tags', item, parseReference, fix);
  if (reference.digest !== undefined) {
    throw new UserError('tags', `${quote(item)} has a digest, which cannot be a tag.`, fix);
  }
  if (reference.tag === undefined) {
    throw new UserError(
      'tags',
      `${quote(item)} names a repository but no tag.`,
      `Put the repository in \`images\` and only the tag here, or write ${quote(`${item}:latest`)}.`,
    );
  }
  return { tag: reference.tag, repository: { registry: reference.registry, path: reference.path } };
}

function tagsFromMetadataJson(text: string): string[] {
  const fix = "Pass docker/metadata-action's `json` output unchanged (steps.<id>.outputs.json), or list the tags.";
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError('tags', `starts with "{" but is not valid JSON (${reason}): ${quote(text)}.`, fix);
  }
  const tags = typeof json === 'object' && json !== null ? (json as { tags?: unknown }).tags : undefined;
  if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string')) {
    throw new UserError('tags', `is JSON without a "tags" array of strings: ${quote(text)}.`, fix);
  }
  if (tags.length === 0) {
    throw new UserError(
      'tags',
      `is docker/metadata-action JSON with no tags ("tags": []).`,
      'Check its `tags:` rules: none of them produced a tag for this event.',
    );
  }
  return tags.map((tag: string) => tag.trim()).filter((tag) => tag !== '');
}

function parseTagItems(raw: string): string[] {
  const text = raw.trim();
  return text.startsWith('{') ? tagsFromMetadataJson(text) : parseList('tags', text);
}

function tagKey(target: TagTarget): string {
  return `${target.repository ? formatRepository(target.repository) : ''}:${target.tag}`;
}

function checkTagRepositories(images: readonly Repository[], tags: readonly (readonly [string, TagTarget])[]): void {
  const known = new Set(images.map(formatRepository));
  for (const [item, target] of tags) {
    if (!target.repository || known.has(formatRepository(target.repository))) continue;
    const repository = formatRepository(target.repository);
    throw new UserError(
      'tags',
      `${quote(item)} is for ${quote(repository)}, which is not in images (${[...known].join(', ')}).`,
      `Add ${quote(repository)} to \`images\`, or write the tag without a repository.`,
    );
  }
}

function parseImagesAndTags(rawImages: string, rawTags: string): Pick<MergeInputs, 'images' | 'tags'> {
  const images = parseImages('images', rawImages);
  const parsed = uniqueBy(
    parseTagItems(rawTags).map((item) => [item, parseTag(item)] as const),
    ([, target]) => tagKey(target),
  );
  const tags = parsed.map(([, target]) => target);
  if (tags.length === 0) {
    throw new UserError(
      'tags',
      'is empty, but the index needs at least one tag.',
      "List the tags, e.g. latest, or pass docker/metadata-action's `json` output.",
    );
  }
  if (images.length > 0) {
    checkTagRepositories(images, parsed);
    return { images, tags };
  }
  const plain = tags.find((target) => target.repository === undefined);
  if (plain) {
    throw new UserError(
      'images',
      `is empty, so the tag ${quote(plain.tag)} names no repository.`,
      'List the repositories in `images`, e.g. ghcr.io/owner/app, or write every tag as ghcr.io/owner/app:1.2.3.',
    );
  }
  const repositories = tags.flatMap((target) => (target.repository ? [target.repository] : []));
  return { images: uniqueBy(repositories, formatRepository), tags };
}

type AnnotationTarget = { readonly level: 'index' } | { readonly level: 'descriptor'; readonly platform?: Platform };

// buildx's annotation syntax: a comma-separated list of levels, each with an optional [platform].
const levelPattern = /^([a-z-]+)(?:\[([^\]]*)\])?$/;

function parseLevel(line: string, text: string): AnnotationTarget {
  const [, level, platform] = levelPattern.exec(text) ?? [];
  const fail = (problem: string, fix: string) => new UserError('annotations', `${quote(line)} ${problem}`, fix);
  if (level === 'index' && platform === undefined) return { level: 'index' };
  if (level === 'index') throw fail('gives the index level a platform.', 'Write index:key=value.');
  if (level === 'manifest-descriptor') {
    if (platform === undefined) return { level: 'descriptor' };
    return { level: 'descriptor', platform: parsePlatformInput('annotations', platform) };
  }
  if (level === 'manifest') {
    throw fail(
      'is a manifest-level annotation, but the merge writes only the index; each image manifest comes from a build job.',
      'Set manifest annotations in the build step (docker/metadata-action with DOCKER_METADATA_ANNOTATIONS_LEVELS=manifest,index gives both levels) and pass only the index: ones here.',
    );
  }
  if (level === 'index-descriptor') {
    throw fail('is an index-descriptor annotation, but no parent index refers to this one.', 'Use index:key=value.');
  }
  throw fail(
    `has the unknown level ${quote(text)}.`,
    'Use index: (or no prefix) for the index, manifest-descriptor: or manifest-descriptor[os/arch]: for its entries.',
  );
}

function parseAnnotationLine(line: string): { targets: AnnotationTarget[]; key: string; value: string } {
  const equals = line.indexOf('=');
  if (equals === -1) {
    throw new UserError('annotations', `${quote(line)} is not key=value.`, 'Write key=value or index:key=value.');
  }
  const name = line.slice(0, equals);
  const colon = name.indexOf(':');
  const key = name.slice(colon + 1);
  if (key === '' || /\s/.test(key)) {
    throw new UserError(
      'annotations',
      `${quote(line)} has ${key === '' ? 'an empty key' : `a key with white space, ${quote(key)}`}.`,
      'Write the key without spaces, e.g. org.opencontainers.image.description=My app.',
    );
  }
  const targets =
    colon === -1
      ? [{ level: 'index' } as const]
      : name
          .slice(0, colon)
          .split(',')
          .map((text) => parseLevel(line, text));
  return { targets, key, value: line.slice(equals + 1) };
}

function checkAnnotationSize(entries: readonly (readonly [string, string])[]): void {
  const sizes = entries.map(([key, value]) => [key, Buffer.byteLength(key) + Buffer.byteLength(value)] as const);
  const total = sizes.reduce((sum, [, size]) => sum + size, 0);
  if (total <= maxAnnotationBytes) return;
  const [largestKey, largestSize] = sizes.reduce((largest, entry) => (entry[1] > largest[1] ? entry : largest));
  throw new UserError(
    'annotations',
    `add up to ${total} bytes, more than ${maxAnnotationBytes} (the largest, ${quote(largestKey)}, has ${largestSize}).`,
    'Shorten the annotations: every client reads them with the index on every pull.',
  );
}

/** Later lines win over earlier ones with the same key, as with buildx's repeated --annotation. */
function parseAnnotations(raw: string): IndexAnnotations {
  const index = new Map<string, string>();
  const descriptors = new Map<string, DescriptorAnnotation>();
  for (const line of parseList('annotations', raw, { ignoreComma: true })) {
    const { targets, key, value } = parseAnnotationLine(line);
    for (const target of targets) {
      if (target.level === 'index') index.set(key, value);
      else if (target.platform === undefined) descriptors.set(`*\n${key}`, { key, value });
      else descriptors.set(`${platformKey(target.platform)}\n${key}`, { platform: target.platform, key, value });
    }
  }
  checkAnnotationSize([...index, ...[...descriptors.values()].map(({ key, value }) => [key, value] as const)]);
  // fromEntries defines own properties, so a key such as "__proto__" stays an ordinary annotation.
  return { index: Object.fromEntries(index), descriptors: [...descriptors.values()] };
}

function parsePlatformOverride(item: string): PlatformOverride {
  const name = 'platform-overrides';
  const fix = 'Write <digest>=<platform> or <platform>=<platform>, e.g. linux/arm=linux/arm/v7.';
  // The right side is a platform, which never holds '=', while some digest encodings may.
  const equals = item.lastIndexOf('=');
  if (equals === -1) throw new UserError(name, `${quote(item)} has no "=".`, fix);
  const [from, to] = [item.slice(0, equals).trim(), item.slice(equals + 1).trim()];
  // Platforms never hold ':', digests always do.
  const match = from.includes(':')
    ? { digest: parseInputValue(name, from, parseDigest, fix) }
    : { platform: parseInputValue(name, from, parsePlatform, fix) };
  return { match, platform: parseInputValue(name, to, parsePlatform, fix) };
}

function parsePlatformOverrides(raw: string): PlatformOverride[] {
  const seen = new Map<string, string>();
  return parseList('platform-overrides', raw).map((item) => {
    const override = parsePlatformOverride(item);
    const key = 'digest' in override.match ? override.match.digest : platformKey(override.match.platform);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new UserError(
        'platform-overrides',
        `${quote(item)} overrides what ${quote(earlier)} already overrides.`,
        'Keep one override per digest or platform.',
      );
    }
    seen.set(key, item);
    return override;
  });
}

function parseInsecureRegistry(item: string): string {
  const name = 'insecure-registries';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(item)) {
    const host = item.replace(/^[^:]+:\/\//, '').replace(/\/.*$/, '');
    throw new UserError(name, `${quote(item)} is a URL.`, `Write the registry as host[:port], e.g. ${quote(host)}.`);
  }
  // A host is a registry only where a reference would read it as one: `myhost/app` is Docker Hub's myhost/app.
  let repository: Repository | undefined;
  try {
    repository = parseRepository(`${item}/probe`);
  } catch (error) {
    // Reported below in this input's own words: the probe path in the OciError's message would only confuse.
    if (!(error instanceof OciError)) throw error;
  }
  if (repository?.path !== 'probe') {
    throw new UserError(
      name,
      `${quote(item)} is not a registry host[:port].`,
      'Write the registry as it appears in `images`, e.g. localhost:5000 or registry.internal:5000.',
    );
  }
  return repository.registry;
}

function parseAttestations(raw: string): MergeInputs['attestations'] {
  const value = raw.trim();
  if (value === '' || value === 'keep') return 'keep';
  if (value === 'drop') return 'drop';
  throw new UserError('attestations', `${quote(value)} is neither keep nor drop.`, 'Use keep (the default) or drop.');
}

function optionalValue(raw: string): string | undefined {
  const value = raw.trim();
  return value === '' ? undefined : value;
}

/** Reads and checks every input of the merge action before anything is planned or written. */
export function parseMergeInputs(get: InputGetter): MergeInputs {
  const imagesAndTags = parseImagesAndTags(get('images'), get('tags'));
  // Every image must get a tag: found here, before a build job pushes anything, not when the plan is made.
  planTargets(imagesAndTags);
  return {
    ...imagesAndTags,
    platforms: parsePlatformList('platforms', get('platforms')),
    annotations: parseAnnotations(get('annotations')),
    'platform-overrides': parsePlatformOverrides(get('platform-overrides')),
    'allow-partial': parseBoolean('allow-partial', get('allow-partial'), false),
    attestations: parseAttestations(get('attestations')),
    append: parseBoolean('append', get('append'), false),
    'dry-run': parseBoolean('dry-run', get('dry-run'), false),
    verify: parseBoolean('verify', get('verify'), true),
    'records-path': optionalValue(get('records-path')),
    'insecure-registries': [
      ...new Set(parseList('insecure-registries', get('insecure-registries')).map(parseInsecureRegistry)),
    ],
  };
}
