import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { runActionAsRunner } from '../__tests__/support/runner.js';
import { formatBenchPlatform, type BenchImage } from './images.js';
import type { ProxiedRequest } from './delay-proxy.js';
import { imageName, type BenchRegistry } from './setup.js';
import { nextSpawnOf } from './spawn-watch.js';

/** One publish of an index to `registries`, as the merge action runs on a GitHub runner. */
export interface MergeWork {
  /** Where the index goes: one repository per registry. */
  readonly targets: readonly { readonly registry: BenchRegistry; readonly repository: string }[];
  readonly images: readonly BenchImage[];
  readonly tags: readonly string[];
  readonly recordsPath: string;
  /** Inputs besides images, tags, platforms and records-path (e.g. `--input verify=false`). */
  readonly extraInputs: Readonly<Record<string, string>>;
  /** Sample the process's peak resident memory and CPU time from /proc while it runs. */
  readonly sampleMemory?: boolean;
}

export interface MergeRun {
  /** Spawn to exit of `node dist/merge.js`. */
  readonly wallMs: number;
  /** Spawn to the first request any proxy saw. */
  readonly coldStartMs: number;
  /** Spawn to the end of the last answer any proxy passed on: what follows is the process winding down. */
  readonly lastAnswerMs: number;
  /** Each target registry's requests, in the order of `targets`. */
  readonly requests: readonly (readonly ProxiedRequest[])[];
  readonly tokenRequests: number;
  readonly digest: string;
  readonly peakRssKiB?: number;
  /** CPU time (user + system) the process used, when sampled. */
  readonly cpuMs?: number;
}

const mergeAction = resolve('merge');

export async function runMerge(work: MergeWork): Promise<MergeRun> {
  const registries = work.targets.map((target) => target.registry);
  registries.forEach((registry) => registry.reset());
  const spawned = nextSpawnOf('dist/merge.js');
  const names = work.targets.map((target) => imageName(target.registry, target.repository));
  const inputs = {
    images: names.join(','),
    tags: work.tags.join(','),
    platforms: work.images.map((image) => formatBenchPlatform(image.platform)).join(','),
    'records-path': work.recordsPath,
    ...work.extraInputs,
  };
  const dockerConfig = registries.find((registry) => registry.registry.auth !== 'none')?.dockerConfig;
  const running = runActionAsRunner(mergeAction, inputs, {
    env: { DOCKER_CONFIG: dockerConfig ?? registries[0]?.dockerConfig ?? '' },
    timeoutMs: 300_000,
  });
  const timing = await spawned;
  const sample = work.sampleMemory && timing.pid !== undefined ? sampleProcess(timing.pid, timing.exited) : undefined;
  const run = await running;
  const exitedAt = await timing.exited;
  if (run.exitCode !== 0) {
    throw new Error(`node dist/merge.js exited ${run.exitCode}:\n${run.stdout}\n${run.stderr}`);
  }
  const requests = registries.map((registry) => registry.requests());
  const tokenRequests = registries.flatMap((registry) => registry.tokenRequests());
  const all = [...requests.flat(), ...tokenRequests];
  const first = Math.min(...all.map((request) => request.at));
  const lastAnswer = Math.max(...all.map((request) => request.answeredAt ?? request.at));
  const sampled = await sample;
  return {
    wallMs: exitedAt - timing.spawnedAt,
    coldStartMs: first - timing.spawnedAt,
    lastAnswerMs: lastAnswer - timing.spawnedAt,
    requests,
    tokenRequests: tokenRequests.length,
    digest: run.outputs.digest ?? '',
    ...(sampled ?? {}),
  };
}

/** What /proc says of a running process: its peak resident memory so far, and the CPU time it has used. */
interface ProcessSample {
  readonly peakRssKiB: number;
  readonly cpuMs: number;
}

/**
 * Reads /proc every 10 ms while the process lives; VmHWM is the peak so far and utime + stime only grow, so the
 * last read before the exit is the answer (missing at most the last 10 ms of CPU).
 */
async function sampleProcess(pid: number, exited: Promise<number>): Promise<ProcessSample | undefined> {
  let done = false;
  void exited.then(() => (done = true));
  let last: ProcessSample | undefined;
  for (let reads = 0; !done && reads < 60_000; reads++) {
    const [status, stat] = await Promise.all(
      [`/proc/${pid}/status`, `/proc/${pid}/stat`].map((file) => readFile(file, 'utf8').catch(() => '')),
    );
    const kib = Number(/VmHWM:\s+(\d+) kB/.exec(status ?? '')?.[1] ?? Number.NaN);
    // Fields after the command name (which may hold spaces): state is field 3, utime 14 and stime 15, in ticks.
    const fields = (stat ?? '').slice((stat ?? '').lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    if (Number.isFinite(kib) && Number.isFinite(ticks)) last = { peakRssKiB: kib, cpuMs: ticks * (1000 / clockTicks) };
    await new Promise((wake) => setTimeout(wake, 10));
  }
  return last;
}

/** USER_HZ: 100 on every Linux this runs on. */
const clockTicks = 100;
