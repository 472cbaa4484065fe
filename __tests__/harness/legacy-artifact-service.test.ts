import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import legacy from '@actions/artifact-v1';
import downloads from '@actions/artifact-v1/lib/internal/download-http-client.js';
import {
  startLegacyArtifactService,
  type LegacyArtifactJob,
  type LegacyArtifactService,
  type LegacyRequest,
} from '../support/legacy-artifact-service.js';

/**
 * The fake of the legacy artifact service against the real @actions/artifact 1.1.3, unmodified (the npm alias
 * @actions/artifact-v1): what the client sends is checked request by request, so that the fake is known to speak the
 * protocol the client speaks, and what the fake refuses is checked with raw requests.
 */
const clientEnvironment = [
  'ACTIONS_RUNTIME_URL',
  'ACTIONS_RUNTIME_TOKEN',
  'GITHUB_RUN_ID',
  'GITHUB_RUN_ATTEMPT',
  'GITHUB_SERVER_URL',
] as const;
const MiB = 1024 * 1024;

let service: LegacyArtifactService;
let saved: Record<string, string | undefined>;
let directory: string;
let runs = 0;

beforeAll(async () => {
  service = await startLegacyArtifactService();
  saved = Object.fromEntries(clientEnvironment.map((name) => [name, process.env[name]]));
  directory = await mkdtemp(join(tmpdir(), 'legacy-artifacts-'));
});

afterAll(async () => {
  for (const name of clientEnvironment) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  await service?.stop();
  await rm(directory, { recursive: true, force: true });
});

beforeEach(() => service.resetRequests());

/** A job of a run of its own; the client reads these variables when it is called. */
function asJob(job: Partial<LegacyArtifactJob> = {}): LegacyArtifactJob {
  const full = { runId: `run${++runs}`, jobId: 'build', ...job };
  Object.assign(process.env, service.envFor(full), { GITHUB_SERVER_URL: 'https://ghes.example.com' });
  return full;
}

/** Uploads `files` (path inside the artifact → content) as the artifact `name`, as 1.x's callers do. */
async function upload(name: string, files: Readonly<Record<string, Buffer | string>>) {
  const root = await mkdtemp(join(directory, 'upload-'));
  const paths = await Promise.all(
    Object.entries(files).map(async ([path, content]) => {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), content);
      return join(root, path);
    }),
  );
  return legacy.create().uploadArtifact(name, paths, root, { continueOnError: false });
}

const byOperation = (operation: string) => (request: LegacyRequest) => request.operation === operation;

describe('the legacy artifact service fake, as the 1.x client uses it', () => {
  test('a small file: create, one gzip chunk, finalize; then list, items and the file, gunzipped by the client', async () => {
    const job = asJob();
    const text = JSON.stringify({ schema: 1, note: 'x'.repeat(400) });
    const result = await upload('record', { 'attempt-1/record.json': text });
    expect(result.failedItems).toEqual([]);
    expect(service.requests().map((request) => request.operation)).toEqual([
      'CreateArtifact',
      'UploadChunk',
      'FinalizeArtifact',
    ]);
    const chunk = service.requests().find(byOperation('UploadChunk'))!;
    const sent = gzipSync(text).length; // the client's gzip level may differ: only the shape is compared
    expect(chunk.headers).toMatchObject({
      'content-type': 'application/octet-stream',
      'content-encoding': 'gzip',
      'x-tfs-filelength': String(text.length),
    });
    expect(chunk.headers['content-range']).toMatch(/^bytes 0-(\d+)\/(\d+)$/);
    expect(Math.abs(Number(chunk.headers['content-range']!.split('/')[1]) - sent)).toBeLessThan(40);
    expect(chunk.query.itemPath).toBe('record/attempt-1/record.json');
    expect(service.artifacts(job.runId)).toEqual({ record: { 'attempt-1/record.json': Buffer.from(text) } });

    service.resetRequests();
    const into = await mkdtemp(join(directory, 'download-'));
    await legacy.create().downloadArtifact('record', into, { createArtifactFolder: false });
    expect(await readFile(join(into, 'attempt-1', 'record.json'), 'utf8')).toBe(text);
    expect(service.requests().map((request) => request.operation)).toEqual([
      'ListArtifacts',
      'ListItems',
      'DownloadItem',
    ]);
    expect(service.requests().find(byOperation('DownloadItem'))!.headers['accept-encoding']).toContain('gzip');
  });

  test('a file over 8 MiB that does not compress goes plain in chunks of 8 MiB at most, reassembled in order', async () => {
    const job = asJob();
    const content = randomBytes(8 * MiB + 1000);
    expect((await upload('big', { 'big.bin': content })).failedItems).toEqual([]);
    const ranges = service
      .requests()
      .filter(byOperation('UploadChunk'))
      .map((request) => request.headers['content-range']);
    expect(ranges).toEqual([
      `bytes 0-${8 * MiB - 1}/${content.length}`,
      `bytes ${8 * MiB}-${content.length - 1}/${content.length}`,
    ]);
    expect(
      service
        .requests()
        .filter(byOperation('UploadChunk'))
        .map((request) => request.headers['content-encoding']),
    ).toEqual([undefined, undefined]);
    expect(service.artifacts(job.runId).big?.['big.bin']?.equals(content)).toBe(true);
  });

  test("the run's artifacts are listed as 1.x lists them, finalized ones only, with the run's container", async () => {
    asJob();
    await upload('first', { 'a.json': '{}' });
    await upload('second', { 'b.json': '{}' });
    const listed = await new downloads.DownloadHttpClient().listArtifacts();
    expect(listed.count).toBe(2);
    expect(listed.value.map((artifact) => artifact.name)).toEqual(['first', 'second']);
    expect(new Set(listed.value.map((artifact) => artifact.fileContainerResourceUrl)).size).toBe(1);
  });

  test('a later attempt adds its file beside the earlier one: an artifact is a folder the whole run shares', async () => {
    const job = asJob();
    await upload('record', { 'attempt-1/record.json': '{"attempt":1}' });
    asJob({ runId: job.runId, jobId: 'build-again', attempt: 2 });
    await upload('record', { 'attempt-2/record.json': '{"attempt":2}' });
    expect(Object.keys(service.artifacts(job.runId).record ?? {}).sort()).toEqual([
      'attempt-1/record.json',
      'attempt-2/record.json',
    ]);
  });

  test('a chunk the service refuses lands in failedItems, and the artifact is finalized all the same', async () => {
    asJob();
    service.fail('UploadChunk', 400);
    const result = await upload('refused', { 'r.json': '{}' });
    expect(result.failedItems).toHaveLength(1);
    expect(service.requests().filter(byOperation('FinalizeArtifact'))).toHaveLength(1);
  });

  test('a 503 is retried by the client after its backoff', async () => {
    asJob();
    service.fail('CreateArtifact', 503);
    expect((await upload('retried', { 'r.json': '{}' })).failedItems).toEqual([]);
    const statuses = service
      .requests()
      .filter(byOperation('CreateArtifact'))
      .map((request) => request.status);
    expect(statuses).toEqual([503, 201]);
  }, 30_000);

  test('a 403 on create is the client’s message about GitHub Enterprise Server’s Actions storage', async () => {
    asJob();
    service.fail('CreateArtifact', 403);
    await expect(upload('forbidden', { 'r.json': '{}' })).rejects.toThrow(
      /^Create Artifact Container failed: Please reference \[Enabling GitHub Actions for GitHub Enterprise Server\]/,
    );
  });

  test('a token of another run is refused with 403, and no token with 401', async () => {
    const job = asJob();
    const other = service.envFor({ runId: 'elsewhere', jobId: 'x' });
    const url = `${service.url}_apis/pipelines/workflows/${job.runId}/artifacts?api-version=6.0-preview`;
    const withToken = (token?: string) => fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    expect((await withToken(other.ACTIONS_RUNTIME_TOKEN)).status).toBe(403);
    expect((await withToken()).status).toBe(401);
    expect((await withToken(process.env.ACTIONS_RUNTIME_TOKEN)).status).toBe(200);
  });
});

describe('the legacy artifact service fake refuses what the real service refuses', () => {
  async function createdContainer(name: string): Promise<{ container: string; token: string }> {
    const job = asJob();
    const token = process.env.ACTIONS_RUNTIME_TOKEN!;
    const response = await fetch(
      `${service.url}_apis/pipelines/workflows/${job.runId}/artifacts?api-version=6.0-preview`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ Type: 'actions_storage', Name: name }),
      },
    );
    expect(response.status).toBe(201);
    return {
      container: ((await response.json()) as { fileContainerResourceUrl: string }).fileContainerResourceUrl,
      token,
    };
  }

  function putChunk(target: { container: string; token: string }, range: string, body: string, md5?: string) {
    return fetch(`${target.container}?itemPath=${encodeURIComponent('a/f.txt')}`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${target.token}`,
        'content-type': 'application/octet-stream',
        'content-range': range,
        ...(md5 === undefined ? {} : { 'x-actions-results-md5': md5 }),
      },
      body,
    });
  }

  test.each<[string, string, string, string | undefined]>([
    ['a range that does not fit the body', 'bytes 0-9/10', 'short', undefined],
    ['a range past the total', 'bytes 0-4/4', 'hello', undefined],
    ['a first chunk that does not start at 0', 'bytes 5-9/10', 'world', undefined],
    ['an md5 that does not match', 'bytes 0-4/5', 'hello', 'AAAAAAAAAAAAAAAAAAAAAA=='],
  ])('answers 400 to %s', async (_name, range, body, md5) => {
    expect((await putChunk(await createdContainer('a'), range, body, md5)).status).toBe(400);
  });

  test('refuses to finalize an artifact whose file is still missing chunks', async () => {
    const target = await createdContainer('a');
    expect((await putChunk(target, 'bytes 0-4/10', 'hello')).status).toBe(201);
    const runId = process.env.GITHUB_RUN_ID!;
    const finalize = await fetch(
      `${service.url}_apis/pipelines/workflows/${runId}/artifacts?api-version=6.0-preview&artifactName=a`,
      {
        method: 'PATCH',
        headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ Size: 10 }),
      },
    );
    expect(finalize.status).toBe(400);
    expect(((await finalize.json()) as { message: string }).message).toContain('incomplete files: a/f.txt');
  });

  test('answers 400 to a name the client would refuse, and to a call without api-version', async () => {
    const job = asJob();
    const token = process.env.ACTIONS_RUNTIME_TOKEN!;
    const base = `${service.url}_apis/pipelines/workflows/${job.runId}/artifacts`;
    const create = (url: string) =>
      fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ Type: 'actions_storage', Name: 'a/b' }),
      });
    expect((await create(`${base}?api-version=6.0-preview`)).status).toBe(400);
    expect((await create(base)).status).toBe(400);
  });
});
