import type { HttpResponse } from './http.js';

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

/** What decoding an answer needs to know of the registry family that gave it (registries/profiles.ts). */
interface AnsweringFamily {
  readonly family: string;
  readonly rateLimitHeaders: readonly string[];
}

const statusCodes: Readonly<Record<number, OciErrorCode>> = {
  401: 'UNAUTHORIZED',
  403: 'DENIED',
  404: 'NOT_FOUND',
  429: 'TOO_MANY_REQUESTS',
};

/** The registry's answer as an OciError: the status says what kind of failure, the body's error codes say the detail. */
export async function responseError(
  response: HttpResponse,
  method: string,
  client: { readonly registry: string; readonly profile: AnsweringFamily },
  what: string,
): Promise<OciError> {
  const body =
    response.status === 0 || method === 'HEAD'
      ? Buffer.alloc(0)
      : await response.bytes(64 * 1024).catch(() => Buffer.alloc(0));
  const errors = parseRegistryErrors(body);
  const registryCodes = errors.map((error) => error.code);
  let code: OciErrorCode = statusCodes[response.status] ?? (response.status >= 500 ? 'SERVER_ERROR' : 'REJECTED');
  // Token registries answer a push without push rights with 401 insufficient_scope, after a fresh token was tried.
  if (code === 'UNAUTHORIZED' && /insufficient_scope/.test(response.header('www-authenticate') ?? '')) code = 'DENIED';
  if (registryCodes.includes('DENIED')) code = 'DENIED';
  const detail = errors.map((error) => error.message).filter(Boolean)[0];
  return new OciError({
    code,
    message: `${what} failed: ${response.status}${detail ? ` ${detail}` : ''}${rateLimits(response, client.profile)}`,
    registry: client.registry,
    family: client.profile.family,
    method,
    url: redactUrl(response.url),
    status: response.status,
    registryCodes,
    registryDetails: errors.flatMap((error) => (error.detail === undefined ? [] : [error.detail])),
    retryable: response.status >= 500 || response.status === 429,
  });
}

/** The limits a 429 states in the headers this family sends them in: the user needs the numbers. */
function rateLimits(response: HttpResponse, profile: AnsweringFamily): string {
  if (response.status !== 429) return '';
  const stated = profile.rateLimitHeaders.flatMap((name) => {
    const value = response.header(name);
    return value === undefined ? [] : [`${name}: ${value}`];
  });
  return stated.length === 0 ? '' : ` (${stated.join(', ')})`;
}

interface RegistryErrorEntry {
  readonly code: string;
  readonly message: string;
  /** `detail` as text: a digest for MANIFEST_BLOB_UNKNOWN, else the JSON it holds. */
  readonly detail?: string;
}

function parseRegistryErrors(body: Buffer): RegistryErrorEntry[] {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: unknown };
    if (!Array.isArray(parsed.errors)) return [];
    return parsed.errors
      .filter(
        (error): error is { code: string; message?: unknown; detail?: unknown } => typeof error?.code === 'string',
      )
      .map((error) => ({
        code: error.code,
        message: typeof error.message === 'string' ? error.message : '',
        ...(error.detail === undefined || error.detail === null
          ? {}
          : { detail: typeof error.detail === 'string' ? error.detail : JSON.stringify(error.detail) }),
      }));
  } catch {
    return [];
  }
}
