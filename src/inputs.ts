import { splitCsvRecords } from './csv.js';
import { quote, UserError } from './errors.js';
import type { Platform } from './oci/descriptor.js';
import { OciError } from './oci/errors.js';
import { parsePlatform, platformKey } from './oci/platform.js';
import { formatRepository, isValidTag, parseReference, parseRegistryName, type Repository } from './oci/reference.js';

/** The raw value of an action input, '' when unset; each action's main.ts supplies it from the runner. */
export type InputGetter = (name: string) => string;

/**
 * The list grammar of every docker/* action (actions-toolkit `Util.getInputList`), so that values move between
 * those actions and ours unchanged: items are separated by line breaks and by commas, trimmed, and empty ones dropped.
 * With `ignoreComma` only line breaks separate items, for values that contain commas (annotations). A `sensitive`
 * value (secrets) is never quoted in an error.
 * Quoting follows the toolkit exactly: quotes keep a comma inside an item only on a line with several items; a line
 * that is one quoted item is still split at its commas unless `ignoreComma` is set. Like the toolkit's default,
 * `#` starts no comment.
 */
export function parseList(
  name: string,
  raw: string,
  options: { readonly ignoreComma?: boolean; readonly sensitive?: boolean } = {},
): string[] {
  const text = raw.trim();
  const records = splitCsvRecords(text);
  if (records === undefined) {
    throw new UserError(
      name,
      options.sensitive
        ? 'has a double quote that is never closed.'
        : `has a double quote that is never closed: ${quote(text)}.`,
      'Close the quote with a second `"`; quotes are only needed around an item that holds a comma or a line break.',
    );
  }
  const items: string[] = [];
  for (const record of records) {
    if (options.ignoreComma) items.push(record.join(','));
    else if (record.length === 1) items.push(...(record[0] ?? '').split(','));
    else items.push(...record);
  }
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

const trueWords = ['true', 'True', 'TRUE'];
const falseWords = ['false', 'False', 'FALSE'];

/** A boolean input as `core.getBooleanInput` reads it (YAML 1.2 core schema words), with a fallback when unset. */
export function parseBoolean(name: string, raw: string, fallback: boolean): boolean {
  const value = raw.trim();
  if (value === '') return fallback;
  if (trueWords.includes(value)) return true;
  if (falseWords.includes(value)) return false;
  throw new UserError(name, `${quote(value)} is not a boolean.`, 'Use true or false.');
}

export function requireValue(name: string, raw: string): string {
  const value = raw.trim();
  if (value === '') throw new UserError(name, 'is required but is empty.', `Set \`${name}\` in the step's \`with:\`.`);
  return value;
}

/**
 * Runs a src/oci parser on one input value and turns its OciError, which states the fact and quotes the value, into
 * a UserError naming the input with the fix the caller knows. Anything else is a bug and passes through.
 */
export function parseInputValue<T>(name: string, value: string, parse: (value: string) => T, fix: string): T {
  try {
    return parse(value);
  } catch (error) {
    if (error instanceof OciError) throw new UserError(name, `${error.message}.`, fix, { cause: error });
    throw error;
  }
}

const platformFix = 'Write a platform as os/architecture[/variant], e.g. linux/amd64 or linux/arm/v7.';

/** One platform (`linux/arm/v7`, `windows(10.0.20348)/amd64`), as containerd parses it; the error names the input. */
export function parsePlatformInput(name: string, item: string): Platform {
  return parseInputValue(name, item, parsePlatform, platformFix);
}

/** A list of platforms, each once however it is spelled (arm64 = arm64/v8 = aarch64), in the order given. */
export function parsePlatformList(name: string, raw: string): Platform[] {
  const seen = new Map<string, string>();
  return parseList(name, raw).map((item) => {
    const platform = parsePlatformInput(name, item);
    const earlier = seen.get(platformKey(platform));
    if (earlier !== undefined) {
      throw new UserError(name, `${quote(item)} is the same platform as ${quote(earlier)}.`, 'List it once.');
    }
    seen.set(platformKey(platform), item);
    return platform;
  });
}

function parseImage(name: string, item: string): Repository {
  const fix = 'Write each image as a repository, e.g. ghcr.io/owner/app or docker.io/owner/app.';
  const reference = parseInputValue(name, item, parseReference, fix);
  const repository = formatRepository(reference);
  if (reference.tag !== undefined) {
    throw new UserError(
      name,
      `${quote(item)} has the tag ${quote(reference.tag)}, but images are repositories without tags.`,
      `Write ${quote(repository)} here and put ${quote(reference.tag)} in the merge step's \`tags\`.`,
    );
  }
  if (reference.digest !== undefined) {
    throw new UserError(
      name,
      `${quote(item)} has a digest, but images are repositories.`,
      `Write ${quote(repository)}: the digests come from the build jobs' records.`,
    );
  }
  return { registry: reference.registry, path: reference.path };
}

/** A list of repositories (`ghcr.io/o/app,docker.io/o/app`), canonical and each once, in the order given. */
export function parseImages(name: string, raw: string): Repository[] {
  return uniqueBy(
    parseList(name, raw).map((item) => parseImage(name, item)),
    formatRepository,
  );
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const itemKey = key(item);
    if (seen.has(itemKey)) return false;
    seen.add(itemKey);
    return true;
  });
}

/** A tag for every image, or, when the input gave a full reference, for that one repository only. */
export interface TagTarget {
  readonly tag: string;
  readonly repository?: Repository;
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

/**
 * `images` and `tags` together, as both actions take them: tags as a list, as full references (each for its own
 * repository), or as docker/metadata-action's `json` output. Every image must get a tag, and every tag's repository
 * must be an image; with no images, the full references name them.
 */
export function parseImagesAndTags(
  rawImages: string,
  rawTags: string,
): { readonly images: readonly Repository[]; readonly tags: readonly TagTarget[] } {
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
    // Found here, before a build job pushes anything, not when the plan is made.
    images.forEach((image) => requireTagsFor(image, tags));
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

/** The tags `repository` gets: every plain tag, and those written as its own full reference; none is an error. */
export function requireTagsFor(repository: Repository, tags: readonly TagTarget[]): string[] {
  const reference = formatRepository(repository);
  const own = tags.filter((each) => each.repository === undefined || formatRepository(each.repository) === reference);
  if (own.length > 0) return [...new Set(own.map((each) => each.tag))];
  throw new UserError(
    'tags',
    `has no tag for the image ${quote(reference)}: every tag names another repository.`,
    `Add a tag for it, e.g. ${quote(`${reference}:latest`)}, or remove it from images.`,
  );
}

function parseInsecureRegistry(item: string): string {
  const name = 'insecure-registries';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(item)) {
    const host = item.replace(/^[^:]+:\/\//, '').replace(/\/.*$/, '');
    throw new UserError(name, `${quote(item)} is a URL.`, `Write the registry as host[:port], e.g. ${quote(host)}.`);
  }
  const fix = 'Write the registry as it appears in `images`, e.g. localhost:5000 or registry.internal:5000.';
  return parseInputValue(name, item, parseRegistryName, fix);
}

/** `insecure-registries`: registry names (host[:port]) that may be reached over plain HTTP, each once. */
export function parseInsecureRegistries(raw: string): string[] {
  return [...new Set(parseList('insecure-registries', raw).map(parseInsecureRegistry))];
}

/** `attestations`: keep BuildKit's attestation manifests beside their images (the default), or drop them. */
export function parseAttestations(raw: string): 'keep' | 'drop' {
  const value = raw.trim();
  if (value === '' || value === 'keep') return 'keep';
  if (value === 'drop') return 'drop';
  throw new UserError('attestations', `${quote(value)} is neither keep nor drop.`, 'Use keep (the default) or drop.');
}

/** An input that may be left empty, such as `records-path`: undefined when it is. */
export function optionalValue(raw: string): string | undefined {
  const value = raw.trim();
  return value === '' ? undefined : value;
}
