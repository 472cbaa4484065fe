import {
  TokenCache,
  type Token,
  basicAuthorization,
  fetchToken,
  type TokenRequest,
} from '../../../../src/oci/auth/token.js';
import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import {
  anonymous,
  basicCredential,
  identityTokenCredential,
  registryTokenCredential,
  type Credential,
} from '../../../../src/oci/auth/credentials.js';
import { OciError } from '../../../../src/oci/errors.js';
import type { HttpRequest, HttpResponse, Send } from '../../../../src/oci/http.js';

const now = 1_700_000_000_000;
const clock = (): number => now;
const password = 'pa55word-secret';
const refreshToken = 'refresh-token-secret';
const issuedToken = 'issued-token-secret';

interface Reply {
  readonly status: number;
  readonly body?: unknown;
}

function httpResponse(request: HttpRequest, reply: Reply, discarded: HttpRequest[]): HttpResponse {
  const bytes = Buffer.from(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {}), 'utf8');
  return {
    status: reply.status,
    url: request.url,
    header: () => undefined,
    headerValues: () => [],
    bytes: () => Promise.resolve(bytes),
    stream: () => Readable.from(bytes),
    discard: () => {
      discarded.push(request);
      return Promise.resolve();
    },
  };
}

/** A send that answers with `replies` in order and remembers what it was asked. */
function scripted(...replies: Reply[]): { send: Send; requests: HttpRequest[]; discarded: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  const discarded: HttpRequest[] = [];
  const send: Send = (request) => {
    requests.push(request);
    const reply = replies[requests.length - 1];
    if (reply === undefined) throw new Error(`unexpected request ${requests.length}: ${request.method} ${request.url}`);
    return Promise.resolve(httpResponse(request, reply, discarded));
  };
  return { send, requests, discarded };
}

const ok: Reply = { status: 200, body: { token: issuedToken, expires_in: 300 } };

function tokenRequest(credential: Credential, overrides: Partial<TokenRequest> = {}): TokenRequest {
  return {
    realm: 'https://auth.example/token',
    service: 'registry.example',
    scopes: ['repository:o/app:pull,push', 'repository:o/base:pull'],
    credential,
    ...overrides,
  };
}

function formOf(request: HttpRequest): Record<string, string> {
  return Object.fromEntries(new URLSearchParams((request.body as Buffer).toString('utf8')));
}

async function failure(promise: Promise<unknown>): Promise<OciError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(OciError);
  return error as OciError;
}

function expectNoSecret(error: OciError): void {
  const printed = `${error.message} ${JSON.stringify(error)} ${inspect(error, { depth: 5 })}`;
  for (const secret of [password, refreshToken, issuedToken, Buffer.from(`alice:${password}`).toString('base64')]) {
    expect(printed).not.toContain(secret);
  }
}

describe('fetchToken request shapes', () => {
  test('sends GET with Basic, the service and one scope parameter per scope', async () => {
    const { send, requests } = scripted(ok);
    await fetchToken(send, tokenRequest(basicCredential('alice', password)), clock);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request!.method).toBe('GET');
    expect(request!.url.origin + request!.url.pathname).toBe('https://auth.example/token');
    expect(request!.url.searchParams.get('service')).toBe('registry.example');
    expect(request!.url.searchParams.getAll('scope')).toEqual(['repository:o/app:pull,push', 'repository:o/base:pull']);
    expect(request!.headers?.authorization).toBe(`Basic ${Buffer.from(`alice:${password}`).toString('base64')}`);
    expect(request!.body).toBeUndefined();
  });

  test('sends GET without Authorization for an anonymous credential', async () => {
    const { send, requests } = scripted(ok);
    await fetchToken(send, tokenRequest(anonymous), clock);
    expect(requests[0]!.method).toBe('GET');
    expect(requests[0]!.headers?.authorization).toBeUndefined();
  });

  test('leaves out service and scope when there are none and keeps a query the realm already has', async () => {
    const { send, requests } = scripted(ok);
    await fetchToken(
      send,
      tokenRequest(anonymous, { realm: 'https://auth.example/token?tenant=t1', service: undefined, scopes: [] }),
      clock,
    );
    expect([...requests[0]!.url.searchParams]).toEqual([['tenant', 't1']]);
  });

  test('exchanges an identity token with the OAuth2 refresh-token POST', async () => {
    const { send, requests } = scripted(ok);
    await fetchToken(
      send,
      tokenRequest(identityTokenCredential('00000000-0000-0000-0000-000000000000', refreshToken)),
      clock,
    );
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request!.method).toBe('POST');
    expect(request!.url.href).toBe('https://auth.example/token');
    expect(request!.headers?.['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request!.headers?.authorization).toBeUndefined();
    expect(formOf(request!)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: 'multiarch-publish',
      service: 'registry.example',
      scope: 'repository:o/app:pull,push repository:o/base:pull',
    });
  });

  test.each([400, 401, 404, 405])(
    'falls back to GET with Basic username:token when the POST answers %i',
    async (status) => {
      const { send, requests, discarded } = scripted({ status }, ok);
      const token = await fetchToken(send, tokenRequest(identityTokenCredential('<token>', refreshToken)), clock);
      expect(token.value).toBe(issuedToken);
      expect(requests.map((request) => request.method)).toEqual(['POST', 'GET']);
      expect(discarded).toEqual([requests[0]]);
      expect(requests[1]!.headers?.authorization).toBe(basicAuthorization('<token>', refreshToken));
      expect(requests[1]!.url.searchParams.getAll('scope')).toHaveLength(2);
    },
  );

  test.each<[number, string]>([
    [403, 'UNAUTHORIZED'],
    [500, 'SERVER_ERROR'],
  ])('does not fall back when the POST answers %i', async (status, code) => {
    const { send, requests } = scripted({ status });
    const error = await failure(
      fetchToken(send, tokenRequest(identityTokenCredential('<token>', refreshToken)), clock),
    );
    expect(error.code).toBe(code);
    expect(requests).toHaveLength(1);
  });

  test('uses a registry token as it is, without any request', async () => {
    const { send, requests } = scripted();
    const token = await fetchToken(send, tokenRequest(registryTokenCredential('direct-token')), clock);
    expect(token).toEqual({ value: 'direct-token', expiresAt: Number.POSITIVE_INFINITY });
    expect(requests).toHaveLength(0);
  });
});

describe('fetchToken reads the token response', () => {
  const issuedAt = '2023-11-14T22:00:00Z';
  test.each<[string, unknown, { value: string; expiresAt: number }]>([
    ['token', { token: 'a' }, { value: 'a', expiresAt: now + 60_000 }],
    ['access_token', { access_token: 'b' }, { value: 'b', expiresAt: now + 60_000 }],
    ['token before access_token', { token: 'a', access_token: 'b' }, { value: 'a', expiresAt: now + 60_000 }],
    ['access_token when token is empty', { token: '', access_token: 'b' }, { value: 'b', expiresAt: now + 60_000 }],
    ['expires_in', { token: 'a', expires_in: 300 }, { value: 'a', expiresAt: now + 300_000 }],
    ['an expires_in below 60 s as 60 s', { token: 'a', expires_in: 5 }, { value: 'a', expiresAt: now + 60_000 }],
    [
      'an expires_in that is not a number as 60 s',
      { token: 'a', expires_in: '300' },
      { value: 'a', expiresAt: now + 60_000 },
    ],
    [
      'issued_at as the start of the lifetime',
      { token: 'a', expires_in: 120, issued_at: issuedAt },
      { value: 'a', expiresAt: Date.parse(issuedAt) + 120_000 },
    ],
    [
      'an unparseable issued_at as now',
      { token: 'a', issued_at: 'yesterday' },
      { value: 'a', expiresAt: now + 60_000 },
    ],
  ])('takes %s', async (_name, body, expected) => {
    const { send } = scripted({ status: 200, body });
    expect(await fetchToken(send, tokenRequest(anonymous), clock)).toEqual(expected);
  });

  test.each<[string, unknown]>([
    ['is not JSON', `<html>${issuedToken}</html>`],
    ['has no token', { tokn: issuedToken }],
    ['is JSON null', 'null'],
  ])('reports a body that %s as SERVER_ERROR without quoting it', async (_name, body) => {
    const { send } = scripted({ status: 200, body });
    const error = await failure(fetchToken(send, tokenRequest(basicCredential('alice', password)), clock));
    expect(error.code).toBe('SERVER_ERROR');
    expectNoSecret(error);
  });
});

describe('fetchToken failures', () => {
  test.each<[string, Credential]>([
    ['basic', basicCredential('alice', password)],
    ['anonymous', anonymous],
    ['identity-token', identityTokenCredential('<token>', refreshToken)],
  ])('refuses a plain-http realm for a %s credential before sending anything', async (_name, credential) => {
    const { send, requests } = scripted(ok);
    const error = await failure(
      fetchToken(send, tokenRequest(credential, { realm: 'http://auth.example/token' }), clock),
    );
    expect(error.code).toBe('INSECURE');
    expect(requests).toHaveLength(0);
    expectNoSecret(error);
  });

  test('uses a plain-http realm when the registry is allowed to be insecure', async () => {
    const { send, requests } = scripted(ok);
    const request = tokenRequest(basicCredential('alice', password), {
      realm: 'http://127.0.0.1:5000/token',
      allowInsecure: true,
    });
    expect((await fetchToken(send, request, clock)).value).toBe(issuedToken);
    expect(requests[0]!.url.protocol).toBe('http:');
  });

  test.each<[number, string, boolean]>([
    [401, 'UNAUTHORIZED', false],
    [403, 'UNAUTHORIZED', false],
    [404, 'SERVER_ERROR', false],
    [429, 'TOO_MANY_REQUESTS', true],
    [500, 'SERVER_ERROR', true],
    [503, 'SERVER_ERROR', true],
  ])('reports status %i as %s with the request facts and no secret', async (status, code, retryable) => {
    const { send, discarded } = scripted({ status, body: { details: 'nope' } });
    const error = await failure(fetchToken(send, tokenRequest(basicCredential('alice', password)), clock));
    expect(error).toMatchObject({
      code,
      status,
      retryable,
      registry: 'auth.example',
      method: 'GET',
      url: 'https://auth.example/token',
    });
    expect(discarded).toHaveLength(1);
    expectNoSecret(error);
  });

  test('reports a send that got no response as UNREACHABLE', async () => {
    const send: Send = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1'));
    const error = await failure(fetchToken(send, tokenRequest(basicCredential('alice', password)), clock));
    expect(error).toMatchObject({ code: 'UNREACHABLE', registry: 'auth.example', retryable: true });
    expectNoSecret(error);
  });

  test("passes the transport's own OciError through unchanged", async () => {
    const insecureRedirect = new OciError({ code: 'INSECURE', message: 'refused a redirect from HTTPS to http://x/' });
    const send: Send = () => Promise.reject(insecureRedirect);
    expect(await failure(fetchToken(send, tokenRequest(anonymous), clock))).toBe(insecureRedirect);
  });

  test('reports a realm that is not a URL as SERVER_ERROR before sending anything', async () => {
    const { send, requests } = scripted(ok);
    const error = await failure(fetchToken(send, tokenRequest(anonymous, { realm: '/token' }), clock));
    expect(error.code).toBe('SERVER_ERROR');
    expect(requests).toHaveLength(0);
  });
});

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000): { now: () => number; set(value: number): void } {
  let current = start;
  return {
    now: () => current,
    set: (value) => {
      current = value;
    },
  };
}

/** A fetch that hands out token-1, token-2, ... each living `lifetimeMs` from the clock's now. */
function countingFetch(now: () => number, lifetimeMs = 60_000): { fetch: () => Promise<Token>; calls: () => number } {
  let calls = 0;
  return {
    fetch: () => {
      calls++;
      return Promise.resolve({ value: `token-${calls}`, expiresAt: now() + lifetimeMs });
    },
    calls: () => calls,
  };
}

describe('TokenCache', () => {
  test('shares one fetch between concurrent callers of one key', async () => {
    const cache = new TokenCache(manualClock().now);
    const pending = deferred<Token>();
    let calls = 0;
    const fetch = (): Promise<Token> => {
      calls++;
      return pending.promise;
    };
    const callers = Promise.all([cache.get('k', fetch), cache.get('k', fetch), cache.get('k', fetch)]);
    pending.resolve({ value: 'shared', expiresAt: Number.POSITIVE_INFINITY });
    expect(await callers).toEqual(['shared', 'shared', 'shared']);
    expect(calls).toBe(1);
  });

  test('fetches separately for different keys', async () => {
    const clock = manualClock();
    const cache = new TokenCache(clock.now);
    const { fetch, calls } = countingFetch(clock.now);
    expect(await Promise.all([cache.get('a', fetch), cache.get('b', fetch)])).toEqual(['token-1', 'token-2']);
    expect(calls()).toBe(2);
  });

  test.each<[string, number, string, number]>([
    ['keeps a token with more than 10 s left', 60_000 - 10_001, 'token-1', 1],
    ['keeps a token with exactly 10 s left', 60_000 - 10_000, 'token-1', 1],
    ['renews a token with less than 10 s left', 60_000 - 9_999, 'token-2', 2],
    ['renews an expired token', 120_000, 'token-2', 2],
  ])('%s', async (_name, elapsedMs, expected, expectedCalls) => {
    const clock = manualClock();
    const cache = new TokenCache(clock.now);
    const { fetch, calls } = countingFetch(clock.now);
    expect(await cache.get('k', fetch)).toBe('token-1');
    clock.set(clock.now() + elapsedMs);
    expect(await cache.get('k', fetch)).toBe(expected);
    expect(calls()).toBe(expectedCalls);
  });

  test('shares one renewal between concurrent callers of a stale token', async () => {
    const clock = manualClock();
    const cache = new TokenCache(clock.now);
    const { fetch, calls } = countingFetch(clock.now);
    await cache.get('k', fetch);
    clock.set(clock.now() + 55_000);
    expect(await Promise.all([cache.get('k', fetch), cache.get('k', fetch)])).toEqual(['token-2', 'token-2']);
    expect(calls()).toBe(2);
  });

  test('never renews a token that does not expire', async () => {
    const clock = manualClock();
    const cache = new TokenCache(clock.now);
    let calls = 0;
    const fetch = (): Promise<Token> => {
      calls++;
      return Promise.resolve({ value: 'registry-token', expiresAt: Number.POSITIVE_INFINITY });
    };
    await cache.get('k', fetch);
    clock.set(Number.MAX_SAFE_INTEGER);
    expect(await cache.get('k', fetch)).toBe('registry-token');
    expect(calls).toBe(1);
  });

  test('gives a failed fetch to every waiting caller and does not keep it', async () => {
    const clock = manualClock();
    const cache = new TokenCache(clock.now);
    const failing = deferred<Token>();
    const first = cache.get('k', () => failing.promise);
    const second = cache.get('k', () => Promise.reject(new Error('must not be called')));
    failing.reject(new Error('token endpoint down'));
    await expect(first).rejects.toThrow('token endpoint down');
    await expect(second).rejects.toThrow('token endpoint down');
    const { fetch, calls } = countingFetch(clock.now);
    expect(await cache.get('k', fetch)).toBe('token-1');
    expect(calls()).toBe(1);
  });

  test('turns a fetch that throws synchronously into a rejection', async () => {
    const cache = new TokenCache(manualClock().now);
    const fetch = (): Promise<Token> => {
      throw new Error('sync failure');
    };
    await expect(cache.get('k', fetch)).rejects.toThrow('sync failure');
  });

  test('fetches again after invalidate, even while the old token is fresh', async () => {
    const clock = manualClock();
    const cache = new TokenCache(clock.now);
    const { fetch, calls } = countingFetch(clock.now);
    await cache.get('k', fetch);
    cache.invalidate('k');
    expect(await cache.get('k', fetch)).toBe('token-2');
    expect(calls()).toBe(2);
  });

  test('keeps a renewal that finished after an invalidate from being dropped by the old fetch failing', async () => {
    const clock = manualClock();
    const cache = new TokenCache(clock.now);
    const old = deferred<Token>();
    const first = cache.get('k', () => old.promise);
    cache.invalidate('k');
    const { fetch, calls } = countingFetch(clock.now);
    expect(await cache.get('k', fetch)).toBe('token-1');
    old.reject(new Error('late failure'));
    await expect(first).rejects.toThrow('late failure');
    expect(await cache.get('k', fetch)).toBe('token-1');
    expect(calls()).toBe(1);
  });
});
