import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interfaceOf, published, type PublishedInterface } from '../../../scripts/actions.js';
import { fillTables, readPages, renderPages, type Page } from '../../../scripts/docs.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const merge = interfaceOf(
  published[1],
  [
    'name: merge',
    'description: test',
    'inputs:',
    '  tags: { description: "Tags (a|b),\\nor JSON.", required: true }',
    '  dry-run: { description: Write nothing., default: false }',
    "  images: { description: Repositories., default: '' }",
    'outputs:',
    '  digest: { description: The digest. }',
    'runs: { using: node24, main: x.js }',
  ].join('\n'),
);
const workflow = interfaceOf(
  published[3],
  [
    'on:',
    '  workflow_call:',
    '    inputs:',
    '      push: { description: Push., type: boolean, default: true }',
    '    secrets:',
    '      token: { description: A token., required: false }',
    'jobs: {}',
  ].join('\n'),
);
const region = (section: string, name: string) => `<!-- ${section}: ${name} -->\nstale\n<!-- end -->`;

function fill(interfaces: readonly PublishedInterface[], ...regions: string[]): string {
  return fillTables([{ file: 'docs/reference.md', text: regions.join('\n\n') }], interfaces)[0]!.text;
}

/** The page of the repository's documentation that holds a table of `section` of `name`. */
function pageWith(pages: readonly Page[], section: string, name: string): Page {
  const page = pages.find((each) => each.text.includes(`<!-- ${section}: ${name} -->`));
  if (page === undefined) throw new Error(`no page has <!-- ${section}: ${name} -->`);
  return page;
}

describe('the reference tables of README.md and docs/', () => {
  test('every page is what npm run docs writes: its tables match every action.yml and the reusable workflow', async () => {
    const pages = await readPages(root);
    expect(pages.map((page) => page.file)).toContain('README.md');
    expect(await renderPages(pages, root)).toEqual(pages);
  });

  test('an input table shows (required), a default in code, and a description on one line with pipes escaped', () => {
    expect(fill([merge], region('inputs', 'merge'), region('outputs', 'merge'))).toBe(
      [
        '<!-- inputs: merge -->',
        '',
        '| input | default | description |',
        '| --- | --- | --- |',
        '| `tags` | (required) | Tags (a\\|b), or JSON. |',
        '| `dry-run` | `false` | Write nothing. |',
        '| `images` |  | Repositories. |',
        '',
        '<!-- end -->',
        '',
        '<!-- outputs: merge -->',
        '',
        '| output | description |',
        '| --- | --- |',
        '| `digest` | The digest. |',
        '',
        '<!-- end -->',
      ].join('\n'),
    );
  });

  test('the reusable workflow gets input types, and a table of its secrets', () => {
    const filled = fill(
      [workflow],
      region('inputs', 'publish'),
      region('secrets', 'publish'),
      region('outputs', 'publish'),
    );
    expect(filled).toContain('| `push` | boolean | `true` | Push. |');
    expect(filled).toContain('| `token` | no | A token. |');
    expect(filled).toContain('_No outputs._');
  });

  test('fails when a table of a published action is missing, so a new action cannot go undocumented', () => {
    expect(() => fill([merge], region('inputs', 'merge'))).toThrow(
      'no page has a table for <!-- outputs: merge --> (read docs/reference.md)',
    );
  });

  test('fails on a marker that names nothing published, or one that appears twice', () => {
    expect(() =>
      fill([merge], region('inputs', 'merge'), region('outputs', 'merge'), region('inputs', 'nope')),
    ).toThrow('<!-- inputs: nope --> names nothing this repository publishes');
    expect(() => fill([merge], region('secrets', 'merge'), region('inputs', 'merge'))).toThrow(
      '<!-- secrets: merge --> names nothing',
    );
    expect(() =>
      fill([merge], region('inputs', 'merge'), region('inputs', 'merge'), region('outputs', 'merge')),
    ).toThrow('appears twice');
  });

  test('the tables may be spread over several pages, but each table is in one page only', () => {
    const pages = [
      { file: 'README.md', text: region('inputs', 'merge') },
      { file: 'docs/reference.md', text: region('outputs', 'merge') },
    ];
    expect(fillTables(pages, [merge]).map((page) => page.text)).toEqual([
      expect.stringContaining('| `tags` | (required) |'),
      expect.stringContaining('| `digest` | The digest. |'),
    ]);
    const twice = [...pages, { file: 'docs/other.md', text: region('inputs', 'merge') }];
    expect(() => fillTables(twice, [merge])).toThrow(
      'docs/other.md: <!-- inputs: merge --> appears twice (also in README.md)',
    );
  });

  test('a stale page fails the comparison: an input added to an action.yml is a difference', async () => {
    const pages = await readPages(root);
    const page = pageWith(pages, 'inputs', 'merge');
    const stale = pages.map((each) =>
      each === page ? { ...each, text: each.text.replace(/\| `dry-run` .*\n/, '') } : each,
    );
    expect(stale).not.toEqual(pages);
    expect(await renderPages(stale, root)).toEqual(pages);
  });
});
