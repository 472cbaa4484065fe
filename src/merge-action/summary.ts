import { summaryMarkdown, writtenReferences } from '../publish/report.js';
import type { MergeOutcome } from '../publish/types.js';

/** What the merge reports: its outputs, by their action.yml names, and its job summary. */
export interface MergeReport {
  readonly outputs: Readonly<Record<'digest' | 'images' | 'index', string>>;
  readonly summary: string;
}

export function mergeReport(outcome: MergeOutcome, dryRun: boolean): MergeReport {
  const index = outcome.plan.index;
  return {
    outputs: {
      digest: index.descriptor.digest,
      images: writtenReferences(outcome).join('\n'),
      index: index.bytes.toString('utf8'),
    },
    summary: summaryMarkdown(outcome, dryRun),
  };
}
