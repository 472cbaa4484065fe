import { UserError } from '../errors.js';
import {
  parseBoolean,
  parseImages,
  parseInputValue,
  parseList,
  parsePlatformInput,
  quote,
  requireValue,
  type InputGetter,
} from '../inputs.js';
import type { Platform } from '../oci/descriptor.js';
import { parseDigest } from '../oci/digest.js';
import type { Repository } from '../oci/reference.js';
import { parseMergeInputs, type MergeInputs } from '../publish/inputs.js';

export const builders = ['buildx', 'buildah', 'none'] as const;
export type Builder = (typeof builders)[number];

/** The build action's inputs, keyed by their action.yml names. */
export interface BuildInputs {
  readonly images: readonly Repository[];
  readonly platform: Platform;
  readonly builder: Builder;
  /** builder none: the image another step pushed. */
  readonly digest: string | undefined;
  readonly context: string;
  readonly file: string | undefined;
  readonly target: string | undefined;
  readonly 'build-args': readonly string[];
  readonly labels: readonly string[];
  readonly annotations: readonly string[];
  /** `id=value` pairs; the values are secrets. */
  readonly secrets: readonly Secret[];
  readonly 'secret-files': readonly Secret[];
  readonly 'secret-envs': readonly Secret[];
  readonly provenance: string | undefined;
  readonly sbom: string | undefined;
  readonly 'cache-from': readonly string[];
  readonly 'cache-to': readonly string[];
  readonly 'no-cache': boolean;
  readonly pull: boolean;
  readonly 'records-path': string | undefined;
  readonly 'insecure-registries': readonly string[];
  /** The `tags` input: when set, this job also publishes the index of every record of the run it sees. */
  readonly publish: MergeInputs | undefined;
}

export interface Secret {
  readonly id: string;
  readonly value: string;
}

/** What only a builder uses, so that builder none (which builds nothing) can refuse it instead of ignoring it. */
const buildOnlyInputs = [
  'file',
  'target',
  'build-args',
  'labels',
  'annotations',
  'secrets',
  'secret-files',
  'secret-envs',
  'provenance',
  'sbom',
  'cache-from',
  'cache-to',
] as const;
/** What buildah has no equivalent of here: BuildKit attestations and BuildKit cache exporters. */
const buildxOnlyInputs = ['provenance', 'sbom', 'cache-from', 'cache-to'] as const;

function optional(raw: string): string | undefined {
  const value = raw.trim();
  return value === '' ? undefined : value;
}

function parseBuilder(raw: string): Builder {
  const value = raw.trim() === '' ? 'buildx' : raw.trim();
  if ((builders as readonly string[]).includes(value)) return value as Builder;
  throw new UserError('builder', `${quote(value)} is not a builder.`, `Use one of ${builders.join(', ')}.`);
}

function parseSecrets(name: string, raw: string): Secret[] {
  return parseList(name, raw, { ignoreComma: true, sensitive: true }).map((item, index) => {
    const equals = item.indexOf('=');
    const id = equals > 0 ? item.slice(0, equals).trim() : '';
    if (id !== '' && /^[A-Za-z0-9_.-]+$/.test(id)) return { id, value: item.slice(equals + 1) };
    // The item may be the secret itself, pasted without its id: no part of it is ever quoted.
    throw new UserError(
      name,
      `item ${index + 1} does not start with an id and "=" (an id is made of A-Z a-z 0-9 _ . -).`,
      'Write one secret per line as id=value.',
    );
  });
}

function parseSingleDigest(raw: string): string | undefined {
  const value = optional(raw);
  if (value === undefined) return undefined;
  const fix = "Pass the pushed image's digest, e.g. docker/build-push-action's `steps.<id>.outputs.digest`.";
  return parseInputValue('digest', value, parseDigest, fix);
}

/** Reads every input once, so that a wrong combination fails before anything is built or pushed. */
export function parseBuildInputs(get: InputGetter): BuildInputs {
  const images = parseImages('images', requireValue('images', get('images')));
  const inputs: BuildInputs = {
    images,
    platform: parsePlatformInput('platform', requireValue('platform', get('platform'))),
    builder: parseBuilder(get('builder')),
    digest: parseSingleDigest(get('digest')),
    context: optional(get('context')) ?? '.',
    file: optional(get('file')),
    target: optional(get('target')),
    'build-args': parseList('build-args', get('build-args'), { ignoreComma: true }),
    labels: parseList('labels', get('labels'), { ignoreComma: true }),
    annotations: parseList('annotations', get('annotations'), { ignoreComma: true }),
    secrets: parseSecrets('secrets', get('secrets')),
    'secret-files': parseSecrets('secret-files', get('secret-files')),
    'secret-envs': parseSecrets('secret-envs', get('secret-envs')),
    provenance: optional(get('provenance')),
    sbom: optional(get('sbom')),
    'cache-from': parseList('cache-from', get('cache-from'), { ignoreComma: true }),
    'cache-to': parseList('cache-to', get('cache-to'), { ignoreComma: true }),
    'no-cache': parseBoolean('no-cache', get('no-cache'), false),
    pull: parseBoolean('pull', get('pull'), false),
    'records-path': optional(get('records-path')),
    'insecure-registries': parseList('insecure-registries', get('insecure-registries')),
    publish: parsePublish(get),
  };
  checkBuilderCombination(inputs);
  return inputs;
}

/** `tags` read with the merge action's grammar (tags, full references, metadata-action JSON) for the same images. */
function parsePublish(get: InputGetter): MergeInputs | undefined {
  if (get('tags').trim() === '') return undefined;
  const shared = ['images', 'tags', 'platforms', 'attestations', 'records-path', 'insecure-registries'];
  return parseMergeInputs((name) => (shared.includes(name) ? get(name) : ''));
}

function isSet(value: BuildInputs[keyof BuildInputs]): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== undefined;
}

function checkBuilderCombination(inputs: BuildInputs): void {
  if (inputs.builder === 'none') {
    if (inputs.digest === undefined) {
      throw new UserError(
        'digest',
        'is required with builder: none (it records an image another step pushed).',
        "Pass that step's digest output, or remove `builder: none` to build here.",
      );
    }
    const stray = buildOnlyInputs.find((name) => isSet(inputs[name]));
    if (stray) {
      throw new UserError(
        stray,
        'is set, but builder is none, so nothing is built here.',
        `Remove \`${stray}\`, or build here with builder: buildx or buildah.`,
      );
    }
    return;
  }
  if (inputs.digest !== undefined) {
    throw new UserError(
      'digest',
      `is set, but builder is ${inputs.builder}, which pushes its own image.`,
      'Remove `digest`, or set `builder: none` to record the image another step pushed.',
    );
  }
  const unsupported = inputs.builder === 'buildah' ? buildxOnlyInputs.find((name) => isSet(inputs[name])) : undefined;
  if (unsupported) {
    throw new UserError(
      unsupported,
      'is a BuildKit option that builder buildah does not have.',
      `Remove \`${unsupported}\`, or use builder: buildx.`,
    );
  }
}
