import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { anchorOf, anchorsOf, linkProblems, markdownFiles, relativeLinks } from '../../../scripts/markdown-links.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('anchorOf: the anchor GitHub gives a heading', () => {
  test.each([
    ['Permissions', 'permissions'],
    ['The reusable workflow: one `uses:` line', 'the-reusable-workflow-one-uses-line'],
    ['Amazon ECR, Linux and Windows', 'amazon-ecr-linux-and-windows'],
    ['Adding platforms to a published tag: `append`', 'adding-platforms-to-a-published-tag-append'],
    [
      'Migrating from Docker\'s "distribute build across multiple runners" example',
      'migrating-from-dockers-distribute-build-across-multiple-runners-example',
    ],
    ['e2e on GitHub', 'e2e-on-github'],
    ['[1.0.0] - 2026-12-03', '100---2026-12-03'],
    ['See [the docs](docs/x.md) here', 'see-the-docs-here'],
  ])('%s → #%s', (heading, anchor) => {
    expect(anchorOf(heading)).toBe(anchor);
  });

  test('a repeated heading gets -1, and a # line in a code block is no heading', () => {
    const page = ['# Build', '', '## Inputs', '', '```yaml', '# not a heading', '```', '', '## Inputs', ''];
    expect([...anchorsOf(page.join('\n'))]).toEqual(['build', 'inputs', 'inputs-1']);
  });
});

describe('relativeLinks', () => {
  test('keeps relative links and anchors, leaves out web addresses, code spans and code blocks', () => {
    const page = [
      'See [the reference](docs/reference.md#build-inputs), [above](#top) and [x](https://example.com/a.md).',
      'Not `[a](b.md)`, nor [mail](mailto:a@example.com).',
      '```md',
      '[in a block](c.md)',
      '```',
      '[`append`](#append "title")',
    ];
    expect(relativeLinks(page.join('\n'))).toEqual([
      { target: 'docs/reference.md#build-inputs', line: 1 },
      { target: '#top', line: 1 },
      { target: '#append', line: 6 },
    ]);
  });
});

describe('linkProblems', () => {
  test('no Markdown file of this repository has a broken link', () => {
    const files = markdownFiles(root);
    expect(files).toEqual(expect.arrayContaining(['README.md', 'CONTRIBUTING.md', 'SECURITY.md', 'docs/reference.md']));
    expect(files.some((file) => file.startsWith('node_modules/') || file.startsWith('dist/'))).toBe(false);
    expect(files.flatMap((file) => linkProblems(root, file))).toEqual([]);
  });

  describe('in a scratch repository', () => {
    let scratch: string;

    beforeEach(async () => {
      scratch = await mkdtemp(join(tmpdir(), 'markdown-links-'));
      await mkdir(join(scratch, 'docs'));
      await writeFile(join(scratch, 'docs', 'security.md'), '# Permissions and credentials\n\n## Permissions\n');
      await writeFile(join(scratch, 'LICENSE'), 'MIT\n');
    });

    afterEach(() => rm(scratch, { recursive: true, force: true }));

    test('reports a missing file and a missing heading at their lines, and accepts the rest', async () => {
      const readme = [
        '# app',
        '',
        '[Permissions](docs/security.md#permissions), [license](LICENSE), [here](#app).',
        '[Permissions](README.md#permissions) moved to docs/security.md.',
        '[Workflows](docs/workflows.md) is not written yet.',
        '',
      ];
      await writeFile(join(scratch, 'README.md'), readme.join('\n'));
      expect(linkProblems(scratch, 'README.md')).toEqual([
        { file: 'README.md', line: 4, message: 'README.md#permissions: README.md has no heading #permissions' },
        { file: 'README.md', line: 5, message: 'docs/workflows.md: docs/workflows.md does not exist' },
      ]);
    });

    test('resolves a link from a page under docs/ against that folder', async () => {
      await writeFile(join(scratch, 'README.md'), '# app\n');
      const page = '# Workflows\n\n[the README](../README.md#app), [security](security.md#credentials)\n';
      await writeFile(join(scratch, 'docs', 'workflows.md'), page);
      expect(linkProblems(scratch, 'docs/workflows.md')).toEqual([
        {
          file: 'docs/workflows.md',
          line: 3,
          message: 'security.md#credentials: docs/security.md has no heading #credentials',
        },
      ]);
    });
  });
});
