import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request, type Dispatcher } from 'undici';
import { OciError, redactUrl } from './errors.js';
import type { HttpRequest, HttpResponse, Send } from './http.js';
import { defaultRetryPolicy, retryDelay, type RetryPolicy } from './retry.js';
import { silentLogger, type Logger } from './logger.js';

export interface TransportOptions {
  readonly retry?: RetryPolicy;
  readonly logger?: Logger;
  readonly userAgent?: string;
  /** Connections kept per origin; requests beyond it queue in undici. */
  readonly connectionsPerOrigin?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface Transport {
  readonly send: Send;
  close(): Promise<void>;
}

const maxRedirects = 5;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/**
 * The one place that talks HTTP: a pooled undici agent, redirects followed without carrying Authorization to another
 * origin, and retries with backoff for what a second attempt can cure.
 */
export function createTransport(options: TransportOptions = {}): Transport {
  const agent = new Agent({
    connections: options.connectionsPerOrigin ?? 32,
    connectTimeout: 15_000,
    headersTimeout: 120_000,
    bodyTimeout: 300_000,
  });
  const userAgent = options.userAgent ?? 'multiarch-publish';
  const once: Send = (req) => followRedirects(agent, { ...req, headers: { 'user-agent': userAgent, ...req.headers } });
  const send = withRetry(
    once,
    options.retry ?? defaultRetryPolicy,
    options.sleep ?? sleep,
    options.logger ?? silentLogger,
  );
  return { send, close: () => agent.close() };
}

async function followRedirects(dispatcher: Dispatcher, first: HttpRequest): Promise<HttpResponse> {
  let req = first;
  for (let hop = 0; ; hop++) {
    const response = await sendOnce(dispatcher, req);
    const location = response.header('location');
    const follows = (req.method === 'GET' || req.method === 'HEAD') && redirectStatuses.has(response.status);
    if (!follows || location === undefined || hop === maxRedirects) return response;
    await response.discard();
    const next = new URL(location, req.url);
    if (req.url.protocol === 'https:' && next.protocol !== 'https:') {
      throw new OciError({
        code: 'INSECURE',
        message: `refused a redirect from HTTPS to ${redactUrl(next)}`,
        registry: first.url.host,
        method: req.method,
        url: redactUrl(req.url),
      });
    }
    req = { ...req, url: next, headers: headersForRedirect(req.headers ?? {}, req.url, next) };
  }
}

const credentialHeaders = new Set(['authorization', 'cookie', 'proxy-authorization']);

/** Credentials belong to the origin that asked for them; blob redirects go to object storage that must not see them. */
function headersForRedirect(headers: Readonly<Record<string, string>>, from: URL, to: URL): Record<string, string> {
  if (from.origin === to.origin) return { ...headers };
  // Compared in lower case: a caller that broke the lower-case convention must still not leak a credential.
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !credentialHeaders.has(name.toLowerCase())));
}

async function sendOnce(dispatcher: Dispatcher, req: HttpRequest): Promise<HttpResponse> {
  const body = typeof req.body === 'function' ? req.body() : req.body;
  try {
    const response = await request(req.url, {
      dispatcher,
      method: req.method,
      headers: req.headers,
      body,
      signal: req.signal,
    });
    return wrapResponse(response, req.url);
  } catch (error) {
    if (body instanceof Readable) body.destroy();
    throw networkError(error, req);
  }
}

function wrapResponse(response: Dispatcher.ResponseData, url: URL): HttpResponse {
  const headerValues = (name: string): string[] => {
    const value = response.headers[name.toLowerCase()];
    if (value === undefined) return [];
    return Array.isArray(value) ? value : [value];
  };
  return {
    status: response.statusCode,
    url,
    header: (name) => {
      const values = headerValues(name);
      return values.length === 0 ? undefined : values.join(', ');
    },
    headerValues,
    bytes: (limit) => readBounded(response.body, limit ?? 16 * 1024 * 1024, url),
    stream: () => response.body,
    discard: async () => {
      await response.body.dump({ limit: 1024 * 1024 }).catch(() => undefined);
    },
  };
}

async function readBounded(body: Readable, limit: number, url: URL): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    length += (chunk as Buffer).length;
    if (length > limit) {
      body.destroy();
      throw new OciError({
        code: 'REJECTED',
        message: `the response is larger than ${limit} bytes`,
        registry: url.host,
        url: redactUrl(url),
      });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, length);
}

function networkError(error: unknown, req: HttpRequest): unknown {
  if (error instanceof OciError) return error;
  if ((error as { name?: string }).name === 'AbortError') return error;
  const code = errorCode(error);
  return new OciError({
    code: 'UNREACHABLE',
    message: `cannot reach ${req.url.host}${code ? ` (${code})` : ''}`,
    registry: req.url.host,
    method: req.method,
    url: redactUrl(req.url),
    retryable: true,
    cause: error,
  });
}

/** The system or undici error code of a failed request, looking through wrappers. */
export function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UNREACHABLE') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function isReplayable(req: HttpRequest): boolean {
  return req.body === undefined || Buffer.isBuffer(req.body) || typeof req.body === 'function';
}

/** Sends again on a retryable status or network error; a response that is retried is drained first. */
export function withRetry(send: Send, policy: RetryPolicy, wait: (ms: number) => Promise<void>, logger: Logger): Send {
  return async (req) => {
    for (let attempt = 1; ; attempt++) {
      let response: HttpResponse | undefined;
      let failure: unknown;
      try {
        response = await send(req);
      } catch (error) {
        failure = error;
      }
      const outcome = response
        ? { status: response.status, retryAfter: response.header('retry-after') }
        : { errorCode: errorCode(failure) };
      const delay = isReplayable(req) ? retryDelay(policy, attempt, outcome) : undefined;
      if (delay === undefined) {
        if (response) return response;
        throw failure;
      }
      logger.debug(
        `${req.method} ${redactUrl(req.url)}: ${response ? `status ${response.status}` : outcome.errorCode}; attempt ${attempt + 1} in ${delay} ms`,
      );
      await response?.discard();
      await wait(delay);
    }
  };
}

/**
 * At most `limit` requests in flight through `send`; the rest wait their turn in order. A request counts until its
 * response headers arrive: a body still streaming afterwards holds an undici connection, not a slot here.
 */
export function withLimit(send: Send, limit: number): Send {
  let active = 0;
  const waiting: (() => void)[] = [];
  const acquire = (): Promise<void> | undefined => {
    if (active < limit) {
      active++;
      return undefined;
    }
    return new Promise<void>((resolve) => waiting.push(resolve));
  };
  // The slot passes straight to the next waiter: freeing it first would let a newcomer take it before the waiter
  // wakes, and both would then run.
  const release = () => {
    const next = waiting.shift();
    if (next === undefined) active--;
    else next();
  };
  return async (req) => {
    await acquire();
    try {
      return await send(req);
    } finally {
      release();
    }
  };
}
