import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { Exec } from '../exec.js';
import type { Logger } from '../log.js';
import { formatPlatform } from '../oci/platform.js';
import { formatRepository } from '../oci/reference.js';
import type { RegistryClients } from '../oci/client.js';
import { pollUntil } from '../oci/retry.js';
import { publishUntilComplete, type ConvergedOutcome } from '../publish/converge.js';
import { recordName } from '../records/naming.js';
import { createRecord, type DigestRecord, type SourcedRecord } from '../records/record.js';
import { recordsSubject, type RecordStore } from '../records/store.js';
import { backends } from './backends/builders.js';
import type { BuildInputs } from './types.js';
import { confirmPlatform, inspectPushed } from './pushed.js';

export interface BuildDependencies {
  readonly store: RecordStore;
  readonly clients: RegistryClients;
  readonly exec: Exec;
  readonly logger: Logger;
  /** The step's environment, for the builders (SOURCE_DATE_EPOCH, the variables `secret-envs` names). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The workflow run this job belongs to, for the record; none outside a CI run. */
  readonly run?: DigestRecord['run'];
  /** Whether the job runs on an Actions runner, where a records-path directory is not shared between jobs. */
  readonly onRunner?: boolean;
  /** Where scratch files go (the runner's temporary directory). */
  readonly tempDir?: string;
  /** How long a digest just pushed may take to show in a registry (some registries lag). */
  readonly consistencyWaitMs?: number;
}

export interface BuildOutcome {
  readonly record: DigestRecord;
  /** The record's name in the store: the artifact name on GitHub, the file name in records-path. */
  readonly recordName: string;
  /** With `tags`: the index this job published last, once every tag held every record it had seen. */
  readonly published?: ConvergedOutcome;
}

/**
 * One platform: built and pushed by digest to every image (no tag, so no job overwrites another), read back and
 * checked against the platform asked for, then recorded where the merge will find it.
 */
export async function build(inputs: BuildInputs, deps: BuildDependencies): Promise<BuildOutcome> {
  const { logger } = deps;
  const images = inputs.images.map(formatRepository);
  await deps.store.ready();
  const backend = backends.find((each) => each.name === inputs.builder);
  if (backend === undefined) throw new Error(`build: no backend ${inputs.builder}; parseBuildInputs lets none through`);
  const workDir = await mkdtemp(join(deps.tempDir || tmpdir(), 'multiarch-publish-'));
  try {
    const title = `${backend.tool ? 'Build and push' : 'Record'} ${formatPlatform(inputs.platform)}`;
    const digest = await logger.group(title, () =>
      backend.run({
        inputs,
        workDir,
        cacheScope: recordName(images, inputs.platform),
        exec: deps.exec,
        clients: deps.clients,
        logger,
        env: deps.env,
      }),
    );
    const pushed = await inspectPushed(inputs.images, digest, {
      clients: deps.clients,
      notPushedFix: backend.notPushedFix,
      waitMs: deps.consistencyWaitMs,
    });
    const platform = confirmPlatform(inputs.platform, pushed.platform, `${images[0]}@${digest}`);
    const record = createRecord({
      digest,
      mediaType: pushed.descriptor.mediaType,
      size: pushed.descriptor.size,
      platform,
      images,
      run: deps.run,
    });
    // Named for the platform asked for, as the cache scope and the plan's `pair` are: a Windows base image's monthly
    // patch changes the config's os.version, and the re-run must still replace its own record.
    const name = recordName(images, inputs.platform);
    await deps.store.put(record, name);
    logger.info(`Recorded ${formatPlatform(platform)} ${digest} as ${name}`);
    if (inputs.publish === undefined) return { record, recordName: name };
    if (inputs['records-path'] !== undefined && deps.onRunner) logger.warning(sharedDirectoryWarning);
    const waitMs = deps.consistencyWaitMs ?? recordListingWaitMs;
    const listed = await awaitListed(deps.store, record, waitMs, recordsSubject(inputs['records-path']));
    const published = await publishUntilComplete(inputs.publish, {
      store: primed(deps.store, listed),
      recordsSubject: recordsSubject(inputs['records-path']),
      clients: deps.clients,
      logger,
      consistencyWaitMs: deps.consistencyWaitMs,
    });
    return { record, recordName: name, published };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

// The artifact service lists an upload a moment after it finished.
const recordListingWaitMs = 5_000;

const sharedDirectoryWarning =
  'records-path with tags: every build job of the run must store its record in this same directory (one machine, or a shared volume). Jobs on separate runners each see only their own record; leave records-path empty to use the run’s artifacts.';

/** Publishing starts only once the store lists this job's own record: the argument for completeness rests on it. */
async function awaitListed(
  store: RecordStore,
  record: DigestRecord,
  waitMs: number,
  subject: string,
): Promise<readonly SourcedRecord[]> {
  const listed = await pollUntil(
    () => store.list(),
    (records) => records.some((each) => each.record.digest === record.digest),
    { waitMs },
  );
  if (listed.some((each) => each.record.digest === record.digest)) return listed;
  throw new UserError(
    subject,
    `does not list the record this job stored (${record.digest}) ${Math.round(waitMs / 1000)} s after storing it.`,
    'Re-run the job; if it persists, publish from a merge job instead of with `tags`.',
  );
}

/** The store, whose first list() is the one just made: listing artifacts downloads every record, so not twice. */
function primed(store: RecordStore, listed: readonly SourcedRecord[]): RecordStore {
  let first: readonly SourcedRecord[] | undefined = listed;
  return {
    ready: () => store.ready(),
    put: (record, name) => store.put(record, name),
    list: () => {
      const records = first;
      first = undefined;
      return records === undefined ? store.list() : Promise.resolve(records);
    },
  };
}
