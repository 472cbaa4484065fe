import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interfaceOf, published, type PublishedInterface } from '../../../scripts/actions.js';
import { fillTables, renderReadme } from '../../../scripts/docs.js';

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
  return fillTables(regions.join('\n\n'), interfaces);
}

describe('README reference tables', () => {
  test('README.md is what npm run docs writes: its tables match every action.yml and the reusable workflow', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    expect(await renderReadme(readme, root)).toBe(readme);
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
      'README.md has no table for <!-- outputs: merge -->',
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

  test('a stale README fails the comparison: an input added to an action.yml is a difference', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const stale = readme.replace(/\| `dry-run` .*\n/, '');
    expect(stale).not.toBe(readme);
    expect(await renderReadme(stale, root)).toBe(readme);
  });
});
