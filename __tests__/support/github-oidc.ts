import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { HostRoute } from './connect-proxy.js';
import { closeServer, listenOnLoopback } from './loopback.js';

/**
 * GitHub Actions' OIDC tokens for one job: the runner's token endpoint (what ACTIONS_ID_TOKEN_REQUEST_URL names,
 * answering `{value: <jwt>}` to a request bearing ACTIONS_ID_TOKEN_REQUEST_TOKEN, audience from the query) and the
 * issuer's discovery documents and keys, served as token.actions.githubusercontent.com through startPublicHosts.
 * Tokens are RS256 JWTs with the claims of a workflow run, so @actions/attest's verification accepts them.
 */
export interface GithubOidc {
  readonly issuer: string;
  /** ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN, as the runner sets them with `id-token: write`. */
  readonly env: Readonly<Record<string, string>>;
  /** The issuer's host and its discovery routes, for startPublicHosts. */
  readonly routes: Readonly<Record<string, readonly HostRoute[]>>;
  readonly claims: Readonly<Record<string, string>>;
  /** Every token handed out, so a test can look for it where it must not be. */
  issued(): readonly string[];
  /** The audience of each token request, in order; a request with the wrong bearer token is `refused`. */
  requests(): readonly string[];
  stop(): Promise<void>;
}

export const oidcIssuer = 'https://token.actions.githubusercontent.com';

/** The claims of a push to main of octo-org/octo-app (`repository` as in the runner harness's fakeGithub). */
export function workflowClaims(repository: string, visibility: 'public' | 'private'): Record<string, string> {
  const [owner = ''] = repository.split('/');
  const ref = 'refs/heads/main';
  const sha = 'c0ffee0000000000000000000000000000c0ffee';
  const workflowRef = `${repository}/.github/workflows/publish.yml@${ref}`;
  return {
    sub: `repo:${repository}:ref:${ref}`,
    ref,
    ref_type: 'branch',
    sha,
    repository,
    repository_id: '123456789',
    repository_owner: owner,
    repository_owner_id: '987654321',
    repository_visibility: visibility,
    run_id: '4242424242',
    run_number: '7',
    run_attempt: '1',
    actor: 'octocat',
    workflow: 'publish',
    workflow_ref: workflowRef,
    workflow_sha: sha,
    job_workflow_ref: workflowRef,
    job_workflow_sha: sha,
    event_name: 'push',
    runner_environment: 'github-hosted',
  };
}

export async function startGithubOidc(claims: Readonly<Record<string, string>>): Promise<GithubOidc> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const requestToken = `runtime-${randomBytes(16).toString('hex')}`;
  const issued: string[] = [];
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const audience = new URL(request.url ?? '/', 'http://runner').searchParams.getAll('audience').at(-1) ?? oidcIssuer;
    if (request.headers.authorization !== `Bearer ${requestToken}`) {
      requests.push('refused');
      response.writeHead(401).end();
      return;
    }
    requests.push(audience);
    const now = Math.floor(Date.now() / 1000);
    void new SignJWT({ ...claims, aud: audience })
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ: 'JWT' })
      .setIssuer(oidcIssuer)
      .setIssuedAt(now)
      .setNotBefore(now - 5)
      .setExpirationTime(now + 300)
      .setJti(randomUUID())
      .sign(privateKey)
      .then((jwt) => {
        issued.push(jwt);
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ count: 1, value: jwt }));
      });
  });
  const port = await listenOnLoopback(server);
  const json = (body: unknown) => async () => ({
    statusCode: 200,
    contentType: 'application/json',
    response: JSON.stringify(body),
  });
  return {
    issuer: oidcIssuer,
    env: {
      // The runner's URL carries its api-version already; clients append `&audience=…`.
      ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/_apis/distributedtask/idtoken?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
    },
    routes: {
      [new URL(oidcIssuer).host]: [
        {
          method: 'GET',
          path: '/.well-known/openid-configuration',
          fn: json({ issuer: oidcIssuer, jwks_uri: `${oidcIssuer}/.well-known/jwks` }),
        },
        { method: 'GET', path: '/.well-known/jwks', fn: json({ keys: [jwk] }) },
      ],
    },
    claims,
    issued: () => [...issued],
    requests: () => [...requests],
    stop: () => closeServer(server),
  };
}
