import { mapLimited } from '../concurrency.js';
import { UserError, UserErrors, explain, quote } from '../errors.js';
import { type Index, parseIndex } from '../oci/descriptor.js';
import { OciError } from '../oci/errors.js';
import { fromFirstSource } from '../oci/sources.js';
import { getManifest } from '../oci/manifests.js';
import { isIndex } from '../oci/mediatype.js';
import { formatRepository, parseRepository } from '../oci/reference.js';
import type { RegistryClients } from '../oci/client.js';
import type { SourcedRecord } from '../records/record.js';
import { appendToExisting, readExistingTags } from './append.js';
import { collectChildren } from './children.js';
import { formatPlan, planMerge } from './plan.js';
import { checkTargets } from './read.js';
import { writeTarget } from './write.js';
import { validateChildren } from './validate.js';
import { verificationError, verifyTarget } from './verify.js';
import type {
  ResolvedRecord,
  MergeDependencies,
  MergeOutcome,
  PlannedMerge,
  PublishInputs,
  PublishOptions,
} from './types.js';

/**
 * Records in, one index out under every tag in every image. Everything that can be wrong with the inputs, the
 * records or the registries' current content is found before the first write.
 */
export async function merge(inputs: PublishInputs, deps: MergeDependencies): Promise<MergeOutcome> {
  return publishPlan(await planFromRecords(inputs, deps), inputs, deps);
}

/** A plan made by planFromRecords, checked against every registry, then written (unless dry-run) and read back. */
export async function publishPlan(
  planned: PlannedMerge,
  inputs: Pick<PublishInputs, 'dry-run' | 'verify'>,
  deps: MergeDependencies,
): Promise<MergeOutcome> {
  const { logger } = deps;
  const { plan, warnings } = planned;
  warnings.forEach((warning) => logger.warning(warning));
  logger.info(formatPlan(plan));
  const options: PublishOptions = { logger, manifests: new Map(), consistencyWaitMs: deps.consistencyWaitMs };
  const checked = await logger.group('Check every child in every repository', () =>
    checkTargets(plan, deps.clients, options),
  );
  if (inputs['dry-run']) {
    for (const target of checked) {
      const copies = target.missing.map(({ child }) => child.descriptor.digest);
      logger.info(
        `dry-run: ${target.target.reference} would get ${copies.length ? `copies of ${copies.join(', ')}, ` : ''}the index and tags ${target.target.tags.join(', ')}`,
      );
    }
    return { plan, warnings, results: [], verifications: [] };
  }
  const verify = { waitMs: deps.consistencyWaitMs };
  // Each target is read back as soon as its own writes are done: no registry waits for another's. A read-back that
  // throws is thrown only once every target has settled, so no write is left running behind a failed step.
  const published = await logger.group(inputs.verify ? 'Publish and read back' : 'Publish', () =>
    mapLimited(checked, Math.max(1, checked.length), async (entry) => {
      const result = await writeTarget(plan, entry, options);
      return {
        result,
        verification: inputs.verify ? await verifyTarget(plan, result, deps.clients, verify) : undefined,
      };
    }),
  );
  return {
    plan,
    warnings,
    results: published.map(({ result }) => result),
    verifications: published.flatMap(({ verification }) => (verification ? [verification] : [])),
  };
}

/** The records in the store now, read, checked and planned into one index: everything but the registry IO. */
export async function planFromRecords(
  inputs: PublishInputs,
  deps: Pick<MergeDependencies, 'store' | 'recordsSubject' | 'clients'>,
): Promise<PlannedMerge> {
  const records = selectRecords(await deps.store.list(), inputs, deps.recordsSubject);
  const resolved = await resolveRecords(records, deps.clients);
  const children = collectChildren(resolved, {
    overrides: inputs['platform-overrides'],
    annotations: inputs.annotations,
  });
  // With append, `platforms` is about the index that results: what the tags keep counts as much as the records.
  const appended = inputs.append ? appendToExisting(children, await readExistingTags(inputs, deps.clients)) : children;
  const published = inputs.attestations === 'drop' ? appended.filter((child) => child.kind === 'image') : appended;
  const { warnings } = validateChildren(published, {
    platforms: inputs.platforms,
    allowPartial: inputs['allow-partial'],
    recordsSubject: deps.recordsSubject,
  });
  return { plan: planMerge(inputs, published), warnings };
}

/** Fails the merge with every target's error, after the caller has reported what did succeed. */
export function failuresOf(outcome: MergeOutcome): UserError | undefined {
  const errors = [
    ...outcome.results.flatMap((result) => (result.error ? [result.error] : [])),
    ...outcome.verifications.flatMap((verification) => verificationError(verification, outcome.plan) ?? []),
  ];
  if (errors.length === 0) return undefined;
  return errors.length === 1 ? errors[0] : new UserErrors(errors);
}

/** A record pushed to none of the images belongs to another image built in the same run or directory. */
function selectRecords(
  records: readonly SourcedRecord[],
  inputs: PublishInputs,
  recordsSubject: string,
): SourcedRecord[] {
  const wanted = new Set(inputs.images.map(formatRepository));
  const foreign = records.filter(({ record }) => !record.images.some((image) => wanted.has(image)));
  if (foreign.length > 0) {
    const first = foreign[0] as SourcedRecord;
    throw new UserError(
      first.source,
      `is a record of ${first.record.images.map(quote).join(', ')}, none of which is in images (${[...wanted].join(', ')}).`,
      `Remove records of other images from ${recordsSubject}, or add the repository to images.`,
    );
  }
  return [...records];
}

/** Records of an index (BuildKit's image + attestations) need its content: fetched once, from any repository that has it. */
async function resolveRecords(records: readonly SourcedRecord[], clients: RegistryClients): Promise<ResolvedRecord[]> {
  return Promise.all(
    records.map(async (sourced): Promise<ResolvedRecord> => {
      if (!isIndex(sourced.record.mediaType)) return { sourced };
      return { sourced, index: await fetchIndex(sourced, clients) };
    }),
  );
}

async function fetchIndex(sourced: SourcedRecord, clients: RegistryClients): Promise<Index> {
  const { images, digest } = sourced.record;
  try {
    return await fromFirstSource(
      images,
      async (image) =>
        parseIndex((await getManifest(clients.repository(parseRepository(image)), digest)).bytes, `${image}@${digest}`),
      () => new OciError({ code: 'NOT_FOUND', message: `${sourced.source} names no repository of ${digest}` }),
    );
  } catch (error) {
    throw explain(error, sourced.source);
  }
}
