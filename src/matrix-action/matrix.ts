import { UserError, quote } from '../errors.js';
import type { Platform } from '../oci/descriptor.js';
import { formatPlatform, normalizePlatform } from '../oci/platform.js';
import { platformPair } from '../records/naming.js';
import type { MatrixInputs, RunnerRule, RunsOn } from './inputs.js';

/** One build job: `runs-on: ${{ matrix.runs-on }}`, and QEMU set up only when `emulated`. */
export interface MatrixEntry {
  /** Normalised: linux/arm64, linux/arm/v7, windows(10.0.20348)/amd64. */
  readonly platform: string;
  /** platformPair of the platform, as the build's record name ends: linux-arm-v7. Safe in artifact and file names. */
  readonly pair: string;
  readonly 'runs-on': RunsOn;
  /** No runner runs this platform natively; it is built under QEMU on the amd64 runner. */
  readonly emulated: boolean;
}

/** What `strategy.matrix: ${{ fromJSON(...) }}` takes. */
export interface Matrix {
  readonly include: readonly MatrixEntry[];
}

/**
 * Whose labels the defaults name: GitHub's hosted runners, or the labels every self-hosted runner of actions/runner
 * gets by itself (self-hosted; linux or windows; x64, ARM or ARM64), for GitHub Enterprise Server, which has no
 * GitHub-hosted runners.
 */
export type DefaultRunners = 'github-hosted' | 'self-hosted';

// GitHub-hosted runners: x86-64 machines also run 386 natively; linux/arm/* goes to the arm64 ones (that they run
// 32-bit arm without QEMU is the premise, not checked here: a `runners` rule or `emulate` changes it).
// Self-hosted runners: the machine's own architecture, 32-bit arm on an ARM runner.
const defaultRunners: Readonly<Record<DefaultRunners, readonly RunnerRule[]>> = {
  'github-hosted': [
    { prefix: ['linux', 'amd64'], 'runs-on': 'ubuntu-latest' },
    { prefix: ['linux', '386'], 'runs-on': 'ubuntu-latest' },
    { prefix: ['linux', 'arm64'], 'runs-on': 'ubuntu-24.04-arm' },
    { prefix: ['linux', 'arm'], 'runs-on': 'ubuntu-24.04-arm' },
    { prefix: ['windows'], 'runs-on': 'windows-latest' },
  ],
  'self-hosted': [
    { prefix: ['linux', 'amd64'], 'runs-on': ['self-hosted', 'linux', 'x64'] },
    { prefix: ['linux', '386'], 'runs-on': ['self-hosted', 'linux', 'x64'] },
    { prefix: ['linux', 'arm64'], 'runs-on': ['self-hosted', 'linux', 'ARM64'] },
    { prefix: ['linux', 'arm'], 'runs-on': ['self-hosted', 'linux', 'ARM'] },
    { prefix: ['windows'], 'runs-on': ['self-hosted', 'windows', 'x64'] },
    { prefix: ['windows', 'arm64'], 'runs-on': ['self-hosted', 'windows', 'ARM64'] },
  ],
};

const amd64: Platform = { os: 'linux', architecture: 'amd64' };

function segmentsOf(platform: Platform): string[] {
  return [platform.os, platform.architecture, ...(platform.variant ? [platform.variant] : [])];
}

function isPrefixOf(prefix: readonly string[], segments: readonly string[]): boolean {
  return prefix.length <= segments.length && prefix.every((segment, index) => segment === segments[index]);
}

function longestMatch(rules: readonly RunnerRule[], segments: readonly string[]): RunnerRule | undefined {
  return rules
    .filter((rule) => isPrefixOf(rule.prefix, segments))
    .reduce<RunnerRule | undefined>(
      (best, rule) => (best && best.prefix.length >= rule.prefix.length ? best : rule),
      undefined,
    );
}

/**
 * The runner for a normalised platform: the longest matching rule of the user's, and only when none of theirs
 * matches, the longest default; so `linux=self-hosted` sends linux/amd64 to self-hosted, not to ubuntu-latest.
 */
function nativeRunner(
  platform: Platform,
  runners: readonly RunnerRule[],
  defaults: DefaultRunners,
): RunsOn | undefined {
  const segments = segmentsOf(platform);
  return (longestMatch(runners, segments) ?? longestMatch(defaultRunners[defaults], segments))?.['runs-on'];
}

function entryFor(platform: Platform, runsOn: RunsOn, emulated: boolean): MatrixEntry {
  return { platform: formatPlatform(platform), pair: platformPair(platform), 'runs-on': runsOn, emulated };
}

function formatList(platforms: readonly Platform[]): string {
  return platforms.map(formatPlatform).join(', ');
}

function exampleRule(platform: Platform): string {
  return `\`${formatPlatform(platform)}=["self-hosted","${platform.architecture}"]\``;
}

function formatRunsOn(runsOn: RunsOn): string {
  return `\`${typeof runsOn === 'string' ? runsOn : JSON.stringify(runsOn)}\``;
}

const defaultsNote = 'the default runners build linux/amd64, linux/386, linux/arm64, linux/arm/* and windows/*';

function noRunnerError(platforms: readonly Platform[], emulationRunner: RunsOn): UserError {
  const [first] = platforms as [Platform];
  const them = platforms.length === 1 ? 'it' : 'them';
  const addRule = `Add a \`runners\` rule for ${them}, e.g. ${exampleRule(first)}`;
  const canEmulate = platforms.every((platform) => platform.os === 'linux');
  return new UserError(
    'platforms',
    `${formatList(platforms)} ${platforms.length === 1 ? 'has' : 'have'} no native runner (${defaultsNote}).`,
    canEmulate
      ? `${addRule}, or set \`emulate: true\` to build ${them} with QEMU on ${formatRunsOn(emulationRunner)}.`
      : `${addRule}.`,
  );
}

// QEMU user-mode emulation runs Linux binaries only, so it cannot build another operating system's image.
function cannotEmulateError(platforms: readonly Platform[]): UserError {
  const [first] = platforms as [Platform];
  return new UserError(
    'platforms',
    `${formatList(platforms)} ${platforms.length === 1 ? 'has' : 'have'} no native runner, and \`emulate\` cannot help: QEMU emulates Linux only.`,
    `Add a \`runners\` rule for ${platforms.length === 1 ? 'it' : 'them'}, e.g. ${exampleRule(first)}.`,
  );
}

function checkPlaceable(unplaced: readonly Platform[], emulate: boolean, emulationRunner: RunsOn): void {
  if (!emulate && unplaced.length > 0) throw noRunnerError(unplaced, emulationRunner);
  const notLinux = unplaced.filter((platform) => platform.os !== 'linux');
  if (emulate && notLinux.length > 0) throw cannotEmulateError(notLinux);
}

function checkUniquePairs(entries: readonly MatrixEntry[]): void {
  const seen = new Map<string, string>();
  for (const entry of entries) {
    const earlier = seen.get(entry.pair);
    if (earlier !== undefined) {
      throw new UserError(
        'platforms',
        `${quote(earlier)} and ${quote(entry.platform)} would share the record name ${quote(entry.pair)} (os features, and characters outside [a-z0-9._-], are not part of it).`,
        'Build them in separate workflows, or list one of them.',
      );
    }
    seen.set(entry.pair, entry.platform);
  }
}

/**
 * One entry per platform, in the order given, each with the runner that builds it natively. Platforms no runner
 * builds natively fail the plan, unless `emulate` is set: then the Linux ones go to the linux/amd64 runner under QEMU.
 */
export function planMatrix(inputs: MatrixInputs, defaults: DefaultRunners = 'github-hosted'): Matrix {
  const platforms = inputs.platforms.map(normalizePlatform);
  const runnerOf = (platform: Platform) => nativeRunner(platform, inputs.runners, defaults);
  const emulationRunner = runnerOf(amd64) as RunsOn; // both default sets build linux/amd64
  const placed = platforms.map((platform) => ({ platform, runsOn: runnerOf(platform) }));
  const unplaced = placed.filter(({ runsOn }) => runsOn === undefined).map(({ platform }) => platform);
  checkPlaceable(unplaced, inputs.emulate, emulationRunner);
  const include = placed.map(({ platform, runsOn }) =>
    runsOn === undefined ? entryFor(platform, emulationRunner, true) : entryFor(platform, runsOn, false),
  );
  checkUniquePairs(include);
  return { include };
}
