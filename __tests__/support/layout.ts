import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Descriptor, Platform } from '../../src/oci/descriptor.js';

/** An OCI image layout directory (image-spec image-layout.md) whose index.json names one top manifest or index. */
export interface OciLayout {
  readonly dir: string;
  /** The org.opencontainers.image.ref.name of the top descriptor in index.json. */
  readonly name: string;
  /** The top manifest or index, without the ref.name annotation; an image manifest carries its platform. */
  readonly descriptor: Descriptor;
}

export function digestOf(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function blobPath(dir: string, digest: string): string {
  const [algorithm = '', encoded = ''] = digest.split(':');
  return join(dir, 'blobs', algorithm, encoded);
}

/** Stores bytes as a blob of the layout and returns their descriptor. */
export async function writeBlob(dir: string, mediaType: string, bytes: Uint8Array): Promise<Descriptor> {
  const digest = digestOf(bytes);
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  await writeFile(blobPath(dir, digest), bytes);
  return { mediaType, digest, size: bytes.byteLength };
}

export async function writeJsonBlob(dir: string, mediaType: string, value: unknown): Promise<Descriptor> {
  return writeBlob(dir, mediaType, Buffer.from(JSON.stringify(value), 'utf8'));
}

export async function readBlob(dir: string, digest: string): Promise<Buffer> {
  return readFile(blobPath(dir, digest));
}

/** Finishes a layout: the oci-layout marker and an index.json naming `top` as `name`. */
export async function writeLayoutIndex(dir: string, name: string, top: Descriptor): Promise<OciLayout> {
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const named = { ...top, annotations: { ...top.annotations, 'org.opencontainers.image.ref.name': name } };
  await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [named] }));
  return { dir, name, descriptor: top };
}

/** Reads the descriptor index.json gives `name`, adding the platform from the config when it is an image manifest. */
export async function readLayoutDescriptor(dir: string, name: string): Promise<Descriptor> {
  const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
  const found = index.manifests.find((entry) => entry.annotations?.['org.opencontainers.image.ref.name'] === name);
  if (found === undefined) throw new Error(`${dir}/index.json has no manifest named ${name}`);
  const { mediaType, digest, size } = found;
  const manifest = JSON.parse((await readBlob(dir, digest)).toString('utf8')) as { config?: Descriptor };
  if (manifest.config === undefined) return { mediaType, digest, size };
  const config = JSON.parse((await readBlob(dir, manifest.config.digest)).toString('utf8')) as Platform;
  return { mediaType, digest, size, platform: platformOf(config) };
}

export function platformOf(config: Platform): Platform {
  return {
    os: config.os,
    architecture: config.architecture,
    ...(config.variant ? { variant: config.variant } : {}),
    ...(config['os.version'] ? { 'os.version': config['os.version'] } : {}),
    ...(config['os.features'] ? { 'os.features': config['os.features'] } : {}),
  };
}

/** A gzipped tar holding one regular file (a real layer, small enough to write by hand) and its diff_id. */
export function singleFileLayer(
  path: string,
  content: string,
): { readonly compressed: Buffer; readonly diffId: string } {
  const body = Buffer.from(content, 'utf8');
  const header = Buffer.alloc(512);
  header.write(path, 0, 100, 'utf8');
  header.write('0000644\0', 100, 'ascii'); // mode
  header.write('0000000\0', 108, 'ascii'); // uid
  header.write('0000000\0', 116, 'ascii'); // gid
  header.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  header.write('00000000000\0', 136, 'ascii'); // mtime: fixed, so equal content gives an equal layer
  header.write('        ', 148, 'ascii'); // the checksum counts its own field as spaces
  header.write('0', 156, 'ascii'); // regular file
  header.write('ustar\u000000', 257, 'ascii');
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  header.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  const padding = Buffer.alloc((512 - (body.length % 512)) % 512);
  const tar = Buffer.concat([header, body, padding, Buffer.alloc(1024)]);
  return { compressed: gzipSync(tar), diffId: digestOf(tar) };
}
