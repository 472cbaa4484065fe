import { build } from 'esbuild';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runActionAsRunner, type ActionRun } from '../support/runner.js';

// src/github/run.ts sets process.exitCode and writes workflow commands, so it is proved in a child process: a
// fixture action bundled with the options scripts/build.mjs uses, run as the runner runs dist/.
const fixture = fileURLToPath(new URL('../fixtures/run-action/', import.meta.url));
const password = 'hunter2-very-secret';
let actionDir: string;

beforeAll(async () => {
  actionDir = await mkdtemp(join(tmpdir(), 'run-action-'));
  await build({
    entryPoints: [join(fixture, 'main.ts')],
    outfile: join(actionDir, 'main.js'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  });
  await writeFile(join(actionDir, 'package.json'), '{ "type": "module" }\n');
  await copyFile(join(fixture, 'action.yml'), join(actionDir, 'action.yml'));
});

afterAll(async () => {
  if (actionDir) await rm(actionDir, { recursive: true, force: true });
});

function runFixture(behaviour: string, env: Record<string, string> = {}): Promise<ActionRun> {
  return runActionAsRunner(actionDir, { password, behaviour }, { env });
}

/** Everything a log reader would see, apart from the mask command that tells the runner what to hide. */
function printed(run: ActionRun): string {
  return `${run.stdout.replace(`::add-mask::${password}\n`, '')}\n${run.stderr}`;
}

describe('runAction', () => {
  test('hands main the inputs, a logger over workflow commands, the environment, outputs and the summary', async () => {
    const run = await runFixture('succeed');
    expect(run.exitCode).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.outputs).toEqual({ greeting: 'hello world', workspace: expect.stringContaining('workspace') });
    expect(run.summary).toBe('## Summary\n\nfrom runAction\n');
    expect(run.stdout).toContain('::group::greeting\nhello world\n::endgroup::\n');
    expect(run.stdout).toContain('::debug::a debug line\n');
    expect(run.stdout).toContain('::warning::a warning\n');
  });

  test('masks a secret the moment the logger is told of it', async () => {
    const run = await runFixture('succeed');
    expect(run.masked).toEqual([password]);
    expect(printed(run)).not.toContain(password);
  });

  test('prints the summary to stdout when there is no GITHUB_STEP_SUMMARY, as outside GitHub', async () => {
    const run = await runFixture('succeed', { GITHUB_STEP_SUMMARY: '' });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('## Summary\n\nfrom runAction\n');
    expect(run.summary).toBe('');
  });

  test('fails the step with a UserError message as it is: no stack, no cause', async () => {
    const run = await runFixture('user-error');
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual(['platforms: linux/s390x is expected but no record has it. Check the s390x build job.']);
    expect(printed(run)).not.toMatch(/registry said|\bat .*main\.js/);
  });

  test('reports any other error as a bug to report, with the stack only in the debug log', async () => {
    const run = await runFixture('bug');
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual(['unexpected error: records is not iterable; please report it with the debug log']);
    const stackLines = run.stdout.split('\n').filter((line) => /\bat .*main\.js/.test(line));
    expect(stackLines).not.toEqual([]);
    expect(stackLines.every((line) => line.startsWith('::debug::TypeError: records is not iterable'))).toBe(true);
    expect(printed(run)).not.toContain('registry said');
  });

  test('reports a thrown value that is not an Error as a bug too', async () => {
    const run = await runFixture('throw-value');
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual(['unexpected error: a thrown string; please report it with the debug log']);
  });
});
