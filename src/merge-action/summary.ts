import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markdownTable } from '../markdown.js';
import { fallbackTag } from '../oci/referrers.js';
import {
  provenanceSubjects,
  subjectChecksums,
  type ProvenanceOutcome,
  type ProvenanceTarget,
} from '../publish/provenance.js';
import { summaryMarkdown, writtenReferences } from '../publish/report.js';
import type { MergeOutcome } from '../publish/types.js';

type OutputName =
  'digest' | 'images' | 'index' | 'subjects' | 'subjects-file' | 'subject-names' | 'attestation-id' | 'attestation-url';

/** What the merge reports: its outputs, by their action.yml names, and its job summary. */
export interface MergeReport {
  readonly outputs: Readonly<Record<OutputName, string>>;
  readonly summary: string;
}

export interface ReportOptions {
  readonly dryRun: boolean;
  /** What attest signed and attached; undefined without attest, on a dry run and after a failed publish. */
  readonly provenance?: ProvenanceOutcome;
  /** Where writeSubjectsFile put the subjects. */
  readonly subjectsFile: string;
}

export function mergeReport(outcome: MergeOutcome, options: ReportOptions): MergeReport {
  const index = outcome.plan.index;
  const attestation = options.provenance?.attestation;
  return {
    outputs: {
      digest: index.descriptor.digest,
      images: writtenReferences(outcome).join('\n'),
      index: index.bytes.toString('utf8'),
      subjects: subjectChecksums(provenanceSubjects(outcome.plan)),
      'subjects-file': options.subjectsFile,
      'subject-names': outcome.plan.targets.map((target) => target.reference).join('\n'),
      'attestation-id': attestation?.id ?? '',
      'attestation-url': attestation?.url ?? '',
    },
    summary: [
      summaryMarkdown(outcome, options.dryRun),
      ...(options.provenance ? [provenanceMarkdown(options.provenance)] : []),
    ].join('\n\n'),
  };
}

/**
 * The subjects in actions/attest's `subject-checksums` format, in a file of their own under the job's temporary
 * directory, for the steps that sign otherwise.
 */
export async function writeSubjectsFile(outcome: MergeOutcome, tempDir: string | undefined): Promise<string> {
  const dir = await mkdtemp(join(tempDir ?? tmpdir(), 'multiarch-publish-'));
  const file = join(dir, 'subjects.txt');
  await writeFile(file, `${subjectChecksums(provenanceSubjects(outcome.plan))}\n`);
  return file;
}

const instanceTitles: Readonly<Record<string, string>> = {
  'public-good': 'Sigstore’s public-good instance (Fulcio, Rekor)',
  github: 'GitHub’s Sigstore instance (Fulcio, timestamp authority)',
};

/** The attestation: who signed it, where GitHub keeps it, its subjects, and how each image serves it. */
function provenanceMarkdown(provenance: ProvenanceOutcome): string {
  const attestation = provenance.attestation;
  if (attestation === undefined) {
    return ['### Provenance attestation: not signed', `> **Error:** ${provenance.error?.message ?? ''}`].join('\n\n');
  }
  const stored = attestation.url ? `, stored as [attestation ${attestation.id}](${attestation.url})` : '';
  const subjects = provenance.subjects.map((subject) => [subject.what, `\`${subject.digest}\``]);
  const rows = provenance.targets.flatMap((entry) => targetRows(entry, provenance));
  return [
    '### Provenance attestation',
    `\`${attestation.predicateType}\`, signed with ${instanceTitles[attestation.instance] ?? attestation.instance}${stored}.`,
    markdownTable(['subject', 'digest'], subjects),
    markdownTable(['image', 'subject', 'attestation manifest', 'listed in', 'status'], rows),
  ].join('\n\n');
}

function targetRows(entry: ProvenanceTarget, provenance: ProvenanceOutcome): string[][] {
  const image = entry.target.reference;
  if (entry.error) return [[image, 'all', '', '', `failed: ${entry.error.problem}`]];
  return entry.referrers.map((referrer, position) => {
    const what = provenance.subjects.find((subject) => subject.digest === referrer.subject)?.what ?? referrer.subject;
    const listed = referrer.listing === 'api' ? 'referrers API' : `tag \`${fallbackTag(referrer.subject)}\``;
    // The index's listing is the one read back.
    const reading = position === 0 ? entry.reading : undefined;
    const status = reading === undefined ? 'attached' : reading.served ? 'served' : `not served: ${reading.problem}`;
    return [image, what, `\`${referrer.descriptor.digest}\``, listed, status];
  });
}
