import type { ArtifactService } from './artifact-service.js';
import type { LegacyArtifactService } from './legacy-artifact-service.js';

/**
 * What the runner of each kind of Actions server puts in a step's environment about the server and its artifact
 * services, on top of what every runner sets (runner.ts), with the fakes standing in for the services:
 * - github.com: actions/runner; ACTIONS_RESULTS_URL is the current artifact service, ACTIONS_RUNTIME_URL (the
 *   pipelines service, which also holds the legacy one) is set but unused for artifacts.
 * - GitHub Enterprise Server: actions/runner; the legacy service at ACTIONS_RUNTIME_URL, and ACTIONS_RESULTS_URL may
 *   be set too (NodeScriptActionHandler.cs sets it whenever the job carries a ResultsServiceUrl) with no artifact
 *   service behind it.
 * - Gitea: act_runner (internal/app/run/runner.go, act/runner/run_context.go): GITEA_ACTIONS, the instance as
 *   GITHUB_SERVER_URL, both services on the instance (the legacy one under /api/actions_pipeline/).
 * - Forgejo: forgejo-runner: Gitea's variables, FORGEJO_ACTIONS and FORGEJO_* copies of the GITHUB_* ones.
 */
export type ServerName = 'github.com' | 'GHES' | 'Gitea' | 'Forgejo';

export const serverNames: readonly ServerName[] = ['github.com', 'GHES', 'Gitea', 'Forgejo'];

export interface ArtifactFakes {
  readonly current: ArtifactService;
  readonly legacy: LegacyArtifactService;
}

export interface ServerJob {
  readonly runId: string;
  readonly jobId: string;
  readonly attempt?: number;
}

/** The artifact service the server's records must travel by: the other fake must see no request. */
export function serviceOf(server: ServerName): 'current' | 'legacy' {
  return server === 'GHES' ? 'legacy' : 'current';
}

export const serverUrls: Readonly<Record<ServerName, string>> = {
  'github.com': 'https://github.com',
  GHES: 'https://ghes.example.com',
  Gitea: 'https://gitea.example.com',
  Forgejo: 'https://forgejo.example.com',
};

/** Every variable serverEnvironment may set, to clear between jobs of different servers in one process. */
export const serverVariables = [
  'GITHUB_SERVER_URL',
  'GITHUB_API_URL',
  'GITHUB_GRAPHQL_URL',
  'GITHUB_RUN_ID',
  'GITHUB_RUN_ATTEMPT',
  'RUNNER_ENVIRONMENT',
  'ACTIONS_RUNTIME_URL',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RESULTS_URL',
  'GITEA_ACTIONS',
  'GITEA_ACTIONS_RUNNER_VERSION',
  'FORGEJO_ACTIONS',
  'FORGEJO_ACTIONS_RUNNER_VERSION',
  'FORGEJO_SERVER_URL',
  'FORGEJO_RUN_ID',
] as const;

export function serverEnvironment(server: ServerName, fakes: ArtifactFakes, job: ServerJob): Record<string, string> {
  const run = { GITHUB_RUN_ID: job.runId, GITHUB_RUN_ATTEMPT: String(job.attempt ?? 1) };
  const url = serverUrls[server];
  const current = () => ({ ...fakes.current.envFor(job), ...run });
  switch (server) {
    case 'github.com':
      return { GITHUB_SERVER_URL: url, GITHUB_API_URL: 'https://api.github.com', ...unusedLegacy(fakes), ...current() };
    case 'GHES':
      return {
        GITHUB_SERVER_URL: url,
        GITHUB_API_URL: `${url}/api/v3`,
        GITHUB_GRAPHQL_URL: `${url}/api/graphql`,
        RUNNER_ENVIRONMENT: 'self-hosted',
        ACTIONS_RESULTS_URL: `${fakes.current.url}/`,
        ...fakes.legacy.envFor(job),
      };
    case 'Gitea':
      return { ...gitea(url, fakes), ...current() };
    case 'Forgejo':
      return {
        ...gitea(url, fakes),
        FORGEJO_ACTIONS: 'true',
        FORGEJO_ACTIONS_RUNNER_VERSION: 'v11.1.2',
        FORGEJO_SERVER_URL: url,
        FORGEJO_RUN_ID: job.runId,
        ...current(),
      };
  }
}

function gitea(url: string, fakes: ArtifactFakes): Record<string, string> {
  return {
    GITHUB_SERVER_URL: url,
    GITHUB_API_URL: `${url}/api/v1`,
    GITHUB_GRAPHQL_URL: '',
    RUNNER_ENVIRONMENT: 'self-hosted',
    GITEA_ACTIONS: 'true',
    GITEA_ACTIONS_RUNNER_VERSION: 'v0.2.13',
    ...unusedLegacy(fakes),
  };
}

// The pipelines service is there, but records must not go through it: the legacy fake's log shows if they do.
function unusedLegacy(fakes: ArtifactFakes): Record<string, string> {
  return { ACTIONS_RUNTIME_URL: fakes.legacy.url };
}

/** The names of a run's finalized artifacts on the service the server's records travel by, sorted. */
export function artifactNames(server: ServerName, fakes: ArtifactFakes, runId: string): string[] {
  if (serviceOf(server) === 'legacy') return Object.keys(fakes.legacy.artifacts(runId)).sort();
  return fakes.current
    .artifacts(runId)
    .map((artifact) => artifact.name)
    .sort();
}
