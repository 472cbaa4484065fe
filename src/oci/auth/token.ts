import { OciError, redactUrl, type OciErrorCode } from '../errors.js';
import type { HttpRequest, HttpResponse, Send } from '../http.js';
import type { Credential } from './credentials.js';

/**
 * The bearer token exchange [distribution `docs/spec/auth/token.md` (GET) and `oauth.md` (POST)] and the cache that
 * makes one token serve every request with the same scopes.
 */
export interface TokenRequest {
  /** The challenge's `realm`, an absolute URL. */
  readonly realm: string;
  readonly service?: string;
  readonly scopes: readonly string[];
  readonly credential: Credential;
  /** A plain-http realm is allowed (loopback, or a registry the user marked insecure). */
  readonly allowInsecure?: boolean;
  readonly signal?: AbortSignal;
}

export interface Token {
  readonly value: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

// Sent as OAuth2 client_id, which the POST grant requires [oauth.md]; registries log it, none check it.
const clientId = 'multiarch-publish';
// token.md: "expires_in ... defaults to 60 seconds"; servers should not issue shorter, so nor do we believe it.
const minimumLifetimeSeconds = 60;
// POST refresh-token grants answered with these mean "not supported here", not "wrong token" [containerd authorizer.go].
const postUnsupportedStatuses = new Set([400, 401, 404, 405]);
const maxTokenResponseBytes = 1024 * 1024;

/** The `Authorization` value for Basic: base64 of `user:password` (RFC 7617). */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

function checkRealm(request: TokenRequest): URL {
  let realm: URL;
  try {
    realm = new URL(request.realm);
  } catch {
    throw new OciError({ code: 'SERVER_ERROR', message: 'the token realm in the registry challenge is not a URL' });
  }
  const host = realm.host;
  if (realm.protocol === 'http:' && !request.allowInsecure) {
    throw new OciError({
      code: 'INSECURE',
      message: `refused the plain-http token realm ${redactUrl(realm)} of a registry not marked insecure`,
      registry: host,
      url: redactUrl(realm),
    });
  }
  if (realm.protocol !== 'http:' && realm.protocol !== 'https:') {
    throw new OciError({
      code: 'SERVER_ERROR',
      message: `the token realm ${redactUrl(realm)} is not http(s)`,
      registry: host,
    });
  }
  return realm;
}

function getRequest(realm: URL, request: TokenRequest, authorization: string | undefined): HttpRequest {
  const url = new URL(realm);
  if (request.service !== undefined) url.searchParams.append('service', request.service);
  for (const scope of request.scopes) url.searchParams.append('scope', scope);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  return { method: 'GET', url, headers, ...(request.signal ? { signal: request.signal } : {}) };
}

function refreshTokenRequest(realm: URL, request: TokenRequest, refreshToken: string): HttpRequest {
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId });
  if (request.service !== undefined) form.set('service', request.service);
  if (request.scopes.length > 0) form.set('scope', request.scopes.join(' '));
  return {
    method: 'POST',
    url: new URL(realm),
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: Buffer.from(form.toString(), 'utf8'),
    ...(request.signal ? { signal: request.signal } : {}),
  };
}

async function sendOrExplain(send: Send, request: HttpRequest): Promise<HttpResponse> {
  try {
    return await send(request);
  } catch (error) {
    if (error instanceof OciError) throw error;
    throw new OciError({
      code: 'UNREACHABLE',
      message: `no answer from the token endpoint ${request.url.host}`,
      registry: request.url.host,
      method: request.method,
      url: redactUrl(request.url),
      retryable: true,
      cause: error,
    });
  }
}

function statusError(request: HttpRequest, status: number): OciError {
  const code: OciErrorCode =
    status === 401 || status === 403 ? 'UNAUTHORIZED' : status === 429 ? 'TOO_MANY_REQUESTS' : 'SERVER_ERROR';
  return new OciError({
    code,
    message: `the token endpoint ${request.url.host} answered ${status}`,
    registry: request.url.host,
    method: request.method,
    url: redactUrl(request.url),
    status,
    retryable: status === 429 || status >= 500,
  });
}

function malformed(request: HttpRequest, status: number, problem: string): OciError {
  return new OciError({
    code: 'SERVER_ERROR',
    message: `the token endpoint ${request.url.host} ${problem}`,
    registry: request.url.host,
    method: request.method,
    url: redactUrl(request.url),
    status,
  });
}

function lifetimeMs(expiresIn: unknown): number {
  const seconds = typeof expiresIn === 'number' && Number.isFinite(expiresIn) ? expiresIn : minimumLifetimeSeconds;
  return Math.max(minimumLifetimeSeconds, seconds) * 1000;
}

function issuedAtMs(issuedAt: unknown, now: () => number): number {
  const parsed = typeof issuedAt === 'string' ? Date.parse(issuedAt) : Number.NaN;
  return Number.isNaN(parsed) ? now() : parsed;
}

async function readToken(request: HttpRequest, response: HttpResponse, now: () => number): Promise<Token> {
  if (response.status < 200 || response.status > 299) {
    await response.discard();
    throw statusError(request, response.status);
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse((await response.bytes(maxTokenResponseBytes)).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw malformed(request, response.status, 'answered with something that is not JSON');
  }
  const value = [body?.token, body?.access_token].find((field) => typeof field === 'string' && field !== '');
  if (typeof value !== 'string') throw malformed(request, response.status, 'answered without a token');
  return { value, expiresAt: issuedAtMs(body.issued_at, now) + lifetimeMs(body.expires_in) };
}

/** Refresh-token grant first; a registry without OAuth2 POST gets the token as a Basic password instead (as go-containerregistry does). */
async function exchangeIdentityToken(
  send: Send,
  realm: URL,
  request: TokenRequest,
  credential: { readonly username: string; readonly token: string },
  now: () => number,
): Promise<Token> {
  const post = refreshTokenRequest(realm, request, credential.token);
  const response = await sendOrExplain(send, post);
  if (!postUnsupportedStatuses.has(response.status)) return readToken(post, response, now);
  await response.discard();
  const get = getRequest(realm, request, basicAuthorization(credential.username, credential.token));
  return readToken(get, await sendOrExplain(send, get), now);
}

/**
 * Gets a bearer token for `scopes` from the challenge's realm with the credential's own method. Errors name the
 * endpoint and status, never a credential or a token.
 */
export async function fetchToken(send: Send, request: TokenRequest, now: () => number = Date.now): Promise<Token> {
  const credential = request.credential;
  if (credential.kind === 'registry-token') return { value: credential.token, expiresAt: Number.POSITIVE_INFINITY };
  const realm = checkRealm(request);
  if (credential.kind === 'identity-token') return exchangeIdentityToken(send, realm, request, credential, now);
  const authorization =
    credential.kind === 'basic' ? basicAuthorization(credential.username, credential.password) : undefined;
  const get = getRequest(realm, request, authorization);
  return readToken(get, await sendOrExplain(send, get), now);
}

interface CacheEntry {
  readonly pending: Promise<Token>;
  settled?: Token;
}

// Renew this long before expiry, so a token never runs out between being handed over and being used.
const renewalMarginMs = 10_000;

/**
 * Tokens of one registry client by key (the merged scopes they grant). Concurrent callers of a key share one fetch, so publishing to
 * five tags costs one token request; a failed fetch is forgotten so the next caller tries again.
 */
export class TokenCache {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(key: string, fetch: () => Promise<Token>): Promise<string> {
    const entry = this.entries.get(key);
    const usable = entry !== undefined && (entry.settled === undefined || this.isFresh(entry.settled));
    const token = await (usable ? entry.pending : this.start(key, fetch));
    return token.value;
  }

  invalidate(key: string): void {
    this.entries.delete(key);
  }

  private isFresh(token: Token): boolean {
    return token.expiresAt - this.now() >= renewalMarginMs;
  }

  private start(key: string, fetch: () => Promise<Token>): Promise<Token> {
    const pending = new Promise<Token>((resolve) => resolve(fetch()));
    const entry: CacheEntry = { pending };
    this.entries.set(key, entry);
    pending.then(
      (token) => {
        entry.settled = token;
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return pending;
  }
}
