import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';
import type { Descriptor } from '../src/oci/descriptor.js';

/**
 * The round-trip floor as this machine serves it: the fewest requests the work needs, sent in the fewest waves by a
 * client that does nothing else (no process to start, no records, no checks, no logging), in a process of its own
 * as our merge is, so that its work does not slow the delay proxies in the bench's process. In every registry at
 * once: a token registry's challenge and token, then every child HEAD in parallel; once every registry has answered
 * those (the merge must wait for them before any write, issue 3), per registry the index PUT by digest, then every
 * tag PUT in parallel, then, when the merge measured against it verifies, every tag read back (HEAD) in parallel.
 * What it takes beyond waves × delay is what the registries, the proxies and the shared cores cost any client here.
 */
export interface FloorJob {
  /** Each registry as the clients reach it: its delay proxy's host, and how to authenticate. */
  readonly targets: readonly FloorTarget[];
  readonly repository: string;
  /** The children: their descriptors, each with its platform. */
  readonly children: readonly Descriptor[];
  readonly tags: readonly string[];
  readonly readBack: boolean;
}

export interface FloorTarget {
  readonly host: string;
  readonly auth: 'none' | 'basic' | 'token';
  readonly username: string;
  readonly password: string;
}

const indexType = 'application/vnd.oci.image.index.v1+json';

export async function runFloorJob(job: FloorJob, agent: Agent): Promise<void> {
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: indexType, manifests: job.children }));
  const digest = `sha256:${createHash('sha256').update(index).digest('hex')}`;
  const checked = await Promise.all(job.targets.map((target) => check(target, job, agent)));
  await Promise.all(checked.map((send) => write(send, job, { index, digest })));
}

type Send = (method: 'HEAD' | 'PUT', reference: string, body?: Buffer) => Promise<void>;

/** The auth round and every child's HEAD at one registry; then how to send to it. */
async function check(target: FloorTarget, job: FloorJob, agent: Agent): Promise<Send> {
  const base = `http://${target.host}/v2/${job.repository}/manifests/`;
  const authorization = await authorize(target, job.repository, agent);
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
  await Promise.all(job.children.map((child) => send('HEAD', child.digest)));
  return send;
}

/** The index by digest, every tag, and with read-back every tag again, at one registry. */
async function write(send: Send, job: FloorJob, { index, digest }: { index: Buffer; digest: string }) {
  await send('PUT', digest, index);
  await Promise.all(job.tags.map((tag) => send('PUT', tag, index)));
  if (job.readBack) await Promise.all(job.tags.map((tag) => send('HEAD', tag)));
}

/** Nothing for an open registry, Basic unasked for a Basic one; for a token registry the challenge, then a token. */
async function authorize(target: FloorTarget, repository: string, agent: Agent): Promise<Record<string, string>> {
  const basic = `Basic ${Buffer.from(`${target.username}:${target.password}`).toString('base64')}`;
  if (target.auth === 'none') return {};
  if (target.auth === 'basic') return { authorization: basic };
  const challenge = await request(`http://${target.host}/v2/`, { dispatcher: agent });
  await challenge.body.dump();
  const header = String(challenge.headers['www-authenticate'] ?? '');
  const field = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(header)?.[1] ?? '';
  const url = new URL(field('realm'));
  url.searchParams.set('service', field('service'));
  url.searchParams.set('scope', `repository:${repository}:pull,push`);
  const answer = await request(url, { dispatcher: agent, headers: { authorization: basic } });
  const body = (await answer.body.json()) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (answer.statusCode !== 200 || !token) throw new Error(`floor client: token request: ${answer.statusCode}`);
  return { authorization: `Bearer ${token}` };
}

/**
 * The floor client's own process (`node scripts/run-ts.mjs bench/floor-client.ts`): one job per line on stdin, one
 * answer per line on stdout ("ok" or the error). It stays up between jobs, so no job pays for a process start.
 */
export async function main(): Promise<number> {
  const agent = new Agent({ connections: 64 });
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === '') continue;
    const answer = await runFloorJob(JSON.parse(line) as FloorJob, agent).then(
      () => 'ok',
      (error: unknown) => `error: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.stdout.write(`${answer}\n`);
  }
  await agent.close();
  return 0;
}

/** The bench's handle on the floor client's process. */
export interface FloorClient {
  run(job: FloorJob): Promise<void>;
  stop(): Promise<void>;
}

export async function startFloorClient(): Promise<FloorClient> {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['scripts/run-ts.mjs', 'bench/floor-client.ts'],
    { stdio: 'pipe' },
  );
  const stderr: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const run = async (job: FloorJob) => {
    child.stdin.write(`${JSON.stringify(job)}\n`);
    const answer = await answers.next();
    if (answer.done) throw new Error(`the floor client exited: ${Buffer.concat(stderr).toString('utf8')}`);
    if (answer.value !== 'ok') throw new Error(answer.value);
  };
  // An empty job first, so that bundling the script and loading undici are done before any job is timed.
  await run({ targets: [], repository: 'warm-up', children: [], tags: [], readBack: false });
  return {
    run,
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}
