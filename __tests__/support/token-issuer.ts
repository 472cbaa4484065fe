import { createPrivateKey, randomBytes, randomUUID, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeServer, listenOnLoopback, readBody } from './loopback.js';
import { runCommand } from './process.js';

/** A token server speaking Docker's token protocol (distribution docs/spec/auth/token.md and oauth.md), whose JWTs
 * the real registry verifies against `certPath` (its `auth.token.rootcertbundle`). */
export interface TokenIssuer {
  readonly realm: string;
  readonly service: string;
  readonly issuer: string;
  readonly certPath: string;
  tokensIssued(): number;
  /** Every token and refresh token handed out so far: what a test checks never shows in a log. */
  secretsIssued(): readonly string[];
  stop(): Promise<void>;
}

export type TokenAction = 'pull' | 'push';

export interface TokenIssuerOptions {
  readonly users: Readonly<Record<string, { readonly password: string; readonly actions: readonly TokenAction[] }>>;
  readonly anonymousActions?: readonly TokenAction[];
}

interface AccessEntry {
  readonly type: string;
  readonly name: string;
  readonly actions: readonly string[];
}

interface Signer {
  readonly key: KeyObject;
  readonly certificateDer: string;
}

interface TokenRequest {
  readonly service: string | null;
  readonly scopes: readonly string[];
  readonly offline: boolean;
  readonly credentials: { readonly username: string; readonly password: string } | 'refresh' | null;
  readonly refreshToken?: string;
}

/** What the issuer answers: a status and a JSON body. */
interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const service = 'test-registry';
const issuer = 'test-issuer';
const tokenLifetimeSeconds = 300;

export async function startTokenIssuer(options: TokenIssuerOptions): Promise<TokenIssuer> {
  const dir = await mkdtemp(join(tmpdir(), 'token-issuer-'));
  try {
    const signer = await createSigner(dir);
    const state = { issued: 0, refreshTokens: new Map<string, string>(), handedOut: [] as string[] };
    const server = createServer((request, response) => {
      answer(request, options, signer, state)
        .catch((error: unknown): Reply => ({ status: 500, body: { details: String(error) } }))
        .then((reply) => sendReply(response, reply));
    });
    const port = await listenOnLoopback(server);
    return {
      realm: `http://127.0.0.1:${port}/token`,
      service,
      issuer,
      certPath: join(dir, 'token.crt'),
      tokensIssued: () => state.issued,
      secretsIssued: () => [...state.handedOut],
      stop: async () => {
        await closeServer(server);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

// distribution 2.8.2 accepts a key named by x5c when the chain ends in rootcertbundle; a self-signed cert is its own chain.
async function createSigner(dir: string): Promise<Signer> {
  const keyPath = join(dir, 'token.key');
  const certPath = join(dir, 'token.crt');
  await runCommand('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2',
    '-subj', `/CN=${issuer}`, '-keyout', keyPath, '-out', certPath,
  ]); // prettier-ignore
  const certificate = new X509Certificate(await readFile(certPath));
  return { key: createPrivateKey(await readFile(keyPath)), certificateDer: certificate.raw.toString('base64') };
}

async function answer(
  request: IncomingMessage,
  options: TokenIssuerOptions,
  signer: Signer,
  state: { issued: number; refreshTokens: Map<string, string>; handedOut: string[] },
): Promise<Reply> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== '/token') return { status: 404, body: { details: 'not found' } };
  const parsed = await parseTokenRequest(request, url);
  if ('status' in parsed) return parsed;
  if (parsed.service !== null && parsed.service !== service) {
    return { status: 400, body: { details: `unknown service ${parsed.service}` } };
  }
  const subject = authenticate(parsed, options, state.refreshTokens);
  if (subject === null) return { status: 401, body: { details: 'incorrect username or password' } };
  const allowed = subject === '' ? (options.anonymousActions ?? []) : (options.users[subject]?.actions ?? []);
  const access = grantAccess(parsed.scopes, allowed);
  const token = signToken(signer, subject, access);
  state.issued += 1;
  state.handedOut.push(token);
  const body: Record<string, unknown> = {
    token,
    access_token: token,
    expires_in: tokenLifetimeSeconds,
    issued_at: new Date().toISOString(),
  };
  if (parsed.offline && subject !== '') {
    const refreshToken = randomBytes(24).toString('hex');
    state.refreshTokens.set(refreshToken, subject);
    state.handedOut.push(refreshToken);
    body.refresh_token = refreshToken;
  }
  return { status: 200, body };
}

async function parseTokenRequest(request: IncomingMessage, url: URL): Promise<TokenRequest | Reply> {
  if (request.method === 'GET') {
    return {
      service: url.searchParams.get('service'),
      scopes: url.searchParams.getAll('scope'),
      offline: url.searchParams.get('offline_token') === 'true',
      credentials: parseBasic(request.headers.authorization),
    };
  }
  if (request.method === 'POST') return parseOAuthForm(new URLSearchParams((await readBody(request)).toString('utf8')));
  return { status: 405, body: { details: `method ${request.method} not allowed` } };
}

// oauth.md: one space-separated scope field; client_id is required.
function parseOAuthForm(form: URLSearchParams): TokenRequest | Reply {
  const grantType = form.get('grant_type');
  if (form.get('client_id') === null) return { status: 400, body: { error: 'invalid_request', details: 'client_id' } };
  const common = {
    service: form.get('service'),
    scopes: (form.get('scope') ?? '').split(' ').filter((scope) => scope !== ''),
    offline: form.get('access_type') === 'offline',
  };
  if (grantType === 'password') {
    return { ...common, credentials: { username: form.get('username') ?? '', password: form.get('password') ?? '' } };
  }
  if (grantType === 'refresh_token') {
    return { ...common, credentials: 'refresh', refreshToken: form.get('refresh_token') ?? '' };
  }
  return { status: 400, body: { error: 'unsupported_grant_type', details: String(grantType) } };
}

/** The token's subject: a user name, '' for anonymous, or null when the credentials are wrong. */
function authenticate(
  request: TokenRequest,
  options: TokenIssuerOptions,
  refreshTokens: ReadonlyMap<string, string>,
): string | null {
  if (request.credentials === null) return '';
  if (request.credentials === 'refresh') return refreshTokens.get(request.refreshToken ?? '') ?? null;
  const user = options.users[request.credentials.username];
  return user !== undefined && user.password === request.credentials.password ? request.credentials.username : null;
}

function parseBasic(header: string | undefined): { readonly username: string; readonly password: string } | null {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (match === null) return null;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  // A malformed header is a wrong password, not anonymous access.
  if (colon < 0) return { username: decoded, password: '\u0000invalid' };
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

// Scope grammar (auth/scope.md): type:name:actions, where the name may itself hold a host:port.
function grantAccess(scopes: readonly string[], allowed: readonly TokenAction[]): AccessEntry[] {
  return scopes.flatMap((scope) =>
    scope.split(' ').flatMap((single): AccessEntry[] => {
      const firstColon = single.indexOf(':');
      const lastColon = single.lastIndexOf(':');
      if (firstColon < 0 || lastColon === firstColon) return [];
      const type = single.slice(0, firstColon);
      const requested = single.slice(lastColon + 1).split(',');
      const wanted = requested.includes('*') ? allowed : requested;
      const actions = type === 'repository' ? allowed.filter((action) => wanted.includes(action)) : [];
      return actions.length === 0 ? [] : [{ type, name: single.slice(firstColon + 1, lastColon), actions }];
    }),
  );
}

function signToken(signer: Signer, subject: string, access: readonly AccessEntry[]): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: 'JWT', alg: 'RS256', x5c: [signer.certificateDer] };
  // aud is a string: distribution 2.8.2 cannot unmarshal an array there.
  const claims = { iss: issuer, sub: subject, aud: service, exp: now + tokenLifetimeSeconds, nbf: now - 1, iat: now };
  const payload = { ...claims, jti: randomUUID(), access };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = sign('sha256', Buffer.from(signingInput), signer.key);
  return `${signingInput}.${signature.toString('base64url')}`;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function sendReply(response: ServerResponse, reply: Reply): void {
  response.writeHead(reply.status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(reply.body));
}
