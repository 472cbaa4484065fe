import { describe, expect, test } from '@jest/globals';
import { buildIndex } from '../../../src/oci/index.js';
import { parseRepository } from '../../../src/oci/reference.js';
import { provenanceSubjects, subjectChecksums } from '../../../src/publish/provenance.js';
import type { Child, MergePlan } from '../../../src/publish/types.js';

const digest = (char: string) => `sha256:${char.repeat(64)}`;

function child(kind: Child['kind'], char: string, architecture?: string): Child {
  const annotations =
    kind === 'attestation'
      ? { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': digest('a') }
      : undefined;
  return {
    kind,
    descriptor: {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: digest(char),
      size: 500,
      platform: { os: kind === 'image' ? 'linux' : 'unknown', architecture: architecture ?? 'unknown' },
      ...(annotations ? { annotations } : {}),
    },
    sources: [],
    foundIn: [],
  };
}

function plan(): MergePlan {
  const children = [child('image', 'a', 'amd64'), child('image', 'b', 'arm64'), child('attestation', 'c')];
  const index = buildIndex({
    manifests: children.filter((each) => each.kind === 'image').map((each) => each.descriptor),
    attestations: children.filter((each) => each.kind === 'attestation').map((each) => each.descriptor),
  });
  const targets = ['ghcr.io/o/app', 'docker.io/o/app'].map((name) => ({
    repository: parseRepository(name),
    reference: name,
    tags: ['v1'],
  }));
  return { index, children, targets };
}

describe('provenanceSubjects', () => {
  test('are the index and each platform image, named after the first image; BuildKit attestations are none', () => {
    const subjects = provenanceSubjects(plan());
    expect(subjects.map(({ what, digest: subjectDigest, name }) => [what, subjectDigest, name])).toEqual([
      ['index', plan().index.descriptor.digest, 'ghcr.io/o/app'],
      ['linux/amd64', digest('a'), 'ghcr.io/o/app'],
      ['linux/arm64', digest('b'), 'ghcr.io/o/app'],
    ]);
  });
});

describe('subjectChecksums', () => {
  /** actions/attest's subject-checksums reading (src/subject.ts): digest before the first space, one flag dropped. */
  function readAsAttestDoes(text: string): { name: string; digest: string }[] {
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const space = line.indexOf(' ');
        const rest = line.slice(space + 1);
        return {
          digest: line.slice(0, space),
          name: rest.startsWith(' ') || rest.startsWith('*') ? rest.slice(1) : rest,
        };
      });
  }

  test('writes sha256sum lines that actions/attest reads back as the subjects', () => {
    const subjects = provenanceSubjects(plan());
    const text = subjectChecksums(subjects);
    expect(text.split('\n')[1]).toBe(`${'a'.repeat(64)}  ghcr.io/o/app`);
    expect(readAsAttestDoes(text)).toEqual(
      subjects.map((subject) => ({ digest: subject.digest.slice('sha256:'.length), name: subject.name })),
    );
  });
});
