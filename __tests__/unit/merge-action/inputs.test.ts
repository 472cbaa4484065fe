import { parseMergeInputs, type MergeInputs } from '../../../src/merge-action/inputs.js';
import { userErrorFrom } from '../../support/thrown.js';

const digest = `sha256:${'b'.repeat(64)}`;
const ghcr = { registry: 'ghcr.io', path: 'o/app' };
const hub = { registry: 'docker.io', path: 'o/app' };

function parse(inputs: Record<string, string>): MergeInputs {
  return parseMergeInputs((name) => inputs[name] ?? '');
}

// What docker/metadata-action's `json` output looks like (src/meta.ts getJSON): full references in `tags`.
const metadataJson = JSON.stringify({
  tags: ['docker.io/o/app:1.2.3', 'ghcr.io/o/app:1.2.3', 'docker.io/o/app:latest', 'ghcr.io/o/app:latest'],
  'tag-names': ['1.2.3', 'latest'],
  labels: { 'org.opencontainers.image.version': '1.2.3' },
  annotations: ['manifest:org.opencontainers.image.version=1.2.3'],
});

describe('parseMergeInputs: images and tags', () => {
  test.each([
    [
      'plain tags for one image',
      { images: 'ghcr.io/o/app', tags: 'latest\n1.2.3' },
      [ghcr],
      [{ tag: 'latest' }, { tag: '1.2.3' }],
    ],
    [
      'a comma-separated list of images',
      { images: 'ghcr.io/o/app,o/app', tags: 'latest' },
      [ghcr, hub],
      [{ tag: 'latest' }],
    ],
    [
      'the same image spelled twice',
      { images: 'o/app\ndocker.io/o/app\nindex.docker.io/o/app', tags: 'latest' },
      [hub],
      [{ tag: 'latest' }],
    ],
    [
      'repeated tags, kept once in order',
      { images: 'ghcr.io/o/app', tags: '1, latest, 1\nlatest' },
      [ghcr],
      [{ tag: '1' }, { tag: 'latest' }],
    ],
    [
      'full references without images',
      { tags: 'ghcr.io/o/app:1\no/app:1' },
      [ghcr, hub],
      [
        { tag: '1', repository: ghcr },
        { tag: '1', repository: hub },
      ],
    ],
    [
      'a full reference to a listed image',
      { images: 'docker.io/o/app', tags: 'o/app:1\nlatest' },
      [hub],
      [{ tag: '1', repository: hub }, { tag: 'latest' }],
    ],
    [
      'a full reference written twice',
      { tags: 'ghcr.io/o/app:1,GHCR.io/o/app:1' },
      [ghcr],
      [{ tag: '1', repository: ghcr }],
    ],
    [
      'a registry with a port',
      { images: 'localhost:5000/o/app', tags: 'v1.0_rc-2' },
      [{ registry: 'localhost:5000', path: 'o/app' }],
      [{ tag: 'v1.0_rc-2' }],
    ],
    [
      "docker/metadata-action's JSON, images taken from its tags",
      { tags: metadataJson },
      [hub, ghcr],
      [
        { tag: '1.2.3', repository: hub },
        { tag: '1.2.3', repository: ghcr },
        { tag: 'latest', repository: hub },
        { tag: 'latest', repository: ghcr },
      ],
    ],
    [
      "docker/metadata-action's JSON with white space around it and images listed",
      { images: 'ghcr.io/o/app\ndocker.io/o/app', tags: `\n  ${metadataJson}\n` },
      [ghcr, hub],
      [
        { tag: '1.2.3', repository: hub },
        { tag: '1.2.3', repository: ghcr },
        { tag: 'latest', repository: hub },
        { tag: 'latest', repository: ghcr },
      ],
    ],
  ])('reads %s', (_name, inputs, images, tags) => {
    const parsed = parse(inputs);
    expect(parsed.images).toEqual(images);
    expect(parsed.tags).toEqual(tags);
  });

  test("ignores everything in docker/metadata-action's JSON but the tags", () => {
    expect(parse({ tags: metadataJson }).annotations).toEqual({ index: {}, descriptors: [] });
  });

  test('rejects an invalid tag with the example from the style guide', () => {
    const error = userErrorFrom(() => parse({ images: 'ghcr.io/o/app', tags: 'v1 beta' }));
    expect(error.message).toBe(
      `tags: "v1 beta" is not a valid tag (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-'). Fix the tag, e.g. "v1-beta".`,
    );
  });

  test.each([
    [
      'images',
      'an image with a tag',
      { images: 'ghcr.io/o/app:1.0', tags: 'latest' },
      '"ghcr.io/o/app:1.0"',
      'put "1.0" in the merge step\'s `tags`',
    ],
    [
      'images',
      'an image with a digest',
      { images: `ghcr.io/o/app@${digest}`, tags: 'latest' },
      `"ghcr.io/o/app@${digest}"`,
      '"ghcr.io/o/app"',
    ],
    [
      'images',
      'an image with upper-case letters',
      { images: 'ghcr.io/O/App', tags: 'latest' },
      '"ghcr.io/O/App"',
      'repository',
    ],
    ['images', 'no images for a plain tag', { tags: 'ghcr.io/o/app:1\nlatest' }, '"latest"', '`images`'],
    ['tags', 'a tag starting with a dash', { images: 'ghcr.io/o/app', tags: '-rc1' }, '"-rc1"', 'e.g. "rc1"'],
    [
      'tags',
      'a tag of 129 characters',
      { images: 'ghcr.io/o/app', tags: 'x'.repeat(129) },
      `"${'x'.repeat(129)}"`,
      `"${'x'.repeat(128)}"`,
    ],
    ['tags', 'a tag with nothing to salvage', { images: 'ghcr.io/o/app', tags: '!!!' }, '"!!!"', 'Fix the tag.'],
    [
      'tags',
      'a repository without a tag',
      { images: 'ghcr.io/o/app', tags: 'ghcr.io/o/app' },
      '"ghcr.io/o/app"',
      '`images`',
    ],
    [
      'tags',
      'a reference with a digest',
      { images: 'ghcr.io/o/app', tags: `ghcr.io/o/app@${digest}` },
      digest,
      'tag such as',
    ],
    [
      'tags',
      'a reference with an invalid tag',
      { images: 'ghcr.io/o/app', tags: 'ghcr.io/o/app:v1 beta' },
      '"ghcr.io/o/app:v1 beta"',
      'tag such as',
    ],
    [
      'tags',
      'a reference to an image not listed',
      { images: 'ghcr.io/o/app', tags: 'quay.io/o/app:1' },
      '"quay.io/o/app:1"',
      'Add "quay.io/o/app" to `images`',
    ],
    ['tags', 'no tags at all', { images: 'ghcr.io/o/app', tags: ' \n ' }, 'is empty', 'List the tags'],
    [
      'tags',
      'metadata-action JSON with no tags',
      { tags: '{"tags": [], "labels": {}}' },
      '"tags": []',
      '`tags:` rules',
    ],
    [
      'tags',
      'text that starts like JSON but is not',
      { tags: '{tags: [latest]}' },
      '"{tags: [latest]}"',
      '`json` output',
    ],
    [
      'tags',
      'JSON whose tags are not a list',
      { tags: '{"tags": "latest"}' },
      '"{\\"tags\\": \\"latest\\"}"',
      '`json` output',
    ],
  ])('rejects in %s %s, quoting the value', (subject, _name, inputs, quoted, fix) => {
    const error = userErrorFrom(() => parse(inputs));
    expect(error.subject).toBe(subject);
    expect(error.problem).toContain(quoted);
    expect(error.fix).toContain(fix);
  });
});

describe('parseMergeInputs: platforms', () => {
  const base = { images: 'ghcr.io/o/app', tags: 'latest' };

  test.each([
    ['nothing when unset', '', []],
    [
      'a list split by commas and lines',
      'linux/amd64,linux/arm64\nlinux/arm/v7',
      [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' },
        { os: 'linux', architecture: 'arm', variant: 'v7' },
      ],
    ],
    [
      'a Windows version',
      'windows(10.0.20348)/amd64',
      [{ os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348' }],
    ],
  ])('reads %s', (_name, platforms, expected) => {
    expect(parse({ ...base, platforms }).platforms).toEqual(expected);
  });

  test.each([
    ['an unknown architecture', 'linux/amd65', '"linux/amd65"', 'os/architecture'],
    ['a platform without an architecture', 'linux', '"linux"', 'os/architecture'],
    [
      'the same platform spelled two ways',
      'linux/amd64\nlinux/x86_64',
      '"linux/x86_64" is the same platform as "linux/amd64"',
      'once',
    ],
    ['arm64 with and without its default variant', 'linux/arm64,linux/arm64/v8', '"linux/arm64/v8"', 'once'],
    ['the same platform twice', 'linux/arm/v7\nlinux/arm/v7', '"linux/arm/v7"', 'once'],
  ])('rejects %s, quoting the value', (_name, platforms, quoted, fix) => {
    const error = userErrorFrom(() => parse({ ...base, platforms }));
    expect(error.subject).toBe('platforms');
    expect(error.problem).toContain(quoted);
    expect(error.fix).toContain(fix);
  });
});

describe('parseMergeInputs: annotations', () => {
  const base = { images: 'ghcr.io/o/app', tags: 'latest' };
  const amd64 = { os: 'linux', architecture: 'amd64' };

  test.each([
    [
      'a key without level, on the index',
      'org.opencontainers.image.description=An app, with commas',
      { 'org.opencontainers.image.description': 'An app, with commas' },
    ],
    ['an index: key', 'index:a=1', { a: '1' }],
    ['an empty value', 'index:org.opencontainers.image.description=', { 'org.opencontainers.image.description': '' }],
    [
      'a value holding = and :',
      'index:org.opencontainers.image.url=https://x.io:8443/a?b=c',
      { 'org.opencontainers.image.url': 'https://x.io:8443/a?b=c' },
    ],
    ['a repeated key, where the later line wins', 'index:a=1\na=2', { a: '2' }],
    ['a quoted value over two lines', '"index:a=one\ntwo"\nindex:b=2', { a: 'one\ntwo', b: '2' }],
    [
      'a key that is a JavaScript prototype name',
      '__proto__=x',
      JSON.parse('{"__proto__": "x"}') as Record<string, string>,
    ],
    [
      "docker/metadata-action's annotations output with DOCKER_METADATA_ANNOTATIONS_LEVELS=index",
      'index:org.opencontainers.image.created=2026-01-02T03:04:05.000Z\nindex:org.opencontainers.image.licenses=\nindex:org.opencontainers.image.title=app',
      {
        'org.opencontainers.image.created': '2026-01-02T03:04:05.000Z',
        'org.opencontainers.image.licenses': '',
        'org.opencontainers.image.title': 'app',
      },
    ],
  ])('puts on the index %s', (_name, annotations, index) => {
    const parsed = parse({ ...base, annotations }).annotations;
    expect(parsed.index).toEqual(index);
    expect(Object.keys(parsed.index)).toEqual(Object.keys(index));
    expect(parsed.descriptors).toEqual([]);
  });

  test.each([
    ['on every entry without a platform', 'manifest-descriptor:a=1', {}, [{ key: 'a', value: '1' }]],
    ['on one platform', 'manifest-descriptor[linux/amd64]:a=1', {}, [{ platform: amd64, key: 'a', value: '1' }]],
    [
      'on a Windows version',
      'manifest-descriptor[windows(10.0.20348)/amd64]:a=1',
      {},
      [{ platform: { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348' }, key: 'a', value: '1' }],
    ],
    ['on index and entries at once', 'index,manifest-descriptor:a=1', { a: '1' }, [{ key: 'a', value: '1' }]],
    [
      'once per platform and key, the later line winning',
      'manifest-descriptor[linux/amd64]:a=1\nmanifest-descriptor[linux/x86_64]:a=2',
      {},
      [{ platform: { os: 'linux', architecture: 'x86_64' }, key: 'a', value: '2' }],
    ],
  ])('puts descriptor annotations %s', (_name, annotations, index, descriptors) => {
    expect(parse({ ...base, annotations }).annotations).toEqual({ index, descriptors });
  });

  test.each([
    ['a line without =', 'org.opencontainers.image.title', '"org.opencontainers.image.title"', 'key=value'],
    [
      'a manifest-level annotation',
      'manifest:a=1',
      '"manifest:a=1"',
      'DOCKER_METADATA_ANNOTATIONS_LEVELS=manifest,index',
    ],
    [
      'a manifest-level annotation for a platform',
      'manifest[linux/amd64]:a=1',
      '"manifest[linux/amd64]:a=1"',
      'build step',
    ],
    ['a manifest level among others', 'index,manifest:a=1', '"index,manifest:a=1"', 'build step'],
    ['an index-descriptor annotation', 'index-descriptor:a=1', '"index-descriptor:a=1"', 'index:key=value'],
    ['an index annotation with a platform', 'index[linux/amd64]:a=1', '"index[linux/amd64]:a=1"', 'index:key=value'],
    ['an unknown level', 'foo:a=1', '"foo"', 'manifest-descriptor'],
    ['an empty level', ':a=1', '":a=1"', 'manifest-descriptor'],
    ['an empty key', 'index:=1', '"index:=1"', 'without spaces'],
    ['a line starting with =', '=1', '"=1"', 'without spaces'],
    ['a key with a space', 'my key=1', '"my key"', 'without spaces'],
    ['an invalid platform', 'manifest-descriptor[linux/amd65]:a=1', '"linux/amd65"', 'os/architecture'],
    ['one huge value', `index:big=${'x'.repeat(70_000)}`, '"big"', 'Shorten'],
    [
      'many values adding up',
      Array.from({ length: 700 }, (_, i) => `index:key${String(i).padStart(3, '0')}=${'x'.repeat(100)}`).join('\n'),
      '"key000"',
      'Shorten',
    ],
  ])('rejects %s, quoting the value', (_name, annotations, quoted, fix) => {
    const error = userErrorFrom(() => parse({ ...base, annotations }));
    expect(error.subject).toBe('annotations');
    expect(error.problem).toContain(quoted);
    expect(error.fix).toContain(fix);
  });

  test('accepts annotations just under the size cap', () => {
    const annotations = `index:big=${'x'.repeat(64 * 1024 - 3)}`;
    expect(parse({ ...base, annotations }).annotations.index['big']).toHaveLength(64 * 1024 - 3);
  });
});

describe('parseMergeInputs: platform-overrides', () => {
  const base = { images: 'ghcr.io/o/app', tags: 'latest' };
  const armV7 = { os: 'linux', architecture: 'arm', variant: 'v7' };

  test.each([
    ['nothing when unset', '', []],
    ['a digest given a platform', `${digest}=linux/arm/v7`, [{ match: { digest }, platform: armV7 }]],
    [
      'a platform given another',
      ' linux/arm = linux/arm/v7 ',
      [{ match: { platform: { os: 'linux', architecture: 'arm' } }, platform: armV7 }],
    ],
    [
      'several, split by commas and lines',
      `${digest}=linux/arm/v7,linux/arm64=linux/arm64/v8\nwindows/amd64=windows(10.0.20348)/amd64`,
      [
        { match: { digest }, platform: armV7 },
        {
          match: { platform: { os: 'linux', architecture: 'arm64' } },
          platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
        },
        {
          match: { platform: { os: 'windows', architecture: 'amd64' } },
          platform: { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348' },
        },
      ],
    ],
  ])('reads %s', (_name, overrides, expected) => {
    expect(parse({ ...base, 'platform-overrides': overrides })['platform-overrides']).toEqual(expected);
  });

  test.each([
    ['a line without =', 'linux/arm', '"linux/arm"', '<digest>=<platform>'],
    ['a short digest', 'sha256:abc=linux/arm64', '"sha256:abc"', '<digest>=<platform>'],
    ['an invalid target platform', 'linux/arm=linux/foo', '"linux/foo"', '<platform>=<platform>'],
    ['an invalid platform to match', 'linux/foo=linux/arm64', '"linux/foo"', '<platform>=<platform>'],
    [
      'the same digest twice',
      `${digest}=linux/arm64\n${digest}=linux/amd64`,
      `"${digest}=linux/amd64"`,
      'one override',
    ],
    [
      'the same platform in two spellings',
      'linux/arm=linux/arm/v7\nlinux/arm/v7=linux/arm/v6',
      '"linux/arm/v7=linux/arm/v6"',
      'one override',
    ],
  ])('rejects %s, quoting the value', (_name, overrides, quoted, fix) => {
    const error = userErrorFrom(() => parse({ ...base, 'platform-overrides': overrides }));
    expect(error.subject).toBe('platform-overrides');
    expect(error.problem).toContain(quoted);
    expect(error.fix).toContain(fix);
  });
});

describe('parseMergeInputs: insecure-registries, booleans and records-path', () => {
  const base = { images: 'ghcr.io/o/app', tags: 'latest' };

  test.each([
    ['nothing when unset', '', []],
    [
      'hosts with ports, by commas and lines',
      'localhost:5000, registry.internal:5000\n127.0.0.1:5000',
      ['localhost:5000', 'registry.internal:5000', '127.0.0.1:5000'],
    ],
    ['a host in capitals, lower-cased', 'LOCALHOST:5000', ['localhost:5000']],
    ['the same host twice, once', 'localhost:5000\nlocalhost:5000', ['localhost:5000']],
    ['an IPv6 literal', '[::1]:5000', ['[::1]:5000']],
  ])('reads insecure-registries: %s', (_name, raw, expected) => {
    expect(parse({ ...base, 'insecure-registries': raw })['insecure-registries']).toEqual(expected);
  });

  test.each([
    ['a URL', 'http://localhost:5000/', '"http://localhost:5000/"', 'e.g. "localhost:5000"'],
    ['a name Docker would read as a Docker Hub namespace', 'myhost', '"myhost"', 'e.g. localhost:5000'],
    ['a repository', 'localhost:5000/o/app', '"localhost:5000/o/app"', 'as it appears in `images`'],
    ['a host with a space', 'bad host:5000', '"bad host:5000"', 'as it appears in `images`'],
  ])('rejects in insecure-registries %s, quoting the value', (_name, raw, quoted, fix) => {
    const error = userErrorFrom(() => parse({ ...base, 'insecure-registries': raw }));
    expect(error.subject).toBe('insecure-registries');
    expect(error.problem).toContain(quoted);
    expect(error.fix).toContain(fix);
  });

  test('defaults allow-partial and dry-run to false and records-path to unset', () => {
    const parsed = parse(base);
    expect([parsed['allow-partial'], parsed['dry-run'], parsed['records-path']]).toEqual([false, false, undefined]);
  });

  test('reads allow-partial, dry-run and a trimmed records-path', () => {
    const parsed = parse({ ...base, 'allow-partial': 'true', 'dry-run': 'True', 'records-path': ' /tmp/records \n' });
    expect([parsed['allow-partial'], parsed['dry-run'], parsed['records-path']]).toEqual([true, true, '/tmp/records']);
  });

  test('defaults attest to false and reads it, with github-token as given', () => {
    expect(parse(base).attest).toBe(false);
    const parsed = parse({ ...base, attest: 'true', 'github-token': 'ghs_token' });
    expect([parsed.attest, parsed['github-token']]).toEqual([true, 'ghs_token']);
  });

  test.each(['allow-partial', 'dry-run', 'attest'])('rejects %s that is not a boolean, naming it', (name) => {
    const error = userErrorFrom(() => parse({ ...base, [name]: 'yes' }));
    expect(error.subject).toBe(name);
    expect(error.problem).toContain('"yes"');
  });

  test('reads each input under its action.yml name', () => {
    const asked: string[] = [];
    parseMergeInputs((name) => {
      asked.push(name);
      return base[name as keyof typeof base] ?? '';
    });
    expect([...asked].sort()).toEqual([
      'allow-partial',
      'annotations',
      'append',
      'attest',
      'attestations',
      'dry-run',
      'github-token',
      'images',
      'insecure-registries',
      'platform-overrides',
      'platforms',
      'records-path',
      'tags',
      'verify',
    ]);
  });
});

describe('parseMergeInputs: attestations', () => {
  const base = { images: 'ghcr.io/o/app', tags: 'latest' };

  test.each([
    ['', 'keep'],
    ['keep', 'keep'],
    [' drop\n', 'drop'],
  ])('reads %j as %s', (attestations, expected) => {
    expect(parse({ ...base, attestations }).attestations).toBe(expected);
  });

  test('refuses anything else, quoting it and naming both choices', () => {
    const error = userErrorFrom(() => parse({ ...base, attestations: 'false' }));
    expect(error.subject).toBe('attestations');
    expect(error.problem).toContain('"false"');
    expect(error.fix).toContain('keep');
    expect(error.fix).toContain('drop');
  });
});
