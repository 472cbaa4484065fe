import { markdownTable } from '../markdown.js';
import { formatPlatform } from '../oci/platform.js';
import { summaryMarkdown } from '../publish/report.js';
import { serializeRecord } from '../records/record.js';
import type { BuildOutcome } from './build.js';

/** What the build reports: its outputs, by their action.yml names, and its job summary. */
export interface BuildReport {
  readonly outputs: Readonly<Record<'digest' | 'platform' | 'record-name' | 'record' | 'index-digest', string>>;
  readonly summary: string;
}

export function buildReport({ record, recordName, published }: BuildOutcome): BuildReport {
  const rows = record.images.map((image) => [image, formatPlatform(record.platform), `\`${record.digest}\``]);
  return {
    outputs: {
      digest: record.digest,
      platform: formatPlatform(record.platform),
      'record-name': recordName,
      record: serializeRecord(record).trim(),
      'index-digest': published?.outcome?.plan.index.descriptor.digest ?? '',
    },
    summary: [
      `### Pushed ${formatPlatform(record.platform)} by digest`,
      markdownTable(['image', 'platform', 'digest'], rows),
      `Record \`${recordName}\` (${record.mediaType}). ${publishedNote(published)}`,
      ...(published?.outcome ? [summaryMarkdown(published.outcome, false)] : []),
    ].join('\n\n'),
  };
}

function publishedNote(published: BuildOutcome['published']): string {
  if (published === undefined) return 'The merge step publishes it under the tags.';
  if (published.outcome === undefined) {
    const waiting = published.waitingFor.map(formatPlatform).join(', ');
    return `Not published from this job: no record of ${waiting} yet; the job that records the last platform publishes.`;
  }
  const rounds = `${published.rounds} round${published.rounds === 1 ? '' : 's'}`;
  return `Published with every record of the run this job saw (${rounds}):`;
}
