import type { Platform } from '../../../src/oci/descriptor.js';
import {
  comparePlatforms,
  formatPlatform,
  normalizePlatform,
  parsePlatform,
  platformKey,
} from '../../../src/oci/platform.js';
import { ociErrorFrom } from '../../support/thrown.js';

describe('parsePlatform', () => {
  test.each<[string, Platform]>([
    ['linux/amd64', { os: 'linux', architecture: 'amd64' }],
    ['linux/arm64', { os: 'linux', architecture: 'arm64' }],
    ['linux/arm64/v8', { os: 'linux', architecture: 'arm64', variant: 'v8' }],
    ['linux/arm/v7', { os: 'linux', architecture: 'arm', variant: 'v7' }],
    ['linux/arm', { os: 'linux', architecture: 'arm' }],
    ['Linux/AMD64', { os: 'linux', architecture: 'amd64' }],
    ['linux/x86_64', { os: 'linux', architecture: 'x86_64' }],
    ['linux/aarch64', { os: 'linux', architecture: 'aarch64' }],
    ['linux/armhf', { os: 'linux', architecture: 'armhf' }],
    ['linux/i386', { os: 'linux', architecture: 'i386' }],
    ['linux/386', { os: 'linux', architecture: '386' }],
    ['linux/ppc64le', { os: 'linux', architecture: 'ppc64le' }],
    ['linux/s390x', { os: 'linux', architecture: 's390x' }],
    ['linux/riscv64', { os: 'linux', architecture: 'riscv64' }],
    ['linux/mips64le', { os: 'linux', architecture: 'mips64le' }],
    ['linux/loong64', { os: 'linux', architecture: 'loong64' }],
    ['linux/amd64/v3', { os: 'linux', architecture: 'amd64', variant: 'v3' }],
    ['js/wasm', { os: 'js', architecture: 'wasm' }],
    ['freebsd/amd64', { os: 'freebsd', architecture: 'amd64' }],
    ['darwin/arm64', { os: 'darwin', architecture: 'arm64' }],
    ['windows/amd64', { os: 'windows', architecture: 'amd64' }],
    ['windows(10.0.20348)/amd64', { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348' }],
    [
      'windows(10.0.20348+win32k)/amd64',
      { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348', 'os.features': ['win32k'] },
    ],
    ['windows(+win32k)/amd64', { os: 'windows', architecture: 'amd64', 'os.features': ['win32k'] }],
    ['windows(1%2B2)/amd64', { os: 'windows', architecture: 'amd64', 'os.version': '1+2' }],
  ])('reads %j as written', (input, expected) => {
    expect(parsePlatform(input)).toStrictEqual(expected);
  });

  test.each([
    ['', 'expected os/architecture'],
    ['linux', 'expected os/architecture'],
    ['linux/', 'expected os/architecture'],
    ['/amd64', 'expected os/architecture'],
    ['a/b/c/d', 'expected os/architecture'],
    ['linux/arm64/', 'expected os/architecture'],
    ['windows(10.0/amd64', 'expected os/architecture'],
    ['linux/amd64 ', 'characters outside'],
    ['linux/arm/v7!', 'characters outside'],
    ['windows(1%ZZ)/amd64', 'malformed %-escape'],
    ['windows(10.0+)/amd64', 'an os feature is empty'],
  ])('rejects %j as malformed, quoting it', (input, reason) => {
    const error = ociErrorFrom(() => parsePlatform(input));
    expect(error.code).toBe('INVALID_PLATFORM');
    expect(error.message.startsWith(`invalid platform ${JSON.stringify(input)}: `)).toBe(true);
    expect(error.message).toContain(reason);
  });

  test.each([
    ['linux/amd65', 'unknown architecture "amd65" in platform "linux/amd65" (known: 386, amd64, '],
    ['linux/ARM65', 'unknown architecture "ARM65" in platform "linux/ARM65" (known: '],
    ['linus/amd64', 'unknown operating system "linus" in platform "linus/amd64" (known: aix, android, darwin, '],
    ['unknown/unknown', 'unknown operating system "unknown" in platform "unknown/unknown"'],
  ])('rejects %j as unknown, listing the known names', (input, message) => {
    expect(() => parsePlatform(input)).toThrow(
      expect.objectContaining({ code: 'INVALID_PLATFORM', message: expect.stringContaining(message) }),
    );
  });
});

describe('normalizePlatform', () => {
  test.each<[Platform, Platform]>([
    [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'amd64' },
    ],
    [
      { os: 'linux', architecture: 'x86_64' },
      { os: 'linux', architecture: 'amd64' },
    ],
    [
      { os: 'linux', architecture: 'x86-64' },
      { os: 'linux', architecture: 'amd64' },
    ],
    [
      { os: 'linux', architecture: 'amd64', variant: 'v1' },
      { os: 'linux', architecture: 'amd64' },
    ],
    [
      { os: 'linux', architecture: 'x86_64', variant: 'v1' },
      { os: 'linux', architecture: 'amd64' },
    ],
    [
      { os: 'linux', architecture: 'amd64', variant: 'v3' },
      { os: 'linux', architecture: 'amd64', variant: 'v3' },
    ],
    [
      { os: 'linux', architecture: 'i386' },
      { os: 'linux', architecture: '386' },
    ],
    [
      { os: 'linux', architecture: 'aarch64' },
      { os: 'linux', architecture: 'arm64' },
    ],
    [
      { os: 'linux', architecture: 'arm64', variant: '8' },
      { os: 'linux', architecture: 'arm64' },
    ],
    [
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      { os: 'linux', architecture: 'arm64' },
    ],
    [
      { os: 'linux', architecture: 'arm64', variant: 'v8.0' },
      { os: 'linux', architecture: 'arm64' },
    ],
    [
      { os: 'linux', architecture: 'aarch64', variant: 'v8' },
      { os: 'linux', architecture: 'arm64' },
    ],
    [
      { os: 'linux', architecture: 'arm64', variant: 'v8.2' },
      { os: 'linux', architecture: 'arm64', variant: 'v8.2' },
    ],
    [
      { os: 'linux', architecture: 'arm64', variant: '9' },
      { os: 'linux', architecture: 'arm64', variant: 'v9' },
    ],
    [
      { os: 'linux', architecture: 'armhf' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ],
    [
      { os: 'linux', architecture: 'armel' },
      { os: 'linux', architecture: 'arm', variant: 'v6' },
    ],
    [
      { os: 'linux', architecture: 'arm' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ],
    [
      { os: 'linux', architecture: 'arm', variant: '7' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ],
    [
      { os: 'linux', architecture: 'arm', variant: '6' },
      { os: 'linux', architecture: 'arm', variant: 'v6' },
    ],
    [
      { os: 'linux', architecture: 'arm', variant: 'v5' },
      { os: 'linux', architecture: 'arm', variant: 'v5' },
    ],
    [
      { os: 'Linux', architecture: 'AMD64' },
      { os: 'linux', architecture: 'amd64' },
    ],
    [
      { os: 'macos', architecture: 'arm64' },
      { os: 'darwin', architecture: 'arm64' },
    ],
    [
      { os: 'linux', architecture: 'ppc64le' },
      { os: 'linux', architecture: 'ppc64le' },
    ],
    [
      {
        os: 'windows',
        architecture: 'amd64',
        'os.version': '10.0.20348.2322',
        'os.features': ['win32k', 'a', 'win32k'],
      },
      { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.2322', 'os.features': ['a', 'win32k'] },
    ],
    [
      { os: 'windows', architecture: 'amd64', 'os.version': '', 'os.features': [] },
      { os: 'windows', architecture: 'amd64' },
    ],
  ])('normalises %j to %j', (input, expected) => {
    expect(normalizePlatform(input)).toStrictEqual(expected);
  });
});

describe('formatPlatform', () => {
  test.each<[Platform, string]>([
    [{ os: 'linux', architecture: 'amd64' }, 'linux/amd64'],
    [{ os: 'linux', architecture: 'arm', variant: 'v7' }, 'linux/arm/v7'],
    [{ os: 'linux', architecture: 'arm64', variant: '' }, 'linux/arm64'],
    [{ os: '', architecture: 'amd64' }, 'unknown/amd64'],
    [{ os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348' }, 'windows(10.0.20348)/amd64'],
    [
      { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348', 'os.features': ['win32k'] },
      'windows(10.0.20348+win32k)/amd64',
    ],
    [{ os: 'windows', architecture: 'amd64', 'os.features': ['win32k'] }, 'windows(+win32k)/amd64'],
    [{ os: 'windows', architecture: 'amd64', 'os.version': '1+2(3)/4%' }, 'windows(1%2B2%283%29%2F4%25)/amd64'],
  ])('formats %j as %j', (platform, expected) => {
    expect(formatPlatform(platform)).toBe(expected);
  });

  test.each([
    'linux/amd64',
    'linux/arm/v7',
    'linux/arm64/v8',
    'windows(10.0.20348)/amd64',
    'windows(10.0.20348+win32k)/amd64',
    'windows(1%2B2%283%29%2F4%25)/amd64',
  ])('formats what it parses from %j back to the same text', (text) => {
    expect(formatPlatform(parsePlatform(text))).toBe(text);
  });
});

describe('platformKey', () => {
  test.each([
    ['linux/arm64', 'linux/arm64/v8'],
    ['linux/arm64', 'linux/aarch64'],
    ['linux/arm', 'linux/arm/v7'],
    ['linux/arm/7', 'linux/armhf'],
    ['linux/amd64', 'linux/x86_64'],
    ['linux/amd64', 'linux/amd64/v1'],
    ['linux/386', 'linux/i386'],
    ['darwin/arm64', 'macos/arm64'],
    ['windows(10.0.20348+win32k)/amd64', 'Windows(10.0.20348+win32k+win32k)/AMD64'],
  ])('gives %j and %j the same key', (a, b) => {
    expect(platformKey(parsePlatform(a))).toBe(platformKey(parsePlatform(b)));
  });

  test.each([
    ['linux/arm64', 'linux/arm64/v9'],
    ['linux/arm', 'linux/arm/v6'],
    ['linux/amd64', 'linux/amd64/v3'],
    ['linux/amd64', 'windows/amd64'],
    ['windows(10.0.17763)/amd64', 'windows(10.0.20348)/amd64'],
    ['windows(10.0.20348)/amd64', 'windows(10.0.20348+win32k)/amd64'],
  ])('gives %j and %j different keys', (a, b) => {
    expect(platformKey(parsePlatform(a))).not.toBe(platformKey(parsePlatform(b)));
  });
});

describe('comparePlatforms', () => {
  // Each list is in the documented order; shuffling and sorting must give it back. arm/v7, what a bare `linux/arm`
  // means, comes before arm/v6 and arm/v5.
  test.each([
    [['linux/amd64', 'linux/arm/v7', 'linux/arm/v6', 'linux/arm64', 'linux/ppc64le', 'linux/s390x', 'windows/amd64']],
    [['linux/arm/v7', 'linux/arm/v5', 'linux/arm/v6']],
    [['darwin/arm64', 'freebsd/amd64', 'linux/386']],
    [['linux/amd64', 'linux/amd64/v2', 'linux/amd64/v3']],
    [['linux/arm64', 'linux/arm64/v8.2', 'linux/arm64/v9']],
    [
      [
        'windows(10.0.26100)/amd64',
        'windows(10.0.20348.2322)/amd64',
        'windows(10.0.20348)/amd64',
        'windows(10.0.17763)/amd64',
        'windows(10.0.9999)/amd64',
        'windows/amd64',
      ],
    ],
    [['windows(10.0.20348)/amd64', 'windows(10.0.20348+a)/amd64', 'windows(10.0.20348+win32k)/amd64']],
    [['linux/arm', 'linux/arm/v7']],
    [['linux/arm64', 'linux/arm64/v8']],
  ])('orders %j', (ordered) => {
    const platforms = ordered.map(parsePlatform);
    for (const start of platforms.keys()) {
      const rotated = [...platforms.slice(start), ...platforms.slice(0, start)].reverse();
      expect(rotated.sort(comparePlatforms).map(formatPlatform)).toEqual(ordered);
    }
  });

  test('is zero only for platforms that are written the same', () => {
    expect(comparePlatforms(parsePlatform('linux/arm64'), parsePlatform('linux/arm64'))).toBe(0);
    expect(comparePlatforms(parsePlatform('linux/arm64'), parsePlatform('linux/arm64/v8'))).not.toBe(0);
  });

  test('is antisymmetric', () => {
    const [a, b] = [parsePlatform('windows(10.0.17763)/amd64'), parsePlatform('windows(10.0.20348)/amd64')];
    expect(Math.sign(comparePlatforms(a, b))).toBe(-Math.sign(comparePlatforms(b, a)));
    expect(comparePlatforms(b, a)).toBeLessThan(0);
  });
});
