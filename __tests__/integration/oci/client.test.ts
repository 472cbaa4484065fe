import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { basicCredential, staticKeychain } from '../../../src/oci/auth/credentials.js';
import { RegistryClient } from '../../../src/oci/client.js';
import { createTransport, type Transport } from '../../../src/oci/transport.js';
import { closeServer, listenOnLoopback } from '../../support/loopback.js';

/**
 * How the first requests to a registry go out. An origin that answers nothing until four requests have arrived
 * (a barrier, released with 503 after a few seconds so a failing run ends) shows whether they travel together.
 */
const waitFor = 4;
let transport: Transport;
let host: string;
let server: ReturnType<typeof createServer>;
let waiting: ServerResponse[] = [];
let seen: { method: string; authorization?: string }[] = [];
let challenge: string | undefined;

beforeAll(async () => {
  transport = createTransport({
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1, random: () => 0 },
  });
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    seen.push({
      method: request.method ?? '',
      ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
    });
    if (challenge && !request.headers.authorization) {
      response.writeHead(401, { 'www-authenticate': challenge, 'content-length': '0' }).end();
      return;
    }
    waiting.push(response);
    const release = (status: number) => {
      for (const each of waiting.splice(0)) each.writeHead(status, { 'content-length': '0' }).end();
    };
    if (waiting.length >= waitFor) release(200);
    else setTimeout(() => release(503), 3_000).unref();
  });
  host = `127.0.0.1:${await listenOnLoopback(server)}`;
});

afterAll(async () => {
  await transport.close();
  await closeServer(server);
});

function heads(client: RegistryClient): Promise<number[]> {
  return Promise.all(
    Array.from({ length: waitFor }, (_, i) =>
      client
        .request({ method: 'HEAD', path: `/v2/app/manifests/t${i}`, scopes: ['repository:app:pull'] })
        .then(async (response) => {
          await response.discard();
          return response.status;
        }),
    ),
  );
}

describe('the first requests to a registry', () => {
  test('without credentials go out together: no request waits for another to learn the auth scheme', async () => {
    [seen, waiting, challenge] = [[], [], undefined];
    const client = new RegistryClient(host, { send: transport.send, keychain: staticKeychain({}) });
    expect(await heads(client)).toEqual([200, 200, 200, 200]);
  });

  test('with credentials, one goes first to learn the scheme, so only one request is challenged', async () => {
    [seen, waiting, challenge] = [[], [], 'Basic realm="test"'];
    const keychain = staticKeychain({ [host]: basicCredential('user', 'password') });
    const client = new RegistryClient(host, { send: transport.send, keychain });
    expect(await heads(client)).toEqual([200, 200, 200, 200]);
    expect(seen.filter((request) => request.authorization === undefined)).toHaveLength(1);
  });

  test('without credentials on a registry that challenges, each challenged request is sent again with the scheme learnt', async () => {
    [seen, waiting, challenge] = [[], [], 'Basic realm="test"'];
    const client = new RegistryClient(host, { send: transport.send, keychain: staticKeychain({}) });
    // Anonymous has nothing to send for Basic: the 401s stand, one per request, and nothing hangs.
    expect(await heads(client)).toEqual([401, 401, 401, 401]);
  });
});
