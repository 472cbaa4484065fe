import { UserError } from '../errors.js';
import type { Platform } from '../oci/descriptor.js';
import { formatPlatform } from '../oci/platform.js';
import { fitsPlatform } from './children.js';
import { failuresOf, planFromRecords, publishPlan } from './publish.js';
import type { MergePlan, MergeDependencies, MergeOutcome, PlannedMerge, PublishInputs } from './types.js';

export interface ConvergedOutcome {
  /** The last index this job published; undefined when it left publishing to the job that records the last platform. */
  readonly outcome?: MergeOutcome;
  readonly rounds: number;
  /** With `platforms`: what no record had yet when this job looked, so it did not publish. */
  readonly waitingFor: readonly Platform[];
}

// Each round that does not settle means another job stored a record in between; records are finite.
const defaultMaxRounds = 20;

/**
 * Publishing without a merge job: publish the index of every record seen, list the records again, and publish again
 * while the list holds a record the index just written lacks. The last job to write a tag listed the records after
 * that write and found its index complete, so the tag ends with every record stored before it; a record stored
 * later would make its own job write later still (docs/publish-without-merge-job.md has the argument). With
 * `platforms`, a job that does not see them all yet publishes nothing: the job that stores the last record will.
 */
export async function publishUntilComplete(
  inputs: PublishInputs,
  deps: MergeDependencies,
  options: { readonly maxRounds?: number } = {},
): Promise<ConvergedOutcome> {
  const maxRounds = options.maxRounds ?? defaultMaxRounds;
  // Missing platforms are this loop's to decide (wait for the last job), not an error of planning.
  const planning = { ...inputs, 'allow-partial': true };
  let planned: PlannedMerge = await planFromRecords(planning, deps);
  for (let round = 1; ; round++) {
    const waitingFor = notYetRecorded(planned.plan, inputs.platforms);
    if (waitingFor.length > 0) return { rounds: round - 1, waitingFor };
    const outcome = await publishPlan(planned, { 'dry-run': false, verify: false }, deps);
    const failure = failuresOf(outcome);
    if (failure) throw failure;
    const fresh = await planFromRecords(planning, deps);
    const missing = childrenLacking(planned.plan, fresh.plan);
    if (missing.length === 0) return { outcome, rounds: round, waitingFor: [] };
    if (round >= maxRounds) {
      throw new UserError(
        'tags',
        `were published ${round} times and records kept arriving (${missing.join(', ')} after the last round).`,
        'Re-run this job once the other build jobs have finished, or publish from a merge job.',
      );
    }
    deps.logger.info(`Round ${round}: records stored meanwhile (${missing.join(', ')}); publishing again.`);
    planned = fresh;
  }
}

function notYetRecorded(plan: MergePlan, platforms: readonly Platform[]): Platform[] {
  const recorded = plan.children.flatMap((child) =>
    child.kind === 'image' && child.descriptor.platform ? [child.descriptor.platform] : [],
  );
  return platforms.filter((expected) => !recorded.some((platform) => fitsPlatform(expected, platform)));
}

/** The children of `fresh` (the records listed after the write) that the index just written does not hold. */
function childrenLacking(written: MergePlan, fresh: MergePlan): string[] {
  const held = new Set(written.children.map((child) => child.descriptor.digest));
  return fresh.children
    .filter((child) => !held.has(child.descriptor.digest))
    .map((child) => (child.descriptor.platform ? formatPlatform(child.descriptor.platform) : child.descriptor.digest));
}
