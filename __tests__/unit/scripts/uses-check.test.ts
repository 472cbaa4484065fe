import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { interfaceOf, published, type PublishedInterface } from '../../../scripts/actions.js';
import { documentationFiles, yamlBlocks } from '../../../scripts/markdown-blocks.js';
import { checkUses, resolveUses } from '../../../scripts/uses-check.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const interfaces: PublishedInterface[] = published.map((entry) => interfaceOf(entry, read(entry.file)));

const inputNames = (name: string) =>
  interfaces
    .find((each) => each.name === name)
    ?.inputs.map((input) => input.name)
    .join(', ');

const workflowFiles = readdirSync(join(root, '.github', 'workflows'))
  .filter((name) => /\.ya?ml$/.test(name))
  .map((name) => `.github/workflows/${name}`);
const pages = documentationFiles(root);
const pageBlocks = pages.map((file) => ({ file, blocks: yamlBlocks(read(file)) }));

/** Every `uses:` value anywhere in a YAML text. */
function usesIn(text: string): string[] {
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'uses' && typeof child === 'string') found.push(child);
        else visit(child);
      }
    }
  };
  visit(parse(text));
  return found;
}

describe('the uses of these actions, in the workflows, in README.md and in docs/', () => {
  test.each(workflowFiles)('%s uses only what the actions and the reusable workflow declare', (file) => {
    expect(checkUses(read(file), file, interfaces)).toEqual([]);
  });

  test('the pages checked are README.md and every Markdown file under docs/', () => {
    expect(pages[0]).toBe('README.md');
    expect(pages.slice(1).every((file) => /^docs\/.+\.md$/.test(file))).toBe(true);
    expect(pages.length).toBeGreaterThan(1);
  });

  test.each(pages)('every yaml block of %s uses only what the actions and the reusable workflow declare', (file) => {
    const blocks = pageBlocks.find((page) => page.file === file)?.blocks ?? [];
    const problems = blocks.flatMap((block) => checkUses(block.text, file, interfaces, block.line));
    expect(problems).toEqual([]);
  });

  test('README.md and docs/ show every action and the reusable workflow, each in a complete workflow', () => {
    const complete = pageBlocks
      .flatMap((page) => page.blocks)
      .filter((block) => /^on:/m.test(block.text) && /^jobs:/m.test(block.text));
    const used = new Set(
      complete.flatMap((block) => usesIn(block.text).map((uses) => resolveUses(uses, interfaces).ours?.name)),
    );
    expect([...used].filter((name) => name !== undefined).sort()).toEqual(['build', 'merge', 'plan', 'publish']);
  });

  test('README.md itself shows the build and merge actions in a complete workflow', () => {
    const readme = pageBlocks.find((page) => page.file === 'README.md')?.blocks ?? [];
    const complete = readme.filter((block) => /^on:/m.test(block.text) && /^jobs:/m.test(block.text));
    const used = complete.flatMap((block) =>
      usesIn(block.text).map((uses) => resolveUses(uses, interfaces).ours?.name),
    );
    expect(used).toEqual(expect.arrayContaining(['build', 'merge']));
  });

  test('the reusable workflow calls the actions of this repository in full, never by a path of the caller', () => {
    const uses = usesIn(read('.github/workflows/publish.yml'));
    const ours = uses.filter((each) => resolveUses(each, interfaces).ours !== undefined);
    expect(ours.sort()).toEqual([
      'OWNER/multiarch-publish/matrix@v1',
      'OWNER/multiarch-publish/merge@v1',
      'OWNER/multiarch-publish@v1',
    ]);
  });

  test('the reusable workflow passes the build action every input it declares for the build', () => {
    const workflow = interfaces.find((each) => each.name === 'publish');
    const build = interfaces.find((each) => each.name === 'build');
    const shared = ['context', 'file', 'target', 'build-args', 'labels', 'provenance', 'sbom', 'builder'];
    for (const name of shared) {
      expect(workflow?.inputs.map((input) => input.name)).toContain(name);
      expect(build?.inputs.map((input) => input.name)).toContain(name);
    }
    const text = read('.github/workflows/publish.yml');
    for (const name of shared) expect(text).toContain(`${name}: \${{ inputs.${name} }}`);
  });
});

describe('resolveUses', () => {
  test.each([
    ['OWNER/multiarch-publish@v1', 'build', undefined],
    ['OWNER/multiarch-publish/merge@v1', 'merge', undefined],
    ['OWNER/multiarch-publish/matrix@main', 'plan', undefined],
    ['OWNER/multiarch-publish/.github/workflows/publish.yml@v1', 'publish', undefined],
    ['./', 'build', undefined],
    ['./merge', 'merge', undefined],
    ['./.github/workflows/publish.yml', 'publish', undefined],
    ['docker/login-action@v4', undefined, undefined],
    ['./scripts', undefined, './scripts is no action or workflow of this repository'],
    ['octo-org/multiarch-publish/merge@v1', undefined, 'write the owner as OWNER'],
    ['OWNER/multiarch-publish/merge', undefined, 'names no version'],
    ['OWNER/multiarch-publish/plan@v1', undefined, 'this repository has no action or workflow at /plan'],
  ])('%s', (uses, name, problem) => {
    const target = resolveUses(uses, interfaces);
    expect(target.ours?.name).toBe(name);
    if (problem === undefined) expect(target.problem).toBeUndefined();
    else expect(target.problem).toContain(problem);
  });
});

describe('checkUses', () => {
  test('reports every wrong use in a broken workflow, at its line', () => {
    const file = '__tests__/fixtures/workflows/broken-uses.yml';
    expect(checkUses(read(file), 'broken-uses.yml', interfaces).map((p) => `${p.line}: ${p.message}`)).toEqual([
      '14: OWNER/multiarch-publish/matrix@v1 has no input platform (it has platforms, runners, emulate)',
      '12: OWNER/multiarch-publish/matrix@v1 needs the input platforms',
      `26: OWNER/multiarch-publish@v1 has no input tag (it has ${inputNames('build')})`,
      '28: someone/multiarch-publish/merge@v1: write the owner as OWNER, as every example does',
      '29: OWNER/multiarch-publish/publish@v1: this repository has no action or workflow at /publish',
      '30: OWNER/multiarch-publish/merge names no version: add @v1',
      "31: OWNER/multiarch-publish/.github/workflows/publish.yml@v1 is a reusable workflow: call it as a job's uses:",
      '36: OWNER/multiarch-publish/merge@v1 needs the input tags',
      `44: OWNER/multiarch-publish/.github/workflows/publish.yml@v1 has no input image (it has ${inputNames('publish')})`,
      '42: OWNER/multiarch-publish/.github/workflows/publish.yml@v1 needs the input images',
      '45: OWNER/multiarch-publish/.github/workflows/publish.yml@v1: push is a boolean, but is given "no"',
      '48: OWNER/multiarch-publish/.github/workflows/publish.yml@v1 has no secret docker-token',
      '50: OWNER/multiarch-publish/merge@v1 is an action: use it in a step',
      '9: steps.plan.outputs.platform: the plan action has no output platform',
      '27: steps.build.outputs.digests: the build action has no output digests',
      '27: steps.nobody: no step of this job has the id nobody',
      "19: matrix.runner: the plan action's matrix entries have platform, pair, runs-on, emulated",
      '39: needs.plan: job merge does not need plan',
      '46: needs.plan.outputs.count: job plan has no output count',
    ]);
  });

  test('checks a README snippet that is a list of steps, at its line in the README', () => {
    const snippet = ['- uses: OWNER/multiarch-publish/merge@v1', '  with: { tags: latest, platform: linux/amd64 }', ''];
    expect(checkUses(snippet.join('\n'), 'README.md', interfaces, 40)).toEqual([
      { file: 'README.md', line: 41, message: expect.stringContaining('has no input platform') },
    ]);
  });

  test('reports YAML that does not parse', () => {
    expect(checkUses('jobs: [', 'README.md', interfaces, 10)).toEqual([
      { file: 'README.md', line: expect.any(Number), message: expect.any(String) },
    ]);
  });
});

describe('the project’s own workflows', () => {
  test('e2e.yml runs this checkout’s actions and reusable workflow, never released ones', () => {
    const ours = usesIn(read('.github/workflows/e2e.yml')).filter((uses) => resolveUses(uses, interfaces).ours);
    expect([...new Set(ours)].sort()).toEqual(['./', './.github/workflows/publish.yml', './matrix', './merge']);
  });

  test('release.yml writes only from a job that needs the checks and runs none of the project’s code', () => {
    interface Job {
      readonly needs?: string;
      readonly permissions?: { readonly contents?: string };
      readonly steps: readonly { readonly run?: string }[];
    }
    const jobs = Object.entries((parse(read('.github/workflows/release.yml')) as { jobs: Record<string, Job> }).jobs);
    const commands = (job: Job) => job.steps.map((step) => step.run ?? '').join('\n');
    const writers = jobs.filter(([, job]) => job.permissions?.contents === 'write');
    const checks = jobs.filter(([, job]) => job.permissions?.contents !== 'write');
    expect(writers.map(([id]) => id)).toEqual(['publish']);
    expect(checks.map(([id]) => id)).toEqual(['check']);
    expect(writers[0]?.[1].needs).toBe('check');
    expect(commands(writers[0]![1])).not.toMatch(/npm|node|\.ci\/|scripts\//);
    for (const command of ['scripts/release-notes.ts "$TAG"', 'bash .ci/run', 'bash .ci/dist-is-fresh']) {
      expect(commands(checks[0]![1])).toContain(command);
    }
  });
});
