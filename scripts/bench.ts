// `npm run bench`: the merge's speed against the round-trip floor and against other tools, on registries behind a
// delay proxy. Never part of `npm test`: speed targets are checked here, by reading the numbers, not by timed tests.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { format, resolveConfig } from 'prettier';
import { removeImages } from '../__tests__/support/images.js';
import {
  cellName,
  measureOurs,
  measurePeer,
  type Bench,
  type Cell,
  type OursCell,
  type PeerCell,
} from '../bench/cells.js';
import { benchCopy, type CopyResult } from '../bench/copy.js';
import { startFloorClient, type FloorClient } from '../bench/floor-client.js';
import { benchPlatforms, pushImages, removeBenchImages, writeBenchImage } from '../bench/images.js';
import { describeMachine, profileStartup } from '../bench/machine.js';
import { peers, type Peer } from '../bench/peers.js';
import { renderReport, type BenchResults, type Variant } from '../bench/report.js';
import { startBenchRegistry, type BenchRegistry } from '../bench/setup.js';

interface Options {
  readonly quick: boolean;
  readonly delayMs: number;
  readonly runs: number;
  readonly peers: boolean;
  readonly copy: boolean;
  readonly peerBudgetMs: number;
  readonly extraInputs: Record<string, string>;
  /** Further sets of inputs our merge is measured with as well (each on top of extraInputs). */
  readonly variants: Record<string, string>[];
  readonly out: string | undefined;
  /** The arguments as given, so the report can say how to run it again. */
  readonly argv: readonly string[];
}

const usage = `npm run bench [-- options]
  --quick             P=4, T=5, R=1 and 3; peers once; a small copy (about a minute)
  --delay=MS          round trip added per request (default 50)
  --runs=N            runs of our merge per configuration, median reported (default 5, at least 5)
  --no-peers          skip the other tools
  --no-copy           skip the cross-registry copy
  --peer-budget=S     stop starting other tools' runs after S seconds (default 180, quick 60)
  --input NAME=VALUE  an extra merge input for every run (repeatable), e.g. --input verify=false
  --variant N=V[,N=V] measure our merge once more with these inputs (repeatable), e.g. --variant verify=false
  --out=PATH          where to write the report (default bench/RESULTS.md; none with --quick)`;

export function parseOptions(argv: readonly string[]): Options {
  const value = (name: string) => argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const quick = argv.includes('--quick');
  return {
    argv,
    quick,
    delayMs: Number(value('delay') ?? 50),
    runs: Math.max(5, Number(value('runs') ?? 5)),
    peers: !argv.includes('--no-peers'),
    copy: !argv.includes('--no-copy'),
    peerBudgetMs: Number(value('peer-budget') ?? (quick ? 60 : 180)) * 1000,
    extraInputs: Object.assign({}, ...repeated(argv, 'input').map(inputPairs)),
    variants: repeated(argv, 'variant').map(inputPairs),
    out: value('out') ?? (quick ? undefined : 'bench/RESULTS.md'),
  };
}

/** Every value of `--name VALUE` and `--name=VALUE`. */
function repeated(argv: readonly string[], name: string): string[] {
  return argv.flatMap((arg, i) => {
    if (arg === `--${name}`) return argv[i + 1] === undefined ? [] : [argv[i + 1] as string];
    return arg.startsWith(`--${name}=`) ? [arg.slice(name.length + 3)] : [];
  });
}

/** `a=1,b=2` as inputs; a value cannot hold a comma, which no bench input needs. */
function inputPairs(text: string): Record<string, string> {
  return Object.fromEntries(
    text.split(',').flatMap((pair) => {
      const equals = pair.indexOf('=');
      return equals > 0 ? [[pair.slice(0, equals).trim(), pair.slice(equals + 1).trim()]] : [];
    }),
  );
}

function matrix(quick: boolean): Cell[] {
  const platforms = quick ? [4] : [4, 8, 16];
  const tags = quick ? [5] : [5, 10];
  return platforms.flatMap((p) => tags.flatMap((t) => [1, 3].map((r) => ({ platforms: p, tags: t, registries: r }))));
}

const log = (line: string) => console.error(`bench: ${line}`);

export async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help')) {
    console.log(usage);
    return 0;
  }
  if (!existsSync('dist/merge.js')) {
    console.error('bench: dist/merge.js is missing; run `npm run build` first');
    return 1;
  }
  const options = parseOptions(argv);
  const started = performance.now();
  const loadAtStart = loadavg();
  const registries: BenchRegistry[] = [];
  let floorClient: FloorClient | undefined;
  try {
    log(`starting registries behind ${options.delayMs} ms delay proxies, and the floor client`);
    floorClient = await startFloorClient();
    registries.push(
      ...(await Promise.all([0, 1, 2, 3].map((i) => startBenchRegistry(i < 3 ? 'none' : 'token', options.delayMs)))),
    );
    const bench = await prepare(registries.slice(0, 3), floorClient, options);
    const tokenBench = { ...bench, registries: registries.slice(3) };
    await pushImages(
      bench.images.slice(0, 4),
      tokenBench.registries.map((each) => each.registry),
      bench.repository,
    );
    const results = await measureAll(bench, tokenBench, options);
    const load = { start: loadAtStart, end: loadavg() };
    const report = renderReport({ ...results, durationMs: performance.now() - started, load });
    const formatted = await format(report, { ...(await resolveConfig('bench/RESULTS.md')), parser: 'markdown' });
    console.log(formatted);
    if (options.out) {
      await writeFile(options.out, formatted);
      log(`wrote ${options.out}`);
    }
    return 0;
  } finally {
    await floorClient?.stop();
    await Promise.all(registries.map((registry) => registry.stop()));
    await Promise.all([removeBenchImages(), removeImages()]);
  }
}

async function prepare(
  registries: readonly BenchRegistry[],
  floorClient: FloorClient,
  options: Options,
): Promise<Bench> {
  const count = options.quick ? 4 : benchPlatforms.length;
  log(`writing ${count} single-platform images and pushing them by digest to ${registries.length} registries`);
  const images = await Promise.all(
    benchPlatforms.slice(0, count).map((platform, i) => writeBenchImage(`image-${i}`, platform)),
  );
  const repository = 'bench/app';
  await pushImages(
    images,
    registries.map((each) => each.registry),
    repository,
  );
  return { registries, images, repository, delayMs: options.delayMs, extraInputs: options.extraInputs, floorClient };
}

async function measureAll(
  bench: Bench,
  tokenBench: Bench,
  options: Options,
): Promise<Omit<BenchResults, 'durationMs' | 'load'>> {
  log('warm-up run (not counted)');
  await measureOurs(bench, { platforms: 4, tags: 5, registries: 1 }, 1);
  const variants: Variant[] = [];
  for (const inputs of [{}, ...options.variants]) {
    const extraInputs = { ...options.extraInputs, ...inputs };
    variants.push(await measureVariant({ ...bench, extraInputs }, { ...tokenBench, extraInputs }, options));
  }
  const availability = await Promise.all(
    peers.map(async (peer) => ({
      name: peer.name,
      method: peer.method,
      version: await peer.version(),
      verifiedHere: peer.verifiedHere,
    })),
  );
  const installed = peers.filter((_, i) => availability[i]?.version !== undefined);
  const { peerCells, skipped } = options.peers
    ? await measurePeers(bench, installed, matrix(options.quick), options)
    : { peerCells: [], skipped: [] };
  const copy = options.copy ? await measureCopy(bench, options) : undefined;
  log('profiling start-up');
  const startup = await profileStartup('dist/merge.js', 5);
  const machine = await describeMachine();
  const command = commandLine(options.argv);
  const common = { machine, command, delayMs: options.delayMs, variants, availability, startup };
  return { ...common, peers: peerCells, skippedPeerCells: skipped, ...(copy ? { copy } : {}) };
}

/** How to start this run again, for the report. */
function commandLine(args: readonly string[]): string {
  return ['npm run bench', ...(args.length ? ['--', ...args] : [])].join(' ');
}

/** The whole matrix and the token-auth configuration, with one set of inputs. */
async function measureVariant(bench: Bench, tokenBench: Bench, options: Options): Promise<Variant> {
  const label =
    Object.entries(bench.extraInputs)
      .map(([name, value]) => `${name}=${value}`)
      .join(',') || 'defaults';
  const ours: OursCell[] = [];
  for (const cell of matrix(options.quick)) {
    ours.push(await measureOurs(bench, cell, options.runs));
    log(`ours (${label}) ${cellName(cell)}: ${Math.round(ours.at(-1)?.wallMs ?? 0)} ms`);
  }
  const token = await measureOurs(tokenBench, { platforms: 4, tags: 5, registries: 1 }, options.runs);
  log(`ours (${label}) with token auth: ${Math.round(token.wallMs)} ms`);
  return { inputs: bench.extraInputs, ours, token };
}

/** Each installed tool on every one-registry cell, smallest first, until the time budget is spent. */
async function measurePeers(
  bench: Bench,
  installed: readonly Peer[],
  cells: readonly Cell[],
  options: Options,
): Promise<{ peerCells: PeerCell[]; skipped: string[] }> {
  const started = performance.now();
  const peerCells: PeerCell[] = [];
  const skipped: string[] = [];
  for (const cell of cells.filter((each) => each.registries === 1)) {
    for (const peer of installed) {
      if (performance.now() - started > options.peerBudgetMs) {
        skipped.push(`${peer.name} at P=${cell.platforms}, T=${cell.tags}`);
        continue;
      }
      const repeat = { maxRuns: options.quick ? 1 : 3, repeatUnderMs: 3000 };
      peerCells.push(await measurePeer(bench, peer, cell, repeat));
      log(`${peer.name} ${cellName(cell)}: ${Math.round(peerCells.at(-1)?.wallMs ?? 0)} ms`);
    }
  }
  return { peerCells, skipped };
}

async function measureCopy(bench: Bench, options: Options): Promise<CopyResult> {
  const [source, target] = bench.registries;
  const children = options.quick ? 2 : 4;
  const layerBytes = (options.quick ? 16 : 64) * 1024 * 1024;
  log(`cross-registry copy: ${children} children of ${layerBytes / 1024 / 1024} MiB`);
  return benchCopy({
    source: source as BenchRegistry,
    target: target as BenchRegistry,
    children,
    layerBytes,
    runs: options.quick ? 3 : 5,
    delayMs: options.delayMs,
    extraInputs: options.extraInputs,
  });
}
