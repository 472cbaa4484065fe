import { UserError, explain } from '../errors.js';
import { isOciError } from '../oci/errors.js';
import { parseIndex } from '../oci/index.js';
import { getManifest } from '../oci/manifests.js';
import { isIndex } from '../oci/mediatype.js';
import type { RegistryClients } from '../oci/remote.js';
import type { MergeInputs } from './inputs.js';
import { failuresOf, merge, planFromRecords, type MergeDependencies, type MergeOutcome } from './merge.js';
import type { MergePlan } from './plan.js';

export interface ConvergedOutcome {
  /** The last publish this job made. */
  readonly outcome: MergeOutcome;
  readonly rounds: number;
}

/** A tag that lacks children of the records seen: what another job published meanwhile. */
interface Shortfall {
  readonly reference: string;
  readonly missing: readonly string[];
}

// Each round that does not settle means another job published in between; eight jobs settle in a few rounds.
const defaultMaxRounds = 20;

/**
 * Publishing without a merge job: this job publishes the index of every record it sees, then lists the records and
 * reads every tag again, and publishes once more while a tag lacks a record it has seen. Records are stored before
 * any publish and listed again after each one, so the last job to write a tag has seen every record stored before
 * that write, and stops only once the tag holds them all (docs/publish-without-merge-job.md has the argument).
 */
export async function publishUntilComplete(
  inputs: MergeInputs,
  deps: MergeDependencies,
  options: { readonly maxRounds?: number } = {},
): Promise<ConvergedOutcome> {
  const maxRounds = options.maxRounds ?? defaultMaxRounds;
  for (let round = 1; ; round++) {
    // Verification is this loop's own read-back: a tag moved by another job is expected here, not an error.
    const outcome = await merge({ ...inputs, verify: false }, deps);
    const failure = failuresOf(outcome);
    if (failure) throw failure;
    const { plan } = await planFromRecords(inputs, deps);
    const shortfalls = await findShortfalls(plan, deps.clients);
    if (shortfalls.length === 0) return { outcome, rounds: round };
    const described = shortfalls.map((each) => `${each.reference} lacks ${each.missing.join(', ')}`).join('; ');
    if (round >= maxRounds) {
      throw new UserError(
        'tags',
        `still do not hold every platform after ${round} publish rounds: ${described}.`,
        'Another job keeps rewriting these tags; run one publisher per tag (a merge job), or re-run this job.',
      );
    }
    deps.logger.info(`Round ${round}: ${described} (published by another job meanwhile); publishing again.`);
  }
}

/** Every tag of every target read back: the children of `plan` (the records seen now) that it does not hold. */
async function findShortfalls(plan: MergePlan, clients: RegistryClients): Promise<Shortfall[]> {
  const expected = plan.children.map((child) => child.descriptor.digest);
  const readings = await Promise.all(
    plan.targets.flatMap((target) =>
      target.tags.map(async (tag): Promise<Shortfall> => {
        const reference = `${target.reference}:${tag}`;
        const held = await heldDigests(clients.repository(target.repository), tag, reference);
        return { reference, missing: expected.filter((digest) => !held.has(digest)) };
      }),
    ),
  );
  return readings.filter((reading) => reading.missing.length > 0);
}

async function heldDigests(
  repository: ReturnType<RegistryClients['repository']>,
  tag: string,
  reference: string,
): Promise<ReadonlySet<string>> {
  try {
    const manifest = await getManifest(repository, tag);
    if (!isIndex(manifest.descriptor.mediaType)) return new Set([manifest.descriptor.digest]);
    return new Set(parseIndex(manifest.bytes, reference).manifests.map((descriptor) => descriptor.digest));
  } catch (error) {
    if (isOciError(error, 'NOT_FOUND')) return new Set();
    throw explain(error, reference);
  }
}
