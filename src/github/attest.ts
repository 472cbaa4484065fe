import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import type { Logger } from '../log.js';

/**
 * Build provenance through the official libraries: @actions/attest makes the SLSA provenance predicate of this
 * workflow run, signs the statement through Sigstore with the job's OIDC token and stores the bundle through GitHub's
 * attestations API. Nothing here signs by itself, and the library (a few megabytes with @sigstore/*) is imported
 * only when a signature is asked for, so that a merge without `attest` starts as fast as before.
 */

/** The Sigstore instances actions/attest signs with: Fulcio and Rekor, or GitHub's Fulcio and timestamp authority. */
export type SigstoreInstance = 'public-good' | 'github';

/** A subject: an image name and its `sha256:` digest. */
export interface AttestSubject {
  readonly name: string;
  readonly digest: string;
}

export interface ProvenanceAttestation {
  readonly bundle: Buffer;
  readonly mediaType: string;
  readonly predicateType: string;
  readonly instance: SigstoreInstance;
  readonly id?: string;
  readonly url?: string;
}

type Environment = Readonly<Record<string, string | undefined>>;

const slsaProvenance = 'https://slsa.dev/provenance/v1';

// Artifact attestations exist on github.com and GHE.com (data residency), not on GitHub Enterprise Server: the
// actions/attest README says so, and its OIDC issuer lookup refuses any other server URL.
const attestingServer = /^https:\/\/(github\.com|[a-z0-9-]+\.ghe\.com)$/;

/** Why this job cannot attest, found before anything is written: the server, the ID-token permission, the token. */
export function checkAttestable(env: Environment, githubToken: string): void {
  const server = serverUrl(env);
  if (!attestingServer.test(server)) {
    throw new UserError(
      'attest',
      `is true, but this job runs on GitHub Enterprise Server (${server}), which offers no artifact attestations.`,
      'Set attest: false there; to sign anyway, pass the merge’s `subjects` and `subject-names` outputs to cosign (docs/provenance.md).',
    );
  }
  if (!env['ACTIONS_ID_TOKEN_REQUEST_URL'] || !env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']) {
    throw new UserError(
      'attest',
      'is true, but the job cannot request the OIDC token that Sigstore signs with (ACTIONS_ID_TOKEN_REQUEST_URL is not set): it lacks the `id-token: write` permission.',
      'Grant the merge job `permissions: id-token: write` and `attestations: write` (with the reusable workflow, grant them to the job that calls it).',
    );
  }
  if (githubToken === '') {
    throw new UserError(
      'github-token',
      'is empty, but attest: true stores the attestation through GitHub’s attestations API with it.',
      'Leave github-token at its default, the job’s GITHUB_TOKEN.',
    );
  }
}

/** The instance actions/attest picks: public-good for a public repository, GitHub's own for any other. */
export function sigstoreInstance(event: unknown): SigstoreInstance {
  const repository = (event as { repository?: { visibility?: unknown } } | undefined)?.repository;
  return repository?.visibility === 'public' ? 'public-good' : 'github';
}

/**
 * The SignProvenance port over @actions/attest, after checkAttestable: the job's event tells the instance, and the
 * library is loaded on the first call.
 */
export function provenanceSigner(
  context: { readonly env: Environment; readonly logger: Logger },
  githubToken: string,
): (subjects: readonly AttestSubject[]) => Promise<ProvenanceAttestation> {
  const { env, logger } = context;
  checkAttestable(env, githubToken);
  // The runner masks it too; github-token is masked as an input by runAction.
  logger.secret(env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] ?? '');
  const instance = sigstoreInstance(readEvent(env['GITHUB_EVENT_PATH']));
  return async (subjects) => {
    logger.info(
      instance === 'public-good'
        ? 'Signing with Sigstore’s public-good instance (Fulcio, Rekor), as for every public repository.'
        : 'Signing with GitHub’s Sigstore instance (Fulcio, timestamp authority), as for a private or internal repository.',
    );
    const { attestProvenance } = await import('@actions/attest');
    let attestation: Awaited<ReturnType<typeof attestProvenance>>;
    try {
      attestation = await attestProvenance({
        subjects: subjects.map(({ name, digest }) => ({ name, digest: { sha256: digest.replace(/^sha256:/, '') } })),
        token: githubToken,
        sigstore: instance,
      });
    } catch (error) {
      throw new UserError(
        'attest',
        `signing or storing the provenance attestation failed: ${error instanceof Error ? error.message : String(error)}.`,
        'Check that the merge job has `id-token: write` and `attestations: write`; a private repository stores attestations only on GitHub Enterprise Cloud (docs/provenance.md).',
        { cause: error },
      );
    }
    const id = attestation.attestationID;
    return {
      bundle: Buffer.from(JSON.stringify(attestation.bundle), 'utf8'),
      mediaType: attestation.bundle.mediaType,
      predicateType: slsaProvenance,
      instance,
      ...(id === undefined ? {} : { id, url: `${serverUrl(env)}/${env['GITHUB_REPOSITORY']}/attestations/${id}` }),
    };
  };
}

function serverUrl(env: Environment): string {
  return (env['GITHUB_SERVER_URL'] || 'https://github.com').replace(/\/+$/, '');
}

// A run outside GitHub has no event; actions/attest then takes GitHub's instance too.
function readEvent(path: string | undefined): unknown {
  if (!path) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined; // no readable event: the same answer as an event without a repository
  }
}
