import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  formatProblem,
  lintAction,
  lintRepository,
  lintWorkflow,
  type Problem,
} from '../../../scripts/lint-actions.js';
import { documentationFiles } from '../../../scripts/markdown-blocks.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = join(root, '__tests__', 'fixtures', 'workflows');

const summary = (problems: readonly Problem[]) =>
  problems.map((p) => `${p.line}:${p.column} [${p.check}] ${p.message}`);

describe('lint-actions (actionlint and GitHub’s schemas)', () => {
  test('finds nothing in this repository’s workflows, action.yml files and the workflows of README.md and docs/', async () => {
    const { files, problems } = await lintRepository(root);
    const pages = documentationFiles(root);
    expect(pages).toContain('README.md');
    expect(pages.filter((page) => page.startsWith('docs/')).length).toBeGreaterThan(0);
    expect(files).toEqual(
      expect.arrayContaining([
        '.github/workflows/publish.yml',
        '.github/workflows/ci.yml',
        '.github/workflows/release.yml',
        '.github/workflows/e2e.yml',
        'action.yml',
        'merge/action.yml',
        'matrix/action.yml',
        ...pages,
      ]),
    );
    expect(problems.map(formatProblem)).toEqual([]);
  });

  test('reports each mistake of a broken workflow, with actionlint’s rule and the schema’s message', async () => {
    const file = 'broken-workflow.yml';
    const problems = await lintWorkflow(await readFile(join(fixtures, file), 'utf8'), file);
    expect(summary(problems)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^11:\d+ \[actionlint:action\] input "passwd" is not defined in action "docker\/login-action@v3"/,
        ),
        expect.stringMatching(/^12:\d+ \[actionlint:expression\] property "missing" is not defined/),
        '13:3 [actionlint:job-needs] job "merge" needs job "biuld" which does not exist in this workflow',
        expect.stringMatching(/^16:\d+ \[actionlint:syntax-check\] unexpected key "stpes"/),
        "16:5 [schema] Unexpected value 'stpes'",
      ]),
    );
    expect(problems.every((problem) => problem.file === file)).toBe(true);
  });

  test('reports an action.yml that a runner would refuse to load', () => {
    const file = 'broken-action/action.yml';
    return readFile(join(fixtures, file), 'utf8').then((text) => {
      expect(summary(lintAction(text, file))).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^5:\d+ \[schema\] Unrecognized named-value: 'github'/),
          "8:10 [schema] Unexpected value 'node99'",
          '2:1 [schema] Required property is missing: description',
        ]),
      );
    });
  });

  test('finds nothing in a correct workflow, so the reports above are not noise', async () => {
    const text = [
      'on: push',
      'jobs:',
      '  test:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: npm test',
      '',
    ];
    expect(await lintWorkflow(text.join('\n'), 'ok.yml')).toEqual([]);
  });

  describe('on a copy of the repository', () => {
    let copy: string;

    beforeEach(async () => {
      copy = await mkdtemp(join(tmpdir(), 'lint-actions-'));
      for (const file of ['action.yml', 'merge', 'matrix', '.github', 'README.md', 'docs']) {
        await cp(join(root, file), join(copy, file), { recursive: true });
      }
    });

    afterEach(() => rm(copy, { recursive: true, force: true }));

    test('reports a problem of a README workflow at its line in README.md, and a wrong use of ours', async () => {
      const readme = [
        '# app',
        '',
        '```yaml',
        'on: push',
        'jobs:',
        '  merge:',
        '    needs: build',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: OWNER/multiarch-publish/merge@v1',
        '        with: { images: ghcr.io/o/app, tag: latest }',
        '```',
        '',
      ];
      await writeFile(join(copy, 'README.md'), readme.join('\n'));
      const { problems } = await lintRepository(copy);
      expect(summary(problems.filter((problem) => problem.file === 'README.md'))).toEqual([
        '6:3 [actionlint:job-needs] job "merge" needs job "build" which does not exist in this workflow',
        '6:3 [schema] The workflow must contain at least one job with no dependencies.',
        expect.stringMatching(/^11:1 \[uses\] OWNER\/multiarch-publish\/merge@v1 has no input tag/),
        '10:1 [uses] OWNER/multiarch-publish/merge@v1 needs the input tags',
      ]);
    });

    test('checks every Markdown page under docs/, subfolders too, each problem at its line in its page', async () => {
      const page = [
        '# A guide',
        '',
        'A snippet is checked for the uses of ours only:',
        '',
        '```yaml',
        '- uses: OWNER/multiarch-publish@v1',
        '  with: { images: ghcr.io/o/app, platfrom: linux/amd64 }',
        '```',
        '',
      ];
      await mkdir(join(copy, 'docs', 'guides'), { recursive: true });
      await writeFile(join(copy, 'docs', 'guides', 'typo.md'), page.join('\n'));
      const { files, problems } = await lintRepository(copy);
      expect(files).toContain('docs/guides/typo.md');
      expect(summary(problems.filter((problem) => problem.file === 'docs/guides/typo.md'))).toEqual([
        expect.stringMatching(/^7:1 \[uses\] OWNER\/multiarch-publish@v1 has no input platfrom/),
        '6:1 [uses] OWNER/multiarch-publish@v1 needs the input platform',
      ]);
      expect(problems.filter((problem) => problem.file !== 'docs/guides/typo.md')).toEqual([]);
    });

    test('fails on a broken workflow dropped into .github/workflows', async () => {
      await cp(join(fixtures, 'broken-workflow.yml'), join(copy, '.github', 'workflows', 'broken.yml'));
      const { problems } = await lintRepository(copy);
      expect(problems.filter((problem) => problem.file === '.github/workflows/broken.yml').length).toBeGreaterThan(3);
    });
  });
});
