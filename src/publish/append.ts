import { UserError, explain } from '../errors.js';
import { readConfigPlatform } from '../oci/config.js';
import { type Descriptor, parseIndex, parseImageManifest } from '../oci/descriptor.js';
import { isOciError } from '../oci/errors.js';
import { getManifest } from '../oci/manifests.js';
import { attestationAnnotation, isAttestation, isIndex } from '../oci/mediatype.js';
import { formatPlatform, platformKey } from '../oci/platform.js';
import { formatRepository, type Repository } from '../oci/reference.js';
import type { RegistryClients } from '../oci/client.js';
import { compareChildren, mergeChildren } from './children.js';
import { planTargets } from './plan.js';
import type { Child, PublishInputs } from './types.js';

/** What one tag held before this publish: the entries of its index (or its one image, with its config's platform). */
export interface ExistingTag {
  /** `ghcr.io/o/app:latest`, for messages. */
  readonly reference: string;
  /** The canonical repository holding it, where its entries can be copied from. */
  readonly repository: string;
  readonly entries: readonly Descriptor[];
}

/** Every tag the publish will write, read as it is now; a tag that does not exist yet holds nothing. */
export async function readExistingTags(inputs: PublishInputs, clients: RegistryClients): Promise<ExistingTag[]> {
  const reads = planTargets(inputs).flatMap((target) =>
    target.tags.map((tag) => readTag(target.repository, tag, clients)),
  );
  return (await Promise.all(reads)).filter((existing): existing is ExistingTag => existing !== undefined);
}

async function readTag(
  repository: Repository,
  tag: string,
  clients: RegistryClients,
): Promise<ExistingTag | undefined> {
  const remote = clients.repository(repository);
  const reference = `${formatRepository(repository)}:${tag}`;
  try {
    const manifest = await getManifest(remote, tag);
    const base = { reference, repository: formatRepository(repository) };
    if (isIndex(manifest.descriptor.mediaType))
      return { ...base, entries: parseIndex(manifest.bytes, reference).manifests };
    const platform = await readConfigPlatform(remote, parseImageManifest(manifest.bytes, reference));
    return { ...base, entries: [{ ...manifest.descriptor, platform }] };
  } catch (error) {
    if (isOciError(error, 'NOT_FOUND')) return undefined;
    throw explain(error, reference);
  }
}

/**
 * What a record replaces in a tag: the same platform, where a Windows os.version counts only to its build number
 * (10.0.20348), so that next month's patch (10.0.20348.2402) replaces this month's while ltsc2019 and ltsc2022 stay
 * two entries.
 */
function platformOf(descriptor: Descriptor): string {
  const platform = descriptor.platform;
  if (platform === undefined) return `no platform ${descriptor.digest}`;
  const build = platform['os.version']?.split('.').slice(0, 3).join('.');
  return platformKey({ ...platform, 'os.version': build, 'os.features': undefined });
}

/**
 * `append`: the records' children, plus every entry the tags already hold for other platforms. A platform the records
 * have replaces the one in the tags (and the attestations of the replaced image go with it); tags that disagree about
 * a platform the records leave alone cannot make one index, which is an error naming them.
 */
export function appendToExisting(fromRecords: readonly Child[], existing: readonly ExistingTag[]): Child[] {
  const replaced = new Set(fromRecords.filter((child) => child.kind === 'image').map((c) => platformOf(c.descriptor)));
  const kept = keptImages(existing, replaced);
  // An attestation stays while the image it describes stays, whether the tag or a record brings that image.
  const images = [...kept, ...fromRecords.filter((child) => child.kind === 'image')];
  const keptDigests = new Set(images.map((child) => child.descriptor.digest));
  const attestations = existing.flatMap((tag) =>
    tag.entries
      .filter((entry) => isAttestation(entry))
      .filter((entry) => keptDigests.has(entry.annotations?.[attestationAnnotation.digest] ?? ''))
      .map((entry) => existingChild(entry, 'attestation', tag)),
  );
  return mergeChildren(
    [...fromRecords, ...kept, ...attestations],
    (child) => `${child.kind} ${child.descriptor.digest}`,
  ).sort(compareChildren);
}

function keptImages(existing: readonly ExistingTag[], replaced: ReadonlySet<string>): Child[] {
  const byPlatform = new Map<string, Child[]>();
  for (const tag of existing) {
    for (const entry of tag.entries.filter((each) => !isAttestation(each))) {
      if (replaced.has(platformOf(entry))) continue;
      byPlatform.set(platformOf(entry), [
        ...(byPlatform.get(platformOf(entry)) ?? []),
        existingChild(entry, 'image', tag),
      ]);
    }
  }
  for (const children of byPlatform.values()) checkAgree(children);
  return [...byPlatform.values()].flat();
}

function checkAgree(children: readonly Child[]): void {
  const digests = new Set(children.map((child) => child.descriptor.digest));
  if (digests.size <= 1) return;
  const first = children[0] as Child;
  const platform = first.descriptor.platform ? formatPlatform(first.descriptor.platform) : first.descriptor.digest;
  throw new UserError(
    'append',
    `the tags hold different images for ${platform}: ${children.map((child) => `${child.sources.join(', ')} has ${child.descriptor.digest}`).join('; ')}.`,
    'Append to tags that hold the same index, or publish that platform from a record so that it replaces both.',
  );
}

function existingChild(descriptor: Descriptor, kind: Child['kind'], tag: ExistingTag): Child {
  return { descriptor, kind, sources: [tag.reference], foundIn: [tag.repository] };
}
