import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBuild } from '../../support/build-fixture.js';
import { buildahEnvironment, buildImage, pushLayout, removeImages, writeBuildContext } from '../../support/images.js';
import type { OciLayout } from '../../support/layout.js';
import { expectRefusal } from '../../support/refusal.js';
import { startRegistry, type TestRegistry } from '../../support/registry.js';

/**
 * The build action's side of the bad-input catalogue (the merge's is in integration/publish/publish.test.ts): each
 * case fails with an error naming the input and the fix, and the registry logs not one write.
 */
let registry: TestRegistry;
let arm64: OciLayout;
let context: string;
let buildah: Record<string, string>;
let aFile: string;

beforeAll(async () => {
  registry = await startRegistry({ auth: 'basic' });
  [arm64, context, buildah] = await Promise.all([
    buildImage('linux/arm64'),
    writeBuildContext('never built'),
    buildahEnvironment(),
  ]);
  await pushLayout(arm64, { registry, repository: 'bad/app' });
  aFile = join(await mkdtemp(join(tmpdir(), 'not-a-dir-')), 'file');
  await writeFile(aFile, '');
});

afterAll(async () => {
  await registry.stop();
  await removeImages();
});

const image = () => `${registry.host}/bad/app`;
const none = () => ({ images: image(), platform: 'linux/arm64', builder: 'none', digest: arm64.descriptor.digest });
const buildahJob = () => ({ images: image(), platform: 'linux/arm64', builder: 'buildah', context });

interface Case {
  readonly behaviour: string;
  readonly inputs: () => Record<string, string>;
  readonly subject: string;
  readonly mentions?: readonly string[];
  readonly quoted?: readonly string[];
  readonly fix: RegExp;
}

const cases: readonly Case[] = [
  { behaviour: 'no images', inputs: () => ({ ...none(), images: '' }), subject: 'images', fix: /Set `images`/ },
  {
    behaviour: 'an image with a tag',
    inputs: () => ({ ...none(), images: `${image()}:1.0` }),
    subject: 'images',
    quoted: ['1.0'],
    fix: /in the merge step's `tags`/,
  },
  {
    behaviour: 'an image with a digest',
    inputs: () => ({ ...none(), images: `${image()}@${arm64.descriptor.digest}` }),
    subject: 'images',
    mentions: ['has a digest'],
    fix: /the digests come from/,
  },
  {
    behaviour: 'an image that is no reference',
    inputs: () => ({ ...none(), images: 'Ghcr.io/O/App!' }),
    subject: 'images',
    fix: /Write each image as a repository/,
  },
  { behaviour: 'no platform', inputs: () => ({ ...none(), platform: '' }), subject: 'platform', fix: /Set `platform`/ },
  {
    behaviour: 'a platform without an architecture',
    inputs: () => ({ ...none(), platform: 'linux' }),
    subject: 'platform',
    quoted: ['linux'],
    fix: /os\/architecture\[\/variant\]/,
  },
  {
    behaviour: 'a platform with too many parts',
    inputs: () => ({ ...none(), platform: 'linux/amd64/v2/x' }),
    subject: 'platform',
    quoted: ['linux/amd64/v2/x'],
    fix: /os\/architecture\[\/variant\]/,
  },
  {
    behaviour: 'an unknown builder',
    inputs: () => ({ ...none(), builder: 'kaniko' }),
    subject: 'builder',
    quoted: ['kaniko'],
    fix: /buildx, buildah, none/,
  },
  {
    behaviour: 'a digest for a builder that pushes its own image',
    inputs: () => ({ ...buildahJob(), digest: arm64.descriptor.digest }),
    subject: 'digest',
    fix: /set `builder: none`/,
  },
  {
    behaviour: 'builder none without a digest',
    inputs: () => ({ ...none(), digest: '' }),
    subject: 'digest',
    fix: /digest output/,
  },
  {
    behaviour: 'a malformed digest',
    inputs: () => ({ ...none(), digest: 'sha256:0123' }),
    subject: 'digest',
    quoted: ['sha256:0123'],
    fix: /outputs.digest/,
  },
  {
    behaviour: 'build arguments for builder none',
    inputs: () => ({ ...none(), 'build-args': 'A=1' }),
    subject: 'build-args',
    fix: /Remove `build-args`/,
  },
  {
    behaviour: 'an SBOM asked of buildah',
    inputs: () => ({ ...buildahJob(), sbom: 'true' }),
    subject: 'sbom',
    fix: /use builder: buildx/,
  },
  {
    behaviour: 'a secret without an id',
    inputs: () => ({ ...buildahJob(), secrets: 'hunter2-the-value' }),
    subject: 'secrets',
    fix: /id=value/,
  },
  {
    behaviour: 'a secret from an environment variable that is not set',
    inputs: () => ({ ...buildahJob(), 'secret-envs': 'npm=NO_SUCH_VARIABLE_HERE' }),
    subject: 'secret-envs',
    mentions: ['NO_SUCH_VARIABLE_HERE'],
    fix: /Set NO_SUCH_VARIABLE_HERE/,
  },
  {
    behaviour: 'a boolean that is not one',
    inputs: () => ({ ...buildahJob(), 'no-cache': 'yes' }),
    subject: 'no-cache',
    quoted: ['yes'],
    fix: /true or false/,
  },
  {
    behaviour: 'an illegal tag to publish',
    inputs: () => ({ ...none(), tags: 'v1 beta' }),
    subject: 'tags',
    quoted: ['v1 beta'],
    fix: /Fix the tag/,
  },
  {
    behaviour: 'a tag for a repository not in images',
    inputs: () => ({ ...none(), tags: 'ghcr.io/someone/else:1.0' }),
    subject: 'tags',
    quoted: ['ghcr.io/someone/else'],
    fix: /Add "ghcr.io\/someone\/else" to `images`/,
  },
  {
    behaviour: 'tags that leave an image without a tag',
    inputs: () => ({ ...none(), images: `${image()},${registry.host}/bad/mirror`, tags: `${image()}:1.0` }),
    subject: 'tags',
    mentions: ['has no tag for the image'],
    fix: /Add a tag for it/,
  },
  {
    behaviour: 'records-path that is a file',
    inputs: () => ({ ...none(), 'records-path': aFile }),
    subject: 'records-path',
    fix: /writable directory/,
  },
  {
    behaviour: 'a platform the image is not',
    inputs: () => ({ ...none(), platform: 'linux/amd64' }),
    subject: 'platform',
    mentions: ['is linux/arm64 according to its config'],
    fix: /Build for linux\/amd64/,
  },
  {
    behaviour: 'an os.version the image does not have',
    inputs: () => ({ ...none(), platform: 'windows(10.0.20348)/amd64' }),
    subject: 'platform',
    mentions: ['asks for os.version 10.0.20348'],
    fix: /change the os.version/,
  },
];

describe('the build action refuses bad input before any registry write', () => {
  test.each(cases)('$behaviour', async (each) => {
    await registry.settle();
    registry.reset();
    const recordsPath = await mkdtemp(join(tmpdir(), 'bad-input-records-'));
    const run = await runBuild(
      { 'records-path': recordsPath, ...each.inputs() },
      { dockerConfig: registry.dockerConfig(), env: buildah },
    );
    await registry.settle();
    expect(registry.writes()).toEqual([]);
    expect(run.outcome).toBeUndefined();
    expectRefusal(run.error, each);
    if (each.subject === 'secrets') expect(String(run.error)).not.toContain('hunter2');
    expect(await readdir(recordsPath).catch(() => [])).toEqual([]);
  });
});
