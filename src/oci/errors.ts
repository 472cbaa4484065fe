/**
 * What the registry client throws: facts about a failed operation, never advice, because src/oci does not know
 * which input the user typed. src/errors.ts `explain()` turns these into something a user can act on.
 */
export type OciErrorCode =
  | 'INVALID_REFERENCE'
  | 'INVALID_DIGEST'
  | 'INVALID_PLATFORM'
  | 'INVALID_MANIFEST'
  | 'UNAUTHORIZED'
  | 'DENIED'
  | 'NOT_FOUND'
  | 'DIGEST_MISMATCH'
  | 'TOO_MANY_REQUESTS'
  | 'UNREACHABLE'
  | 'INSECURE'
  | 'CREDENTIALS'
  | 'REJECTED'
  | 'SERVER_ERROR';

export interface OciErrorDetails {
  readonly code: OciErrorCode;
  readonly message: string;
  /** The registry host the request went to (`registry.example`, `127.0.0.1:5000`). */
  readonly registry?: string;
  readonly method?: string;
  /** The request URL without query string or credentials. */
  readonly url?: string;
  readonly status?: number;
  /** The registry's own error codes from the response body (`MANIFEST_BLOB_UNKNOWN`, `DENIED`, ...). */
  readonly registryCodes?: readonly string[];
  /** The `detail` of those errors, as text (a digest the registry does not hold, for MANIFEST_BLOB_UNKNOWN). */
  readonly registryDetails?: readonly string[];
  /** The registry family (oci/registries/profiles.ts) the answer came from, so that advice can be the family's own. */
  readonly family?: string;
  readonly retryable?: boolean;
  readonly cause?: unknown;
}

export class OciError extends Error {
  readonly code: OciErrorCode;
  readonly registry: string | undefined;
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly status: number | undefined;
  readonly registryCodes: readonly string[];
  readonly registryDetails: readonly string[];
  readonly family: string | undefined;
  readonly retryable: boolean;

  constructor(details: OciErrorDetails) {
    super(details.message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'OciError';
    this.code = details.code;
    this.registry = details.registry;
    this.method = details.method;
    this.url = details.url;
    this.status = details.status;
    this.registryCodes = details.registryCodes ?? [];
    this.registryDetails = details.registryDetails ?? [];
    this.family = details.family;
    this.retryable = details.retryable ?? false;
  }
}

export function isOciError(error: unknown, code?: OciErrorCode): error is OciError {
  return error instanceof OciError && (code === undefined || error.code === code);
}

/** A URL fit for a log line or an error: no query string (upload states, signatures), no user info. */
export function redactUrl(url: string | URL): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '[unparseable url]';
  }
}
