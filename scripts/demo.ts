// The merge as a user sees it, locally: an embedded registry, three platform images built by buildah and pushed by
// digest, one digest record each, then dist/merge.js run exactly as a GitHub runner runs it.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { startRegistry } from '../__tests__/support/registry.js';
import { buildImage, pushLayout, removeImages, writeAttestedIndex } from '../__tests__/support/images.js';
import { inspectForPlatform } from '../__tests__/support/skopeo.js';
import { writeRecords } from '../__tests__/support/merge-fixture.js';
import { runActionAsRunner } from '../__tests__/support/runner.js';

const platforms = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64' },
  { os: 'linux', architecture: 'arm', variant: 'v7' },
] as const;

const heading = (text: string) => console.log(`\n\x1b[1m== ${text}\x1b[0m`);

export async function runDemo(_workDir: string): Promise<number> {
  const registry = await startRegistry({ auth: 'none' });
  try {
    const image = `${registry.host}/demo/app`;
    heading(`Embedded registry at ${registry.host}; building one image per platform (buildah, FROM scratch)`);
    const layouts = await Promise.all([
      buildImage('linux/amd64'),
      buildImage('linux/arm64'),
      writeAttestedIndex('linux/arm/v7'), // as buildx pushes it with provenance on: an index with an attestation
    ]);
    for (const layout of layouts) {
      await pushLayout(layout, { registry, repository: 'demo/app' });
      console.log(`pushed by digest: ${image}@${layout.descriptor.digest}`);
    }
    const recordsPath = await writeRecords(
      layouts.map((layout, i) => ({ layout, platform: platforms[i] as (typeof platforms)[number], images: [image] })),
    );
    heading(`Digest records (${recordsPath})`);
    for (let i = 0; i < layouts.length; i++)
      console.log((await readFile(join(recordsPath, `record-${i}.json`), 'utf8')).trim());

    heading('Running the merge action (node dist/merge.js, with the runner’s environment)');
    const run = await runActionAsRunner(resolve('merge'), {
      images: image,
      tags: '1.0.0,1.0,latest',
      platforms: platforms
        .map((p) => [p.os, p.architecture, 'variant' in p ? p.variant : ''].filter(Boolean).join('/'))
        .join(','),
      annotations: 'index:org.opencontainers.image.description=multiarch-publish demo',
      'records-path': recordsPath,
    });
    process.stdout.write(run.stdout);
    process.stderr.write(run.stderr);
    if (run.exitCode !== 0) return run.exitCode;

    heading('Outputs');
    console.log(`digest: ${run.outputs.digest}\nimages:\n${run.outputs.images}`);
    heading('Job summary');
    console.log(run.summary);
    heading('What a client on each platform pulls from :latest (skopeo)');
    for (const platform of platforms) {
      const resolved = await inspectForPlatform(`${image}:latest`, platform);
      console.log(
        `${[platform.os, platform.architecture, 'variant' in platform ? platform.variant : ''].filter(Boolean).join('/').padEnd(14)} ${resolved.digest}`,
      );
    }
    return 0;
  } finally {
    await registry.stop();
    await removeImages();
  }
}
