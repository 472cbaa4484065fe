/**
 * When to try a registry request again, as a pure function of what happened, so the policy is tested by tables and
 * the transport only sleeps and resends.
 */
export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the failure is reported instead. */
  readonly maxRetryAfterMs: number;
  /** In [0, 1); injected so tests can fix the jitter. */
  readonly random: () => number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 60_000,
  random: Math.random,
};

export interface AttemptOutcome {
  readonly status?: number;
  readonly retryAfter?: string;
  /** The network error code when no response came (ECONNRESET, UND_ERR_SOCKET, ...). */
  readonly errorCode?: string;
}

const retryableStatuses = new Set([408, 429, 500, 502, 503, 504]);

// Errors a second attempt can cure; ENOTFOUND and certificate errors are left out: they only waste the user's time.
const retryableErrorCodes = new Set([
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
]);

export function isRetryableOutcome(outcome: AttemptOutcome): boolean {
  if (outcome.errorCode !== undefined) return retryableErrorCodes.has(outcome.errorCode);
  return outcome.status !== undefined && retryableStatuses.has(outcome.status);
}

/**
 * The delay in ms before the next attempt, or undefined to stop. `attempt` counts the attempts made so far (1 after
 * the first). Retry-After (seconds or an HTTP date) is honoured; otherwise exponential backoff with jitter, so that
 * parallel jobs hitting one registry do not retry in lockstep.
 */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  outcome: AttemptOutcome,
  now: number = Date.now(),
): number | undefined {
  if (attempt >= policy.maxAttempts || !isRetryableOutcome(outcome)) return undefined;
  const requested = parseRetryAfter(outcome.retryAfter, now);
  if (requested !== undefined) return requested > policy.maxRetryAfterMs ? undefined : requested;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + policy.random() * (ceiling / 2));
}

// Every HTTP-date form (RFC 9110 §5.6.7: IMF-fixdate, RFC 850, asctime) names a month and gives hh:mm:ss. V8's lenient
// Date.parse turns other text into some date too ('1.5' is 2001-01-05), which would read as "retry now".
const httpDateShape = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\b.*\b\d{2}:\d{2}:\d{2}\b/i;

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when malformed. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!httpDateShape.test(text)) return undefined;
  // asctime carries no zone and means GMT; Date.parse would read it as local time.
  const date = Date.parse(/(GMT|UTC|[+-]\d{4})$/i.test(text) ? text : `${text} GMT`);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** The pauses of a short bounded wait for content written moments before (oci/registries has how long per family). */
export function consistencyDelays(totalMs: number, firstMs = 250): number[] {
  // Doubling zero never grows: the loop below would not end.
  if (!(firstMs > 0)) throw new RangeError(`consistencyDelays: firstMs must be positive, got ${firstMs}`);
  const delays: number[] = [];
  let spent = 0;
  for (let next = firstMs; spent + next <= totalMs; next *= 2) {
    delays.push(next);
    spent += next;
  }
  return delays;
}

/**
 * Reads until `done` holds or the wait (`waitMs`, spread by consistencyDelays) is spent, and returns the last reading:
 * content written moments before, which a registry or an artifact service shows late.
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (reading: T) => boolean,
  options: { readonly waitMs: number; readonly sleep?: (ms: number) => Promise<void> },
): Promise<T> {
  const wait = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let reading = await read();
  for (const delay of consistencyDelays(options.waitMs)) {
    if (done(reading)) break;
    await wait(delay);
    reading = await read();
  }
  return reading;
}
