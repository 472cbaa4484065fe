import { headBlob, transferBlobFromAny, type BlobTransfer } from './blobs.js';
import type { Descriptor, ManifestBytes } from './descriptor.js';
import { OciError } from './errors.js';
import { fromFirstSource } from './sources.js';
import { referencesOf } from './index.js';
import { getManifest, headManifest, putManifest } from './manifests.js';
import type { RemoteRepository } from './client.js';

export interface CopyTally {
  manifests: number;
  blobsMounted: number;
  blobsCopied: number;
}

export const emptyTally = (): CopyTally => ({ manifests: 0, blobsMounted: 0, blobsCopied: 0 });

/** A manifest the target lacks, with the repositories it can be copied from. */
export interface AbsentManifest {
  readonly descriptor: Descriptor;
  readonly sources: readonly RemoteRepository[];
}

/** Manifests read by digest during one publish: what the read phase fetched, the copies need not fetch again. */
export type ManifestCache = Map<string, Promise<ManifestBytes>>;

export interface CopyOptions {
  /** Manifests already read, shared with the read phase and the copies into other targets. */
  readonly manifests?: ManifestCache;
  /** Counts what was copied; shared by the copies of one target. */
  readonly tally?: CopyTally;
  /** How long the manifest PUT waits out references the registry does not show yet (see putManifest). */
  readonly waitMs?: number;
  /** Manifests the caller knows the target holds already: no request is spent asking. */
  readonly present?: Iterable<string>;
}

/**
 * Makes manifests exist in one target repository, each at most once however many callers ask for it. Every
 * reference a manifest names (an index's children, an image's config and layers, and either's `subject`) is made
 * present before the manifest is written: registries that check references (some check the subject) refuse it
 * otherwise. A manifest asked for while it is being copied is waited for, not copied or guessed at a second time.
 */
export class ManifestCopier {
  readonly tally: CopyTally;
  private readonly target: RemoteRepository;
  private readonly waitMs: number | undefined;
  private readonly manifests: ManifestCache;
  private readonly ensured = new Map<string, Promise<void>>();

  constructor(target: RemoteRepository, options: CopyOptions = {}) {
    this.target = target;
    this.manifests = options.manifests ?? new Map();
    this.tally = options.tally ?? emptyTally();
    this.waitMs = options.waitMs;
    for (const digest of options.present ?? []) this.ensured.set(digest, Promise.resolve());
  }

  /**
   * Copies manifests the caller found absent. All are registered before any starts, so that one naming another (an
   * attestation and its subject) waits for that copy instead of finding it missing.
   */
  copyAbsent(absent: readonly AbsentManifest[]): Promise<void>[] {
    const copies = absent.map(({ descriptor, sources }) => {
      let start!: () => void;
      const started = new Promise<void>((resolve) => (start = resolve));
      const copy = started.then(() => this.copy(descriptor, sameRegistryFirst(sources, this.target)));
      this.ensured.set(descriptor.digest, copy);
      return { copy, start };
    });
    copies.forEach(({ start }) => start());
    return copies.map(({ copy }) => copy);
  }

  /** Makes a referenced manifest present in the target: known, under way, or asked for and copied when absent. */
  private ensure(descriptor: Descriptor, sources: readonly RemoteRepository[]): Promise<void> {
    let ensuring = this.ensured.get(descriptor.digest);
    if (ensuring === undefined) {
      ensuring = headManifest(this.target, descriptor.digest).then((found) =>
        found === undefined ? this.copy(descriptor, sources) : undefined,
      );
      this.ensured.set(descriptor.digest, ensuring);
    }
    return ensuring;
  }

  private async copy(descriptor: Descriptor, sources: readonly RemoteRepository[]): Promise<void> {
    const manifest = await fetchManifest(this.manifests, descriptor, sources);
    await Promise.all(
      referencesOf(manifest).map(async (reference) => {
        if (reference.kind === 'manifest') return this.ensure(reference.descriptor, sources);
        if (await headBlob(this.target, reference.descriptor.digest)) return;
        count(this.tally, await transferBlobFromAny(sources, this.target, reference.descriptor));
      }),
    );
    await putManifest(this.target, descriptor.digest, manifest, { waitMs: this.waitMs });
    this.tally.manifests++;
  }
}

function count(tally: CopyTally, transfer: BlobTransfer): void {
  if (transfer === 'mounted') tally.blobsMounted++;
  else tally.blobsCopied++;
}

/** A manifest's bytes from the first source that has them, read once per cache. */
export function fetchManifest(
  cache: ManifestCache,
  descriptor: Descriptor,
  sources: readonly RemoteRepository[],
): Promise<ManifestBytes> {
  let fetched = cache.get(descriptor.digest);
  if (fetched === undefined) {
    fetched = getFromAny(descriptor, sources);
    cache.set(descriptor.digest, fetched);
    // A failed read is not kept: another source list may have it.
    fetched.catch(() => cache.delete(descriptor.digest));
  }
  return fetched;
}

function getFromAny(descriptor: Descriptor, sources: readonly RemoteRepository[]): Promise<ManifestBytes> {
  return fromFirstSource(
    sources,
    (source) => getManifest(source, descriptor.digest),
    () => new OciError({ code: 'NOT_FOUND', message: `no repository to copy ${descriptor.digest} from` }),
  );
}

/** Mounting needs a source on the target's own registry, so those are tried first. */
function sameRegistryFirst(sources: readonly RemoteRepository[], target: RemoteRepository): RemoteRepository[] {
  const same = sources.filter((source) => source.client === target.client && source.path !== target.path);
  const other = sources.filter((source) => source.client !== target.client);
  return [...same, ...other];
}
