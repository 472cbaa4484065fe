import { formatPhases, median } from './analysis.js';
import { kib, mb, mbps, mib, millis, seconds, table, variantName, yesNo } from './format.js';
import { issueWallTarget, machineWallTarget, requestBudget, requestTarget, targetsSection } from './targets.js';
import { cellName, type OursCell, type PeerCell } from './cells.js';
import type { CopyResult, CopyRun } from './copy.js';
import type { Machine, StartupProfile } from './machine.js';
import { registryStorage } from './setup.js';

/** Our merge measured over the whole matrix with one set of inputs. */
export interface Variant {
  /** Inputs besides images, tags, platforms and records-path; empty for the action.yml defaults. */
  readonly inputs: Readonly<Record<string, string>>;
  readonly ours: readonly OursCell[];
  readonly token?: OursCell;
}

/** Everything one `npm run bench` measured, rendered as bench/RESULTS.md and on the terminal. */
export interface BenchResults {
  readonly machine: Machine;
  readonly command: string;
  readonly delayMs: number;
  /** The first is the one other tools are compared with. */
  readonly variants: readonly Variant[];
  readonly availability: readonly { name: string; method: string; version?: string; verifiedHere: boolean }[];
  readonly peers: readonly PeerCell[];
  readonly skippedPeerCells: readonly string[];
  readonly copy?: CopyResult;
  readonly startup: StartupProfile;
  readonly durationMs: number;
  /** os.loadavg() when the bench started and when it ended: other work on the same cores skews every number. */
  readonly load: { readonly start: readonly number[]; readonly end: readonly number[] };
}

export function renderReport(results: BenchResults): string {
  return [
    '# Benchmark results',
    `Written by \`${results.command}\` in ${seconds(results.durationMs)}; run it again to update this file (do not edit it by hand).`,
    machineSection(results),
    targetsSection(results),
    ...results.variants.map((variant) => oursSection(variant, results.delayMs)),
    peersSection(results),
    tokenSection(results),
    startupSection(results),
    copySection(results),
    methodSection(results),
  ]
    .filter((section) => section !== '')
    .join('\n\n');
}

function machineSection({ machine, delayMs, variants, load }: BenchResults): string {
  const average = (values: readonly number[]) => values.map((value) => value.toFixed(2)).join(', ');
  return [
    '## Machine and setup',
    `- date: ${machine.date}; commit ${machine.commit}`,
    `- ${machine.nproc} cores (\`nproc\`), ${machine.cpu}; ${machine.kernel}; node ${machine.node}`,
    `- load average (1, 5, 15 min) at the start: ${average(load.start)}; at the end: ${average(load.end)} (anything above 0 is other work on the same cores, which lengthens every wall time below)`,
    `- emulated round trip: ${delayMs} ms added to every request by a delay proxy in front of each registry (CNCF distribution on loopback, plain HTTP, auth none unless said); registry storage under ${registryStorage}`,
    `- our merge measured with: ${variants.map(variantName).join('; and with ')}`,
    '',
    '`free -h`:',
    '',
    '```',
    machine.memory,
    '```',
  ].join('\n');
}

function oursSection(variant: Variant, delayMs: number): string {
  const { ours } = variant;
  const rows = ours.map((cell) => [
    String(cell.platforms),
    String(cell.tags),
    String(cell.registries),
    `${seconds(cell.wallMs)} (${seconds(cell.wallMinMs)}–${seconds(cell.wallMaxMs)})`,
    millis(cell.coldStartMs),
    millis(cell.networkMs),
    millis(cell.tailMs),
    `${millis(cell.registryMs.median)} / ${millis(cell.registryMs.max)}`,
    `${millis(cell.floor.ms)}: ${(cell.networkMs / cell.floor.ms).toFixed(2)} ×`,
    `${millis(cell.floorClientMs)}: ${(cell.networkMs / cell.floorClientMs).toFixed(2)} ×`,
    `${millis(cell.freshFloorClientMs)}: ${(cell.networkMs / cell.freshFloorClientMs).toFixed(2)} ×`,
    `${millis(issueWallTarget(cell))}: ${yesNo(cell.wallMs <= issueWallTarget(cell))}`,
    `${millis(machineWallTarget(cell))}: ${yesNo(cell.wallMs <= machineWallTarget(cell))}`,
    `${[...new Set(cell.requestsPerRegistry)].join('/')} (issue ${requestTarget(cell)}, with issue 6 ${requestBudget(cell)})`,
    `${cell.waves}: ${formatPhases(cell.phases)}`,
    cell.verified === undefined ? '-' : cell.verified ? 'yes' : '**no**',
  ]);
  const head = [
    'P',
    'T',
    'R',
    `wall, median of ${ours[0]?.runs ?? 0} (min–max)`,
    'cold start',
    'requests',
    'exit',
    'registry time per request: median / max',
  ];
  return [
    `## Our merge (\`node dist/merge.js\` as the runner runs it), ${variantName(variant)}`,
    [
      `Round-trip floor of this work: ${ours[0]?.floor.formula ?? `3 × ${delayMs} ms`}; the issue's floor leaves out the read-back, and its wall target is 1.3 × its floor + cold start. The floor client (bench/floor-client.ts) sends exactly the work's floor requests in its waves and nothing else, from a process of its own that is already running; its time (first request → last answer, median of runs alternating with ours) is the floor as this machine serves it, and the target on this machine is that time + 0.3 × the floor's rounds × delay + cold start.`,
      'Wall = cold start (spawn → first request) + requests (first request → last answer) + exit (last answer → process exit).',
      'Registry time is what the registries took per request beyond the emulated round trip; every registry, proxy and client shares the same cores here, so it grows with R and with concurrent writes, for the floor client as for ours.',
    ].join(' '),
    table(
      [
        ...head,
        'floor: rounds × delay, our requests ÷ it',
        'floor client, our requests ÷ it',
        'floor client started afresh, our requests ÷ it',
        "wall target, the issue's",
        'wall target, this machine',
        'requests per registry',
        'waves at registry 1: by step',
        'tags checked by the bench',
      ],
      rows,
    ),
  ].join('\n\n');
}

function peersSection({ peers, availability, skippedPeerCells, variants }: BenchResults): string {
  const ours = variants[0]?.ours ?? [];
  const lines = availability.map(
    (peer) =>
      `- ${peer.name}: ${peer.version ? `${peer.version} — ${peer.method}${peer.verifiedHere ? '' : ' (command line not yet run on this project’s machines)'}` : 'not installed here (nor in Debian 12’s archive), not run'}`,
  );
  const rows = peers.map((cell) => {
    const mine = ours.find((o) => o.registries === 1 && o.platforms === cell.platforms && o.tags === cell.tags);
    return [
      cell.peer,
      String(cell.platforms),
      String(cell.tags),
      cell.error ? `failed: ${cell.error}` : `${seconds(cell.wallMs)} (${cell.runs} run${cell.runs > 1 ? 's' : ''})`,
      String(cell.requests),
      mine && !cell.error ? `${(cell.wallMs / mine.wallMs).toFixed(1)} ×` : '-',
      mine ? `${seconds(mine.wallMs)} / ${mine.requestsPerRegistry[0] ?? '-'}` : '-',
      cell.verified ? 'yes' : '**no**',
    ];
  });
  return [
    `## Other tools on the same setup (one registry), against our merge with ${variants[0] ? variantName(variants[0]) : '-'}`,
    lines.join('\n'),
    rows.length
      ? table(
          ['tool', 'P', 'T', 'wall', 'requests', 'wall ÷ ours', 'ours: wall / requests', 'tags checked by the bench'],
          rows,
        )
      : 'No other tool was run.',
    skippedPeerCells.length
      ? `Not run, to keep within the time budget (\`--peer-budget\`): ${skippedPeerCells.join('; ')}.`
      : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}

function tokenSection({ variants }: BenchResults): string {
  const lines = variants.flatMap((variant) => {
    const token = variant.token;
    if (!token) return [];
    return [
      `- ${variantName(variant)}, ${cellName(token)}: wall ${seconds(token.wallMs)} (median of ${token.runs}), cold start ${millis(token.coldStartMs)}, requests phase ${millis(token.networkMs)} = ${(token.networkMs / token.floor.ms).toFixed(2)} × the floor's rounds × delay, ${(token.networkMs / token.floorClientMs).toFixed(2)} × the floor client's ${millis(token.floorClientMs)}; the issue's wall target ${millis(issueWallTarget(token))}: ${yesNo(token.wallMs <= issueWallTarget(token))}, on this machine ${millis(machineWallTarget(token))}: ${yesNo(token.wallMs <= machineWallTarget(token))}; exit ${millis(token.tailMs)}. Requests: ${token.requestsPerRegistry[0]} to the registry (issue's target ${requestTarget(token)}: the 401 challenge + P + T; with issue 6's steps ${requestBudget(token)}) and ${token.tokenRequests} to the token server; ${token.waves} waves: ${formatPhases(token.phases)}.`,
    ];
  });
  if (lines.length === 0) return '';
  const floor = variants[0]?.token?.floor.formula ?? '';
  return [
    '## Token auth (our merge only)',
    `A registry with bearer-token auth (the test support's token server, behind its own delay proxy, so the token request costs a round trip too). Floor: ${floor}.`,
    lines.join('\n'),
  ].join('\n\n');
}

function startupSection({ startup, variants }: BenchResults): string {
  const cold = median(variants.flatMap((variant) => variant.ours).map((cell) => cell.coldStartMs));
  const files = startup.staticFiles.map((file) => `${file.file} (${kib(file.bytes)})`).join(', ');
  const lazy = startup.lazyFiles.map((file) => `${file.file} (${kib(file.bytes)})`).join(', ') || 'none';
  return [
    '## Cold start',
    `Spawn of \`node dist/merge.js\` to its first request: median ${millis(cold)} over every run above. For comparison, spawn to the first byte on stdout of a node that does nothing else: ${millis(startup.nodeMs)}; of a node that first imports every chunk dist/merge.js imports statically: ${millis(startup.staticImportsMs)} (medians of 5).`,
    `Static module graph: ${files}. Loaded only through \`import()\`: ${lazy}.`,
  ].join('\n\n');
}

function copySection({ copy }: BenchResults): string {
  if (!copy) return '';
  const row = (tool: string, run: CopyRun, rss: string) => [
    tool,
    seconds(run.wallMs),
    mbps(copy.bytes, run.wallMs),
    run.cpuMs === undefined ? '-' : seconds(run.cpuMs),
    rss,
    run.targetRequests,
  ];
  return [
    '## Cross-registry copy',
    [
      `${copy.children} children of one ${mib(copy.layerBytes / 1024)} layer each, present only in registry A, published by the merge into a fresh repository of registry B (so every blob streams A → B, nothing can be mounted); then the same children copied A → B by ${copy.skopeoVersion}, one \`skopeo copy --preserve-digests\` per child, all in parallel, each run into a registry B of its own (skopeo would otherwise mount blobs it has seen there before).`,
      `Median of ${copy.runs} runs each, wall from spawn to exit; ${mb(copy.bytes)} of blobs per run. The merge also writes the index and its tag to both registries and reads them back, as it always does. Both tools pass every byte through the same delay proxies, which run in the bench's own node process.`,
    ].join(' '),
    table(
      ['tool', 'wall', 'throughput', 'CPU time', 'peak RSS', 'requests to B'],
      [
        row(
          'our merge',
          copy.ours,
          `${mib(copy.ours.peakRssKiB ?? Number.NaN)} (${mib(copy.oursBaselineRssKiB)} with nothing to copy)`,
        ),
        row('skopeo copy', copy.skopeo, '-'),
      ],
    ),
  ].join('\n\n');
}

function methodSection({ delayMs }: BenchResults): string {
  return [
    '## How it is measured',
    [
      `- Each registry is a real CNCF distribution (\`docker-registry\`) on a loopback port behind a delay proxy (bench/delay-proxy.ts) that holds every request ${delayMs} ms before forwarding it and logs it; requests are counted there, per registry. A token registry's token server has its own delay proxy, so the auth round costs round trips too. Connection set-up and TLS are not emulated.`,
      '- Children are hand-written single-platform OCI images pushed by digest with skopeo; digest records are written as a build job writes them and read from `records-path`.',
      '- Our merge runs as the runner runs it (`runActionAsRunner`: INPUT_* from merge/action.yml, GITHUB_OUTPUT and friends, `node dist/merge.js`); wall is spawn to exit; cold start is spawn to the first request any proxy sees.',
      "- The floor client is a bare undici client in a process of its own, started once and fed one job per run: in every registry the challenge and token and the child HEADs all at once; when every registry has answered, per registry the index PUT by digest, the tag PUTs all at once, and with verify every tag read back at once. It runs before or after each run of ours (alternately) on the same registries, with tags of its own; the bench stops if it ever sends other than the floor's requests (counted by method, and the token server's) or needs other than the floor's waves. Its process is long-lived, so its code is warm; ours starts afresh for every run, as on a runner, and also pays for running cold code, which the process start in the target does not cover. To show that cost, the same work is also timed from a floor client started just before it (script loaded, no request sent yet); that column is shown, not judged.",
      '- Waves: requests at a registry grouped by arrival, a new wave starting when one arrives more than half a round trip after the previous; each step is named by method and path (a 401 is the challenge, HEADs before the index PUT are child checks, PUTs by tag are tags, reads after the index PUT are read-back).',
      '- Other tools get the same registry, children and tags; their wall includes every process they need (one per tag for docker manifest and buildah). Their index is read back from the registry afterwards.',
    ].join('\n'),
  ].join('\n\n');
}
