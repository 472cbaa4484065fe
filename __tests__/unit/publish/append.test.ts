import { appendToExisting, type ExistingTag } from '../../../src/publish/append.js';
import { userErrorFrom } from '../../support/thrown.js';
import type { Child } from '../../../src/publish/types.js';

const digest = (character: string) => `sha256:${character.repeat(64)}`;
const manifest = 'application/vnd.oci.image.manifest.v1+json';
const amd64 = { os: 'linux', architecture: 'amd64' };
const arm64 = { os: 'linux', architecture: 'arm64' };

function image(character: string, platform: typeof amd64): Child {
  return {
    descriptor: { mediaType: manifest, digest: digest(character), size: 10, platform },
    kind: 'image',
    sources: ['record'],
    foundIn: ['ghcr.io/o/app'],
  };
}

function attestationOf(character: string, described: string) {
  return {
    mediaType: manifest,
    digest: digest(character),
    size: 5,
    platform: { os: 'unknown', architecture: 'unknown' },
    annotations: {
      'vnd.docker.reference.type': 'attestation-manifest',
      'vnd.docker.reference.digest': digest(described),
    },
  };
}

function tag(reference: string, entries: ExistingTag['entries']): ExistingTag {
  return { reference, repository: reference.split(':')[0] ?? '', entries };
}

const held = (character: string, platform: typeof amd64) => image(character, platform).descriptor;

describe('appendToExisting', () => {
  test('keeps what a tag holds for other platforms, remembering where it can be copied from', () => {
    const children = appendToExisting([image('a', amd64)], [tag('ghcr.io/o/app:1', [held('b', arm64)])]);
    expect(children.map((child) => [child.descriptor.digest, child.kind, child.foundIn])).toEqual([
      [digest('a'), 'image', ['ghcr.io/o/app']],
      [digest('b'), 'image', ['ghcr.io/o/app']],
    ]);
    expect(children[1]?.sources).toEqual(['ghcr.io/o/app:1']);
  });

  test('replaces the platform a record has, and the replaced image’s attestation goes with it', () => {
    const existing = [
      tag('ghcr.io/o/app:1', [held('b', amd64), attestationOf('c', 'b'), held('d', arm64), attestationOf('e', 'd')]),
    ];
    const children = appendToExisting([image('a', amd64)], existing);
    expect(children.map((child) => child.descriptor.digest)).toEqual([digest('a'), digest('d'), digest('e')]);
  });

  test('replaces a Windows image of the same build with its next patch, and keeps another build', () => {
    const patch = (version: string) => ({ os: 'windows', architecture: 'amd64', 'os.version': version });
    const existing = [
      tag('ghcr.io/o/app:1', [held('b', patch('10.0.20348.2227')), held('c', patch('10.0.17763.5000'))]),
    ];
    const children = appendToExisting([image('a', patch('10.0.20348.2340'))], existing);
    expect(children.map((child) => child.descriptor.digest).sort()).toEqual([digest('a'), digest('c')]);
  });

  test('keeps one entry for an image two tags both hold', () => {
    const existing = [tag('ghcr.io/o/app:1', [held('b', arm64)]), tag('docker.io/o/app:1', [held('b', arm64)])];
    const [, kept] = appendToExisting([image('a', amd64)], existing);
    expect(kept?.foundIn).toEqual(['ghcr.io/o/app', 'docker.io/o/app']);
  });

  test('refuses tags that disagree about a platform the records leave alone', () => {
    const existing = [tag('ghcr.io/o/app:1', [held('b', arm64)]), tag('ghcr.io/o/app:2', [held('c', arm64)])];
    const error = userErrorFrom(() => appendToExisting([image('a', amd64)], existing));
    expect(error.subject).toBe('append');
    expect(error.problem).toContain(`ghcr.io/o/app:1 has ${digest('b')}; ghcr.io/o/app:2 has ${digest('c')}`);
  });

  test('needs no existing tag: the records alone', () => {
    expect(appendToExisting([image('a', amd64)], []).map((child) => child.descriptor.digest)).toEqual([digest('a')]);
  });
});
