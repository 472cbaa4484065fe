import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followAccessLog, settlePath, type AccessLog, type AccessLogEntry } from './access-log.js';
import { pickFreePort } from './loopback.js';
import { runCommand, startDaemon, type Daemon } from './process.js';
import { startTokenIssuer, type TokenIssuer } from './token-issuer.js';

export type { AccessLogEntry } from './access-log.js';

export type RegistryAuth = 'none' | 'basic' | 'token';

export interface TestUser {
  readonly username: string;
  readonly password: string;
}

/** A CNCF distribution 2.8.2 registry on a loopback port, with its own storage, users and access log. */
export interface TestRegistry {
  /** '127.0.0.1:PORT': the registry name in image references. */
  readonly host: string;
  readonly auth: RegistryAuth;
  /** May pull and push every repository (present but unused with auth 'none'). */
  readonly pusher: TestUser;
  /** May only pull, in 'token' mode; distribution's htpasswd has no per-user rights, so in 'basic' mode it can push. */
  readonly reader: TestUser;
  /** The token server of a 'token' registry, e.g. to count the tokens a client fetched. */
  readonly tokenIssuer?: TokenIssuer;
  /** Every request the registry has logged since start or the last reset(); call settle() first. */
  requests(): readonly AccessLogEntry[];
  /** requests() that change state: PUT, POST, PATCH, DELETE. */
  writes(): readonly AccessLogEntry[];
  /** Waits until every request answered before this call is in requests(). */
  settle(): Promise<void>;
  /** Forgets the entries seen so far. Lines of requests answered just before may still be in the pipe: settle() first. */
  reset(): void;
  /** Writes a DOCKER_CONFIG directory whose config.json holds `user` (default pusher) for this host; returns it. */
  dockerConfig(user?: TestUser): string;
  stop(): Promise<void>;
}

export interface RegistryOptions {
  readonly auth?: RegistryAuth;
  /** 'token' mode only: anonymous clients get pull tokens. */
  readonly anonymousPull?: boolean;
  /** Where the registry's directory (config and storage) is made; the system's temporary directory by default. */
  readonly parentDir?: string;
}

interface RunningRegistry {
  readonly daemon: Daemon;
  readonly log: AccessLog;
  readonly port: number;
}

const writeMethods = new Set(['PUT', 'POST', 'PATCH', 'DELETE']);
const startTimeoutMs = 15_000;
const settleTimeoutMs = 5_000;

export async function startRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
  const auth = options.auth ?? 'none';
  if (options.anonymousPull === true && auth !== 'token') {
    throw new Error(`anonymousPull needs auth 'token': distribution's ${auth} mode has no anonymous access rules`);
  }
  const dir = await mkdtemp(join(options.parentDir ?? tmpdir(), 'test-registry-'));
  const pusher = { username: 'pusher', password: randomBytes(12).toString('hex') };
  const reader = { username: 'reader', password: randomBytes(12).toString('hex') };
  let tokenIssuer: TokenIssuer | undefined;
  let running: RunningRegistry;
  try {
    if (auth === 'token') tokenIssuer = await startIssuerFor(pusher, reader, options.anonymousPull === true);
    const authSection = await writeAuthSection(auth, dir, [pusher, reader], tokenIssuer);
    running = await launchWithRetries(dir, authSection);
  } catch (error) {
    await tokenIssuer?.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const registry = describeRegistry({ dir, auth, pusher, reader, running, ...(tokenIssuer ? { tokenIssuer } : {}) });
  try {
    // The readiness probes are not the test's requests.
    await registry.settle();
    registry.reset();
    return registry;
  } catch (error) {
    await registry.stop();
    throw error;
  }
}

function startIssuerFor(pusher: TestUser, reader: TestUser, anonymousPull: boolean): Promise<TokenIssuer> {
  return startTokenIssuer({
    users: {
      [pusher.username]: { password: pusher.password, actions: ['pull', 'push'] },
      [reader.username]: { password: reader.password, actions: ['pull'] },
    },
    anonymousActions: anonymousPull ? ['pull'] : [],
  });
}

async function writeAuthSection(
  auth: RegistryAuth,
  dir: string,
  users: readonly TestUser[],
  tokenIssuer: TokenIssuer | undefined,
): Promise<Record<string, unknown> | undefined> {
  if (auth === 'basic') {
    const path = join(dir, 'htpasswd');
    await writeFile(path, (await Promise.all(users.map(hashPassword))).join('\n') + '\n');
    return { htpasswd: { realm: 'basic-realm', path } };
  }
  if (auth === 'token' && tokenIssuer !== undefined) {
    const { realm, service, issuer, certPath } = tokenIssuer;
    return { token: { realm, service, issuer, rootcertbundle: certPath } };
  }
  return undefined;
}

// distribution honours only bcrypt entries; an $apr1$ (htpasswd's default MD5) line is silently ignored.
async function hashPassword(user: TestUser): Promise<string> {
  const { stdout } = await runCommand('htpasswd', ['-Bbn', '-C', '4', user.username, user.password], {
    secrets: [user.password],
  });
  return stdout.toString('utf8').trim();
}

// The port is free when picked but the registry binds it later; a process taking it meanwhile costs one more try.
async function launchWithRetries(
  dir: string,
  authSection: Record<string, unknown> | undefined,
): Promise<RunningRegistry> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await pickFreePort();
    const configPath = join(dir, 'config.yml');
    await writeFile(configPath, JSON.stringify(registryConfig(dir, port, authSection), null, 2));
    try {
      return await launch(configPath, port);
    } catch (error) {
      if (attempt >= 3 || !String(error).includes('address already in use')) throw error;
    }
  }
}

// YAML is a superset of JSON, so the config is written as JSON.
function registryConfig(dir: string, port: number, authSection: Record<string, unknown> | undefined): object {
  return {
    version: '0.1',
    // The access log (Apache combined format, on stdout) is how tests count requests.
    log: { level: 'warn', formatter: 'text', accesslog: { disabled: false } },
    storage: {
      filesystem: { rootdirectory: join(dir, 'data') },
      delete: { enabled: true },
      maintenance: { uploadpurging: { enabled: false } },
    },
    http: { addr: `127.0.0.1:${port}`, secret: randomBytes(16).toString('hex') },
    ...(authSection === undefined ? {} : { auth: authSection }),
  };
}

async function launch(configPath: string, port: number): Promise<RunningRegistry> {
  const daemon = startDaemon('docker-registry', ['serve', configPath]);
  const log = followAccessLog(daemon.stdout);
  try {
    await Promise.race([waitUntilServing(port, daemon), daemon.exited]);
    return { daemon, log, port };
  } catch (error) {
    await daemon.stop();
    throw error;
  }
}

async function waitUntilServing(port: number, daemon: Daemon): Promise<void> {
  const deadline = Date.now() + startTimeoutMs;
  // Once the daemon has exited, `exited` has already rejected the race; stop polling.
  while (daemon.isRunning()) {
    try {
      // Any answer, 401 included, means the registry is serving.
      const response = await fetch(`http://127.0.0.1:${port}/v2/`);
      await response.arrayBuffer();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`docker-registry did not answer GET /v2/ on port ${port}: ${error}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  await daemon.exited;
}

function describeRegistry(parts: {
  readonly dir: string;
  readonly auth: RegistryAuth;
  readonly pusher: TestUser;
  readonly reader: TestUser;
  readonly running: RunningRegistry;
  readonly tokenIssuer?: TokenIssuer;
}): TestRegistry {
  const { dir, running, tokenIssuer } = parts;
  const host = `127.0.0.1:${running.port}`;
  let markers = 0;
  let configs = 0;
  let stopped: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    await running.daemon.stop();
    await tokenIssuer?.stop();
    await rm(dir, { recursive: true, force: true });
  };
  return {
    host,
    auth: parts.auth,
    pusher: parts.pusher,
    reader: parts.reader,
    ...(tokenIssuer ? { tokenIssuer } : {}),
    requests: () => running.log.entries(),
    writes: () => running.log.entries().filter((entry) => writeMethods.has(entry.method)),
    reset: () => running.log.reset(),
    settle: async () => {
      if (!running.daemon.isRunning()) throw new Error(`docker-registry exited:\n${running.daemon.stderrTail()}`);
      const marker = `${process.pid}-${++markers}`;
      const response = await fetch(`http://${host}${settlePath}?settle=${marker}`);
      await response.arrayBuffer();
      await running.log.waitForMarker(marker, settleTimeoutMs);
    },
    dockerConfig: (user = parts.pusher) => writeDockerConfig(join(dir, `docker-config-${++configs}`), host, user),
    stop: () => (stopped ??= stop()),
  };
}

function writeDockerConfig(configDir: string, host: string, user: TestUser): string {
  mkdirSync(configDir, { recursive: true });
  const auth = Buffer.from(`${user.username}:${user.password}`).toString('base64');
  writeFileSync(join(configDir, 'config.json'), JSON.stringify({ auths: { [host]: { auth } } }, null, 2));
  return configDir;
}

/** One registry per auth mode, started together: open, htpasswd Basic, bearer token. */
export function startEveryAuthMode(): Promise<[open: TestRegistry, basic: TestRegistry, token: TestRegistry]> {
  return Promise.all([
    startRegistry({ auth: 'none' }),
    startRegistry({ auth: 'basic' }),
    startRegistry({ auth: 'token' }),
  ]);
}
