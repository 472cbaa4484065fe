import { UserError, quote } from '../errors.js';
import {
  optionalValue,
  parseAttestations,
  parseBoolean,
  parseImagesAndTags,
  parseInputValue,
  parseInsecureRegistries,
  parseList,
  parsePlatformInput,
  parsePlatformList,
  type InputGetter,
} from '../inputs.js';
import type { Platform } from '../oci/descriptor.js';
import { parseDigest } from '../oci/digest.js';
import { parsePlatform, platformKey } from '../oci/platform.js';
import type { PublishInputs, IndexAnnotations, DescriptorAnnotation, PlatformOverride } from '../publish/types.js';

/** The merge action's inputs, keyed by their action.yml names. */
export interface MergeInputs extends PublishInputs {
  readonly 'records-path': string | undefined;
  /** Registry names (host[:port]) that may be reached over plain HTTP. */
  readonly 'insecure-registries': readonly string[];
  /** Sign a provenance attestation of the index and every platform image, and attach it in every image. */
  readonly attest: boolean;
  /** The token that stores the attestation through GitHub's attestations API. */
  readonly 'github-token': string;
}

// Index annotations travel in the index on every pull; this is far above real use and far below registry limits.
const maxAnnotationBytes = 64 * 1024;

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

/** Reads and checks every input of the merge action before anything is planned or written. */
export function parseMergeInputs(get: InputGetter): MergeInputs {
  return {
    ...parseImagesAndTags(get('images'), get('tags')),
    platforms: parsePlatformList('platforms', get('platforms')),
    annotations: parseAnnotations(get('annotations')),
    'platform-overrides': parsePlatformOverrides(get('platform-overrides')),
    'allow-partial': parseBoolean('allow-partial', get('allow-partial'), false),
    attestations: parseAttestations(get('attestations')),
    append: parseBoolean('append', get('append'), false),
    'dry-run': parseBoolean('dry-run', get('dry-run'), false),
    verify: parseBoolean('verify', get('verify'), true),
    'records-path': optionalValue(get('records-path')),
    'insecure-registries': parseInsecureRegistries(get('insecure-registries')),
    attest: parseBoolean('attest', get('attest'), false),
    'github-token': get('github-token'),
  };
}
