import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fakeGithub, parseFileCommand, parseWorkflowCommands, runActionAsRunner } from '../support/runner.js';

const echoAction = fileURLToPath(new URL('../fixtures/echo-action', import.meta.url));

describe('runActionAsRunner', () => {
  test('sets every declared input from its action.yml default, evaluating ${{ github.token }}', async () => {
    const run = await runActionAsRunner(echoAction, {});
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      message: 'hello from the defaults',
      'dry-run': 'false',
      token: fakeGithub.token,
      'no-default-is-set': 'true',
    });
  });

  test('passes hyphenated input names through as INPUT_NAME-WITH-HYPHENS, overriding the default', async () => {
    const run = await runActionAsRunner(echoAction, { message: 'given', 'dry-run': 'true' });
    expect(run.outputs).toMatchObject({ message: 'given', 'dry-run': 'true' });
  });

  test('reads a multi-line output that @actions/core wrote as a heredoc', async () => {
    const run = await runActionAsRunner(echoAction, { lines: 'linux/amd64\nlinux/arm64\n\nlinux/s390x' });
    expect(run.outputs['lines']).toBe('linux/amd64\nlinux/arm64\nlinux/s390x');
  });

  test('captures the job summary, the exported variables, the added paths and the masks', async () => {
    const run = await runActionAsRunner(echoAction, { message: 'summarised' });
    expect(run.summary).toBe('<h2>Echo</h2>\nThe message was: summarised\n');
    expect(run.exportedEnv).toEqual({ ECHO_MESSAGE: 'summarised' });
    expect(run.addedPaths).toEqual(['/opt/echo/bin']);
    expect(run.masked).toEqual([fakeGithub.token]);
  });

  test('runs the script in the workspace with the runner environment and nothing else from the parent', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'runner-test-workspace-'));
    try {
      const run = await runActionAsRunner(echoAction, {}, { workspace, env: { EXTRA: 'from options.env' } });
      const environment = JSON.parse(run.outputs['environment'] ?? '{}') as Record<string, string | null>;
      expect(await realpath(run.outputs['cwd'] ?? '')).toBe(await realpath(workspace));
      expect(environment).toMatchObject({
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: workspace,
        RUNNER_OS: 'Linux',
        GITHUB_RUN_ID: fakeGithub.run_id,
        EXTRA: 'from options.env',
        JEST_WORKER_ID: null,
      });
      expect(environment['RUNNER_TEMP']).toEqual(expect.stringContaining(tmpdir()));
    } finally {
      await rm(workspace, { recursive: true, force: true });
    }
  });

  test('reports setFailed as exit code 1 with the ::error:: line, decoded', async () => {
    const run = await runActionAsRunner(echoAction, { 'fail-with': 'platforms: 100% wrong\nsecond line' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual(['platforms: 100% wrong\nsecond line']);
  });

  test('exits 0 with no ::error:: line when the action does not fail', async () => {
    const run = await runActionAsRunner(echoAction, {});
    expect(run.exitCode).toBe(0);
    expect(run.errors).toEqual([]);
  });

  test("warns about an input action.yml does not declare, in the runner's words, and still passes it", async () => {
    const run = await runActionAsRunner(echoAction, { message: 'm', 'no-such-input': 'x', Typo: 'y' });
    expect(run.stderr).toContain(
      "##[warning]Unexpected input(s) 'no-such-input', 'Typo', valid inputs are ['message', 'dry-run', 'token', 'no-default', 'lines', 'fail-with']",
    );
    expect(run.exitCode).toBe(0);
  });

  test('gives no warning when every input is declared, whatever its case', async () => {
    const run = await runActionAsRunner(echoAction, { Message: 'upper case' });
    expect(run.stderr).not.toContain('Unexpected input');
    expect(run.outputs['message']).toBe('upper case');
  });

  test('runs runs.post with the state the main stage saved as STATE_*', async () => {
    const main = await runActionAsRunner(echoAction, { message: 'remember me' });
    expect(main.state).toEqual({ message: 'remember me' });
    const post = await runActionAsRunner(echoAction, { message: 'remember me' }, { stage: 'post', state: main.state });
    expect(post.exitCode).toBe(0);
    expect(post.outputs).toMatchObject({ 'saved-message': 'remember me', 'stage-inputs': 'remember me' });
    expect(post.summary).toBe('Post saw: remember me\n');
  });

  test('gives the post stage no state when main saved none', async () => {
    const post = await runActionAsRunner(echoAction, {}, { stage: 'post' });
    expect(post.outputs['saved-message']).toBe('');
  });

  test('gives each run fresh file-command files', async () => {
    await runActionAsRunner(echoAction, { message: 'first' });
    const second = await runActionAsRunner(echoAction, { message: 'second' });
    expect(second.summary).not.toContain('first');
    expect(second.state).toEqual({ message: 'second' });
  });
});

describe('parseFileCommand', () => {
  test.each([
    ['reads NAME=VALUE lines', 'a=1\nb=two words\n', { a: '1', b: 'two words' }],
    ['keeps everything after the first =', 'a=b=c\n', { a: 'b=c' }],
    ['reads a heredoc without the line break before its delimiter', 'a<<EOF\nx\ny\nEOF\n', { a: 'x\ny' }],
    ['reads an empty heredoc', 'a<<EOF\nEOF\n', { a: '' }],
    ['takes = as the marker when it comes before <<', 'a=x<<y\n', { a: 'x<<y' }],
    ['takes << as the marker when it comes before =', 'a<<E=F\nv\nE=F\n', { a: 'v' }],
    ['lets a later key override an earlier one', 'a=1\na<<EOF\n2\nEOF\n', { a: '2' }],
    ['skips empty lines', '\na=1\n\n', { a: '1' }],
    ['ends the heredoc only at a line that is exactly the delimiter', 'a<<EOF\nEOF \n EOF\nEOF\n', { a: 'EOF \n EOF' }],
  ])('%s', (_what, text, expected) => {
    expect(parseFileCommand(text, 'GITHUB_OUTPUT')).toEqual(expected);
  });

  test.each([
    ['a line with no marker', 'just text\n', 'invalid format'],
    ['a heredoc whose delimiter never comes', 'a<<EOF\nvalue\n', 'matching delimiter not found'],
    ['a heredoc with an empty delimiter', 'a<<\nvalue\n', 'must not be empty'],
  ])('rejects %s, as the runner fails the step', (_what, text, message) => {
    expect(() => parseFileCommand(text, 'GITHUB_OUTPUT')).toThrow(message);
  });
});

describe('parseWorkflowCommands', () => {
  test('reads commands with and without properties and decodes %25, %0D and %0A', () => {
    const stdout = 'plain line\n::error::a%25b%0D%0Ac\n::error file=x.ts,line=3::located\n::add-mask::s3cret\n';
    expect(parseWorkflowCommands(stdout)).toEqual([
      { name: 'error', message: 'a%b\r\nc' },
      { name: 'error', message: 'located' },
      { name: 'add-mask', message: 's3cret' },
    ]);
  });
});
