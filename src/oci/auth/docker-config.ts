import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OciError } from '../errors.js';

/**
 * The Docker CLI's credential configuration as plain data [docker/cli `configfile/file.go`, `types/authconfig.go`]:
 * where it lives, its `auths` entries and which credential helper serves which key. Nothing here builds a Credential;
 * credentials.ts decides what an entry means.
 */
export interface AuthEntry {
  /** Where the entry came from, for error messages: a file path or `DOCKER_AUTH_CONFIG`. */
  readonly source: string;
  readonly key: string;
  readonly username?: string;
  readonly password?: string;
  /** The raw base64 `auth` value; it encodes the password, so it is as secret as the password. */
  readonly auth?: string;
  readonly identityToken?: string;
  readonly registryToken?: string;
}

export interface DockerConfig {
  readonly source: string;
  readonly auths: Readonly<Record<string, unknown>>;
  readonly credsStore?: string;
  readonly credHelpers: Readonly<Record<string, string>>;
}

type Environment = Readonly<Record<string, string | undefined>>;

export const authConfigVariable = 'DOCKER_AUTH_CONFIG';

/**
 * `$DOCKER_CONFIG/config.json`, else `.docker/config.json` in the home directory: `$HOME`, or on Windows (where the
 * Docker CLI and docker/login-action use the user profile) `%USERPROFILE%`; undefined when none is set.
 */
export function configFilePath(env: Environment): string | undefined {
  if (env.DOCKER_CONFIG) return join(env.DOCKER_CONFIG, 'config.json');
  const home = env.HOME || env.USERPROFILE;
  if (home) return join(home, '.docker', 'config.json');
  return undefined;
}

function credentialsError(message: string, cause?: unknown): OciError {
  return new OciError({ code: 'CREDENTIALS', message, cause });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringRecord(value: unknown, field: string, source: string): Record<string, string> {
  if (value === undefined) return {};
  const valid = isRecord(value) && Object.values(value).every((entry) => typeof entry === 'string');
  if (!valid) throw credentialsError(`${source}: "${field}" must map registries to helper names`);
  return value as Record<string, string>;
}

function parseJsonObject(text: string, source: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The parser's message can quote the text around the fault, which may be a password: keep it out.
    throw credentialsError(`${source} is not valid JSON`);
  }
  if (!isRecord(json)) throw credentialsError(`${source} must hold a JSON object`);
  return json;
}

/** Parses config.json text; a broken file is an error naming the file, because guessing would publish anonymously. */
export function parseConfigFile(text: string, source: string): DockerConfig {
  const json = parseJsonObject(text, source);
  if (json.auths !== undefined && !isRecord(json.auths)) throw credentialsError(`${source}: "auths" must be an object`);
  if (json.credsStore !== undefined && typeof json.credsStore !== 'string') {
    throw credentialsError(`${source}: "credsStore" must be a string`);
  }
  return {
    source,
    auths: json.auths ?? {},
    ...(json.credsStore ? { credsStore: json.credsStore } : {}),
    credHelpers: stringRecord(json.credHelpers, 'credHelpers', source),
  };
}

/** Reads the config file once; a missing file means "no credentials configured", any other failure is reported. */
export async function readConfigFile(path: string): Promise<DockerConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw credentialsError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`, error);
  }
  return parseConfigFile(text, path);
}

/**
 * DOCKER_AUTH_CONFIG: `{"auths":{"<key>":{"auth":"<base64>"}}}` and nothing else, as the Docker CLI accepts it
 * [docker/cli `parseEnvConfig`: unknown fields rejected, `auth` required].
 */
export function parseAuthConfigVariable(text: string): DockerConfig {
  const json = parseJsonObject(text, authConfigVariable);
  const unknownField = Object.keys(json).find((field) => field !== 'auths');
  if (unknownField !== undefined) {
    throw credentialsError(`${authConfigVariable} may only hold "auths" (found "${unknownField}")`);
  }
  const auths = json.auths ?? {};
  if (!isRecord(auths)) throw credentialsError(`${authConfigVariable}: "auths" must be an object`);
  for (const [key, entry] of Object.entries(auths)) {
    const fields = isRecord(entry) ? Object.keys(entry) : [];
    if (fields.length !== 1 || fields[0] !== 'auth' || typeof (entry as { auth: unknown }).auth !== 'string') {
      throw credentialsError(`${authConfigVariable}: the entry for ${key} must hold exactly one field, "auth"`);
    }
  }
  return { source: authConfigVariable, auths, credHelpers: {} };
}

/** docker/cli `ConvertToHostname`: strip an http(s) scheme and any path, so `https://registry.example/v2/` names `registry.example`. */
export function convertToHostname(key: string): string {
  const withoutScheme = key.replace(/^https?:\/\//i, '');
  return withoutScheme.split('/')[0]!.toLowerCase();
}

/** The exact key first, then any key naming the same host (older `docker login` versions wrote URLs). */
export function findAuthEntry(config: DockerConfig, key: string): AuthEntry | undefined {
  const host = convertToHostname(key);
  const found =
    key in config.auths ? key : Object.keys(config.auths).find((candidate) => convertToHostname(candidate) === host);
  return found === undefined ? undefined : readAuthEntry(config.auths[found], found, config.source);
}

function optionalString(
  entry: Record<string, unknown>,
  field: string,
  key: string,
  source: string,
): string | undefined {
  const value = entry[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw credentialsError(`${source}: "${field}" of the entry for ${key} must be a string`);
  return value;
}

function readAuthEntry(raw: unknown, key: string, source: string): AuthEntry {
  if (!isRecord(raw)) throw credentialsError(`${source}: the entry for ${key} must be an object`);
  const field = (name: string): string | undefined => optionalString(raw, name, key, source);
  const auth = field('auth');
  const decoded = auth === undefined ? undefined : decodeAuth(auth, key, source);
  const username = decoded?.username ?? field('username');
  const password = decoded?.password ?? field('password');
  const identityToken = field('identitytoken');
  const registryToken = field('registrytoken');
  return {
    source,
    key,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    ...(auth === undefined ? {} : { auth }),
    ...(identityToken === undefined ? {} : { identityToken }),
    ...(registryToken === undefined ? {} : { registryToken }),
  };
}

/** docker/cli `decodeAuth`: base64 of `user:password`, split on the first colon, trailing NULs trimmed. */
function decodeAuth(auth: string, key: string, source: string): { username: string; password: string } {
  const invalid = (reason: string): OciError => credentialsError(`${source}: "auth" of the entry for ${key} ${reason}`);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(auth) || auth.length % 4 === 1) throw invalid('is not valid base64');
  const text = Buffer.from(auth, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0) throw invalid('must encode "username:password" with a non-empty username');
  return { username: text.slice(0, colon), password: text.slice(colon + 1).replace(/^\0+|\0+$/g, '') };
}
