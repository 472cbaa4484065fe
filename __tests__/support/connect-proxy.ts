import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { createLoopbackTls } from './loopback-tls.js';
import { closeServer, listenOnLoopback, readBody } from './loopback.js';

/**
 * Public HTTPS hosts that libraries hard-code (fulcio.sigstore.dev, rekor.sigstore.dev, token.actions.…) served on
 * loopback, for a child process started with `env`: HTTPS_PROXY names a CONNECT proxy that tunnels those hosts, and
 * only those, to one HTTPS server answering for all of them with a certificate from a throwaway CA, which
 * NODE_EXTRA_CA_CERTS makes the child trust. NO_PROXY keeps loopback traffic (registries, the runner's services)
 * direct. Nothing reaches the real network: any other host is refused and recorded.
 */
export interface PublicHosts {
  /** HTTPS_PROXY, NO_PROXY and NODE_EXTRA_CA_CERTS for the child. */
  readonly env: Readonly<Record<string, string>>;
  /** Every request the hosts answered, in arrival order. */
  calls(): readonly HostCall[];
  /** Every CONNECT or plain proxy request refused: a host nobody serves, or traffic that should have gone direct. */
  refused(): readonly string[];
  stop(): Promise<void>;
}

/** One answer, the shape of @sigstore/mock's handlers: the request body in, status and body out. */
export interface HostAnswer {
  readonly statusCode: number;
  readonly response: string | Buffer;
  readonly contentType?: string;
}

export interface HostRoute {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly fn: (body: string) => Promise<HostAnswer>;
}

export interface HostCall {
  readonly host: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

export async function startPublicHosts(routes: Readonly<Record<string, readonly HostRoute[]>>): Promise<PublicHosts> {
  const hosts = Object.keys(routes);
  const tls = await createLoopbackTls(hosts);
  const dir = await mkdtemp(join(tmpdir(), 'public-hosts-'));
  const caFile = join(dir, 'ca.pem');
  await writeFile(caFile, tls.caPem);
  const calls: HostCall[] = [];
  const refused: string[] = [];
  const https = createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, (request, response) => {
    const host = (request.headers.host ?? '').replace(/:\d+$/, '');
    const path = new URL(request.url ?? '/', 'https://host').pathname;
    const route = routes[host]?.find((each) => each.path === path && each.method === request.method);
    void readBody(request).then(async (body) => {
      const answer = route ? await route.fn(body.toString('utf8')) : { statusCode: 404, response: '' };
      calls.push({ host, method: request.method ?? '', path, status: answer.statusCode });
      response.writeHead(answer.statusCode, { 'content-type': answer.contentType ?? 'text/plain' });
      response.end(answer.response);
    });
  });
  const httpsPort = await listenOnLoopback(https);
  const proxy = createServer((request, response) => {
    refused.push(`${request.method} ${request.url}`);
    response.writeHead(403).end('plain HTTP proxying is refused: loopback traffic belongs in NO_PROXY');
  });
  // A tunnel leaves the proxy's own connection tracking: stop() ends the ones still open.
  const tunnels = new Set<Duplex>();
  proxy.on('connect', (request: IncomingMessage, client: Duplex, head: Buffer) => {
    tunnels.add(client);
    client.on('close', () => tunnels.delete(client));
    const [host = '', port] = (request.url ?? '').split(':');
    if (!hosts.includes(host) || port !== '443') {
      refused.push(`CONNECT ${request.url}`);
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(httpsPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const proxyPort = await listenOnLoopback(proxy);
  return {
    env: {
      HTTPS_PROXY: `http://127.0.0.1:${proxyPort}`,
      NO_PROXY: '127.0.0.1,localhost',
      NODE_EXTRA_CA_CERTS: caFile,
    },
    calls: () => [...calls],
    refused: () => [...refused],
    stop: async () => {
      for (const tunnel of tunnels) tunnel.destroy();
      await Promise.all([closeServer(proxy), closeServer(https)]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
