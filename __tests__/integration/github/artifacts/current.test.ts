import { recordStore } from '../../../../src/github/record-store.js';
import type { Platform } from '../../../../src/oci/descriptor.js';
import { recordName } from '../../../../src/records/naming.js';
import type { ServerName } from '../../../support/actions-servers.js';
import {
  environmentOf,
  recordingLogger,
  sampleRecord,
  storeOf,
  useArtifactFakes,
} from '../../../support/record-jobs.js';
import { userErrorRejected } from '../../../support/thrown.js';

/**
 * The current transport on Gitea and Forgejo: @actions/artifact 6 refuses every server that is not github.com or
 * *.ghe.com before it sends a request (go-gitea/gitea#36024); the store satisfies that check for the synchronous part
 * of each call only. What else is particular to these servers: the sub-path they may be served under, and a server
 * too old to have the current service.
 */
const images = ['gitea.example.com/team/app'];
const amd64: Platform = { os: 'linux', architecture: 'amd64' };

const { fakes, newRun } = useArtifactFakes('gitea');

describe.each<ServerName>(['Gitea', 'Forgejo'])('the current transport on %s', (server) => {
  test('the client alone refuses the server before any request: the reason for the override', async () => {
    environmentOf(server, fakes, { runId: newRun(), jobId: 'build' });
    const { DefaultArtifactClient, GHESNotSupportedError } = await import('@actions/artifact');
    await expect(new DefaultArtifactClient().listArtifacts()).rejects.toBeInstanceOf(GHESNotSupportedError);
    expect(fakes.current.requests()).toEqual([]);
  });

  test('stores and lists records, and nothing but the call itself ever sees GITHUB_SERVER_URL changed', async () => {
    const job = { runId: newRun(), jobId: 'build' };
    const serverUrl = environmentOf(server, fakes, job).GITHUB_SERVER_URL;
    const seen = new Set<string | undefined>();
    const watcher = setInterval(() => seen.add(process.env.GITHUB_SERVER_URL), 0);
    try {
      const record = sampleRecord(amd64, images);
      await storeOf(server, fakes, job, { images }).put(record, recordName(images, amd64));
      const listed = await storeOf(server, fakes, { ...job, jobId: 'merge' }, { images }).list();
      expect(listed.map((sourced) => sourced.record)).toEqual([record]);
    } finally {
      clearInterval(watcher);
    }
    expect([...seen]).toEqual([serverUrl]);
    expect(process.env.GITHUB_SERVER_URL).toBe(serverUrl);
    expect(fakes.legacy.requests()).toEqual([]);
  });

  test('refuses, before any request, an artifact service under a sub-path, which the client cannot reach', async () => {
    const env = { ...environmentOf(server, fakes, { runId: newRun(), jobId: 'build' }) };
    env.GITHUB_SERVER_URL = 'https://example.com/git';
    env.ACTIONS_RESULTS_URL = `${fakes.current.url}/git/`;
    const error = await userErrorRejected(async () =>
      recordStore(undefined, images, { logger: recordingLogger(), env }),
    );
    expect(error.subject).toBe('records-path');
    expect(error.problem).toBe(
      `is empty, and the run’s artifacts on ${server} https://example.com/git cannot be reached: its artifact service is under the path /git/ (ACTIONS_RESULTS_URL), and @actions/artifact sends its requests to the root of that host.`,
    );
    expect(error.fix).toContain('actions/upload-artifact@v3 and actions/download-artifact@v3');
    expect(fakes.current.requests()).toEqual([]);
  });

  test('a server without the current artifact service gets the fix to upgrade it or to use records-path', async () => {
    const job = { runId: newRun(), jobId: 'merge' };
    const env = environmentOf(server, fakes, job);
    const serverUrl = env.GITHUB_SERVER_URL;
    // The legacy fake answers 404 to the current protocol's routes, as a Gitea older than 1.23 does.
    env.ACTIONS_RESULTS_URL = new URL(fakes.legacy.url).origin;
    process.env.ACTIONS_RESULTS_URL = env.ACTIONS_RESULTS_URL;
    const error = await userErrorRejected(() =>
      recordStore(undefined, images, { logger: recordingLogger(), env }).list(),
    );
    expect(error.subject).toBe('records-path');
    expect(error.problem).toMatch(/could not be listed: .*404/);
    expect(process.env.GITHUB_SERVER_URL).toBe(serverUrl); // restored after a failed call too
    expect(error.fix).toBe(
      `Artifact service failures are usually temporary: re-run the job. If it fails the same way, ${server} https://${server.toLowerCase()}.example.com may lack the artifact service of upload-artifact@v4 (Gitea has it since 1.23): upgrade it, or set records-path to a directory the build jobs write their records to and the merge job reads them from (on ${server} https://${server.toLowerCase()}.example.com, move it between jobs with actions/upload-artifact@v3 and actions/download-artifact@v3).`,
    );
  });
});
