import { UserError, quote } from '../errors.js';
import type { Platform } from '../oci/descriptor.js';
import { formatPlatform, normalizePlatform, platformKey } from '../oci/platform.js';
import { fitsPlatform } from './children.js';
import type { Child } from './types.js';

export interface ValidateOptions {
  /** The platforms the index must hold; empty when the records alone decide. */
  readonly platforms: readonly Platform[];
  readonly allowPartial: boolean;
  /** Where the records were read from, as messages name it (`records-path`, the run's artifacts). */
  readonly recordsSubject: string;
}

interface Image {
  readonly child: Child;
  readonly platform: Platform;
}

function imagesOf(children: readonly Child[]): Image[] {
  return children.flatMap((child) =>
    child.kind === 'image' && child.descriptor.platform ? [{ child, platform: child.descriptor.platform }] : [],
  );
}

type Group = readonly [Image, ...Image[]];

function groupBy(images: readonly Image[], key: (image: Image) => string): Group[] {
  const groups = new Map<string, Group>();
  for (const image of images) {
    const earlier = groups.get(key(image));
    groups.set(key(image), earlier === undefined ? [image] : [...earlier, image]);
  }
  return [...groups.values()];
}

function isMixed(group: Group, key: (image: Image) => string): boolean {
  return new Set(group.map(key)).size > 1;
}

const digestOf = (image: Image): string => image.child.descriptor.digest;
const platformKeyOf = (image: Image): string => platformKey(image.platform);

function describeImage(image: Image, shown: 'digest' | 'platform'): string {
  const what = shown === 'digest' ? quote(digestOf(image)) : formatPlatform(image.platform);
  return `${what} from ${image.child.sources.map(quote).join(', ')}`;
}

function checkDuplicatePlatforms(images: readonly Image[], recordsSubject: string): void {
  const duplicates = groupBy(images, platformKeyOf).filter((group) => isMixed(group, digestOf));
  if (duplicates.length === 0) return;
  const problems = duplicates.map(
    (group) =>
      `${formatPlatform(group[0].platform)} has ${group.length} different images: ${group.map((image) => describeImage(image, 'digest')).join(' and ')}`,
  );
  throw new UserError(
    recordsSubject,
    `${problems.join('; ')}.`,
    'Keep one record per platform: remove the stale record, or fix the build job that built the wrong platform.',
  );
}

// Only an override can give one image two platforms: a build records the platform it checked the image against.
function checkConflictingPlatforms(images: readonly Image[], recordsSubject: string): void {
  const conflicts = groupBy(images, digestOf).filter((group) => isMixed(group, platformKeyOf));
  if (conflicts.length === 0) return;
  const problems = conflicts.map(
    (group) =>
      `${quote(digestOf(group[0]))} is recorded as ${group.map((image) => describeImage(image, 'platform')).join(' and as ')}`,
  );
  throw new UserError(
    recordsSubject,
    `${problems.join('; ')}.`,
    'Give each image one platform: correct platform-overrides, or remove the record with the wrong platform.',
  );
}

/** How a build job is usually named: by its architecture when it builds for Linux. */
function jobName(platform: Platform): string {
  const normalized = normalizePlatform(platform);
  return normalized.os === 'linux' ? formatPlatform(normalized).slice('linux/'.length) : formatPlatform(normalized);
}

function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function missingPlatforms(images: readonly Image[], options: ValidateOptions): UserError | undefined {
  const missing = options.platforms.filter(
    (expected) => !images.some((image) => fitsPlatform(expected, image.platform)),
  );
  if (missing.length === 0) return undefined;
  const found = [...new Set(images.map((image) => formatPlatform(image.platform)))].join(', ');
  const [verb, pronoun] = missing.length === 1 ? ['is', 'it'] : ['are', 'them'];
  const jobs = missing.length === 1 ? 'job' : 'jobs';
  return new UserError(
    'platforms',
    `${listed(missing.map(formatPlatform))} ${verb} expected but no record has ${pronoun} (found ${found}).`,
    `Check the ${listed(missing.map(jobName))} build ${jobs}, or set allow-partial: true.`,
  );
}

function checkUnexpectedPlatforms(images: readonly Image[], options: ValidateOptions): void {
  const unexpected = images.filter(
    (image) => !options.platforms.some((expected) => fitsPlatform(expected, image.platform)),
  );
  if (unexpected.length === 0) return;
  const [verb, pronoun] = unexpected.length === 1 ? ['is', 'it'] : ['are', 'them'];
  throw new UserError(
    'platforms',
    `${listed(unexpected.map((image) => describeImage(image, 'platform')))} ${verb} not expected (platforms: ${options.platforms.map(formatPlatform).join(', ')}).`,
    `Add ${pronoun} to platforms or remove ${unexpected.length === 1 ? 'its record' : 'their records'}.`,
  );
}

/**
 * Refuses what would publish a wrong index, before anything is written: no images, two images for one platform, one
 * image under two platforms, and (when `platforms` is set) a platform missing or one nobody asked for. A missing
 * platform is only a warning with allow-partial.
 */
export function validateChildren(
  children: readonly Child[],
  options: ValidateOptions,
): { readonly warnings: readonly string[] } {
  const images = imagesOf(children);
  if (images.length === 0) {
    throw new UserError(
      options.recordsSubject,
      'no digest records found.',
      'Check that the build jobs ran before this job (needs:) and wrote their records there.',
    );
  }
  checkDuplicatePlatforms(images, options.recordsSubject);
  checkConflictingPlatforms(images, options.recordsSubject);
  if (options.platforms.length === 0) return { warnings: [] };
  const missing = missingPlatforms(images, options);
  if (missing !== undefined && !options.allowPartial) throw missing;
  checkUnexpectedPlatforms(images, options);
  const warnings =
    missing === undefined
      ? []
      : [
          `${missing.subject}: ${missing.problem} Publishing the index with the platforms found, as allow-partial is true.`,
        ];
  return { warnings };
}
