/**
 * How the three families of container clients pick an index entry for the platform they want, each re-written from
 * its matcher's source, so that a test can ask all three of an index we publish:
 * - containerd (and nerdctl, CRI): containerd/platforms v1.0.0-rc.4, database.go normalizeArch, platforms.go
 *   NewMatcher, compare.go platformVector and Only, platform_windows_compat.go; a pull keeps the best-ranked entry,
 *   ties broken by index order (containerd client/pull.go, core/images/handlers.go LimitManifests);
 * - containers/image (skopeo, podman, buildah, cri-o): internal/pkg/platform/platform_matcher.go WantedPlatforms and
 *   MatchesPlatform, internal/manifest/oci_index.go chooseInstance (rank, then index order); podman's --platform goes
 *   through containers/common libimage/platform Normalize first, which touches the wanted platform only;
 * - go-containerregistry (crane, ko, kaniko): pkg/v1/remote/index.go childByPlatform and matchesPlatform, the first
 *   entry in index order whose fields equal every field the wanted platform sets.
 */
export interface MatcherPlatform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
  readonly 'os.version'?: string;
  readonly 'os.features'?: readonly string[];
}

export type ClientFamily = 'containerd' | 'containers/image' | 'podman' | 'go-containerregistry';

export const clientFamilies: readonly ClientFamily[] = [
  'containerd',
  'containers/image',
  'podman',
  'go-containerregistry',
];

/** A rank (0 is best) when the entry fits what is wanted, undefined when it does not. */
type Rank = (entry: MatcherPlatform) => number | undefined;

// database.go normalizeArch: spellings of one architecture and its default variants made one.
function normalizeArchitecture(architecture: string, variant: string): [string, string] {
  const [arch, v] = [architecture.toLowerCase(), variant.toLowerCase()];
  switch (arch) {
    case 'i386':
      return ['386', ''];
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      return ['amd64', v === 'v1' ? '' : v];
    case 'aarch64':
    case 'arm64':
      if (['8', 'v8', 'v8.0'].includes(v)) return ['arm64', ''];
      return ['arm64', ['9', '9.0', 'v9.0'].includes(v) ? 'v9' : v];
    case 'armhf':
      return ['arm', 'v7'];
    case 'armel':
      return ['arm', 'v6'];
    case 'arm':
      if (v === '' || v === '7') return ['arm', 'v7'];
      return ['arm', ['5', '6', '8'].includes(v) ? `v${v}` : v];
    default:
      return [arch, v];
  }
}

function normalize(platform: MatcherPlatform): MatcherPlatform {
  const [architecture, variant] = normalizeArchitecture(platform.architecture, platform.variant ?? '');
  const os = platform.os.toLowerCase() === 'macos' ? 'darwin' : platform.os.toLowerCase();
  const features = platform['os.features'] ? [...new Set(platform['os.features'])].sort() : undefined;
  return { ...platform, os, architecture, variant, ...(features ? { 'os.features': features } : {}) };
}

// platform_windows_compat.go getWindowsOSVersion: major.minor.build, anything past the build ignored.
function windowsBuild(version: string | undefined): [number, number, number] | undefined {
  const parts = (version ?? '').split('.');
  if (parts.length < 3 || !parts.slice(0, 3).every((part) => /^\d+$/.test(part))) return undefined;
  return [Number(parts[0]), Number(parts[1]), Number(parts[2])];
}

// checkWindowsHostAndContainerCompat: before LTSC 2022 the build must be equal; after, the host runs builds from the
// newest long-term release below it (20348, 26100) up to its own.
function windowsCompatible(host: string | undefined, entry: string | undefined): boolean {
  const [wanted, offered] = [windowsBuild(host), windowsBuild(entry)];
  if (wanted === undefined || entry === undefined || entry === '') return true;
  if (offered === undefined || wanted[0] !== offered[0] || wanted[1] !== offered[1]) return false;
  if (wanted[2] < 20348) return wanted[2] === offered[2];
  const supported = [26100, 20348].find((release) => wanted[2] > release) ?? 20348;
  return supported <= offered[2] && offered[2] <= wanted[2];
}

// platforms.go NewMatcher(...).Match, for one normalised wanted platform.
function containerdMatch(wanted: MatcherPlatform, entry: MatcherPlatform): boolean {
  const isWindows = wanted.os === 'windows';
  const features = (entry['os.features'] ?? []).filter((feature) => !(isWindows && feature === 'win32k'));
  const offered = normalize({ ...entry, 'os.features': features });
  if (offered.os !== wanted.os || offered.architecture !== wanted.architecture) return false;
  if ((offered.variant ?? '') !== (wanted.variant ?? '')) return false;
  if (isWindows && !windowsCompatible(wanted['os.version'], entry['os.version'])) return false;
  return (offered['os.features'] ?? []).every((feature) => (wanted['os.features'] ?? []).includes(feature));
}

const number = (variant: string | undefined): number => Number((variant ?? '').replace(/^v/, '') || Number.NaN);

// compare.go platformVector: what else a platform runs, best first.
function fallbacks(wanted: MatcherPlatform): MatcherPlatform[] {
  const base = { os: wanted.os, 'os.version': wanted['os.version'], 'os.features': wanted['os.features'] };
  const down = (architecture: string, from: number, to: number) =>
    Array.from({ length: Math.max(0, from - to + 1) }, (_, i) => ({ ...base, architecture, variant: `v${from - i}` }));
  switch (wanted.architecture) {
    case 'amd64':
      return [wanted, ...down('amd64', number(wanted.variant) - 1, 1), { ...base, architecture: '386' }];
    case 'arm':
      return [wanted, ...down('arm', number(wanted.variant) - 1, 5)];
    case 'arm64':
      return (wanted.variant ?? '') === '' ? [wanted, ...down('arm', 8, 5)] : [wanted];
    default:
      return [wanted];
  }
}

function containerdOnly(wanted: MatcherPlatform): Rank {
  const vector = fallbacks(normalize(wanted)).map(normalize);
  return (entry) => {
    const rank = vector.findIndex((candidate) => containerdMatch(candidate, entry));
    return rank < 0 ? undefined : rank;
  };
}

// platform_matcher.go WantedPlatforms with the architecture chosen (no CPU detection): variants in order.
const compatibleVariants: Readonly<Record<string, readonly string[]>> = {
  arm: ['v8', 'v7', 'v6', 'v5'],
  arm64: ['v8'],
};

function containersImageRank(wanted: MatcherPlatform): Rank {
  const known = compatibleVariants[wanted.architecture] ?? [];
  const variant = wanted.variant ?? '';
  const variants =
    variant === ''
      ? ['', ...known]
      : [...(known.includes(variant) ? known.slice(known.indexOf(variant)) : [variant]), ''];
  return (entry) => {
    // MatchesPlatform compares the entry as written.
    if (entry.os !== wanted.os || entry.architecture !== wanted.architecture) return undefined;
    const rank = variants.indexOf(entry.variant ?? '');
    return rank < 0 ? undefined : rank;
  };
}

// containers/common libimage/platform Normalize: containerd's normalisation of the wanted platform, formatted and
// parsed again by containerd's Parse, which writes arm64 with a variant as v8 and a bare arm as v7.
function podmanWanted(wanted: MatcherPlatform): MatcherPlatform {
  const [architecture, normalized] = normalizeArchitecture(wanted.architecture, wanted.variant ?? '');
  const variant =
    architecture === 'arm64' && wanted.variant
      ? 'v8'
      : architecture === 'arm'
        ? normalized
        : (wanted.variant ?? normalized);
  return { os: wanted.os.toLowerCase(), architecture, ...(variant ? { variant } : {}) };
}

// index.go matchesPlatform: every field the wanted platform sets must be equal; features must be contained.
function goContainerregistryMatch(wanted: MatcherPlatform): Rank {
  return (entry) => {
    if (entry.architecture !== wanted.architecture || entry.os !== wanted.os) return undefined;
    if (wanted['os.version'] && entry['os.version'] !== wanted['os.version']) return undefined;
    if (wanted.variant && entry.variant !== wanted.variant) return undefined;
    const features = entry['os.features'] ?? [];
    return (wanted['os.features'] ?? []).every((feature) => features.includes(feature)) ? 0 : undefined;
  };
}

function rankFor(family: ClientFamily, wanted: MatcherPlatform): Rank {
  switch (family) {
    case 'containerd':
      return containerdOnly(wanted);
    case 'containers/image':
      return containersImageRank(wanted);
    case 'podman':
      return containersImageRank(podmanWanted(wanted));
    case 'go-containerregistry':
      return goContainerregistryMatch(wanted);
  }
}

/** Whether `family`'s matcher takes `entry` for `wanted`, at all. */
export function fits(family: ClientFamily, wanted: MatcherPlatform, entry: MatcherPlatform): boolean {
  return rankFor(family, wanted)(entry) !== undefined;
}

/** The position in `entries` of the one `family` pulls for `wanted` (best rank, then index order); -1 for none. */
export function chosenEntry(
  family: ClientFamily,
  wanted: MatcherPlatform,
  entries: readonly (MatcherPlatform | undefined)[],
): number {
  const rank = rankFor(family, wanted);
  let best = -1;
  let bestRank = Number.POSITIVE_INFINITY;
  entries.forEach((entry, position) => {
    // go-containerregistry reads an entry without a platform as linux/amd64; the others take it only as a last resort.
    const platform = entry ?? (family === 'go-containerregistry' ? { os: 'linux', architecture: 'amd64' } : undefined);
    const found = platform === undefined ? undefined : rank(platform);
    if (found !== undefined && found < bestRank) [best, bestRank] = [position, found];
  });
  return best;
}

/** An entry of an index as published: its digest and platform (none for an attestation's unknown/unknown). */
interface IndexEntry {
  readonly digest: string;
  readonly platform?: MatcherPlatform;
}

const runnable = (entry: IndexEntry): boolean =>
  entry.platform !== undefined && entry.platform.os !== 'unknown' && entry.platform.architecture !== 'unknown';

/**
 * Every way a client would fail to pull a child of `entries` (an index's manifests): each family is asked for each
 * image's platform as the entry states it, and again without its variant (`linux/arm64` for `linux/arm64/v8`, which
 * must find the entry containerd's normalisation takes it to). Empty when every family finds every child.
 */
export function unreachableChildren(entries: readonly IndexEntry[]): string[] {
  const platforms = entries.map((entry) => (runnable(entry) ? entry.platform : undefined));
  const images = entries.filter(runnable);
  const problems: string[] = [];
  for (const image of images) {
    const stated = image.platform as MatcherPlatform;
    const asks: [MatcherPlatform, IndexEntry][] = [[stated, image]];
    if (stated.variant) {
      const { variant: _variant, ...bare } = stated;
      const meant = images.find((other) => containerdMatch(normalize(bare), other.platform as MatcherPlatform));
      if (meant !== undefined) asks.push([bare, meant]);
    }
    for (const [wanted, expected] of asks) {
      for (const family of clientFamilies) {
        const chosen = chosenEntry(family, wanted, platforms);
        if (entries[chosen]?.digest !== expected.digest) {
          problems.push(
            `${family} asked for ${JSON.stringify(wanted)} pulls ${entries[chosen]?.digest ?? 'nothing'}, not ${expected.digest}`,
          );
        }
      }
    }
  }
  return [...new Set(problems)];
}
