import { responseError, OciError, isOciError, redactUrl } from './errors.js';
import type { Descriptor, ManifestBytes } from './descriptor.js';
import { sha256Digest, isValidDigest } from './digest.js';
import { referencesOf } from './index.js';
import { manifestAccept } from './mediatype.js';
import { pollUntil } from './retry.js';
import { pullScope, pushScope, type RemoteRepository } from './client.js';

/** A manifest as GET returned it, with the ETag a conditional PUT of the same reference can name. */
export interface FetchedManifest extends ManifestBytes {
  readonly etag?: string;
}

export interface ConsistencyOptions {
  /** How long a 404 may be waited out, for content that was pushed moments ago (some registries show it late). */
  readonly waitMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const manifestPath = (repository: RemoteRepository, reference: string) =>
  `/v2/${repository.path}/manifests/${reference}`;

/** How long content just written may take to show in `repository`: `override`, or its registry family's wait. */
export function consistencyWait(repository: RemoteRepository, override?: number): number {
  return override ?? repository.client.profile.consistencyWaitMs;
}

/** The descriptor a tag or digest resolves to in `repository`, or undefined when there is none. */
export async function headManifest(
  repository: RemoteRepository,
  reference: string,
  options: ConsistencyOptions = {},
): Promise<Descriptor | undefined> {
  return withConsistencyWait(options, async () => {
    const response = await repository.client.request({
      method: 'HEAD',
      path: manifestPath(repository, reference),
      headers: { accept: manifestAccept },
      scopes: [pullScope(repository)],
    });
    await response.discard();
    if (response.status === 404) return undefined;
    if (response.status !== 200)
      throw await responseError(response, 'HEAD', repository.client, `HEAD ${repository.name}@${reference}`);
    const digest = response.header('docker-content-digest') ?? (isValidDigest(reference) ? reference : undefined);
    if (digest === undefined) return (await getManifest(repository, reference)).descriptor;
    return {
      mediaType: mediaTypeOf(response.header('content-type')),
      digest,
      size: Number(response.header('content-length') ?? 0),
    };
  });
}

/**
 * A manifest's exact bytes; checked against the digest asked for and the one the registry states. A 404 is waited
 * out for `options.waitMs` (none by default), then thrown as NOT_FOUND.
 */
export async function getManifest(
  repository: RemoteRepository,
  reference: string,
  options: ConsistencyOptions = {},
): Promise<FetchedManifest> {
  const found = await withConsistencyWait(options, () => readManifest(repository, reference));
  return found as FetchedManifest;
}

async function readManifest(repository: RemoteRepository, reference: string): Promise<FetchedManifest> {
  const response = await repository.client.request({
    method: 'GET',
    path: manifestPath(repository, reference),
    headers: { accept: manifestAccept, 'accept-encoding': 'identity' },
    scopes: [pullScope(repository)],
  });
  const what = `GET ${repository.name}@${reference}`;
  if (response.status !== 200) throw await responseError(response, 'GET', repository.client, what);
  // A registry serves no manifest larger than it accepts.
  const bytes = await response.bytes(repository.client.profile.maxManifestBytes);
  const digest = sha256Digest(bytes);
  const stated = response.header('docker-content-digest');
  for (const expected of [
    isValidDigest(reference) ? reference : undefined,
    stated?.startsWith('sha256:') ? stated : undefined,
  ]) {
    if (expected !== undefined && expected !== digest) {
      throw new OciError({
        code: 'DIGEST_MISMATCH',
        message: `${what} returned content with digest ${digest}, expected ${expected}`,
        registry: repository.client.registry,
        method: 'GET',
        url: redactUrl(response.url),
      });
    }
  }
  const etag = response.header('etag');
  return {
    descriptor: { mediaType: mediaTypeOf(response.header('content-type'), bytes), digest, size: bytes.length },
    bytes,
    ...(etag === undefined ? {} : { etag }),
  };
}

export interface PutManifestOptions extends ConsistencyOptions {
  /** The ETag the reference had when it was read: the registry refuses the PUT (412) if it changed since. */
  readonly ifMatch?: string;
}

/** What the registry said of a manifest it accepted. */
export interface PutManifestResult {
  /** `OCI-Subject`: the registry indexed the manifest's subject for its referrers API (distribution-spec 1.1). */
  readonly subject?: string;
}

/**
 * Writes a manifest under a tag or its digest. Callers make every reference present first, so a registry that
 * reports one unknown (MANIFEST_BLOB_UNKNOWN) is inconsistent for a moment, not missing it: an eventually consistent
 * one, or distribution on a filesystem, whose link files read empty while a concurrent push of the same
 * blob rewrites them (answered DIGEST_INVALID with MANIFEST_BLOB_UNKNOWN). That is waited out for `waitMs`
 * (the registry family's wait unless given). The registry's digest must be ours.
 */
export async function putManifest(
  repository: RemoteRepository,
  reference: string,
  manifest: ManifestBytes,
  options: PutManifestOptions = {},
): Promise<PutManifestResult> {
  const what = `PUT ${repository.name}${isValidDigest(reference) ? '@' : ':'}${reference}`;
  const headers = {
    'content-type': manifest.descriptor.mediaType,
    'content-length': String(manifest.bytes.length),
    ...(options.ifMatch === undefined ? {} : { 'if-match': options.ifMatch }),
  };
  const attempt = async (): Promise<PutManifestResult> => {
    const response = await repository.client.request({
      method: 'PUT',
      path: manifestPath(repository, reference),
      headers,
      body: manifest.bytes,
      scopes: [pushScope(repository)],
    });
    if (response.status < 200 || response.status > 299) {
      const error = await responseError(response, 'PUT', repository.client, what);
      throw error.registryCodes.includes('MANIFEST_BLOB_UNKNOWN') ? unknownReference(error, manifest) : error;
    }
    await response.discard();
    const stated = response.header('docker-content-digest');
    if (stated !== undefined && stated !== manifest.descriptor.digest) {
      throw new OciError({
        code: 'DIGEST_MISMATCH',
        message: `${what} was stored with digest ${stated}, expected ${manifest.descriptor.digest}`,
        registry: repository.client.registry,
        method: 'PUT',
        url: redactUrl(response.url),
      });
    }
    const subject = response.header('oci-subject');
    return subject === undefined ? {} : { subject };
  };
  return (
    (await withConsistencyWait({ ...options, waitMs: consistencyWait(repository, options.waitMs) }, attempt)) ?? {}
  );
}

/**
 * A refusal for a reference the registry does not hold, as NOT_FOUND (what a wait may cure), saying which reference it
 * named (the detail of MANIFEST_BLOB_UNKNOWN is its digest, in distribution and the registries built on it) and what the manifest calls
 * it: a child, the subject, the config or a layer.
 */
function unknownReference(error: OciError, manifest: ManifestBytes): OciError {
  const references = referencesOf(manifest);
  const named = error.registryDetails
    .map((detail) => references.find((reference) => detail.includes(reference.descriptor.digest)))
    .find((reference) => reference !== undefined);
  const which = named === undefined ? '' : `; it lacks the manifest's ${named.role} ${named.descriptor.digest}`;
  return new OciError({
    ...error,
    code: 'NOT_FOUND',
    message: `${error.message}${which}`,
    registryCodes: error.registryCodes,
  });
}

/** Runs `operation`; while it answers "not there" (undefined, or a NOT_FOUND error), tries again within the wait. */
async function withConsistencyWait<T>(
  options: ConsistencyOptions,
  operation: () => Promise<T | undefined>,
): Promise<T | undefined> {
  const attempt = async (): Promise<{ readonly value?: T; readonly notFound?: OciError }> => {
    try {
      return { value: await operation() };
    } catch (error) {
      if (isOciError(error, 'NOT_FOUND')) return { notFound: error };
      throw error;
    }
  };
  const last = await pollUntil(attempt, (reading) => reading.value !== undefined, {
    ...options,
    waitMs: options.waitMs ?? 0,
  });
  if (last.notFound) throw last.notFound;
  return last.value;
}

/** The media type from Content-Type without parameters, or from the body's own mediaType field. */
function mediaTypeOf(contentType: string | undefined, bytes?: Buffer): string {
  const fromHeader = contentType?.split(';')[0]?.trim();
  if (fromHeader && fromHeader !== 'application/json' && fromHeader !== 'text/plain') return fromHeader;
  if (bytes) {
    try {
      const parsed = JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown };
      if (typeof parsed.mediaType === 'string') return parsed.mediaType;
    } catch {
      // Not JSON: the caller's parser reports it with the source named.
    }
  }
  return fromHeader ?? 'application/octet-stream';
}
