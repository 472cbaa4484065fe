import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Descriptor, ImageManifest } from '../../src/oci/descriptor.js';
import { isDockerType, isIndex, MediaType } from '../../src/oci/mediatype.js';
import { writeBuildkitPush, type AttestationLayout } from './buildkit.mjs';
import {
  readBlob,
  readLayoutDescriptor,
  singleFileLayer,
  writeBlob,
  writeJsonBlob,
  writeLayoutIndex,
  type OciLayout,
} from './layout.js';
import { runCommand } from './process.js';
import type { TestRegistry, TestUser } from './registry.js';

export type { OciLayout } from './layout.js';

export interface BuildOptions {
  /** 'docker' gives Docker v2 schema 2 media types (manifest, config, layers). */
  readonly format?: 'oci' | 'docker';
  /** Extra text in the image's file, so two builds of one platform can differ on purpose. */
  readonly content?: string;
}

let workDir: Promise<string> | undefined;
let nextId = 0;
const builds = new Map<string, Promise<OciLayout>>();

/** One temp directory per test process holds buildah's storage and every layout; removeImages() deletes it. */
function work(): Promise<string> {
  workDir ??= mkdtemp(join(tmpdir(), 'test-images-'));
  return workDir;
}

async function newDir(prefix: string): Promise<string> {
  const dir = join(await work(), `${prefix}-${++nextId}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

export async function removeImages(): Promise<void> {
  const dir = workDir;
  workDir = undefined;
  builds.clear();
  if (dir !== undefined) await rm(await dir, { recursive: true, force: true });
}

/**
 * Builds a one-file image for `platform` with buildah and stores it as an OCI layout. Builds are cached per test
 * process by (platform, format, content): the same arguments give the same layout (and digest).
 */
export function buildImage(platform: string, options: BuildOptions = {}): Promise<OciLayout> {
  const format = options.format ?? 'oci';
  const key = JSON.stringify([platform, format, options.content ?? '']);
  let build = builds.get(key);
  if (build === undefined) {
    build = runBuild(platform, format, options.content ?? '');
    builds.set(key, build);
    build.catch(() => builds.delete(key));
  }
  return build;
}

async function runBuild(platform: string, format: 'oci' | 'docker', content: string): Promise<OciLayout> {
  const root = await work();
  const context = await newDir('context');
  // A nonce makes every build's layer distinct, so blob mounts and uploads are never satisfied by another test's image.
  const fileText = `platform ${platform}\n${content}\nnonce ${randomBytes(8).toString('hex')}\n`;
  await writeFile(join(context, 'platform.txt'), fileText);
  await writeFile(join(context, 'Containerfile'), 'FROM scratch\nCOPY platform.txt /platform.txt\n');
  const tag = `localhost/test-${basename(context)}`;
  const buildah = ['--root', join(root, 'buildah-root'), '--runroot', join(root, 'buildah-runroot')];
  // vfs and chroot need no kernel overlay or user namespaces; FROM scratch + COPY runs nothing, so any platform builds.
  const env = { ...process.env, STORAGE_DRIVER: 'vfs', BUILDAH_ISOLATION: 'chroot' };
  await runCommand('buildah', [...buildah, 'bud', '--platform', platform, '--format', format, '-t', tag, context], {
    env,
  });
  const dir = await newDir('layout');
  const name = 'image';
  const pushFormat = format === 'docker' ? ['--format', 'v2s2'] : ['--format', 'oci'];
  await runCommand('buildah', [...buildah, 'push', ...pushFormat, tag, `oci:${dir}:${name}`], { env });
  return { dir, name, descriptor: await readLayoutDescriptor(dir, name) };
}

export async function writeWindowsImage(options: {
  readonly osVersion: string;
  readonly osFeatures?: readonly string[];
}): Promise<OciLayout> {
  const dir = await newDir('windows');
  const layer = singleFileLayer('Files/hello.txt', `windows ${options.osVersion} ${randomBytes(8).toString('hex')}\n`);
  const layerDescriptor = await writeBlob(dir, 'application/vnd.oci.image.layer.v1.tar+gzip', layer.compressed);
  const platform = {
    os: 'windows',
    architecture: 'amd64',
    'os.version': options.osVersion,
    ...(options.osFeatures ? { 'os.features': options.osFeatures } : {}),
  };
  const config = { ...platform, config: {}, rootfs: { type: 'layers', diff_ids: [layer.diffId] } };
  const configDescriptor = await writeJsonBlob(dir, MediaType.ociConfig, config);
  const manifest = await writeJsonBlob(dir, MediaType.ociManifest, imageManifest(configDescriptor, [layerDescriptor]));
  return writeLayoutIndex(dir, 'windows', { ...manifest, platform });
}

/**
 * An OCI index as buildx pushes it with provenance on (its default), written byte for byte as BuildKit writes it
 * (support/buildkit.mjs): a buildah-built image for `platform` and its provenance, by default as BuildKit 0.32 stores
 * it (an OCI artifact whose subject is the image), or as BuildKit 0.31 and before did.
 */
export async function writeAttestedIndex(
  platform: string,
  options: { readonly attestationLayout?: AttestationLayout; readonly names?: readonly string[] } = {},
): Promise<OciLayout> {
  const attestationLayout = options.attestationLayout ?? 'oci-artifact';
  const image = await buildImage(platform, { content: `attested ${attestationLayout}` });
  const dir = await newDir('attested');
  await cp(image.dir, dir, { recursive: true });
  const descriptor = writeBuildkitPush(dir, { platform, attestationLayout, names: options.names ?? [] });
  return { dir, name: image.name, descriptor };
}

function imageManifest(config: Descriptor, layers: readonly Descriptor[]): ImageManifest {
  return { schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers };
}

/** Pushes a layout by digest with skopeo, keeping every digest; no tag is written. */
export async function pushLayout(
  layout: OciLayout,
  target: { readonly registry: TestRegistry; readonly repository: string; readonly user?: TestUser },
): Promise<void> {
  const { registry, repository } = target;
  const user = target.user ?? (registry.auth === 'none' ? undefined : registry.pusher);
  const credentials = user ? ['--dest-creds', `${user.username}:${user.password}`] : ['--dest-no-creds'];
  const destination = `docker://${registry.host}/${repository}@${layout.descriptor.digest}`;
  const source = await skopeoSource(layout);
  await runCommand(
    'skopeo',
    [
      '--insecure-policy',
      'copy',
      '--all',
      '--preserve-digests',
      '--dest-tls-verify=false',
      ...credentials,
      source,
      destination,
    ],
    { secrets: user ? [user.password] : [] },
  );
}

// skopeo 1.9 reads only OCI-typed manifests from an OCI layout ("no descriptor found for reference"), so a Docker
// v2s2 image goes through a `dir:` transport copy of the same bytes: the digests stay those of the layout.
async function skopeoSource(layout: OciLayout): Promise<string> {
  const { descriptor } = layout;
  if (!isDockerType(descriptor.mediaType)) return `oci:${layout.dir}:${layout.name}`;
  if (isIndex(descriptor.mediaType)) throw new Error('pushLayout cannot push a Docker manifest list from a layout');
  const view = `${layout.dir}.dir-transport`;
  await mkdir(view, { recursive: true });
  const manifestBytes = await readBlob(layout.dir, descriptor.digest);
  const manifest = JSON.parse(manifestBytes.toString('utf8')) as ImageManifest;
  await writeFile(join(view, 'manifest.json'), manifestBytes);
  await writeFile(join(view, 'version'), 'Directory Transport Version: 1.1\n');
  for (const blob of [manifest.config, ...manifest.layers]) {
    await writeFile(join(view, blob.digest.slice('sha256:'.length)), await readBlob(layout.dir, blob.digest));
  }
  return `dir:${view}`;
}

/**
 * The environment that makes a plain `buildah` (as the build action runs it, without --root) use a storage of this
 * test process, with the vfs driver and chroot isolation that need no kernel overlay or user namespaces.
 */
export async function buildahEnvironment(): Promise<Record<string, string>> {
  const dir = await newDir('buildah-storage');
  const conf = join(dir, 'storage.conf');
  await writeFile(
    conf,
    `[storage]\ndriver = "vfs"\ngraphroot = "${join(dir, 'root')}"\nrunroot = "${join(dir, 'runroot')}"\n`,
  );
  return { CONTAINERS_STORAGE_CONF: conf, STORAGE_DRIVER: 'vfs', BUILDAH_ISOLATION: 'chroot' };
}

/** A build context whose Containerfile copies one file saying `text` into a scratch image: it builds for any platform. */
export async function writeBuildContext(text: string): Promise<string> {
  const dir = await newDir('build-context');
  await writeFile(join(dir, 'message.txt'), `${text}\n`);
  await writeFile(join(dir, 'Containerfile'), 'FROM scratch\nCOPY message.txt /message.txt\n');
  return dir;
}
