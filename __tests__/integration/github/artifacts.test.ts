import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordStore } from '../../../src/github/record-store.js';
import type { Logger } from '../../../src/log.js';
import type { Platform } from '../../../src/oci/descriptor.js';
import { recordName } from '../../../src/records/naming.js';
import { serializeRecord, type DigestRecord } from '../../../src/records/record.js';
import type { RecordStore } from '../../../src/records/store.js';
import {
  artifactNames,
  serverNames,
  serviceOf,
  serverUrls,
  type ServerJob,
  type ServerName,
} from '../../support/actions-servers.js';
import type { ArtifactJob } from '../../support/artifact-service.js';
import { environmentOf, recordingLogger, sampleRecord, storeOf, useArtifactFakes } from '../../support/record-jobs.js';
import { userErrorRejected } from '../../support/thrown.js';

/**
 * The record store over the run's artifacts, on each kind of Actions server: the same names, replacement, listing and
 * errors whichever artifact service carries the records. The fakes speak the real protocols, so the real clients
 * (@actions/artifact 6 and 1.1.3) run unmodified; they read process.env, which each store sets as its job would see it.
 */
const images = ['ghcr.io/o/app', 'docker.io/o/app'];
const otherImages = ['ghcr.io/o/api'];
const amd64: Platform = { os: 'linux', architecture: 'amd64' };
const arm64: Platform = { os: 'linux', architecture: 'arm64' };

const { fakes, newRun } = useArtifactFakes('run');

/** The store as a job of the run sees it on `server`. */
function storeFor(
  server: ServerName,
  job: ServerJob,
  storeImages = images,
  logger: Logger = recordingLogger(),
): RecordStore {
  return storeOf(server, fakes, job, { images: storeImages, logger });
}

function record(platform: Platform, digestCharacter = 'a', recordImages = images, attempt = 1): DigestRecord {
  return sampleRecord(platform, recordImages, digestCharacter, attempt);
}

async function putAs(server: ServerName, job: ServerJob, value: DigestRecord, storeImages = images): Promise<string> {
  const name = recordName(storeImages, value.platform);
  await storeFor(server, { ...job, attempt: value.run?.attempt ?? 1 }, storeImages).put(value, name);
  return name;
}

/** An artifact a workflow's own step uploaded, as actions/upload-artifact of the server's generation leaves it. */
function addArtifact(server: ServerName, run: string, name: string, files: Record<string, string>): void {
  if (serviceOf(server) === 'legacy') fakes.legacy.addArtifact(run, name, files);
  else fakes.current.addArtifact(run, 'other-step', name, files);
}

function requestCounts(): { current: number; legacy: number } {
  return { current: fakes.current.requests().length, legacy: fakes.legacy.requests().length };
}

describe.each(serverNames)('artifactRecordStore on %s', (server) => {
  const unused = serviceOf(server) === 'legacy' ? 'current' : 'legacy';

  afterEach(() => {
    // Whatever else a test proves, the records went through the server's own artifact service only.
    expect(requestCounts()[unused]).toBe(0);
  });

  test('a third job of the run lists the records two build jobs put, parsed and sorted by name', async () => {
    const run = newRun();
    const amd64Name = await putAs(server, { runId: run, jobId: 'build-amd64' }, record(amd64, 'a'));
    const arm64Name = await putAs(server, { runId: run, jobId: 'build-arm64' }, record(arm64, 'b'));
    const listed = await storeFor(server, { runId: run, jobId: 'merge' }).list();
    expect(listed).toEqual([
      { record: record(amd64, 'a'), source: `artifact "${amd64Name}"` },
      { record: record(arm64, 'b'), source: `artifact "${arm64Name}"` },
    ]);
    expect(artifactNames(server, fakes, run)).toEqual([amd64Name, arm64Name].sort());
  });

  test('a re-run job (a later attempt) replaces its record under the same name', async () => {
    const run = newRun();
    const name = await putAs(server, { runId: run, jobId: 'build-amd64' }, record(amd64, 'a'));
    // GitHub gives a re-run job a new job id and the run a new attempt number.
    const logger = recordingLogger();
    await storeFor(server, { runId: run, jobId: 'build-amd64-again', attempt: 2 }, images, logger).put(
      record(amd64, 'c', images, 2),
      name,
    );
    expect(logger.lines).toEqual([
      `Replacing artifact "${name}", left by an earlier attempt of this job.`,
      `Stored the digest record as artifact "${name}".`,
    ]);
    expect(artifactNames(server, fakes, run)).toEqual([name]);
    const listed = await storeFor(server, { runId: run, jobId: 'merge', attempt: 2 }).list();
    expect(listed.map(({ record }) => [record.digest, record.run?.attempt])).toEqual([[`sha256:${'c'.repeat(64)}`, 2]]);
  });

  test('refuses a second job of the same attempt that records the same platform with another image', async () => {
    const run = newRun();
    const name = await putAs(server, { runId: run, jobId: 'build-1' }, record(amd64, 'a'));
    const error = await userErrorRejected(() => putAs(server, { runId: run, jobId: 'build-2' }, record(amd64, 'b')));
    expect(error.subject).toBe('platform');
    expect(error.problem).toContain(`already recorded in this run attempt by another job (artifact "${name}"`);
    const listed = await storeFor(server, { runId: run, jobId: 'merge' }).list();
    expect(listed.map(({ record }) => record.digest)).toEqual([`sha256:${'a'.repeat(64)}`]);
  });

  test('records the same image again in the same attempt without complaint', async () => {
    const run = newRun();
    await putAs(server, { runId: run, jobId: 'build-1' }, record(amd64, 'a'));
    await putAs(server, { runId: run, jobId: 'build-1' }, record(amd64, 'a'));
    expect(artifactNames(server, fakes, run)).toHaveLength(1);
  });

  test('does not list the records of another image set built in the same run', async () => {
    const run = newRun();
    const mine = await putAs(server, { runId: run, jobId: 'app-amd64' }, record(amd64));
    const theirs = await putAs(server, { runId: run, jobId: 'api' }, record(amd64, 'd', otherImages), otherImages);
    expect(mine).not.toBe(theirs);
    const listed = await storeFor(server, { runId: run, jobId: 'merge' }).list();
    expect(listed.map(({ source }) => source)).toEqual([`artifact "${mine}"`]);
  });

  test('names images when the run has records of other image sets only, showing whose they are', async () => {
    const run = newRun();
    const name = await putAs(server, { runId: run, jobId: 'app-amd64' }, record(amd64));
    const error = await userErrorRejected(() =>
      storeFor(server, { runId: run, jobId: 'merge' }, ['quay.io/o/none']).list(),
    );
    expect(error.subject).toBe('images');
    expect(error.problem).toContain(`artifact "${name}" of ${images.join(', ')}`);
    expect(error.fix).toContain('List the same images in the build and in the merge');
  });

  test("does not see another run's records", async () => {
    const [first, second] = [newRun(), newRun()];
    await putAs(server, { runId: first, jobId: 'build' }, record(amd64, 'a'));
    await putAs(server, { runId: second, jobId: 'build' }, record(arm64, 'b'));
    const listed = await storeFor(server, { runId: second, jobId: 'merge' }).list();
    expect(listed.map(({ record }) => record.platform.architecture)).toEqual(['arm64']);
    expect(artifactNames(server, fakes, first)).toHaveLength(1);
  });

  test('downloads every record of a build matrix larger than the download concurrency', async () => {
    const run = newRun();
    const architectures = ['386', 'amd64', 'arm', 'arm64', 'mips64le', 'ppc64le', 's390x', 'riscv64'];
    for (const [index, architecture] of architectures.entries()) {
      const platform = { os: 'linux', architecture };
      await putAs(server, { runId: run, jobId: architecture }, record(platform, 'abcdef01'.charAt(index)));
    }
    const listed = await storeFor(server, { runId: run, jobId: 'merge' }).list();
    expect(listed.map(({ record }) => record.platform.architecture)).toEqual([...architectures].sort());
  });

  test('lists nothing when the run has no artifacts', async () => {
    expect(await storeFor(server, { runId: newRun(), jobId: 'merge' }).list()).toEqual([]);
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
    await putAs(server, { runId: run, jobId: 'build-amd64' }, record(amd64));
    const name = recordName(images, arm64);
    addArtifact(server, run, name, files);
    const error = await userErrorRejected(() => storeFor(server, { runId: run, jobId: 'merge' }).list());
    expect(error.subject).toBe(`artifact "${name}"`);
    expect(error.problem).toContain(problem);
  });

  test('reads a record from an artifact it did not upload itself, such as one a workflow step made', async () => {
    const run = newRun();
    const name = recordName(images, arm64);
    addArtifact(server, run, name, { 'record.json': serializeRecord(record(arm64, 'e')) });
    const listed = await storeFor(server, { runId: run, jobId: 'merge' }).list();
    expect(listed).toEqual([{ record: record(arm64, 'e'), source: `artifact "${name}"` }]);
  });

  const needed =
    serviceOf(server) === 'legacy'
      ? ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RUNTIME_URL', 'GITHUB_RUN_ID']
      : ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL'];
  test.each(needed)('names records-path and the server, and contacts no service, when %s is not set', async (name) => {
    const env: Record<string, string | undefined> = environmentOf(server, fakes, { runId: newRun(), jobId: 'build' });
    delete env[name];
    // When the store is made, so that a build job fails before it pushes anything.
    const error = await userErrorRejected(async () =>
      recordStore(undefined, images, { logger: recordingLogger(), env }),
    );
    expect(error.subject).toBe('records-path');
    expect(error.problem).toContain(`${name} is not set`);
    expect(error.problem).toContain(serverUrls[server]);
    expect(error.fix).toContain('Set records-path');
    expect(error.fix).toContain(server === 'github.com' ? 'upload-artifact@v4' : 'upload-artifact@v3');
    expect(requestCounts()).toEqual({ current: 0, legacy: 0 });
  });

  test.each(['no/slashes', 'no:colons', ''])('refuses the artifact name %j before any request', async (name) => {
    const store = storeFor(server, { runId: newRun(), jobId: 'build' });
    await expect(store.put(record(amd64), name)).rejects.toThrow(/name records with recordName\(\)/);
    expect(requestCounts()).toEqual({ current: 0, legacy: 0 });
  });
});

describe('artifactRecordStore on github.com, request by request', () => {
  const operations = (): string[] => fakes.current.requests().map((request) => request.operation);

  test('a put makes one upload: look for an earlier artifact, create, stage a block, commit, finalize', async () => {
    const logger = recordingLogger();
    const name = recordName(images, amd64);
    await storeFor('github.com', { runId: newRun(), jobId: 'build' }, images, logger).put(record(amd64), name);
    expect(operations()).toEqual(['ListArtifacts', 'CreateArtifact', 'PutBlock', 'PutBlockList', 'FinalizeArtifact']);
    expect(logger.lines).toEqual([`Stored the digest record as artifact "${name}".`]);
  });

  test('a re-run deletes the earlier attempt’s artifact before it uploads: no 409', async () => {
    const run = newRun();
    await putAs('github.com', { runId: run, jobId: 'build-amd64' }, record(amd64, 'a'));
    fakes.current.resetRequests();
    await putAs('github.com', { runId: run, jobId: 'build-amd64-again' }, record(amd64, 'c', images, 2));
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
  });
});

describe('the artifact-service fake', () => {
  test('answers 409 to a second upload under one name in a run, so the store must delete first', async () => {
    const job = { runId: newRun(), jobId: 'build' };
    environmentOf('github.com', fakes, job);
    const { DefaultArtifactClient } = await import('@actions/artifact');
    const directory = await mkdtemp(join(tmpdir(), 'artifact-fake-'));
    try {
      await writeFile(join(directory, 'r.json'), '{}');
      const client = new DefaultArtifactClient();
      await client.uploadArtifact('twice', [join(directory, 'r.json')], directory);
      await expect(client.uploadArtifact('twice', [join(directory, 'r.json')], directory)).rejects.toThrow(
        /\(409\) Conflict: an artifact with this name already exists on the workflow run/,
      );
      expect(fakes.current.artifacts(job.runId).map((artifact) => artifact.name)).toEqual(['twice']);
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
    ['an unknown route', () => fetch(`${fakes.current.url}/nowhere`), 404, 'bad_route'],
    ['an unknown Twirp method', () => rawTwirp('MigrateArtifact', {}, true), 404, 'bad_route'],
    ['a call without a token', () => rawTwirp('ListArtifacts', {}, false), 401, 'unauthenticated'],
    ['a body that is not JSON', () => rawTwirp('ListArtifacts', 'not json', true), 400, 'malformed'],
    [
      'a download with a wrong signature',
      () => fetch(`${fakes.current.url}/blob/1/x?sig=00`),
      403,
      'permission_denied',
    ],
    ['an unknown artifact', () => rawTwirp('GetSignedArtifactURL', { name: 'none' }, true), 404, 'not_found'],
  ])('answers %s with a JSON error', async (_name, send, status, code) => {
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toMatchObject({ code });
  });
});

const twirpBase = (): string => `${fakes.current.url}/twirp/github.actions.results.api.v1.ArtifactService`;

async function twirp(
  job: ArtifactJob,
  method: string,
  body: object,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${twirpBase()}/${method}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${fakes.current.envFor(job).ACTIONS_RUNTIME_TOKEN}`,
    },
    body: JSON.stringify({ workflow_run_backend_id: job.runId, workflow_job_run_backend_id: job.jobId, ...body }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function rawTwirp(method: string, body: object | string, withToken: boolean): Promise<Response> {
  const token = fakes.current.envFor({ runId: 'raw', jobId: 'raw' }).ACTIONS_RUNTIME_TOKEN;
  return fetch(`${twirpBase()}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(withToken ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
