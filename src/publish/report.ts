import { codeBlock, markdownTable } from '../markdown.js';
import { attestationAnnotation } from '../oci/mediatype.js';
import { formatPlatform } from '../oci/platform.js';
import type { Child, MergeOutcome } from './types.js';

export interface SummaryRow {
  readonly image: string;
  readonly tag: string;
  readonly platform: string;
  readonly digest: string;
  readonly status:
    | 'published'
    | 'not written'
    | 'dry-run'
    | 'moved by another writer'
    | 'not resolving'
    | 'not read back'
    | 'a child does not resolve';
}

function tagStatus(outcome: MergeOutcome, reference: string, tag: string, dryRun: boolean): SummaryRow['status'] {
  if (dryRun) return 'dry-run';
  const result = outcome.results.find((entry) => entry.target.reference === reference);
  if (!result?.tagsWritten.includes(tag)) return 'not written';
  const verification = outcome.verifications.find((entry) => entry.target.reference === reference);
  const reading = verification?.tags.find((entry) => entry.tag === tag);
  if (reading?.unreadable !== undefined) return 'not read back';
  if (reading !== undefined && reading.digest !== outcome.plan.index.descriptor.digest) {
    return reading.digest === undefined ? 'not resolving' : 'moved by another writer';
  }
  return verification?.missingChildren.length ? 'a child does not resolve' : 'published';
}

/**
 * One row per image × tag × entry: which child a client on that platform gets under that tag, and each attestation,
 * marked as such beside the platform of the image it describes.
 */
export function summaryRows(outcome: MergeOutcome, dryRun: boolean): SummaryRow[] {
  const platformOf = new Map(
    outcome.plan.children.map((child) => [
      child.descriptor.digest,
      child.descriptor.platform ? formatPlatform(child.descriptor.platform) : 'unknown',
    ]),
  );
  const label = (child: Child): string => {
    if (child.kind === 'image') return platformOf.get(child.descriptor.digest) ?? 'unknown';
    const describes = child.descriptor.annotations?.[attestationAnnotation.digest];
    return `attestation of ${(describes && platformOf.get(describes)) ?? 'no image in the index'}`;
  };
  return outcome.plan.targets.flatMap((target) =>
    target.tags.flatMap((tag) => {
      const status = tagStatus(outcome, target.reference, tag, dryRun);
      return outcome.plan.children.map((child) => ({
        image: target.reference,
        tag,
        platform: label(child),
        digest: child.descriptor.digest,
        status,
      }));
    }),
  );
}

/** Every reference the merge wrote: each image by digest, then each tag that moved. */
export function writtenReferences(outcome: MergeOutcome): string[] {
  const digest = outcome.plan.index.descriptor.digest;
  return outcome.results.flatMap((result) => [
    ...(result.indexWritten ? [`${result.target.reference}@${digest}`] : []),
    ...result.tagsWritten.map((tag) => `${result.target.reference}:${tag}`),
  ]);
}

/** The job summary of a publish: the index, a row per image × tag × platform, warnings, and the index JSON. */
export function summaryMarkdown(outcome: MergeOutcome, dryRun: boolean): string {
  const index = outcome.plan.index;
  const rows = summaryRows(outcome, dryRun).map((row) => [
    row.image,
    row.tag,
    row.platform,
    `\`${row.digest}\``,
    row.status,
  ]);
  return [
    `### ${dryRun ? 'Dry run: index not published' : 'Multi-platform index published'}`,
    `Index \`${index.descriptor.digest}\` (${index.descriptor.mediaType})`,
    markdownTable(['image', 'tag', 'platform', 'child digest', 'status'], rows),
    ...outcome.warnings.map((warning) => `> **Warning:** ${warning}`),
    codeBlock(index.bytes.toString('utf8'), 'json'),
  ].join('\n\n');
}
