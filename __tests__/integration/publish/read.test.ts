import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { failuresOf } from '../../../src/publish/publish.js';
import type { Platform } from '../../../src/oci/descriptor.js';
import { buildImage, pushLayout, removeImages } from '../../support/images.js';
import type { OciLayout } from '../../support/layout.js';
import { pickFreePort } from '../../support/loopback.js';
import { dockerConfigFor, writeRecords } from '../../support/merge-fixture.js';
import { startEveryAuthMode, type TestRegistry } from '../../support/registry.js';
import { inspectRaw } from '../../support/skopeo.js';
import { expectRefusal, expectRefusedBeforeWrites, observeMerge } from '../../support/refusal.js';

const repository = 'team/app';
const amd64Platform: Platform = { os: 'linux', architecture: 'amd64' };
const arm64Platform: Platform = { os: 'linux', architecture: 'arm64' };

let open: TestRegistry;
let basic: TestRegistry;
let token: TestRegistry;
let registries: TestRegistry[];
let amd64: OciLayout;
let arm64: OciLayout;

beforeAll(async () => {
  [open, basic, token] = await startEveryAuthMode();
  registries = [open, basic, token];
  [amd64, arm64] = await Promise.all([buildImage('linux/amd64'), buildImage('linux/arm64')]);
  await Promise.all(
    registries.map(async (registry) => {
      for (const layout of [amd64, arm64]) await pushLayout(layout, { registry, repository });
    }),
  );
});

afterAll(async () => {
  await Promise.all(registries.map((registry) => registry.stop()));
  await removeImages();
});

const imageIn = (registry: TestRegistry) => `${registry.host}/${repository}`;

function recordsFor(images: readonly string[]): Promise<string> {
  return writeRecords([
    { layout: amd64, platform: amd64Platform, images },
    { layout: arm64, platform: arm64Platform, images },
  ]);
}

/** Every form an error takes when printed, logged or serialised, causes and stack included. */
function everyRendering(error: unknown): string {
  return [String(error), (error as Error).message, JSON.stringify(error), inspect(error, { depth: Infinity })].join(
    '\n',
  );
}

describe('a registry that cannot be read fails the merge before anything is written anywhere', () => {
  test('an unreachable image next to healthy ones is named, and the healthy ones get no write', async () => {
    const unreachable = `127.0.0.1:${await pickFreePort()}/${repository}`;
    const healthy = [imageIn(open), imageIn(token)];
    const observed = await observeMerge(
      registries,
      { images: [...healthy, unreachable].join(','), tags: 'v1', 'records-path': await recordsFor(healthy) },
      { dockerConfig: await dockerConfigFor([{ registry: token }]) },
    );
    expectRefusedBeforeWrites(observed, {
      subject: unreachable,
      mentions: ['cannot reach 127.0.0.1:'],
      fix: /Check the registry host name and port in `images`/,
    });
  });

  test.each(['basic', 'token'] as const)(
    'a wrong password (%s auth) is named by image, says to log in, and is never shown',
    async (auth) => {
      const target = registries.find((registry) => registry.auth === auth) as TestRegistry;
      const wrong = { username: target.pusher.username, password: `wrong-${randomBytes(12).toString('hex')}` };
      const images = registries.map(imageIn);
      const logins = registries.map((registry) => (registry === target ? { registry, user: wrong } : { registry }));
      const observed = await observeMerge(
        registries,
        { images: images.join(','), tags: 'v1', 'records-path': await recordsFor(images) },
        { dockerConfig: await dockerConfigFor(logins) },
      );
      const error = expectRefusedBeforeWrites(observed, {
        subject: imageIn(target),
        mentions: ['401'],
        fix: /^Log in to this registry .*check the username and password/,
      });
      const rendered = everyRendering(error);
      const basicHeader = Buffer.from(`${wrong.username}:${wrong.password}`).toString('base64');
      for (const secret of [wrong.password, basicHeader]) expect(rendered).not.toContain(secret);
    },
  );
});

describe('a user who may pull but not push', () => {
  test('fails with the advice to log in as a user who may push, and leaves no index and no tag', async () => {
    const image = imageIn(token);
    const observed = await observeMerge(
      registries,
      { images: image, tags: 'read-only', 'records-path': await recordsFor([image]) },
      { dockerConfig: await dockerConfigFor([{ registry: token, user: token.reader }]) },
    );
    expect(observed.run.error).toBeUndefined();
    const outcome = observed.run.outcome!;
    expect(outcome.results.map((result) => [result.indexWritten, result.tagsWritten])).toEqual([[false, []]]);
    const error = expectRefusal(failuresOf(outcome), {
      subject: image,
      mentions: ['PUT'],
      fix: /may read but not push to this repository/,
    });
    expect(error.message).not.toContain(token.reader.password);
    const tokenWrites = observed.writes[registries.indexOf(token)] ?? [];
    expect(tokenWrites.length).toBeGreaterThan(0);
    expect(tokenWrites.filter((entry) => entry.status >= 200 && entry.status < 300)).toEqual([]);
    const indexDigest = outcome.plan.index.descriptor.digest;
    for (const reference of [`${image}:read-only`, `${image}@${indexDigest}`]) {
      await expect(inspectRaw(reference, { user: token.pusher })).rejects.toThrow();
    }
  });
});

describe('dry-run', () => {
  test('checks every registry, plans the index and writes nothing', async () => {
    const images = registries.map(imageIn);
    const observed = await observeMerge(
      registries,
      { images: images.join(','), tags: 'dry-run', 'dry-run': 'true', 'records-path': await recordsFor(images) },
      { dockerConfig: await dockerConfigFor(registries.map((registry) => ({ registry }))) },
    );
    expect(observed.run.error).toBeUndefined();
    expect(observed.run.outcome?.results).toEqual([]);
    expect(observed.run.outcome?.plan.targets.map((target) => target.reference)).toEqual(images);
    expect(observed.writes).toEqual([[], [], []]);
    for (const requests of observed.requests) {
      const heads = requests.filter((entry) => entry.method === 'HEAD' && entry.status === 200);
      expect(heads).toHaveLength(2);
    }
    await expect(inspectRaw(`${imageIn(open)}:dry-run`)).rejects.toThrow();
  });
});
