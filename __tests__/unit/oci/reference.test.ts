import { OciError } from '../../../src/oci/errors.js';
import {
  formatRepository,
  isLoopbackRegistry,
  isValidTag,
  parseReference,
  parseRepository,
  repositoryScope,
  type Reference,
} from '../../../src/oci/reference.js';
import { ociErrorFrom } from '../../support/thrown.js';

const digest = `sha256:${'a'.repeat(64)}`;

describe('parseReference', () => {
  test.each<[string, Reference]>([
    ['ubuntu', { registry: 'docker.io', path: 'library/ubuntu' }],
    ['ubuntu:24.04', { registry: 'docker.io', path: 'library/ubuntu', tag: '24.04' }],
    ['library/ubuntu', { registry: 'docker.io', path: 'library/ubuntu' }],
    ['docker.io/ubuntu', { registry: 'docker.io', path: 'library/ubuntu' }],
    ['docker.io/library/ubuntu', { registry: 'docker.io', path: 'library/ubuntu' }],
    ['index.docker.io/x', { registry: 'docker.io', path: 'library/x' }],
    ['index.docker.io/o/app:1', { registry: 'docker.io', path: 'o/app', tag: '1' }],
    ['o/app', { registry: 'docker.io', path: 'o/app' }],
    ['o/team/app', { registry: 'docker.io', path: 'o/team/app' }],
    ['ghcr.io/o/app', { registry: 'ghcr.io', path: 'o/app' }],
    ['GHCR.io/o/app', { registry: 'ghcr.io', path: 'o/app' }],
    ['ghcr.io/o/app:v1.2.3', { registry: 'ghcr.io', path: 'o/app', tag: 'v1.2.3' }],
    ['quay.io/app', { registry: 'quay.io', path: 'app' }],
    ['localhost/app', { registry: 'localhost', path: 'app' }],
    ['localhost:5000/app', { registry: 'localhost:5000', path: 'app' }],
    ['localhost:5000/o/app:latest', { registry: 'localhost:5000', path: 'o/app', tag: 'latest' }],
    ['127.0.0.1:5000/app:t', { registry: '127.0.0.1:5000', path: 'app', tag: 't' }],
    ['[::1]:5000/app:t', { registry: '[::1]:5000', path: 'app', tag: 't' }],
    ['[::1]/app', { registry: '[::1]', path: 'app' }],
    ['registry:5000/app', { registry: 'registry:5000', path: 'app' }],
    ['a.b-c.example/x/y_z__w.v-1---2', { registry: 'a.b-c.example', path: 'x/y_z__w.v-1---2' }],
    ['localhost:5000', { registry: 'docker.io', path: 'library/localhost', tag: '5000' }],
    [`ghcr.io/o/app@${digest}`, { registry: 'ghcr.io', path: 'o/app', digest }],
    [`ghcr.io/o/app:v1@${digest}`, { registry: 'ghcr.io', path: 'o/app', tag: 'v1', digest }],
    [`localhost:5000/app@${digest}`, { registry: 'localhost:5000', path: 'app', digest }],
    [
      `app@sha512:${'b'.repeat(128)}`,
      { registry: 'docker.io', path: 'library/app', digest: `sha512:${'b'.repeat(128)}` },
    ],
  ])('reads %j as its canonical parts', (input, expected) => {
    expect(parseReference(input)).toStrictEqual(expected);
  });

  test('leaves the tag undefined instead of assuming latest', () => {
    expect(parseReference('ubuntu').tag).toBeUndefined();
  });

  test.each([
    ['Foo:bar', 'repository names must be lowercase'],
    ['Foo/bar', 'repository names must be lowercase'],
    ['ghcr.io/O/app', 'repository names must be lowercase'],
    ['', 'the reference is empty'],
    ['ghcr.io/', 'the repository path is empty'],
    ['ghcr.io/o//app', 'path component ""'],
    ['ghcr.io/o/-app', 'path component "-app"'],
    ['ghcr.io/o/app_', 'path component "app_"'],
    ['ghcr.io/o/a___b', 'path component "a___b"'],
    ['ghcr.io/o/app name', 'path component "app name"'],
    ['ghcr.io/o/app:', 'tag ""'],
    ['ghcr.io/o/app:-x', 'tag "-x"'],
    ['ghcr.io/o/app:a/b', 'path component "app:a"'],
    [`ghcr.io/o/app:${'t'.repeat(129)}`, 'must match'],
    ['ghcr.io/o/app@sha256:abc', 'digest "sha256:abc"'],
    [`ghcr.io/o/app@sha256:${'A'.repeat(64)}`, 'is not a valid digest'],
    ['ghcr.io/o/app@', 'digest ""'],
    ['-bad.io/app', 'registry host'],
    ['bad_host.io/app', 'registry host'],
    ['host.io:port/app', 'registry host'],
    ['a'.repeat(64), 'image ID'],
    [`ghcr.io/${'a'.repeat(250)}`, 'longer than 255'],
    [`${'a'.repeat(240)}`, 'longer than 255'],
  ])('rejects %j with INVALID_REFERENCE quoting it', (input, reason) => {
    const error = ociErrorFrom(() => parseReference(input));
    expect(error.code).toBe('INVALID_REFERENCE');
    expect(error.message).toContain(`invalid reference ${JSON.stringify(input)}: `);
    expect(error.message).toContain(reason);
  });

  test('gives the exact message for an uppercase name', () => {
    expect(() => parseReference('Foo:bar')).toThrow('invalid reference "Foo:bar": repository names must be lowercase');
  });

  test('accepts a name of exactly 255 characters and refuses 256', () => {
    const path = (length: number): string => `ghcr.io/${'a'.repeat(length - 'ghcr.io/'.length)}`;
    expect(formatRepository(parseReference(path(255)))).toHaveLength(255);
    expect(() => parseReference(path(256))).toThrow(OciError);
  });
});

describe('parseRepository', () => {
  test.each([
    ['ubuntu', { registry: 'docker.io', path: 'library/ubuntu' }],
    ['ghcr.io/o/app', { registry: 'ghcr.io', path: 'o/app' }],
    ['localhost:5000/app', { registry: 'localhost:5000', path: 'app' }],
  ])('reads %j as a repository', (input, expected) => {
    expect(parseRepository(input)).toStrictEqual(expected);
  });

  test.each(['ghcr.io/o/app:v1', `ghcr.io/o/app@${digest}`, 'localhost:5000/app:latest'])(
    'refuses %j because it names a tag or digest',
    (input) => {
      const error = ociErrorFrom(() => parseRepository(input));
      expect(error.code).toBe('INVALID_REFERENCE');
      expect(error.message).toBe(
        `invalid reference ${JSON.stringify(input)}: expected a repository without tag or digest`,
      );
    },
  );
});

describe('formatting', () => {
  test.each([
    ['ubuntu', 'docker.io/library/ubuntu', 'docker.io/library/ubuntu'],
    ['ghcr.io/o/app:v1', 'ghcr.io/o/app', 'ghcr.io/o/app:v1'],
    [`ghcr.io/o/app:v1@${digest}`, 'ghcr.io/o/app', `ghcr.io/o/app:v1@${digest}`],
    [`[::1]:5000/app@${digest}`, '[::1]:5000/app', `[::1]:5000/app@${digest}`],
  ])('formats %j as repository %j (reference %j)', (input, repository, _reference) => {
    const parsed = parseReference(input);
    expect(formatRepository(parsed)).toBe(repository);
  });
});

describe('registry hosts', () => {
  test.each([
    ['localhost', true],
    ['localhost:5000', true],
    ['registry.localhost', true],
    ['registry.localhost:443', true],
    ['127.0.0.1', true],
    ['127.0.0.1:5000', true],
    ['127.255.3.4:80', true],
    ['[::1]', true],
    ['[::1]:5000', true],
    ['[0:0:0:0:0:0:0:1]:5000', true],
    ['docker.io', false],
    ['ghcr.io', false],
    ['128.0.0.1:5000', false],
    ['10.0.0.1:5000', false],
    ['127.0.0.1.nip.io', false],
    ['localhost.example.com', false],
    ['notlocalhost', false],
    ['[::2]:5000', false],
    ['user@localhost', false],
    ['', false],
  ])('says whether %j is a loopback registry (%s)', (registry, expected) => {
    expect(isLoopbackRegistry(registry)).toBe(expected);
  });
});

describe('isValidTag', () => {
  test.each([
    ['latest', true],
    ['v1.2.3', true],
    ['_x', true],
    ['A-b_C.d', true],
    ['t'.repeat(128), true],
    ['t'.repeat(129), false],
    ['', false],
    ['.x', false],
    ['-x', false],
    ['a+b', false],
    ['a/b', false],
    [`sha256:${'a'.repeat(64)}`, false],
  ])('says whether %j is a valid tag (%s)', (tag, expected) => {
    expect(isValidTag(tag)).toBe(expected);
  });
});

describe('repositoryScope', () => {
  test.each<[readonly ('pull' | 'push')[], string]>([
    [['pull'], 'repository:o/app:pull'],
    [['push'], 'repository:o/app:push'],
    [['push', 'pull'], 'repository:o/app:pull,push'],
    [['pull', 'push', 'pull'], 'repository:o/app:pull,push'],
  ])('writes %j as %j', (actions, expected) => {
    expect(repositoryScope('o/app', actions)).toBe(expected);
  });

  test('refuses an empty list of actions', () => {
    expect(() => repositoryScope('o/app', [])).toThrow('at least one action');
  });
});
