import { requireTagsFor } from '../inputs.js';
import type { Descriptor } from '../oci/descriptor.js';
import { buildIndex, type BuiltIndex } from '../oci/index.js';
import { attestationAnnotation } from '../oci/mediatype.js';
import { formatPlatform, platformKey } from '../oci/platform.js';
import { formatRepository, type Repository } from '../oci/reference.js';
import type { Child, TargetPlan, MergePlan, PublishInputs } from './types.js';

export type PlanInputs = Pick<PublishInputs, 'images' | 'tags' | 'annotations'>;

// Digest and platform together: validateChildren lets no digest stand for two platforms, but say so if one does.
function entryKey(descriptor: Descriptor): string {
  return `${descriptor.digest}\n${descriptor.platform ? platformKey(descriptor.platform) : ''}`;
}

function inIndexOrder(index: BuiltIndex, children: readonly Child[]): Child[] {
  const byEntry = new Map<string, Child>();
  for (const child of children) {
    if (byEntry.has(entryKey(child.descriptor))) {
      throw new Error(`planMerge: ${child.descriptor.digest} is given twice; children must come from collectChildren`);
    }
    byEntry.set(entryKey(child.descriptor), child);
  }
  return index.index.manifests.map((entry) => {
    const child = byEntry.get(entryKey(entry));
    if (child === undefined) throw new Error(`planMerge: index entry ${entry.digest} matches no child`);
    return child;
  });
}

function planTarget(repository: Repository, inputs: Pick<PlanInputs, 'tags'>): TargetPlan {
  return { repository, reference: formatRepository(repository), tags: requireTagsFor(repository, inputs.tags) };
}

/**
 * The index the children make (bytes, digest, media type), and per image the tags it gets: plain tags go to every
 * image, a tag written as a full reference only to its own.
 */
export function planMerge(inputs: PlanInputs, children: readonly Child[]): MergePlan {
  const index = buildIndex({
    manifests: children.filter((child) => child.kind === 'image').map((child) => child.descriptor),
    attestations: children.filter((child) => child.kind === 'attestation').map((child) => child.descriptor),
    annotations: inputs.annotations.index,
  });
  return {
    index,
    children: inIndexOrder(index, children),
    targets: planTargets(inputs),
  };
}

/** Each image with the tags it gets. */
export function planTargets(inputs: Pick<PlanInputs, 'images' | 'tags'>): TargetPlan[] {
  return inputs.images.map((repository) => planTarget(repository, inputs));
}

function childLabel(child: Child): string {
  if (child.kind === 'attestation') return 'attestation';
  return child.descriptor.platform ? formatPlatform(child.descriptor.platform) : 'no platform';
}

function childLine(child: Child, width: number): string {
  const describes = child.descriptor.annotations?.[attestationAnnotation.digest];
  const suffix = child.kind === 'attestation' && describes !== undefined ? ` (of ${describes})` : '';
  return `  ${childLabel(child).padEnd(width)}  ${child.descriptor.digest}${suffix}`;
}

/** The plan as a dry run prints it and a log records it: the same plan always reads the same. */
export function formatPlan(plan: MergePlan): string {
  const { descriptor } = plan.index;
  const width = Math.max(...plan.children.map((child) => childLabel(child).length), 0);
  const children = plan.children.map((child) => childLine(child, width));
  const lines = [`index ${descriptor.digest} (${descriptor.mediaType}, ${descriptor.size} bytes)`];
  for (const target of plan.targets) {
    lines.push(`${target.reference}`, ...children, `  tags: ${target.tags.join(', ')}`);
  }
  return lines.join('\n');
}
