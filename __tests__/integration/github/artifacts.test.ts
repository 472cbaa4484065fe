import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { artifactRecordStore } from '../../../src/github/artifacts.js';
import type { Logger } from '../../../src/log.js';
import type { Platform } from '../../../src/oci/descriptor.js';
import { recordName } from '../../../src/records/naming.js';
import { createRecord, serializeRecord, type DigestRecord } from '../../../src/records/record.js';
import type { RecordStore } from '../../../src/records/store.js';
import { startArtifactService, type ArtifactJob, type ArtifactService } from '../../support/artifact-service.js';
import { userErrorRejected } from '../../support/thrown.js';

const images = ['ghcr.io/o/app', 'docker.io/o/app'];
const otherImages = ['ghcr.io/o/api'];
const amd64: Platform = { os: 'linux', architecture: 'amd64' };
const arm64: Platform = { os: 'linux', architecture: 'arm64' };
const clientEnvironment = ['ACTIONS_RESULTS_URL', 'ACTIONS_RUNTIME_TOKEN', 'GITHUB_SERVER_URL'] as const;

let service: ArtifactService;
let saved: Record<string, string | undefined>;
let runs = 0;

beforeAll(async () => {
  service = await startArtifactService();
  saved = Object.fromEntries(clientEnvironment.map((name) => [name, process.env[name]]));
  // Any other server URL makes the client refuse to run (GHESNotSupportedError).
  delete process.env.GITHUB_SERVER_URL;
});

afterAll(async () => {
  for (const name of clientEnvironment) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  await service?.stop();
});

beforeEach(() => service.resetRequests());

/** A workflow run of its own per test, so tests share the service but never each other's artifacts. */
function newRun(): string {
  return `run${++runs}`;
}

interface RecordingLogger extends Logger {
  readonly lines: string[];
}

function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  return {
    lines,
    debug: (message) => lines.push(`debug: ${message}`),
    info: (message) => lines.push(message),
    warning: (message) => lines.push(`warning: ${message}`),
    group: (_title, work) => work(),
    secret: () => {},
  };
}

/** The store as a job of `job.runId` sees it; the client reads process.env at call time, so the job's env is set. */
function storeFor(job: ArtifactJob, storeImages = images, logger: Logger = recordingLogger()): RecordStore {
  const env = service.envFor(job);
  Object.assign(process.env, env);
  return artifactRecordStore({ images: storeImages, logger, env });
}

function record(platform: Platform, digestCharacter = 'a', recordImages = images, attempt = 1): DigestRecord {
  return createRecord({
    digest: `sha256:${digestCharacter.repeat(64)}`,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    size: 1234,
    platform,
    images: recordImages,
    run: { id: '42', attempt, job: `build (${platform.architecture})` },
  });
}

async function putAs(job: ArtifactJob, value: DigestRecord, storeImages = images): Promise<string> {
  const name = recordName(storeImages, value.platform);
  await storeFor(job, storeImages).put(value, name);
  return name;
}

function operations(): string[] {
  return service.requests().map((request) => request.operation);
}

describe('artifactRecordStore', () => {
  test('a third job of the run lists the records two build jobs put, parsed and sorted by name', async () => {
    const run = newRun();
    const amd64Name = await putAs({ runId: run, jobId: 'build-amd64' }, record(amd64, 'a'));
    const arm64Name = await putAs({ runId: run, jobId: 'build-arm64' }, record(arm64, 'b'));
    const listed = await storeFor({ runId: run, jobId: 'merge' }).list();
    expect(listed).toEqual([
      { record: record(amd64, 'a'), source: `artifact "${amd64Name}"` },
      { record: record(arm64, 'b'), source: `artifact "${arm64Name}"` },
    ]);
    expect(service.artifacts(run).map(({ name, jobId }) => ({ name, jobId }))).toEqual([
      { name: amd64Name, jobId: 'build-amd64' },
      { name: arm64Name, jobId: 'build-arm64' },
    ]);
  });

  test('a put makes one upload: look for an earlier artifact, create, stage a block, commit, finalize', async () => {
    const run = newRun();
    const logger = recordingLogger();
    const name = recordName(images, amd64);
    await storeFor({ runId: run, jobId: 'build' }, images, logger).put(record(amd64), name);
    expect(operations()).toEqual(['ListArtifacts', 'CreateArtifact', 'PutBlock', 'PutBlockList', 'FinalizeArtifact']);
    expect(logger.lines).toEqual([`Stored the digest record as artifact "${name}".`]);
  });

  test('a re-run job (a later attempt) replaces its record: no conflict, one artifact', async () => {
    const run = newRun();
    const name = await putAs({ runId: run, jobId: 'build-amd64' }, record(amd64, 'a'));
    service.resetRequests();
    // GitHub gives a re-run job a new job id and the run a new attempt number.
    await putAs({ runId: run, jobId: 'build-amd64-again' }, record(amd64, 'c', images, 2));
    expect(operations()).toEqual([
      'ListArtifacts', // is there one of this name?
      'ListArtifacts', // download: by id
      'GetSignedArtifactURL',
      'GetBlob',
      'ListArtifacts', // delete: by name
      'DeleteArtifact',
      'CreateArtifact',
      'PutBlock',
      'PutBlockList',
      'FinalizeArtifact',
    ]);
    expect(service.artifacts(run).map((artifact) => artifact.name)).toEqual([name]);
    const listed = await storeFor({ runId: run, jobId: 'merge' }).list();
    expect(listed.map(({ record }) => record.digest)).toEqual([`sha256:${'c'.repeat(64)}`]);
  });

  test('refuses a second job of the same attempt that records the same platform with another image', async () => {
    const run = newRun();
    const name = await putAs({ runId: run, jobId: 'build-1' }, record(amd64, 'a'));
    const error = await userErrorRejected(() => putAs({ runId: run, jobId: 'build-2' }, record(amd64, 'b')));
    expect(error.subject).toBe('platform');
    expect(error.problem).toContain(`already recorded in this run attempt by another job (artifact "${name}"`);
    const listed = await storeFor({ runId: run, jobId: 'merge' }).list();
    expect(listed.map(({ record }) => record.digest)).toEqual([`sha256:${'a'.repeat(64)}`]);
  });

  test('records the same image again in the same attempt without complaint', async () => {
    const run = newRun();
    await putAs({ runId: run, jobId: 'build-1' }, record(amd64, 'a'));
    await putAs({ runId: run, jobId: 'build-1' }, record(amd64, 'a'));
    expect(service.artifacts(run)).toHaveLength(1);
  });

  test('does not list the records of another image set built in the same run', async () => {
    const run = newRun();
    const mine = await putAs({ runId: run, jobId: 'app-amd64' }, record(amd64));
    const theirs = await putAs({ runId: run, jobId: 'api-amd64' }, record(amd64, 'd', otherImages), otherImages);
    expect(mine).not.toBe(theirs);
    const listed = await storeFor({ runId: run, jobId: 'merge' }).list();
    expect(listed.map(({ source }) => source)).toEqual([`artifact "${mine}"`]);
  });

  test('names images when the run has records of other image sets only, showing whose they are', async () => {
    const run = newRun();
    const name = await putAs({ runId: run, jobId: 'app-amd64' }, record(amd64));
    const error = await userErrorRejected(() => storeFor({ runId: run, jobId: 'merge' }, ['quay.io/o/none']).list());
    expect(error.subject).toBe('images');
    expect(error.problem).toContain(`artifact "${name}" of ${images.join(', ')}`);
    expect(error.fix).toContain('List the same images in the build and in the merge');
  });

  test("does not see another run's records", async () => {
    const [first, second] = [newRun(), newRun()];
    await putAs({ runId: first, jobId: 'build' }, record(amd64, 'a'));
    await putAs({ runId: second, jobId: 'build' }, record(arm64, 'b'));
    const listed = await storeFor({ runId: second, jobId: 'merge' }).list();
    expect(listed.map(({ record }) => record.platform.architecture)).toEqual(['arm64']);
    expect(service.artifacts(first)).toHaveLength(1);
  });

  test('downloads every record of a build matrix larger than the download concurrency', async () => {
    const run = newRun();
    const architectures = ['386', 'amd64', 'arm', 'arm64', 'mips64le', 'ppc64le', 's390x', 'riscv64'];
    for (const [index, architecture] of architectures.entries()) {
      await putAs({ runId: run, jobId: architecture }, record({ os: 'linux', architecture }, 'abcdef01'.charAt(index)));
    }
    service.resetRequests();
    const listed = await storeFor({ runId: run, jobId: 'merge' }).list();
    expect(listed.map(({ record }) => record.platform.architecture)).toEqual([...architectures].sort());
    expect(operations().filter((operation) => operation === 'GetBlob')).toHaveLength(architectures.length);
  });

  test('lists nothing when the run has no artifacts', async () => {
    expect(await storeFor({ runId: newRun(), jobId: 'merge' }).list()).toEqual([]);
  });

  test.each<[string, Record<string, string>, string]>([
    ['no files but a text file', { 'notes.txt': 'hello' }, 'it holds "notes.txt", not exactly one .json file'],
    [
      'two JSON files',
      { 'a.json': serializeRecord(record(amd64)), 'b.json': serializeRecord(record(amd64)) },
      'it holds "a.json", "b.json", not exactly one .json file',
    ],
    ['a JSON file that is not a record', { 'r.json': '{"tags": []}' }, 'is not a multiarch-publish digest record'],
    ['a record in a sub-folder', { 'deep/r.json': '{"schema": 1}' }, 'is not a multiarch-publish digest record'],
  ])('names the artifact when one holds %s', async (_name, files, problem) => {
    const run = newRun();
    await putAs({ runId: run, jobId: 'build-amd64' }, record(amd64));
    const name = recordName(images, arm64);
    service.addArtifact(run, 'intruder', name, files);
    const error = await userErrorRejected(() => storeFor({ runId: run, jobId: 'merge' }).list());
    expect(error.subject).toBe(`artifact "${name}"`);
    expect(error.problem).toContain(problem);
  });

  test('reads a record from an artifact it did not upload itself, such as one a workflow step made', async () => {
    const run = newRun();
    const name = recordName(images, arm64);
    service.addArtifact(run, 'other-step', name, { 'record.json': serializeRecord(record(arm64, 'e')) });
    const listed = await storeFor({ runId: run, jobId: 'merge' }).list();
    expect(listed).toEqual([{ record: record(arm64, 'e'), source: `artifact "${name}"` }]);
  });

  test.each(['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL'])(
    'names records-path and contacts no service when %s is not set',
    async (missing) => {
      const env: Record<string, string | undefined> = { ...service.envFor({ runId: newRun(), jobId: 'build' }) };
      delete env[missing];
      // When the store is made, so a build job fails before it pushes anything.
      const error = await userErrorRejected(async () =>
        artifactRecordStore({ images, logger: recordingLogger(), env }),
      );
      expect(error.subject).toBe('records-path');
      expect(error.problem).toContain('ACTIONS_RUNTIME_TOKEN/ACTIONS_RESULTS_URL are not set');
      expect(error.fix).toContain('Set records-path');
      expect(service.requests()).toEqual([]);
    },
  );

  test.each(['no/slashes', 'no:colons', ''])('refuses the artifact name %j before any request', async (name) => {
    const store = storeFor({ runId: newRun(), jobId: 'build' });
    await expect(store.put(record(amd64), name)).rejects.toThrow(/name records with recordName\(\)/);
    expect(service.requests()).toEqual([]);
  });
});

describe('the artifact-service fake', () => {
  test('answers 409 to a second upload under one name in a run, so the store must delete first', async () => {
    const job = { runId: newRun(), jobId: 'build' };
    Object.assign(process.env, service.envFor(job));
    const { DefaultArtifactClient } = await import('@actions/artifact');
    const directory = await mkdtemp(join(tmpdir(), 'artifact-fake-'));
    try {
      await writeFile(join(directory, 'r.json'), '{}');
      const client = new DefaultArtifactClient();
      await client.uploadArtifact('twice', [join(directory, 'r.json')], directory);
      await expect(client.uploadArtifact('twice', [join(directory, 'r.json')], directory)).rejects.toThrow(
        /\(409\) Conflict: an artifact with this name already exists on the workflow run/,
      );
      expect(service.artifacts(job.runId).map((artifact) => artifact.name)).toEqual(['twice']);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  test('assembles staged blocks in the order of the block list, not the order they arrived in', async () => {
    const job = { runId: newRun(), jobId: 'build' };
    const created = await twirp(job, 'CreateArtifact', { name: 'blocks', version: 7 });
    const upload = String(created.body.signed_upload_url);
    const blocks: readonly (readonly [id: string, text: string])[] = [
      ['Yg==', 'second'],
      ['YQ+/', 'first '],
    ];
    for (const [id, text] of blocks) {
      const staged = await fetch(`${upload}&comp=block&blockid=${encodeURIComponent(id)}`, {
        method: 'PUT',
        body: text,
      });
      expect(staged.status).toBe(201);
    }
    const blockList = '<?xml version="1.0"?><BlockList><Latest>YQ+/</Latest><Latest>Yg==</Latest></BlockList>';
    expect((await fetch(`${upload}&comp=blocklist`, { method: 'PUT', body: blockList })).status).toBe(201);
    expect((await twirp(job, 'FinalizeArtifact', { name: 'blocks', size: '12' })).status).toBe(200);
    const signed = await twirp(job, 'GetSignedArtifactURL', { name: 'blocks' });
    const download = await fetch(String(signed.body.signed_url));
    expect(await download.text()).toBe('first second');
    expect(String(signed.body.signed_url).replace(/sig=[0-9a-f]+/, 'sig=SIG')).toMatch(/\/blob\/\d+\/blocks\?sig=SIG$/);
  });

  test.each<[string, () => Promise<Response>, number, string]>([
    ['an unknown route', () => fetch(`${service.url}/nowhere`), 404, 'bad_route'],
    ['an unknown Twirp method', () => rawTwirp('MigrateArtifact', {}, true), 404, 'bad_route'],
    ['a call without a token', () => rawTwirp('ListArtifacts', {}, false), 401, 'unauthenticated'],
    ['a body that is not JSON', () => rawTwirp('ListArtifacts', 'not json', true), 400, 'malformed'],
    ['a download with a wrong signature', () => fetch(`${service.url}/blob/1/x?sig=00`), 403, 'permission_denied'],
    ['an unknown artifact', () => rawTwirp('GetSignedArtifactURL', { name: 'none' }, true), 404, 'not_found'],
  ])('answers %s with a JSON error', async (_name, send, status, code) => {
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toMatchObject({ code });
  });
});

const twirpBase = (): string => `${service.url}/twirp/github.actions.results.api.v1.ArtifactService`;

async function twirp(
  job: ArtifactJob,
  method: string,
  body: object,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${twirpBase()}/${method}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${service.envFor(job).ACTIONS_RUNTIME_TOKEN}`,
    },
    body: JSON.stringify({ workflow_run_backend_id: job.runId, workflow_job_run_backend_id: job.jobId, ...body }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function rawTwirp(method: string, body: object | string, withToken: boolean): Promise<Response> {
  const token = service.envFor({ runId: 'raw', jobId: 'raw' }).ACTIONS_RUNTIME_TOKEN;
  return fetch(`${twirpBase()}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(withToken ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
