import { UserError, quote } from '../errors.js';
import { fetchManifest, type ManifestCache } from '../oci/copy.js';
import { isIndex } from '../oci/mediatype.js';
import { foreseeManifestRefusal, foreseeTagRefusal, type ForeseenRefusal } from '../oci/registries/refusals.js';
import type { Child, MergePlan, CheckedTarget } from './types.js';
import { parseIndex, parseImageManifest } from '../oci/descriptor.js';

/**
 * What a target's registry family is known to refuse, found in the read phase, so that it fails the publish before
 * any registry is written: the index (its size, a Docker manifest list's children, media-type parameters), each
 * tag, and, where the family refuses media-type parameters, every manifest the publish would copy there.
 */
export async function foreseeRefusals(
  plan: MergePlan,
  checked: CheckedTarget,
  manifests: ManifestCache,
): Promise<void> {
  const { target, remote } = checked;
  const profile = remote.client.profile;
  const index = plan.index;
  const ofIndex = foreseeManifestRefusal(profile, { ...index.index, ...index.descriptor });
  if (ofIndex !== undefined) throw indexRefused(target.reference, ofIndex);
  for (const tag of target.tags) {
    const ofTag = foreseeTagRefusal(profile, tag);
    if (ofTag !== undefined) {
      throw new UserError(
        'tags',
        `${quote(tag)} cannot be written to ${target.reference}: ${ofTag.problem}.`,
        'Rename the tag.',
      );
    }
  }
  if (profile.mediaTypeParameters !== 'refused') return;
  for (const { child, sources } of checked.missing) {
    const manifest = await fetchManifest(manifests, child.descriptor, sources);
    const source = `${sources[0]?.name ?? target.reference}@${child.descriptor.digest}`;
    const parsed = isIndex(manifest.descriptor.mediaType)
      ? parseIndex(manifest.bytes, source)
      : parseImageManifest(manifest.bytes, source);
    const refusal = foreseeManifestRefusal(profile, { ...parsed, ...manifest.descriptor });
    if (refusal !== undefined) throw childRefused(target.reference, child, refusal);
  }
}

function indexRefused(reference: string, refusal: ForeseenRefusal): UserError {
  const fix =
    refusal.rule === 'manifest-size'
      ? 'Publish fewer platforms in one index, or shorter `annotations`.'
      : 'Leave this registry out of `images`, or publish children it takes.';
  return new UserError(reference, `would refuse the index: ${refusal.problem}.`, fix);
}

function childRefused(reference: string, child: Child, refusal: ForeseenRefusal): UserError {
  const what = child.kind === 'attestation' ? 'the attestation manifest' : 'the image';
  const fix =
    child.kind === 'attestation'
      ? 'Publish with `attestations: drop`, or leave this registry out of `images`.'
      : 'Build the image without media-type parameters, or leave this registry out of `images`.';
  return new UserError(
    reference,
    `would refuse ${what} ${child.descriptor.digest} (from ${child.sources.join(', ')}), which this step copies there: ${refusal.problem}.`,
    fix,
  );
}
