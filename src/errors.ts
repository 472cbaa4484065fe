import { OciError, type OciErrorCode } from './oci/errors.js';
import { profileOf } from './oci/registries/lookup.js';

const longestQuotedValue = 200;

/** A value as an error message shows it: in double quotes, escaped, cut short when long. */
export function quote(value: string): string {
  const shown = value.length > longestQuotedValue ? `${value.slice(0, longestQuotedValue)}…` : value;
  return JSON.stringify(shown);
}

/**
 * The one error a user reads: what it is about (an input name, a record's source, an image reference), what is
 * wrong (quoting the offending value), and the one thing to do about it.
 */
export class UserError extends Error {
  readonly subject: string;
  readonly problem: string;
  readonly fix: string;

  constructor(subject: string, problem: string, fix: string, options?: { cause?: unknown }) {
    super(`${subject}: ${problem}${fix ? ` ${fix}` : ''}`, options);
    this.name = 'UserError';
    this.subject = subject;
    this.problem = problem;
    this.fix = fix;
  }
}

/** Several independent failures (one per registry) reported together, each with its own fix. */
export class UserErrors extends UserError {
  readonly errors: readonly UserError[];

  constructor(errors: readonly UserError[]) {
    super(`${errors.length} of the images failed`, errors.map((error) => `\n  - ${error.message}`).join(''), '');
    this.errors = errors;
  }
}

interface Advice {
  readonly code: OciErrorCode;
  readonly method?: 'write' | 'read';
  /** One of the registry's own error codes (distribution-spec error envelope) that the row is about. */
  readonly registryCode?: string;
  readonly fix: string;
}

// What every registry's answer means; a registry family's own advice (oci/registries/profiles.ts) stands before these rows.
const adviceTable: readonly Advice[] = [
  {
    code: 'DENIED',
    method: 'write',
    fix: 'The credentials may read but not push to this repository: log in (docker/login-action) as a user with push access.',
  },
  {
    code: 'DENIED',
    fix: 'The credentials have no access to this repository: log in (docker/login-action) as a user who may pull and push it.',
  },
  {
    code: 'UNAUTHORIZED',
    fix: 'Log in to this registry before this step (docker/login-action), and check the username and password or token.',
  },
  {
    code: 'CREDENTIALS',
    fix: 'Fix the Docker credentials configuration (DOCKER_CONFIG or ~/.docker/config.json) or the credential helper it names.',
  },
  {
    code: 'UNREACHABLE',
    fix: 'Check the registry host name and port in `images`, and that the runner can reach it.',
  },
  {
    code: 'INSECURE',
    fix: 'Use an HTTPS registry, or list the host in `insecure-registries` if it really serves plain HTTP.',
  },
  {
    code: 'TOO_MANY_REQUESTS',
    fix: 'The registry is rate-limiting this runner: log in (authenticated limits are higher) or retry later.',
  },
  {
    code: 'NOT_FOUND',
    method: 'write',
    registryCode: 'NAME_UNKNOWN',
    fix: 'The repository does not exist and this registry does not create repositories on push: create it first.',
  },
  {
    code: 'NOT_FOUND',
    method: 'write',
    registryCode: 'MANIFEST_BLOB_UNKNOWN',
    fix: 'This step wrote what the registry says it lacks just before, and the registry still does not show it after waiting: re-run the job, and report it to the registry operator if it persists.',
  },
  {
    code: 'NOT_FOUND',
    fix: 'Check that the build jobs pushed this image to this repository, and that nothing deleted it since (untagged-image cleanup jobs delete per-platform children).',
  },
  {
    code: 'DIGEST_MISMATCH',
    fix: 'The registry returned content that does not match its digest; retry, and report it to the registry operator if it persists.',
  },
  {
    code: 'REJECTED',
    fix: 'The registry refused the content; its own message above says why.',
  },
  { code: 'SERVER_ERROR', fix: 'The registry failed; retry the job later.' },
];

/**
 * Turns a registry client failure into a UserError about `subject` (an image reference the user listed), with the
 * advice that matches its code, registry and whether we were writing. Anything that is not an OciError is a bug and
 * passes through unchanged.
 */
export function explain(error: unknown, subject: string, context: { writing?: boolean } = {}): unknown {
  if (!(error instanceof OciError)) return error;
  const method = context.writing ? 'write' : 'read';
  const advice = [...profileOf(error.family).advice, ...adviceTable].find(
    (row) =>
      row.code === error.code &&
      (row.method === undefined || row.method === method) &&
      (row.registryCode === undefined || error.registryCodes.includes(row.registryCode)),
  );
  return new UserError(subject, describe(error), advice?.fix ?? '', { cause: error });
}

function describe(error: OciError): string {
  const request =
    error.method && error.url ? ` (${error.method} ${error.url}${error.status ? ` → ${error.status}` : ''})` : '';
  const codes = error.registryCodes.length > 0 ? ` [${error.registryCodes.join(', ')}]` : '';
  return `${error.message}${codes}${request}.`;
}

/** explain() for code that needs a UserError: anything that is not an OciError is a bug and is thrown as it is. */
export function asUserError(error: unknown, subject: string, writing: boolean): UserError {
  const explained = explain(error, subject, { writing });
  if (explained instanceof UserError) return explained;
  throw explained;
}
