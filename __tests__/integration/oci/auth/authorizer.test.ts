import {
  basicCredential,
  dockerConfigKeychain,
  staticKeychain,
  type Keychain,
} from '../../../../src/oci/auth/credentials.js';
import { RegistryClient } from '../../../../src/oci/client.js';
import { Readable } from 'node:stream';
import { sha256Digest } from '../../../../src/oci/digest.js';
import { OciError, responseError } from '../../../../src/oci/errors.js';
import type { HttpResponse } from '../../../../src/oci/http.js';
import { MediaType, manifestAccept } from '../../../../src/oci/mediatype.js';
import { repositoryScope } from '../../../../src/oci/reference.js';
import { defaultRetryPolicy } from '../../../../src/oci/retry.js';
import { createTransport, type Transport } from '../../../../src/oci/transport.js';
import { startFaultProxy, type FaultRequest } from '../../../support/fault-proxy.js';
import { buildImage, pushLayout, removeImages, type OciLayout } from '../../../support/images.js';
import { startRegistry, type TestRegistry, type TestUser } from '../../../support/registry.js';

let open: TestRegistry;
let basic: TestRegistry;
let token: TestRegistry;
let anonymousPull: TestRegistry;
let image: OciLayout;
let transport: Transport;

const repositoryA = 'auth/app-a';
const repositoryB = 'auth/app-b';

beforeAll(async () => {
  [open, basic, token, anonymousPull, image] = await Promise.all([
    startRegistry(),
    startRegistry({ auth: 'basic' }),
    startRegistry({ auth: 'token' }),
    startRegistry({ auth: 'token', anonymousPull: true }),
    buildImage('linux/amd64', { content: 'client-auth' }),
  ]);
  await Promise.all([
    pushLayout(image, { registry: open, repository: repositoryA }),
    pushLayout(image, { registry: basic, repository: repositoryA }),
    pushLayout(image, { registry: token, repository: repositoryA }),
    pushLayout(image, { registry: token, repository: repositoryB }),
    pushLayout(image, { registry: anonymousPull, repository: repositoryA }),
  ]);
  transport = createTransport();
});

afterAll(async () => {
  await transport?.close();
  await Promise.all([open, basic, token, anonymousPull].map((registry) => registry?.stop()));
  await removeImages();
});

/** Starts the access log afresh, so a test counts only its own requests. */
async function freshLog(registry: TestRegistry): Promise<void> {
  await registry.settle();
  registry.reset();
}

async function loggedRequests(registry: TestRegistry): Promise<string[]> {
  await registry.settle();
  return registry.requests().map((entry) => `${entry.method} ${entry.path} ${entry.status}`);
}

function credentialsOf(registry: TestRegistry, user: TestUser): Keychain {
  return staticKeychain({ [registry.host]: basicCredential(user.username, user.password) });
}

function clientFor(registry: TestRegistry | string, keychain: Keychain): RegistryClient {
  const host = typeof registry === 'string' ? registry : registry.host;
  return new RegistryClient(host, { send: transport.send, keychain });
}

const manifestPath = (repository: string): string => `/v2/${repository}/manifests/${image.descriptor.digest}`;

function readManifest(client: RegistryClient, repository: string, method: 'HEAD' | 'GET' = 'HEAD') {
  return client.request({
    method,
    path: manifestPath(repository),
    headers: { accept: manifestAccept },
    scopes: [repositoryScope(repository, ['pull'])],
  });
}

function startUpload(client: RegistryClient, repository: string): Promise<HttpResponse> {
  return client.request({
    method: 'POST',
    path: `/v2/${repository}/blobs/uploads/`,
    headers: { 'content-length': '0' },
    scopes: [repositoryScope(repository, ['pull', 'push'])],
  });
}

async function statusOf(response: Promise<HttpResponse>): Promise<number> {
  const answered = await response;
  await answered.discard();
  return answered.status;
}

describe('an open registry', () => {
  test('answers GET /v2/ and a manifest HEAD with no auth round', async () => {
    await freshLog(open);
    const client = clientFor(open, staticKeychain({}));
    expect(await statusOf(client.request({ method: 'GET', path: '/v2/', scopes: [] }))).toBe(200);
    const head = await readManifest(client, repositoryA);
    expect(head.header('docker-content-digest')).toBe(image.descriptor.digest);
    expect(await loggedRequests(open)).toEqual(['GET /v2/ 200', `HEAD ${manifestPath(repositoryA)} 200`]);
  });
});

describe('a Basic registry', () => {
  test('is answered 401 once, then every request carries Basic pre-emptively', async () => {
    await freshLog(basic);
    const client = clientFor(basic, dockerConfigKeychain({ env: { DOCKER_CONFIG: basic.dockerConfig() } }));
    for (let i = 0; i < 3; i++) expect(await statusOf(readManifest(client, repositoryA))).toBe(200);
    const together = await Promise.all(Array.from({ length: 5 }, () => statusOf(readManifest(client, repositoryA))));
    expect(together).toEqual([200, 200, 200, 200, 200]);
    const logged = await loggedRequests(basic);
    expect(logged.filter((line) => line.endsWith(' 401'))).toEqual([`HEAD ${manifestPath(repositoryA)} 401`]);
    expect(logged[0]).toBe(`HEAD ${manifestPath(repositoryA)} 401`);
    expect(logged).toHaveLength(9);
  });

  test('returns the 401 for a wrong password, which responseError calls UNAUTHORIZED', async () => {
    await freshLog(basic);
    const client = clientFor(basic, credentialsOf(basic, { username: 'pusher', password: 'not-the-password' }));
    const response = await readManifest(client, repositoryA, 'GET');
    expect(response.status).toBe(401);
    const error = await responseError(response, 'GET', client, `GET ${repositoryA} manifest`);
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', status: 401, registry: basic.host });
    expect(error.registryCodes).toEqual(['UNAUTHORIZED']);
    expect(error.message).not.toContain('not-the-password');
    // The discovery 401, then the one attempt with the wrong password: no retry loop.
    expect(await loggedRequests(basic)).toEqual([
      `GET ${manifestPath(repositoryA)} 401`,
      `GET ${manifestPath(repositoryA)} 401`,
    ]);
  });
});

describe('a token registry', () => {
  test('serves 10 concurrent HEADs on one repository with one discovery 401 and ONE token', async () => {
    await freshLog(token);
    const before = token.tokenIssuer!.tokensIssued();
    const client = clientFor(token, credentialsOf(token, token.pusher));
    const statuses = await Promise.all(Array.from({ length: 10 }, () => statusOf(readManifest(client, repositoryA))));
    expect(statuses).toEqual(Array(10).fill(200));
    expect(token.tokenIssuer!.tokensIssued() - before).toBe(1);
    const logged = await loggedRequests(token);
    expect(logged.filter((line) => line.endsWith(' 401'))).toHaveLength(1);
    expect(logged.filter((line) => line.endsWith(' 200'))).toHaveLength(10);
  });

  test('with hinted scopes (push+pull on A, pull on B) one token serves reads of both and a push to A', async () => {
    const before = token.tokenIssuer!.tokensIssued();
    const client = clientFor(token, credentialsOf(token, token.pusher));
    client.hintScopes([repositoryScope(repositoryA, ['pull', 'push']), repositoryScope(repositoryB, ['pull'])]);
    expect(await statusOf(readManifest(client, repositoryA))).toBe(200);
    expect(await statusOf(readManifest(client, repositoryB))).toBe(200);
    expect(await statusOf(startUpload(client, repositoryA))).toBe(202);
    expect(token.tokenIssuer!.tokensIssued() - before).toBe(1);
  });

  test('without hints the same three requests need a token per scope set, so the hint is what saves them', async () => {
    const before = token.tokenIssuer!.tokensIssued();
    const client = clientFor(token, credentialsOf(token, token.pusher));
    expect(await statusOf(readManifest(client, repositoryA))).toBe(200);
    expect(await statusOf(readManifest(client, repositoryB))).toBe(200);
    expect(await statusOf(startUpload(client, repositoryA))).toBe(202);
    expect(token.tokenIssuer!.tokensIssued() - before).toBe(3);
  });

  test('gives an anonymous client a pull token where the registry allows anonymous pulls', async () => {
    const before = anonymousPull.tokenIssuer!.tokensIssued();
    const client = clientFor(anonymousPull, staticKeychain({}));
    const head = await readManifest(client, repositoryA);
    expect([head.status, head.header('docker-content-digest')]).toEqual([200, image.descriptor.digest]);
    expect(anonymousPull.tokenIssuer!.tokensIssued() - before).toBe(1);
  });

  // The control for the test above: the anonymous pull works there because that registry allows it.
  test('refuses an anonymous client where anonymous pulls are not allowed', async () => {
    const client = clientFor(token, staticKeychain({}));
    expect(await statusOf(readManifest(client, repositoryA))).toBe(401);
  });

  test("maps a reader's push (POST blobs/uploads/) to DENIED and opens no upload", async () => {
    await freshLog(token);
    const client = clientFor(token, credentialsOf(token, token.reader));
    expect(await statusOf(readManifest(client, repositoryA))).toBe(200);
    const response = await startUpload(client, repositoryA);
    const error = await responseError(response, 'POST', client, `start a blob upload to ${repositoryA}`);
    expect(error).toMatchObject({ code: 'DENIED', status: 401 });
    const logged = await loggedRequests(token);
    expect(logged.filter((line) => line.startsWith('POST')).every((line) => line.endsWith(' 401'))).toBe(true);
    expect(logged.some((line) => line.endsWith(' 202'))).toBe(false);
  });
});

describe('credentials stay with their origin', () => {
  test('an upload Location on another origin gets no Authorization', async () => {
    const seen: FaultRequest[] = [];
    // Another origin in front of the same registry, standing in for an upload service on another host.
    const elsewhere = await startFaultProxy({ target: basic.host, faults: (request) => void seen.push(request) });
    try {
      const client = clientFor(basic, credentialsOf(basic, basic.pusher));
      const started = await startUpload(client, repositoryA);
      await started.discard();
      expect(started.status).toBe(202);
      const location = new URL(started.header('location') ?? '', started.url);
      const moved = new URL(`${location.pathname}${location.search}`, `http://${elsewhere.host}`);
      moved.searchParams.set('digest', image.descriptor.digest);
      const put = await client.request({ method: 'PUT', path: moved, body: Buffer.alloc(0), scopes: [] });
      await put.discard();
      expect(seen.map((request) => [request.method, request.headers.authorization])).toEqual([['PUT', undefined]]);
      expect(put.status).toBe(401);
    } finally {
      await elsewhere.stop();
    }
  });

  test('a registry that reads anonymously but challenges writes gets Basic from the first challenged write', async () => {
    const authorizations: (string | undefined)[] = [];
    // The nginx `limit_except GET HEAD { auth_basic ... }` setup in front of an open registry.
    const gate = await startFaultProxy({
      target: open.host,
      faults: (request) => {
        if (request.method === 'GET' || request.method === 'HEAD') return undefined;
        authorizations.push(request.headers.authorization);
        if (request.headers.authorization !== undefined) return undefined;
        return { status: 401, headers: { 'www-authenticate': 'Basic realm="writes"' } };
      },
    });
    try {
      const user = { username: 'writer', password: 'w-secret' };
      const client = clientFor(
        gate.host,
        staticKeychain({ [gate.host]: basicCredential(user.username, user.password) }),
      );
      expect(await statusOf(readManifest(client, repositoryA))).toBe(200);
      expect(await statusOf(startUpload(client, repositoryA))).toBe(202);
      expect(await statusOf(startUpload(client, repositoryA))).toBe(202);
      const basicValue = `Basic ${Buffer.from('writer:w-secret').toString('base64')}`;
      expect(authorizations).toEqual([undefined, basicValue, basicValue]);
    } finally {
      await gate.stop();
    }
  });
});

describe('recovering from a failed first contact', () => {
  test('a discovery that met a dropped connection is tried again by the next request', async () => {
    const flaky = await startFaultProxy({
      target: basic.host,
      faults: (_request, n) => (n === 1 ? { reset: true } : undefined),
    });
    const once = createTransport({ retry: { ...defaultRetryPolicy, maxAttempts: 1 } });
    try {
      const client = new RegistryClient(flaky.host, { send: once.send, keychain: credentialsOf(basic, basic.pusher) });
      await expect(readManifest(client, repositoryA)).rejects.toMatchObject({ code: 'UNREACHABLE' });
      expect(await statusOf(readManifest(client, repositoryA))).toBe(401);
    } finally {
      await Promise.all([flaky.stop(), once.close()]);
    }
  });

  test('a keychain lookup that failed once is asked again by the next request', async () => {
    let lookups = 0;
    const keychain: Keychain = {
      resolve: async () => {
        lookups++;
        if (lookups === 1) throw new OciError({ code: 'CREDENTIALS', message: 'helper timed out' });
        return basicCredential(basic.pusher.username, basic.pusher.password);
      },
    };
    const client = clientFor(basic, keychain);
    await expect(readManifest(client, repositoryA)).rejects.toMatchObject({ code: 'CREDENTIALS' });
    expect(await statusOf(readManifest(client, repositoryA))).toBe(200);
    expect(lookups).toBe(2);
  });
});

describe('a streamed body, which can be sent only once', () => {
  test.each(['basic', 'token'] as const)(
    'a fresh client whose very first request streams a body to a %s registry learns the auth scheme without spending the stream',
    async (mode) => {
      const registry = mode === 'basic' ? basic : token;
      const client = clientFor(registry, credentialsOf(registry, registry.pusher));
      const bytes = Buffer.from(
        JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [], annotations: { mode } }),
      );
      const response = await client.request({
        method: 'PUT',
        path: `/v2/auth/streamed/manifests/${sha256Digest(bytes)}`,
        headers: { 'content-type': MediaType.ociIndex, 'content-length': String(bytes.length) },
        body: Readable.from([bytes]),
        scopes: [repositoryScope('auth/streamed', ['pull', 'push'])],
      });
      await response.discard();
      expect(response.status).toBe(201);
    },
  );
});
