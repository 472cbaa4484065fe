import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from './process.js';
import type { TestUser } from './registry.js';

/** skopeo is the independent client: what it reads back is what any other client would see. */

export interface ResolvedPlatformImage {
  readonly digest: string;
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

export interface ReadOptions {
  /** Anonymous when absent. */
  readonly user?: TestUser;
}

/** Parsed manifest JSON: tests index into it freely and let expect() do the checking. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ManifestJson = any;

/** The manifest or index exactly as the registry serves it. `reference` is HOST/REPO@DIGEST or :TAG. */
export async function inspectRaw(
  reference: string,
  options: ReadOptions = {},
): Promise<{ readonly bytes: Buffer; readonly json: ManifestJson }> {
  const { stdout } = await skopeo(
    ['inspect', '--raw', '--tls-verify=false', ...credentials(options.user), dockerReference(reference)],
    options.user,
  );
  return { bytes: stdout, json: JSON.parse(stdout.toString('utf8')) };
}

/**
 * The image a real client pulls for `platform`: skopeo copies only the instance containers/image selects from an
 * index into a dir: directory, keeping its bytes, so the digest and config are those of the chosen child.
 */
export async function inspectForPlatform(
  reference: string,
  platform: { readonly os: string; readonly architecture: string; readonly variant?: string },
  options: ReadOptions = {},
): Promise<ResolvedPlatformImage> {
  const dir = await mkdtemp(join(tmpdir(), 'skopeo-platform-'));
  try {
    const overrides = ['--override-os', platform.os, '--override-arch', platform.architecture];
    if (platform.variant !== undefined) overrides.push('--override-variant', platform.variant);
    const source = dockerReference(reference);
    await skopeo(
      [
        ...overrides,
        'copy',
        '--preserve-digests',
        '--src-tls-verify=false',
        ...credentials(options.user, 'src-'),
        source,
        `dir:${dir}`,
      ],
      options.user,
    );
    return await readDirImage(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function readDirImage(dir: string): Promise<ResolvedPlatformImage> {
  const manifestBytes = await readFile(join(dir, 'manifest.json'));
  const manifest = JSON.parse(manifestBytes.toString('utf8')) as { config: { digest: string } };
  const configPath = join(dir, manifest.config.digest.slice('sha256:'.length));
  const config = JSON.parse(await readFile(configPath, 'utf8')) as {
    os: string;
    architecture: string;
    variant?: string;
  };
  return {
    digest: `sha256:${createHash('sha256').update(manifestBytes).digest('hex')}`,
    os: config.os,
    architecture: config.architecture,
    ...(config.variant ? { variant: config.variant } : {}),
  };
}

function dockerReference(reference: string): string {
  return reference.startsWith('docker://') ? reference : `docker://${reference}`;
}

/** `--creds` / `--no-creds`, or with prefix 'src-' the copy flags `--src-creds` / `--src-no-creds`. */
function credentials(user: TestUser | undefined, prefix = ''): string[] {
  return user ? [`--${prefix}creds`, `${user.username}:${user.password}`] : [`--${prefix}no-creds`];
}

function skopeo(args: readonly string[], user: TestUser | undefined): Promise<{ stdout: Buffer }> {
  return runCommand('skopeo', ['--insecure-policy', ...args], { secrets: user ? [user.password] : [] });
}

/**
 * The tags a repository has, as the registry's tag list reports them. Distribution answers 404 for the tag list of a
 * repository that holds manifests but has never had a tag, which skopeo reports as a failure: that is "no tags".
 */
export async function listTags(repository: string, options: ReadOptions = {}): Promise<string[]> {
  const args = ['list-tags', '--tls-verify=false', ...credentials(options.user), dockerReference(repository)];
  try {
    const { stdout } = await skopeo(args, options.user);
    return (JSON.parse(stdout.toString('utf8')) as { Tags?: string[] | null }).Tags ?? [];
  } catch (error) {
    if (error instanceof Error && /fetching tags list: invalid status code from registry 404/.test(error.message)) {
      return [];
    }
    throw error;
  }
}

/**
 * The layers of an artifact (an attestation manifest attached to an image), as skopeo copies them into a dir:
 * directory, in manifest order.
 */
export async function readArtifactLayers(reference: string, options: ReadOptions = {}): Promise<Buffer[]> {
  const dir = await mkdtemp(join(tmpdir(), 'skopeo-artifact-'));
  try {
    await skopeo(
      [
        'copy',
        '--preserve-digests',
        '--src-tls-verify=false',
        ...credentials(options.user, 'src-'),
        dockerReference(reference),
        `dir:${dir}`,
      ],
      options.user,
    );
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { layers: { digest: string }[] };
    return await Promise.all(manifest.layers.map((layer) => readFile(join(dir, layer.digest.slice('sha256:'.length)))));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
