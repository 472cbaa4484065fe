import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type * as ArtifactModule from '@actions/artifact';
import type { Artifact, ArtifactClient } from '@actions/artifact';
import { mapLimited } from '../concurrency.js';
import { UserError } from '../errors.js';
import type { Logger } from '../log.js';
import { isAnyRecordName, isRecordOf } from '../records/naming.js';
import { parseRecord, serializeRecord, type DigestRecord, type SourcedRecord } from '../records/record.js';
import { checkReplacement } from '../records/replace.js';
import type { RecordStore } from '../records/store.js';

export interface ArtifactRecordStoreOptions {
  /** The image set whose records list() returns (see records/naming.ts). */
  readonly images: readonly string[];
  readonly logger: Logger;
  /** Checked for the runner's artifact credentials; the client itself reads process.env when it is called. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

const input = 'records-path';
const downloadConcurrency = 5;
const retryFix = 'Artifact service failures are usually temporary: re-run the job (see https://www.githubstatus.com).';

/**
 * Digest records as artifacts of this workflow run, one per build, so that the merge job needs no download step.
 * The client is loaded only when a record is stored or read: the actions that never touch artifacts (and a build
 * with records-path) do not pay for loading it.
 */
export function artifactRecordStore(options: ArtifactRecordStoreOptions): RecordStore {
  // Checked now, not at the first put: a build job must fail before it pushes anything, not after.
  checkRuntimeAccess(options.env);
  return {
    ready: () => Promise.resolve(),
    put: async (record, name) => putRecord(await loadClient(options.env), options, record, name),
    list: async () => listRecords(await loadClient(options.env), options),
  };
}

interface LoadedClient {
  readonly module: typeof ArtifactModule;
  readonly client: ArtifactClient;
}

function checkRuntimeAccess(env: ArtifactRecordStoreOptions['env']): void {
  if (env.ACTIONS_RUNTIME_TOKEN && env.ACTIONS_RESULTS_URL) return;
  throw new UserError(
    input,
    'is empty and this step has no access to the run’s artifacts (ACTIONS_RUNTIME_TOKEN/ACTIONS_RESULTS_URL are not set: not a GitHub Actions job?).',
    'Set records-path to a directory the build jobs write their records to and the merge job reads them from.',
  );
}

async function loadClient(env: ArtifactRecordStoreOptions['env']): Promise<LoadedClient> {
  checkRuntimeAccess(env);
  const module = await import('@actions/artifact');
  return { module, client: new module.DefaultArtifactClient() };
}

function temporaryDirectory(env: ArtifactRecordStoreOptions['env']): Promise<string> {
  return mkdtemp(join(env.RUNNER_TEMP || tmpdir(), 'multiarch-publish-records-'));
}

async function putRecord(
  loaded: LoadedClient,
  options: ArtifactRecordStoreOptions,
  record: DigestRecord,
  name: string,
): Promise<void> {
  checkName(name);
  const directory = await temporaryDirectory(options.env);
  try {
    const file = join(directory, `${name}.json`);
    await writeFile(file, serializeRecord(record));
    await replaceIfExists(loaded, options.logger, record, name, join(directory, 'previous'));
    await explainFailure(loaded, name, 'be uploaded', () => loaded.client.uploadArtifact(name, [file], directory));
    options.logger.info(`Stored the digest record as artifact "${name}".`);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

// The characters @actions/artifact refuses in a name; checked first, because the name is also the file's name.
function checkName(name: string): void {
  if (name !== '' && !/[":<>|*?\r\n\\/]/.test(name)) return;
  throw new Error(
    `artifact name ${JSON.stringify(name)} is empty or holds a character artifacts refuse: name records with recordName()`,
  );
}

// Artifact names are immutable within a run and a re-run job is the same run: without this, its upload gets a 409.
async function replaceIfExists(
  loaded: LoadedClient,
  logger: Logger,
  record: DigestRecord,
  name: string,
  directory: string,
): Promise<void> {
  let existing: Artifact;
  try {
    existing = (await loaded.client.getArtifact(name)).artifact;
  } catch (error) {
    if (error instanceof loaded.module.ArtifactNotFoundError) return; // the usual case: the first attempt
    throw failure(loaded.module, name, 'be looked up', error);
  }
  checkReplacement(await downloadRecord(loaded, existing, directory), record);
  await explainFailure(loaded, name, 'be replaced', () => loaded.client.deleteArtifact(name));
  logger.info(`Deleted artifact "${name}" left by an earlier attempt of this job.`);
}

async function explainFailure<T>(loaded: LoadedClient, name: string, verb: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw failure(loaded.module, name, verb, error);
  }
}

function failure(module: typeof ArtifactModule, name: string, verb: string, error: unknown): UserError {
  const reason = error instanceof Error ? error.message : String(error);
  return new UserError(`artifact "${name}"`, `could not ${verb}: ${reason}`, fixFor(module, error), { cause: error });
}

function fixFor(module: typeof ArtifactModule, error: unknown): string {
  if (error instanceof module.GHESNotSupportedError) {
    return 'GitHub Enterprise Server has no artifact service for this client: set records-path and move the records between jobs with actions/upload-artifact and actions/download-artifact.';
  }
  if (error instanceof module.UsageError) {
    return 'The artifact storage quota is used up: delete old artifacts, or set records-path and keep the records elsewhere.';
  }
  return retryFix;
}

async function listRunArtifacts(loaded: LoadedClient): Promise<readonly Artifact[]> {
  try {
    return (await loaded.client.listArtifacts({ latest: true })).artifacts;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(input, `is empty and this run’s artifacts could not be listed: ${reason}`, retryFix, {
      cause: error,
    });
  }
}

async function listRecords(
  loaded: LoadedClient,
  options: ArtifactRecordStoreOptions,
): Promise<readonly SourcedRecord[]> {
  const artifacts = await listRunArtifacts(loaded);
  const records = artifacts
    .filter((artifact) => isRecordOf(artifact.name, options.images))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const directory = await temporaryDirectory(options.env);
  try {
    if (records.length === 0) await refuseOtherImageSets(loaded, options, artifacts, directory);
    return await mapLimited(records, downloadConcurrency, (artifact, index) =>
      downloadRecord(loaded, artifact, join(directory, String(index))),
    );
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * Record names are hashes of the image set, so a merge whose `images` differ from the build jobs' finds nothing and
 * could not tell why: when the run has records of other image sets only, one is read to show whose they are.
 */
async function refuseOtherImageSets(
  loaded: LoadedClient,
  options: ArtifactRecordStoreOptions,
  artifacts: readonly Artifact[],
  directory: string,
): Promise<void> {
  const other = artifacts.filter((artifact) => isAnyRecordName(artifact.name)).sort((a, b) => a.id - b.id)[0];
  if (other === undefined) return;
  const { record, source } = await downloadRecord(loaded, other, join(directory, 'other'));
  throw new UserError(
    'images',
    `has no record in this run: its records are found by the image set (${options.images.join(', ')}), and the run's records are of other sets, e.g. ${source} of ${record.images.join(', ')}.`,
    'List the same images in the build and in the merge (or publishing) step.',
  );
}

async function downloadRecord(loaded: LoadedClient, artifact: Artifact, directory: string): Promise<SourcedRecord> {
  const source = `artifact "${artifact.name}"`;
  await mkdir(directory, { recursive: true });
  const { digestMismatch } = await explainFailure(loaded, artifact.name, 'be downloaded', () =>
    loaded.client.downloadArtifact(artifact.id, {
      path: directory,
      ...(artifact.digest ? { expectedHash: artifact.digest } : {}),
    }),
  );
  if (digestMismatch) {
    throw new UserError(source, 'was not downloaded intact: its sha256 digest differs from the one listed.', retryFix);
  }
  const text = await readFile(await theOneRecordFile(directory, source), 'utf8');
  return { record: parseRecord(text, source), source };
}

async function theOneRecordFile(directory: string, source: string): Promise<string> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  const [file] = files;
  if (files.length === 1 && file !== undefined && file.endsWith('.json')) return file;
  const found =
    files.length === 0 ? 'no files' : files.map((path) => JSON.stringify(relative(directory, path))).join(', ');
  throw new UserError(
    source,
    `is not a multiarch-publish digest record artifact: it holds ${found}, not exactly one .json file.`,
    'Give other artifacts names that do not start with "multiarch-publish-": those names belong to the build jobs’ records.',
  );
}
