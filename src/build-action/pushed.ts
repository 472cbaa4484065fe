import { explain, UserError } from '../errors.js';
import { isOciError } from '../oci/errors.js';
import { readConfigPlatform } from '../oci/config.js';
import { type Descriptor, type Platform, parseIndex, parseImageManifest } from '../oci/descriptor.js';
import { consistencyWait, getManifest, headManifest } from '../oci/manifests.js';
import { isAttestation, isIndex } from '../oci/mediatype.js';
import { formatPlatform, platformKey } from '../oci/platform.js';
import type { Repository } from '../oci/reference.js';
import type { RegistryClients, RemoteRepository } from '../oci/client.js';

/** What the registry holds under the digest the backend reported: the record's descriptor, and the real platform. */
export interface PushedImage {
  readonly descriptor: Descriptor;
  /** From the image's config: what the image really is, whatever the job asked for. */
  readonly platform: Platform;
}

/**
 * Reads back what was pushed: present in every image, one image for one platform (an index may add attestations),
 * and its config's platform. A registry that lags after a push is waited out for `waitMs` (its family's wait by
 * default).
 */
export async function inspectPushed(
  images: readonly Repository[],
  digest: string,
  options: { readonly clients: RegistryClients; readonly notPushedFix: string; readonly waitMs: number | undefined },
): Promise<PushedImage> {
  const [first, ...others] = images.map((image) => options.clients.repository(image)) as [
    RemoteRepository,
    ...RemoteRepository[],
  ];
  // The first repository's GET proves it holds the digest while the others are HEADed at the same time.
  const [top] = await Promise.all([
    readPushed(first, digest, options),
    ...others.map((repository) => requirePresent(repository, digest, options)),
  ]);
  try {
    // An index (BuildKit's image with attestations) names the image; a plain image is already in hand.
    const image = isIndex(top.descriptor.mediaType)
      ? await getManifest(first, singleImage(top.bytes, `${first.name}@${digest}`).digest)
      : top;
    const manifest = parseImageManifest(image.bytes, `${first.name}@${image.descriptor.digest}`);
    return { descriptor: top.descriptor, platform: await readConfigPlatform(first, manifest) };
  } catch (error) {
    throw explain(error, `${first.name}@${digest}`);
  }
}

interface PresenceOptions {
  readonly notPushedFix: string;
  readonly waitMs: number | undefined;
}

async function readPushed(repository: RemoteRepository, digest: string, options: PresenceOptions) {
  const waitMs = consistencyWait(repository, options.waitMs);
  try {
    return await getManifest(repository, digest, { waitMs });
  } catch (error) {
    if (isOciError(error, 'NOT_FOUND')) throw notPushed(repository, digest, options);
    throw explain(error, repository.name);
  }
}

async function requirePresent(repository: RemoteRepository, digest: string, options: PresenceOptions): Promise<void> {
  const waitMs = consistencyWait(repository, options.waitMs);
  const found = await headManifest(repository, digest, { waitMs }).catch((error: unknown) => {
    throw explain(error, repository.name);
  });
  if (found === undefined) throw notPushed(repository, digest, options);
}

function notPushed(repository: RemoteRepository, digest: string, options: PresenceOptions): UserError {
  return new UserError(`${repository.name}@${digest}`, 'is not in the registry.', options.notPushedFix);
}

/** The image of a one-platform index: BuildKit pushes one with its attestation manifests when provenance is on. */
function singleImage(bytes: Buffer, source: string): Descriptor {
  const images = parseIndex(bytes, source).manifests.filter((descriptor) => !isAttestation(descriptor));
  const [image, ...others] = images;
  if (image !== undefined && others.length === 0) return image;
  throw new UserError(
    source,
    `is an index of ${images.length} images (${images.map((each) => (each.platform ? formatPlatform(each.platform) : each.digest)).join(', ')}), not one platform.`,
    'Build one platform per job: the merge makes the multi-platform index.',
  );
}

/** `10.0.20348.2340` is within `10.0.20348` (dot-separated prefix), not within `10.0.2034`. */
function isVersionWithin(version: string | undefined, prefix: string): boolean {
  return version !== undefined && (version === prefix || version.startsWith(`${prefix}.`));
}

/**
 * The platform the record states: the image config's, which must be the one the job asked for however either is
 * spelled (the cross-compile trap: an amd64 runner that built an "arm64" image with amd64 binaries in it). The
 * config's own spelling is kept (`arm64/v8` stays `arm64/v8`), and its os.version and os.features, by which a Windows
 * host picks its image.
 */
export function confirmPlatform(asked: Platform, actual: Platform, reference: string): Platform {
  const bare = (platform: Platform): Platform => ({
    os: platform.os,
    architecture: platform.architecture,
    ...(platform.variant === undefined ? {} : { variant: platform.variant }),
  });
  const askedVersion = asked['os.version'];
  const pushedVersion = actual['os.version'];
  if (askedVersion !== undefined && !isVersionWithin(pushedVersion, askedVersion)) {
    throw new UserError(
      'platform',
      `asks for os.version ${askedVersion}, but the image pushed (${reference}) has ${pushedVersion === undefined ? 'none' : pushedVersion} in its config.`,
      `Build on a base image of ${askedVersion}, or change the os.version in platform.`,
    );
  }
  if (platformKey(bare(asked)) !== platformKey(bare(actual))) {
    throw new UserError(
      'platform',
      `is ${formatPlatform(bare(asked))}, but the image pushed (${reference}) is ${formatPlatform(bare(actual))} according to its config.`,
      `Build for ${formatPlatform(bare(asked))} (the builder's --platform, a Dockerfile that does not pin another platform), or set platform to what the job really builds.`,
    );
  }
  return {
    ...bare(actual),
    ...(actual['os.version'] === undefined ? {} : { 'os.version': actual['os.version'] }),
    ...(actual['os.features'] === undefined ? {} : { 'os.features': actual['os.features'] }),
  };
}
