import { getBlob } from './blobs.js';
import type { ImageManifest, Platform } from './descriptor.js';
import { OciError } from './errors.js';
import type { RemoteRepository } from './client.js';

// Configs are a few KiB; history-heavy ones reach hundreds. Anything near this is not an image config.
const configLimit = 8 * 1024 * 1024;

/** The platform an image config states (image-spec config.md: os, architecture, variant, os.version, os.features). */
export function parseConfigPlatform(bytes: Buffer, source: string): Platform {
  let config: unknown;
  try {
    config = JSON.parse(bytes.toString('utf8'));
  } catch {
    config = undefined;
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new OciError({ code: 'INVALID_MANIFEST', message: `${source} is an image config that is not a JSON object` });
  }
  const fields = config as Record<string, unknown>;
  const text = (key: string) =>
    typeof fields[key] === 'string' && fields[key] !== '' ? (fields[key] as string) : undefined;
  const features = fields['os.features'];
  const variant = text('variant');
  const osVersion = text('os.version');
  return {
    os: text('os') ?? 'unknown',
    architecture: text('architecture') ?? 'unknown',
    ...(variant === undefined ? {} : { variant }),
    ...(osVersion === undefined ? {} : { 'os.version': osVersion }),
    ...(Array.isArray(features) && features.length > 0 ? { 'os.features': features.map(String) } : {}),
  };
}

/** The platform of an image in a repository, as its config states it. */
export async function readConfigPlatform(repository: RemoteRepository, manifest: ImageManifest): Promise<Platform> {
  const bytes = await getBlob(repository, manifest.config, configLimit);
  return parseConfigPlatform(bytes, `${repository.name}@${manifest.config.digest}`);
}
