import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { buildImage, pushLayout, removeImages } from '../support/images.js';
import { inspectForPlatform, inspectRaw } from '../support/skopeo.js';
import { dockerConfigFor, writeRecords } from '../support/merge-fixture.js';
import { runActionAsRunner, visibleLog } from '../support/runner.js';
import type { OciLayout } from '../support/layout.js';

const mergeAction = resolve('merge');
let open: TestRegistry;
let basic: TestRegistry;
let amd64: OciLayout;
let arm64: OciLayout;
let recordsPath: string;
let dockerConfig: string;
const images = () => [`${open.host}/e2e/app`, `${basic.host}/e2e/app`];

beforeAll(async () => {
  [open, basic] = await Promise.all([startRegistry({ auth: 'none' }), startRegistry({ auth: 'basic' })]);
  [amd64, arm64] = await Promise.all([buildImage('linux/amd64'), buildImage('linux/arm64')]);
  for (const registry of [open, basic]) {
    for (const layout of [amd64, arm64]) await pushLayout(layout, { registry, repository: 'e2e/app' });
  }
  recordsPath = await writeRecords([
    { layout: amd64, platform: { os: 'linux', architecture: 'amd64' }, images: images() },
    { layout: arm64, platform: { os: 'linux', architecture: 'arm64' }, images: images() },
  ]);
  dockerConfig = await dockerConfigFor([{ registry: basic }]);
});

afterAll(async () => {
  await Promise.all([open.stop(), basic.stop()]);
  await removeImages();
});

async function settleAndReset(): Promise<void> {
  await Promise.all([open.settle(), basic.settle()]);
  open.reset();
  basic.reset();
}

async function writesSoFar(): Promise<number> {
  await Promise.all([open.settle(), basic.settle()]);
  return open.writes().length + basic.writes().length;
}

describe('the merge action run as the runner runs dist/merge.js', () => {
  test('publishes, sets digest, images and index outputs, and writes the job summary', async () => {
    await settleAndReset();
    const run = await runActionAsRunner(
      mergeAction,
      {
        images: images().join('\n'),
        tags: 'v1,latest',
        platforms: 'linux/amd64,linux/arm64',
        'records-path': recordsPath,
      },
      { env: { DOCKER_CONFIG: dockerConfig, ACTIONS_STEP_DEBUG: 'true' } },
    );
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    const digest = run.outputs.digest ?? '';
    expect(
      createHash('sha256')
        .update(run.outputs.index ?? '')
        .digest('hex'),
    ).toBe(digest.slice('sha256:'.length));
    expect((run.outputs.images ?? '').split('\n')).toEqual(
      images().flatMap((image) => [`${image}@${digest}`, `${image}:v1`, `${image}:latest`]),
    );
    for (const image of images()) {
      const { bytes } = await inspectRaw(`${image}:latest`, {
        user: image.startsWith(basic.host) ? basic.reader : undefined,
      });
      expect(bytes.toString('utf8')).toBe(run.outputs.index);
      const resolved = await inspectForPlatform(
        `${image}:v1`,
        { os: 'linux', architecture: 'arm64' },
        {
          user: image.startsWith(basic.host) ? basic.reader : undefined,
        },
      );
      expect(resolved.digest).toBe(arm64.descriptor.digest);
    }
    expect(run.summary).toContain(
      `| ${images()[1]} | latest | linux/arm64 | \`${arm64.descriptor.digest}\` | published |`,
    );
    expect(run.summary).toContain(digest);
  });

  test('never prints the registry password, even in debug mode', async () => {
    const run = await runActionAsRunner(
      mergeAction,
      { images: images().join(','), tags: 'v2', 'records-path': recordsPath },
      { env: { DOCKER_CONFIG: dockerConfig, ACTIONS_STEP_DEBUG: 'true' } },
    );
    expect(run.exitCode).toBe(0);
    const basicAuth = Buffer.from(`${basic.pusher.username}:${basic.pusher.password}`).toString('base64');
    // ::add-mask:: is how the runner learns a secret; it never displays that command, so the visible log is the rest.
    const shown = visibleLog(run);
    for (const text of [shown, run.stderr, run.summary, JSON.stringify(run.outputs)]) {
      expect(text).not.toContain(basic.pusher.password);
      expect(text).not.toContain(basicAuth);
    }
    expect(run.masked).toContain(basic.pusher.password);
  });

  test('dry-run prints the index and the plan and writes nothing', async () => {
    await settleAndReset();
    const run = await runActionAsRunner(
      mergeAction,
      { images: images().join(','), tags: 'dry', 'records-path': recordsPath, 'dry-run': 'true' },
      { env: { DOCKER_CONFIG: dockerConfig } },
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs.images).toBe('');
    expect(run.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run.summary).toContain('Dry run');
    expect(await writesSoFar()).toBe(0);
  });

  test('a bad tag fails the step naming the input, before any registry write', async () => {
    await settleAndReset();
    const run = await runActionAsRunner(
      mergeAction,
      { images: images().join(','), tags: 'v1 beta', 'records-path': recordsPath },
      { env: { DOCKER_CONFIG: dockerConfig } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/^tags: "v1 beta"/);
    expect(await writesSoFar()).toBe(0);
  });
});
