import { TokenCache, type Token } from '../../../../src/oci/auth/token.js';

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
