import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

/** What a runner would have recorded of one step: exit code, logs, and the file commands the action wrote. */
export interface ActionRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** GITHUB_OUTPUT, parsed as the runner parses it. */
  readonly outputs: Readonly<Record<string, string>>;
  /** GITHUB_STEP_SUMMARY as written. */
  readonly summary: string;
  /** GITHUB_STATE: pass it as `state` to the post stage. */
  readonly state: Readonly<Record<string, string>>;
  /** GITHUB_ENV: the variables later steps would see. */
  readonly exportedEnv: Readonly<Record<string, string>>;
  /** GITHUB_PATH: the directories later steps would have in front of PATH. */
  readonly addedPaths: readonly string[];
  /** The message of each `::error::` line, decoded. */
  readonly errors: readonly string[];
  /** The value of each `::add-mask::` line, decoded. */
  readonly masked: readonly string[];
}

export interface RunnerOptions {
  /** Job and step `env:`; applied after the runner's own variables, as a workflow's `env:` is. */
  readonly env?: Readonly<Record<string, string>>;
  /** GITHUB_WORKSPACE and the working directory; a fresh temporary directory, removed afterwards, by default. */
  readonly workspace?: string;
  readonly stage?: 'main' | 'post';
  /** STATE_* for the post stage: the `state` of the main run. */
  readonly state?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/**
 * The `github` and `runner` contexts `${{ … }}` defaults in action.yml are evaluated against, and where the matching
 * GITHUB_* variables come from. Only plain property reads such as `${{ github.token }}` are supported; anything else
 * fails the run rather than passing a wrong value. `workspace` and `temp` are the run's own directories.
 */
export const fakeGithub = {
  token: 'ghs_RunnerHarnessFakeToken000000000000000',
  repository: 'octo-org/octo-app',
  repository_owner: 'octo-org',
  run_id: '4242424242',
  run_attempt: '1',
  job: 'publish',
  workflow: 'publish',
  actor: 'octocat',
  sha: 'c0ffee0000000000000000000000000000c0ffee',
  ref: 'refs/heads/main',
  event_name: 'push',
  server_url: 'https://github.com',
  api_url: 'https://api.github.com',
} as const;

const defaultTimeoutMs = 60_000;

interface ActionManifest {
  readonly inputs: ReadonlyMap<string, string>;
  readonly main: string;
  readonly post?: string;
}

interface StepFiles {
  readonly root: string;
  readonly temp: string;
  readonly output: string;
  readonly state: string;
  readonly env: string;
  readonly path: string;
  readonly summary: string;
}

/**
 * Runs a JavaScript action's main (or post) script the way actions/runner does: INPUT_* from action.yml defaults
 * and `inputs`, fresh file-command files, cwd = GITHUB_WORKSPACE, `node <action dir>/<runs.main>` with no flags.
 */
export async function runActionAsRunner(
  actionDir: string,
  inputs: Readonly<Record<string, string>>,
  options: RunnerOptions = {},
): Promise<ActionRun> {
  const manifest = await readManifest(actionDir);
  const stage = options.stage ?? 'main';
  const script = stage === 'main' ? manifest.main : manifest.post;
  if (script === undefined) throw new Error(`${actionDir}/action.yml has no runs.post`);
  const files = await createStepFiles();
  try {
    const workspace = options.workspace ?? join(files.root, 'workspace');
    await mkdir(workspace, { recursive: true });
    const context = { github: { ...fakeGithub, workspace }, runner: { os: 'Linux', arch: 'X64', temp: files.temp } };
    const env = {
      ...runnerEnvironment(files, context),
      ...options.env,
      ...inputEnvironment(manifest, inputs, context),
      ...(stage === 'post' ? stateEnvironment(options.state ?? {}) : {}),
    };
    const { exitCode, stdout, stderr } = await runNode(resolve(actionDir, script), workspace, env, options.timeoutMs);
    const warning = unexpectedInputsWarning(manifest, inputs);
    return await collectRun(files, exitCode, stdout, warning + stderr);
  } finally {
    await rm(files.root, { recursive: true, force: true });
  }
}

async function readManifest(actionDir: string): Promise<ActionManifest> {
  const file = join(actionDir, 'action.yml');
  const document = parse(await readFile(file, 'utf8')) as {
    inputs?: Record<string, { default?: unknown } | null>;
    runs?: { using?: string; main?: string; post?: string };
  };
  const runs = document.runs ?? {};
  if (!/^node\d+$/.test(runs.using ?? '') || typeof runs.main !== 'string') {
    throw new Error(`${file}: the harness runs JavaScript actions only (runs.using: nodeNN and runs.main)`);
  }
  const inputs = new Map(
    Object.entries(document.inputs ?? {}).map(([name, input]) => [name, stringDefault(input?.default)]),
  );
  return { inputs, main: runs.main, ...(runs.post === undefined ? {} : { post: runs.post }) };
}

// The runner reads action.yml scalars as strings: `default: false` is the input 'false'.
function stringDefault(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

async function createStepFiles(): Promise<StepFiles> {
  const root = await mkdtemp(join(tmpdir(), 'runner-'));
  const temp = join(root, 'temp');
  const commands = join(temp, '_runner_file_commands');
  await mkdir(commands, { recursive: true });
  const files = {
    root,
    temp,
    output: join(commands, 'set_output'),
    state: join(commands, 'save_state'),
    env: join(commands, 'set_env'),
    path: join(commands, 'add_path'),
    summary: join(commands, 'step_summary'),
  };
  // @actions/core refuses to append to a file-command file that does not exist.
  await Promise.all([files.output, files.state, files.env, files.path, files.summary].map((f) => writeFile(f, '')));
  return files;
}

interface Contexts {
  readonly github: typeof fakeGithub & { readonly workspace: string };
  readonly runner: { readonly os: string; readonly arch: string; readonly temp: string };
}

function runnerEnvironment(files: StepFiles, context: Contexts): Record<string, string> {
  const { github, runner } = context;
  const passed = Object.fromEntries(
    ['PATH', 'HOME'].flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]]])),
  );
  return {
    ...passed,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_WORKSPACE: github.workspace,
    GITHUB_REPOSITORY: github.repository,
    GITHUB_REPOSITORY_OWNER: github.repository_owner,
    GITHUB_RUN_ID: github.run_id,
    GITHUB_RUN_ATTEMPT: github.run_attempt,
    GITHUB_JOB: github.job,
    GITHUB_WORKFLOW: github.workflow,
    GITHUB_ACTOR: github.actor,
    GITHUB_SHA: github.sha,
    GITHUB_REF: github.ref,
    GITHUB_EVENT_NAME: github.event_name,
    GITHUB_SERVER_URL: github.server_url,
    GITHUB_API_URL: github.api_url,
    RUNNER_OS: runner.os,
    RUNNER_ARCH: runner.arch,
    RUNNER_TEMP: runner.temp,
  };
}

// actions/runner Handler.AddInputsToEnvironment: spaces become underscores, hyphens stay, upper case.
function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

function inputEnvironment(
  manifest: ActionManifest,
  inputs: Readonly<Record<string, string>>,
  context: Contexts,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, fallback] of manifest.inputs) env[inputVariable(name)] = evaluate(fallback, context, name);
  // The runner passes undeclared inputs on as well; it only warns about them.
  for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = value;
  return env;
}

function evaluate(text: string, context: Contexts, input: string): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => {
    const [scope, property, ...rest] = expression.split('.');
    const values: Readonly<Record<string, string>> | undefined =
      scope === 'github' ? context.github : scope === 'runner' ? context.runner : undefined;
    const value = rest.length === 0 && property !== undefined ? values?.[property] : undefined;
    if (value === undefined) {
      throw new Error(`input ${input}: the runner harness cannot evaluate the default \${{ ${expression} }}`);
    }
    return value;
  });
}

// actions/runner ActionRunner: undeclared `with:` keys (compared ignoring case) only draw a warning.
function unexpectedInputsWarning(manifest: ActionManifest, inputs: Readonly<Record<string, string>>): string {
  const declared = [...manifest.inputs.keys()];
  const known = new Set(declared.map((name) => name.toLowerCase()));
  const unexpected = Object.keys(inputs).filter((name) => !known.has(name.toLowerCase()));
  if (unexpected.length === 0) return '';
  return `##[warning]Unexpected input(s) '${unexpected.join("', '")}', valid inputs are ['${declared.join("', '")}']\n`;
}

function stateEnvironment(state: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]));
}

interface Exit {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runNode(
  script: string,
  cwd: string,
  env: Record<string, string>,
  timeoutMs = defaultTimeoutMs,
): Promise<Exit> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
      if (code !== null) return resolvePromise({ exitCode: code, ...result });
      const reason = signal === 'SIGKILL' ? `timed out after ${timeoutMs} ms` : `was killed by ${signal}`;
      reject(new Error(`node ${script} ${reason}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`));
    });
  });
}

async function collectRun(files: StepFiles, exitCode: number, stdout: string, stderr: string): Promise<ActionRun> {
  const [output, state, env, path, summary] = await Promise.all(
    [files.output, files.state, files.env, files.path, files.summary].map((file) => readFile(file, 'utf8')),
  );
  const commands = parseWorkflowCommands(stdout);
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseFileCommand(output ?? '', 'GITHUB_OUTPUT'),
    summary: summary ?? '',
    state: parseFileCommand(state ?? '', 'GITHUB_STATE'),
    exportedEnv: parseFileCommand(env ?? '', 'GITHUB_ENV'),
    addedPaths: (path ?? '').split('\n').filter((line) => line !== ''),
    errors: commands.filter((command) => command.name === 'error').map((command) => command.message),
    masked: commands.filter((command) => command.name === 'add-mask').map((command) => command.message),
  };
}

/**
 * Parses GITHUB_OUTPUT/STATE/ENV text as actions/runner's EnvFileKeyValuePairs does on Linux: lines split at `\n`,
 * empty lines skipped, `NAME=VALUE` or `NAME<<DELIMITER` (whichever marker comes first) with the value running up
 * to the line that is exactly DELIMITER, without the line break before it. A later key overrides an earlier one.
 * Malformed text throws, as it fails the step on a runner.
 */
export function parseFileCommand(text: string, file: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (line === '') continue;
    const equals = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      values[line.slice(0, equals)] = line.slice(equals + 1);
      continue;
    }
    if (heredoc < 0) throw new Error(`${file}: invalid format ${JSON.stringify(line)}`);
    const name = line.slice(0, heredoc);
    const delimiter = line.slice(heredoc + 2);
    if (name === '' || delimiter === '') {
      throw new Error(`${file}: invalid format ${JSON.stringify(line)}: name and delimiter must not be empty`);
    }
    const end = lines.indexOf(delimiter, index + 1);
    if (end < 0) throw new Error(`${file}: matching delimiter not found ${JSON.stringify(delimiter)}`);
    values[name] = lines.slice(index + 1, end).join('\n');
    index = end;
  }
  return values;
}

interface WorkflowCommand {
  readonly name: string;
  readonly message: string;
}

/** The `::name props::message` lines of a step's stdout, with the message decoded as @actions/core encodes it. */
export function parseWorkflowCommands(stdout: string): WorkflowCommand[] {
  return stdout.split(/\r?\n/).flatMap((line) => {
    const command = /^::([A-Za-z-]+)(?: [^:]*)?::(.*)$/.exec(line);
    if (!command) return [];
    const [, name = '', message = ''] = command;
    return [{ name, message: message.replace(/%(25|0D|0A)/g, (_, code: string) => decodeURIComponent(`%${code}`)) }];
  });
}

/** What a user sees of a step's stdout: the runner never displays `::add-mask::` lines. */
export function visibleLog(run: ActionRun): string {
  return run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}
