import { jest } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main, ReleaseRefused, releaseNotes, versionOfTag } from '../../../scripts/release-notes.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const changelog = [
  '# Changelog',
  '',
  '## [Unreleased]',
  '',
  '- Not released yet.',
  '',
  '## [1.10.0] - 2027-02-01',
  '',
  '### Added',
  '',
  '- The tenth minor.',
  '',
  '## [1.1.0] - 2027-01-15',
  '',
  '### Fixed',
  '',
  '- A bug [#12](https://example.test/12).',
  '',
  '## [1.0.0] - 2026-12-03',
  '',
  'The first release.',
  '',
  '[unreleased]: https://example.test/compare/v1.10.0...HEAD',
  '[1.0.0]: https://example.test/releases/tag/v1.0.0',
  '',
].join('\n');

function refusal(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    if (error instanceof ReleaseRefused) return error.message;
    throw error;
  }
  throw new Error('expected a ReleaseRefused');
}

describe('versionOfTag', () => {
  test('v + package.json’s version is that version', () => {
    expect(versionOfTag('v1.2.3', '1.2.3')).toBe('1.2.3');
  });

  test.each([
    ['v1.2.4', '1.2.3', 'v1.2.4 disagrees with package.json, whose version is 1.2.3'],
    ['v1.2', '1.2.0', 'v1.2 is not a release tag'],
    ['1.2.3', '1.2.3', '1.2.3 is not a release tag'],
    ['v1.2.3-rc.1', '1.2.3-rc.1', 'v1.2.3-rc.1 is not a release tag'],
    ['v1', '1.0.0', 'v1 is not a release tag'],
  ])('refuses %s when package.json says %s', (tag, packageVersion, message) => {
    expect(refusal(() => versionOfTag(tag, packageVersion))).toContain(message);
  });
});

describe('releaseNotes', () => {
  test('is the section of the version, without its heading and without the next section', () => {
    expect(releaseNotes(changelog, '1.1.0')).toBe('### Fixed\n\n- A bug [#12](https://example.test/12).');
  });

  test('tells 1.1.0 from 1.10.0', () => {
    expect(releaseNotes(changelog, '1.10.0')).toBe('### Added\n\n- The tenth minor.');
  });

  test('leaves out the link definitions that end the file', () => {
    expect(releaseNotes(changelog, '1.0.0')).toBe('The first release.');
  });

  test.each([
    ['2.0.0', 'CHANGELOG.md has no section ## [2.0.0] - YYYY-MM-DD'],
    ['1.0', 'CHANGELOG.md has no section ## [1.0]'],
  ])('refuses %s, which has no section', (version, message) => {
    expect(refusal(() => releaseNotes(changelog, version))).toContain(message);
  });

  test('refuses a section without a date, and an empty one', () => {
    const undated = changelog.replace('## [1.1.0] - 2027-01-15', '## [1.1.0]');
    expect(refusal(() => releaseNotes(undated, '1.1.0'))).toContain('the section of 1.1.0 has no date');
    const empty = '## [3.0.0] - 2028-01-01\n\n## [2.0.0] - 2027-06-01\n\n- Something.\n';
    expect(refusal(() => releaseNotes(empty, '3.0.0'))).toContain('the section of 3.0.0 is empty');
  });
});

describe('release-notes.ts main', () => {
  let output: string[];
  let errors: string[];

  beforeEach(() => {
    output = [];
    errors = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => output.push(String(chunk)) > 0);
    jest.spyOn(console, 'error').mockImplementation((message) => void errors.push(String(message)));
  });

  afterEach(() => jest.restoreAllMocks());

  test('releases this repository’s version with its CHANGELOG.md section as the notes', async () => {
    const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(await main([`v${version}`], root)).toBe(0);
    expect(errors).toEqual([]);
    expect(output.join('')).toBe(`${releaseNotes(await readFile(join(root, 'CHANGELOG.md'), 'utf8'), version)}\n`);
    expect(output.join('')).toContain('### Added');
  });

  test('refuses a tag that disagrees with package.json, printing why and no notes', async () => {
    const work = await mkdtemp(join(tmpdir(), 'release-notes-'));
    try {
      await writeFile(join(work, 'package.json'), JSON.stringify({ version: '1.1.0' }));
      await writeFile(join(work, 'CHANGELOG.md'), changelog);
      expect(await main(['v1.10.0'], work)).toBe(1);
      expect(await main([], work)).toBe(1);
      expect(await main(['v1.1.0'], work)).toBe(0);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
    expect(errors).toEqual([
      'release refused: v1.10.0 disagrees with package.json, whose version is 1.1.0: set the version and tag the same commit',
      'release refused: name the tag to release: release-notes.ts vX.Y.Z',
    ]);
    expect(output).toEqual(['### Fixed\n\n- A bug [#12](https://example.test/12).\n']);
  });
});
