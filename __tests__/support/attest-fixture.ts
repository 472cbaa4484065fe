import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAttestationsApi, type AttestationsApi } from './attestations-api.js';
import { startPublicHosts, type PublicHosts } from './connect-proxy.js';
import { startGithubOidc, workflowClaims, type GithubOidc } from './github-oidc.js';
import { fakeGithub } from './runner.js';
import { githubSigstore, publicGoodSigstore, type MockSigstore } from './sigstore.js';

/**
 * Everything a job that attests talks to besides its registries, on loopback, for the real @actions/attest in a
 * child process: both Sigstore instances and the OIDC issuer behind the CONNECT proxy, the runner's token endpoint,
 * and the attestations API, with the token of the runner harness's fake `github` context.
 */
export interface AttestServices {
  readonly publicGood: MockSigstore;
  readonly github: MockSigstore;
  readonly oidc: GithubOidc;
  readonly api: AttestationsApi;
  readonly hosts: PublicHosts;
  /** A job's environment with `id-token: write`, in a repository of that visibility (its event names it). */
  jobEnv(visibility: 'public' | 'private'): Record<string, string>;
  stop(): Promise<void>;
}

export async function startAttestServices(): Promise<AttestServices> {
  const dir = await mkdtemp(join(tmpdir(), 'attest-services-'));
  const [publicGood, github, oidc, api] = await Promise.all([
    publicGoodSigstore(),
    githubSigstore(),
    startGithubOidc(workflowClaims(fakeGithub.repository, 'public')),
    startAttestationsApi(fakeGithub.token),
  ]);
  const hosts = await startPublicHosts({ ...publicGood.routes, ...github.routes, ...oidc.routes });
  const events: Record<string, string> = {};
  for (const visibility of ['public', 'private'] as const) {
    events[visibility] = join(dir, `event-${visibility}.json`);
    const repository = { full_name: fakeGithub.repository, visibility, private: visibility !== 'public' };
    await writeFile(events[visibility], JSON.stringify({ repository }));
  }
  return {
    publicGood,
    github,
    oidc,
    api,
    hosts,
    jobEnv: (visibility) => ({
      ...hosts.env,
      ...oidc.env,
      GITHUB_API_URL: api.url,
      GITHUB_EVENT_PATH: events[visibility] ?? '',
    }),
    stop: async () => {
      await Promise.all([hosts.stop(), oidc.stop(), api.stop()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
