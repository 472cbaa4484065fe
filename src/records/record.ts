import { UserError } from '../errors.js';
import type { Platform } from '../oci/descriptor.js';
import { isValidDigest } from '../oci/digest.js';
import { OciError } from '../oci/errors.js';
import { MediaType } from '../oci/mediatype.js';
import { formatRepository, parseRepository } from '../oci/reference.js';

/**
 * The digest record: what one build job tells the merge about the single-platform image it pushed by digest.
 * Versioned so that a merge never misreads a record written by another version of the action.
 */
export interface DigestRecord {
  readonly schema: typeof recordSchema;
  readonly version: typeof recordVersion;
  /** The digest the build pushed: an image manifest, or an index holding one image and its attestations. */
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  /** The platform the job was asked to build, checked against the pushed image's config by the build action. */
  readonly platform: Platform;
  /** The repositories it was pushed to, as canonical names (`docker.io/library/app`, `ghcr.io/o/app`). */
  readonly images: readonly string[];
  /** Where it came from, when a GitHub run wrote it. */
  readonly run?: { readonly id: string; readonly attempt: number; readonly job?: string };
}

export const recordSchema = 'multiarch-publish/digest-record';
export const recordVersion = 1;

/** A record with where it was read from (a file path or an artifact name), so errors can name it. */
export interface SourcedRecord {
  readonly record: DigestRecord;
  readonly source: string;
}

type JsonObject = Readonly<Record<string, unknown>>;

const manifestMediaTypes: readonly string[] = [
  MediaType.ociIndex,
  MediaType.ociManifest,
  MediaType.dockerManifestList,
  MediaType.dockerManifest,
];
const rewriteFix =
  'Re-run the build job that wrote it: records are written by the build action and are not edited by hand.';
const longestShownValue = 120;

/** A JSON value as an error quotes it, cut short when long. */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > longestShownValue ? `${text.slice(0, longestShownValue)}…` : text;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fieldError(source: string, field: string, value: unknown, expected: string): UserError {
  const found = value === undefined ? `has no "${field}"` : `has "${field}" ${show(value)}`;
  return new UserError(source, `${found}; expected ${expected}.`, rewriteFix);
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(source, `is not valid JSON (${reason}): ${show(text)}.`, rewriteFix, { cause: error });
  }
}

function checkSchemaAndVersion(json: unknown, source: string): JsonObject {
  const schema = isObject(json) ? json.schema : undefined;
  if (!isObject(json) || schema !== recordSchema) {
    const found = !isObject(json)
      ? `it is ${show(json)}`
      : schema === undefined
        ? 'it has no "schema"'
        : `its "schema" is ${show(schema)}`;
    throw new UserError(
      source,
      `is not a multiarch-publish digest record (${found}, expected ${show(recordSchema)}).`,
      "Keep only the build jobs' digest records where the merge reads them (download only their artifacts into records-path).",
    );
  }
  const version = json.version;
  if (version === recordVersion) return json;
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw fieldError(source, 'version', version, `the number ${recordVersion}`);
  }
  const age = version > recordVersion ? 'newer' : 'older';
  throw new UserError(
    source,
    `was written by a ${age} version of multiarch-publish (record version ${version}; this one reads version ${recordVersion}).`,
    'Use the same multiarch-publish version in the build jobs and in the merge job.',
  );
}

function optionalString(source: string, object: JsonObject, field: string, prefix: string): string | undefined {
  const value = object[field];
  if (value === undefined || typeof value === 'string') return value;
  throw fieldError(source, `${prefix}${field}`, value, 'a string');
}

function requiredString(source: string, object: JsonObject, field: string, prefix = ''): string {
  const value = object[field];
  if (typeof value === 'string' && value !== '') return value;
  throw fieldError(source, `${prefix}${field}`, value, 'a non-empty string');
}

function parsePlatformField(source: string, value: unknown): Platform {
  if (!isObject(value)) throw fieldError(source, 'platform', value, 'an object with "os" and "architecture"');
  const features = value['os.features'];
  if (features !== undefined && !(Array.isArray(features) && features.every((item) => typeof item === 'string'))) {
    throw fieldError(source, 'platform.os.features', features, 'an array of strings');
  }
  const variant = optionalString(source, value, 'variant', 'platform.');
  const osVersion = optionalString(source, value, 'os.version', 'platform.');
  return {
    os: requiredString(source, value, 'os', 'platform.'),
    architecture: requiredString(source, value, 'architecture', 'platform.'),
    ...(variant === undefined ? {} : { variant }),
    ...(osVersion === undefined ? {} : { 'os.version': osVersion }),
    ...(features === undefined ? {} : { 'os.features': features as string[] }),
  };
}

function parseImagesField(source: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw fieldError(source, 'images', value, 'a non-empty array of repository names');
  }
  return value.map((image: unknown) => {
    if (typeof image !== 'string') throw fieldError(source, 'images', value, 'an array of repository names');
    try {
      return formatRepository(parseRepository(image));
    } catch (error) {
      if (!(error instanceof OciError)) throw error;
      throw new UserError(source, `has an invalid entry in "images": ${error.message}.`, rewriteFix, { cause: error });
    }
  });
}

function parseRunField(source: string, value: unknown): DigestRecord['run'] {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw fieldError(source, 'run', value, 'an object with "id" and "attempt"');
  const attempt = value.attempt;
  if (typeof attempt !== 'number' || !Number.isInteger(attempt) || attempt < 1) {
    throw fieldError(source, 'run.attempt', attempt, 'an integer of at least 1');
  }
  const job = optionalString(source, value, 'job', 'run.');
  return { id: requiredString(source, value, 'id', 'run.'), attempt, ...(job === undefined ? {} : { job }) };
}

function parseDigestField(source: string, value: unknown): string {
  if (typeof value === 'string' && isValidDigest(value)) return value;
  throw fieldError(source, 'digest', value, 'a digest such as "sha256:" followed by 64 lowercase hex digits');
}

function parseSizeField(source: string, value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  throw fieldError(source, 'size', value, 'a positive integer (bytes)');
}

function parseMediaTypeField(source: string, value: unknown): string {
  if (typeof value === 'string' && manifestMediaTypes.includes(value)) return value;
  throw fieldError(source, 'mediaType', value, `one of ${manifestMediaTypes.map((type) => show(type)).join(', ')}`);
}

/**
 * Reads a digest record, checking every field, so that a foreign or damaged file is refused by name before the merge
 * plans anything. Fields this version does not know are ignored: a v1 record may gain optional fields.
 */
export function parseRecord(text: string, source: string): DigestRecord {
  const json = checkSchemaAndVersion(parseJson(text, source), source);
  return createRecord({
    digest: parseDigestField(source, json.digest),
    mediaType: parseMediaTypeField(source, json.mediaType),
    size: parseSizeField(source, json.size),
    platform: parsePlatformField(source, json.platform),
    images: parseImagesField(source, json.images),
    run: parseRunField(source, json.run),
  });
}

function orderedPlatform(platform: Platform): Platform {
  return {
    os: platform.os,
    architecture: platform.architecture,
    ...(platform.variant === undefined ? {} : { variant: platform.variant }),
    ...(platform['os.version'] === undefined ? {} : { 'os.version': platform['os.version'] }),
    ...(platform['os.features'] === undefined ? {} : { 'os.features': [...platform['os.features']] }),
  };
}

/** A record with its fields in the one documented order, optional fields left out when unset. */
export function createRecord(fields: Omit<DigestRecord, 'schema' | 'version'>): DigestRecord {
  const run = fields.run;
  return {
    schema: recordSchema,
    version: recordVersion,
    digest: fields.digest,
    mediaType: fields.mediaType,
    size: fields.size,
    platform: orderedPlatform(fields.platform),
    images: [...fields.images],
    ...(run === undefined
      ? {}
      : { run: { id: run.id, attempt: run.attempt, ...(run.job === undefined ? {} : { job: run.job }) } }),
  };
}

/** The file form of a record: fixed key order, so the same record always gives the same bytes. */
export function serializeRecord(record: DigestRecord): string {
  return `${JSON.stringify(createRecord(record), null, 2)}\n`;
}
