import { confirmPlatform } from '../../../src/build-action/pushed.js';
import type { Platform } from '../../../src/oci/descriptor.js';
import { parsePlatform } from '../../../src/oci/platform.js';
import { userErrorFrom } from '../../support/thrown.js';

const platform = (text: string): Platform => parsePlatform(text);

describe('confirmPlatform: the record states the platform of the image config', () => {
  test.each<[string, string, Platform, Platform]>([
    [
      'arm64 asked, the config says arm64/v8: recorded as the config spells it',
      'linux/arm64',
      platform('linux/arm64/v8'),
      platform('linux/arm64/v8'),
    ],
    ['arm64/v8 asked, the config says arm64', 'linux/arm64/v8', platform('linux/arm64'), platform('linux/arm64')],
    ['arm/v7 asked, the config says arm with no variant', 'linux/arm/v7', platform('linux/arm'), platform('linux/arm')],
    [
      'Windows: os.version and os.features from the config',
      'windows(10.0.20348)/amd64',
      { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.2322', 'os.features': ['win32k'] },
      { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.2322', 'os.features': ['win32k'] },
    ],
  ])('%s', (_name, asked, config, recorded) => {
    expect(confirmPlatform(platform(asked), config, 'r@sha256:x')).toEqual(recorded);
  });

  test.each<[string, string, Platform, string]>([
    [
      'an image of another architecture',
      'linux/arm64',
      platform('linux/amd64'),
      'is linux/arm64, but the image pushed',
    ],
    ['an image of another variant', 'linux/arm/v6', platform('linux/arm/v7'), 'is linux/arm/v6, but the image pushed'],
    [
      'a Windows build the asked os.version is no prefix of',
      'windows(10.0.20348)/amd64',
      { os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763.1' },
      'asks for os.version 10.0.20348',
    ],
  ])('refuses %s, naming platform', (_name, asked, config, problem) => {
    const error = userErrorFrom(() => confirmPlatform(platform(asked), config, 'r@sha256:x'));
    expect(error.subject).toBe('platform');
    expect(error.problem).toContain(problem);
  });
});
