/**
 * Which kind of Actions server a job runs on, from the variables its runner sets, and what differs between them for
 * this project: the artifact service records travel by, the artifact actions that work there, the runners it has.
 *
 * - GitHub (github.com and GHE.com): the current artifact service; GitHub-hosted runners.
 * - GitHub Enterprise Server: only the legacy artifact service (the one of upload-artifact@v3); self-hosted runners
 *   only. Recognised as @actions/artifact's isGhes() does (shared/config.ts): a GITHUB_SERVER_URL whose host is not
 *   github.com, *.ghe.com or *.localhost.
 * - Gitea and Forgejo: the current artifact service. Gitea's act_runner sets GITEA_ACTIONS=true, forgejo-runner sets
 *   both that and FORGEJO_ACTIONS=true (internal/app/run/runner.go of each). Their GITHUB_SERVER_URL is the instance,
 *   which the host test takes for GitHub Enterprise Server, so these variables are looked at first.
 */
export type ServerKind = 'github' | 'enterprise-server' | 'gitea' | 'forgejo';

export interface ActionsServer {
  readonly kind: ServerKind;
  /** How messages name it: `GitHub Enterprise Server https://ghe.example.com`. */
  readonly name: string;
  /** The artifact actions that run there, for moving a records-path directory between jobs. */
  readonly artifactActions: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const legacyArtifactActions = 'actions/upload-artifact@v3 and actions/download-artifact@v3';

const servers: Readonly<Record<ServerKind, { readonly label: string; readonly artifactActions: string }>> = {
  github: { label: 'GitHub', artifactActions: 'actions/upload-artifact@v4 and actions/download-artifact@v4' },
  'enterprise-server': { label: 'GitHub Enterprise Server', artifactActions: legacyArtifactActions },
  gitea: { label: 'Gitea', artifactActions: legacyArtifactActions },
  forgejo: { label: 'Forgejo', artifactActions: legacyArtifactActions },
};

/** The server the job runs on, decided once from the job's environment. */
export function actionsServer(env: Env): ActionsServer {
  const url = parseUrl(env.GITHUB_SERVER_URL);
  const kind = serverKind(env, url);
  return { kind, name: `${servers[kind].label} ${describeUrl(env.GITHUB_SERVER_URL, url)}`, ...servers[kind] };
}

function serverKind(env: Env, url: URL | undefined): ServerKind {
  if (env.FORGEJO_ACTIONS === 'true') return 'forgejo';
  if (env.GITEA_ACTIONS === 'true') return 'gitea';
  return url !== undefined && isEnterpriseServerHost(url.hostname) ? 'enterprise-server' : 'github';
}

function isEnterpriseServerHost(hostname: string): boolean {
  const host = hostname.trimEnd().toUpperCase();
  return host !== 'GITHUB.COM' && !host.endsWith('.GHE.COM') && !host.endsWith('.LOCALHOST');
}

function parseUrl(text: string | undefined): URL | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    return new URL(text);
  } catch {
    return undefined; // named as written below; the artifact client reports what it makes of it
  }
}

/** The origin and path, never user information or a query. */
function describeUrl(text: string | undefined, url: URL | undefined): string {
  if (url !== undefined) return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  return text === undefined || text === ''
    ? '(GITHUB_SERVER_URL is not set)'
    : `(GITHUB_SERVER_URL ${JSON.stringify(text)})`;
}
