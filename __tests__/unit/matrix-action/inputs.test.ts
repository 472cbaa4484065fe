import { parseMatrixInputs, type MatrixInputs } from '../../../src/matrix-action/inputs.js';
import { userErrorFrom } from '../../support/thrown.js';

function parse(inputs: Record<string, string>): MatrixInputs {
  return parseMatrixInputs((name) => inputs[name] ?? '');
}

describe('parseMatrixInputs: platforms', () => {
  test.each([
    ['a comma-separated list, in the order given', 'linux/arm64,linux/amd64', ['linux/arm64', 'linux/amd64']],
    ['one platform a line, with blank lines', '\nlinux/amd64\n\n  linux/arm/v7  \n', ['linux/amd64', 'linux/arm/v7']],
    ['upper case, lower-cased', 'Linux/AMD64', ['linux/amd64']],
    ['aliases, kept as written', 'linux/aarch64,linux/x86_64', ['linux/aarch64', 'linux/x86_64']],
    ['a Windows version', 'windows(10.0.20348)/amd64', ['windows/amd64']],
  ])('reads %s', (_, platforms, expected) => {
    const parsed = parse({ platforms }).platforms;
    expect(
      parsed.map(
        (platform) => `${platform.os}/${platform.architecture}${platform.variant ? `/${platform.variant}` : ''}`,
      ),
    ).toEqual(expected);
  });

  test('keeps the os version of a Windows platform', () => {
    expect(parse({ platforms: 'windows(10.0.20348)/amd64' }).platforms).toEqual([
      { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348' },
    ]);
  });

  test.each([
    ['', 'platforms: is required but is empty. Set `platforms`'],
    ['  \n ', 'platforms: is required but is empty.'],
    [' , ,', 'platforms: lists no platform: " , ,". List the platforms'],
    ['linux', 'platforms: invalid platform "linux": expected os/architecture[/variant]'],
    ['linux/amd64/v2/x', 'platforms: invalid platform "linux/amd64/v2/x": expected os/architecture[/variant]'],
    ['linux/', 'platforms: invalid platform "linux/": expected os/architecture[/variant]'],
    ['linux/arm 64', 'platforms: invalid platform "linux/arm 64": "arm 64" has characters outside [a-z0-9_.-]'],
    ['linux/amd46', 'platforms: unknown architecture "amd46" in platform "linux/amd46"'],
    ['lnux/amd64', 'platforms: unknown operating system "lnux" in platform "lnux/amd64"'],
  ])('rejects %j naming the input and quoting the value', (platforms, message) => {
    const error = userErrorFrom(() => parse({ platforms }));
    expect(error.subject).toBe('platforms');
    expect(error.message.startsWith(message)).toBe(true);
  });

  test('a malformed platform gets the platform syntax as its fix', () => {
    expect(userErrorFrom(() => parse({ platforms: 'linux' })).fix).toBe(
      'Write a platform as os/architecture[/variant], e.g. linux/amd64 or linux/arm/v7.',
    );
  });

  test.each([
    ['linux/amd64,linux/amd64', '"linux/amd64" is the same platform as "linux/amd64".'],
    ['linux/arm64\nlinux/aarch64', '"linux/aarch64" is the same platform as "linux/arm64".'],
    ['linux/arm,linux/arm/v7', '"linux/arm/v7" is the same platform as "linux/arm".'],
    ['linux/arm64/v8,linux/arm64', '"linux/arm64" is the same platform as "linux/arm64/v8".'],
    ['linux/amd64,Linux/AMD64', '"Linux/AMD64" is the same platform as "linux/amd64".'],
  ])('rejects %j: one platform listed twice, however spelled', (platforms, problem) => {
    const error = userErrorFrom(() => parse({ platforms }));
    expect(error.message).toBe(`platforms: ${problem} List it once.`);
  });

  test('accepts any number of platforms', () => {
    const platforms = ['linux/amd64', 'linux/386', 'linux/arm64', 'linux/arm/v6', 'linux/arm/v7', 'linux/ppc64le'];
    const many = [...platforms, 'linux/s390x', 'linux/riscv64', 'linux/mips64le', 'linux/loong64', 'windows/amd64'];
    expect(parse({ platforms: many.join(',') }).platforms).toHaveLength(many.length);
  });
});

describe('parseMatrixInputs: runners', () => {
  const platforms = 'linux/amd64';

  test.each([
    ['linux/arm64=my-arm', [{ prefix: ['linux', 'arm64'], 'runs-on': 'my-arm' }]],
    ['  linux/arm64 =  my-arm  ', [{ prefix: ['linux', 'arm64'], 'runs-on': 'my-arm' }]],
    ['windows=windows-2022', [{ prefix: ['windows'], 'runs-on': 'windows-2022' }]],
    ['Linux=big', [{ prefix: ['linux'], 'runs-on': 'big' }]],
    ['macos=mac-builder', [{ prefix: ['darwin'], 'runs-on': 'mac-builder' }]],
    ['linux/arm=pi', [{ prefix: ['linux', 'arm'], 'runs-on': 'pi' }]],
    ['linux/arm/7=pi', [{ prefix: ['linux', 'arm', 'v7'], 'runs-on': 'pi' }]],
    ['linux/armhf=pi', [{ prefix: ['linux', 'arm', 'v7'], 'runs-on': 'pi' }]],
    ['linux/armel=pi', [{ prefix: ['linux', 'arm', 'v6'], 'runs-on': 'pi' }]],
    ['linux/aarch64=graviton', [{ prefix: ['linux', 'arm64'], 'runs-on': 'graviton' }]],
    ['linux/arm64/v8=graviton', [{ prefix: ['linux', 'arm64'], 'runs-on': 'graviton' }]],
    ['linux/x86_64=big', [{ prefix: ['linux', 'amd64'], 'runs-on': 'big' }]],
    ['linux/amd64/v3=big', [{ prefix: ['linux', 'amd64', 'v3'], 'runs-on': 'big' }]],
    ['linux/i386=big', [{ prefix: ['linux', '386'], 'runs-on': 'big' }]],
    ['linux/s390x=["self-hosted", "s390x"]', [{ prefix: ['linux', 's390x'], 'runs-on': ['self-hosted', 's390x'] }]],
    ['linux/s390x=[" self-hosted "]', [{ prefix: ['linux', 's390x'], 'runs-on': ['self-hosted'] }]],
    [
      'linux/arm64=a\r\n\r\nwindows=b\n',
      [
        { prefix: ['linux', 'arm64'], 'runs-on': 'a' },
        { prefix: ['windows'], 'runs-on': 'b' },
      ],
    ],
  ])('reads %j', (runners, expected) => {
    expect(parse({ platforms, runners }).runners).toEqual(expected);
  });

  test('is empty when unset', () => {
    expect(parse({ platforms }).runners).toEqual([]);
  });

  test.each([
    ['linux/arm64', '"linux/arm64" has no "=".'],
    ['linux/arm64=', '"linux/arm64=" has no runner label after "=".'],
    ['=my-runner', '"=my-runner" has no platform before "=".'],
    ['linux/=my-runner', 'invalid platform "linux/": expected os/architecture[/variant]'],
    ['linux/arm/v7/x=pi', 'invalid platform "linux/arm/v7/x": expected os/architecture[/variant]'],
    ['linux/arm46=pi', 'unknown architecture "arm46" in platform "linux/arm46"'],
    ['lnux=big', '"lnux=big" starts with "lnux", which is not an operating system.'],
    ['*=big', '"*=big" starts with "*", which is not an operating system.'],
    ['windows(10.0)=w', 'invalid platform "windows(10.0)": expected os/architecture[/variant]'],
    [
      'windows(10.0.20348)/amd64=w',
      '"windows(10.0.20348)/amd64=w" names an os version or feature, but rules match only os/architecture/variant.',
    ],
    ['linux/arm64=[self-hosted]', '"linux/arm64=[self-hosted]" has labels that are not valid JSON'],
    ['linux/arm64=[]', '"linux/arm64=[]" needs a JSON array of non-empty label strings.'],
    ['linux/arm64=["self-hosted",""]', 'needs a JSON array of non-empty label strings.'],
    ['linux/arm64=["self-hosted",64]', 'needs a JSON array of non-empty label strings.'],
  ])('rejects %j naming the input and quoting the rule', (runners, problem) => {
    const error = userErrorFrom(() => parse({ platforms, runners }));
    expect(error.subject).toBe('runners');
    expect(error.message).toContain(problem);
  });

  test.each([
    ['linux/arm64=self-hosted,arm64', '`linux/arm64=["self-hosted","arm64"]`'],
    ['linux/arm64=self-hosted arm64', '`linux/arm64=["self-hosted","arm64"]`'],
    ['linux/arm64="self-hosted", "arm64"', '`linux/arm64=["self-hosted","arm64"]`'],
  ])('rejects several labels written %j, and shows them as a JSON array', (runners, suggestion) => {
    const error = userErrorFrom(() => parse({ platforms, runners }));
    expect(error.problem).toBe(`${JSON.stringify(runners)} has a label with a comma, quote or space in it.`);
    expect(error.fix).toBe(`Write several labels as a JSON array: ${suggestion}.`);
  });

  test.each([
    ['linux/arm64=a\nlinux/arm64=b', '"linux/arm64=b" is for the same platforms as "linux/arm64=a".'],
    ['linux/arm64=a\nlinux/aarch64=b', '"linux/aarch64=b" is for the same platforms as "linux/arm64=a".'],
    ['linux/armhf=a\nlinux/arm/v7=b', '"linux/arm/v7=b" is for the same platforms as "linux/armhf=a".'],
    ['macos=a\ndarwin=b', '"darwin=b" is for the same platforms as "macos=a".'],
  ])('rejects %j: two rules for the same prefix', (runners, problem) => {
    expect(userErrorFrom(() => parse({ platforms, runners })).message).toBe(`runners: ${problem} Keep one.`);
  });

  test('keeps linux/arm and linux/arm/v7 apart: a rule for every variant and one for v7', () => {
    expect(parse({ platforms, runners: 'linux/arm=a\nlinux/arm/v7=b' }).runners).toHaveLength(2);
  });
});

describe('parseMatrixInputs: emulate', () => {
  test.each([
    ['', false],
    ['false', false],
    ['true', true],
    ['True', true],
  ])('reads %j as %s', (emulate, expected) => {
    expect(parse({ platforms: 'linux/amd64', emulate }).emulate).toBe(expected);
  });

  test('rejects a value that is not a boolean', () => {
    expect(userErrorFrom(() => parse({ platforms: 'linux/amd64', emulate: 'yes' })).message).toBe(
      'emulate: "yes" is not a boolean. Use true or false.',
    );
  });
});
