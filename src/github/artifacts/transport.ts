import { UserError } from '../../errors.js';
import type { DigestRecord } from '../../records/record.js';
import type { ActionsServer } from '../server.js';

/** An artifact of the run as a transport lists it: its name, and whatever the transport needs to download it. */
export interface ListedArtifact {
  readonly name: string;
}

/**
 * What the record store needs of an artifact service: the same few operations over the current service and the
 * legacy one, so that record names, replacement and every message are the same on each (see ../artifacts.ts).
 * Failures are UserErrors naming the artifact and the fix for the server the job runs on.
 */
export interface ArtifactTransport<A extends ListedArtifact> {
  /** The run's artifacts, of every attempt. */
  list(): Promise<readonly A[]>;
  /** The run's artifact of this name, or undefined when there is none yet (a job's first attempt). */
  find(name: string): Promise<A | undefined>;
  /** Makes the name free again when the service needs that before `upload` can store a newer record under it. */
  release(previous: A): Promise<void>;
  /** Stores `record` as the artifact `name`; `directory` is an empty scratch directory. */
  upload(name: string, record: DigestRecord, directory: string): Promise<void>;
  /** Downloads the artifact into the empty `directory` and returns the path of its record file. */
  download(artifact: A, directory: string): Promise<string>;
}

type Env = Readonly<Record<string, string | undefined>>;

const input = 'records-path';

/**
 * Fails when the runner gave this step none of what the transport needs (`variables`), before anything is built or
 * pushed: a step outside Actions, or a server whose artifact service this client cannot reach.
 */
export function checkRuntimeAccess(server: ActionsServer, env: Env, variables: readonly string[]): void {
  const missing = variables.filter((name) => !env[name]);
  if (missing.length === 0) return;
  throw new UserError(
    input,
    `is empty and this step has no access to the run’s artifacts on ${server.name} (${missing.join('/')} ${missing.length === 1 ? 'is' : 'are'} not set: not an Actions job?).`,
    recordsPathFix(server),
  );
}

/** The way out wherever the artifact service cannot hold the records: a directory moved by the artifact actions. */
export function recordsPathFix(server: ActionsServer): string {
  const advice = recordsPathAdvice(server);
  return `${advice.charAt(0).toUpperCase()}${advice.slice(1)}`;
}

function recordsPathAdvice(server: ActionsServer): string {
  return `set records-path to a directory the build jobs write their records to and the merge job reads them from (on ${server.name}, move it between jobs with ${server.artifactActions}).`;
}

const temporary = 'Artifact service failures are usually temporary: re-run the job';

/** A failure that is most likely passing; if not, `lastingCause` (the server's own, naming it) is what to look at. */
export function retryFix(server: ActionsServer, lastingCause?: string): string {
  if (lastingCause !== undefined) {
    return `${temporary}. If it fails the same way, ${lastingCause}, or ${recordsPathAdvice(server)}`;
  }
  return server.kind === 'github' ? `${temporary} (see https://www.githubstatus.com).` : `${temporary}.`;
}

/** An operation on one artifact failed: `verb` completes "could not …". */
export function artifactFailure(name: string, verb: string, error: unknown, fix: string): UserError {
  return new UserError(`artifact "${name}"`, `could not ${verb}: ${reasonOf(error)}`, fix, { cause: error });
}

export function listFailure(error: unknown, fix: string): UserError {
  return new UserError(input, `is empty and this run’s artifacts could not be listed: ${reasonOf(error)}`, fix, {
    cause: error,
  });
}

/** The first line of an error's message: the clients append advice of their own (githubstatus.com) after it. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/** Runs `work`, turning any failure into artifactFailure(name, verb, …, fix(error)). */
export async function explainFailure<T>(
  name: string,
  verb: string,
  fix: (error: unknown) => string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw artifactFailure(name, verb, error, fix(error));
  }
}
