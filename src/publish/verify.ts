import { UserError, explain } from '../errors.js';
import { consistencyWait, headManifest } from '../oci/manifests.js';
import type { RegistryClients, RemoteRepository } from '../oci/client.js';
import type { Descriptor } from '../oci/descriptor.js';
import { fallbackTag, listReferrers, type PushedReferrer } from '../oci/referrers.js';
import { pollUntil } from '../oci/retry.js';
import type { TargetPlan, MergePlan, TargetResult, TagReading, TargetVerification } from './types.js';

export interface VerifyOptions {
  /** How long a stale answer (a registry behind a cache or replica) is waited out; the registry family's by default. */
  readonly waitMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Reads back every tag that moved and every child copied in, in one repository just written: the tag must resolve to
 * the index just published, and each child must resolve. A different answer is read again until `waitMs` is spent,
 * since registries behind caches serve stale tags for a moment; what is still wrong then is reported. Nothing is read
 * where the index was not written.
 */
export async function verifyTarget(
  plan: MergePlan,
  result: TargetResult,
  clients: RegistryClients,
  options: VerifyOptions = {},
): Promise<TargetVerification | undefined> {
  if (!result.indexWritten) return undefined;
  const remote = clients.repository(result.target.repository);
  const waitMs = consistencyWait(remote, options.waitMs);
  const read = (tag: string) =>
    readTag(tag, () => headDigest(remote, tag, result.target), plan, { ...options, waitMs });
  const [tags, children] = await Promise.all([
    Promise.all(result.tagsWritten.map(read)),
    // Children the read phase found here moments ago, and that the registry accepted the index over, are there;
    // what this publish copied in is read back, as the tags are.
    Promise.all(
      result.childrenCopied.map(async (digest) => {
        const found = await headManifest(remote, digest, { waitMs });
        return found === undefined ? digest : undefined;
      }),
    ),
  ]);
  return {
    target: result.target,
    tags,
    missingChildren: children.filter((digest): digest is string => digest !== undefined),
  };
}

async function headDigest(
  remote: ReturnType<RegistryClients['repository']>,
  tag: string,
  target: TargetPlan,
): Promise<string | undefined> {
  try {
    return (await headManifest(remote, tag))?.digest;
  } catch (error) {
    throw explain(error, `${target.reference}:${tag}`);
  }
}

async function readTag(
  tag: string,
  read: () => Promise<string | undefined>,
  plan: MergePlan,
  options: VerifyOptions,
): Promise<TagReading> {
  const expected = plan.index.descriptor.digest;
  try {
    const digest = await pollUntil(read, (read) => read === expected, { ...options, waitMs: options.waitMs ?? 0 });
    return { tag, digest };
  } catch (error) {
    // One registry failing to answer the read-back must not hide what was published, here or elsewhere.
    if (!(error instanceof UserError)) throw error;
    return { tag, digest: undefined, unreadable: error.message };
  }
}

/** Whether every tag read back holds the index and every child resolves. */
export function isVerified(verification: TargetVerification, plan: MergePlan): boolean {
  const expected = plan.index.descriptor.digest;
  return verification.missingChildren.length === 0 && verification.tags.every((tag) => tag.digest === expected);
}

/** One error per target whose read-back differs, naming each tag and what it holds instead. */
export function verificationError(verification: TargetVerification, plan: MergePlan): UserError | undefined {
  if (isVerified(verification, plan)) return undefined;
  const expected = plan.index.descriptor.digest;
  const problems = [
    ...verification.tags
      .filter((tag) => tag.digest !== expected)
      .map((tag) =>
        tag.unreadable !== undefined
          ? `tag ${tag.tag} could not be read back (${tag.unreadable})`
          : tag.digest === undefined
            ? `tag ${tag.tag} does not resolve at all`
            : `tag ${tag.tag} holds ${tag.digest}, not the index just published (${expected})`,
      ),
    ...verification.missingChildren.map((digest) => `child ${digest} does not resolve`),
  ];
  const overwritten = verification.tags.some((tag) => tag.digest !== undefined && tag.digest !== expected);
  return new UserError(
    verification.target.reference,
    `was written, but reading it back: ${problems.join('; ')}.`,
    overwritten
      ? 'Another writer moved the tag after this step: publish each tag from one job at a time (a concurrency group), or let the build jobs publish with `tags` so that the last one includes every platform.'
      : 'The registry serves stale or incomplete answers; re-run the job, and report it to the registry operator if it persists.',
  );
}

/** Whether a repository serves an attestation for its subject where it was listed, and if not, what it served. */
export type ReferrerReading = { readonly served: true } | { readonly served: false; readonly problem: string };

/**
 * Reads the referrers of a subject back where the push listed them (the referrers API or the fallback tag) until the
 * attestation is among them or the wait is spent: what any verifier (cosign, gh attestation verify --bundle-from-oci,
 * an admission controller) reads to find it.
 */
export async function verifyReferrer(
  remote: RemoteRepository,
  referrer: PushedReferrer,
  options: VerifyOptions = {},
): Promise<ReferrerReading> {
  const where = referrer.listing === 'api' ? 'the referrers API' : `the tag ${fallbackTag(referrer.subject)}`;
  const read = () => listReferrers(remote, referrer.subject, referrer.listing);
  const isListed = (found: readonly Descriptor[]) => found.some((entry) => entry.digest === referrer.descriptor.digest);
  try {
    const listed = await pollUntil(read, isListed, { ...options, waitMs: consistencyWait(remote, options.waitMs) });
    if (isListed(listed)) return { served: true };
    return {
      served: false,
      problem: `${where} lists ${listed.length} referrers of ${referrer.subject}, not ${referrer.descriptor.digest}`,
    };
  } catch (error) {
    const explained = explain(error, remote.name);
    if (!(explained instanceof UserError)) throw explained;
    return { served: false, problem: `${where} could not be read: ${explained.problem}` };
  }
}
