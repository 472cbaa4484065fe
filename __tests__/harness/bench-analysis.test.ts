import {
  countWaves,
  floorRequests,
  describeRequests,
  floorRequestCounts,
  median,
  phasesOf,
  roundTripFloor,
} from '../../bench/analysis.js';
import type { ProxiedRequest } from '../../bench/delay-proxy.js';
import type { OursCell } from '../../bench/cells.js';

import { issueWallTarget, machineWallTarget, requestBudget, requestTarget } from '../../bench/targets.js';

const request = (method: string, path: string, at: number, status = 200): ProxiedRequest => ({
  method,
  path,
  at,
  status,
  answeredAt: at + 55,
});

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('roundTripFloor', () => {
  it('counts child checks, the index by digest and the tags; a token registry adds challenge and token', () => {
    expect(roundTripFloor('none', 50, false)).toMatchObject({ rounds: 3, ms: 150 });
    expect(roundTripFloor('token', 50, false)).toMatchObject({ rounds: 5, ms: 250 });
  });

  it('adds a round for reading the tags back when the merge verifies', () => {
    const floor = roundTripFloor('none', 40, true);
    expect(floor).toMatchObject({ rounds: 4, ms: 160 });
    expect(floor.formula).toContain('read-back in parallel 1');
  });
});

describe('countWaves', () => {
  it('starts a wave when a request arrives more than half a round trip after the one before', () => {
    const times = [0, 1, 2, 60, 61, 130, 150];
    expect(
      countWaves(
        times.map((at) => request('HEAD', '/v2/a/manifests/x', at)),
        50,
      ),
    ).toBe(3);
  });

  it('does not depend on the order the log holds them in', () => {
    const times = [130, 0, 61, 1];
    expect(
      countWaves(
        times.map((at) => request('HEAD', '/v2/a/manifests/x', at)),
        50,
      ),
    ).toBe(3);
  });
});

describe('phasesOf', () => {
  it('names each request by its step: challenge, child checks, index by digest, tags, read-back', () => {
    const index = 'sha256:' + 'a'.repeat(64);
    const child = 'sha256:' + 'b'.repeat(64);
    const log = [
      request('GET', '/v2/', 0, 401),
      request('HEAD', `/v2/app/manifests/${child}`, 60),
      request('HEAD', `/v2/app/manifests/${child}`, 61),
      request('PUT', `/v2/app/manifests/${index}`, 120),
      request('PUT', '/v2/app/manifests/v1', 180),
      request('PUT', '/v2/app/manifests/latest', 181),
      request('HEAD', '/v2/app/manifests/v1', 240),
    ];
    expect(phasesOf(log, index, 50)).toEqual([
      { phase: 'challenge', requests: 1, waves: 1 },
      { phase: 'child check', requests: 2, waves: 1 },
      { phase: 'index by digest', requests: 1, waves: 1 },
      { phase: 'tags', requests: 2, waves: 1 },
      { phase: 'read-back', requests: 1, waves: 1 },
    ]);
  });
});

describe('targets', () => {
  const cell = (overrides: Partial<OursCell>): OursCell =>
    ({
      platforms: 8,
      tags: 5,
      registries: 1,
      auth: 'none',
      readBack: false,
      coldStartMs: 100,
      floorClientMs: 200,
      floor: roundTripFloor('none', 50, false),
      issueFloor: roundTripFloor('none', 50, false),
      ...overrides,
    }) as OursCell;

  it('budgets auth + P + T as the issue says, and adds the index by digest and the read-back to it', () => {
    expect(requestTarget(cell({}))).toBe(13);
    expect(requestTarget(cell({ auth: 'token' }))).toBe(14);
    expect(requestBudget(cell({}))).toBe(14);
    expect(requestBudget(cell({ readBack: true }))).toBe(19);
  });

  it('allows 1.3 × the issue’s floor plus the process start, and on this machine 30% of that floor over the floor client', () => {
    expect(issueWallTarget(cell({}))).toBeCloseTo(1.3 * 150 + 100);
    expect(machineWallTarget(cell({}))).toBeCloseTo(200 + 0.3 * 150 + 100);
    const verifying = cell({ readBack: true, floor: roundTripFloor('none', 50, true) });
    expect(issueWallTarget(verifying)).toBeCloseTo(1.3 * 150 + 100);
    expect(machineWallTarget(verifying)).toBeCloseTo(200 + 0.3 * 200 + 100);
  });

  it('counts the floor client’s requests as the budget with issue 6’s steps', () => {
    expect(floorRequests({ auth: 'token', platforms: 4, tags: 5, readBack: true })).toBe(1 + 4 + 1 + 5 + 5);
  });

  it('spells the floor client’s requests by method, adding up to the budget at the registry', () => {
    const work = { auth: 'token', platforms: 4, tags: 5, readBack: true } as const;
    expect(describeRequests(floorRequestCounts(work))).toBe('1 challenge, 9 HEAD, 6 PUT, 1 token, 0 other');
    expect(floorRequests(work)).toBe(1 + 9 + 6);
  });
});
