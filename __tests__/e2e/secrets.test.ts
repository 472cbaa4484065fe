import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { resolve } from 'node:path';
import { serverEnvironment, type ServerName } from '../support/actions-servers.js';
import { buildahEnvironment, removeImages, writeBuildContext } from '../support/images.js';
import { startArtifactFakes, type StartedFakes } from '../support/record-jobs.js';
import { dockerConfigFor } from '../support/merge-fixture.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { runActionAsRunner, visibleLog, type ActionRun } from '../support/runner.js';

/**
 * Both actions in debug mode against a bearer-token registry and a Basic one, on github.com (the current artifact
 * client) and on GitHub Enterprise Server (the legacy one, which logs on its own): the passwords, their Basic
 * encodings, every token the token server handed out, the build secret and the runner's artifact tokens appear in
 * nothing a user can see: the log (less the ::add-mask:: lines the runner never shows), outputs, summary or state.
 */
let token: TestRegistry;
let basic: TestRegistry;
let fakes: StartedFakes;
let context: string;
let buildah: Record<string, string>;
const buildSecret = 'npm_TopSecretBuildValue_0123456789';
const servers: readonly ServerName[] = ['github.com', 'GHES'];
const runs: ActionRun[] = [];
const runtimeTokens: string[] = [];

beforeAll(async () => {
  const [tokenRegistry, basicRegistry, artifactFakes] = await Promise.all([
    startRegistry({ auth: 'token' }),
    startRegistry({ auth: 'basic' }),
    startArtifactFakes(),
  ]);
  [token, basic, fakes] = [tokenRegistry, basicRegistry, artifactFakes];
  [context, buildah] = await Promise.all([writeBuildContext('secret test'), buildahEnvironment()]);
  const dockerConfig = await dockerConfigFor([{ registry: token }, { registry: basic }]);
  for (const server of servers) {
    const path = `secret/${server === 'GHES' ? 'ghes' : 'app'}`;
    const images = [`${token.host}/${path}`, `${basic.host}/${path}`].join(',');
    const env = (jobId: string) => {
      const runner = serverEnvironment(server, fakes, { runId: '1', jobId });
      runtimeTokens.push(runner.ACTIONS_RUNTIME_TOKEN ?? '');
      return { ...runner, ...buildah, DOCKER_CONFIG: dockerConfig, ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' };
    };
    const build = await runActionAsRunner(
      resolve('.'),
      { images, platform: 'linux/arm64', builder: 'buildah', context, secrets: `npm=${buildSecret}`, tags: 'edge' },
      { env: env('build'), timeoutMs: 120_000 },
    );
    const merge = await runActionAsRunner(
      resolve('merge'),
      { images, tags: 'v1', platforms: 'linux/arm64' },
      { env: env('merge') },
    );
    runs.push(build, merge);
  }
}, 240_000);

afterAll(async () => {
  await Promise.all([token.stop(), basic.stop(), fakes.stop()]);
  await removeImages();
});

function secrets(): string[] {
  const users = [token.pusher, token.reader, basic.pusher, basic.reader];
  return [
    ...users.map((user) => user.password),
    ...users.map((user) => Buffer.from(`${user.username}:${user.password}`).toString('base64')),
    ...(token.tokenIssuer?.secretsIssued() ?? []),
    buildSecret,
    ...runtimeTokens,
  ];
}

function visible(run: ActionRun): string[] {
  const log = visibleLog(run);
  return [log, run.stderr, run.summary, JSON.stringify(run.outputs), JSON.stringify(run.state)];
}

describe('secrets in debug mode', () => {
  test('both actions succeed on both servers with bearer tokens, Basic auth and a build secret', () => {
    expect(runs.map((run) => [run.errors, run.exitCode])).toEqual(
      servers.flatMap(() => [
        [[], 0],
        [[], 0],
      ]),
    );
    expect(fakes.legacy.requests().length).toBeGreaterThan(0);
    expect(token.tokenIssuer?.tokensIssued()).toBeGreaterThan(0);
  });

  test('no password, Basic encoding, token or build secret appears in any log, output, summary or state', () => {
    const leaks = secrets().flatMap((secret) =>
      runs.flatMap((run, i) =>
        visible(run).some((text) => text.includes(secret)) ? [`run ${i}: ${secret.slice(0, 6)}…`] : [],
      ),
    );
    expect(leaks).toEqual([]);
  });

  test('the passwords and the build secret were masked for the runner', () => {
    const masked = runs.flatMap((run) => run.masked);
    expect(masked).toEqual(expect.arrayContaining([token.pusher.password, basic.pusher.password, buildSecret]));
  });
});
