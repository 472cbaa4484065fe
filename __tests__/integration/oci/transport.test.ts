import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { isOciError, type OciError } from '../../../src/oci/errors.js';
import type { HttpRequest, HttpResponse, Send } from '../../../src/oci/http.js';
import type { RetryPolicy } from '../../../src/oci/retry.js';
import { createTransport, withLimit, type Transport } from '../../../src/oci/transport.js';
import { startFaultProxy, type Fault, type FaultProxy } from '../../support/fault-proxy.js';
import { closeServer, listenOnLoopback, pickFreePort } from '../../support/loopback.js';
import { startRegistry, type TestRegistry } from '../../support/registry.js';

interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

interface Origin {
  readonly host: string;
  readonly seen: SeenRequest[];
  stop(): Promise<void>;
}

type Answer = (request: SeenRequest, response: ServerResponse) => void | Promise<void>;

const answerOk: Answer = (_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
};

/** A loopback HTTP server that records every request, body included, before `answer` replies. */
async function startOrigin(answer: Answer = answerOk): Promise<Origin> {
  const seen: SeenRequest[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const record = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks),
      };
      seen.push(record);
      void answer(record, response);
    });
  });
  const port = await listenOnLoopback(server);
  return { host: `127.0.0.1:${port}`, seen, stop: () => closeServer(server) };
}

const quickRetries: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  maxRetryAfterMs: 5_000,
  random: () => 0,
};

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** A transport whose waits are recorded instead of slept, closed after the test. */
function recordingTransport(retry: RetryPolicy = quickRetries): { transport: Transport; delays: number[] } {
  const delays: number[] = [];
  const transport = createTransport({ retry, sleep: async (ms) => void delays.push(ms) });
  cleanups.push(() => transport.close());
  return { transport, delays };
}

async function origin(answer?: Answer): Promise<Origin> {
  const started = await startOrigin(answer);
  cleanups.push(() => started.stop());
  return started;
}

async function proxyTo(target: string, faults?: (n: number) => Fault | undefined): Promise<FaultProxy> {
  const proxy = await startFaultProxy({ target, ...(faults ? { faults: (_request, n) => faults(n) } : {}) });
  cleanups.push(() => proxy.stop());
  return proxy;
}

function get(host: string, path: string, headers: Record<string, string> = {}): HttpRequest {
  return { method: 'GET', url: new URL(`http://${host}${path}`), headers };
}

async function text(response: HttpResponse): Promise<string> {
  return (await response.bytes()).toString('utf8');
}

describe('redirects', () => {
  test.each([301, 302, 303, 307, 308])(
    'a GET redirected (%i) to another origin does not carry Authorization there',
    async (status) => {
      const storage = await origin((_request, response) => void response.writeHead(200).end('blob bytes'));
      const registry = await origin((request, response) => {
        response.writeHead(status, { location: `http://${storage.host}/signed/blob?sig=x` }).end();
      });
      const { transport } = recordingTransport();
      const headers = { authorization: 'Bearer registry-token', accept: 'application/octet-stream' };
      const response = await transport.send(get(registry.host, '/v2/o/app/blobs/sha256:1', headers));
      expect(await text(response)).toBe('blob bytes');
      expect(response.url.host).toBe(storage.host);
      expect(registry.seen[0]?.headers.authorization).toBe('Bearer registry-token');
      expect(storage.seen).toHaveLength(1);
      expect(storage.seen[0]?.headers.authorization).toBeUndefined();
      expect(storage.seen[0]?.headers.accept).toBe('application/octet-stream');
    },
  );

  test('a HEAD redirected to another origin does not carry Authorization or Cookie either', async () => {
    const storage = await origin((_request, response) => void response.writeHead(200, { 'content-length': 10 }).end());
    const registry = await origin((_request, response) => {
      response.writeHead(307, { location: `http://${storage.host}/blob` }).end();
    });
    const { transport } = recordingTransport();
    const request = {
      ...get(registry.host, '/v2/o/app/blobs/sha256:1', { authorization: 'Basic c2VjcmV0', cookie: 'session=1' }),
      method: 'HEAD' as const,
    };
    const response = await transport.send(request);
    expect(response.status).toBe(200);
    expect(storage.seen[0]?.method).toBe('HEAD');
    expect(storage.seen[0]?.headers.authorization).toBeUndefined();
    expect(storage.seen[0]?.headers.cookie).toBeUndefined();
  });

  test('a same-origin redirect keeps Authorization', async () => {
    const registry = await origin((request, response) => {
      if (request.path.startsWith('/v2/')) response.writeHead(307, { location: '/storage/blob' }).end();
      else response.writeHead(200).end('same origin');
    });
    const { transport } = recordingTransport();
    const response = await transport.send(
      get(registry.host, '/v2/o/app/blobs/sha256:1', { authorization: 'Bearer t' }),
    );
    expect(await text(response)).toBe('same origin');
    expect(registry.seen.map((request) => [request.path, request.headers.authorization])).toEqual([
      ['/v2/o/app/blobs/sha256:1', 'Bearer t'],
      ['/storage/blob', 'Bearer t'],
    ]);
  });

  test('a PUT answered with a redirect is returned, not followed with its body', async () => {
    const registry = await origin(
      (_request, response) => void response.writeHead(307, { location: '/elsewhere' }).end(),
    );
    const { transport } = recordingTransport();
    const response = await transport.send({
      method: 'PUT',
      url: new URL(`http://${registry.host}/v2/o/app/manifests/1`),
      body: Buffer.from('{}'),
    });
    await response.discard();
    expect(response.status).toBe(307);
    expect(registry.seen).toHaveLength(1);
  });
});

describe('retries', () => {
  test('429 with Retry-After: 1 then 200 succeeds after waiting one second', async () => {
    const server = await origin();
    const proxy = await proxyTo(server.host, (n) => (n === 1 ? { status: 429, retryAfter: '1' } : undefined));
    const { transport, delays } = recordingTransport();
    const response = await transport.send(get(proxy.host, '/v2/o/app/manifests/1.0'));
    expect(response.status).toBe(200);
    expect(await text(response)).toBe('ok');
    expect(delays).toEqual([1_000]);
    expect(proxy.requests()).toEqual({ GET: 2 });
    expect(server.seen).toHaveLength(1);
  });

  test('503 twice then 200 succeeds with three requests, backing off between them', async () => {
    const server = await origin();
    const proxy = await proxyTo(server.host, (n) => (n <= 2 ? { status: 503 } : undefined));
    const { transport, delays } = recordingTransport();
    const response = await transport.send(get(proxy.host, '/v2/o/app/manifests/1.0'));
    expect(response.status).toBe(200);
    await response.discard();
    expect(proxy.total()).toBe(3);
    expect(proxy.faultsInjected()).toBe(2);
    // random() = 0 gives the low end of each backoff window: base/2, then base.
    expect(delays).toEqual([50, 100]);
  });

  test('a connection reset then success is retried transparently', async () => {
    const server = await origin();
    const proxy = await proxyTo(server.host, (n) => (n === 1 ? { reset: true } : undefined));
    const { transport, delays } = recordingTransport();
    const response = await transport.send(get(proxy.host, '/v2/'));
    expect(await text(response)).toBe('ok');
    expect(proxy.total()).toBe(2);
    expect(delays).toHaveLength(1);
    expect(server.seen).toHaveLength(1);
  });

  test('a persistent 500 stops after maxAttempts and returns the 500', async () => {
    const server = await origin();
    const proxy = await proxyTo(server.host, () => ({ status: 500 }));
    const { transport, delays } = recordingTransport({ ...quickRetries, maxAttempts: 4 });
    const response = await transport.send(get(proxy.host, '/v2/o/app/manifests/1.0'));
    expect(response.status).toBe(500);
    expect(JSON.parse(await text(response))).toEqual({ errors: [{ code: 'FAULT_INJECTED', message: 'injected 500' }] });
    expect(proxy.total()).toBe(4);
    expect(delays).toHaveLength(3);
    expect(server.seen).toHaveLength(0);
  });

  test('a Retry-After longer than the policy allows is not waited for', async () => {
    const server = await origin();
    const proxy = await proxyTo(server.host, () => ({ status: 429, retryAfter: '3600' }));
    const { transport, delays } = recordingTransport();
    const response = await transport.send(get(proxy.host, '/v2/'));
    await response.discard();
    expect(response.status).toBe(429);
    expect(proxy.total()).toBe(1);
    expect(delays).toEqual([]);
  });

  const uploadBody = Buffer.from('layer bytes '.repeat(1_000));
  const uploadBodies: [string, number, () => HttpRequest['body']][] = [
    ['a Buffer', 2, () => uploadBody],
    ['a stream factory', 2, () => () => Readable.from([uploadBody.subarray(0, 5_000), uploadBody.subarray(5_000)])],
    ['a plain stream, which cannot be replayed,', 1, () => Readable.from([uploadBody])],
  ];

  test.each(uploadBodies)('a PUT with %s body meeting a 503 is sent %i time(s)', async (_kind, attempts, body) => {
    const server = await origin((_request, response) => void response.writeHead(201).end());
    const proxy = await proxyTo(server.host, (n) => (n === 1 ? { status: 503 } : undefined));
    const { transport } = recordingTransport();
    const response = await transport.send({
      method: 'PUT',
      url: new URL(`http://${proxy.host}/v2/o/app/blobs/uploads/1?digest=sha256:1`),
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(uploadBody.length) },
      body: body(),
    });
    await response.discard();
    expect(proxy.requests()).toEqual({ PUT: attempts });
    expect(response.status).toBe(attempts === 1 ? 503 : 201);
    // What reached the origin on the second attempt is the whole body, not what was left of a consumed stream.
    expect(server.seen.map((request) => request.body.equals(uploadBody))).toEqual(attempts === 1 ? [] : [true]);
  });

  test('an unreachable port is an UNREACHABLE error naming the host, after the retries', async () => {
    const host = `127.0.0.1:${await pickFreePort()}`;
    const { transport, delays } = recordingTransport();
    const failure = await transport.send(get(host, '/v2/')).catch((error: unknown) => error);
    expect(isOciError(failure, 'UNREACHABLE')).toBe(true);
    const error = failure as OciError;
    expect(error.message).toContain(host);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.registry).toBe(host);
    expect(error.url).toBe(`http://${host}/v2/`);
    expect(delays).toHaveLength(quickRetries.maxAttempts - 1);
  });
});

describe('withLimit', () => {
  /** An origin that holds each request a moment and remembers the most it held at once. */
  async function countingOrigin(): Promise<{ origin: Origin; peak: () => number }> {
    let inFlight = 0;
    let peak = 0;
    const started = await origin(async (_request, response) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 40));
      inFlight--;
      response.writeHead(200).end('ok');
    });
    return { origin: started, peak: () => peak };
  }

  test.each([1, 3, 5])('never has more than %i requests in flight at the server', async (limit) => {
    const { origin: server, peak } = await countingOrigin();
    const { transport } = recordingTransport();
    const limited = withLimit(transport.send, limit);
    const responses = await Promise.all(
      Array.from({ length: 15 }, (_, i) => limited(get(server.host, `/v2/o/app/blobs/${i}`))),
    );
    await Promise.all(responses.map((response) => response.discard()));
    expect(server.seen).toHaveLength(15);
    // Reaching the limit shows the requests did overlap; never passing it is the point.
    expect(peak()).toBe(limit);
  });

  test('the server sees all requests at once without the limit, so the measurement can fail', async () => {
    const { origin: server, peak } = await countingOrigin();
    const { transport } = recordingTransport();
    const responses = await Promise.all(Array.from({ length: 8 }, () => transport.send(get(server.host, '/v2/'))));
    await Promise.all(responses.map((response) => response.discard()));
    expect(peak()).toBe(8);
  });

  test('a request arriving just as a slot frees waits behind the queued ones', async () => {
    let inFlight = 0;
    let peak = 0;
    const started: string[] = [];
    const finishers: (() => void)[] = [];
    const held: Send = (req) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      started.push(req.url.pathname);
      const response = { status: 200, url: req.url } as HttpResponse;
      return new Promise((resolve) => finishers.push(() => (inFlight--, resolve(response))));
    };
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    const limited = withLimit(held, 1);
    const responses = [limited(get('127.0.0.1:1', '/first')), limited(get('127.0.0.1:1', '/second'))];
    await nextTurn();
    // Finish the first and send a third before the freed slot reaches the queued second.
    finishers.shift()?.();
    queueMicrotask(() => responses.push(limited(get('127.0.0.1:1', '/third'))));
    await nextTurn();
    expect(started).toEqual(['/first', '/second']);
    finishers.shift()?.();
    await nextTurn();
    finishers.shift()?.();
    await Promise.all(responses);
    expect(started).toEqual(['/first', '/second', '/third']);
    expect(peak).toBe(1);
  });
});

describe('the fault proxy', () => {
  let registry: TestRegistry;

  beforeAll(async () => {
    registry = await startRegistry();
  });

  afterAll(async () => {
    await registry?.stop();
  });

  test('carries a streamed blob upload and HEAD/GET through a real registry, keeping clients on the proxy', async () => {
    const proxy = await proxyTo(registry.host);
    const { transport } = recordingTransport();
    const blob = Buffer.from(`blob through the proxy ${Date.now()}\n`.repeat(5_000));
    const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
    const start = await transport.send({
      method: 'POST',
      url: new URL(`http://${proxy.host}/v2/proxied/blobs/uploads/`),
    });
    await start.discard();
    expect(start.status).toBe(202);
    const location = new URL(start.header('location') ?? '', start.url);
    expect(location.host).toBe(proxy.host);
    location.searchParams.set('digest', digest);
    // No Content-Length: the body goes chunked through both hops.
    const chunks = [blob.subarray(0, 30_000), blob.subarray(30_000)];
    const put = await transport.send({ method: 'PUT', url: location, body: Readable.from(chunks) });
    await put.discard();
    expect(put.status).toBe(201);
    const blobUrl = new URL(`http://${proxy.host}/v2/proxied/blobs/${digest}`);
    const head = await transport.send({ method: 'HEAD', url: blobUrl });
    expect([head.status, head.header('content-length')]).toEqual([200, String(blob.length)]);
    expect((await head.bytes()).length).toBe(0);
    const download = await transport.send({ method: 'GET', url: blobUrl });
    expect((await download.bytes()).equals(blob)).toBe(true);
    expect(proxy.requests()).toEqual({ POST: 1, PUT: 1, HEAD: 1, GET: 1 });
    await registry.settle();
    expect(registry.requests().map((entry) => `${entry.method} ${entry.status}`)).toEqual([
      'POST 202',
      'PUT 201',
      'HEAD 200',
      'GET 200',
    ]);
  });

  // A proxy that buffered would wait forever for the end the origin only writes once the first chunk got through.
  test('streams a response body to the client as the origin writes it', async () => {
    let clientGotFirstChunk: () => void = () => undefined;
    const firstChunkArrived = new Promise<void>((resolve) => (clientGotFirstChunk = resolve));
    const server = await origin(async (_request, response) => {
      response.writeHead(200);
      response.write('first;');
      await firstChunkArrived;
      response.end('second');
    });
    const proxy = await proxyTo(server.host);
    const { transport } = recordingTransport();
    const response = await transport.send(get(proxy.host, '/stream'));
    const received: string[] = [];
    for await (const chunk of response.stream()) {
      received.push(String(chunk));
      clientGotFirstChunk();
    }
    expect(received.join('')).toBe('first;second');
  }, 10_000);

  test('streams a request body to the origin as the client writes it', async () => {
    let originGotFirstChunk: () => void = () => undefined;
    const firstChunkArrived = new Promise<void>((resolve) => (originGotFirstChunk = resolve));
    const server = createServer((request, response) => {
      const received: string[] = [];
      request.on('data', (chunk: Buffer) => {
        received.push(chunk.toString('utf8'));
        originGotFirstChunk();
      });
      request.on('end', () => response.writeHead(200).end(received.join('')));
    });
    const host = `127.0.0.1:${await listenOnLoopback(server)}`;
    cleanups.push(() => closeServer(server));
    const proxy = await proxyTo(host);
    const { transport } = recordingTransport();
    async function* body(): AsyncGenerator<Buffer> {
      yield Buffer.from('first;');
      await firstChunkArrived;
      yield Buffer.from('second');
    }
    const response = await transport.send({
      method: 'PATCH',
      url: new URL(`http://${proxy.host}/v2/o/app/blobs/uploads/1`),
      body: Readable.from(body()),
    });
    expect(await text(response)).toBe('first;second');
  }, 10_000);

  test('answers a faulted HEAD without a body and keeps the connection usable', async () => {
    const server = await origin();
    const proxy = await proxyTo(server.host, (n) => (n === 1 ? { status: 503, retryAfter: '0' } : undefined));
    const { transport } = recordingTransport({ ...quickRetries, maxAttempts: 1 });
    const head = await transport.send({ method: 'HEAD', url: new URL(`http://${proxy.host}/v2/`) });
    expect([head.status, head.header('retry-after'), (await head.bytes()).length]).toEqual([503, '0', 0]);
    expect(await text(await transport.send(get(proxy.host, '/v2/')))).toBe('ok');
  });
});
