import { asUserError, UserError, UserErrors } from '../errors.js';
import type { Logger } from '../log.js';
import type { Descriptor } from '../oci/descriptor.js';
import { formatPlatform } from '../oci/platform.js';
import { pushReferrers, type Artifact, type PushedReferrer } from '../oci/referrers.js';
import type { RegistryClients } from '../oci/client.js';
import { failuresOf } from './publish.js';
import type { MergeOutcome, MergePlan, TargetPlan } from './types.js';
import { verifyReferrer, type ReferrerReading } from './verify.js';

/**
 * Provenance for what a merge published: one statement whose subjects are the index and every platform image, signed
 * through the SignProvenance port, then attached to each subject in every repository as an OCI referrer, and read
 * back for the index. BuildKit's own attestation manifests are evidence, not artifacts, and are no subjects.
 */

/** A subject of the statement: a digest, the image name it is known by, and what it is (`index`, `linux/arm64`). */
export interface ProvenanceSubject {
  readonly name: string;
  readonly digest: string;
  readonly what: string;
  readonly descriptor: Descriptor;
}

/** A signed attestation as the signer hands it back: the Sigstore bundle and where GitHub keeps it. */
export interface SignedAttestation {
  /** The bundle's JSON, as the registries get it. */
  readonly bundle: Buffer;
  readonly mediaType: string;
  readonly predicateType: string;
  /** The Sigstore instance that signed: `public-good` or `github`. */
  readonly instance: string;
  /** The attestation's id and page in GitHub's attestations API, when it was stored there. */
  readonly id?: string;
  readonly url?: string;
}

/** The port: signs a provenance statement over the subjects and stores it; src/github/attest.ts implements it. */
export type SignProvenance = (
  subjects: readonly { readonly name: string; readonly digest: string }[],
) => Promise<SignedAttestation>;

export interface ProvenanceTarget {
  readonly target: TargetPlan;
  readonly referrers: readonly PushedReferrer[];
  /** Whether the repository serves the attestation for the index; absent when verify is off or the push failed. */
  readonly reading?: ReferrerReading;
  readonly error?: UserError;
}

export interface ProvenanceOutcome {
  readonly subjects: readonly ProvenanceSubject[];
  readonly attestation?: SignedAttestation;
  readonly targets: readonly ProvenanceTarget[];
  /** Why nothing was signed. */
  readonly error?: UserError;
}

export interface AttestDependencies {
  readonly sign: SignProvenance;
  readonly clients: RegistryClients;
  readonly logger: Logger;
  readonly verify: boolean;
  readonly consistencyWaitMs?: number;
}

/** The index, then each platform image in index order, all named after the first image. */
export function provenanceSubjects(plan: MergePlan): ProvenanceSubject[] {
  const name = plan.targets[0]?.reference ?? '';
  const images = plan.children.filter((child) => child.kind === 'image');
  return [
    { name, digest: plan.index.descriptor.digest, what: 'index', descriptor: plan.index.descriptor },
    ...images.map(({ descriptor }) => ({
      name,
      digest: descriptor.digest,
      what: descriptor.platform ? formatPlatform(descriptor.platform) : 'image',
      descriptor,
    })),
  ];
}

/** One `<hex>  <name>` line per subject, as sha256sum writes them and actions/attest's `subject-checksums` reads them. */
export function subjectChecksums(subjects: readonly ProvenanceSubject[]): string {
  return subjects
    .map((subject) => `${subject.digest.slice(subject.digest.indexOf(':') + 1)}  ${subject.name}`)
    .join('\n');
}

/**
 * Signs and attaches provenance after a publish that wrote and verified every image; a dry run or a failed publish
 * gets none. A signing failure, or a repository refusing the referrers, is returned, not thrown, so that the caller
 * still reports what was published.
 */
export async function attestPublished(
  outcome: MergeOutcome,
  deps: AttestDependencies,
): Promise<ProvenanceOutcome | undefined> {
  const { logger } = deps;
  const subjects = provenanceSubjects(outcome.plan);
  if (outcome.results.length === 0) {
    logger.info(
      `dry-run: attest would sign a provenance attestation of ${subjects.length} subjects and attach it in ${outcome.plan.targets.map((target) => target.reference).join(', ')}`,
    );
    return undefined;
  }
  if (failuresOf(outcome)) {
    logger.info('attest: nothing is signed, since publishing failed; a re-run that publishes signs then.');
    return undefined;
  }
  let attestation: SignedAttestation;
  try {
    attestation = await logger.group('Sign the provenance attestation', () => deps.sign(subjects));
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { subjects, targets: [], error };
  }
  const artifact = bundleArtifact(attestation);
  const targets = await logger.group('Attach it to every subject in every image', () =>
    Promise.all(outcome.plan.targets.map((target) => attachInTarget(target, subjects, artifact, deps))),
  );
  return { subjects, attestation, targets };
}

/** How the bundle travels as an OCI artifact: the layout actions/attest's registry push writes. */
function bundleArtifact(attestation: SignedAttestation): Artifact {
  return {
    artifactType: attestation.mediaType,
    layer: { mediaType: attestation.mediaType, bytes: attestation.bundle },
    annotations: {
      'dev.sigstore.bundle.content': 'dsse-envelope',
      'dev.sigstore.bundle.predicateType': attestation.predicateType,
    },
  };
}

async function attachInTarget(
  target: TargetPlan,
  subjects: readonly ProvenanceSubject[],
  artifact: Artifact,
  deps: AttestDependencies,
): Promise<ProvenanceTarget> {
  const remote = deps.clients.repository(target.repository);
  let referrers: PushedReferrer[];
  try {
    referrers = await pushReferrers(
      remote,
      artifact,
      subjects.map((subject) => subject.descriptor),
    );
  } catch (error) {
    return { target, referrers: [], error: asUserError(error, target.reference, true) };
  }
  const index = referrers[0] as PushedReferrer;
  const listedIn = index.listing === 'api' ? 'its referrers API' : 'the fallback tag';
  deps.logger.info(
    `${target.reference}: attestation attached to ${referrers.length} subjects, for the index in ${listedIn}`,
  );
  if (!deps.verify) return { target, referrers };
  return { target, referrers, reading: await verifyReferrer(remote, index, { waitMs: deps.consistencyWaitMs }) };
}

/** Every failure of signing, attaching or serving, one per image; undefined when all went well. */
export function provenanceFailure(outcome: ProvenanceOutcome | undefined): UserError | undefined {
  if (outcome === undefined) return undefined;
  if (outcome.error) return outcome.error;
  const errors = outcome.targets.flatMap((entry) => {
    if (entry.error) return [entry.error];
    if (entry.reading === undefined || entry.reading.served) return [];
    return [
      new UserError(
        entry.target.reference,
        `accepted the attestation but does not serve it for the index (${entry.reading.problem}).`,
        'The registry serves stale or incomplete answers; re-run the job, and report it to the registry operator if it persists.',
      ),
    ];
  });
  if (errors.length === 0) return undefined;
  return errors.length === 1 ? errors[0] : new UserErrors(errors);
}
