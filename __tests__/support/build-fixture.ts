import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type BuildOutcome } from '../../src/build-action/build.js';
import { parseBuildInputs } from '../../src/build-action/inputs.js';
import { processExec } from '../../src/github/exec.js';
import { silentLogger } from '../../src/log.js';
import type { RetryPolicy } from '../../src/oci/retry.js';
import { openRegistrySession } from '../../src/oci/client.js';
import { directoryRecordStore } from '../../src/records/directory.js';
import { fastRetry } from './merge-fixture.js';

export interface BuildRun {
  readonly outcome?: BuildOutcome;
  readonly error?: unknown;
  /** Where the record was (or would have been) written. */
  readonly recordsPath: string;
}

/**
 * Runs the real build feature in-process with raw action inputs: the real exec, transport and Docker config keychain,
 * and a records-path store in a fresh directory unless the inputs name one.
 */
export async function runBuild(
  rawInputs: Readonly<Record<string, string>>,
  options: {
    readonly dockerConfig?: string;
    readonly env?: Readonly<Record<string, string>>;
    readonly retry?: RetryPolicy;
  } = {},
): Promise<BuildRun> {
  const recordsPath = rawInputs['records-path'] ?? (await mkdtemp(join(tmpdir(), 'build-records-')));
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DOCKER_CONFIG: options.dockerConfig ?? join(tmpdir(), 'no-docker-config'),
    ...options.env,
  };
  const session = openRegistrySession({
    env,
    logger: silentLogger,
    retry: options.retry ?? fastRetry,
  });
  try {
    const inputs = parseBuildInputs((name) => (name === 'records-path' ? recordsPath : (rawInputs[name] ?? '')));
    const outcome = await build(inputs, {
      store: directoryRecordStore(recordsPath),
      clients: session.clients,
      exec: processExec({ echo: false }),
      logger: silentLogger,
      env,
      consistencyWaitMs: 0,
    });
    return { outcome, recordsPath };
  } catch (error) {
    return { error, recordsPath };
  } finally {
    await session.close();
  }
}
