import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { uploadBlob } from './blobs.js';
import { emptyTally, type CopyTally } from './copy.js';
import { type Descriptor, type ManifestBytes, parseIndex, parseImageManifest } from './descriptor.js';
import { sha256Digest } from './digest.js';
import { OciError } from './errors.js';
import { putManifest } from './manifests.js';
import { isImageManifest } from './mediatype.js';
import type { RemoteRepository } from './client.js';

/** One image manifest in an OCI image layout directory (image-spec image-layout.md), as a builder wrote it. */
export interface LayoutImage {
  readonly dir: string;
  readonly manifest: ManifestBytes;
  readonly config: Descriptor;
  /** The config and the layers a registry must hold before it accepts the manifest. */
  readonly blobs: readonly Descriptor[];
}

const blobFile = (dir: string, digest: string): string => join(dir, 'blobs', ...digest.split(':'));

function layoutError(dir: string, message: string): OciError {
  return new OciError({ code: 'INVALID_MANIFEST', message: `OCI layout ${dir}: ${message}` });
}

/** A small blob of the layout (a config), its digest checked. */
export async function readLayoutBlob(image: LayoutImage, blob: Descriptor): Promise<Buffer> {
  const bytes = await readFile(blobFile(image.dir, blob.digest));
  if (sha256Digest(bytes) !== blob.digest)
    throw layoutError(image.dir, `the blob of ${blob.digest} does not match its digest`);
  return bytes;
}

/** Reads the layout's only top-level descriptor, which must be an image manifest, and checks its digest. */
export async function readLayoutImage(dir: string): Promise<LayoutImage> {
  const index = parseIndex(await readFile(join(dir, 'index.json')), `${dir}/index.json`);
  const [top, ...others] = index.manifests;
  if (top === undefined || others.length > 0) {
    throw layoutError(dir, `index.json names ${index.manifests.length} manifests; one image is expected`);
  }
  if (!isImageManifest(top.mediaType)) throw layoutError(dir, `${top.digest} is a ${top.mediaType}, not an image`);
  const bytes = await readFile(blobFile(dir, top.digest));
  if (sha256Digest(bytes) !== top.digest) throw layoutError(dir, `the blob of ${top.digest} does not match its digest`);
  const manifest = parseImageManifest(bytes, `${dir} ${top.digest}`);
  // Layers with `urls` are foreign (Windows base layers): a registry neither holds nor needs them.
  const blobs = [manifest.config, ...manifest.layers.filter((layer) => !layer.urls?.length)];
  const descriptor = { mediaType: top.mediaType, digest: top.digest, size: bytes.length };
  return { dir, manifest: { descriptor, bytes }, config: manifest.config, blobs };
}

/**
 * Pushes the image to `target` by digest, no tag: blobs it lacks are mounted from `mountFrom` (a repository of the
 * same registry the image was pushed to before) or uploaded from the layout's files, then the manifest is written.
 */
export async function pushLayoutImage(
  image: LayoutImage,
  target: RemoteRepository,
  mountFrom?: RemoteRepository,
): Promise<CopyTally> {
  const tally = emptyTally();
  await Promise.all(
    image.blobs.map(async (blob) => {
      const transfer = await uploadBlob(
        target,
        blob,
        () => createReadStream(blobFile(image.dir, blob.digest)),
        mountFrom,
      );
      if (transfer === 'mounted') tally.blobsMounted++;
      if (transfer === 'copied') tally.blobsCopied++;
    }),
  );
  await putManifest(target, image.manifest.descriptor.digest, image.manifest);
  tally.manifests++;
  return tally;
}
