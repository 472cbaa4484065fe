import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mapLimited } from '../concurrency.js';
import { UserError } from '../errors.js';
import type { Logger } from '../log.js';
import { isAnyRecordName, isRecordOf } from '../records/naming.js';
import { parseRecord, type DigestRecord, type SourcedRecord } from '../records/record.js';
import { checkReplacement } from '../records/replace.js';
import type { RecordStore } from '../records/store.js';
import type { ArtifactTransport, ListedArtifact } from './artifacts/transport.js';

export interface ArtifactRecordStoreOptions<A extends ListedArtifact> {
  /** The artifact service of the server the job runs on (chosen in record-store.ts). */
  readonly transport: ArtifactTransport<A>;
  /** The image set whose records list() returns (see records/naming.ts). */
  readonly images: readonly string[];
  readonly logger: Logger;
  /** RUNNER_TEMP, for the scratch directories. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

const downloadConcurrency = 5;

/**
 * Digest records as artifacts of this workflow run, one per build, so that the merge job needs no download step. The
 * same on every transport: the artifact's name is the record's name, a job's later attempt replaces its record, and
 * the merge lists the run's artifacts by the image set's prefix.
 */
export function artifactRecordStore<A extends ListedArtifact>(options: ArtifactRecordStoreOptions<A>): RecordStore {
  return {
    ready: () => Promise.resolve(),
    put: (record, name) => putRecord(options, record, name),
    list: () => listRecords(options),
  };
}

function temporaryDirectory(env: ArtifactRecordStoreOptions<ListedArtifact>['env']): Promise<string> {
  return mkdtemp(join(env.RUNNER_TEMP || tmpdir(), 'multiarch-publish-records-'));
}

// The characters artifact services refuse in a name; checked first, because the name is also the file's name.
function checkName(name: string): void {
  if (name !== '' && !/[":<>|*?\r\n\\/]/.test(name)) return;
  throw new Error(
    `artifact name ${JSON.stringify(name)} is empty or holds a character artifacts refuse: name records with recordName()`,
  );
}

/** A later attempt of the job replaces its earlier record; another job of the same attempt may not (replace.ts). */
async function putRecord<A extends ListedArtifact>(
  options: ArtifactRecordStoreOptions<A>,
  record: DigestRecord,
  name: string,
): Promise<void> {
  checkName(name);
  const { transport, logger } = options;
  const directory = await temporaryDirectory(options.env);
  try {
    const previous = await transport.find(name);
    if (previous !== undefined) {
      checkReplacement(await readRecord(transport, previous, join(directory, 'previous')), record);
      await transport.release(previous);
      logger.info(`Replacing artifact "${name}", left by an earlier attempt of this job.`);
    }
    const upload = join(directory, 'upload');
    await mkdir(upload);
    await transport.upload(name, record, upload);
    logger.info(`Stored the digest record as artifact "${name}".`);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

const byName = (a: ListedArtifact, b: ListedArtifact): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

async function listRecords<A extends ListedArtifact>(
  options: ArtifactRecordStoreOptions<A>,
): Promise<readonly SourcedRecord[]> {
  const artifacts = await options.transport.list();
  const records = artifacts.filter((artifact) => isRecordOf(artifact.name, options.images)).sort(byName);
  const directory = await temporaryDirectory(options.env);
  try {
    if (records.length === 0) await refuseOtherImageSets(options, artifacts, directory);
    return await mapLimited(records, downloadConcurrency, (artifact, index) =>
      readRecord(options.transport, artifact, join(directory, String(index))),
    );
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * Record names are hashes of the image set, so a merge whose `images` differ from the build jobs' finds nothing and
 * could not tell why: when the run has records of other image sets only, one is read to show whose they are (the
 * first by name, which every transport lists: the legacy service gives no id or date).
 */
async function refuseOtherImageSets<A extends ListedArtifact>(
  options: ArtifactRecordStoreOptions<A>,
  artifacts: readonly A[],
  directory: string,
): Promise<void> {
  const other = artifacts.filter((artifact) => isAnyRecordName(artifact.name)).sort(byName)[0];
  if (other === undefined) return;
  const { record, source } = await readRecord(options.transport, other, join(directory, 'other'));
  throw new UserError(
    'images',
    `has no record in this run: its records are found by the image set (${options.images.join(', ')}), and the run's records are of other sets, e.g. ${source} of ${record.images.join(', ')}.`,
    'List the same images in the build and in the merge (or publishing) step.',
  );
}

async function readRecord<A extends ListedArtifact>(
  transport: ArtifactTransport<A>,
  artifact: A,
  directory: string,
): Promise<SourcedRecord> {
  const source = `artifact "${artifact.name}"`;
  await mkdir(directory, { recursive: true });
  const file = await transport.download(artifact, directory);
  return { record: parseRecord(await readFile(file, 'utf8'), source), source };
}
