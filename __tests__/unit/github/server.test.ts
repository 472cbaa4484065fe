import { actionsServer, type ServerKind } from '../../../src/github/server.js';

/**
 * The server is told by the variables its runner sets: Gitea's act_runner GITEA_ACTIONS, forgejo-runner both that and
 * FORGEJO_ACTIONS; GitHub Enterprise Server by its host, as @actions/artifact's isGhes() tells it. ACTIONS_RESULTS_URL
 * decides nothing: a GHES runner may have it without a current artifact service.
 */
describe('actionsServer', () => {
  test.each<[string, Record<string, string>, ServerKind, string]>([
    ['github.com', { GITHUB_SERVER_URL: 'https://github.com' }, 'github', 'GitHub https://github.com'],
    ['GHE.com', { GITHUB_SERVER_URL: 'https://octo.ghe.com' }, 'github', 'GitHub https://octo.ghe.com'],
    [
      'a *.localhost server',
      { GITHUB_SERVER_URL: 'http://github.localhost' },
      'github',
      'GitHub http://github.localhost',
    ],
    ['a job with no server URL', {}, 'github', 'GitHub (GITHUB_SERVER_URL is not set)'],
    ['the upper-case github.com', { GITHUB_SERVER_URL: 'https://GitHub.com/' }, 'github', 'GitHub https://github.com'],
    [
      'GitHub Enterprise Server',
      { GITHUB_SERVER_URL: 'https://ghes.example.com', ACTIONS_RESULTS_URL: 'https://ghes.example.com/' },
      'enterprise-server',
      'GitHub Enterprise Server https://ghes.example.com',
    ],
    [
      'a server that only looks like github.com',
      { GITHUB_SERVER_URL: 'https://github.com.example.org' },
      'enterprise-server',
      'GitHub Enterprise Server https://github.com.example.org',
    ],
    [
      'Gitea (act_runner)',
      { GITHUB_SERVER_URL: 'https://gitea.example.com', GITEA_ACTIONS: 'true' },
      'gitea',
      'Gitea https://gitea.example.com',
    ],
    [
      'Forgejo (forgejo-runner sets both)',
      { GITHUB_SERVER_URL: 'https://code.example.org/', GITEA_ACTIONS: 'true', FORGEJO_ACTIONS: 'true' },
      'forgejo',
      'Forgejo https://code.example.org',
    ],
    [
      'Gitea under a sub-path, credentials left out',
      { GITHUB_SERVER_URL: 'https://user:secret@example.com/git/?x=1', GITEA_ACTIONS: 'true' },
      'gitea',
      'Gitea https://example.com/git',
    ],
    [
      'an unparsable server URL, named as written',
      { GITHUB_SERVER_URL: 'not a url', GITEA_ACTIONS: 'true' },
      'gitea',
      'Gitea (GITHUB_SERVER_URL "not a url")',
    ],
    [
      'GITEA_ACTIONS other than true',
      { GITHUB_SERVER_URL: 'https://github.com', GITEA_ACTIONS: 'false' },
      'github',
      'GitHub https://github.com',
    ],
  ])('%s', (_name, env, kind, name) => {
    expect(actionsServer(env)).toMatchObject({ kind, name });
  });

  test.each<[ServerKind, Record<string, string>, string]>([
    ['github', {}, 'actions/upload-artifact@v4 and actions/download-artifact@v4'],
    [
      'enterprise-server',
      { GITHUB_SERVER_URL: 'https://ghes.example.com' },
      'actions/upload-artifact@v3 and actions/download-artifact@v3',
    ],
    ['gitea', { GITEA_ACTIONS: 'true' }, 'actions/upload-artifact@v3 and actions/download-artifact@v3'],
    ['forgejo', { FORGEJO_ACTIONS: 'true' }, 'actions/upload-artifact@v3 and actions/download-artifact@v3'],
  ])('on %s, records-path moves with %s', (kind, env, actions) => {
    expect(actionsServer(env)).toMatchObject({ kind, artifactActions: actions });
  });
});
