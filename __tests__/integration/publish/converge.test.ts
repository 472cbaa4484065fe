import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger } from '../../../src/log.js';
import { type Descriptor, parseIndex } from '../../../src/oci/descriptor.js';
import { buildIndex } from '../../../src/oci/index.js';
import { getManifest, putManifest } from '../../../src/oci/manifests.js';
import { platformKey } from '../../../src/oci/platform.js';
import { parseRepository } from '../../../src/oci/reference.js';
import { openRegistrySession } from '../../../src/oci/client.js';
import { runBuild } from '../../support/build-fixture.js';
import { buildImage, pushLayout, removeImages } from '../../support/images.js';
import type { OciLayout } from '../../support/layout.js';
import { startRegistry, type TestRegistry } from '../../support/registry.js';
import { inspectRaw } from '../../support/skopeo.js';

/**
 * The lost update the seed warns about, provoked on purpose: eight jobs publish one tag at the same moment, each
 * knowing only its own platform, fifty times over with random start delays. Build jobs that publish with `tags`
 * (records first, then the index, then read back and publish again) lose nothing; the same harness running a
 * naive read-modify-write of the tag, as `imagetools create --append` does, loses platforms.
 */
const platforms = [
  'linux/amd64',
  'linux/arm64',
  'linux/arm/v7',
  'linux/386',
  'linux/ppc64le',
  'linux/s390x',
  'linux/riscv64',
  'linux/mips64le',
];
const repetitions = 50;
// distribution's filesystem storage answers 500 now and then when a tag is read while another request rewrites it:
// the action's retries (more patient by default) absorb that, as they must on any registry under this load.
const registryUnderContention = {
  maxAttempts: 5,
  baseDelayMs: 20,
  maxDelayMs: 200,
  maxRetryAfterMs: 1_000,
  random: Math.random,
};
const maxStartDelayMs = 25;

let registry: TestRegistry;
let layouts: OciLayout[];
const image = () => `${registry.host}/race/app`;

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
  layouts = await Promise.all(platforms.map((platform) => buildImage(platform)));
  for (const layout of layouts) await pushLayout(layout, { registry, repository: 'race/app' });
}, 120_000);

afterAll(async () => {
  await registry.stop();
  await removeImages();
});

async function platformsUnder(tag: string): Promise<string[]> {
  const { json } = await inspectRaw(`${image()}:${tag}`);
  const manifests = json.manifests as Descriptor[];
  return manifests.flatMap((entry) => (entry.platform ? [platformKey(entry.platform)] : [])).sort();
}

const expected = platforms.map((platform) => platformKey(parsePlatformText(platform))).sort();

function parsePlatformText(text: string) {
  const [os = '', architecture = '', variant] = text.split('/');
  return { os, architecture, ...(variant ? { variant } : {}) };
}

/** Runs `publish` for every platform at once, each after a random delay; returns the platforms the tag lost. */
async function race(tag: string, publish: (index: number) => Promise<void>): Promise<string[]> {
  await Promise.all(
    platforms.map(async (_, index) => {
      await sleep(Math.random() * maxStartDelayMs);
      await publish(index);
    }),
  );
  const held = await platformsUnder(tag);
  return expected.filter((platform) => !held.includes(platform));
}

/** One build job of the race: records the image of platform `index` (builder none) and publishes under `tag`. */
async function publishingJob(index: number, tag: string, recordsPath: string, extra: Record<string, string> = {}) {
  const run = await runBuild(
    {
      images: image(),
      platform: platforms[index] ?? '',
      builder: 'none',
      digest: layouts[index]?.descriptor.digest ?? '',
      tags: tag,
      'records-path': recordsPath,
      ...extra,
    },
    { retry: registryUnderContention },
  );
  if (run.error) throw run.error;
  return run.outcome?.published;
}

describe(`${platforms.length} jobs publishing one tag at once, ${repetitions} times`, () => {
  test('build jobs with `tags` never lose a platform', async () => {
    const lost: string[] = [];
    let roundsAbove1 = 0;
    for (let repetition = 1; repetition <= repetitions; repetition++) {
      const tag = `converge-${repetition}`;
      const recordsPath = await mkdtemp(join(tmpdir(), 'race-records-'));
      const lostHere = await race(tag, async (index) => {
        const published = await publishingJob(index, tag, recordsPath);
        if ((published?.rounds ?? 0) > 1) roundsAbove1++;
      });
      lost.push(...lostHere.map((platform) => `${tag}: ${platform}`));
    }
    expect(lost).toEqual([]);
    // The race was real: jobs found records stored while they published, and published again.
    expect(roundsAbove1).toBeGreaterThan(0);
  }, 300_000);

  test('with `platforms`, only jobs that see every platform publish, so no index with fewer is ever written', async () => {
    const lost: string[] = [];
    const partial: number[] = [];
    let published = 0;
    for (let repetition = 1; repetition <= 10; repetition++) {
      const tag = `complete-${repetition}`;
      const recordsPath = await mkdtemp(join(tmpdir(), 'race-records-'));
      const lostHere = await race(tag, async (index) => {
        const outcome = (await publishingJob(index, tag, recordsPath, { platforms: platforms.join(',') }))?.outcome;
        if (outcome === undefined) return;
        published++;
        const images = outcome.plan.children.filter((child) => child.kind === 'image').length;
        if (images !== platforms.length) partial.push(images);
      });
      lost.push(...lostHere.map((platform) => `${tag}: ${platform}`));
    }
    expect(lost).toEqual([]);
    expect(partial).toEqual([]);
    // Most jobs saw fewer platforms and left publishing to the last one.
    expect(published).toBeLessThan(10 * platforms.length);
  }, 300_000);

  test('the same race with a naive read-modify-write of the tag loses platforms', async () => {
    const session = openRegistrySession({ env: {}, logger: silentLogger });
    const repository = session.clients.repository(parseRepository(image()));
    let lost = 0;
    try {
      for (let repetition = 1; repetition <= repetitions; repetition++) {
        const tag = `naive-${repetition}`;
        const lostHere = await race(tag, async (index) => {
          const mine = {
            ...(layouts[index]?.descriptor as Descriptor),
            platform: parsePlatformText(platforms[index] ?? ''),
          };
          const current = await getManifest(repository, tag).then(
            (manifest) => parseIndex(manifest.bytes, tag).manifests,
            () => [] as Descriptor[],
          );
          const others = current.filter(
            (entry) => entry.platform && platformKey(entry.platform) !== platformKey(mine.platform),
          );
          const updated = buildIndex({ manifests: [...others, mine], attestations: [] });
          await putManifest(repository, tag, updated);
        });
        lost += lostHere.length;
      }
    } finally {
      await session.close();
    }
    expect(lost).toBeGreaterThan(0);
  }, 300_000);
});
