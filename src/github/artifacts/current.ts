import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as ArtifactModule from '@actions/artifact';
import type { Artifact, ArtifactClient } from '@actions/artifact';
import { UserError } from '../../errors.js';
import { serializeRecord } from '../../records/record.js';
import type { ActionsServer } from '../server.js';
import { theOneRecordFile } from './record-file.js';
import {
  artifactFailure,
  checkRuntimeAccess,
  explainFailure,
  listFailure,
  recordsPathFix,
  retryFix,
  type ArtifactTransport,
  type ListedArtifact,
} from './transport.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface CurrentArtifact extends ListedArtifact {
  readonly artifact: Artifact;
}

interface LoadedClient {
  readonly module: typeof ArtifactModule;
  readonly client: ArtifactClient;
}

/**
 * The current artifact service (upload-artifact@v4's) through @actions/artifact: GitHub's, and the one Gitea and
 * Forgejo serve. The client is loaded at the first operation, so that a step that never stores or reads a record does
 * not pay for loading it.
 */
export function currentTransport(server: ActionsServer, env: Env): ArtifactTransport<CurrentArtifact> {
  checkRuntimeAccess(server, env, ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL']);
  const onGitHub = server.kind === 'github';
  if (!onGitHub) checkResultsAtRoot(server, env.ACTIONS_RESULTS_URL ?? '');
  let loaded: Promise<LoadedClient> | undefined;
  const load = () => (loaded ??= loadClient());
  /** `work` on the client, through the host check's override where the server is not GitHub's. */
  const call = async <T>(work: (client: ArtifactClient) => Promise<T>): Promise<T> => {
    const { client } = await load();
    return onGitHub ? work(client) : asGitHubHost(() => work(client));
  };
  const explain = async <T>(name: string, verb: string, work: (client: ArtifactClient) => Promise<T>) => {
    const { module } = await load();
    return explainFailure(
      name,
      verb,
      (error) => fixFor(server, module, error),
      () => call(work),
    );
  };
  return {
    async list() {
      const { module } = await load();
      try {
        const { artifacts } = await call((client) => client.listArtifacts({ latest: true }));
        return artifacts.map((artifact) => ({ name: artifact.name, artifact }));
      } catch (error) {
        throw listFailure(error, fixFor(server, module, error));
      }
    },
    async find(name) {
      const { module } = await load();
      try {
        const { artifact } = await call((client) => client.getArtifact(name));
        return { name, artifact };
      } catch (error) {
        if (error instanceof module.ArtifactNotFoundError) return undefined; // the usual case: the first attempt
        throw artifactFailure(name, 'be looked up', error, fixFor(server, module, error));
      }
    },
    // Names are unique within a run and a re-run job is the same run: without the delete, its upload gets a 409.
    release: async (previous) => {
      await explain(previous.name, 'be replaced', (client) => client.deleteArtifact(previous.name));
    },
    async upload(name, record, directory) {
      const file = join(directory, `${name}.json`);
      await writeFile(file, serializeRecord(record));
      await explain(name, 'be uploaded', (client) => client.uploadArtifact(name, [file], directory));
    },
    async download({ name, artifact }, directory) {
      const source = `artifact "${name}"`;
      const { digestMismatch } = await explain(name, 'be downloaded', (client) =>
        client.downloadArtifact(artifact.id, {
          path: directory,
          ...(artifact.digest ? { expectedHash: artifact.digest } : {}),
        }),
      );
      if (digestMismatch) {
        throw new UserError(
          source,
          'was not downloaded intact: its sha256 digest differs from the one listed.',
          currentRetryFix(server),
        );
      }
      return theOneRecordFile(directory, source);
    },
  };
}

async function loadClient(): Promise<LoadedClient> {
  const module = await import('@actions/artifact');
  return { module, client: new module.DefaultArtifactClient() };
}

/**
 * Every DefaultArtifactClient method starts with `if (isGhes()) throw new GHESNotSupportedError()`, before its first
 * await, and isGhes() reads GITHUB_SERVER_URL: on Gitea and Forgejo, which serve the same protocol, the client refuses
 * to talk (go-gitea/gitea#36024). So the variable reads https://github.com for the synchronous part of the call, and
 * is restored before the call's promise is returned: nothing else runs in between. A client that awaited before its
 * check would fail loudly with GHESNotSupportedError, never silently.
 */
function asGitHubHost<T>(work: () => Promise<T>): Promise<T> {
  const saved = process.env.GITHUB_SERVER_URL;
  process.env.GITHUB_SERVER_URL = 'https://github.com';
  try {
    return work();
  } finally {
    if (saved === undefined) delete process.env.GITHUB_SERVER_URL;
    else process.env.GITHUB_SERVER_URL = saved;
  }
}

/** The client sends its calls to the origin of ACTIONS_RESULTS_URL only (getResultsServiceUrl in shared/config.ts). */
function checkResultsAtRoot(server: ActionsServer, resultsUrl: string): void {
  let path: string;
  try {
    path = new URL(resultsUrl).pathname;
  } catch {
    return; // the client reports an unusable URL at the first call, as on GitHub
  }
  if (path === '' || path === '/') return;
  throw new UserError(
    'records-path',
    `is empty, and the run’s artifacts on ${server.name} cannot be reached: its artifact service is under the path ${path} (ACTIONS_RESULTS_URL), and @actions/artifact sends its requests to the root of that host.`,
    recordsPathFix(server),
  );
}

function currentRetryFix(server: ActionsServer): string {
  if (server.kind === 'github') return retryFix(server);
  return retryFix(
    server,
    `${server.name} may lack the artifact service of upload-artifact@v4 (Gitea has it since 1.23): upgrade it`,
  );
}

function fixFor(server: ActionsServer, module: typeof ArtifactModule, error: unknown): string {
  if (error instanceof module.UsageError) {
    return 'The artifact storage quota is used up: delete old artifacts, or set records-path and keep the records elsewhere.';
  }
  return currentRetryFix(server);
}
