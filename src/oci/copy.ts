import { headBlob, transferBlobFromAny, type BlobTransfer } from './blobs.js';
import type { Descriptor, ManifestBytes } from './descriptor.js';
import { OciError, isOciError } from './errors.js';
import { parseImageManifest, parseIndex } from './index.js';
import { getManifest, headManifest, putManifest } from './manifests.js';
import { isIndex } from './mediatype.js';
import type { RemoteRepository } from './remote.js';

export interface CopyTally {
  manifests: number;
  blobsMounted: number;
  blobsCopied: number;
}

export const emptyTally = (): CopyTally => ({ manifests: 0, blobsMounted: 0, blobsCopied: 0 });

export interface CopyOptions {
  /** Counts what was copied; shared by the copies of one target. */
  readonly tally?: CopyTally;
  /** How long the manifest PUT waits out references the registry does not show yet (see putManifest). */
  readonly waitMs?: number;
}

/**
 * Makes a manifest that `target` lacks exist there, by digest: its bytes come from the first source that has them,
 * its blobs are mounted from a source on the same registry or streamed from another, and nested manifests are made
 * present first, since a registry refuses a manifest whose references it does not hold.
 */
export async function copyManifest(
  descriptor: Descriptor,
  sources: readonly RemoteRepository[],
  target: RemoteRepository,
  options: CopyOptions = {},
): Promise<CopyTally> {
  const tally = options.tally ?? emptyTally();
  const ordered = sameRegistryFirst(sources, target);
  const manifest = await getFromAny(descriptor, ordered);
  await Promise.all(
    references(manifest).map(async (reference) => {
      if (reference.kind === 'manifest') {
        if ((await headManifest(target, reference.descriptor.digest)) === undefined) {
          await copyManifest(reference.descriptor, ordered, target, { ...options, tally });
        }
        return;
      }
      if (await headBlob(target, reference.descriptor.digest)) return;
      count(tally, await transferBlobFromAny(ordered, target, reference.descriptor));
    }),
  );
  await putManifest(target, descriptor.digest, manifest, { waitMs: options.waitMs });
  tally.manifests++;
  return tally;
}

function count(tally: CopyTally, transfer: BlobTransfer): void {
  if (transfer === 'mounted') tally.blobsMounted++;
  else tally.blobsCopied++;
}

type ManifestReference = { readonly kind: 'manifest' | 'blob'; readonly descriptor: Descriptor };

/** What a manifest points at that must exist first: an index's children, or an image's config and layers. */
function references(manifest: ManifestBytes): ManifestReference[] {
  const source = manifest.descriptor.digest;
  if (isIndex(manifest.descriptor.mediaType)) {
    return parseIndex(manifest.bytes, source).manifests.map((descriptor) => ({ kind: 'manifest', descriptor }));
  }
  const image = parseImageManifest(manifest.bytes, source);
  // Layers with `urls` are foreign (Windows base layers): registries neither hold nor need them.
  const blobs = [image.config, ...image.layers.filter((layer) => !layer.urls?.length)];
  return blobs.map((descriptor) => ({ kind: 'blob', descriptor }));
}

async function getFromAny(descriptor: Descriptor, sources: readonly RemoteRepository[]): Promise<ManifestBytes> {
  let lastError: unknown;
  for (const source of sources) {
    try {
      return await getManifest(source, descriptor.digest);
    } catch (error) {
      if (!isOciError(error, 'NOT_FOUND')) throw error;
      lastError = error;
    }
  }
  throw (
    lastError ??
    new OciError({ code: 'NOT_FOUND', message: `no repository to copy ${descriptor.digest} from`, registry: undefined })
  );
}

/** Mounting needs a source on the target's own registry, so those are tried first. */
function sameRegistryFirst(sources: readonly RemoteRepository[], target: RemoteRepository): RemoteRepository[] {
  const same = sources.filter((source) => source.client === target.client && source.path !== target.path);
  const other = sources.filter((source) => source.client !== target.client);
  return [...same, ...other];
}
