import {
  consistencyDelays,
  defaultRetryPolicy,
  isRetryableOutcome,
  parseRetryAfter,
  retryDelay,
  type AttemptOutcome,
  type RetryPolicy,
} from '../../../src/oci/retry.js';

// Jitter fixed at its midpoint unless a case says otherwise: delay = ceiling/2 + 0.5 * ceiling/2 = 0.75 * ceiling.
const policy: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  maxRetryAfterMs: 10_000,
  random: () => 0.5,
};

const now = Date.parse('2026-11-23T12:00:00Z');

describe('retryDelay', () => {
  test.each([408, 429, 500, 502, 503, 504])('retries status %i with backoff', (status) => {
    expect(retryDelay(policy, 1, { status }, now)).toBe(75);
  });

  test.each([200, 201, 202, 204, 301, 400, 401, 403, 404, 405, 409, 412, 413, 416, 501, 505])(
    'does not retry status %i',
    (status) => {
      expect(retryDelay(policy, 1, { status }, now)).toBeUndefined();
    },
  );

  test.each([
    'ECONNRESET',
    'ECONNREFUSED',
    'EPIPE',
    'ETIMEDOUT',
    'EAI_AGAIN',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
    'UND_ERR_CLOSED',
  ])('retries the network error %s', (errorCode) => {
    expect(retryDelay(policy, 1, { errorCode }, now)).toBe(75);
  });

  test.each([
    'ENOTFOUND',
    'CERT_HAS_EXPIRED',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'UND_ERR_ABORTED',
    'INSECURE',
    'ABORT_ERR',
  ])('does not retry the network error %s, which a second attempt cannot cure', (errorCode) => {
    expect(retryDelay(policy, 1, { errorCode }, now)).toBeUndefined();
  });

  test('does not retry a failure that is neither a status nor a known error', () => {
    expect(retryDelay(policy, 1, {}, now)).toBeUndefined();
  });

  test.each([
    { maxAttempts: 4, attempt: 1, retried: true },
    { maxAttempts: 4, attempt: 3, retried: true },
    { maxAttempts: 4, attempt: 4, retried: false },
    { maxAttempts: 4, attempt: 9, retried: false },
    { maxAttempts: 2, attempt: 1, retried: true },
    { maxAttempts: 1, attempt: 1, retried: false },
  ])(
    'with maxAttempts $maxAttempts, after attempt $attempt it retries: $retried',
    ({ maxAttempts, attempt, retried }) => {
      const delay = retryDelay({ ...policy, maxAttempts }, attempt, { status: 503, retryAfter: '1' }, now);
      expect(delay !== undefined).toBe(retried);
    },
  );

  test.each([
    { attempt: 1, ceiling: 100 },
    { attempt: 2, ceiling: 200 },
    { attempt: 3, ceiling: 400 },
    { attempt: 4, ceiling: 800 },
    { attempt: 5, ceiling: 1_000 },
    { attempt: 12, ceiling: 1_000 },
    { attempt: 2_000, ceiling: 1_000 },
  ])('backs off exponentially up to maxDelayMs: attempt $attempt has ceiling $ceiling', ({ attempt, ceiling }) => {
    const unlimited = { ...policy, maxAttempts: Number.POSITIVE_INFINITY };
    expect(retryDelay({ ...unlimited, random: () => 0 }, attempt, { status: 503 }, now)).toBe(ceiling / 2);
    expect(retryDelay({ ...unlimited, random: () => 0.5 }, attempt, { status: 503 }, now)).toBe(0.75 * ceiling);
    expect(retryDelay({ ...unlimited, random: () => 0.999999 }, attempt, { status: 503 }, now)).toBe(ceiling);
  });

  test.each([0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999999])(
    'keeps the jitter within [ceiling/2, ceiling] for random() = %f',
    (random) => {
      for (let attempt = 1; attempt <= 6; attempt++) {
        const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
        const delay = retryDelay({ ...policy, maxAttempts: 10, random: () => random }, attempt, { status: 500 }, now);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    },
  );

  test('gives parallel clients different delays when their random() differs', () => {
    const delays = [0.1, 0.4, 0.8].map((value) => retryDelay({ ...policy, random: () => value }, 2, { status: 429 }));
    expect(new Set(delays).size).toBe(3);
  });

  test.each<{ outcome: AttemptOutcome; expected: number | undefined }>([
    { outcome: { status: 429, retryAfter: '1' }, expected: 1_000 },
    { outcome: { status: 503, retryAfter: '0' }, expected: 0 },
    { outcome: { status: 503, retryAfter: ' 7 ' }, expected: 7_000 },
    { outcome: { status: 429, retryAfter: '10' }, expected: 10_000 },
    { outcome: { status: 429, retryAfter: '11' }, expected: undefined },
    { outcome: { status: 429, retryAfter: '86400' }, expected: undefined },
    { outcome: { status: 503, retryAfter: 'Mon, 23 Nov 2026 12:00:05 GMT' }, expected: 5_000 },
    { outcome: { status: 503, retryAfter: 'Mon, 23 Nov 2026 11:59:00 GMT' }, expected: 0 },
    { outcome: { status: 503, retryAfter: 'Mon, 23 Nov 2026 12:00:10 GMT' }, expected: 10_000 },
    { outcome: { status: 503, retryAfter: 'Mon, 23 Nov 2026 12:00:11 GMT' }, expected: undefined },
    { outcome: { status: 403, retryAfter: '1' }, expected: undefined },
    { outcome: { status: 404, retryAfter: 'Mon, 23 Nov 2026 12:00:05 GMT' }, expected: undefined },
  ])('honours Retry-After up to maxRetryAfterMs: $outcome -> $expected', ({ outcome, expected }) => {
    expect(retryDelay(policy, 1, outcome, now)).toBe(expected);
  });

  test.each(['soon', '1.5', '-1', 'abc 1', '2026-11-23', '1e3'])(
    'falls back to backoff when Retry-After is the malformed %j',
    (retryAfter) => {
      expect(retryDelay(policy, 2, { status: 503, retryAfter }, now)).toBe(150);
    },
  );

  test('the default policy makes five attempts and stops waiting beyond a minute', () => {
    expect(retryDelay(defaultRetryPolicy, 4, { status: 503 }, now)).toBeDefined();
    expect(retryDelay(defaultRetryPolicy, 5, { status: 503 }, now)).toBeUndefined();
    expect(retryDelay(defaultRetryPolicy, 1, { status: 429, retryAfter: '60' }, now)).toBe(60_000);
    expect(retryDelay(defaultRetryPolicy, 1, { status: 429, retryAfter: '61' }, now)).toBeUndefined();
  });
});

describe('isRetryableOutcome', () => {
  test.each<{ outcome: AttemptOutcome; retryable: boolean }>([
    { outcome: { status: 503 }, retryable: true },
    { outcome: { status: 404 }, retryable: false },
    { outcome: { errorCode: 'ECONNRESET' }, retryable: true },
    // A network error decides alone: a status alongside it does not make an unknown error retryable.
    { outcome: { errorCode: 'ENOTFOUND', status: 503 }, retryable: false },
    { outcome: {}, retryable: false },
  ])('$outcome is retryable: $retryable', ({ outcome, retryable }) => {
    expect(isRetryableOutcome(outcome)).toBe(retryable);
  });
});

describe('parseRetryAfter', () => {
  test.each<{ value: string | undefined; expected: number | undefined }>([
    { value: undefined, expected: undefined },
    { value: '', expected: undefined },
    { value: '   ', expected: undefined },
    { value: '0', expected: 0 },
    { value: '1', expected: 1_000 },
    { value: '120', expected: 120_000 },
    { value: '\t3 ', expected: 3_000 },
    // IMF-fixdate, the preferred form (RFC 9110 §5.6.7)
    { value: 'Mon, 23 Nov 2026 12:00:30 GMT', expected: 30_000 },
    // the obsolete RFC 850 and asctime forms a recipient must still accept
    { value: 'Monday, 23-Nov-26 12:01:00 GMT', expected: 60_000 },
    { value: 'Mon Nov 23 12:00:02 2026', expected: 2_000 },
    { value: 'Sun, 06 Nov 1994 08:49:37 GMT', expected: 0 },
    { value: '1.5', expected: undefined },
    { value: '-1', expected: undefined },
    { value: '+5', expected: undefined },
    { value: '5 seconds', expected: undefined },
    { value: 'abc 1', expected: undefined },
    { value: '2026-11-23T12:00:30Z', expected: undefined },
    { value: 'Mon, 32 Nov 2026 12:00:30 GMT', expected: undefined },
  ])('reads $value as $expected ms', ({ value, expected }) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('consistencyDelays', () => {
  test.each<{ totalMs: number; firstMs?: number; expected: number[] }>([
    { totalMs: 0, expected: [] },
    { totalMs: 249, expected: [] },
    { totalMs: 250, expected: [250] },
    { totalMs: 749, expected: [250] },
    { totalMs: 750, expected: [250, 500] },
    { totalMs: 1_000, expected: [250, 500] },
    { totalMs: 1_750, expected: [250, 500, 1_000] },
    { totalMs: 10_000, expected: [250, 500, 1_000, 2_000, 4_000] },
    { totalMs: 1_000, firstMs: 100, expected: [100, 200, 400] },
    { totalMs: 1_000, firstMs: 2_000, expected: [] },
  ])('waits $expected within $totalMs ms starting at $firstMs', ({ totalMs, firstMs, expected }) => {
    const delays = consistencyDelays(totalMs, firstMs);
    expect(delays).toEqual(expected);
    expect(delays.reduce((sum, delay) => sum + delay, 0)).toBeLessThanOrEqual(totalMs);
  });

  test.each([0, -1, Number.NaN])('refuses a first delay of %f, which could never grow', (firstMs) => {
    expect(() => consistencyDelays(1_000, firstMs)).toThrow(RangeError);
  });
});
