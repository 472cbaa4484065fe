import { UserError, quote } from '../errors.js';
import {
  parseAttestations,
  parseBoolean,
  parseImages,
  parseImagesAndTags,
  parseInputValue,
  parseInsecureRegistries,
  parseList,
  parsePlatformInput,
  parsePlatformList,
  requireValue,
  type InputGetter,
} from '../inputs.js';
import { parseDigest } from '../oci/digest.js';
import { backends } from './backends/builders.js';
import type { Backend } from './backends/backend.js';
import type { PublishInputs } from '../publish/types.js';
import type { BuildInputs, Secret } from './types.js';

function optional(raw: string): string | undefined {
  const value = raw.trim();
  return value === '' ? undefined : value;
}

function parseBuilder(raw: string): Backend {
  const value = raw.trim() === '' ? 'buildx' : raw.trim();
  const backend = backends.find((each) => each.name === value);
  if (backend !== undefined) return backend;
  const names = backends.map((each) => each.name).join(', ');
  throw new UserError('builder', `${quote(value)} is not a builder.`, `Use one of ${names}.`);
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
  const backend = parseBuilder(get('builder'));
  const inputs: BuildInputs = {
    images,
    platform: parsePlatformInput('platform', requireValue('platform', get('platform'))),
    builder: backend.name,
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
    'insecure-registries': parseInsecureRegistries(get('insecure-registries')),
    publish: parsePublish(get),
  };
  checkBuilderCombination(inputs, backend);
  return inputs;
}

/** `tags` read with the grammar the merge action reads them with, for the same images; the rest as its defaults. */
function parsePublish(get: InputGetter): PublishInputs | undefined {
  if (get('tags').trim() === '') return undefined;
  return {
    ...parseImagesAndTags(get('images'), get('tags')),
    platforms: parsePlatformList('platforms', get('platforms')),
    attestations: parseAttestations(get('attestations')),
    annotations: { index: {}, descriptors: [] },
    'platform-overrides': [],
    'allow-partial': false,
    append: false,
    'dry-run': false,
    verify: true,
  };
}

function isSet(value: BuildInputs[keyof BuildInputs]): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== undefined;
}

/** What the chosen backend does not take is refused, naming the input, before anything is built or pushed. */
function checkBuilderCombination(inputs: BuildInputs, backend: Backend): void {
  if (backend.digest === 'required' && inputs.digest === undefined) {
    throw new UserError(
      'digest',
      `is required with builder: ${backend.name} (it records an image another step pushed).`,
      "Pass that step's digest output, or remove `builder: none` to build here.",
    );
  }
  if (backend.digest === 'refused' && inputs.digest !== undefined) {
    throw new UserError(
      'digest',
      `is set, but builder is ${backend.name}, which pushes its own image.`,
      'Remove `digest`, or set `builder: none` to record the image another step pushed.',
    );
  }
  const { refuses } = backend;
  const refused = refuses?.inputs.find((name) => isSet(inputs[name]));
  if (refuses && refused !== undefined) throw new UserError(refused, refuses.problem, refuses.fix(refused));
}
