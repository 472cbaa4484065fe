import type { Platform } from '../../../../src/oci/descriptor.js';
import { recordName } from '../../../../src/records/naming.js';
import { serializeRecord } from '../../../../src/records/record.js';
import type { ServerJob } from '../../../support/actions-servers.js';
import {
  recordingLogger,
  sampleRecord,
  storeOf,
  useArtifactFakes,
  type RecordingLogger,
} from '../../../support/record-jobs.js';
import { userErrorRejected } from '../../../support/thrown.js';

/**
 * The legacy transport as GitHub Enterprise Server runs it: the real @actions/artifact 1.1.3 against the fake of the
 * legacy service. What is particular to it: a record per attempt in one artifact, nothing deleted, the newest attempt
 * read, 1.x's failedItems, and fixes that send the user to the server's administrators or to upload-artifact@v3.
 */
const images = ['ghes.example.com:5000/team/app'];
const amd64: Platform = { os: 'linux', architecture: 'amd64' };
const ghes = 'GitHub Enterprise Server https://ghes.example.com';

const { fakes, newRun } = useArtifactFakes('ghes');
afterEach(() => expect(fakes.current.requests()).toEqual([]));

const name = recordName(images, amd64);
const operations = (): string[] => fakes.legacy.requests().map((request) => request.operation);

function put(job: ServerJob, digestCharacter: string, logger: RecordingLogger = recordingLogger()): Promise<void> {
  const record = sampleRecord(amd64, images, digestCharacter, job.attempt ?? 1);
  return storeOf('GHES', fakes, job, { images, logger }).put(record, name);
}

const list = (job: ServerJob) => storeOf('GHES', fakes, job, { images }).list();

describe('the legacy transport (GitHub Enterprise Server)', () => {
  test('a put looks for an earlier artifact, then creates it, sends the record in one chunk and finalizes', async () => {
    await put({ runId: newRun(), jobId: 'build' }, 'a');
    expect(operations()).toEqual(['ListArtifacts', 'CreateArtifact', 'UploadChunk', 'FinalizeArtifact']);
    const chunk = fakes.legacy.requests()[2];
    expect(chunk?.query.itemPath).toBe(`${name}/attempt-1/${name}.json`);
  });

  test('a re-run adds its attempt’s file beside the earlier one, deletes nothing, and the newest is the record', async () => {
    const run = newRun();
    await put({ runId: run, jobId: 'build' }, 'a');
    fakes.legacy.resetRequests();
    await put({ runId: run, jobId: 'build-again', attempt: 2 }, 'c');
    expect(operations()).toEqual([
      'ListArtifacts', // is there one of this name?
      'ListArtifacts', // download: 1.x finds it by name again
      'ListItems',
      'DownloadItem',
      'CreateArtifact', // the same artifact: the run's folder of that name
      'UploadChunk',
      'FinalizeArtifact',
    ]);
    const files = fakes.legacy.artifacts(run)[name] ?? {};
    expect(Object.keys(files).sort()).toEqual([`attempt-1/${name}.json`, `attempt-2/${name}.json`]);
    const listed = await list({ runId: run, jobId: 'merge', attempt: 2 });
    expect(listed.map(({ record }) => [record.digest, record.run?.attempt])).toEqual([[`sha256:${'c'.repeat(64)}`, 2]]);
  });

  test('reads the newest attempt by number, not by the order of the files (attempt-10 after attempt-9)', async () => {
    const run = newRun();
    fakes.legacy.addArtifact(run, name, {
      [`attempt-9/${name}.json`]: serializeRecord(sampleRecord(amd64, images, '9', 9)),
      [`attempt-10/${name}.json`]: serializeRecord(sampleRecord(amd64, images, 'f', 10)),
    });
    const listed = await list({ runId: run, jobId: 'merge', attempt: 10 });
    expect(listed.map(({ record }) => record.run?.attempt)).toEqual([10]);
  });

  test.each<[string, Record<string, string>, string]>([
    ['two files in its newest attempt', { 'attempt-2/a.json': '{}', 'attempt-2/b.json': '{}' }, '"attempt-2/a.json"'],
    ['a file beside its attempt folders', { 'attempt-1/a.json': '{}', 'notes.json': '{}' }, '"notes.json"'],
  ])('names the artifact when it holds %s', async (_name, files, listedFile) => {
    const run = newRun();
    fakes.legacy.addArtifact(run, name, files);
    const error = await userErrorRejected(() => list({ runId: run, jobId: 'merge' }));
    expect(error.subject).toBe(`artifact "${name}"`);
    expect(error.problem).toContain(listedFile);
    expect(error.problem).toContain('not exactly one .json file');
  });

  test('fails the put when 1.x reports a refused file in failedItems instead of throwing', async () => {
    fakes.legacy.fail('UploadChunk', 400);
    const error = await userErrorRejected(() => put({ runId: newRun(), jobId: 'build' }, 'a'));
    expect(error.subject).toBe(`artifact "${name}"`);
    expect(error.problem).toBe(`could not be uploaded: the artifact service did not take attempt-1/${name}.json`);
  });

  test('a 403 on create sends the user to the server’s administrators, or to records-path with upload-artifact@v3', async () => {
    fakes.legacy.fail('CreateArtifact', 403);
    const error = await userErrorRejected(() => put({ runId: newRun(), jobId: 'build' }, 'a'));
    expect(error.problem).toMatch(/^could not be uploaded: Create Artifact Container failed: Please reference/);
    expect(error.fix).toBe(
      `Artifact service failures are usually temporary: re-run the job. If it fails the same way, ask the administrators of ${ghes} to check its Actions storage, or set records-path to a directory the build jobs write their records to and the merge job reads them from (on ${ghes}, move it between jobs with actions/upload-artifact@v3 and actions/download-artifact@v3).`,
    );
  });

  test('a list the service refuses names records-path, with the same fix', async () => {
    fakes.legacy.fail('ListArtifacts', 404);
    const error = await userErrorRejected(() => list({ runId: newRun(), jobId: 'merge' }));
    expect(error.subject).toBe('records-path');
    expect(error.problem).toBe(
      'is empty and this run’s artifacts could not be listed: List Artifacts failed: Artifact service responded with 404',
    );
    expect(error.fix).toContain(`ask the administrators of ${ghes}`);
  });
});
