import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { MediaType } from '../../src/oci/mediatype.js';
import { buildImage, pushLayout, removeImages, writeAttestedIndex, writeWindowsImage } from '../support/images.js';
import { runCommand } from '../support/process.js';
import { startRegistry, type TestRegistry, type TestUser } from '../support/registry.js';
import { inspectForPlatform, inspectRaw } from '../support/skopeo.js';

let open: TestRegistry;
let basic: TestRegistry;
let token: TestRegistry;
let anonymousPull: TestRegistry;

beforeAll(async () => {
  [open, basic, token, anonymousPull] = await Promise.all([
    startRegistry(),
    startRegistry({ auth: 'basic' }),
    startRegistry({ auth: 'token' }),
    startRegistry({ auth: 'token', anonymousPull: true }),
  ]);
});

afterAll(async () => {
  await Promise.all([open, basic, token, anonymousPull].map((registry) => registry?.stop()));
  await removeImages();
});

function basicAuthorization(user: TestUser): string {
  return `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

async function fetchToken(registry: TestRegistry, scope: string, user?: TestUser): Promise<Response> {
  const issuer = registry.tokenIssuer!;
  const url = `${issuer.realm}?service=${issuer.service}&scope=${encodeURIComponent(scope)}`;
  return fetch(url, user ? { headers: { authorization: basicAuthorization(user) } } : {});
}

async function statusOf(url: string, authorization?: string): Promise<number> {
  const response = await fetch(url, authorization ? { headers: { authorization } } : {});
  await response.arrayBuffer();
  return response.status;
}

describe('registry auth modes', () => {
  test('an open registry serves /v2/ to anonymous clients', async () => {
    expect(open.auth).toBe('none');
    expect(open.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await statusOf(`http://${open.host}/v2/`)).toBe(200);
  });

  test('a basic registry challenges anonymous clients and accepts only the right password', async () => {
    const anonymous = await fetch(`http://${basic.host}/v2/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="basic-realm"');
    expect(await statusOf(`http://${basic.host}/v2/`, basicAuthorization(basic.pusher))).toBe(200);
    expect(await statusOf(`http://${basic.host}/v2/`, basicAuthorization(basic.reader))).toBe(200);
    const wrong = { username: basic.pusher.username, password: 'wrong' };
    expect(await statusOf(`http://${basic.host}/v2/`, basicAuthorization(wrong))).toBe(401);
  });

  test('a token registry points clients at its issuer and accepts the tokens it signs', async () => {
    const issuer = token.tokenIssuer!;
    const challenge = await fetch(`http://${token.host}/v2/`);
    expect(challenge.status).toBe(401);
    expect(challenge.headers.get('www-authenticate')).toBe(
      `Bearer realm="${issuer.realm}",service="${issuer.service}"`,
    );
    const before = issuer.tokensIssued();
    const response = await fetchToken(token, 'repository:any/repo:pull', token.reader);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      token: expect.any(String),
      access_token: body.token,
      expires_in: 300,
      issued_at: expect.any(String),
    });
    expect(issuer.tokensIssued()).toBe(before + 1);
    expect(await statusOf(`http://${token.host}/v2/`, `Bearer ${body.token}`)).toBe(200);
  });

  test('the token issuer refuses a wrong password', async () => {
    const response = await fetchToken(token, 'repository:any/repo:pull', { username: 'pusher', password: 'wrong' });
    expect(response.status).toBe(401);
  });

  test.each([
    ['pusher', 'pull,push', 'pull,push'],
    ['reader', 'pull,push', 'pull'],
    ['pusher', '*', 'pull,push'],
  ])('the token issuer grants %s asking for %s only %s', async (username, requested, granted) => {
    const user = username === 'pusher' ? token.pusher : token.reader;
    const response = await fetchToken(token, `repository:team/app:${requested}`, user);
    const { token: jwt } = (await response.json()) as { token: string };
    const [header, claims] = jwt
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
    expect(header).toEqual({ typ: 'JWT', alg: 'RS256', x5c: [expect.any(String)] });
    expect(claims).toMatchObject({ iss: 'test-issuer', sub: username, aud: 'test-registry' });
    expect(claims.access).toEqual([{ type: 'repository', name: 'team/app', actions: granted.split(',') }]);
  });

  test('a token with the pull scope reads a repository, one without it is refused', async () => {
    const url = `http://${token.host}/v2/team/app/tags/list`;
    const scoped = (await (await fetchToken(token, 'repository:team/app:pull', token.reader)).json()) as {
      token: string;
    };
    const unscoped = (await (await fetchToken(token, 'repository:other/app:pull', token.reader)).json()) as {
      token: string;
    };
    // 404: authorised, but nothing was pushed there.
    expect(await statusOf(url, `Bearer ${scoped.token}`)).toBe(404);
    expect(await statusOf(url, `Bearer ${unscoped.token}`)).toBe(401);
  });

  test('the token issuer answers the OAuth2 password and refresh_token grants', async () => {
    const issuer = token.tokenIssuer!;
    const post = (fields: Record<string, string>): Promise<Response> =>
      fetch(issuer.realm, {
        method: 'POST',
        body: new URLSearchParams({ service: issuer.service, client_id: 'support-test', ...fields }),
      });
    const first = await post({
      grant_type: 'password',
      username: token.pusher.username,
      password: token.pusher.password,
      access_type: 'offline',
      scope: 'repository:team/app:pull',
    });
    const { refresh_token: refreshToken } = (await first.json()) as { refresh_token: string };
    expect(refreshToken).toEqual(expect.any(String));
    const refreshed = await post({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      scope: 'repository:team/app:pull',
    });
    const { access_token: accessToken } = (await refreshed.json()) as { access_token: string };
    expect(await statusOf(`http://${token.host}/v2/team/app/tags/list`, `Bearer ${accessToken}`)).toBe(404);
    expect((await post({ grant_type: 'refresh_token', refresh_token: 'unknown' })).status).toBe(401);
    expect((await post({ grant_type: 'password', username: 'pusher', password: 'wrong' })).status).toBe(401);
  });
});

describe('token registry rights', () => {
  let reference: string;

  beforeAll(async () => {
    const image = await buildImage('linux/amd64');
    await pushLayout(image, { registry: token, repository: 'rights/app' });
    reference = `${token.host}/rights/app@${image.descriptor.digest}`;
  });

  test('the reader can pull', async () => {
    const { json } = await inspectRaw(reference, { user: token.reader });
    expect(json.mediaType).toBe(MediaType.ociManifest);
  });

  test('an anonymous client cannot pull unless the registry allows anonymous pulls', async () => {
    await expect(inspectRaw(reference)).rejects.toThrow(/unauthorized|authentication required/i);
    const image = await buildImage('linux/amd64');
    await pushLayout(image, { registry: anonymousPull, repository: 'public/app' });
    const { json } = await inspectRaw(`${anonymousPull.host}/public/app@${image.descriptor.digest}`);
    expect(json.mediaType).toBe(MediaType.ociManifest);
  });

  test('the reader cannot push', async () => {
    const image = await buildImage('linux/arm64', { content: 'reader push' });
    await expect(pushLayout(image, { registry: token, repository: 'rights/app', user: token.reader })).rejects.toThrow(
      /unauthorized|denied|authentication required/i,
    );
  });

  test('a wrong password cannot push', async () => {
    const image = await buildImage('linux/arm64', { content: 'wrong password push' });
    const user = { username: token.pusher.username, password: 'wrong' };
    await expect(pushLayout(image, { registry: token, repository: 'rights/app', user })).rejects.toThrow(
      /unauthorized|denied|authentication required|401/i,
    );
  });
});

describe('images', () => {
  test.each([
    ['linux/amd64', { os: 'linux', architecture: 'amd64' }],
    ['linux/arm64', { os: 'linux', architecture: 'arm64' }],
    ['linux/arm/v7', { os: 'linux', architecture: 'arm', variant: 'v7' }],
  ])('a buildah image for %s pushes by digest and resolves for its platform', async (platform, expected) => {
    const image = await buildImage(platform);
    expect(image.descriptor.platform).toEqual(expected);
    await pushLayout(image, { registry: open, repository: 'images/app' });
    const reference = `${open.host}/images/app@${image.descriptor.digest}`;
    const { bytes, json } = await inspectRaw(reference);
    expect(sha256(bytes)).toBe(image.descriptor.digest);
    expect(json.mediaType).toBe(MediaType.ociManifest);
    expect(await inspectForPlatform(reference, expected)).toEqual({ digest: image.descriptor.digest, ...expected });
  });

  test('in basic mode the reader can push too, as htpasswd has no per-user rights', async () => {
    const image = await buildImage('linux/arm64', { content: 'basic reader push' });
    await pushLayout(image, { registry: basic, repository: 'images/basic', user: basic.reader });
    const { bytes } = await inspectRaw(`${basic.host}/images/basic@${image.descriptor.digest}`, { user: basic.pusher });
    expect(sha256(bytes)).toBe(image.descriptor.digest);
  });

  test('a docker-format image keeps its Docker media types and digest through the push', async () => {
    const image = await buildImage('linux/amd64', { format: 'docker' });
    expect(image.descriptor.mediaType).toBe(MediaType.dockerManifest);
    await pushLayout(image, { registry: basic, repository: 'images/docker' });
    const { bytes, json } = await inspectRaw(`${basic.host}/images/docker@${image.descriptor.digest}`, {
      user: basic.reader,
    });
    expect(sha256(bytes)).toBe(image.descriptor.digest);
    expect(json.config.mediaType).toBe(MediaType.dockerConfig);
  });

  test('an attested index pushes by digest and resolves to its image, not its attestation', async () => {
    const layout = await writeAttestedIndex('linux/arm64');
    await pushLayout(layout, { registry: token, repository: 'images/attested' });
    const reference = `${token.host}/images/attested@${layout.descriptor.digest}`;
    const { bytes, json } = await inspectRaw(reference, { user: token.reader });
    expect(sha256(bytes)).toBe(layout.descriptor.digest);
    expect(json.mediaType).toBe(MediaType.ociIndex);
    const [image, attestation] = json.manifests;
    expect(attestation.platform).toEqual({ os: 'unknown', architecture: 'unknown' });
    expect(attestation.annotations).toEqual({
      'vnd.docker.reference.type': 'attestation-manifest',
      'vnd.docker.reference.digest': image.digest,
    });
    const attestationManifest = await inspectRaw(`${token.host}/images/attested@${attestation.digest}`, {
      user: token.reader,
    });
    expect(attestationManifest.json.layers[0].mediaType).toBe('application/vnd.in-toto+json');
    const resolved = await inspectForPlatform(
      reference,
      { os: 'linux', architecture: 'arm64' },
      { user: token.reader },
    );
    expect(resolved.digest).toBe(image.digest);
  });

  test('a Windows image pushes by digest and reads back with its os.version', async () => {
    const layout = await writeWindowsImage({ osVersion: '10.0.20348.2340', osFeatures: ['win32k'] });
    expect(layout.descriptor.platform).toEqual({
      os: 'windows',
      architecture: 'amd64',
      'os.version': '10.0.20348.2340',
      'os.features': ['win32k'],
    });
    await pushLayout(layout, { registry: open, repository: 'images/windows' });
    const reference = `${open.host}/images/windows@${layout.descriptor.digest}`;
    expect(sha256((await inspectRaw(reference)).bytes)).toBe(layout.descriptor.digest);
    const resolved = await inspectForPlatform(reference, { os: 'windows', architecture: 'amd64' });
    expect(resolved).toEqual({ digest: layout.descriptor.digest, os: 'windows', architecture: 'amd64' });
  });
});

describe('access log', () => {
  test('writes() counts the uploads and the manifest PUT of one push, and reset() forgets them', async () => {
    const image = await buildImage('linux/amd64', { content: 'counted push' });
    await open.settle();
    open.reset();
    await pushLayout(image, { registry: open, repository: 'counted/app' });
    await open.settle();
    const puts = open.writes().filter((entry) => entry.method === 'PUT');
    expect(puts.map((entry) => [entry.path.replace(/uploads\/[^/]+$/, 'uploads/<id>'), entry.status])).toEqual([
      ['/v2/counted/app/blobs/uploads/<id>', 201],
      ['/v2/counted/app/blobs/uploads/<id>', 201],
      [`/v2/counted/app/manifests/${image.descriptor.digest}`, 201],
    ]);
    expect(open.writes().filter((entry) => entry.method === 'POST')).toHaveLength(2);
    expect(open.requests().some((entry) => entry.method === 'HEAD')).toBe(true);
    open.reset();
    await open.settle();
    expect(open.requests()).toEqual([]);
  });

  test('a second push of the same image writes nothing but the manifest', async () => {
    const image = await buildImage('linux/amd64', { content: 'counted push' });
    await open.settle();
    open.reset();
    await pushLayout(image, { registry: open, repository: 'counted/app' });
    await open.settle();
    expect(open.writes().map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      `PUT /v2/counted/app/manifests/${image.descriptor.digest}`,
    ]);
  });
});

describe('support plumbing', () => {
  test.each([
    ['pusher', 'pusher'],
    ['reader', 'reader'],
  ])('dockerConfig writes credentials for the %s that a real client accepts', async (_name, which) => {
    const image = await buildImage('linux/amd64');
    await pushLayout(image, { registry: basic, repository: 'config/app' });
    const user = which === 'pusher' ? basic.pusher : basic.reader;
    const authfile = join(basic.dockerConfig(user), 'config.json');
    const reference = `docker://${basic.host}/config/app@${image.descriptor.digest}`;
    const { stdout } = await runCommand('skopeo', [
      'inspect',
      '--raw',
      '--tls-verify=false',
      '--authfile',
      authfile,
      reference,
    ]);
    expect(sha256(stdout)).toBe(image.descriptor.digest);
  });

  test('a missing binary fails with the Debian package to install', async () => {
    await expect(runCommand('htpasswd', ['-h'], { env: { PATH: '/nonexistent' } })).rejects.toThrow(
      'apt-get install apache2-utils',
    );
  });
});
