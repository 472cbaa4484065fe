import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { anonymous, dockerConfigKeychain, type Credential } from '../../../../src/oci/auth/credentials.js';
import { OciError } from '../../../../src/oci/errors.js';

// Real docker-credential-* programs, run the way the Docker CLI runs them: `get` as the argument, the key on stdin.
let root: string;
let binDir: string;
let callLog: string;
let counter = 0;

const helperSecret = 'helper-secret-value';

/** A helper that answers per key, as docker-credential-helpers' programs do, and logs each call it gets. */
function helperScript(log: string): string {
  return `#!/bin/sh
key=$(cat)
printf '%s %s %s\\n' "$1" "$key" "\${HELPER_MARKER:-none}" >> '${log}'
case "$key" in
  ghcr.io) printf '{"ServerURL":"ghcr.io","Username":"helper-user","Secret":"${helperSecret}"}' ;;
  https://index.docker.io/v1/) printf '{"ServerURL":"%s","Username":"hub-user","Secret":"hub-secret"}' "$key" ;;
  r.azurecr.io) printf '{"ServerURL":"r.azurecr.io","Username":"<token>","Secret":"identity-secret"}' ;;
  broken.example) echo 'error getting credentials - err: exec: "aws": executable file not found' >&2; exit 3 ;;
  garbage.example) echo 'Username=helper-user' ;;
  slow.example) exec sleep 5 ;;
  *) echo 'credentials not found in native keychain'; exit 1 ;;
esac
`;
}

async function installHelper(name: string): Promise<void> {
  const path = join(binDir, `docker-credential-${name}`);
  await writeFile(path, helperScript(callLog));
  await chmod(path, 0o755);
}

async function helperCalls(): Promise<string[]> {
  const text = await readFile(callLog, 'utf8').catch(() => '');
  return text.split('\n').filter((line) => line !== '');
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'credential-helper-test-'));
  binDir = join(root, 'bin');
  await mkdir(binDir);
  callLog = join(root, 'calls.log');
  await installHelper('fake');
  await installHelper('other');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

beforeEach(async () => {
  await rm(callLog, { force: true });
});

async function keychainFor(
  config: unknown,
  extra: { onSecret?: (value: string) => void; helperTimeoutMs?: number } = {},
) {
  const dir = join(root, `config-${counter++}`);
  await mkdir(dir);
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
  const env = { DOCKER_CONFIG: dir, PATH: `${binDir}:/usr/bin:/bin`, HELPER_MARKER: 'from-keychain-env' };
  return dockerConfigKeychain({ env, ...extra });
}

function reveal(credential: Credential): Record<string, string> {
  switch (credential.kind) {
    case 'anonymous':
      return { kind: 'anonymous' };
    case 'basic':
      return { kind: 'basic', username: credential.username, password: credential.password };
    case 'identity-token':
      return { kind: 'identity-token', username: credential.username, token: credential.token };
    case 'registry-token':
      return { kind: 'registry-token', token: credential.token };
  }
}

async function failure(promise: Promise<unknown>): Promise<OciError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(OciError);
  return error as OciError;
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

describe('credential helpers', () => {
  test('runs the credsStore helper with `get`, the key on stdin and the keychain environment', async () => {
    const keychain = await keychainFor({ credsStore: 'fake' });
    expect(reveal(await keychain.resolve('ghcr.io'))).toEqual({
      kind: 'basic',
      username: 'helper-user',
      password: helperSecret,
    });
    expect(await helperCalls()).toEqual(['get ghcr.io from-keychain-env']);
  });

  test("asks for Docker Hub under Docker's v1 key", async () => {
    const keychain = await keychainFor({ credsStore: 'fake' });
    expect(reveal(await keychain.resolve('docker.io'))).toEqual({
      kind: 'basic',
      username: 'hub-user',
      password: 'hub-secret',
    });
    expect(await helperCalls()).toEqual(['get https://index.docker.io/v1/ from-keychain-env']);
  });

  test('takes the user <token> as an identity token', async () => {
    const keychain = await keychainFor({ credsStore: 'fake' });
    expect(reveal(await keychain.resolve('r.azurecr.io'))).toEqual({
      kind: 'identity-token',
      username: '<token>',
      token: 'identity-secret',
    });
  });

  test('prefers the credHelpers entry for the key over credsStore', async () => {
    const keychain = await keychainFor({ credsStore: 'missing', credHelpers: { 'ghcr.io': 'fake' } });
    expect(reveal(await keychain.resolve('ghcr.io')).username).toBe('helper-user');
  });

  test('falls back to the auths entry when the helper has no credentials for the key', async () => {
    const keychain = await keychainFor({
      credsStore: 'fake',
      auths: { 'quay.io': { auth: b64('file-user:file-pw') } },
    });
    expect(reveal(await keychain.resolve('quay.io'))).toEqual({
      kind: 'basic',
      username: 'file-user',
      password: 'file-pw',
    });
    expect(await helperCalls()).toEqual(['get quay.io from-keychain-env']);
  });

  test('is anonymous when the helper has no credentials and the file has no entry', async () => {
    const keychain = await keychainFor({ credsStore: 'fake' });
    expect(await keychain.resolve('quay.io')).toBe(anonymous);
  });

  test('runs the helper once per key and hands its secret to onSecret', async () => {
    const secrets: string[] = [];
    const keychain = await keychainFor({ credsStore: 'fake' }, { onSecret: (value) => secrets.push(value) });
    await Promise.all([keychain.resolve('ghcr.io'), keychain.resolve('ghcr.io')]);
    await keychain.resolve('ghcr.io');
    expect(await helperCalls()).toHaveLength(1);
    expect(secrets).toContain(helperSecret);
  });

  test('reports a helper that is not on PATH, naming the helper and the registry', async () => {
    const keychain = await keychainFor({ credHelpers: { 'ghcr.io': 'missing' } });
    const error = await failure(keychain.resolve('ghcr.io'));
    expect(error.code).toBe('CREDENTIALS');
    expect(error.registry).toBe('ghcr.io');
    expect(error.message).toContain('docker-credential-missing');
    expect(error.message).toContain('ghcr.io');
    expect(error.message).toContain('not on PATH');
  });

  test('reports a failing helper with its exit code and complaint', async () => {
    const keychain = await keychainFor({ credsStore: 'fake' });
    const error = await failure(keychain.resolve('broken.example'));
    expect(error.code).toBe('CREDENTIALS');
    expect(error.message).toContain('docker-credential-fake');
    expect(error.message).toContain('broken.example');
    expect(error.message).toContain('exit code 3');
    expect(error.message).toContain('executable file not found');
  });

  test('reports output that is not credentials JSON without quoting it', async () => {
    const keychain = await keychainFor({ credsStore: 'fake' });
    const error = await failure(keychain.resolve('garbage.example'));
    expect(error.code).toBe('CREDENTIALS');
    expect(error.message).toContain('not credentials JSON');
    expect(`${error.message} ${inspect(error)}`).not.toContain('helper-user');
  });

  test('gives up on a helper that does not answer in time', async () => {
    const keychain = await keychainFor({ credsStore: 'fake' }, { helperTimeoutMs: 300 });
    const started = Date.now();
    const error = await failure(keychain.resolve('slow.example'));
    expect(error.code).toBe('CREDENTIALS');
    expect(error.message).toContain('did not answer within 300 ms');
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  test('refuses a helper name that is a path', async () => {
    const keychain = await keychainFor({ credsStore: '../bin/fake' });
    const error = await failure(keychain.resolve('ghcr.io'));
    expect(error.code).toBe('CREDENTIALS');
    expect(await helperCalls()).toEqual([]);
  });

  test('never puts the secret into an error', async () => {
    const keychain = await keychainFor({ credsStore: 'fake', credHelpers: { 'quay.io': 'missing' } });
    const credential = await keychain.resolve('ghcr.io');
    const error = await failure(keychain.resolve('quay.io'));
    expect(`${inspect(credential)} ${JSON.stringify(credential)} ${inspect(error)}`).not.toContain(helperSecret);
  });
});
