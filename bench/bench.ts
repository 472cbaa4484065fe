// `npm run bench`: our merge beside `docker manifest` and `buildah manifest` on the same local registries, each
// behind a proxy that holds every request `--delay` ms (the emulated round trip) and notes when it arrived. For
// P platforms × T tags × R registries it reports wall time, requests per registry, the waves of requests at the
// first registry and the cold start (spawn to first request), then the build action's own cost with builder none.
// The full run writes bench/RESULTS.md; `--quick` measures one small configuration and prints.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { startFaultProxy, type FaultProxy } from '../__tests__/support/fault-proxy.js';
import { buildahEnvironment, buildImage, pushLayout, removeImages } from '../__tests__/support/images.js';
import type { OciLayout } from '../__tests__/support/layout.js';
import { writeRecords } from '../__tests__/support/merge-fixture.js';
import { runCommand } from '../__tests__/support/process.js';
import { startRegistry, type TestRegistry } from '../__tests__/support/registry.js';

const root = process.cwd();
// Sixteen platforms buildah builds FROM scratch as asked (its 1.28 writes arm/v6 and arm/v5 as v7, so no arm but v7).
const platforms = [
  'linux/amd64',
  'linux/arm64',
  'linux/arm/v7',
  'linux/386',
  'linux/ppc64le',
  'linux/s390x',
  'linux/riscv64',
  'linux/mips64le',
  'linux/mips64',
  'linux/mipsle',
  'linux/mips',
  'linux/loong64',
  'linux/ppc64',
  'freebsd/amd64',
  'freebsd/arm64',
  'netbsd/amd64',
];

let options = { quick: false, runs: '5', delay: '50', 'no-peers': false };
let delayMs = 50;
let runs = 5;
let sizes = { P: [4, 8, 16], T: [5, 10], R: [1, 3] };

/** A registry behind the delay proxy, which notes when each request arrived. */
interface Site {
  readonly registry: TestRegistry;
  readonly proxy: FaultProxy;
  readonly arrivals: number[];
}

async function startSite(): Promise<Site> {
  const registry = await startRegistry({ auth: 'none' });
  const arrivals: number[] = [];
  const proxy = await startFaultProxy({
    target: registry.host,
    delayMs,
    faults: () => void arrivals.push(performance.now()),
  });
  return { registry, proxy, arrivals };
}

function reset(sites: readonly Site[]): void {
  for (const site of sites) {
    site.proxy.reset();
    site.arrivals.length = 0;
  }
}

/**
 * Waves of requests: a request that arrives more than half a round trip after the one before it waited for an
 * answer, so it starts a new wave; requests sent together arrive within a few milliseconds of each other.
 */
function waves(arrivals: readonly number[]): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  return sorted.filter((at, i) => i === 0 || at - (sorted[i - 1] as number) > delayMs / 2).length;
}

interface Sample {
  readonly wallMs: number;
  readonly coldStartMs: number;
  readonly requests: number;
  readonly waves: number;
}

/** Runs a node script as the runner does (inputs as INPUT_* variables) and times it against the first proxy. */
async function runAction(script: string, inputs: Readonly<Record<string, string>>, sites: readonly Site[]) {
  reset(sites);
  const workDir = await mkdtemp(join(tmpdir(), 'bench-action-'));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: workDir, RUNNER_TEMP: workDir };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, script)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output += chunk.toString('utf8'));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  const wallMs = performance.now() - started;
  await rm(workDir, { recursive: true, force: true });
  if (code !== 0) throw new Error(`${script} exited ${code}:\n${output}`);
  const first = sites[0] as Site;
  return {
    wallMs,
    coldStartMs: Math.min(...first.arrivals) - started,
    requests: first.proxy.total(),
    waves: waves(first.arrivals),
  } satisfies Sample;
}

interface Work {
  readonly repositories: readonly string[];
  readonly children: readonly OciLayout[];
  readonly tags: readonly string[];
}

async function ours(work: Work, sites: readonly Site[], recordsPath: string): Promise<Sample> {
  return runAction(
    'dist/merge.js',
    { images: work.repositories.join(','), tags: work.tags.join(','), 'records-path': recordsPath },
    sites,
  );
}

const childRefs = (repository: string, work: Work) =>
  work.children.map((child) => `${repository}@${child.descriptor.digest}`);

/** `docker manifest create` and `push` per tag and registry: what the first seed article does by hand. */
async function dockerManifest(work: Work, sites: readonly Site[]): Promise<Sample> {
  const env = { ...process.env, DOCKER_CONFIG: await mkdtemp(join(tmpdir(), 'bench-docker-')) };
  return timed(sites, async () => {
    await Promise.all(
      work.repositories.map(async (repository) => {
        for (const tag of work.tags) {
          const list = `${repository}:${tag}`;
          await runCommand('docker', ['manifest', 'create', '--insecure', list, ...childRefs(repository, work)], {
            env,
          });
          await runCommand('docker', ['manifest', 'push', '--insecure', '--purge', list], { env });
        }
      }),
    );
  });
}

/** `buildah manifest create`, `add` per child, `push --all` per tag, per registry. */
async function buildahManifest(work: Work, sites: readonly Site[]): Promise<Sample> {
  const env = { ...process.env, ...(await buildahEnvironment()) };
  const tls = '--tls-verify=false';
  return timed(sites, async () => {
    await Promise.all(
      work.repositories.map(async (repository, r) => {
        const list = `bench-list-${r}-${Date.now()}`;
        await runCommand('buildah', ['manifest', 'create', list], { env });
        for (const child of childRefs(repository, work)) {
          await runCommand('buildah', ['manifest', 'add', tls, list, `docker://${child}`], { env });
        }
        for (const tag of work.tags) {
          await runCommand('buildah', ['manifest', 'push', '--all', tls, list, `docker://${repository}:${tag}`], {
            env,
          });
        }
        await runCommand('buildah', ['manifest', 'rm', list], { env });
      }),
    );
  });
}

async function timed(sites: readonly Site[], work: () => Promise<void>): Promise<Sample> {
  reset(sites);
  const started = performance.now();
  await work();
  const first = sites[0] as Site;
  return {
    wallMs: performance.now() - started,
    coldStartMs: Math.min(...first.arrivals) - started,
    requests: first.proxy.total(),
    waves: waves(first.arrivals),
  };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

interface Row {
  readonly P: number;
  readonly T: number;
  readonly R: number;
  readonly tools: Readonly<Record<string, Sample | undefined>>;
}

async function measure(
  tool: (work: Work, sites: readonly Site[]) => Promise<Sample>,
  work: Work,
  sites: readonly Site[],
  times: number,
): Promise<Sample> {
  const samples: Sample[] = [];
  for (let i = 0; i < times; i++) samples.push(await tool(work, sites));
  return {
    wallMs: median(samples.map((s) => s.wallMs)),
    coldStartMs: median(samples.map((s) => s.coldStartMs)),
    requests: median(samples.map((s) => s.requests)),
    waves: median(samples.map((s) => s.waves)),
  };
}

async function installed(command: string, args: readonly string[]): Promise<boolean> {
  return runCommand(command, args).then(
    () => true,
    () => false,
  );
}

/** The build action with builder none: start to record stored, through records-path (no artifact service). */
async function buildJobCost(site: Site, layout: OciLayout): Promise<Sample> {
  const recordsPath = await mkdtemp(join(tmpdir(), 'bench-build-'));
  const inputs = {
    images: `${site.proxy.host}/bench/app`,
    platform: 'linux/amd64',
    builder: 'none',
    digest: layout.descriptor.digest,
    'records-path': recordsPath,
  };
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) samples.push(await runAction('dist/build.js', inputs, [site]));
  await rm(recordsPath, { recursive: true, force: true });
  return {
    ...samples[0]!,
    wallMs: median(samples.map((s) => s.wallMs)),
    coldStartMs: median(samples.map((s) => s.coldStartMs)),
  };
}

const ms = (value: number | undefined) => (value === undefined ? '–' : `${Math.round(value)} ms`);
const s = (value: number | undefined) => (value === undefined ? '–' : `${(value / 1000).toFixed(2)} s`);

function table(rows: readonly Row[], tools: readonly string[]): string {
  const head = ['P', 'T', 'R', ...tools.flatMap((tool) => [`${tool} wall`, 'requests per registry'])];
  const ourWaves = rows.map((row) => row.tools.ours?.waves);
  const lines = rows.map((row, i) => [
    String(row.P),
    String(row.T),
    String(row.R),
    ...tools.flatMap((tool) => {
      const sample = row.tools[tool];
      const extra = tool === 'ours' ? ` (${ourWaves[i]} waves, cold start ${ms(sample?.coldStartMs)})` : '';
      return [`${s(sample?.wallMs)}${extra}`, sample ? String(sample.requests) : '–'];
    }),
  ]);
  return [head, head.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function verdicts(rows: readonly Row[], build: Sample): string[] {
  const ourRows = rows.filter((row) => row.tools.ours);
  const wavesMet = ourRows.every((row) => row.tools.ours!.waves <= 3);
  const cold = median(ourRows.map((row) => row.tools.ours!.coldStartMs));
  const growth = ourRows
    .filter((row) => row.R === 3)
    .map((row) => {
      const one = ourRows.find((other) => other.P === row.P && other.T === row.T && other.R === 1);
      return one ? row.tools.ours!.wallMs / one.tools.ours!.wallMs : Number.NaN;
    });
  const worst = Math.max(...growth);
  const buildOwn = build.wallMs - build.waves * delayMs;
  return [
    `- three waves with verify on: ${wavesMet ? 'met' : '**missed**'} (${[...new Set(ourRows.map((row) => row.tools.ours!.waves))].join(', ')} waves)`,
    `- cold start ≤ 80 ms (spawn to first request, median of the configurations): ${cold <= 80 ? 'met' : '**missed**'}, ${ms(cold)}`,
    `- wall at R = 3 ≤ 1.15 × at R = 1: ${worst <= 1.15 ? 'met' : '**missed**'}, worst ${worst.toFixed(2)} ×`,
    `- build job with builder none, start to record stored ≤ 300 ms + round trips: ${buildOwn <= 300 ? 'met' : '**missed**'}, ${ms(build.wallMs)} with ${build.waves} waves of ${delayMs} ms (${ms(buildOwn)} of its own)`,
  ];
}

export async function main(args: readonly string[]): Promise<number> {
  options = {
    ...options,
    ...parseArgs({
      args: [...args],
      options: {
        quick: { type: 'boolean' },
        runs: { type: 'string' },
        delay: { type: 'string' },
        'no-peers': { type: 'boolean' },
      },
    }).values,
  };
  delayMs = Number(options.delay);
  runs = options.quick ? 3 : Number(options.runs);
  if (options.quick) sizes = { P: [4], T: [5], R: [1, 3] };
  const startedAt = new Date();
  const sites = await Promise.all([startSite(), startSite(), startSite()]);
  const maxP = Math.max(...sizes.P);
  try {
    const layouts = await Promise.all(platforms.slice(0, maxP).map((platform) => buildImage(platform)));
    for (const site of sites) {
      for (const layout of layouts) await pushLayout(layout, { registry: site.registry, repository: 'bench/app' });
    }
    const peers = options['no-peers']
      ? []
      : [
          ...((await installed('docker', ['manifest', '--help']))
            ? [['docker manifest', dockerManifest] as const]
            : []),
          ...((await installed('buildah', ['--version'])) ? [['buildah manifest', buildahManifest] as const] : []),
        ];
    const rows: Row[] = [];
    for (const P of sizes.P) {
      const children = layouts.slice(0, P);
      for (const T of sizes.T) {
        for (const R of sizes.R) {
          const used = sites.slice(0, R);
          const repositories = used.map((site) => `${site.proxy.host}/bench/app`);
          const tags = Array.from({ length: T }, (_, i) => `p${P}-t${i}`);
          const work: Work = { repositories, children, tags };
          const recordsPath = await writeRecords(
            children.map((layout) => ({ layout, platform: layout.descriptor.platform!, images: [repositories[0]!] })),
          );
          const tools: Record<string, Sample> = {
            ours: await measure((w, x) => ours(w, x, recordsPath), work, used, runs),
          };
          for (const [name, tool] of peers) tools[name] = await measure(tool, work, used, Math.min(runs, 3));
          rows.push({ P, T, R, tools });
          console.log(
            `P=${P} T=${T} R=${R}: ${Object.entries(tools)
              .map(([name, x]) => `${name} ${s(x.wallMs)}`)
              .join(', ')}`,
          );
        }
      }
    }
    const build = await buildJobCost(sites[0]!, layouts[0]!);
    const tools = ['ours', ...peers.map(([name]) => name)];
    const report = [
      '# Benchmark results',
      '',
      `\`npm run bench${options.quick ? ' -- --quick' : ''}\` on ${startedAt.toISOString().slice(0, 10)}, commit ${(await runCommand('git', ['rev-parse', '--short', 'HEAD'])).stdout.toString().trim()}; ${cpus().length} cores (${cpus()[0]?.model.trim()}), node ${process.version}, load ${loadavg()
        .map((x) => x.toFixed(2))
        .join(
          ' ',
        )}; CNCF distribution on loopback behind a ${delayMs} ms delay per request; median of ${runs} runs (peers ${Math.min(runs, 3)}).`,
      '',
      table(rows, tools),
      '',
      ...verdicts(rows, build),
      '',
    ].join('\n');
    const formatted = await format(report, {
      ...(await resolveConfig(join(root, 'bench', 'RESULTS.md'))),
      parser: 'markdown',
    });
    console.log(formatted);
    if (!options.quick) await writeFile(join(root, 'bench', 'RESULTS.md'), formatted);
    return 0;
  } finally {
    await Promise.all(sites.flatMap((site) => [site.proxy.stop(), site.registry.stop()]));
    await removeImages();
  }
}
