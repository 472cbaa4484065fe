import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format, inspect } from 'node:util';
import {
  anonymous,
  basicCredential,
  dockerConfigKeychain,
  identityTokenCredential,
  registryTokenCredential,
  staticKeychain,
  type Credential,
} from '../../../../src/oci/auth/credentials.js';
import { OciError } from '../../../../src/oci/errors.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** The credential with its secret in plain sight, for comparisons (toEqual skips non-enumerable fields). */
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

let root: string;
let counter = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'credentials-test-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh directory holding config.json with `content` (a string is written as it is). */
async function configDir(content: unknown): Promise<string> {
  const dir = join(root, `config-${counter++}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'config.json'), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

async function resolveWith(config: unknown, registry: string): Promise<Credential> {
  const keychain = dockerConfigKeychain({ env: { DOCKER_CONFIG: await configDir(config) } });
  return keychain.resolve(registry);
}

describe('credential redaction', () => {
  const cases: [string, Credential, string][] = [
    ['basic', basicCredential('alice', 's3cret-password'), 's3cret-password'],
    ['identity-token', identityTokenCredential('<token>', 'refresh-t0ken'), 'refresh-t0ken'],
    ['registry-token', registryTokenCredential('bearer-t0ken'), 'bearer-t0ken'],
  ];

  test.each(cases)('the %s credential prints [redacted] through every printer', (_kind, credential, secret) => {
    const printed = [
      JSON.stringify(credential),
      JSON.stringify({ nested: [credential] }),
      String(credential),
      `${credential}`,
      inspect(credential),
      inspect(credential, { showHidden: true, depth: 5 }),
      inspect({ nested: credential }),
      format('%s %o %O %j', credential, credential, credential, credential),
    ];
    for (const text of printed) {
      expect(text).not.toContain(secret);
      expect(text).toContain('[redacted]');
    }
  });

  test.each(cases)('the %s credential still hands its secret to code that asks for it', (_kind, credential, secret) => {
    expect(Object.values(reveal(credential))).toContain(secret);
    expect(Object.keys(credential)).not.toContain('password');
    expect(Object.keys(credential)).not.toContain('token');
  });

  test('shows the username and kind, which are not secret', () => {
    expect(JSON.parse(JSON.stringify(basicCredential('alice', 'pw')))).toEqual({
      kind: 'basic',
      username: 'alice',
      password: '[redacted]',
    });
  });

  test('credentials cannot be changed after they are made', () => {
    const credential = basicCredential('alice', 'pw') as { password: string };
    expect(() => {
      credential.password = 'other';
    }).toThrow(TypeError);
  });
});

describe('staticKeychain', () => {
  test('answers by registry name and anonymous for any other registry', async () => {
    const keychain = staticKeychain({ 'ghcr.io': basicCredential('u', 'p') });
    expect(reveal(await keychain.resolve('ghcr.io'))).toEqual({ kind: 'basic', username: 'u', password: 'p' });
    expect(await keychain.resolve('docker.io')).toBe(anonymous);
  });

  test('redacts credentials given as plain object literals', async () => {
    const keychain = staticKeychain({ 'ghcr.io': { kind: 'registry-token', token: 'plain-literal-token' } });
    const credential = await keychain.resolve('ghcr.io');
    expect(JSON.stringify(credential)).not.toContain('plain-literal-token');
    expect(reveal(credential)).toEqual({ kind: 'registry-token', token: 'plain-literal-token' });
  });
});

describe('dockerConfigKeychain reads auths entries', () => {
  test.each<[string, unknown, string, Record<string, string>]>([
    [
      'a base64 auth entry',
      { auths: { 'ghcr.io': { auth: b64('alice:pw') } } },
      'ghcr.io',
      { kind: 'basic', username: 'alice', password: 'pw' },
    ],
    [
      'a password with colons, split on the first one',
      { auths: { 'ghcr.io': { auth: b64('alice:p:w:d') } } },
      'ghcr.io',
      { kind: 'basic', username: 'alice', password: 'p:w:d' },
    ],
    [
      'a password with trailing NUL bytes trimmed',
      { auths: { 'ghcr.io': { auth: b64('alice:pw\0\0') } } },
      'ghcr.io',
      { kind: 'basic', username: 'alice', password: 'pw' },
    ],
    [
      'username and password fields',
      { auths: { 'quay.io': { username: 'bob', password: 'pw2' } } },
      'quay.io',
      { kind: 'basic', username: 'bob', password: 'pw2' },
    ],
    [
      'an identity token with the username from auth (ACR)',
      {
        auths: {
          'r.azurecr.io': { auth: b64('00000000-0000-0000-0000-000000000000:'), identitytoken: 'refresh' },
        },
      },
      'r.azurecr.io',
      { kind: 'identity-token', username: '00000000-0000-0000-0000-000000000000', token: 'refresh' },
    ],
    [
      'an identity token without a username',
      { auths: { 'r.azurecr.io': { identitytoken: 'refresh' } } },
      'r.azurecr.io',
      { kind: 'identity-token', username: '<token>', token: 'refresh' },
    ],
    [
      'a registry token, which wins over a password',
      { auths: { 'ghcr.io': { auth: b64('alice:pw'), registrytoken: 'bearer' } } },
      'ghcr.io',
      { kind: 'registry-token', token: 'bearer' },
    ],
    [
      "Docker Hub under Docker's v1 key",
      { auths: { 'https://index.docker.io/v1/': { auth: b64('hub:pw') } } },
      'docker.io',
      { kind: 'basic', username: 'hub', password: 'pw' },
    ],
    [
      'a registry with a port',
      { auths: { '127.0.0.1:5000': { auth: b64('local:pw') } } },
      '127.0.0.1:5000',
      { kind: 'basic', username: 'local', password: 'pw' },
    ],
    [
      'a key written as an https URL',
      { auths: { 'https://ghcr.io': { auth: b64('url:pw') } } },
      'ghcr.io',
      { kind: 'basic', username: 'url', password: 'pw' },
    ],
    [
      'a key with a path',
      { auths: { 'ghcr.io/v2/': { auth: b64('path:pw') } } },
      'ghcr.io',
      { kind: 'basic', username: 'path', password: 'pw' },
    ],
    [
      'the exact key before a key naming the same host',
      { auths: { 'https://ghcr.io': { auth: b64('url:pw') }, 'ghcr.io': { auth: b64('exact:pw') } } },
      'ghcr.io',
      { kind: 'basic', username: 'exact', password: 'pw' },
    ],
    [
      'nothing for another port of the same host',
      { auths: { 'localhost:5001': { auth: b64('other:pw') } } },
      'localhost:5000',
      { kind: 'anonymous' },
    ],
    ['nothing for an empty entry', { auths: { 'ghcr.io': {} } }, 'ghcr.io', { kind: 'anonymous' }],
    ['nothing for a registry with no entry', { auths: {} }, 'ghcr.io', { kind: 'anonymous' }],
    ['nothing from a config without auths', {}, 'ghcr.io', { kind: 'anonymous' }],
  ])('resolves %s', async (_name, config, registry, expected) => {
    expect(reveal(await resolveWith(config, registry))).toEqual(expected);
  });
});

describe('dockerConfigKeychain finds the config', () => {
  const entry = (user: string): unknown => ({ auths: { 'ghcr.io': { auth: b64(`${user}:pw`) } } });

  test('reads $DOCKER_CONFIG/config.json before $HOME/.docker/config.json', async () => {
    const home = join(root, `home-${counter++}`);
    await mkdir(join(home, '.docker'), { recursive: true });
    await writeFile(join(home, '.docker', 'config.json'), JSON.stringify(entry('from-home')));
    const both = dockerConfigKeychain({
      env: { DOCKER_CONFIG: await configDir(entry('from-docker-config')), HOME: home },
    });
    const homeOnly = dockerConfigKeychain({ env: { HOME: home } });
    // Windows runners have no HOME: the Docker CLI and docker/login-action use the user profile there.
    const profileOnly = dockerConfigKeychain({ env: { USERPROFILE: home } });
    expect(reveal(await both.resolve('ghcr.io')).username).toBe('from-docker-config');
    expect(reveal(await homeOnly.resolve('ghcr.io')).username).toBe('from-home');
    expect(reveal(await profileOnly.resolve('ghcr.io')).username).toBe('from-home');
  });

  test.each<[string, () => Record<string, string>]>([
    ['the config file is missing', () => ({ DOCKER_CONFIG: join(root, 'does-not-exist') })],
    ['neither DOCKER_CONFIG nor HOME is set', () => ({})],
  ])('is anonymous for every registry when %s', async (_name, env) => {
    const keychain = dockerConfigKeychain({ env: env() });
    expect(await keychain.resolve('ghcr.io')).toBe(anonymous);
    expect(await keychain.resolve('docker.io')).toBe(anonymous);
  });

  test('lets DOCKER_AUTH_CONFIG win for the keys it names and uses the file for the rest', async () => {
    const file = { auths: { 'ghcr.io': { auth: b64('file:pw') }, 'quay.io': { auth: b64('file-quay:pw') } } };
    const variable = JSON.stringify({ auths: { 'ghcr.io': { auth: b64('variable:pw') } } });
    const keychain = dockerConfigKeychain({
      env: { DOCKER_AUTH_CONFIG: variable, DOCKER_CONFIG: await configDir(file) },
    });
    expect(reveal(await keychain.resolve('ghcr.io')).username).toBe('variable');
    expect(reveal(await keychain.resolve('quay.io')).username).toBe('file-quay');
  });

  test('reads the config once per keychain, on first use', async () => {
    const dir = await configDir(entry('before'));
    const keychain = dockerConfigKeychain({ env: { DOCKER_CONFIG: dir } });
    await writeFile(join(dir, 'config.json'), JSON.stringify(entry('created-before-first-use')));
    expect(reveal(await keychain.resolve('ghcr.io')).username).toBe('created-before-first-use');
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({ auths: { 'quay.io': { auth: b64('after:pw') }, 'ghcr.io': { auth: b64('after:pw') } } }),
    );
    expect(reveal(await keychain.resolve('ghcr.io')).username).toBe('created-before-first-use');
    expect(await keychain.resolve('quay.io')).toBe(anonymous);
  });

  test('hands every secret it reads to onSecret, including the encoded auth value', async () => {
    const seen: string[] = [];
    const config = {
      auths: { 'ghcr.io': { auth: b64('alice:pw-one') }, 'r.azurecr.io': { identitytoken: 'refresh-two' } },
    };
    const keychain = dockerConfigKeychain({
      env: { DOCKER_CONFIG: await configDir(config) },
      onSecret: (value) => seen.push(value),
    });
    await keychain.resolve('ghcr.io');
    await keychain.resolve('r.azurecr.io');
    await keychain.resolve('quay.io');
    expect(seen).toEqual(['pw-one', b64('alice:pw-one'), 'refresh-two']);
  });
});

describe('dockerConfigKeychain rejects broken configuration', () => {
  const secret = 'hunter2-do-not-print';

  async function failure(env: Record<string, string>, registry = 'ghcr.io'): Promise<OciError> {
    const error = await dockerConfigKeychain({ env })
      .resolve(registry)
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(error).toBeInstanceOf(OciError);
    return error as OciError;
  }

  test.each<[string, unknown, string]>([
    ['malformed JSON', `{"auths": {"ghcr.io": {"auth": "${secret}"`, 'is not valid JSON'],
    ['a JSON array', '[]', 'must hold a JSON object'],
    ['auths that is not an object', { auths: 'ghcr.io' }, '"auths" must be an object'],
    ['auth that is not base64', { auths: { 'ghcr.io': { auth: `${secret}!` } } }, 'is not valid base64'],
    ['auth with an empty username', { auths: { 'ghcr.io': { auth: b64(`:${secret}`) } } }, 'non-empty username'],
    ['auth without a colon', { auths: { 'ghcr.io': { auth: b64(secret) } } }, 'non-empty username'],
    [
      'a password that is not a string',
      { auths: { 'ghcr.io': { password: 42 } } },
      '"password" of the entry for ghcr.io',
    ],
    ['credHelpers that is not a map of names', { credHelpers: { 'ghcr.io': 1 } }, '"credHelpers"'],
  ])('reports %s as a CREDENTIALS error naming the file, without the secret', async (_name, config, problem) => {
    const dir = await configDir(config);
    const error = await failure({ DOCKER_CONFIG: dir });
    expect(error.code).toBe('CREDENTIALS');
    expect(error.message).toContain(join(dir, 'config.json'));
    expect(error.message).toContain(problem);
    expect(`${error.message} ${JSON.stringify(error)} ${inspect(error)}`).not.toContain(secret);
  });

  test.each<[string, string, string]>([
    ['malformed JSON', `{"auths": {"ghcr.io": {"auth": "${secret}"`, 'is not valid JSON'],
    ['fields other than auths', JSON.stringify({ auths: {}, credsStore: 'desktop' }), 'may only hold "auths"'],
    [
      'an entry with more than auth',
      JSON.stringify({ auths: { 'ghcr.io': { auth: b64('a:b'), password: secret } } }),
      'exactly one field',
    ],
    ['an entry without auth', JSON.stringify({ auths: { 'ghcr.io': { username: 'a' } } }), 'exactly one field'],
  ])(
    'reports a DOCKER_AUTH_CONFIG with %s as a CREDENTIALS error naming the variable',
    async (_name, value, problem) => {
      const error = await failure({ DOCKER_AUTH_CONFIG: value });
      expect(error.code).toBe('CREDENTIALS');
      expect(error.message).toContain('DOCKER_AUTH_CONFIG');
      expect(error.message).toContain(problem);
      expect(error.message).not.toContain(secret);
    },
  );

  test('reports an unreadable config path instead of treating it as missing', async () => {
    const dir = join(root, `dir-as-file-${counter++}`);
    await mkdir(join(dir, 'config.json'), { recursive: true });
    const error = await failure({ DOCKER_CONFIG: dir });
    expect(error.code).toBe('CREDENTIALS');
    expect(error.message).toContain(join(dir, 'config.json'));
  });

  test('reports a fixed config on the next resolve rather than remembering the failure', async () => {
    const dir = await configDir('{');
    const keychain = dockerConfigKeychain({ env: { DOCKER_CONFIG: dir } });
    await expect(keychain.resolve('ghcr.io')).rejects.toThrow(OciError);
    await writeFile(join(dir, 'config.json'), JSON.stringify({ auths: { 'ghcr.io': { auth: b64('fixed:pw') } } }));
    expect(reveal(await keychain.resolve('ghcr.io')).username).toBe('fixed');
  });
});
