import * as core from '@actions/core';
import { UserError } from '../errors.js';
import type { InputGetter } from '../inputs.js';
import type { Logger } from '../log.js';
import { actionsLogger } from './logger.js';

/** What an action's main function gets from the runner: raw inputs, a logger, the environment and the step's outputs. */
export interface ActionContext {
  /** The input as `core.getInput` reads it: trimmed, '' when unset. */
  readonly input: InputGetter;
  readonly logger: Logger;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where the job runs, as the runner tells it in GITHUB_* and RUNNER_* variables. */
  readonly runner: RunnerFacts;
  setOutput(name: string, value: string): void;
  /** Appends to the job summary; outside GitHub (no GITHUB_STEP_SUMMARY) the markdown goes to stdout instead. */
  appendSummary(markdown: string): Promise<void>;
  /** Sets every output and appends the summary of what an action's main function reports. */
  report(report: { readonly outputs: Readonly<Record<string, string>>; readonly summary: string }): Promise<void>;
}

export interface RunnerFacts {
  /** The workflow run, attempt and job: undefined outside a workflow run. */
  readonly run?: { readonly id: string; readonly attempt: number; readonly job?: string };
  /** Whether this is an Actions runner (GITHUB_ACTIONS), where jobs do not share a directory. */
  readonly onRunner: boolean;
  /** RUNNER_TEMP, the job's scratch directory. */
  readonly tempDir?: string;
}

function runnerFacts(env: NodeJS.ProcessEnv): RunnerFacts {
  const id = env['GITHUB_RUN_ID'];
  const attempt = Number(env['GITHUB_RUN_ATTEMPT'] ?? '1');
  const job = env['GITHUB_JOB'];
  const run = id
    ? { id, attempt: Number.isInteger(attempt) && attempt >= 1 ? attempt : 1, ...(job ? { job } : {}) }
    : undefined;
  const tempDir = env['RUNNER_TEMP'] || undefined;
  return { ...(run ? { run } : {}), onRunner: env['GITHUB_ACTIONS'] === 'true', ...(tempDir ? { tempDir } : {}) };
}

/**
 * Runs an action's main function and is the one place where an exception becomes a failed step: a UserError is
 * printed as it is, anything else is reported as a bug with its stack only in the debug log. Neither prints the
 * error's `cause`, which may hold a registry response or a credential.
 */
export async function runAction(
  main: (context: ActionContext) => Promise<void>,
  options: { readonly secretInputs?: readonly string[] } = {},
): Promise<void> {
  try {
    const context = actionContext();
    // Before anything parses them, so that not even an error about their syntax can show a secret.
    for (const name of options.secretInputs ?? []) maskSecretInput(context.input(name), context.logger);
    await main(context);
  } catch (error) {
    reportFailure(error);
  }
}

/** Every line of a secrets input, the value after each `id=`, and each without CSV quotes, masked. */
function maskSecretInput(raw: string, logger: Logger): void {
  for (const line of raw.split(/\r?\n/)) {
    const equals = line.indexOf('=');
    const parts = [line, equals >= 0 ? line.slice(equals + 1) : ''].map((part) => part.trim());
    for (const part of parts) {
      logger.secret(part);
      logger.secret(part.replace(/^"+|"+$/g, ''));
    }
  }
}

function actionContext(): ActionContext {
  return {
    input: (name) => core.getInput(name),
    logger: actionsLogger(),
    env: process.env,
    runner: runnerFacts(process.env),
    setOutput: (name, value) => core.setOutput(name, value),
    appendSummary,
    report: async ({ outputs, summary }) => {
      for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
      await appendSummary(summary);
    },
  };
}

async function appendSummary(markdown: string): Promise<void> {
  if (!process.env['GITHUB_STEP_SUMMARY']) {
    process.stdout.write(markdown.endsWith('\n') ? markdown : `${markdown}\n`);
    return;
  }
  await core.summary.addRaw(markdown, true).write();
}

function reportFailure(error: unknown): void {
  if (error instanceof UserError) {
    core.setFailed(error.message);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.stack) core.debug(error.stack);
  core.setFailed(`unexpected error: ${message}; please report it with the debug log`);
}
