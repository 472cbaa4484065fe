import { collectChildren } from '../../../src/publish/children.js';
import { planMerge } from '../../../src/publish/plan.js';
import { summaryMarkdown, summaryRows } from '../../../src/publish/report.js';
import { parseRepository } from '../../../src/oci/reference.js';
import { buildxRecord, ghcr, imageRecord, noAnnotations } from '../../fixtures/merge/records.js';
import type { MergeOutcome } from '../../../src/publish/types.js';

const amd64 = buildxRecord('amd64', 'records/amd64.json');
const s390x = imageRecord('records/s390x.json', 'linux/s390x');

function dryRun(): MergeOutcome {
  const children = collectChildren([amd64, s390x], { overrides: [], annotations: noAnnotations });
  const plan = planMerge(
    { images: [parseRepository(ghcr)], tags: [{ tag: '1.0' }, { tag: 'latest' }], annotations: noAnnotations },
    children,
  );
  return { plan, warnings: [], results: [], verifications: [] };
}

describe('the job summary', () => {
  const [image, attestation] = amd64.index?.manifests ?? [];

  test('has a row per tag and entry, each attestation marked as the attestation of its image', () => {
    const rows = summaryRows(dryRun(), true).filter((row) => row.tag === '1.0');
    expect(rows.map((row) => [row.platform, row.digest])).toEqual([
      ['linux/amd64', image?.digest],
      ['linux/s390x', s390x.sourced.record.digest],
      ['attestation of linux/amd64', attestation?.digest],
    ]);
    expect(summaryRows(dryRun(), true)).toHaveLength(6);
  });

  test('shows the attestation rows in the markdown table', () => {
    expect(summaryMarkdown(dryRun(), true)).toContain(`| attestation of linux/amd64 | \`${attestation?.digest}\``);
  });
});
