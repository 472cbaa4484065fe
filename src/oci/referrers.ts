import { Readable } from 'node:stream';
import { uploadBlob } from './blobs.js';
import { definedOnly, parseIndex, type Descriptor, type Index, type ManifestBytes } from './descriptor.js';
import { sha256Digest } from './digest.js';
import { OciError, isOciError, responseError } from './errors.js';
import { encodeIndex } from './index.js';
import { getManifest, putManifest } from './manifests.js';
import { MediaType, isIndex } from './mediatype.js';
import { pullScope, type RemoteRepository } from './client.js';

/**
 * OCI 1.1 referrers: an artifact manifest naming another manifest as its `subject`, found by that manifest's digest
 * through the registry's referrers API (distribution-spec "Listing Referrers") or, where there is none, through the
 * index the tag schema keeps under `sha256-<hex>` (distribution-spec "Referrers Tag Schema"). The registry profile
 * says which a family has; a registry that has the API confirms each push with an `OCI-Subject` header, and a push it
 * does not confirm is listed in the tag as well, as the spec requires of clients.
 */

/** What is attached: one blob (a Sigstore bundle, an SBOM) as the artifact's only layer. */
export interface Artifact {
  readonly artifactType: string;
  readonly layer: { readonly mediaType: string; readonly bytes: Buffer };
  readonly annotations: Readonly<Record<string, string>>;
}

/** Where a registry lists a referrer: its referrers API, or the fallback tag's index. */
export type ReferrersListing = 'api' | 'tag-schema';

export interface PushedReferrer {
  /** The digest of the manifest the artifact refers to. */
  readonly subject: string;
  /** The artifact manifest as it is listed: digest, size, artifactType and annotations. */
  readonly descriptor: Descriptor;
  readonly listing: ReferrersListing;
}

// image-spec manifest.md "Guidance for an Empty Descriptor": the two bytes `{}`.
const emptyConfig = Buffer.from('{}');
const emptyDescriptor: Descriptor = {
  mediaType: MediaType.ociEmpty,
  digest: sha256Digest(emptyConfig),
  size: emptyConfig.length,
};

/** The artifact manifest for one subject, and the descriptor a referrers listing has for it. Pure. */
export function referrerManifest(artifact: Artifact, subject: Descriptor): ManifestBytes & { listed: Descriptor } {
  const manifest = definedOnly({
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    artifactType: artifact.artifactType,
    config: emptyDescriptor,
    layers: [layerDescriptor(artifact)],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    ...annotationsOf(artifact),
  });
  const bytes = Buffer.from(JSON.stringify(manifest), 'utf8');
  const descriptor = { mediaType: MediaType.ociManifest, digest: sha256Digest(bytes), size: bytes.length };
  // The spec's listing entry: the manifest's artifactType and all of its annotations.
  return {
    descriptor,
    bytes,
    listed: { ...descriptor, artifactType: artifact.artifactType, ...annotationsOf(artifact) },
  };
}

/**
 * The tag of the tag schema: the algorithm cut at 32 characters, `-`, the encoded part cut at 64, characters a tag
 * cannot hold replaced by `-` (distribution-spec "Referrers Tag Schema"): `sha256:ab…` gives `sha256-ab…`.
 */
export function fallbackTag(digest: string): string {
  const separator = digest.indexOf(':');
  const algorithm = digest.slice(0, separator).slice(0, 32);
  const encoded = digest.slice(separator + 1).slice(0, 64);
  return `${algorithm}-${encoded}`.replace(/[^a-zA-Z0-9_.-]/g, '-');
}

/**
 * Attaches `artifact` to each subject in `repository`: its blobs once, then one manifest per subject. Every subject
 * must be in the repository already: registries index (and some check) the subject of the manifest they accept.
 */
export async function pushReferrers(
  repository: RemoteRepository,
  artifact: Artifact,
  subjects: readonly Descriptor[],
): Promise<PushedReferrer[]> {
  const blobs = [
    { blob: emptyDescriptor, bytes: emptyConfig },
    { blob: layerDescriptor(artifact), bytes: artifact.layer.bytes },
  ];
  await Promise.all(blobs.map(({ blob, bytes }) => uploadBlob(repository, blob, () => Readable.from(bytes))));
  return Promise.all(subjects.map((subject) => pushReferrer(repository, artifact, subject)));
}

async function pushReferrer(
  repository: RemoteRepository,
  artifact: Artifact,
  subject: Descriptor,
): Promise<PushedReferrer> {
  const manifest = referrerManifest(artifact, subject);
  const answer = await putManifest(repository, manifest.descriptor.digest, manifest);
  // A registry with the API confirms with OCI-Subject; a family without it, or an answer without it, needs the tag.
  const byApi = repository.client.profile.referrers === 'api' && answer.subject === subject.digest;
  if (!byApi) await listInFallbackTag(repository, subject.digest, manifest.listed);
  return { subject: subject.digest, descriptor: manifest.listed, listing: byApi ? 'api' : 'tag-schema' };
}

// Two writers adding to one tag at once: a conditional PUT refused (412) is read and merged again, a few times.
const fallbackAttempts = 3;

/** Adds `referrer` to the index under the subject's fallback tag, unless it is listed already. */
async function listInFallbackTag(repository: RemoteRepository, subject: string, referrer: Descriptor): Promise<void> {
  const tag = fallbackTag(subject);
  for (let attempt = 1; ; attempt++) {
    const { index, etag } = await readFallbackIndex(repository, tag);
    if (index.manifests.some((listed) => listed.digest === referrer.digest)) return;
    const bytes = encodeIndex({ ...index, manifests: [...index.manifests, referrer] });
    const descriptor = { mediaType: MediaType.ociIndex, digest: sha256Digest(bytes), size: bytes.length };
    try {
      await putManifest(repository, tag, { descriptor, bytes }, etag === undefined ? {} : { ifMatch: etag });
      return;
    } catch (error) {
      if (attempt >= fallbackAttempts || !(isOciError(error) && error.status === 412)) throw error;
    }
  }
}

async function readFallbackIndex(
  repository: RemoteRepository,
  tag: string,
): Promise<{ readonly index: Index; readonly etag?: string }> {
  try {
    const fetched = await getManifest(repository, tag);
    if (!isIndex(fetched.descriptor.mediaType)) {
      throw new OciError({
        code: 'REJECTED',
        message: `${repository.name}:${tag} holds a ${fetched.descriptor.mediaType}, not the index of referrers the tag schema keeps there`,
        registry: repository.client.registry,
      });
    }
    const index = parseIndex(fetched.bytes, `${repository.name}:${tag}`);
    return { index, ...(fetched.etag === undefined ? {} : { etag: fetched.etag }) };
  } catch (error) {
    if (!isOciError(error, 'NOT_FOUND')) throw error;
    return { index: { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] } };
  }
}

/**
 * The referrers of `subject` that `repository` lists in one place: its referrers API, or the fallback tag. A registry
 * answering 404 to the API has none, and its tag is read instead, as the spec tells clients to.
 */
export async function listReferrers(
  repository: RemoteRepository,
  subject: string,
  listing: ReferrersListing,
): Promise<readonly Descriptor[]> {
  if (listing === 'api') {
    const response = await repository.client.request({
      method: 'GET',
      path: `/v2/${repository.path}/referrers/${subject}`,
      headers: { accept: MediaType.ociIndex },
      scopes: [pullScope(repository)],
    });
    if (response.status === 200) {
      const bytes = await response.bytes(repository.client.profile.maxManifestBytes);
      return parseIndex(bytes, `${repository.name} referrers of ${subject}`).manifests;
    }
    if (response.status !== 404) {
      throw await responseError(response, 'GET', repository.client, `GET ${repository.name} referrers of ${subject}`);
    }
    await response.discard();
  }
  return (await readFallbackIndex(repository, fallbackTag(subject))).index.manifests;
}

function layerDescriptor(artifact: Artifact): Descriptor {
  const { mediaType, bytes } = artifact.layer;
  return { mediaType, digest: sha256Digest(bytes), size: bytes.length };
}

function sortedKeys(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, record[key] as string]),
  );
}

function annotationsOf(artifact: Artifact): Pick<Descriptor, 'annotations'> {
  return definedOnly({
    annotations: Object.keys(artifact.annotations).length > 0 ? sortedKeys(artifact.annotations) : undefined,
  });
}
