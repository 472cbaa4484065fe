import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { recordStore } from '../../../src/github/record-store.js';
import { silentLogger } from '../../../src/log.js';
import { parseMatrixInputs } from '../../../src/matrix-action/inputs.js';
import { planMatrix } from '../../../src/matrix-action/matrix.js';
import { userErrorFrom } from '../../support/thrown.js';

/**
 * docs/servers.md states facts the code and the reusable workflow decide: they are read from there, so that the page
 * cannot drift from them.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const page = readFileSync(resolve(root, 'docs/servers.md'), 'utf8');

function section(title: string): string {
  const start = page.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`docs/servers.md has no section "${title}"`);
  const end = page.indexOf('\n## ', start + 1);
  return page.slice(start, end < 0 ? undefined : end);
}

/** Every `uses:` of the reusable workflow's steps. */
function workflowActions(): string[] {
  const workflow = parse(readFileSync(resolve(root, '.github/workflows/publish.yml'), 'utf8')) as {
    jobs: Record<string, { steps?: { uses?: string }[] }>;
  };
  const uses = Object.values(workflow.jobs).flatMap((job) => (job.steps ?? []).flatMap((step) => step.uses ?? []));
  return [...new Set(uses)].sort();
}

describe('docs/servers.md', () => {
  test('lists exactly the actions the reusable workflow names, which must be on a GHES instance', () => {
    const list = /<!-- actions of publish\.yml -->([\s\S]*?)<!-- end -->/.exec(section('GitHub Enterprise Server'));
    const listed = [...(list?.[1] ?? '').matchAll(/`([^`\s]+@[^`\s]+)`/g)].map((match) => match[1]);
    expect(listed.sort()).toEqual(workflowActions());
  });

  test('gives the default runners on GHES that the plan action uses there', () => {
    const examples: Readonly<Record<string, string>> = { 'linux/arm/*': 'linux/arm/v6', 'windows/*': 'windows/amd64' };
    const rows = [...section('GitHub Enterprise Server').matchAll(/^\| (`[^|]+`) +\| `(\[[^`]+\])` +\|$/gm)];
    expect(rows.length).toBeGreaterThan(0);
    for (const [, platforms = '', runner = ''] of rows) {
      for (const [, platform = ''] of platforms.matchAll(/`([^`]+)`/g)) {
        const concrete = examples[platform] ?? platform;
        const planned = planMatrix(
          parseMatrixInputs((name) => (name === 'platforms' ? concrete : '')),
          'self-hosted',
        );
        expect([platform, planned.include[0]?.['runs-on']]).toEqual([platform, JSON.parse(runner)]);
      }
    }
  });

  test('shows the message a GHES job without the artifact service variables fails with', () => {
    const shown = /```text\n(.*)\n```/.exec(page)?.[1];
    const env = { GITHUB_SERVER_URL: 'https://ghes.example.com', ACTIONS_RUNTIME_TOKEN: 'x', GITHUB_RUN_ID: '1' };
    const error = userErrorFrom(() =>
      recordStore(undefined, ['registry.example.com/team/app'], { logger: silentLogger, env }),
    );
    expect(shown).toBe(error.message);
  });
});
