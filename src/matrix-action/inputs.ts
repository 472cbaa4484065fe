import { UserError, quote } from '../errors.js';
import { parseBoolean, parseInputValue, parsePlatformList, requireValue, type InputGetter } from '../inputs.js';
import type { Platform } from '../oci/descriptor.js';
import { OciError } from '../oci/errors.js';
import { normalizePlatform, parsePlatform } from '../oci/platform.js';

/** What a job's `runs-on:` takes: one label, or several that a self-hosted runner must all carry. */
export type RunsOn = string | readonly string[];

/** One line of `runners`: platforms whose os[/architecture[/variant]] start with `prefix` run on `runs-on`. */
export interface RunnerRule {
  /** Normalised path segments: ['windows'], ['linux', 'arm'] (every variant), ['linux', 'arm', 'v7']. */
  readonly prefix: readonly string[];
  readonly 'runs-on': RunsOn;
}

export interface MatrixInputs {
  /** As written (lower-cased), in the order given, each platform once. */
  readonly platforms: readonly Platform[];
  readonly runners: readonly RunnerRule[];
  readonly emulate: boolean;
}

const ruleFix =
  'Write one rule a line: PLATFORM=LABEL or PLATFORM=["self-hosted","LABEL"], e.g. linux/arm64=my-arm-runner.';

function parsePlatforms(raw: string): Platform[] {
  const platforms = parsePlatformList('platforms', requireValue('platforms', raw));
  if (platforms.length === 0) {
    throw new UserError(
      'platforms',
      `lists no platform: ${quote(raw)}.`,
      'List the platforms, e.g. linux/amd64,linux/arm64.',
    );
  }
  return platforms;
}

// An os alone goes through parsePlatform with a stand-in architecture, so the list of known systems stays in one place.
function parseOsPrefix(line: string, os: string): string[] {
  try {
    return [normalizePlatform(parsePlatform(`${os}/amd64`)).os];
  } catch (error) {
    if (!(error instanceof OciError)) throw error;
    throw new UserError(
      'runners',
      `${quote(line)} starts with ${quote(os)}, which is not an operating system.`,
      'Start the rule with an os such as linux or windows, or an os/architecture such as linux/arm64.',
      { cause: error },
    );
  }
}

/**
 * A prefix with an architecture is normalised like a platform, except that a canonical architecture written without
 * a variant keeps meaning every variant (`linux/arm` covers arm/v6 and arm/v7), while an alias stands for the one
 * platform it names (`linux/armhf` is linux/arm/v7, `linux/aarch64` is linux/arm64).
 */
function parsePlatformPrefix(line: string, text: string): string[] {
  const written = parseInputValue('runners', text, parsePlatform, ruleFix);
  if (written['os.version'] !== undefined || written['os.features'] !== undefined) {
    throw new UserError(
      'runners',
      `${quote(line)} names an os version or feature, but rules match only os/architecture/variant.`,
      `Write the rule for ${quote(`${written.os}/${written.architecture}`)}.`,
    );
  }
  const normalized = normalizePlatform(written);
  const keepsEveryVariant = written.variant === undefined && normalized.architecture === written.architecture;
  if (keepsEveryVariant) return [normalized.os, normalized.architecture];
  return [normalized.os, normalized.architecture, ...(normalized.variant === undefined ? [] : [normalized.variant])];
}

function parsePrefix(line: string, text: string): string[] {
  return /[/()]/.test(text) ? parsePlatformPrefix(line, text) : parseOsPrefix(line, text);
}

function parseLabelArray(line: string, text: string): string[] {
  let labels: unknown;
  try {
    labels = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError('runners', `${quote(line)} has labels that are not valid JSON (${reason}).`, ruleFix);
  }
  if (!isLabelList(labels)) {
    throw new UserError('runners', `${quote(line)} needs a JSON array of non-empty label strings.`, ruleFix);
  }
  return labels.map((label) => label.trim());
}

function isLabelList(value: unknown): value is string[] {
  return (
    Array.isArray(value) && value.length > 0 && value.every((label) => typeof label === 'string' && label.trim() !== '')
  );
}

function parseRunsOn(line: string, text: string): RunsOn {
  if (text.startsWith('[')) return parseLabelArray(line, text);
  if (text === '') throw new UserError('runners', `${quote(line)} has no runner label after "=".`, ruleFix);
  if (/[\s,"']/.test(text)) {
    const labels = text.split(/[\s,"']+/).filter((label) => label !== '');
    throw new UserError(
      'runners',
      `${quote(line)} has a label with a comma, quote or space in it.`,
      `Write several labels as a JSON array: \`${line.slice(0, line.indexOf('=')).trim()}=${JSON.stringify(labels)}\`.`,
    );
  }
  return text;
}

function parseRule(line: string): RunnerRule {
  const equals = line.indexOf('=');
  if (equals === -1) throw new UserError('runners', `${quote(line)} has no "=".`, ruleFix);
  const prefixText = line.slice(0, equals).trim();
  if (prefixText === '') throw new UserError('runners', `${quote(line)} has no platform before "=".`, ruleFix);
  const prefix = parsePrefix(line, prefixText);
  return { prefix, 'runs-on': parseRunsOn(line, line.slice(equals + 1).trim()) };
}

// One rule a line, not the comma/CSV list grammar: a JSON label array holds commas and quotes that it would split.
function parseRunners(raw: string): RunnerRule[] {
  const lines = raw
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const seen = new Map<string, string>();
  return lines.map((line) => {
    const rule = parseRule(line);
    const earlier = seen.get(rule.prefix.join('/'));
    if (earlier !== undefined) {
      throw new UserError('runners', `${quote(line)} is for the same platforms as ${quote(earlier)}.`, 'Keep one.');
    }
    seen.set(rule.prefix.join('/'), line);
    return rule;
  });
}

/** Reads and checks every input of the plan action. */
export function parseMatrixInputs(get: InputGetter): MatrixInputs {
  return {
    platforms: parsePlatforms(get('platforms')),
    runners: parseRunners(get('runners')),
    emulate: parseBoolean('emulate', get('emulate'), false),
  };
}
