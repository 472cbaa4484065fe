import {
  Agent,
  createServer,
  request as forwardRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { closeServer, listenOnLoopback } from './loopback.js';

/**
 * A reverse proxy on loopback in front of a real registry (or any HTTP origin) that can answer a request itself
 * instead: with a status (429 and Retry-After, 5xx) or by resetting the connection. Registries cannot be told to
 * fail on cue; this stands between them and the client so the client's retries meet the real protocol otherwise.
 */
export type Fault =
  | {
      readonly status: number;
      readonly retryAfter?: string;
      /** Extra response headers, e.g. a WWW-Authenticate challenge. */
      readonly headers?: Readonly<Record<string, string>>;
      /** The registry's error envelope to answer with, e.g. ECR's TAG_INVALID; a generic one by default. */
      readonly errors?: readonly { readonly code: string; readonly message: string; readonly detail?: string }[];
      /** A body of the answer's own instead of an error envelope (an answer the origin cannot give). */
      readonly body?: string;
    }
  | { readonly reset: true };

/** What a fault rule sees of a request: its line and headers, and its body when the rule asks for it. */
export interface FaultRequest {
  readonly method: string;
  /** Path and query as the client sent them. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** The whole body, read once; the request is then forwarded with these bytes. */
  body(): Promise<Buffer>;
}

export interface FaultProxyOptions {
  /** `host:port` of the origin. */
  readonly target: string;
  /**
   * Called once per request with its 1-based sequence number across the proxy's life; undefined forwards it. A rule
   * may take its time (ask the origin something first).
   */
  readonly faults?: (request: FaultRequest, n: number) => Fault | undefined | Promise<Fault | undefined>;
  /** Added before every request, answered by a fault or forwarded: a fixed network latency. */
  readonly delayMs?: number;
}

export interface FaultProxy {
  /** `127.0.0.1:PORT`: use it where the target's host would go (image references, base URLs). */
  readonly host: string;
  /** Requests seen so far by method (faulted ones included), e.g. `{ GET: 3, HEAD: 1 }`. */
  requests(): Readonly<Record<string, number>>;
  /** All requests seen so far. */
  total(): number;
  /** Requests answered with a fault instead of being forwarded. */
  faultsInjected(): number;
  /** Forgets the counts; the sequence number given to `faults` keeps counting. */
  reset(): void;
  stop(): Promise<void>;
}

// RFC 9110 §7.6.1: connection-scoped headers are not forwarded; Node frames each side's body itself.
export const hopByHopHeaders: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-authenticate',
  'proxy-authorization',
]);

interface Counters {
  byMethod: Record<string, number>;
  total: number;
  faults: number;
  sequence: number;
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const agent = new Agent({ keepAlive: true });
  const counters: Counters = { byMethod: {}, total: 0, faults: 0, sequence: 0 };
  const server = createServer();
  const port = await listenOnLoopback(server);
  const host = `127.0.0.1:${port}`;
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response, { options, agent, counters, host }).catch(() => request.socket.destroy());
  });
  let stopped: Promise<void> | undefined;
  return {
    host,
    requests: () => ({ ...counters.byMethod }),
    total: () => counters.total,
    faultsInjected: () => counters.faults,
    reset: () => {
      counters.byMethod = {};
      counters.total = 0;
      counters.faults = 0;
    },
    stop: () => {
      stopped ??= closeServer(server).finally(() => agent.destroy());
      return stopped;
    },
  };
}

interface ProxyContext {
  readonly options: FaultProxyOptions;
  readonly agent: Agent;
  readonly counters: Counters;
  /** The proxy's own `host:port`. */
  readonly host: string;
}

async function handle(request: IncomingMessage, response: ServerResponse, context: ProxyContext): Promise<void> {
  const { counters, options } = context;
  const method = request.method ?? 'GET';
  counters.byMethod[method] = (counters.byMethod[method] ?? 0) + 1;
  counters.total += 1;
  const n = ++counters.sequence;
  let body: Promise<Buffer> | undefined;
  const readBody = () => (body ??= readAll(request));
  const fault = await options.faults?.(
    { method, url: request.url ?? '/', headers: request.headers, body: readBody },
    n,
  );
  if (options.delayMs) await sleep(options.delayMs);
  if (fault === undefined) return forward(request, response, context, body && (await body));
  counters.faults += 1;
  // Read the request to its end first, as a server does, so the client sees the fault rather than a write error.
  if (body === undefined) await drain(request);
  if ('reset' in fault) resetConnection(request.socket);
  else answerWithFault(response, fault, method);
}

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function drain(request: IncomingMessage): Promise<void> {
  if (request.readableEnded) return Promise.resolve();
  return new Promise((resolve, reject) => {
    request.on('end', resolve).on('error', reject).resume();
  });
}

/** A TCP RST, so the client sees ECONNRESET as after a crashed registry or a dropped load balancer. */
function resetConnection(socket: Socket): void {
  socket.resetAndDestroy();
}

function answerWithFault(
  response: ServerResponse,
  fault: Exclude<Fault, { readonly reset: true }>,
  method: string,
): void {
  // The error envelope of distribution-spec §Error Codes, so a client's body parsing takes its usual path.
  const body =
    fault.body ??
    JSON.stringify({ errors: fault.errors ?? [{ code: 'FAULT_INJECTED', message: `injected ${fault.status}` }] });
  response.writeHead(fault.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...(fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter }),
    ...fault.headers,
  });
  response.end(method === 'HEAD' ? undefined : body);
}

/** Sends the request on to the origin: its body streamed, or the bytes a rule already read. */
function forward(
  request: IncomingMessage,
  response: ServerResponse,
  context: ProxyContext,
  readBody?: Buffer,
): Promise<void> {
  return new Promise((resolve) => {
    const [hostname = '127.0.0.1', port = '80'] = splitHostPort(context.options.target);
    const upstream = forwardRequest({
      agent: context.agent,
      hostname,
      port: Number(port),
      method: request.method,
      path: request.url,
      headers: { ...forwardable(request.headersDistinct), host: context.options.target },
    });
    upstream.on('response', (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.statusMessage, responseHeaders(answer, context));
      answer.pipe(response);
      answer.on('end', resolve);
      answer.on('error', () => response.destroy());
    });
    upstream.on('error', () => {
      if (!response.headersSent) {
        response.writeHead(502, { 'content-type': 'text/plain' }).end(`fault proxy: ${context.options.target} failed`);
      } else {
        response.destroy();
      }
      resolve();
    });
    // A client that goes away mid-request takes the upstream request with it.
    response.on('close', () => {
      if (!response.writableFinished) upstream.destroy();
    });
    if (readBody === undefined) request.pipe(upstream);
    else upstream.end(readBody);
  });
}

function splitHostPort(target: string): [string, string] {
  const colon = target.lastIndexOf(':');
  return colon < 0 ? [target, '80'] : [target.slice(0, colon), target.slice(colon + 1)];
}

/** Every header line kept apart (WWW-Authenticate may come more than once), minus the hop-by-hop ones. */
function forwardable(headers: NodeJS.Dict<string[]>): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !hopByHopHeaders.has(name)));
}

/** The origin's headers minus hop-by-hop ones, with Locations on the origin moved onto the proxy. */
function responseHeaders(answer: IncomingMessage, context: ProxyContext): OutgoingHttpHeaders {
  const headers = forwardable(answer.headersDistinct);
  const location = answer.headers.location;
  if (location !== undefined) headers.location = onProxy(location, context);
  return headers;
}

function onProxy(location: string, context: ProxyContext): string {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return location; // relative: it resolves against the proxy already
  }
  if (url.host !== context.options.target) return location;
  url.protocol = 'http:';
  url.host = context.host;
  return url.toString();
}
