import { OciError, redactUrl, type OciErrorCode } from './errors.js';
import type { HttpRequest, HttpResponse, Send } from './http.js';
import { withLimit } from './transport.js';
import { isLoopbackRegistry } from './reference.js';
import {
  profileForChallenge,
  profileForHost,
  profileOf,
  registryApiHost,
  type RegistryFamily,
  type RegistryProfile,
} from './registries/profiles.js';
import type { Credential, Keychain } from './auth/credentials.js';
import { mergeScopes, parseChallenges, parseScopes, pickChallenge, type Challenge } from './auth/challenge.js';
import { fetchToken, TokenCache } from './auth/token.js';
import { silentLogger, type Logger } from './logger.js';

export interface RegistryRequest {
  readonly method: HttpRequest['method'];
  /** A path under the registry (`/v2/o/app/manifests/1.0`), or a full URL an upload session handed out. */
  readonly path: string | URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: HttpRequest['body'];
  /** The token scopes this request needs (`repository:o/app:pull,push`). */
  readonly scopes: readonly string[];
  /** A 401 is this request's answer (a refused mount), not a cue to renew the token and send it again. */
  readonly challengeIsAnswer?: boolean;
}

export interface ClientOptions {
  readonly send: Send;
  readonly keychain: Keychain;
  readonly logger?: Logger;
  /** Registries the user allows over plain HTTP; loopback ones always are. */
  readonly insecure?: boolean;
  /** Requests in flight to this registry at once. */
  readonly concurrency?: number;
  /** The family the registry belongs to, when the caller knows better than its host name and challenge tell. */
  readonly family?: RegistryFamily;
}

type AuthScheme =
  | { readonly kind: 'none' }
  | { readonly kind: 'basic' }
  | { readonly kind: 'bearer'; readonly realm: string; readonly service?: string };

/**
 * One registry host: its base URL, how it wants to be authenticated (learnt from the first 401, once), its tokens per
 * scope set and its concurrency limit. Knows nothing of repositories beyond the scopes a request names.
 */
export class RegistryClient {
  readonly registry: string;
  readonly baseUrl: URL;
  private readonly send: Send;
  private readonly keychain: Keychain;
  private readonly logger: Logger;
  private readonly plainHttpAllowed: boolean;
  private readonly tokens = new TokenCache();
  private readonly scopeHints = new Set<string>();
  private scheme: AuthScheme | undefined;
  private discovery: Promise<void> | undefined;
  private credential: Promise<Credential> | undefined;
  private knownProfile: RegistryProfile;
  private readonly familyGiven: boolean;

  constructor(registry: string, options: ClientOptions) {
    this.registry = registry;
    this.familyGiven = options.family !== undefined;
    this.knownProfile = options.family !== undefined ? profileOf(options.family) : profileForHost(registry);
    this.plainHttpAllowed = isLoopbackRegistry(registry) || options.insecure === true;
    this.baseUrl = new URL(`${this.plainHttpAllowed ? 'http' : 'https'}://${registryApiHost(registry)}`);
    this.send = withLimit(options.send, options.concurrency ?? 32);
    this.keychain = options.keychain;
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * What this registry's family is known to do: from its host name, or, for a self-hosted family,
   * from the token challenge of its first 401.
   */
  get profile(): RegistryProfile {
    return this.knownProfile;
  }

  /**
   * Scopes to ask for in every token from now on, so that one token covers a whole publish (push on the target, pull
   * on every mount source) instead of one auth round per operation.
   */
  hintScopes(scopes: readonly string[]): void {
    for (const scope of scopes) this.scopeHints.add(scope);
  }

  async request(req: RegistryRequest): Promise<HttpResponse> {
    if (this.scheme === undefined) {
      if (this.discovery === undefined && !isOneShot(req) && (await this.isAnonymous())) return this.unannounced(req);
      if (this.discovery === undefined) return this.discoverWith(req);
      await this.discovery;
    }
    return this.authorized(req, false);
  }

  private async isAnonymous(): Promise<boolean> {
    return (await this.resolveCredential()).kind === 'anonymous';
  }

  /**
   * With no credential for this registry it most likely needs none (a mirror, a local registry, public pulls), so
   * requests do not queue behind a discovery round: each goes out at once, and one that is challenged learns the
   * scheme from its 401 and is sent again, which is what a queued request would have cost anyway.
   */
  private async unannounced(req: RegistryRequest): Promise<HttpResponse> {
    return (await this.discover(req)) ?? this.authorized(req, true);
  }

  private async discoverWith(req: RegistryRequest): Promise<HttpResponse> {
    // A stream can be sent only once, so a request carrying one must not be the one that gets challenged: ping instead.
    const probe: RegistryRequest = isOneShot(req) ? { method: 'GET', path: '/v2/', scopes: req.scopes } : req;
    const discovery = this.discover(probe).then(async (response) => {
      if (probe === req || response === undefined) return response;
      await response.discard();
      return undefined;
    });
    const shared = discovery.then(() => undefined);
    this.discovery = shared;
    // A failed discovery (registry down for longer than the retries) is not remembered: the next request asks again.
    shared.catch(() => {
      if (this.discovery === shared) this.discovery = undefined;
    });
    return (await discovery) ?? this.authorized(req, false);
  }

  /**
   * Sends `req` without credentials and learns the scheme from the answer: its response when it was not challenged,
   * undefined after a 401 (whose challenge set the scheme). Several unannounced requests may learn at once.
   */
  private async discover(req: RegistryRequest): Promise<HttpResponse | undefined> {
    const response = await this.send(this.toHttp(req, undefined));
    if (response.status !== 401) {
      this.scheme ??= { kind: 'none' };
      return response;
    }
    const challenge = pickChallenge(parseChallenges(response.headerValues('www-authenticate')));
    await response.discard();
    if (this.scheme === undefined || this.scheme.kind === 'none') this.learnScheme(challenge);
    for (const scope of parseScopes(challenge?.params.scope)) this.scopeHints.add(scope);
    return undefined;
  }

  private learnScheme(challenge: Challenge | undefined): void {
    const scheme = toScheme(challenge, this.registry);
    this.scheme = scheme;
    if (scheme.kind !== 'bearer' || this.familyGiven || this.knownProfile.hosts !== undefined) return;
    this.knownProfile = profileForChallenge(scheme.realm, scheme.service) ?? this.knownProfile;
  }

  private async authorized(req: RegistryRequest, isRetry: boolean): Promise<HttpResponse> {
    const key = this.tokenKey(req.scopes);
    const authorization = await this.authorization(req.scopes);
    const response = await this.send(this.toHttp(req, authorization));
    if (response.status !== 401 || isRetry || isOneShot(req) || req.challengeIsAnswer) return response;
    if (!(await this.learnFrom(response, key))) return response;
    return this.authorized(req, true);
  }

  /** After a 401: whether a second attempt can do better, having learnt what the challenge says. */
  private async learnFrom(response: HttpResponse, key: string): Promise<boolean> {
    const challenge = pickChallenge(parseChallenges(response.headerValues('www-authenticate')));
    const scheme = this.scheme;
    // Registries that serve reads anonymously (nginx limit_except, some repository managers) challenge only a write; the
    // discovery request then saw no 401, so the scheme is learnt here.
    const learnsScheme = scheme?.kind === 'none' && challenge !== undefined;
    // A token may have expired early or lack a scope the registry asks for: one fresh token, then the answer stands.
    if (!learnsScheme && scheme?.kind !== 'bearer') return false;
    await response.discard();
    if (learnsScheme) this.learnScheme(challenge);
    else this.tokens.invalidate(key);
    for (const scope of parseScopes(challenge?.params.scope)) this.scopeHints.add(scope);
    return true;
  }

  private async authorization(scopes: readonly string[]): Promise<string | undefined> {
    const scheme = this.scheme;
    if (scheme === undefined || scheme.kind === 'none') return undefined;
    const credential = await this.resolveCredential();
    if (scheme.kind === 'basic') {
      if (credential.kind !== 'basic') return undefined;
      this.requireSecureForCredentials();
      return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
    }
    const allScopes = this.allScopes(scopes);
    const token = await this.tokens.get(this.tokenKey(scopes), async () => {
      const fetched = await fetchToken(this.send, {
        realm: scheme.realm,
        service: scheme.service,
        scopes: allScopes,
        credential,
        allowInsecure: this.plainHttpAllowed || isLoopbackRegistry(new URL(scheme.realm).host),
      });
      this.logger.secret(fetched.value);
      return fetched;
    });
    return `Bearer ${token}`;
  }

  private resolveCredential(): Promise<Credential> {
    if (this.credential === undefined) {
      const pending = this.keychain.resolve(this.registry);
      this.credential = pending;
      // A failed lookup (a credential helper that timed out) is asked again by the next request, not kept for good.
      pending.catch(() => {
        if (this.credential === pending) this.credential = undefined;
      });
    }
    return this.credential;
  }

  private requireSecureForCredentials(): void {
    if (this.baseUrl.protocol === 'https:' || this.plainHttpAllowed) return;
    throw new OciError({
      code: 'INSECURE',
      message: 'refused to send credentials over plain HTTP',
      registry: this.registry,
    });
  }

  private allScopes(scopes: readonly string[]): string[] {
    return mergeScopes([...this.scopeHints, ...scopes]);
  }

  private tokenKey(scopes: readonly string[]): string {
    return this.allScopes(scopes).join(' ');
  }

  private toHttp(req: RegistryRequest, authorization: string | undefined): HttpRequest {
    const url = typeof req.path === 'string' ? new URL(req.path, this.baseUrl) : req.path;
    const headers = { ...req.headers };
    // Only ever to this registry's own origin; an upload Location on another host gets no credentials.
    if (authorization !== undefined && url.origin === this.baseUrl.origin) headers.authorization = authorization;
    return { method: req.method, url, headers, body: req.body };
  }
}

/** A plain stream body is consumed by sending it; a Buffer or a stream factory can be sent again. */
function isOneShot(req: RegistryRequest): boolean {
  return req.body !== undefined && !Buffer.isBuffer(req.body) && typeof req.body !== 'function';
}

function toScheme(challenge: Challenge | undefined, registry: string): AuthScheme {
  if (challenge?.scheme === 'bearer' && challenge.params.realm) {
    return { kind: 'bearer', realm: challenge.params.realm, service: challenge.params.service };
  }
  if (challenge?.scheme === 'basic') return { kind: 'basic' };
  throw new OciError({
    code: 'UNAUTHORIZED',
    message: `${registry} asks for authentication in a way this client does not support (${challenge?.scheme ?? 'no challenge'})`,
    registry,
  });
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
  client: Pick<RegistryClient, 'registry' | 'profile'>,
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
function rateLimits(response: HttpResponse, profile: RegistryProfile): string {
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
