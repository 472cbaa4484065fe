import { createHash } from 'node:crypto';
import { Agent, request } from 'undici';
import type { BenchImage } from './images.js';
import type { BenchRegistry } from './setup.js';

/**
 * The round-trip floor as this machine serves it: the fewest requests the work needs, sent in the fewest waves by a
 * client that costs nothing (no process to start, no checks, no logging), inside the bench's own process. In every
 * registry at once: the token registry's challenge and token, then every child HEAD in parallel; once every registry
 * has answered those (as the merge must wait for them before any write), per registry the index PUT by digest, then
 * every tag PUT in parallel, then, when the merge measured against it verifies, every tag read back (HEAD) in
 * parallel. What it takes beyond waves × delay is what the registries, the proxies and the shared cores
 * cost any client here.
 */
export interface FloorWork {
  readonly registries: readonly BenchRegistry[];
  readonly repository: string;
  readonly images: readonly BenchImage[];
  readonly tags: readonly string[];
  readonly readBack: boolean;
}

const indexType = 'application/vnd.oci.image.index.v1+json';

export async function runFloorClient(work: FloorWork): Promise<void> {
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: indexType,
      manifests: work.images.map((image) => ({ ...image.layout.descriptor, platform: image.platform })),
    }),
  );
  const digest = `sha256:${createHash('sha256').update(index).digest('hex')}`;
  const agent = new Agent({ connections: 64 });
  try {
    // As the merge must (issue 3): every child checked in every registry before anything is written anywhere.
    const checked = await Promise.all(work.registries.map((registry) => check(registry, work, agent)));
    await Promise.all(checked.map((send) => write(send, work, { index, digest })));
  } finally {
    await agent.close();
  }
}

type Send = (method: 'HEAD' | 'PUT', reference: string, body?: Buffer) => Promise<void>;

/** The auth round and every child's HEAD at one registry; then how to send to it. */
async function check(registry: BenchRegistry, work: FloorWork, agent: Agent): Promise<Send> {
  const base = `http://${registry.proxy.host}/v2/${work.repository}/manifests/`;
  const authorization = await authorize(registry, work.repository, agent);
  const send: Send = async (method, reference, body) => {
    const response = await request(`${base}${reference}`, {
      method,
      dispatcher: agent,
      headers: {
        ...authorization,
        ...(body
          ? { 'content-type': indexType }
          : { accept: `${indexType}, application/vnd.oci.image.manifest.v1+json` }),
      },
      ...(body ? { body } : {}),
    });
    await response.body.dump();
    if (response.statusCode >= 300) throw new Error(`floor client: ${method} ${reference}: ${response.statusCode}`);
  };
  await Promise.all(work.images.map((image) => send('HEAD', image.layout.descriptor.digest)));
  return send;
}

/** The index by digest, every tag, and with read-back every tag again, at one registry. */
async function write(send: Send, work: FloorWork, { index, digest }: { index: Buffer; digest: string }) {
  await send('PUT', digest, index);
  await Promise.all(work.tags.map((tag) => send('PUT', tag, index)));
  if (work.readBack) await Promise.all(work.tags.map((tag) => send('HEAD', tag)));
}

/** Nothing for an open registry, Basic unasked for a Basic one; for a token registry the challenge, then a push token. */
async function authorize(registry: BenchRegistry, repository: string, agent: Agent): Promise<Record<string, string>> {
  const { username, password } = registry.registry.pusher;
  const basic = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  if (registry.registry.auth === 'none') return {};
  if (registry.registry.auth === 'basic') return { authorization: basic };
  const challenge = await request(`http://${registry.proxy.host}/v2/`, { dispatcher: agent });
  await challenge.body.dump();
  const header = String(challenge.headers['www-authenticate'] ?? '');
  const field = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(header)?.[1] ?? '';
  const url = new URL(field('realm'));
  url.searchParams.set('service', field('service'));
  url.searchParams.set('scope', `repository:${repository}:pull,push`);
  const answer = await request(url, {
    dispatcher: agent,
    headers: { authorization: basic },
  });
  const { token, access_token: accessToken } = (await answer.body.json()) as {
    token?: string;
    access_token?: string;
  };
  return { authorization: `Bearer ${token ?? accessToken}` };
}
