import type { Platform } from './descriptor.js';
import { OciError } from './errors.js';

function words(text: string): readonly string[] {
  return text.trim().split(/\s+/);
}

// Go's GOOS list (go/build/syslist.go), plus the macos alias containerd accepts for darwin.
const knownOperatingSystems = words(`
  aix android darwin dragonfly freebsd hurd illumos ios js linux macos nacl netbsd openbsd plan9 solaris wasip1 windows zos
`);

// Go's GOARCH list, plus the names uname and Debian use, which containerd normalises.
const knownArchitectures = words(`
  386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le
  ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm
  x86_64 x86-64 aarch64 armhf armel i386
`);

// containerd's specifier syntax: os, optional (os.version+feature+...), /architecture, optional /variant.
const specifierPattern = /^([^/()]+)(?:\(([^()/]*)\))?\/([^/()]+)(?:\/([^/()]+))?$/;
const partPattern = /^[a-z0-9_.-]+$/;

function invalid(input: string, reason: string): OciError {
  return new OciError({ code: 'INVALID_PLATFORM', message: `invalid platform ${JSON.stringify(input)}: ${reason}` });
}

function unknown(kind: string, value: string | undefined, input: string, known: readonly string[]): OciError {
  return new OciError({
    code: 'INVALID_PLATFORM',
    message: `unknown ${kind} ${JSON.stringify(value)} in platform ${JSON.stringify(input)} (known: ${known.join(', ')})`,
  });
}

function checkPart(input: string, part: string | undefined): string {
  const lowered = (part ?? '').toLowerCase();
  if (partPattern.test(lowered)) return lowered;
  throw invalid(input, `${JSON.stringify(part)} has characters outside [a-z0-9_.-]`);
}

function decodeOption(input: string, value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw invalid(input, `${JSON.stringify(value)} has a malformed %-escape`);
  }
}

function parseOsOptions(input: string, options: string | undefined): Pick<Platform, 'os.version' | 'os.features'> {
  if (options === undefined) return {};
  const [version = '', ...features] = options.split('+').map((part) => decodeOption(input, part));
  if (features.some((feature) => feature === '')) throw invalid(input, 'an os feature is empty');
  return {
    ...(version === '' ? {} : { 'os.version': version }),
    ...(features.length === 0 ? {} : { 'os.features': features }),
  };
}

/**
 * Parses `os[(os.version[+feature...])]/architecture[/variant]` and returns the platform as written, lower-cased but
 * not normalised, so that a descriptor keeps the spelling the user chose. Unknown names are refused rather than
 * guessed at, because a typo here would publish an image no machine ever pulls.
 */
export function parsePlatform(input: string): Platform {
  const match = specifierPattern.exec(input);
  if (match === null) throw invalid(input, 'expected os/architecture[/variant], e.g. linux/arm64 or linux/arm/v7');
  const [os, architecture] = [checkPart(input, match[1]), checkPart(input, match[3])];
  const variant = match[4] === undefined ? undefined : checkPart(input, match[4]);
  if (!knownOperatingSystems.includes(os)) throw unknown('operating system', match[1], input, knownOperatingSystems);
  if (!knownArchitectures.includes(architecture)) throw unknown('architecture', match[3], input, knownArchitectures);
  return { os, architecture, ...(variant === undefined ? {} : { variant }), ...parseOsOptions(input, match[2]) };
}

function normalizeArchitecture(architecture: string, variant: string): { architecture: string; variant: string } {
  switch (architecture) {
    case 'i386':
      return { architecture: '386', variant: '' };
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      return { architecture: 'amd64', variant: variant === 'v1' ? '' : variant };
    case 'aarch64':
    case 'arm64':
      return { architecture: 'arm64', variant: normalizeArm64Variant(variant) };
    case 'armhf':
      return { architecture: 'arm', variant: 'v7' };
    case 'armel':
      return { architecture: 'arm', variant: 'v6' };
    case 'arm':
      return { architecture: 'arm', variant: normalizeArmVariant(variant) };
    default:
      return { architecture, variant };
  }
}

// v8 is what every arm64 machine implements, so it is the default and written as no variant at all.
function normalizeArm64Variant(variant: string): string {
  if (['8', 'v8', 'v8.0'].includes(variant)) return '';
  if (['9', '9.0', 'v9.0'].includes(variant)) return 'v9';
  return variant;
}

// 32-bit arm without a variant means v7 (containerd adds it); bare numbers get their "v".
function normalizeArmVariant(variant: string): string {
  if (variant === '' || variant === '7') return 'v7';
  if (['5', '6', '8'].includes(variant)) return `v${variant}`;
  return variant;
}

/** containerd's Normalize: the spelling-independent form used to decide whether two platforms are the same. */
export function normalizePlatform(platform: Platform): Platform {
  const os = platform.os.toLowerCase();
  const normalized = normalizeArchitecture(platform.architecture.toLowerCase(), (platform.variant ?? '').toLowerCase());
  const features = [...new Set(platform['os.features'] ?? [])].sort();
  return {
    os: os === 'macos' ? 'darwin' : os,
    architecture: normalized.architecture,
    ...(normalized.variant === '' ? {} : { variant: normalized.variant }),
    ...(platform['os.version'] ? { 'os.version': platform['os.version'] } : {}),
    ...(features.length === 0 ? {} : { 'os.features': features }),
  };
}

// The characters that carry meaning in the specifier syntax, so they cannot appear literally inside os options.
function escapeOption(value: string): string {
  return value.replace(/[%+()/]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

function formatOsOptions(platform: Platform): string {
  const version = platform['os.version'] ?? '';
  const features = platform['os.features'] ?? [];
  if (version === '' && features.length === 0) return '';
  return `(${[version, ...features].map(escapeOption).join('+')})`;
}

/** `linux/arm/v7`; Windows builds as `windows(10.0.20348+win32k)/amd64`, which parsePlatform reads back. */
export function formatPlatform(platform: Platform): string {
  const os = platform.os === '' ? 'unknown' : platform.os;
  const variant = platform.variant ? `/${platform.variant}` : '';
  return `${os}${formatOsOptions(platform)}/${platform.architecture}${variant}`;
}

/** Equal keys mean the same platform however it was spelled (arm64 = arm64/v8, arm = arm/v7, aarch64 = arm64). */
export function platformKey(platform: Platform): string {
  return formatPlatform(normalizePlatform(platform));
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Dotted versions part by part, numerically where both parts are numbers (10.0.9 < 10.0.20348). */
function compareVersions(a: string, b: string): number {
  const aParts = a.split('.');
  const bParts = b.split('.');
  for (let i = 0; i < Math.max(aParts.length, bParts.length); i++) {
    const [aPart = '', bPart = ''] = [aParts[i], bParts[i]];
    const numeric = /^\d+$/.test(aPart) && /^\d+$/.test(bPart);
    const order = numeric ? Math.sign(Number(aPart) - Number(bPart)) : compareText(aPart, bPart);
    if (order !== 0) return order;
  }
  return 0;
}

// A Windows host takes the first entry that matches it, so newer builds go first and an entry without a version,
// which matches any build, goes after all the specific ones.
function compareOsVersionsNewestFirst(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return compareVersions(b, a);
}

/**
 * The architecture's own variant (arm's v7, none elsewhere) sorts first: a client asked for the bare architecture
 * without normalising it (go-containerregistry takes the first entry that fits) must find the entry that means it.
 */
function variantOrder(normalized: Platform): string {
  const variant = normalized.variant ?? '';
  return variant === (normalizeArchitecture(normalized.architecture, '').variant ?? '') ? '' : variant;
}

/**
 * The order of children in an index, on normalised values: os, architecture, variant (the architecture's own
 * first, then alphabetically), then os.version newest first (no version last), then os.features joined (none first); finally the written
 * form, so that two spellings of one platform still have a fixed order.
 */
export function comparePlatforms(a: Platform, b: Platform): number {
  const [na, nb] = [normalizePlatform(a), normalizePlatform(b)];
  return (
    compareText(na.os, nb.os) ||
    compareText(na.architecture, nb.architecture) ||
    compareText(variantOrder(na), variantOrder(nb)) ||
    compareOsVersionsNewestFirst(na['os.version'], nb['os.version']) ||
    compareText((na['os.features'] ?? []).join('+'), (nb['os.features'] ?? []).join('+')) ||
    compareText(formatPlatform(a), formatPlatform(b))
  );
}
