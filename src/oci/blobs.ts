import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultRetryPolicy } from './retry.js';
import { responseError, OciError, type OciErrorCode } from './errors.js';
import { fromFirstSource } from './sources.js';
import type { Descriptor } from './descriptor.js';
import { sha256Digest, verifyingStream } from './digest.js';
import type { HttpResponse } from './http.js';
import { pullScope, pushScope, type RemoteRepository } from './client.js';

const blobPath = (repository: RemoteRepository, digest: string) => `/v2/${repository.path}/blobs/${digest}`;

export async function headBlob(repository: RemoteRepository, digest: string): Promise<boolean> {
  const response = await repository.client.request({
    method: 'HEAD',
    path: blobPath(repository, digest),
    scopes: [pullScope(repository)],
  });
  await response.discard();
  if (response.status === 200) return true;
  if (response.status === 404) return false;
  throw await responseError(response, 'HEAD', repository.client, `HEAD ${repository.name} blob ${digest}`);
}

export type BlobTransfer = 'mounted' | 'copied';

/**
 * Puts a blob `target` lacks there: a cross-repository mount when `source` is on the same registry (no bytes move),
 * else the bytes streamed from source to target, never held whole in memory. Either way the digest is checked.
 */
export async function transferBlob(
  source: RemoteRepository,
  target: RemoteRepository,
  blob: Descriptor,
): Promise<BlobTransfer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transferBlobOnce(source, target, blob);
    } catch (error) {
      if (attempt >= streamedTransferAttempts || !isTransient(error)) throw error;
      await sleep(transferRetryDelayMs * attempt);
    }
  }
}

// A streamed upload cannot be replayed by the transport (its body is read once from the source): a failure that a
// second attempt may cure starts the whole transfer again, with a fresh session and a fresh download: as many
// attempts as the transport gives a request it can replay.
const streamedTransferAttempts = defaultRetryPolicy.maxAttempts;
const transferRetryDelayMs = 250;
// A download cut short arrives as content that does not match its digest: a fresh download may well be whole.
const transientCodes: readonly OciErrorCode[] = ['SERVER_ERROR', 'TOO_MANY_REQUESTS', 'UNREACHABLE', 'DIGEST_MISMATCH'];

function isTransient(error: unknown): boolean {
  return error instanceof OciError && transientCodes.includes(error.code);
}

async function transferBlobOnce(
  source: RemoteRepository,
  target: RemoteRepository,
  blob: Descriptor,
): Promise<BlobTransfer> {
  const sameRegistry = source.client === target.client;
  const session = await openUpload(target, sameRegistry ? source : undefined, blob.digest);
  if (session === 'mounted') return 'mounted';
  return completeUpload(target, blob, () => streamBlob(source, target, blob, session));
}

/** Runs an upload; the closing PUT may have landed even though its answer was lost: the blob being there counts. */
async function completeUpload(
  target: RemoteRepository,
  blob: Descriptor,
  upload: () => Promise<void>,
): Promise<'copied'> {
  try {
    await upload();
  } catch (error) {
    if (await headBlob(target, blob.digest).catch(() => false)) return 'copied';
    throw error;
  }
  return 'copied';
}

// What a registry answers a mount it will not do with, besides the spec's upload session (202): a 401 where the
// family does so (its profile's refusedMount), or from any token registry whose token may not pull `from`.
const refusedMountStatuses = new Set([401, 403, 404]);

/**
 * Opens an upload session, asking for a mount from `mountFrom` first. A refused mount opens a session (202) or, on
 * some registries, is answered 401: then a plain session is opened, and the bytes are streamed after all.
 */
async function openUpload(
  target: RemoteRepository,
  mountFrom: RemoteRepository | undefined,
  digest: string,
): Promise<'mounted' | URL> {
  const query = mountFrom ? `?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(mountFrom.path)}` : '';
  const response = await target.client.request({
    method: 'POST',
    path: `/v2/${target.path}/blobs/uploads/${query}`,
    headers: { 'content-length': '0' },
    scopes: mountFrom ? [pushScope(target), pullScope(mountFrom)] : [pushScope(target)],
    // Where a 401 is the family's way to refuse a mount, no token is renewed for it: the plain upload follows.
    challengeIsAnswer: mountFrom !== undefined && target.client.profile.refusedMount === 'unauthorized',
  });
  await response.discard();
  if (mountFrom && response.status === 201) return 'mounted';
  if (mountFrom && refusedMountStatuses.has(response.status)) return openUpload(target, undefined, digest);
  if (response.status !== 202) {
    throw await responseError(response, 'POST', target.client, `start a blob upload to ${target.name}`);
  }
  return uploadLocation(response, target);
}

function uploadLocation(response: HttpResponse, target: RemoteRepository): URL {
  const location = response.header('location');
  if (location === undefined) {
    throw new OciError({
      code: 'REJECTED',
      message: `${target.name} opened a blob upload without a Location`,
      registry: target.client.registry,
    });
  }
  return new URL(location, response.url);
}

async function streamBlob(
  source: RemoteRepository,
  target: RemoteRepository,
  blob: Descriptor,
  session: URL,
): Promise<void> {
  const download = await fetchBlob(source, blob.digest);
  await closeUpload(target, blob, session, verified(download.stream(), blob));
}

/** A blob's bytes as the registry sends them (redirects to storage followed), unverified: callers check them. */
async function fetchBlob(repository: RemoteRepository, digest: string): Promise<HttpResponse> {
  const response = await repository.client.request({
    method: 'GET',
    path: blobPath(repository, digest),
    headers: { 'accept-encoding': 'identity' },
    scopes: [pullScope(repository)],
  });
  if (response.status === 200) return response;
  throw await responseError(response, 'GET', repository.client, `GET ${repository.name} blob ${digest}`);
}

/** Sends the whole blob in the PUT that closes the upload session (a monolithic upload: one request for the bytes). */
async function closeUpload(
  target: RemoteRepository,
  blob: Descriptor,
  session: URL,
  body: Readable | (() => Readable),
): Promise<void> {
  const url = new URL(session);
  url.searchParams.set('digest', blob.digest);
  const upload = await target.client.request({
    method: 'PUT',
    path: url,
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(blob.size) },
    body,
    scopes: [pushScope(target)],
  });
  if (upload.status !== 201) {
    if (typeof body !== 'function') body.destroy();
    throw await responseError(upload, 'PUT', target.client, `upload blob ${blob.digest} to ${target.name}`);
  }
  await upload.discard();
}

/**
 * Puts a blob from local content (`open` gives its bytes, e.g. a file of an OCI layout) into `target`, unless it is
 * there already; mounted instead of uploaded when `mountFrom`, on the same registry, has it.
 */
export async function uploadBlob(
  target: RemoteRepository,
  blob: Descriptor,
  open: () => Readable,
  mountFrom?: RemoteRepository,
): Promise<BlobTransfer | 'present'> {
  if (await headBlob(target, blob.digest)) return 'present';
  const session = await openUpload(target, mountFrom?.client === target.client ? mountFrom : undefined, blob.digest);
  if (session === 'mounted') return 'mounted';
  // A factory, since local content can be read again: the transport may then retry or re-authenticate the PUT.
  return completeUpload(target, blob, () => closeUpload(target, blob, session, () => verified(open(), blob)));
}

/** `source` checked against the descriptor as it is read; a read error (a file gone) fails the stream too. */
function verified(source: Readable, blob: Descriptor): Readable {
  const check = verifyingStream(blob);
  source.on('error', (error) => check.destroy(error));
  return source.pipe(check);
}

/** A small blob (an image config) read whole, its digest and size checked. */
export async function getBlob(repository: RemoteRepository, blob: Descriptor, limit: number): Promise<Buffer> {
  if (blob.size > limit) {
    throw new OciError({
      code: 'REJECTED',
      message: `${repository.name} blob ${blob.digest} is ${blob.size} bytes, more than the ${limit} expected`,
      registry: repository.client.registry,
    });
  }
  const bytes = await (await fetchBlob(repository, blob.digest)).bytes(limit);
  const digest = sha256Digest(bytes);
  if (digest !== blob.digest || bytes.length !== blob.size) {
    throw new OciError({
      code: 'DIGEST_MISMATCH',
      message: `${repository.name} blob ${blob.digest} arrived as ${bytes.length} bytes with digest ${digest}`,
      registry: repository.client.registry,
    });
  }
  return bytes;
}

/** Tries each source in turn for a blob; the first that has it wins. */
export function transferBlobFromAny(
  sources: readonly RemoteRepository[],
  target: RemoteRepository,
  blob: Descriptor,
): Promise<BlobTransfer> {
  return fromFirstSource(
    sources,
    (source) => transferBlob(source, target, blob),
    () =>
      new OciError({
        code: 'NOT_FOUND',
        message: `no source has blob ${blob.digest}`,
        registry: target.client.registry,
      }),
  );
}
