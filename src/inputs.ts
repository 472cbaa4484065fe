import { UserError } from './errors.js';
import type { Platform } from './oci/descriptor.js';
import { OciError } from './oci/errors.js';
import { parsePlatform, platformKey } from './oci/platform.js';
import { formatRepository, parseReference, type Repository } from './oci/reference.js';

/** The raw value of an action input, '' when unset; each action's main.ts supplies it from the runner. */
export type InputGetter = (name: string) => string;

const longestQuotedValue = 200;

/** A value as an error message shows it: in double quotes, escaped, cut short when long. */
export function quote(value: string): string {
  const shown = value.length > longestQuotedValue ? `${value.slice(0, longestQuotedValue)}…` : value;
  return JSON.stringify(shown);
}

/**
 * Splits text into CSV records the way docker/actions-toolkit's `Util.getList` has csv-parse do it (relaxed quotes,
 * any number of fields, empty lines skipped): a field that starts with `"` runs to the next lone `"` and may hold
 * commas and line breaks, `""` inside it is one `"`, and a quote anywhere else is an ordinary character.
 */
function splitRecords(name: string, text: string, sensitive: boolean): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoting = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const character = text[i];
    if (quoting) {
      if (character !== '"') {
        field += character;
      } else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else {
        quoting = false;
        // csv-parse's relax_quotes: text right after a closing quote means the quotes were literal after all.
        if (!isFieldEnd(text[i + 1])) field = `"${field}"`;
      }
    } else if (character === '"' && field === '' && !wasQuoted) {
      quoting = wasQuoted = true;
    } else if (character === ',') {
      fields.push(field);
      [field, wasQuoted] = ['', false];
    } else if (character === '\n' || character === '\r') {
      if (character === '\r' && text[i + 1] === '\n') i++;
      if (fields.length > 0 || field !== '' || wasQuoted) records.push([...fields, field]);
      [fields, field, wasQuoted] = [[], '', false];
    } else {
      field += character;
    }
  }
  if (quoting) {
    throw new UserError(
      name,
      sensitive
        ? 'has a double quote that is never closed.'
        : `has a double quote that is never closed: ${quote(text)}.`,
      'Close the quote with a second `"`; quotes are only needed around an item that holds a comma or a line break.',
    );
  }
  if (fields.length > 0 || field !== '' || wasQuoted) records.push([...fields, field]);
  return records;
}

function isFieldEnd(character: string | undefined): boolean {
  return character === undefined || character === ',' || character === '\n' || character === '\r';
}

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
  const items: string[] = [];
  for (const record of splitRecords(name, raw.trim(), options.sensitive === true)) {
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
  const seen = new Set<string>();
  return parseList(name, raw)
    .map((item) => parseImage(name, item))
    .filter((repository) => {
      const key = formatRepository(repository);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
