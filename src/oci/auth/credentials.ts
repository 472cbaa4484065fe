import { inspect } from 'node:util';
import { askCredentialHelper } from './credential-helper.js';
import {
  authConfigVariable,
  configFilePath,
  findAuthEntry,
  parseAuthConfigVariable,
  readConfigFile,
  type AuthEntry,
  type DockerConfig,
} from './docker-config.js';
import { credentialKey } from '../registries/lookup.js';

/**
 * Where credentials come from (Docker's config.json, DOCKER_AUTH_CONFIG, credential helpers), kept apart from how
 * they are sent (token.ts, transport.ts), as go-containerregistry's authn keeps Keychain apart from its transports.
 */
export type Credential =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  /** A refresh token (config `identitytoken`, or a helper's user `<token>`), exchanged by the OAuth2 POST. */
  | { readonly kind: 'identity-token'; readonly username: string; readonly token: string }
  /** Config `registrytoken`: sent to the registry as Bearer as it is, with no exchange. */
  | { readonly kind: 'registry-token'; readonly token: string };

export interface Keychain {
  /** `registry` is the canonical name: `registry.example`, `127.0.0.1:5000`. */
  resolve(registry: string): Promise<Credential>;
}

export interface KeychainOptions {
  /** Defaults to process.env; read: DOCKER_AUTH_CONFIG, DOCKER_CONFIG, HOME, and PATH (plus the rest, for helpers). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Called with every password and token the moment it is read, so the runner can mask it. */
  readonly onSecret?: (value: string) => void;
  /** How long a credential helper may take; 30 s by default. */
  readonly helperTimeoutMs?: number;
}

const redacted = '[redacted]';

export const anonymous: Credential = Object.freeze({ kind: 'anonymous' });

/**
 * Builds a credential whose secret field is non-enumerable and which prints as `[redacted]` through JSON.stringify,
 * String(), template literals and util.inspect, so logging one by mistake leaks nothing.
 */
function withHiddenSecret<T extends Credential>(
  visible: Readonly<Record<string, string>>,
  name: string,
  secret: string,
): T {
  const printable = Object.freeze({ ...visible, [name]: redacted });
  const credential = { ...visible };
  Object.defineProperties(credential, {
    [name]: { value: secret, enumerable: false },
    toJSON: { value: () => printable },
    toString: { value: () => `${visible.kind} credential ${JSON.stringify(printable)}` },
    [inspect.custom]: { value: () => printable },
  });
  return Object.freeze(credential) as unknown as T;
}

export function basicCredential(username: string, password: string): Credential {
  return withHiddenSecret({ kind: 'basic', username }, 'password', password);
}

export function identityTokenCredential(username: string, token: string): Credential {
  return withHiddenSecret({ kind: 'identity-token', username }, 'token', token);
}

export function registryTokenCredential(token: string): Credential {
  return withHiddenSecret({ kind: 'registry-token' }, 'token', token);
}

/** The same credential rebuilt by the factories, so a hand-written object literal gains the redaction too. */
export function redactedCredential(credential: Credential): Credential {
  switch (credential.kind) {
    case 'anonymous':
      return anonymous;
    case 'basic':
      return basicCredential(credential.username, credential.password);
    case 'identity-token':
      return identityTokenCredential(credential.username, credential.token);
    case 'registry-token':
      return registryTokenCredential(credential.token);
  }
}

/** Credentials by canonical registry name; any other registry is anonymous. */
export function staticKeychain(entries: Readonly<Record<string, Credential>>): Keychain {
  const credentials = new Map(
    Object.entries(entries).map(([registry, value]) => [registry, redactedCredential(value)]),
  );
  return { resolve: (registry) => Promise.resolve(credentials.get(registry) ?? anonymous) };
}

// docker/cli `native_store.go` `tokenUsername`: a helper answering with this user hands over an identity token.
const identityTokenUsername = '<token>';

/** What an auths entry means; the strongest form wins, as in the Docker CLI and go-containerregistry. */
function credentialFromEntry(entry: AuthEntry): Credential {
  if (entry.registryToken !== undefined) return registryTokenCredential(entry.registryToken);
  if (entry.identityToken !== undefined) {
    return identityTokenCredential(entry.username ?? identityTokenUsername, entry.identityToken);
  }
  if (entry.username !== undefined || entry.password !== undefined) {
    return basicCredential(entry.username ?? '', entry.password ?? '');
  }
  return anonymous;
}

function secretsOf(credential: Credential): string[] {
  switch (credential.kind) {
    case 'anonymous':
      return [];
    case 'basic':
      return [credential.password, Buffer.from(`${credential.username}:${credential.password}`).toString('base64')];
    case 'identity-token':
    case 'registry-token':
      return [credential.token];
  }
}

/** Reads once, on first use; a failed read is not kept, so a later resolve reports the problem again. */
function lazily<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

interface ConfigSources {
  readonly variable: () => Promise<DockerConfig | undefined>;
  readonly file: () => Promise<DockerConfig | undefined>;
}

function configSources(env: Readonly<Record<string, string | undefined>>): ConfigSources {
  const variable = env[authConfigVariable];
  const path = configFilePath(env);
  return {
    variable: lazily(async () => (variable ? parseAuthConfigVariable(variable) : undefined)),
    file: lazily(async () => (path === undefined ? undefined : readConfigFile(path))),
  };
}

async function resolveFromConfig(
  sources: ConfigSources,
  registry: string,
  options: KeychainOptions & { readonly env: Readonly<Record<string, string | undefined>> },
): Promise<Credential> {
  const key = credentialKey(registry);
  // DOCKER_AUTH_CONFIG wins for the keys it names; the file and helpers serve the rest [docker/cli GetCredentialsStore].
  const fromVariable = await sources.variable();
  const variableEntry = fromVariable === undefined ? undefined : findAuthEntry(fromVariable, key);
  if (variableEntry !== undefined) return credentialFromEntry(variableEntry);
  const config = await sources.file();
  if (config === undefined) return anonymous;
  const helper = config.credHelpers[key] ?? config.credsStore;
  if (helper) {
    const timeoutMs = options.helperTimeoutMs ?? 30_000;
    const answer = await askCredentialHelper({ helper, key, registry, env: options.env, timeoutMs });
    if (answer.found && answer.username === identityTokenUsername) {
      return identityTokenCredential(answer.username, answer.secret);
    }
    if (answer.found) return basicCredential(answer.username, answer.secret);
  }
  const entry = findAuthEntry(config, key);
  return entry === undefined ? anonymous : credentialFromEntry(entry);
}

/**
 * Credentials the way the Docker CLI finds them: DOCKER_AUTH_CONFIG, then `$DOCKER_CONFIG/config.json` or
 * `$HOME/.docker/config.json` with its credHelpers, credsStore and auths. Each registry is resolved once per keychain.
 */
export function dockerConfigKeychain(options: KeychainOptions = {}): Keychain {
  const env = options.env ?? process.env;
  const sources = configSources(env);
  const resolved = new Map<string, Promise<Credential>>();
  const resolveOnce = async (registry: string): Promise<Credential> => {
    const credential = await resolveFromConfig(sources, registry, { ...options, env });
    for (const secret of secretsOf(credential)) if (secret !== '') options.onSecret?.(secret);
    return credential;
  };
  return {
    resolve(registry) {
      const key = credentialKey(registry);
      let pending = resolved.get(key);
      if (pending === undefined) {
        pending = resolveOnce(registry);
        resolved.set(key, pending);
        // A failure is not remembered: the next resolve asks again (a helper may have been fixed or timed out).
        pending.catch(() => resolved.delete(key));
      }
      return pending;
    },
  };
}
