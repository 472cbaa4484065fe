import {
  createRecord,
  parseRecord,
  recordSchema,
  serializeRecord,
  type DigestRecord,
} from '../../../src/records/record.js';
import { userErrorFrom } from '../../support/thrown.js';

const digest = `sha256:${'a'.repeat(64)}`;
const source = 'records/build-linux-arm64/app-linux-arm64.json';

const valid = {
  schema: recordSchema,
  version: 1,
  digest,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  size: 1609,
  platform: { os: 'linux', architecture: 'arm64' },
  images: ['ghcr.io/o/app', 'docker.io/o/app'],
};

function text(fields: Record<string, unknown>): string {
  return JSON.stringify(fields);
}

describe('parseRecord', () => {
  test('reads a valid record', () => {
    expect(parseRecord(text(valid), source)).toEqual(valid);
  });

  test.each([
    ['a variant', { os: 'linux', architecture: 'arm', variant: 'v7' }],
    [
      'a Windows version and features',
      { os: 'windows', architecture: 'amd64', 'os.version': '10.0.20348.2582', 'os.features': ['win32k'] },
    ],
  ])('keeps a platform with %s', (_name, platform) => {
    expect(parseRecord(text({ ...valid, platform }), source).platform).toEqual(platform);
  });

  test.each([
    ['a run with a job', { id: '123', attempt: 2, job: 'build' }],
    ['a run without a job', { id: '123', attempt: 1 }],
  ])('keeps %s', (_name, run) => {
    expect(parseRecord(text({ ...valid, run }), source).run).toEqual(run);
  });

  test('stores images as canonical repository names', () => {
    const record = parseRecord(
      text({ ...valid, images: ['ubuntu', 'GHCR.IO/o/app', 'index.docker.io/o/app'] }),
      source,
    );
    expect(record.images).toEqual(['docker.io/library/ubuntu', 'ghcr.io/o/app', 'docker.io/o/app']);
  });

  test('ignores fields it does not know, so v1 records may gain optional ones', () => {
    const record = parseRecord(
      text({ ...valid, annotations: { a: 'b' }, platform: { ...valid.platform, x: 1 } }),
      source,
    );
    expect(record).toEqual(valid);
  });

  test.each([
    ['text that is not JSON', '{"schema": ', 'is not valid JSON', '{\\"schema\\": '],
    ['a JSON array', '[]', 'is not a multiarch-publish digest record', '[]'],
    [
      'a buildx metadata file',
      text({ 'containerimage.digest': digest }),
      'is not a multiarch-publish digest record',
      'has no "schema"',
    ],
    [
      'another schema',
      text({ ...valid, schema: 'other/record' }),
      'is not a multiarch-publish digest record',
      '"other/record"',
    ],
    ['a record from a newer version', text({ ...valid, version: 2 }), 'newer version', 'record version 2'],
    ['a record from an older version', text({ ...valid, version: 0 }), 'older version', 'record version 0'],
    ['a version that is a string', text({ ...valid, version: '1' }), '"version" "1"', '"1"'],
    ['a version that is missing', text({ ...valid, version: undefined }), 'has no "version"', '"version"'],
  ])('refuses %s as foreign, naming the source', (_name, input, problem, quoted) => {
    const error = userErrorFrom(() => parseRecord(input, source));
    expect(error.subject).toBe(source);
    expect(error.problem).toContain(problem);
    expect(error.problem).toContain(quoted);
  });

  test.each([
    ['digest', 'a short digest', { digest: 'sha256:abc' }, '"sha256:abc"'],
    ['digest', 'a missing digest', { digest: undefined }, 'has no "digest"'],
    [
      'mediaType',
      'a config media type',
      { mediaType: 'application/vnd.oci.image.config.v1+json' },
      '"application/vnd.oci.image.config.v1+json"',
    ],
    ['size', 'a zero size', { size: 0 }, '"size" 0'],
    ['size', 'a negative size', { size: -1 }, '"size" -1'],
    ['size', 'a fractional size', { size: 1.5 }, '"size" 1.5'],
    ['size', 'a size that is a string', { size: '12' }, '"size" "12"'],
    ['platform', 'a missing platform', { platform: undefined }, 'has no "platform"'],
    ['platform.os', 'an empty os', { platform: { os: '', architecture: 'amd64' } }, '"platform.os" ""'],
    [
      'platform.architecture',
      'a numeric architecture',
      { platform: { os: 'linux', architecture: 5 } },
      '"platform.architecture" 5',
    ],
    [
      'platform.variant',
      'a numeric variant',
      { platform: { os: 'linux', architecture: 'arm', variant: 7 } },
      '"platform.variant" 7',
    ],
    [
      'platform.os.version',
      'a numeric os.version',
      { platform: { os: 'windows', architecture: 'amd64', 'os.version': 10 } },
      '10',
    ],
    [
      'platform.os.features',
      'os.features as a string',
      { platform: { os: 'linux', architecture: 'amd64', 'os.features': 'x' } },
      '"x"',
    ],
    [
      'platform.os.features',
      'os.features with a number',
      { platform: { os: 'linux', architecture: 'amd64', 'os.features': [1] } },
      '[1]',
    ],
    ['images', 'no images', { images: [] }, '"images" []'],
    ['images', 'images as a string', { images: 'ghcr.io/o/app' }, '"ghcr.io/o/app"'],
    ['images', 'an image that is a number', { images: [5] }, '[5]'],
    ['images', 'an image with a tag', { images: ['ghcr.io/o/app:1.0'] }, '"ghcr.io/o/app:1.0"'],
    ['images', 'an image with upper-case letters', { images: ['ghcr.io/O/App'] }, '"ghcr.io/O/App"'],
    ['run', 'a run that is a string', { run: '123' }, '"run" "123"'],
    ['run.id', 'a run without an id', { run: { attempt: 1 } }, 'has no "run.id"'],
    ['run.attempt', 'a run attempt of 0', { run: { id: '1', attempt: 0 } }, '"run.attempt" 0'],
    ['run.attempt', 'a fractional run attempt', { run: { id: '1', attempt: 1.5 } }, '"run.attempt" 1.5'],
    ['run.job', 'a numeric job', { run: { id: '1', attempt: 1, job: 3 } }, '"run.job" 3'],
  ])(
    'refuses a record whose %s is wrong (%s), naming the source and quoting the value',
    (field, _name, change, quoted) => {
      const error = userErrorFrom(() => parseRecord(text({ ...valid, ...change }), source));
      expect(error.subject).toBe(source);
      expect(error.problem).toContain(`"${field}"`);
      expect(error.problem).toContain(quoted);
      expect(error.fix).not.toBe('');
    },
  );

  test('tells to use the same version in build and merge when the versions differ', () => {
    const error = userErrorFrom(() => parseRecord(text({ ...valid, version: 3 }), source));
    expect(error.fix).toContain('same multiarch-publish version');
  });
});

describe('serializeRecord', () => {
  const record: DigestRecord = createRecord({
    run: { job: 'build', attempt: 1, id: '42' },
    images: ['ghcr.io/o/app'],
    platform: { 'os.features': ['win32k'], 'os.version': '10.0.20348', architecture: 'amd64', os: 'windows' },
    size: 7,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest,
  });

  test('writes the fields in one fixed order, two-space indented, with a final newline', () => {
    expect(serializeRecord(record)).toBe(
      [
        '{',
        '  "schema": "multiarch-publish/digest-record",',
        '  "version": 1,',
        `  "digest": "${digest}",`,
        '  "mediaType": "application/vnd.oci.image.manifest.v1+json",',
        '  "size": 7,',
        '  "platform": {',
        '    "os": "windows",',
        '    "architecture": "amd64",',
        '    "os.version": "10.0.20348",',
        '    "os.features": [',
        '      "win32k"',
        '    ]',
        '  },',
        '  "images": [',
        '    "ghcr.io/o/app"',
        '  ],',
        '  "run": {',
        '    "id": "42",',
        '    "attempt": 1,',
        '    "job": "build"',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  test.each([
    ['a full record', record],
    ['a record without run or optional platform fields', createRecord({ ...valid, run: undefined })],
  ])('reads back what it wrote: %s', (_name, written) => {
    expect(parseRecord(serializeRecord(written), source)).toEqual(written);
  });

  test('gives the same bytes whatever order the fields were given in', () => {
    const reordered = { ...JSON.parse(serializeRecord(record)) } as DigestRecord;
    const shuffled = Object.fromEntries(Object.entries(reordered).reverse()) as unknown as DigestRecord;
    expect(serializeRecord(shuffled)).toBe(serializeRecord(record));
  });
});

describe('createRecord', () => {
  test('adds the schema and version and leaves unset optional fields out', () => {
    const record = createRecord({
      ...valid,
      run: undefined,
      platform: { os: 'linux', architecture: 'amd64', variant: undefined },
    });
    expect(record.schema).toBe(recordSchema);
    expect(record.version).toBe(1);
    expect(Object.keys(record)).not.toContain('run');
    expect(Object.keys(record.platform)).toEqual(['os', 'architecture']);
  });
});
