// The whole flow as a user sees it, locally: an embedded registry and a stand-in for GitHub's artifact service, three
// build jobs of one workflow run in parallel (dist/build.js with buildah, one platform each, pushing by digest and
// uploading a record), then the merge job (dist/merge.js) reading the run's records and publishing the index, each
// run exactly as a GitHub runner runs an action.
import { resolve } from 'node:path';
import { startArtifactService } from '../__tests__/support/artifact-service.js';
import { buildahEnvironment, removeImages, writeBuildContext } from '../__tests__/support/images.js';
import { startRegistry } from '../__tests__/support/registry.js';
import { runActionAsRunner, type ActionRun } from '../__tests__/support/runner.js';
import { inspectForPlatform } from '../__tests__/support/skopeo.js';

const platforms = [
  { name: 'linux/amd64', os: 'linux', architecture: 'amd64' },
  { name: 'linux/arm64', os: 'linux', architecture: 'arm64' },
  { name: 'linux/arm/v7', os: 'linux', architecture: 'arm', variant: 'v7' },
] as const;
const runId = '1';

const heading = (text: string) => console.log(`\n\x1b[1m== ${text}\x1b[0m`);

function show(step: string, run: ActionRun): boolean {
  heading(`${step}: exit ${run.exitCode}`);
  process.stdout.write(run.stdout.replace(/^::debug::.*\n/gm, ''));
  process.stderr.write(run.stderr);
  return run.exitCode === 0;
}

export async function main(): Promise<number> {
  const [registry, artifacts] = await Promise.all([startRegistry({ auth: 'none' }), startArtifactService()]);
  try {
    const image = `${registry.host}/demo/app`;
    const [context, buildah] = await Promise.all([
      writeBuildContext('hello from multiarch-publish'),
      buildahEnvironment(),
    ]);
    heading(`Embedded registry at ${registry.host}, artifact service at ${artifacts.url}; context ${context}`);

    const builds = await Promise.all(
      platforms.map((platform) =>
        runActionAsRunner(
          resolve('.'),
          { images: image, platform: platform.name, builder: 'buildah', context },
          { env: { ...artifacts.envFor({ runId, jobId: platform.name }), ...buildah }, timeoutMs: 180_000 },
        ),
      ),
    );
    for (const [index, run] of builds.entries()) {
      if (!show(`Build job ${platforms[index]?.name} (node dist/build.js)`, run)) return run.exitCode;
      console.log(`record ${run.outputs['record-name']}:\n${run.outputs.record}`);
    }
    heading(
      `Artifacts of run ${runId}: ${artifacts
        .artifacts(runId)
        .map((artifact) => artifact.name)
        .join(', ')}`,
    );

    const merge = await runActionAsRunner(
      resolve('merge'),
      {
        images: image,
        tags: '1.0.0,1.0,latest',
        platforms: platforms.map((platform) => platform.name).join(','),
        annotations: 'index:org.opencontainers.image.description=multiarch-publish demo',
      },
      { env: artifacts.envFor({ runId, jobId: 'merge' }) },
    );
    if (!show('Merge job (node dist/merge.js, records read from the run’s artifacts)', merge)) return merge.exitCode;
    heading('Outputs');
    console.log(`digest: ${merge.outputs.digest}\nimages:\n${merge.outputs.images}`);
    heading('Job summary');
    console.log(merge.summary);
    heading('What a client on each platform pulls from :latest (skopeo)');
    for (const platform of platforms) {
      const resolved = await inspectForPlatform(`${image}:latest`, platform);
      console.log(`${platform.name.padEnd(14)} ${resolved.digest}`);
    }
    return 0;
  } finally {
    await Promise.all([registry.stop(), artifacts.stop()]);
    await removeImages();
  }
}
