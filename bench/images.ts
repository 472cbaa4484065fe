import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Descriptor, Platform } from '../src/oci/descriptor.js';
import { pushLayout } from '../__tests__/support/images.js';
import {
  readBlob,
  singleFileLayer,
  writeBlob,
  writeJsonBlob,
  writeLayoutIndex,
  type OciLayout,
} from '../__tests__/support/layout.js';
import type { TestRegistry } from '../__tests__/support/registry.js';

/** Sixteen distinct platforms, so an index of up to 16 children needs no Windows os.version tricks. */
export const benchPlatforms: readonly Platform[] = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64' },
  { os: 'linux', architecture: 'arm', variant: 'v7' },
  { os: 'linux', architecture: 'arm', variant: 'v6' },
  { os: 'linux', architecture: 'arm', variant: 'v5' },
  { os: 'linux', architecture: '386' },
  { os: 'linux', architecture: 'ppc64le' },
  { os: 'linux', architecture: 'ppc64' },
  { os: 'linux', architecture: 's390x' },
  { os: 'linux', architecture: 'riscv64' },
  { os: 'linux', architecture: 'mips64le' },
  { os: 'linux', architecture: 'mips64' },
  { os: 'linux', architecture: 'mipsle' },
  { os: 'linux', architecture: 'mips' },
  { os: 'linux', architecture: 'loong64' },
  { os: 'freebsd', architecture: 'amd64' },
];

export const formatBenchPlatform = (platform: Platform): string =>
  [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');

/** A single-platform image ready to push: its layout, and the platform its config states. */
export interface BenchImage {
  readonly layout: OciLayout;
  readonly platform: Platform;
}

/** Where the bench's layouts live (one directory, however many images are written at once); see removeBenchImages. */
let workDir: Promise<string> | undefined;

async function newDir(name: string): Promise<string> {
  workDir ??= mkdtemp(join(tmpdir(), 'bench-images-'));
  const dir = join(await workDir, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

export async function removeBenchImages(): Promise<void> {
  const dir = workDir;
  workDir = undefined;
  if (dir !== undefined) await rm(await dir, { recursive: true, force: true });
}

/**
 * Writes an OCI image for `platform` by hand (no builder: the bench needs dozens of them in seconds): a config that
 * states the platform and `layers`, each either a small one-file tar.gz or, for the copy benchmark, `layerBytes` of
 * random data as an uncompressed layer (registries and copy tools move layers without reading them).
 */
export async function writeBenchImage(
  name: string,
  platform: Platform,
  options: { readonly layers?: number; readonly layerBytes?: number } = {},
): Promise<BenchImage> {
  const dir = await newDir(name);
  const layers: Descriptor[] = [];
  const diffIds: string[] = [];
  for (let i = 0; i < (options.layers ?? 1); i++) {
    if (options.layerBytes === undefined) {
      const layer = singleFileLayer(
        `layer-${i}.txt`,
        `${formatBenchPlatform(platform)} ${randomBytes(8).toString('hex')}\n`,
      );
      layers.push(await writeBlob(dir, 'application/vnd.oci.image.layer.v1.tar+gzip', layer.compressed));
      diffIds.push(layer.diffId);
    } else {
      const layer = await writeBlob(dir, 'application/vnd.oci.image.layer.v1.tar', randomBytes(options.layerBytes));
      layers.push(layer);
      diffIds.push(layer.digest);
    }
  }
  const config = await writeJsonBlob(dir, 'application/vnd.oci.image.config.v1+json', {
    ...platform,
    config: {},
    rootfs: { type: 'layers', diff_ids: diffIds },
  });
  const manifest = await writeJsonBlob(dir, 'application/vnd.oci.image.manifest.v1+json', {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config,
    layers,
  });
  return { layout: await writeLayoutIndex(dir, 'image', { ...manifest, platform }), platform };
}

/** The blob bytes an image's manifest references: what a cross-registry copy of it moves. */
export async function blobBytes(image: BenchImage): Promise<number> {
  const manifest = JSON.parse((await readBlob(image.layout.dir, image.layout.descriptor.digest)).toString('utf8')) as {
    config: Descriptor;
    layers: Descriptor[];
  };
  return [manifest.config, ...manifest.layers].reduce((sum, blob) => sum + blob.size, 0);
}

/** Pushes every image by digest to `repository` of every registry, a few skopeo processes at a time. */
export async function pushImages(
  images: readonly BenchImage[],
  registries: readonly TestRegistry[],
  repository: string,
): Promise<void> {
  const jobs = registries.flatMap((registry) => images.map((image) => ({ registry, image })));
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      if (job !== undefined) await pushLayout(job.image.layout, { registry: job.registry, repository });
    }
  };
  await Promise.all(Array.from({ length: 4 }, lane));
}
