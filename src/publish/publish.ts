import { mapLimited } from '../concurrency.js';
import { UserError, UserErrors, explain } from '../errors.js';
import type { Logger } from '../log.js';
import { ManifestCopier, type CopyTally, type ManifestCache } from '../oci/copy.js';
import { consistencyWait, headManifest, putManifest } from '../oci/manifests.js';
import { isOciError } from '../oci/errors.js';
import { parseRepository } from '../oci/reference.js';
import { isImmutableTagRefusal } from '../oci/registries/refusals.js';
import { pullScope, pushScope, type RegistryClients, type RemoteRepository } from '../oci/remote.js';
import type { Child } from './children.js';
import { foreseeRefusals } from './foresee.js';
import type { MergePlan, TargetPlan } from './plan.js';

export interface PublishOptions {
  readonly logger: Logger;
  /** Manifests read during this publish, shared by the read phase and the copies. */
  readonly manifests: ManifestCache;
  /** How long to wait out a child that a record says was pushed but a registry does not show yet. */
  readonly consistencyWaitMs?: number;
  readonly tagConcurrency?: number;
}

/** A target after the read phase: what it lacks and where each missing child can be copied from. */
export interface CheckedTarget {
  readonly target: TargetPlan;
  readonly remote: RemoteRepository;
  readonly missing: readonly MissingChild[];
}

export interface MissingChild {
  readonly child: Child;
  readonly sources: readonly RemoteRepository[];
}

export interface TargetResult {
  readonly target: TargetPlan;
  readonly tagsWritten: readonly string[];
  readonly indexWritten: boolean;
  readonly copied: CopyTally;
  /** The children this target lacked and got from another repository. */
  readonly childrenCopied: readonly string[];
  readonly error?: UserError;
}

/**
 * The read phase: every child checked in every target, in parallel, then every missing child looked for where its
 * records say it was pushed, then what each target's registry family would refuse. A target that cannot be read,
 * that lacks a child no repository actually holds, or that would refuse a write, fails the whole publish here,
 * before a single write anywhere.
 */
export async function checkTargets(
  plan: MergePlan,
  clients: RegistryClients,
  options: PublishOptions,
): Promise<CheckedTarget[]> {
  const read = await settleEach(
    plan.targets,
    (target) => target.reference,
    (target) => readTarget(plan, target, clients, options),
  );
  const holds = holdingLookup(read, clients, options);
  const checked = await settleEach(
    read,
    (entry) => entry.target.reference,
    (entry) => findSources(entry, clients, holds),
  );
  await settleEach(
    checked,
    (entry) => entry.target.reference,
    (entry) => foreseeRefusals(plan, entry, options.manifests),
  );
  return checked;
}

/** A target after its existence checks: the children it lacks. */
interface ReadTarget {
  readonly target: TargetPlan;
  readonly remote: RemoteRepository;
  readonly absent: readonly Child[];
}

/** Whether the repository named `name` holds `digest`. */
type Holds = (name: string, digest: string) => Promise<boolean>;

/** Runs `work` on every item; any failures are thrown together, each about the item it failed for. */
async function settleEach<T, R>(
  items: readonly T[],
  subjectOf: (item: T) => string,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const settled = await Promise.allSettled(items.map(work));
  const failures = settled.flatMap((result, i) =>
    result.status === 'rejected' ? [asUserError(result.reason, subjectOf(items[i] as T), false)] : [],
  );
  // Two targets may share a failed source: its one error is reported once.
  const distinct = [...new Set(failures)];
  if (distinct.length === 1) throw distinct[0];
  if (distinct.length > 1) throw new UserErrors(distinct);
  return settled.map((result) => (result as PromiseFulfilledResult<R>).value);
}

async function readTarget(
  plan: MergePlan,
  target: TargetPlan,
  clients: RegistryClients,
  options: PublishOptions,
): Promise<ReadTarget> {
  const remote = clients.repository(target.repository);
  // One token for the whole publish: push here, pull wherever a child could be mounted from.
  remote.client.hintScopes([pushScope(remote), ...mountSourceScopes(plan.children, remote, clients)]);
  const absent = await Promise.all(
    plan.children.map(async (child): Promise<Child | undefined> => {
      const pushedHere = child.foundIn.includes(target.reference);
      const waitMs = pushedHere ? consistencyWait(remote, options.consistencyWaitMs) : 0;
      return (await headManifest(remote, child.descriptor.digest, { waitMs })) ? undefined : child;
    }),
  );
  return { target, remote, absent: absent.filter((child): child is Child => child !== undefined) };
}

/**
 * What the targets' own checks already know is reused; any other repository a record names is asked once per
 * digest, waiting out a registry that does not show a fresh push yet.
 */
function holdingLookup(read: readonly ReadTarget[], clients: RegistryClients, options: PublishOptions): Holds {
  const known = new Map(read.map((entry) => [entry.target.reference, entry.absent]));
  const asked = new Map<string, Promise<boolean>>();
  return (name, digest) => {
    const absent = known.get(name);
    if (absent !== undefined) return Promise.resolve(!absent.some((child) => child.descriptor.digest === digest));
    const key = `${name}@${digest}`;
    let answer = asked.get(key);
    if (answer === undefined) {
      const repository = clients.repository(parseRepository(name));
      const waitMs = consistencyWait(repository, options.consistencyWaitMs);
      answer = headManifest(repository, digest, { waitMs }).then(
        (found) => found !== undefined,
        (error: unknown) => Promise.reject(asUserError(error, name, false)),
      );
      asked.set(key, answer);
    }
    return answer;
  };
}

async function findSources(entry: ReadTarget, clients: RegistryClients, holds: Holds): Promise<CheckedTarget> {
  const { target, remote } = entry;
  const missing = await Promise.all(
    entry.absent.map(async (child): Promise<MissingChild> => {
      const candidates = child.foundIn.filter((name) => name !== target.reference);
      const holding = await Promise.all(candidates.map((name) => holds(name, child.descriptor.digest)));
      const names = candidates.filter((_, i) => holding[i]);
      if (names.length === 0) throw missingChildError(child, target, candidates);
      return { child, sources: names.map((name) => clients.repository(parseRepository(name))) };
    }),
  );
  return { target, remote, missing };
}

function mountSourceScopes(children: readonly Child[], target: RemoteRepository, clients: RegistryClients): string[] {
  const names = new Set(children.flatMap((child) => child.foundIn));
  return [...names]
    .map((name) => clients.repository(parseRepository(name)))
    .filter((source) => source.client === target.client && source.path !== target.path)
    .map(pullScope);
}

function missingChildError(child: Child, target: TargetPlan, elsewhere: readonly string[]): UserError {
  const platform = child.descriptor.platform;
  const what =
    child.kind === 'attestation'
      ? 'attestation manifest'
      : `${platform?.os}/${platform?.architecture}${platform?.variant ? `/${platform.variant}` : ''} image`;
  const where =
    elsewhere.length === 0
      ? 'and its records name no other repository to copy it from'
      : `nor in ${elsewhere.join(', ')}, where its records say it was pushed too, so there is nothing to copy it from`;
  return new UserError(
    target.reference,
    `the ${what} ${child.descriptor.digest} (from ${child.sources.join(', ')}) is not in this repository, ${where}.`,
    'Check that the build job pushed it here and that no clean-up job deleted it, or re-run that build job.',
  );
}

/**
 * The write phase of one target (callers run the targets in parallel): missing children, then the index by digest,
 * then the tags. A target that fails stops before its tags move, so no tag ever points at an index whose children
 * are not all there; the failure is returned with what was written, so the other targets carry on and report theirs.
 */
export async function writeTarget(
  plan: MergePlan,
  checked: CheckedTarget,
  options: PublishOptions,
): Promise<TargetResult> {
  const { target, remote } = checked;
  const childrenCopied = checked.missing.map(({ child }) => child.descriptor.digest);
  const copier = new ManifestCopier(remote, {
    manifests: options.manifests,
    waitMs: options.consistencyWaitMs,
    present: plan.children.map((child) => child.descriptor.digest).filter((digest) => !childrenCopied.includes(digest)),
  });
  const copied = copier.tally;
  const tagsWritten: string[] = [];
  let indexWritten = false;
  try {
    await settleThenThrow(
      copier.copyAbsent(checked.missing.map(({ child, sources }) => ({ descriptor: child.descriptor, sources }))),
    );
    await putManifest(remote, plan.index.descriptor.digest, plan.index, { waitMs: options.consistencyWaitMs });
    indexWritten = true;
    await mapLimited(target.tags, options.tagConcurrency ?? 16, async (tag) => {
      await putTag(remote, tag, plan, options);
      tagsWritten.push(tag);
    });
    options.logger.info(`${target.reference}: index ${plan.index.descriptor.digest} under ${target.tags.join(', ')}`);
    return { target, tagsWritten: inTagOrder(target, tagsWritten), indexWritten, copied, childrenCopied };
  } catch (error) {
    return {
      target,
      tagsWritten: inTagOrder(target, tagsWritten),
      indexWritten,
      copied,
      childrenCopied,
      error: asUserError(error, target.reference, isWriteRequest(error)),
    };
  }
}

/**
 * Moves a tag to the index. A repository with immutable tags refuses to write a tag that exists, even with the same
 * content: a tag that already holds this very index is what a re-run wants, not a failure.
 */
async function putTag(remote: RemoteRepository, tag: string, plan: MergePlan, options: PublishOptions): Promise<void> {
  try {
    await putManifest(remote, tag, plan.index, { waitMs: options.consistencyWaitMs });
  } catch (error) {
    if (!(isOciError(error) && isImmutableTagRefusal(error.status, error.registryCodes))) throw error;
    const held = await headManifest(remote, tag).catch(() => undefined);
    if (held?.digest !== plan.index.descriptor.digest) throw error;
    options.logger.info(`${remote.name}:${tag} is immutable and already holds the index ${held.digest}.`);
  }
}

function inTagOrder(target: TargetPlan, written: readonly string[]): string[] {
  return target.tags.filter((tag) => written.includes(tag));
}

// The write phase also reads (a copy downloads from its source): the advice follows what the failed request did.
function isWriteRequest(error: unknown): boolean {
  return !(isOciError(error) && (error.method === 'GET' || error.method === 'HEAD'));
}

function asUserError(error: unknown, subject: string, writing: boolean): UserError {
  const explained = explain(error, subject, { writing });
  if (explained instanceof UserError) return explained;
  throw explained;
}

/** Like Promise.all, but waits for every copy, so none is still writing once this target reports its failure. */
async function settleThenThrow(work: readonly Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}
