import type { Logger } from '../log.js';
import { directoryRecordStore } from '../records/directory.js';
import type { RecordStore } from '../records/store.js';
import { artifactRecordStore } from './artifacts.js';
import { currentTransport } from './artifacts/current.js';
import { legacyTransport } from './artifacts/legacy.js';
import { actionsServer } from './server.js';

/**
 * Where the records go, decided here and nowhere else: records-path when it is set (other CI systems, local runs);
 * otherwise this workflow run's artifacts, through the artifact service of the server the job runs on. GitHub,
 * Gitea and Forgejo have the current one; GitHub Enterprise Server only the legacy one. Whether ACTIONS_RESULTS_URL
 * is set decides nothing: a GHES runner may have it (for the cache) without an artifact service behind it.
 */
export function recordStore(
  recordsPath: string | undefined,
  /** Canonical repository names (`ghcr.io/o/app`): the image set whose records these are. */
  images: readonly string[],
  context: { readonly logger: Logger; readonly env: Readonly<Record<string, string | undefined>> },
): RecordStore {
  if (recordsPath !== undefined) return directoryRecordStore(recordsPath);
  const { logger, env } = context;
  const server = actionsServer(env);
  // Each transport checks the runner's variables as it is made: a build job fails before it pushes anything.
  if (server.kind === 'enterprise-server') {
    return artifactRecordStore({ transport: legacyTransport(server, env), images, logger, env });
  }
  return artifactRecordStore({ transport: currentTransport(server, env), images, logger, env });
}
