import { parseBuildInputs } from '../../../src/build-action/inputs.js';
import { userErrorFrom } from '../../support/thrown.js';
import type { BuildInputs } from '../../../src/build-action/types.js';

const digest = `sha256:${'c'.repeat(64)}`;
const base = { images: 'ghcr.io/o/app,docker.io/o/app', platform: 'linux/arm64' };

function parse(inputs: Record<string, string>): BuildInputs {
  return parseBuildInputs((name) => inputs[name] ?? '');
}

describe('parseBuildInputs', () => {
  test('reads images, the platform and the defaults of an otherwise empty step', () => {
    expect(parse(base)).toMatchObject({
      images: [
        { registry: 'ghcr.io', path: 'o/app' },
        { registry: 'docker.io', path: 'o/app' },
      ],
      platform: { os: 'linux', architecture: 'arm64' },
      builder: 'buildx',
      digest: undefined,
      context: '.',
      'build-args': [],
      'no-cache': false,
      'records-path': undefined,
    });
  });

  test('keeps commas inside build-args, labels, annotations and cache entries: one item per line', () => {
    const inputs = parse({
      ...base,
      'build-args': 'A=1,2\nB=3',
      labels: 'org.opencontainers.image.title=a,b',
      annotations: 'index,manifest:k=v',
      'cache-to': 'type=gha,mode=max',
    });
    expect(inputs['build-args']).toEqual(['A=1,2', 'B=3']);
    expect(inputs.labels).toEqual(['org.opencontainers.image.title=a,b']);
    expect(inputs.annotations).toEqual(['index,manifest:k=v']);
    expect(inputs['cache-to']).toEqual(['type=gha,mode=max']);
  });

  test('reads secrets as id=value, keeping "=" inside the value', () => {
    expect(parse({ ...base, secrets: 'token=a=b\nnpmrc=x' }).secrets).toEqual([
      { id: 'token', value: 'a=b' },
      { id: 'npmrc', value: 'x' },
    ]);
  });

  test('builder none records the digest it is given', () => {
    expect(parse({ ...base, builder: 'none', digest })).toMatchObject({ builder: 'none', digest });
  });

  test.each([
    ['images', 'no images', { platform: 'linux/amd64' }, /images: is required/],
    ['images', 'an image with a tag', { ...base, images: 'ghcr.io/o/app:1.0' }, /has the tag "1.0"/],
    ['platform', 'no platform', { images: 'ghcr.io/o/app' }, /platform: is required/],
    ['platform', 'a platform without architecture', { ...base, platform: 'linux' }, /"linux"/],
    [
      'builder',
      'an unknown builder',
      { ...base, builder: 'kaniko' },
      /"kaniko" is not a builder.*buildx, buildah, none/,
    ],
    ['digest', 'builder none without digest', { ...base, builder: 'none' }, /is required with builder: none/],
    ['digest', 'a digest with a builder that builds', { ...base, digest }, /builder is buildx, which pushes/],
    ['digest', 'a malformed digest', { ...base, builder: 'none', digest: 'sha256:abc' }, /"sha256:abc"/],
    [
      'file',
      'a Dockerfile with builder none',
      { ...base, builder: 'none', digest, file: 'Dockerfile' },
      /nothing is built/,
    ],
    ['provenance', 'provenance with buildah', { ...base, builder: 'buildah', provenance: 'false' }, /BuildKit option/],
    ['cache-from', 'a cache with buildah', { ...base, builder: 'buildah', 'cache-from': 'type=gha' }, /BuildKit/],
    ['secrets', 'a secret without id', { ...base, secrets: 's3cr3t-value' }, /item 1 does not start with an id/],
    ['no-cache', 'a boolean that is not one', { ...base, 'no-cache': 'yes' }, /"yes" is not a boolean/],
  ])('refuses %s input: %s', (subject, _what, inputs, problem) => {
    const error = userErrorFrom(() => parse(inputs));
    expect(error.subject).toBe(subject);
    expect(error.message).toMatch(problem);
  });

  test.each([
    ['an id with a space', 'npm=ok\nbad id=s3cr3t-value'],
    ['a value pasted without its id', 'abc/def+ghiS3CR3T==-value'],
    ['an unclosed quote', 'npm=ok\n"s3cr3t-value'],
  ])('never quotes any part of a secret in its error: %s', (_what, secrets) => {
    const error = userErrorFrom(() => parse({ ...base, secrets }));
    expect(error.subject).toBe('secrets');
    for (const part of ['s3cr3t', 'S3CR3T', 'ghi', 'bad id']) expect(error.message).not.toContain(part);
  });
});
