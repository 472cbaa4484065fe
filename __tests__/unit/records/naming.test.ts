import { createHash } from 'node:crypto';
import type { Platform } from '../../../src/oci/descriptor.js';
import { isAnyRecordName, isRecordOf, platformPair, recordName, recordSetName } from '../../../src/records/naming.js';
import { userErrorFrom } from '../../support/thrown.js';

// @actions/artifact's validateArtifactName refuses these (upload/path-and-artifact-name-validation.js).
const forbiddenInArtifactNames = ['"', ':', '<', '>', '|', '*', '?', '\r', '\n', '\\', '/'];

const linuxAmd64: Platform = { os: 'linux', architecture: 'amd64' };

describe('recordSetName', () => {
  test('is the first 16 hex digits of sha256 over the sorted canonical repositories, one a line', () => {
    const expected = createHash('sha256').update('docker.io/o/app\nghcr.io/o/app').digest('hex').slice(0, 16);
    expect(recordSetName(['ghcr.io/o/app', 'docker.io/o/app'])).toBe(`multiarch-publish-${expected}`);
  });

  test.each([
    ['order', ['ghcr.io/o/app', 'docker.io/o/app'], ['docker.io/o/app', 'ghcr.io/o/app']],
    ['Docker Hub spelling', ['ubuntu'], ['docker.io/library/ubuntu']],
    ['index.docker.io', ['index.docker.io/o/app'], ['docker.io/o/app']],
    ['registry case', ['GHCR.IO/o/app'], ['ghcr.io/o/app']],
    ['duplicates', ['ghcr.io/o/app', 'ghcr.io/o/app'], ['ghcr.io/o/app']],
    ['duplicates by spelling', ['o/app', 'docker.io/o/app', 'quay.io/o/app'], ['quay.io/o/app', 'docker.io/o/app']],
  ])('does not depend on %s', (_name, a, b) => {
    expect(recordSetName(a)).toBe(recordSetName(b));
  });

  test.each([
    ['another repository', ['ghcr.io/o/app'], ['ghcr.io/o/api']],
    ['another registry', ['ghcr.io/o/app'], ['quay.io/o/app']],
    ['one more repository', ['ghcr.io/o/app'], ['ghcr.io/o/app', 'docker.io/o/app']],
    ['a repository that extends another', ['ghcr.io/o/app'], ['ghcr.io/o/app-debug']],
  ])('differs for %s', (_name, a, b) => {
    expect(recordSetName(a)).not.toBe(recordSetName(b));
  });

  test('names the images input when an image is not a repository', () => {
    const error = userErrorFrom(() => recordSetName(['ghcr.io/o/app:latest']));
    expect(error.subject).toBe('images');
    expect(error.problem).toContain('"ghcr.io/o/app:latest"');
  });
});

describe('platformPair', () => {
  test.each<[Platform, string]>([
    [linuxAmd64, 'linux-amd64'],
    [{ os: 'linux', architecture: 'arm64' }, 'linux-arm64'],
    [{ os: 'linux', architecture: 'arm', variant: 'v7' }, 'linux-arm-v7'],
    [{ os: 'linux', architecture: 'arm64', variant: 'v8' }, 'linux-arm64-v8'],
    [{ os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.2340' }, 'windows-amd64-10.0.20348.2340'],
    [
      { os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763', 'os.features': ['win32k'] },
      'windows-amd64-10.0.17763',
    ],
    [{ os: 'Linux', architecture: 'AMD64' }, 'linux-amd64'],
    [{ os: 'linux', architecture: 'amd64', variant: '' }, 'linux-amd64'],
    [{ os: 'weird os', architecture: 'a/b:c', variant: 'v*7' }, 'weird-os-a-b-c-v-7'],
    [{ os: 'windows', architecture: 'amd64', 'os.version': '10..0' }, 'windows-amd64-10.0'],
  ])('writes %j as %j', (platform, expected) => {
    expect(platformPair(platform)).toBe(expected);
  });
});

describe('recordName', () => {
  const images = ['ghcr.io/o/app', 'docker.io/o/app'];

  test('is the set name and the platform pair', () => {
    expect(recordName(images, { os: 'linux', architecture: 'arm', variant: 'v7' })).toBe(
      `${recordSetName(images)}-linux-arm-v7`,
    );
  });

  test.each<Platform>([
    linuxAmd64,
    { os: 'linux', architecture: 'arm', variant: 'v7' },
    { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.2340' },
    { os: 'we"ird', architecture: 'x:y<z>|*?\r\n\\/' },
  ])('is a valid, lower-case artifact name for %j', (platform) => {
    const name = recordName(['ubuntu', 'GHCR.IO/o/app'], platform);
    expect(forbiddenInArtifactNames.filter((character) => name.includes(character))).toEqual([]);
    expect(name).toBe(name.toLowerCase());
    expect(name).toMatch(/^[a-z0-9._-]+$/);
    expect(name).not.toContain('..');
  });

  test('gives two image sets built in one workflow different names for the same platform', () => {
    expect(recordName(['ghcr.io/o/app'], linuxAmd64)).not.toBe(recordName(['ghcr.io/o/api'], linuxAmd64));
  });
});

describe('isRecordOf', () => {
  const app = ['ghcr.io/o/app'];

  test.each([
    [recordName(app, linuxAmd64), true],
    [recordName(['ghcr.io/o/app', 'ghcr.io/o/app'], { os: 'linux', architecture: 'arm64' }), true],
    [recordName(['ghcr.io/o/api'], linuxAmd64), false],
    [recordName(['ghcr.io/o/app', 'docker.io/o/app'], linuxAmd64), false],
    [recordSetName(app), false],
    [`${recordSetName(app)}0-linux-amd64`, false],
    ['multiarch-publish-linux-amd64', false],
    ['digests-linux-amd64', false],
  ])('%j is a record of ghcr.io/o/app: %s', (name, expected) => {
    expect(isRecordOf(name, app)).toBe(expected);
  });

  test('never takes the records of one image set for another, among many sets', () => {
    const sets = Array.from({ length: 200 }, (_, i) => [`ghcr.io/o/app${i}`]);
    const names = sets.map((images) => recordName(images, linuxAmd64));
    const matches = sets.map((images) => names.filter((name) => isRecordOf(name, images)).length);
    expect(matches).toEqual(sets.map(() => 1));
  });
});

describe('isAnyRecordName', () => {
  test.each([
    [recordName(['ghcr.io/o/app'], linuxAmd64), true],
    ['multiarch-publish-0123456789abcdef-linux-amd64', true],
    ['digests-linux-amd64', false],
    ['my-multiarch-publish-x', false],
  ])('%j: %s', (name, expected) => {
    expect(isAnyRecordName(name)).toBe(expected);
  });
});
