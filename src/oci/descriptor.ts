import { OciError } from './errors.js';
import { isIndex, isImageManifest } from './mediatype.js';
import { isValidDigest } from './digest.js';

/** The OCI content descriptors and manifests the client reads and writes (image-spec descriptor.md, image-index.md). */

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
  readonly 'os.version'?: string;
  readonly 'os.features'?: readonly string[];
}

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly platform?: Platform;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly artifactType?: string;
  readonly urls?: readonly string[];
}

export interface ImageManifest {
  readonly schemaVersion: 2;
  readonly mediaType?: string;
  readonly artifactType?: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
  readonly subject?: Descriptor;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface Index {
  readonly schemaVersion: 2;
  readonly mediaType?: string;
  readonly artifactType?: string;
  readonly manifests: readonly Descriptor[];
  readonly subject?: Descriptor;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A manifest's exact bytes with the descriptor that names them; digests are over these bytes, never a re-encoding. */
export interface ManifestBytes {
  readonly descriptor: Descriptor;
  readonly bytes: Buffer;
}

/** Drops undefined members so that the object equals its own JSON round trip. */
export function definedOnly<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}

type Fail = (problem: string) => never;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readString(value: unknown, at: string, fail: Fail): string {
  if (typeof value === 'string') return value;
  return fail(`${at} must be a string`);
}

function readOptionalString(value: unknown, at: string, fail: Fail): string | undefined {
  return value === undefined ? undefined : readString(value, at, fail);
}

function readStrings(value: unknown, at: string, fail: Fail): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return fail(`${at} must be an array of strings`);
  return value.map((item, position) => readString(item, `${at}[${position}]`, fail));
}

function readAnnotations(value: unknown, at: string, fail: Fail): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) return fail(`${at} must be an object of strings`);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, readString(item, `${at}.${key}`, fail)]));
}

function readPlatform(value: unknown, at: string, fail: Fail): Platform | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) return fail(`${at} must be an object`);
  return definedOnly({
    architecture: readString(value.architecture, `${at}.architecture`, fail),
    os: readString(value.os, `${at}.os`, fail),
    'os.version': readOptionalString(value['os.version'], `${at}["os.version"]`, fail),
    'os.features': readStrings(value['os.features'], `${at}["os.features"]`, fail),
    variant: readOptionalString(value.variant, `${at}.variant`, fail),
  });
}

function readDigest(value: unknown, at: string, fail: Fail): string {
  const digest = readString(value, at, fail);
  return isValidDigest(digest) ? digest : fail(`${at} ${JSON.stringify(digest)} is not a valid digest`);
}

function readSize(value: unknown, at: string, fail: Fail): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  return fail(`${at} must be a non-negative integer`);
}

function readDescriptor(value: unknown, at: string, fail: Fail): Descriptor {
  if (!isObject(value)) return fail(`${at} must be a descriptor object`);
  return definedOnly({
    mediaType: readString(value.mediaType, `${at}.mediaType`, fail),
    digest: readDigest(value.digest, `${at}.digest`, fail),
    size: readSize(value.size, `${at}.size`, fail),
    artifactType: readOptionalString(value.artifactType, `${at}.artifactType`, fail),
    urls: readStrings(value.urls, `${at}.urls`, fail),
    platform: readPlatform(value.platform, `${at}.platform`, fail),
    annotations: readAnnotations(value.annotations, `${at}.annotations`, fail),
  });
}

function readDescriptors(value: unknown, at: string, fail: Fail): Descriptor[] {
  if (!Array.isArray(value)) return fail(`${at} must be an array`);
  return value.map((item, position) => readDescriptor(item, `${at}[${position}]`, fail));
}

/** JSON text to an object whose schemaVersion is 2 and whose mediaType, when present, is of the expected kind. */
function readTopLevel(
  bytes: Uint8Array,
  kind: { readonly name: string; readonly fits: (mediaType: string) => boolean },
  fail: Fail,
): { readonly object: Record<string, unknown>; readonly mediaType: string | undefined } {
  let object: unknown;
  try {
    object = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    return fail(`not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isObject(object)) return fail('not a JSON object');
  if (object.schemaVersion !== 2) fail(`schemaVersion is ${JSON.stringify(object.schemaVersion)}, expected 2`);
  const mediaType = readOptionalString(object.mediaType, 'mediaType', fail);
  if (mediaType !== undefined && !kind.fits(mediaType)) {
    fail(`mediaType ${JSON.stringify(mediaType)} is not an ${kind.name} media type`);
  }
  return { object, mediaType };
}

const indexKind = { name: 'index', fits: isIndex };
const imageManifestKind = { name: 'image manifest', fits: isImageManifest };

function failer(kind: { readonly name: string }, source: string): Fail {
  return (problem) => {
    const message = `invalid ${kind.name} from ${JSON.stringify(source)}: ${problem}`;
    throw new OciError({ code: 'INVALID_MANIFEST', message });
  };
}

/** The fields an index and an image manifest share, read from the top-level object. */
function readCommon(object: Record<string, unknown>, mediaType: string | undefined, fail: Fail) {
  return {
    schemaVersion: 2 as const,
    mediaType,
    artifactType: readOptionalString(object.artifactType, 'artifactType', fail),
    subject: object.subject === undefined ? undefined : readDescriptor(object.subject, 'subject', fail),
    annotations: readAnnotations(object.annotations, 'annotations', fail),
  };
}

/** Reads an OCI index or Docker manifest list; `source` (a reference or file) names it in errors. */
export function parseIndex(bytes: Uint8Array, source: string): Index {
  const fail = failer(indexKind, source);
  const { object, mediaType } = readTopLevel(bytes, indexKind, fail);
  const manifests = readDescriptors(object.manifests, 'manifests', fail);
  return definedOnly({ ...readCommon(object, mediaType, fail), manifests });
}

/** Reads an OCI or Docker image manifest (config + layers); `source` names it in errors. */
export function parseImageManifest(bytes: Uint8Array, source: string): ImageManifest {
  const fail = failer(imageManifestKind, source);
  const { object, mediaType } = readTopLevel(bytes, imageManifestKind, fail);
  const config = readDescriptor(object.config, 'config', fail);
  const layers = readDescriptors(object.layers, 'layers', fail);
  return definedOnly({ ...readCommon(object, mediaType, fail), config, layers });
}
