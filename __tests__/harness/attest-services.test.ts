import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { decodeJwt } from 'jose';
import { startAttestServices, type AttestServices } from '../support/attest-fixture.js';
import { oidcIssuer } from '../support/github-oidc.js';
import { fakeGithub } from '../support/runner.js';

/**
 * The stand-ins that the attest end-to-end test runs the real @actions/attest against: the CONNECT proxy tunnels the
 * public hosts it serves and nothing else, their certificate chains to the throwaway CA, the runner's token endpoint
 * wants its bearer token, and the attestations API wants the job's token.
 */
let services: AttestServices;

beforeAll(async () => {
  services = await startAttestServices();
});

afterAll(() => services.stop());

/** A CONNECT through the proxy: the status line the proxy answers with, and the tunnel when it opened one. */
function connectThrough(target: string): Promise<{ status: number; socket: Socket }> {
  const proxy = new URL(services.hosts.env.HTTPS_PROXY ?? '');
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: target });
    request.on('connect', (response, socket) => resolve({ status: response.statusCode ?? 0, socket }));
    request.on('error', reject);
    request.end();
  });
}

/** GET over TLS inside a tunnel, trusting only the throwaway CA. */
async function getThroughTunnel(host: string, path: string): Promise<{ status: number; body: string }> {
  const { socket } = await connectThrough(`${host}:443`);
  const ca = await readFile(services.hosts.env.NODE_EXTRA_CA_CERTS ?? '', 'utf8');
  const secure = tlsConnect({ socket, servername: host, ca });
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host, path, createConnection: () => secure }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        secure.destroy();
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() });
      });
    });
    request.on('error', reject);
    request.end();
  });
}

describe('the public hosts behind the CONNECT proxy', () => {
  test('serve the OIDC issuer’s discovery over TLS the throwaway CA vouches for', async () => {
    const { status, body } = await getThroughTunnel(
      'token.actions.githubusercontent.com',
      '/.well-known/openid-configuration',
    );
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({ issuer: oidcIssuer, jwks_uri: `${oidcIssuer}/.well-known/jwks` });
  });

  test('refuse to tunnel any other host, and record it', async () => {
    const { status, socket } = await connectThrough('example.com:443');
    socket.destroy();
    expect(status).toBe(403);
    expect(services.hosts.refused()).toContain('CONNECT example.com:443');
  });
});

describe('the runner’s OIDC token endpoint', () => {
  async function requestToken(bearer: string): Promise<{ status: number; body: string }> {
    const url = new URL(`${services.oidc.env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=sigstore`);
    const response = await fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
    return { status: response.status, body: await response.text() };
  }

  test('hands a token with the audience asked for and the workflow run’s claims to the bearer of the request token', async () => {
    const { status, body } = await requestToken(services.oidc.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN ?? '');
    expect(status).toBe(200);
    const claims = decodeJwt((JSON.parse(body) as { value: string }).value);
    expect(claims).toMatchObject({ aud: 'sigstore', iss: oidcIssuer, repository: fakeGithub.repository });
  });

  test('refuses anyone else', async () => {
    expect((await requestToken('guess')).status).toBe(401);
  });
});

describe('the attestations API', () => {
  const post = (token: string) =>
    fetch(`${services.api.url}/repos/${fakeGithub.repository}/attestations`, {
      method: 'POST',
      headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ bundle: { mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json' } }),
    });

  test('stores a bundle sent with the job’s token and answers its id', async () => {
    const response = await post(fakeGithub.token);
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: number };
    expect(services.api.stored().at(-1)).toMatchObject({ id, repository: fakeGithub.repository });
  });

  test('refuses another token', async () => {
    expect((await post('ghs_wrong')).status).toBe(401);
  });
});
