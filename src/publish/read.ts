import { settleAll } from '../concurrency.js';
import { asUserError, UserError, UserErrors } from '../errors.js';
import { consistencyWait, headManifest } from '../oci/manifests.js';
import { parseRepository } from '../oci/reference.js';
import { pullScope, pushScope, type RegistryClients, type RemoteRepository } from '../oci/client.js';
import { foreseeRefusals } from './foresee.js';
import type { Child, TargetPlan, MergePlan, CheckedTarget, PublishOptions, MissingChild } from './types.js';

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
function settleEach<T, R>(
  items: readonly T[],
  subjectOf: (item: T) => string,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const each = items.map((item) =>
    work(item).catch((error: unknown) => {
      throw asUserError(error, subjectOf(item), false);
    }),
  );
  return settleAll(each, (failures) => {
    // Two targets may share a failed source: its one error is reported once.
    const distinct = [...new Set(failures as UserError[])];
    return distinct.length === 1 ? distinct[0] : new UserErrors(distinct);
  });
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
