import { formatPlatform } from '../oci/platform.js';
import type { MergeOutcome } from './merge.js';

export interface SummaryRow {
  readonly image: string;
  readonly tag: string;
  readonly platform: string;
  readonly digest: string;
  readonly status: 'published' | 'not written' | 'dry-run';
}

/** One row per image × tag × platform: which child a client on that platform gets under that tag. */
export function summaryRows(outcome: MergeOutcome, dryRun: boolean): SummaryRow[] {
  const images = outcome.plan.children.filter((child) => child.kind === 'image');
  return outcome.plan.targets.flatMap((target) => {
    const result = outcome.results.find((entry) => entry.target.reference === target.reference);
    return target.tags.flatMap((tag) =>
      images.map((child) => ({
        image: target.reference,
        tag,
        platform: child.descriptor.platform ? formatPlatform(child.descriptor.platform) : 'unknown',
        digest: child.descriptor.digest,
        status: dryRun ? 'dry-run' : result?.tagsWritten.includes(tag) ? 'published' : 'not written',
      })),
    );
  });
}

/** Every reference the merge wrote: each image by digest, then each tag that moved. */
export function writtenReferences(outcome: MergeOutcome): string[] {
  const digest = outcome.plan.index.descriptor.digest;
  return outcome.results.flatMap((result) => [
    ...(result.indexWritten ? [`${result.target.reference}@${digest}`] : []),
    ...result.tagsWritten.map((tag) => `${result.target.reference}:${tag}`),
  ]);
}
