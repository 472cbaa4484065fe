import { rm } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { runCommand } from '../__tests__/support/process.js';
import { median } from './analysis.js';
import type { ProxiedRequest } from './delay-proxy.js';
import { benchPlatforms, blobBytes, pushImages, writeBenchImage, type BenchImage } from './images.js';
import { runMerge } from './ours.js';
import { imageName, recordsFor, startBenchRegistry, type BenchRegistry } from './setup.js';

/**
 * Cross-registry copy: P children present only in registry A, published by the merge into B as well, so every blob
 * streams from A to B; then the same children copied A → B by `skopeo copy`, one process per child in parallel.
 */
export interface CopyOptions {
  readonly source: BenchRegistry;
  readonly target: BenchRegistry;
  readonly children: number;
  readonly layerBytes: number;
  readonly runs: number;
  readonly delayMs: number;
  readonly extraInputs: Readonly<Record<string, string>>;
}

export interface CopyResult {
  readonly children: number;
  readonly layerBytes: number;
  /** Bytes of blobs (configs and layers) moved per run. */
  readonly bytes: number;
  readonly runs: number;
  readonly ours: CopyRun;
  /** Peak RSS of the same merge publishing only to A, where there is nothing to copy. */
  readonly oursBaselineRssKiB: number;
  readonly skopeo: CopyRun;
  readonly skopeoVersion: string;
}

/** Medians over the runs, except the peak RSS, which is the highest seen. */
export interface CopyRun {
  readonly wallMs: number;
  /** CPU time of the copying process (our merge only). */
  readonly cpuMs?: number;
  readonly peakRssKiB?: number;
  /** Requests B saw in the first run, by method. */
  readonly targetRequests: string;
}

const sourceRepository = 'bench/copy-source';

export async function benchCopy(options: CopyOptions): Promise<CopyResult> {
  const images = await Promise.all(
    benchPlatforms
      .slice(0, options.children)
      .map((platform, i) => writeBenchImage(`copy-${i}`, platform, { layerBytes: options.layerBytes })),
  );
  await pushImages(images, [options.source.registry], sourceRepository);
  const recordsPath = await recordsFor(images, [imageName(options.source, sourceRepository)]);
  try {
    const baseline = await mergeInto(options, images, recordsPath, undefined);
    const ours: Measured[] = [];
    const skopeo: Measured[] = [];
    for (let run = 1; run <= options.runs; run++) {
      ours.push(await mergeInto(options, images, recordsPath, `bench/copy-ours-${run}`));
      skopeo.push(await skopeoInto(options, images));
    }
    return {
      children: options.children,
      layerBytes: options.layerBytes,
      bytes: (await Promise.all(images.map(blobBytes))).reduce((sum, size) => sum + size, 0),
      runs: options.runs,
      ours: summarise(ours),
      oursBaselineRssKiB: baseline.peakRssKiB ?? Number.NaN,
      skopeo: summarise(skopeo),
      skopeoVersion: (await runCommand('skopeo', ['--version'])).stdout.toString('utf8').trim(),
    };
  } finally {
    await rm(recordsPath, { recursive: true, force: true });
  }
}

interface Measured {
  readonly wallMs: number;
  readonly cpuMs?: number;
  readonly peakRssKiB?: number;
  readonly targetRequests: readonly ProxiedRequest[];
}

function summarise(runs: readonly Measured[]): CopyRun {
  const cpu = runs.flatMap((run) => (run.cpuMs === undefined ? [] : [run.cpuMs]));
  const rss = runs.flatMap((run) => (run.peakRssKiB === undefined ? [] : [run.peakRssKiB]));
  const counts = new Map<string, number>();
  for (const request of runs[0]?.targetRequests ?? []) {
    counts.set(request.method, (counts.get(request.method) ?? 0) + 1);
  }
  return {
    wallMs: median(runs.map((run) => run.wallMs)),
    ...(cpu.length ? { cpuMs: median(cpu) } : {}),
    ...(rss.length ? { peakRssKiB: Math.max(...rss) } : {}),
    targetRequests: [...counts].map(([method, count]) => `${method} ${count}`).join(', '),
  };
}

/**
 * One merge to A and to `targetRepository` of B, a repository that has never held the children, so nothing can be
 * skipped; without a target repository, the merge publishes to A alone (the baseline: nothing to copy).
 */
async function mergeInto(
  options: CopyOptions,
  images: readonly BenchImage[],
  recordsPath: string,
  targetRepository: string | undefined,
): Promise<Measured> {
  const source = { registry: options.source, repository: sourceRepository };
  const target = targetRepository === undefined ? [] : [{ registry: options.target, repository: targetRepository }];
  const result = await runMerge({
    targets: [source, ...target],
    images,
    tags: [targetRepository === undefined ? 'baseline' : 'copied'],
    recordsPath,
    extraInputs: options.extraInputs,
    sampleMemory: true,
  });
  return {
    wallMs: result.wallMs,
    ...(result.cpuMs === undefined ? {} : { cpuMs: result.cpuMs }),
    ...(result.peakRssKiB === undefined ? {} : { peakRssKiB: result.peakRssKiB }),
    targetRequests: result.requests[1] ?? [],
  };
}

/**
 * skopeo remembers where it has seen each blob (containers/image's blob info cache) and mounts it from there on the
 * same registry instead of copying it, so every skopeo run gets a registry B of its own that it has never written to.
 */
async function skopeoInto(options: CopyOptions, images: readonly BenchImage[]): Promise<Measured> {
  const target = await startBenchRegistry('none', options.delayMs);
  try {
    const started = performance.now();
    await Promise.all(
      images.map(({ layout }) =>
        runCommand('skopeo', [
          '--insecure-policy',
          'copy',
          '--preserve-digests',
          '--src-tls-verify=false',
          '--dest-tls-verify=false',
          '--src-no-creds',
          '--dest-no-creds',
          `docker://${imageName(options.source, sourceRepository)}@${layout.descriptor.digest}`,
          `docker://${imageName(target, 'bench/copy-skopeo')}@${layout.descriptor.digest}`,
        ]),
      ),
    );
    return { wallMs: performance.now() - started, targetRequests: target.requests() };
  } finally {
    await target.stop();
  }
}
