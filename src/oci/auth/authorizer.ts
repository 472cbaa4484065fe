import { OciError } from '../errors.js';
import type { HttpRequest, HttpResponse, Send } from '../http.js';
import type { Logger } from '../logger.js';
import { isLoopbackRegistry } from '../reference.js';
import { mergeScopes, parseChallenges, parseScopes, pickChallenge, type Challenge } from './challenge.js';
import type { Credential, Keychain } from './credentials.js';
import { basicAuthorization, fetchToken, TokenCache } from './token.js';

/**
 * How one registry wants to be authenticated (learnt from its first 401, once), the credential the keychain has for
 * it, and its tokens per scope set: go-containerregistry's transport.New, which pings, picks the scheme and wraps the
 * transport in basic or bearer. A request is a value; this adds the Authorization header and nothing else.
 */
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

export interface AuthorizerOptions {
  readonly registry: string;
  /** Where the registry's API is served; credentials go to this origin only. */
  readonly baseUrl: URL;
  readonly send: Send;
  readonly keychain: Keychain;
  readonly logger: Logger;
  /** Plain HTTP is allowed to carry credentials (a loopback registry, or one the user marked insecure). */
  readonly plainHttpAllowed: boolean;
  /** Told the realm and service of a bearer challenge: a self-hosted registry family shows itself there. */
  readonly onBearer?: (realm: string, service: string | undefined) => void;
}

type AuthScheme =
  | { readonly kind: 'none' }
  | { readonly kind: 'basic' }
  | { readonly kind: 'bearer'; readonly realm: string; readonly service?: string };

export class Authorizer {
  private readonly registry: string;
  private readonly baseUrl: URL;
  private readonly send: Send;
  private readonly keychain: Keychain;
  private readonly logger: Logger;
  private readonly plainHttpAllowed: boolean;
  private readonly onBearer: AuthorizerOptions['onBearer'];
  private readonly tokens = new TokenCache();
  private readonly scopeHints = new Set<string>();
  private scheme: AuthScheme | undefined;
  private discovery: Promise<void> | undefined;
  private credential: Promise<Credential> | undefined;

  constructor(options: AuthorizerOptions) {
    this.registry = options.registry;
    this.baseUrl = options.baseUrl;
    this.send = options.send;
    this.keychain = options.keychain;
    this.logger = options.logger;
    this.plainHttpAllowed = options.plainHttpAllowed;
    this.onBearer = options.onBearer;
  }

  /**
   * Scopes to ask for in every token from now on, so that one token covers a whole publish (push on the target, pull
   * on every mount source) instead of one auth round per operation.
   */
  hintScopes(scopes: readonly string[]): void {
    for (const scope of scopes) this.scopeHints.add(scope);
  }

  /** Sends the request with the credentials the registry asks for, learning how on the first challenge. */
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
    if (scheme.kind === 'bearer') this.onBearer?.(scheme.realm, scheme.service);
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
      return basicAuthorization(credential.username, credential.password);
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
