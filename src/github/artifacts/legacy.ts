import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { ArtifactClient } from '@actions/artifact-v1';
import type { ListArtifactsResponse } from '@actions/artifact-v1/lib/internal/contracts.js';
import { serializeRecord } from '../../records/record.js';
import type { ActionsServer } from '../server.js';
import { attemptFolder, newestAttemptRecordFile } from './record-file.js';
import {
  artifactFailure,
  checkRuntimeAccess,
  explainFailure,
  listFailure,
  retryFix,
  type ArtifactTransport,
  type ListedArtifact,
} from './transport.js';

type Env = Readonly<Record<string, string | undefined>>;

interface LegacyClient {
  readonly client: ArtifactClient;
  /** GET of the run's artifacts: what both download methods of 1.x do first, which it does not export by itself. */
  listArtifacts(): Promise<ListArtifactsResponse>;
}

/**
 * The legacy artifact service, the only one GitHub Enterprise Server has (upload-artifact@v3's), through the real
 * @actions/artifact 1.1.3 under the npm alias @actions/artifact-v1; loaded at the first operation.
 *
 * An artifact there is a folder of the run's file container, shared by every job and attempt of the run: creating a
 * name the run has adds to it, and 1.x cannot delete. So the record keeps its name, and each attempt writes its own
 * file, attempt-<n>/<name>.json, beside the earlier ones; readers take the newest attempt's (record-file.ts). A re-run
 * never writes a file that exists, and depends on neither overwrite nor deletion.
 */
export function legacyTransport(server: ActionsServer, env: Env): ArtifactTransport<ListedArtifact> {
  checkRuntimeAccess(server, env, ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RUNTIME_URL', 'GITHUB_RUN_ID']);
  let loaded: Promise<LegacyClient> | undefined;
  const load = () => (loaded ??= loadClient());
  const fix = legacyFix(server);
  const list = async (): Promise<readonly ListedArtifact[]> => {
    const legacy = await load();
    try {
      return (await legacy.listArtifacts()).value.map(({ name }) => ({ name }));
    } catch (error) {
      throw listFailure(error, fix);
    }
  };
  return {
    list,
    find: async (name) => (await list()).find((artifact) => artifact.name === name),
    release: () => Promise.resolve(), // nothing to free: the new attempt's file goes beside the earlier ones
    async upload(name, record, directory) {
      const { client } = await load();
      const folder = join(directory, attemptFolder(record.run?.attempt ?? 1));
      const file = join(folder, `${name}.json`);
      await mkdir(folder);
      await writeFile(file, serializeRecord(record));
      const { failedItems } = await explainFailure(
        name,
        'be uploaded',
        () => fix,
        () => client.uploadArtifact(name, [file], directory, { continueOnError: false }),
      );
      // 1.x reports a file it gave up on in failedItems, and finalizes the artifact all the same: it does not throw.
      if (failedItems.length > 0) {
        const refused = failedItems.map((item) => relative(directory, item)).join(', ');
        throw artifactFailure(name, 'be uploaded', new Error(`the artifact service did not take ${refused}`), fix);
      }
    },
    async download({ name }, directory) {
      const { client } = await load();
      await explainFailure(
        name,
        'be downloaded',
        () => fix,
        () => client.downloadArtifact(name, directory, { createArtifactFolder: false }),
      );
      return newestAttemptRecordFile(directory, `artifact "${name}"`);
    },
  };
}

async function loadClient(): Promise<LegacyClient> {
  // 1.x is CommonJS: its exports object is the ES module's default export, in Node and in the esbuild bundle alike.
  const [{ default: artifact }, { default: download }] = await Promise.all([
    import('@actions/artifact-v1'),
    // 1.x has no "exports" map, so its internal module is reachable; the version is pinned exactly in package.json.
    import('@actions/artifact-v1/lib/internal/download-http-client.js'),
  ]);
  return {
    client: artifact.create(),
    listArtifacts: () => new download.DownloadHttpClient().listArtifacts(),
  };
}

// 1.x answers a 403 on creating the artifact with "Please reference [Enabling GitHub Actions for GitHub Enterprise
// Server]…": Actions storage is not set up, or full. Its errors carry no status to tell that from a passing failure.
function legacyFix(server: ActionsServer): string {
  return retryFix(server, `ask the administrators of ${server.name} to check its Actions storage`);
}
