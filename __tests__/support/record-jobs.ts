import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { recordStore } from '../../src/github/record-store.js';
import type { Logger } from '../../src/log.js';
import type { Platform } from '../../src/oci/descriptor.js';
import { createRecord, type DigestRecord } from '../../src/records/record.js';
import type { RecordStore } from '../../src/records/store.js';
import {
  serverEnvironment,
  serverVariables,
  type ArtifactFakes,
  type ServerJob,
  type ServerName,
} from './actions-servers.js';
import { startArtifactService } from './artifact-service.js';
import { startLegacyArtifactService } from './legacy-artifact-service.js';

/**
 * Record stores as the jobs of a run on one kind of Actions server make them, in-process: the artifact clients read
 * process.env when they are called, so each store sets the job's variables there first (and clears the others').
 */
export interface RecordingLogger extends Logger {
  readonly lines: string[];
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  return {
    lines,
    debug: (message) => lines.push(`debug: ${message}`),
    info: (message) => lines.push(message),
    warning: (message) => lines.push(`warning: ${message}`),
    group: (_title, work) => work(),
    secret: () => {},
  };
}

/** Sets the job's environment in process.env, as its runner would, and returns it. */
export function environmentOf(server: ServerName, fakes: ArtifactFakes, job: ServerJob): Record<string, string> {
  const env = serverEnvironment(server, fakes, job);
  for (const name of serverVariables) delete process.env[name];
  Object.assign(process.env, env);
  return env;
}

export function storeOf(
  server: ServerName,
  fakes: ArtifactFakes,
  job: ServerJob,
  options: { readonly images: readonly string[]; readonly logger?: Logger },
): RecordStore {
  const env = environmentOf(server, fakes, job);
  return recordStore(undefined, options.images, { logger: options.logger ?? recordingLogger(), env });
}

/** Both artifact-service fakes, started, with what the tests of a file do around them. */
export interface StartedFakes extends ArtifactFakes {
  /** Forgets the requests both fakes have seen. */
  resetRequests(): void;
  /** Stops both, and puts back the variables the jobs set in process.env. */
  stop(): Promise<void>;
}

export async function startArtifactFakes(): Promise<StartedFakes> {
  const saved = Object.fromEntries(serverVariables.map((name) => [name, process.env[name]]));
  const [current, legacy] = await Promise.all([startArtifactService(), startLegacyArtifactService()]);
  return {
    current,
    legacy,
    resetRequests: () => {
      current.resetRequests();
      legacy.resetRequests();
    },
    stop: async () => {
      for (const name of serverVariables) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
      await Promise.all([current.stop(), legacy.stop()]);
    },
  };
}

/**
 * Both fakes for the tests of one file: started before them, their requests forgotten before each, stopped after.
 * `newRun` names a workflow run of its own per test, so tests share the services but never each other's artifacts.
 */
export function useArtifactFakes(runPrefix: string): { fakes: StartedFakes; newRun: () => string } {
  const fakes = {} as StartedFakes;
  let runs = 0;
  beforeAll(async () => {
    Object.assign(fakes, await startArtifactFakes());
  });
  afterAll(() => fakes.stop?.());
  beforeEach(() => fakes.resetRequests());
  return { fakes, newRun: () => `${runPrefix}${++runs}` };
}

/** A record of run 42 whose digest repeats `digestCharacter`. */
export function sampleRecord(
  platform: Platform,
  images: readonly string[],
  digestCharacter = 'a',
  attempt = 1,
): DigestRecord {
  return createRecord({
    digest: `sha256:${digestCharacter.repeat(64)}`,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    size: 1234,
    platform,
    images,
    run: { id: '42', attempt, job: `build (${platform.architecture})` },
  });
}
