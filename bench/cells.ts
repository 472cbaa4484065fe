import { rm } from 'node:fs/promises';
import {
  countWaves,
  describeRequests,
  floorRequestCounts,
  median,
  phasesOf,
  roundTripFloor,
  type PhaseCount,
  type RoundTripFloor,
} from './analysis.js';
import type { ProxiedRequest } from './delay-proxy.js';
import type { BenchImage } from './images.js';
import { startFloorClient, type FloorClient } from './floor-client.js';
import { runMerge, type MergeRun } from './ours.js';
import { timePeer, type Peer } from './peers.js';
import { imageName, readIndexChildren, recordsFor, type BenchRegistry } from './setup.js';

/** One configuration of the matrix: an index of P children under T tags in R registries. */
export interface Cell {
  readonly platforms: number;
  readonly tags: number;
  readonly registries: number;
}

export const cellName = (cell: Cell) => `P=${cell.platforms}, T=${cell.tags}, R=${cell.registries}`;

export interface OursCell extends Cell {
  readonly auth: 'none' | 'token';
  /** The merge read every tag back (verify on). */
  readonly readBack: boolean;
  readonly runs: number;
  readonly wallMs: number;
  readonly wallMinMs: number;
  readonly wallMaxMs: number;
  readonly coldStartMs: number;
  /** First request to the end of the last answer. */
  readonly networkMs: number;
  /** End of the last answer to the process's exit (outputs, summary, closing connections, node's exit). */
  readonly tailMs: number;
  /** What the registries themselves took per request (answer − arrival − delay) in the median run: median, max. */
  readonly registryMs: { readonly median: number; readonly max: number };
  /** Requests each registry saw in the median run. */
  readonly requestsPerRegistry: readonly number[];
  /** Requests to the token server in the median run. */
  readonly tokenRequests: number;
  /** The first registry's requests by step, in the median run. */
  readonly phases: readonly PhaseCount[];
  /** Sequential waves of requests at the first registry, in the median run. */
  readonly waves: number;
  /** The floor of the work measured: with a read-back round when the merge verifies. */
  readonly floor: RoundTripFloor;
  /** The floor the issue names: auth, child checks, the index by digest, the tags; no read-back. */
  readonly issueFloor: RoundTripFloor;
  /**
   * The floor as this machine serves it: what a client that does nothing else took, first request to last answer,
   * for the floor's requests in the floor's waves (bench/floor-client.ts), median over runs interleaved with ours.
   */
  readonly floorClientMs: number;
  /** The same work from a floor client started afresh for it (cold code, as in a new process), median over runs. */
  readonly freshFloorClientMs: number;
  /** Every tag of the last run resolves to an index of exactly the P children (checked in open registries). */
  readonly verified: boolean | undefined;
}

export interface Bench {
  readonly registries: readonly BenchRegistry[];
  readonly images: readonly BenchImage[];
  readonly repository: string;
  readonly delayMs: number;
  readonly extraInputs: Readonly<Record<string, string>>;
  readonly floorClient: FloorClient;
}

const tagNames = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-t${i + 1}`);

export async function measureOurs(bench: Bench, cell: Cell, runs: number): Promise<OursCell> {
  const registries = bench.registries.slice(0, cell.registries);
  const images = bench.images.slice(0, cell.platforms);
  const names = registries.map((registry) => imageName(registry, bench.repository));
  const recordsPath = await recordsFor(images, names);
  const prefix = `p${cell.platforms}-r${cell.registries}-${Date.now().toString(36)}`;
  const results: { run: MergeRun; tags: string[]; floorClientMs: number; freshFloorClientMs: number }[] = [];
  const readBack = verifies(bench.extraInputs);
  const auth = registries[0]?.registry.auth === 'token' ? 'token' : 'none';
  try {
    const floor = { rounds: roundTripFloor(auth, bench.delayMs, readBack).rounds, delayMs: bench.delayMs };
    const expected = describeRequests(
      floorRequestCounts({ auth, platforms: cell.platforms, tags: cell.tags, readBack }),
    );
    for (let run = 1; run <= runs; run++) {
      const tags = tagNames(`${prefix}-run${run}`, cell.tags);
      const targets = registries.map((registry) => ({ registry, repository: bench.repository }));
      const timeFloor = (client: FloorClient, name: string) =>
        timeFloorClient(
          client,
          bench,
          { registries, images, readBack, tags: tagNames(`${prefix}-run${run}-${name}`, cell.tags) },
          { ...floor, requests: expected },
        );
      const timeOurs = () => runMerge({ targets, images, tags, recordsPath, extraInputs: bench.extraInputs });
      // Which goes first alternates, so that neither always meets registries that the other has just warmed.
      const floorFirst = run % 2 === 1;
      const floorClientMs = floorFirst ? await timeFloor(bench.floorClient, 'floor') : undefined;
      const ours = await timeOurs();
      results.push({
        run: ours,
        tags,
        floorClientMs: floorClientMs ?? (await timeFloor(bench.floorClient, 'floor')),
        freshFloorClientMs: await timeFreshFloorClient((client) => timeFloor(client, 'fresh')),
      });
    }
  } finally {
    await rm(recordsPath, { recursive: true, force: true });
  }
  const last = results.at(-1);
  const verified = last ? await verifyAll(registries, bench.repository, last.tags, images) : false;
  return summarise(cell, { auth, readBack, delayMs: bench.delayMs }, results, verified);
}

/** The merge reads every tag back unless told `verify: false` (merge/action.yml's default is true). */
const verifies = (inputs: Readonly<Record<string, string>>) => inputs['verify']?.toLowerCase() !== 'false';

/**
 * The floor client as a process that has just started (its script loaded, no request sent yet): what running cold
 * code costs any client that starts afresh, as an action does. Shown beside the warm floor, not judged.
 */
async function timeFreshFloorClient(time: (client: FloorClient) => Promise<number>): Promise<number> {
  const client = await startFloorClient();
  try {
    return await time(client);
  } finally {
    await client.stop();
  }
}

/** What a registry saw, in the words describeRequests uses. */
function describeSent(requests: readonly ProxiedRequest[], tokenRequests: number): string {
  const count = (method: string, status?: number) =>
    requests.filter((request) => request.method === method && (status === undefined || request.status === status))
      .length;
  return describeRequests({
    challenges: count('GET', 401),
    heads: count('HEAD'),
    puts: count('PUT'),
    tokens: tokenRequests,
    others: requests.length - count('GET', 401) - count('HEAD') - count('PUT'),
  });
}

/**
 * The floor client's first request to its last answer, as the proxies saw them; checked to have needed exactly the
 * floor's rounds and requests at every registry, or it would not be the floor.
 */
async function timeFloorClient(
  client: FloorClient,
  bench: Bench,
  work: {
    readonly registries: readonly BenchRegistry[];
    readonly images: readonly BenchImage[];
    readonly readBack: boolean;
    readonly tags: readonly string[];
  },
  floor: { readonly rounds: number; readonly delayMs: number; readonly requests: string },
): Promise<number> {
  const { registries } = work;
  registries.forEach((registry) => registry.reset());
  await client.run({
    targets: registries.map((registry) => ({
      host: registry.proxy.host,
      auth: registry.registry.auth,
      username: registry.registry.pusher.username,
      password: registry.registry.pusher.password,
    })),
    repository: bench.repository,
    children: work.images.map((image) => ({ ...image.layout.descriptor, platform: image.platform })),
    tags: work.tags,
    readBack: work.readBack,
  });
  for (const registry of registries) {
    const sent = describeSent(registry.requests(), registry.tokenRequests().length);
    const waves = countWaves([...registry.requests(), ...registry.tokenRequests()], floor.delayMs);
    if (waves !== floor.rounds || sent !== floor.requests) {
      throw new Error(
        `the floor client sent ${sent} in ${waves} waves; the floor is ${floor.requests} in ${floor.rounds}`,
      );
    }
  }
  const requests = registries.flatMap((registry) => [...registry.requests(), ...registry.tokenRequests()]);
  const first = Math.min(...requests.map((request) => request.at));
  return Math.max(...requests.map((request) => request.answeredAt ?? request.at)) - first;
}

function summarise(
  cell: Cell,
  { auth, readBack, delayMs }: { auth: 'none' | 'token'; readBack: boolean; delayMs: number },
  results: readonly { run: MergeRun; floorClientMs: number; freshFloorClientMs: number }[],
  verified: boolean | undefined,
): OursCell {
  const walls = results.map(({ run }) => run.wallMs);
  const wallMs = median(walls);
  const typical = [...results].sort((a, b) => Math.abs(a.run.wallMs - wallMs) - Math.abs(b.run.wallMs - wallMs))[0]
    ?.run;
  const first = typical?.requests[0] ?? [];
  return {
    ...cell,
    auth,
    readBack,
    runs: results.length,
    wallMs,
    wallMinMs: Math.min(...walls),
    wallMaxMs: Math.max(...walls),
    coldStartMs: median(results.map(({ run }) => run.coldStartMs)),
    networkMs: median(results.map(({ run }) => run.lastAnswerMs - run.coldStartMs)),
    tailMs: median(results.map(({ run }) => run.wallMs - run.lastAnswerMs)),
    registryMs: registryTime(typical?.requests.flat() ?? [], delayMs),
    requestsPerRegistry: typical?.requests.map((requests) => requests.length) ?? [],
    tokenRequests: typical?.tokenRequests ?? 0,
    phases: phasesOf(first, typical?.digest ?? '', delayMs),
    waves: countWaves(first, delayMs),
    floor: roundTripFloor(auth, delayMs, readBack),
    issueFloor: roundTripFloor(auth, delayMs, false),
    floorClientMs: median(results.map(({ floorClientMs }) => floorClientMs)),
    freshFloorClientMs: median(results.map(({ freshFloorClientMs }) => freshFloorClientMs)),
    verified,
  };
}

function registryTime(requests: readonly ProxiedRequest[], delayMs: number): { median: number; max: number } {
  const times = requests.map((request) => (request.answeredAt ?? request.at) - request.at - delayMs);
  return { median: median(times), max: Math.max(0, ...times) };
}

/** In open registries only: a token registry's content is not read back without credentials. */
async function verifyAll(
  registries: readonly BenchRegistry[],
  repository: string,
  tags: readonly string[],
  images: readonly BenchImage[],
): Promise<boolean | undefined> {
  if (registries.some((registry) => registry.registry.auth !== 'none')) return undefined;
  const expected = images.map((image) => image.layout.descriptor.digest).sort();
  for (const registry of registries) {
    for (const tag of tags) {
      const children = (await readIndexChildren(registry, repository, tag)).sort();
      if (children.join() !== expected.join()) return false;
    }
  }
  return true;
}

export interface PeerCell extends Cell {
  readonly peer: string;
  readonly runs: number;
  readonly wallMs: number;
  readonly requests: number;
  readonly verified: boolean;
  readonly error?: string;
}

/** Runs `peer` on one registry; a second and third run only when one takes under `repeatUnderMs`. */
export async function measurePeer(
  bench: Bench,
  peer: Peer,
  cell: Cell,
  options: { readonly maxRuns: number; readonly repeatUnderMs: number },
): Promise<PeerCell> {
  const registry = bench.registries[0] as BenchRegistry;
  const images = bench.images.slice(0, cell.platforms);
  const children = images.map((image) => ({ digest: image.layout.descriptor.digest, platform: image.platform }));
  const walls: number[] = [];
  let requests = 0;
  let tags: string[] = [];
  try {
    for (let run = 1; run <= options.maxRuns; run++) {
      if (run > 1 && (walls[0] ?? 0) > options.repeatUnderMs) break;
      tags = tagNames(`${peer.name.replace(/\W+/g, '-')}-p${cell.platforms}-${Date.now().toString(36)}`, cell.tags);
      registry.reset();
      walls.push(await timePeer(peer, { repository: imageName(registry, bench.repository), children, tags }));
      requests = registry.requests().length;
    }
  } catch (error) {
    const message = String(error instanceof Error ? error.message : error)
      .split('\n')
      .slice(0, 3)
      .join(' ');
    return {
      ...cell,
      peer: peer.name,
      runs: walls.length,
      wallMs: Number.NaN,
      requests,
      verified: false,
      error: message,
    };
  }
  const verified = (await verifyAll([registry], bench.repository, tags, images)) === true;
  return { ...cell, peer: peer.name, runs: walls.length, wallMs: median(walls), requests, verified };
}
