import type { ProxiedRequest } from './delay-proxy.js';

/** Pure arithmetic over what the proxies saw: medians, the round-trip floor, waves of requests, phases. */

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export interface RoundTripFloor {
  readonly rounds: number;
  readonly ms: number;
  readonly formula: string;
}

/**
 * The fewest sequential round trips the merge's work needs, whatever the client: with token auth a 401 challenge
 * then a token request (a client cannot know the realm before the challenge); the children's existence checks, all
 * in parallel; the index PUT by digest, which issues 3 and 6 put before any tag (a failure then never leaves a tag
 * on an index the registry refused); the tags, all in parallel; and with verify, each tag read back. Registries are
 * written in parallel, so R does not add rounds.
 */
export function roundTripFloor(auth: 'none' | 'token', delayMs: number, readBack: boolean): RoundTripFloor {
  const steps = [
    ...(auth === 'token' ? ['challenge 1', 'token 1'] : []),
    'child checks in parallel 1',
    'index PUT by digest 1',
    'tags in parallel 1',
    ...(readBack ? ['read-back in parallel 1'] : []),
  ];
  const rounds = steps.length;
  return { rounds, ms: rounds * delayMs, formula: `(${steps.join(' + ')}) × ${delayMs} ms = ${rounds * delayMs} ms` };
}

export interface RequestCounts {
  readonly challenges: number;
  readonly heads: number;
  readonly puts: number;
  /** To the token server, not the registry. */
  readonly tokens: number;
  readonly others: number;
}

export interface FloorWork {
  readonly auth: 'none' | 'token';
  readonly platforms: number;
  readonly tags: number;
  readonly readBack: boolean;
}

/**
 * The floor's requests by kind: the token registry's challenge and token, a check per child, the index by digest, a
 * write per tag, and with read-back a read per tag.
 */
export function floorRequestCounts(work: FloorWork): RequestCounts {
  const challenges = work.auth === 'token' ? 1 : 0;
  return {
    challenges,
    heads: work.platforms + (work.readBack ? work.tags : 0),
    puts: 1 + work.tags,
    tokens: challenges,
    others: 0,
  };
}

/** The requests a registry itself answers (the token server's are not its). */
export const registryRequests = (counts: RequestCounts): number =>
  counts.challenges + counts.heads + counts.puts + counts.others;

/** The floor's requests per registry. */
export const floorRequests = (work: FloorWork): number => registryRequests(floorRequestCounts(work));

export const describeRequests = (counts: RequestCounts): string =>
  `${counts.challenges} challenge, ${counts.heads} HEAD, ${counts.puts} PUT, ${counts.tokens} token, ${counts.others} other`;

/**
 * How many sequential waves `requests` came in: a request arriving more than half a round trip after the previous
 * one starts a new wave (each wave waited for an answer from the one before).
 */
export function countWaves(requests: readonly ProxiedRequest[], delayMs: number): number {
  const times = requests.map((request) => request.at).sort((a, b) => a - b);
  let waves = 0;
  let last = Number.NEGATIVE_INFINITY;
  for (const at of times) {
    if (at - last > delayMs / 2) waves++;
    last = at;
  }
  return waves;
}

export type Phase = 'challenge' | 'child check' | 'index by digest' | 'tags' | 'read-back' | 'blobs' | 'other';

export const phaseOrder: readonly Phase[] = [
  'challenge',
  'child check',
  'index by digest',
  'tags',
  'read-back',
  'blobs',
  'other',
];

/** Which step of the merge a request to a registry belongs to, from its method, path and place in the log. */
export function phaseOf(request: ProxiedRequest, indexPutAt: number): Phase {
  if (request.status === 401) return 'challenge';
  if (request.path.includes('/blobs/')) return 'blobs';
  const manifest = /\/manifests\/([^/]+)$/.exec(request.path)?.[1];
  if (manifest === undefined) return 'other';
  const byDigest = manifest.startsWith('sha256:');
  if (request.method === 'PUT')
    return byDigest && request.at <= indexPutAt ? 'index by digest' : byDigest ? 'other' : 'tags';
  if (request.at > indexPutAt) return 'read-back';
  return request.method === 'HEAD' ? 'child check' : 'other';
}

export interface PhaseCount {
  readonly phase: Phase;
  readonly requests: number;
  readonly waves: number;
}

/** Requests and waves per phase of one registry's log; the index PUT is the PUT by `indexDigest`. */
export function phasesOf(requests: readonly ProxiedRequest[], indexDigest: string, delayMs: number): PhaseCount[] {
  const indexPut = requests.find((request) => request.method === 'PUT' && request.path.endsWith(`/${indexDigest}`));
  const indexPutAt = indexPut?.at ?? Number.POSITIVE_INFINITY;
  const byPhase = new Map<Phase, ProxiedRequest[]>();
  for (const request of requests) {
    const phase = phaseOf(request, indexPutAt);
    byPhase.set(phase, [...(byPhase.get(phase) ?? []), request]);
  }
  return phaseOrder.flatMap((phase) => {
    const entries = byPhase.get(phase);
    return entries ? [{ phase, requests: entries.length, waves: countWaves(entries, delayMs) }] : [];
  });
}

export const formatPhases = (phases: readonly PhaseCount[]): string =>
  phases.map(({ phase, requests, waves }) => `${phase} ${requests}${waves > 1 ? ` in ${waves} waves` : ''}`).join(', ');
