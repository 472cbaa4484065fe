import { mapLimited, settleAll } from '../concurrency.js';
import { asUserError } from '../errors.js';
import { ManifestCopier } from '../oci/copy.js';
import { headManifest, putManifest } from '../oci/manifests.js';
import { isOciError } from '../oci/errors.js';
import { isImmutableTagRefusal } from '../oci/registries/refusals.js';
import { type RemoteRepository } from '../oci/client.js';
import type { TargetPlan, MergePlan, CheckedTarget, TargetResult, PublishOptions } from './types.js';

/**
 * The write phase of one target (callers run the targets in parallel): missing children, then the index under every
 * tag at once. There is no PUT by digest of its own: a tag PUT stores the index under its digest as well, and the
 * children being there already is what keeps a tag from ever naming an index that lacks a platform. A target that
 * fails returns what was written, so the other targets carry on and report theirs.
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
  const outcome = () => {
    // A tag PUT stores the index under its digest too: the first tag written is the index written.
    const written = inTagOrder(target, tagsWritten);
    return { target, tagsWritten: written, indexWritten: written.length > 0, copied, childrenCopied };
  };
  try {
    await settleAll(
      copier.copyAbsent(checked.missing.map(({ child, sources }) => ({ descriptor: child.descriptor, sources }))),
    );
    await mapLimited(target.tags, options.tagConcurrency ?? 16, async (tag) => {
      await putTag(remote, tag, plan, options);
      tagsWritten.push(tag);
    });
    options.logger.info(`${target.reference}: index ${plan.index.descriptor.digest} under ${target.tags.join(', ')}`);
    return outcome();
  } catch (error) {
    return { ...outcome(), error: asUserError(error, target.reference, isWriteRequest(error)) };
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
