import {
  Agent,
  createServer,
  request as forwardRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { closeServer, listenOnLoopback } from '../__tests__/support/loopback.js';
import { hopByHopHeaders } from '../__tests__/support/fault-proxy.js';

/**
 * A reverse proxy on loopback that holds every request for a fixed time before forwarding it: the emulated round
 * trip of a registry far away. It logs each request (arrival time, method, path, status) so the bench can count
 * requests per registry and see how many sequential waves a client needed.
 */
export interface DelayProxyOptions {
  /** `host:port` of the origin (a registry or a token server). */
  readonly target: string;
  readonly delayMs: number;
  /**
   * Origins moved onto their proxies in every response header, besides the target's own (upload Locations): a token
   * registry names its token server in WWW-Authenticate, and the client must reach that server through a delay proxy
   * too, or the auth round would cost nothing.
   */
  readonly rewrite?: readonly { readonly from: string; readonly to: string }[];
}

export interface ProxiedRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** performance.now() of this process when the request line arrived, before the delay. */
  readonly at: number;
  /** The origin's status; 0 until it has answered. */
  status: number;
  /** performance.now() when the whole answer had been passed on; undefined until then. */
  answeredAt?: number;
}

export interface DelayProxy {
  /** `127.0.0.1:PORT`: put it where the origin's host would go. */
  readonly host: string;
  /** Requests since start or the last reset(), in arrival order. */
  requests(): readonly ProxiedRequest[];
  reset(): void;
  stop(): Promise<void>;
}

export async function startDelayProxy(options: DelayProxyOptions): Promise<DelayProxy> {
  const agent = new Agent({ keepAlive: true });
  let log: ProxiedRequest[] = [];
  const server = createServer();
  const port = await listenOnLoopback(server);
  const host = `127.0.0.1:${port}`;
  const rewrites = [{ from: `//${options.target}/`, to: `//${host}/` }, ...(options.rewrite ?? [])];
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const entry: ProxiedRequest = {
      method: request.method ?? 'GET',
      path: (request.url ?? '/').split('?')[0] ?? '/',
      at: performance.now(),
      status: 0,
    };
    log.push(entry);
    sleep(options.delayMs)
      .then(() => forward(request, response, entry, { target: options.target, agent, rewrites }))
      .catch(() => request.socket.destroy());
  });
  let stopped: Promise<void> | undefined;
  return {
    host,
    requests: () => [...log],
    reset: () => {
      log = [];
    },
    stop: () => (stopped ??= closeServer(server).finally(() => agent.destroy())),
  };
}

interface Forwarding {
  readonly target: string;
  readonly agent: Agent;
  readonly rewrites: readonly { readonly from: string; readonly to: string }[];
}

function forward(
  request: IncomingMessage,
  response: ServerResponse,
  entry: ProxiedRequest,
  { target, agent, rewrites }: Forwarding,
): Promise<void> {
  const [hostname, port] = target.split(':');
  return new Promise((resolve) => {
    const upstream = forwardRequest({
      agent,
      hostname,
      port: Number(port),
      method: request.method,
      path: request.url,
      headers: { ...withoutHopByHop(request.headersDistinct), host: target },
    });
    upstream.on('response', (answer) => {
      entry.status = answer.statusCode ?? 502;
      response.writeHead(
        entry.status,
        answer.statusMessage,
        rewritten(withoutHopByHop(answer.headersDistinct), rewrites),
      );
      answer.pipe(response);
      answer.on('end', () => {
        entry.answeredAt = performance.now();
        resolve();
      });
      answer.on('error', () => response.destroy());
    });
    upstream.on('error', () => {
      entry.status = 502;
      if (response.headersSent) response.destroy();
      else response.writeHead(502).end(`delay proxy: ${target} failed`);
      resolve();
    });
    response.on('close', () => {
      if (!response.writableFinished) upstream.destroy();
    });
    request.pipe(upstream);
  });
}

function withoutHopByHop(headers: NodeJS.Dict<string[]>): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !hopByHopHeaders.has(name)));
}

function rewritten(
  headers: OutgoingHttpHeaders,
  rewrites: readonly { readonly from: string; readonly to: string }[],
): OutgoingHttpHeaders {
  const replace = (value: string) => rewrites.reduce((text, { from, to }) => text.split(from).join(to), value);
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.map(replace) : value]),
  );
}
