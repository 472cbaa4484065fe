import { parseMatrixInputs } from '../../../src/matrix-action/inputs.js';
import { planMatrix, type Matrix, type MatrixEntry } from '../../../src/matrix-action/matrix.js';
import { recordName, recordSetName } from '../../../src/records/naming.js';
import { parseBuildInputs } from '../../../src/build-action/inputs.js';
import { userErrorFrom } from '../../support/thrown.js';

function plan(inputs: Record<string, string>): Matrix {
  return planMatrix(parseMatrixInputs((name) => inputs[name] ?? ''));
}

function runnersOf(inputs: Record<string, string>): Record<string, MatrixEntry['runs-on']> {
  return Object.fromEntries(plan(inputs).include.map((entry) => [entry.platform, entry['runs-on']]));
}

describe('planMatrix: the default runners', () => {
  test.each([
    ['linux/amd64', 'ubuntu-latest'],
    ['linux/amd64/v3', 'ubuntu-latest'],
    ['linux/386', 'ubuntu-latest'],
    ['linux/arm64', 'ubuntu-24.04-arm'],
    ['linux/arm/v7', 'ubuntu-24.04-arm'],
    ['linux/arm/v6', 'ubuntu-24.04-arm'],
    ['linux/arm/v5', 'ubuntu-24.04-arm'],
    ['windows/amd64', 'windows-latest'],
    ['windows(10.0.20348)/amd64', 'windows-latest'],
    ['windows/arm64', 'windows-latest'],
  ])('builds %s natively on %s', (platform, runner) => {
    expect(plan({ platforms: platform }).include).toEqual([
      expect.objectContaining({ 'runs-on': runner, emulated: false }),
    ]);
  });

  test('the example from the issue: one entry per platform, in the order given', () => {
    expect(plan({ platforms: 'linux/amd64,linux/arm64,linux/arm/v7,windows/amd64' })).toEqual({
      include: [
        { platform: 'linux/amd64', pair: 'linux-amd64', 'runs-on': 'ubuntu-latest', emulated: false },
        { platform: 'linux/arm64', pair: 'linux-arm64', 'runs-on': 'ubuntu-24.04-arm', emulated: false },
        { platform: 'linux/arm/v7', pair: 'linux-arm-v7', 'runs-on': 'ubuntu-24.04-arm', emulated: false },
        { platform: 'windows/amd64', pair: 'windows-amd64', 'runs-on': 'windows-latest', emulated: false },
      ],
    });
  });
});

describe('planMatrix: the default runners on GitHub Enterprise Server, which has no GitHub-hosted runners', () => {
  const selfHosted = (platforms: string, extra: Record<string, string> = {}) =>
    planMatrix(
      parseMatrixInputs((name) => ({ platforms, ...extra })[name] ?? ''),
      'self-hosted',
    ).include;

  test.each<[string, string[]]>([
    ['linux/amd64', ['self-hosted', 'linux', 'x64']],
    ['linux/386', ['self-hosted', 'linux', 'x64']],
    ['linux/arm64', ['self-hosted', 'linux', 'ARM64']],
    ['linux/arm/v7', ['self-hosted', 'linux', 'ARM']],
    ['linux/arm/v6', ['self-hosted', 'linux', 'ARM']],
    ['windows/amd64', ['self-hosted', 'windows', 'x64']],
    ['windows/arm64', ['self-hosted', 'windows', 'ARM64']],
  ])(
    'builds %s on the runners labelled %j, the labels actions/runner gives a self-hosted runner',
    (platform, labels) => {
      expect(selfHosted(platform)).toEqual([expect.objectContaining({ 'runs-on': labels, emulated: false })]);
    },
  );

  test('the rules in runners still come first, and emulation goes to the linux/amd64 runner', () => {
    expect(selfHosted('linux/arm64,linux/s390x', { runners: 'linux/arm64=arm-pool', emulate: 'true' })).toEqual([
      expect.objectContaining({ platform: 'linux/arm64', 'runs-on': 'arm-pool', emulated: false }),
      expect.objectContaining({ platform: 'linux/s390x', 'runs-on': ['self-hosted', 'linux', 'x64'], emulated: true }),
    ]);
  });
});

describe('planMatrix: platform normalisation', () => {
  test.each([
    ['linux/aarch64', 'linux/arm64', 'linux-arm64'],
    ['linux/arm64/v8', 'linux/arm64', 'linux-arm64'],
    ['linux/arm', 'linux/arm/v7', 'linux-arm-v7'],
    ['linux/armhf', 'linux/arm/v7', 'linux-arm-v7'],
    ['linux/armel', 'linux/arm/v6', 'linux-arm-v6'],
    ['linux/arm/6', 'linux/arm/v6', 'linux-arm-v6'],
    ['linux/x86_64', 'linux/amd64', 'linux-amd64'],
    ['linux/i386', 'linux/386', 'linux-386'],
    ['Linux/AMD64', 'linux/amd64', 'linux-amd64'],
    ['windows(10.0.20348)/amd64', 'windows(10.0.20348)/amd64', 'windows-amd64-10.0.20348'],
  ])('writes %s as %s, pair %s', (written, platform, pair) => {
    expect(plan({ platforms: written }).include).toEqual([expect.objectContaining({ platform, pair })]);
  });

  test.each(['linux/arm/v7', 'linux/arm64', 'windows(10.0.20348)/amd64', 'linux/amd64/v2', 'linux/aarch64'])(
    'gives %s the pair the build action names its record with',
    (platform) => {
      const [entry] = plan({ platforms: platform }).include;
      // The build job gets the entry's platform as its `platform` input, and names its record for it.
      const buildInputs = parseBuildInputs(
        (name) => ({ images: 'ghcr.io/o/app', platform: entry?.platform ?? '' })[name] ?? '',
      );
      const name = recordName(['ghcr.io/o/app'], buildInputs.platform);
      expect(name).toBe(`${recordSetName(['ghcr.io/o/app'])}-${entry?.pair}`);
    },
  );

  test('refuses two platforms whose records would share one name', () => {
    const error = userErrorFrom(() =>
      plan({ platforms: 'windows(10.0.20348)/amd64,windows(10.0.20348+win32k)/amd64' }),
    );
    expect(error.message).toBe(
      'platforms: "windows(10.0.20348)/amd64" and "windows(10.0.20348+win32k)/amd64" would share the record name "windows-amd64-10.0.20348" (os features, and characters outside [a-z0-9._-], are not part of it). Build them in separate workflows, or list one of them.',
    );
  });
});

describe('planMatrix: runners rules', () => {
  const platforms = 'linux/amd64,linux/386,linux/arm64,linux/arm/v6,linux/arm/v7,windows/amd64';

  test.each<[string, string, Record<string, MatrixEntry['runs-on']>]>([
    [
      'a rule for one platform leaves the others on the defaults',
      'linux/arm64=my-arm',
      {
        'linux/amd64': 'ubuntu-latest',
        'linux/386': 'ubuntu-latest',
        'linux/arm64': 'my-arm',
        'linux/arm/v6': 'ubuntu-24.04-arm',
        'linux/arm/v7': 'ubuntu-24.04-arm',
        'windows/amd64': 'windows-latest',
      },
    ],
    [
      'linux/arm covers every 32-bit arm variant but not arm64',
      'linux/arm=pi',
      {
        'linux/amd64': 'ubuntu-latest',
        'linux/386': 'ubuntu-latest',
        'linux/arm64': 'ubuntu-24.04-arm',
        'linux/arm/v6': 'pi',
        'linux/arm/v7': 'pi',
        'windows/amd64': 'windows-latest',
      },
    ],
    [
      'the longest matching prefix wins',
      'linux=big\nlinux/arm=pi\nlinux/arm/v6=pi-zero',
      {
        'linux/amd64': 'big',
        'linux/386': 'big',
        'linux/arm64': 'big',
        'linux/arm/v6': 'pi-zero',
        'linux/arm/v7': 'pi',
        'windows/amd64': 'windows-latest',
      },
    ],
    [
      'the order of the rules does not matter',
      'linux/arm/v6=pi-zero\nlinux/arm=pi\nlinux=big',
      {
        'linux/amd64': 'big',
        'linux/386': 'big',
        'linux/arm64': 'big',
        'linux/arm/v6': 'pi-zero',
        'linux/arm/v7': 'pi',
        'windows/amd64': 'windows-latest',
      },
    ],
    [
      'an alias in a rule matches the normalised platform',
      'linux/aarch64=graviton\nlinux/armhf=pi\nwindows=windows-2022',
      {
        'linux/amd64': 'ubuntu-latest',
        'linux/386': 'ubuntu-latest',
        'linux/arm64': 'graviton',
        'linux/arm/v6': 'ubuntu-24.04-arm',
        'linux/arm/v7': 'pi',
        'windows/amd64': 'windows-2022',
      },
    ],
    [
      'self-hosted label arrays pass through as arrays',
      'linux/arm=["self-hosted","linux","arm"]',
      {
        'linux/amd64': 'ubuntu-latest',
        'linux/386': 'ubuntu-latest',
        'linux/arm64': 'ubuntu-24.04-arm',
        'linux/arm/v6': ['self-hosted', 'linux', 'arm'],
        'linux/arm/v7': ['self-hosted', 'linux', 'arm'],
        'windows/amd64': 'windows-latest',
      },
    ],
  ])('%s', (_, runners, expected) => {
    expect(runnersOf({ platforms, runners })).toEqual(expected);
  });

  test('a rule names a runner that builds natively: its platforms are not emulated', () => {
    expect(plan({ platforms: 'linux/s390x', runners: 'linux/s390x=["self-hosted","s390x"]' }).include).toEqual([
      { platform: 'linux/s390x', pair: 'linux-s390x', 'runs-on': ['self-hosted', 's390x'], emulated: false },
    ]);
  });

  test('a rule for another os gives it a runner', () => {
    expect(runnersOf({ platforms: 'freebsd/amd64,darwin/arm64', runners: 'freebsd=bsd\nmacos/arm64=mac' })).toEqual({
      'freebsd/amd64': 'bsd',
      'darwin/arm64': 'mac',
    });
  });
});

describe('planMatrix: platforms without a native runner', () => {
  test.each([
    [
      'linux/s390x',
      'platforms: linux/s390x has no native runner (the default runners build linux/amd64, linux/386, linux/arm64, linux/arm/* and windows/*). Add a `runners` rule for it, e.g. `linux/s390x=["self-hosted","s390x"]`, or set `emulate: true` to build it with QEMU on `ubuntu-latest`.',
    ],
    [
      'linux/amd64,linux/ppc64le,linux/riscv64,linux/mips64le',
      'platforms: linux/ppc64le, linux/riscv64, linux/mips64le have no native runner (the default runners build linux/amd64, linux/386, linux/arm64, linux/arm/* and windows/*). Add a `runners` rule for them, e.g. `linux/ppc64le=["self-hosted","ppc64le"]`, or set `emulate: true` to build them with QEMU on `ubuntu-latest`.',
    ],
    [
      'freebsd/amd64,linux/s390x',
      'platforms: freebsd/amd64, linux/s390x have no native runner (the default runners build linux/amd64, linux/386, linux/arm64, linux/arm/* and windows/*). Add a `runners` rule for them, e.g. `freebsd/amd64=["self-hosted","amd64"]`.',
    ],
  ])('fails %s, listing every one of them at once, unless emulate is set', (platforms, message) => {
    expect(userErrorFrom(() => plan({ platforms })).message).toBe(message);
  });

  test('with emulate, builds them under QEMU on ubuntu-latest and marks only them emulated', () => {
    expect(plan({ platforms: 'linux/arm64,linux/s390x,linux/ppc64le', emulate: 'true' }).include).toEqual([
      { platform: 'linux/arm64', pair: 'linux-arm64', 'runs-on': 'ubuntu-24.04-arm', emulated: false },
      { platform: 'linux/s390x', pair: 'linux-s390x', 'runs-on': 'ubuntu-latest', emulated: true },
      { platform: 'linux/ppc64le', pair: 'linux-ppc64le', 'runs-on': 'ubuntu-latest', emulated: true },
    ]);
  });

  test.each<[string, MatrixEntry['runs-on']]>([
    ['linux/amd64=["self-hosted","x64"]', ['self-hosted', 'x64']],
    ['linux=big', 'big'],
    ['linux/arm64=my-arm', 'ubuntu-latest'],
  ])('with emulate and the rule %j, uses the linux/amd64 runner %j', (runners, runsOn) => {
    const [entry] = plan({ platforms: 'linux/riscv64', emulate: 'true', runners }).include;
    expect(entry?.['runs-on']).toEqual(runsOn);
  });

  test('a rule wins over emulate', () => {
    const [entry] = plan({ platforms: 'linux/riscv64', emulate: 'true', runners: 'linux/riscv64=rv' }).include;
    expect(entry).toEqual(expect.objectContaining({ 'runs-on': 'rv', emulated: false }));
  });

  test('emulate cannot build another os: QEMU emulates Linux only', () => {
    const error = userErrorFrom(() => plan({ platforms: 'linux/s390x,freebsd/amd64', emulate: 'true' }));
    expect(error.message).toBe(
      'platforms: freebsd/amd64 has no native runner, and `emulate` cannot help: QEMU emulates Linux only. Add a `runners` rule for it, e.g. `freebsd/amd64=["self-hosted","amd64"]`.',
    );
  });

  test('has no limit on the number of platforms', () => {
    const platforms = ['linux/amd64', 'linux/386', 'linux/arm64', 'linux/arm/v5', 'linux/arm/v6', 'linux/arm/v7'];
    const emulated = [
      'linux/ppc64le',
      'linux/s390x',
      'linux/riscv64',
      'linux/mips64le',
      'linux/loong64',
      'linux/mips64',
    ];
    const matrix = plan({ platforms: [...platforms, ...emulated, 'windows/amd64'].join('\n'), emulate: 'true' });
    expect(matrix.include.map((entry) => entry.platform)).toEqual([...platforms, ...emulated, 'windows/amd64']);
    expect(matrix.include.filter((entry) => entry.emulated).map((entry) => entry.platform)).toEqual(emulated);
  });
});
