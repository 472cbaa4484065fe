import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directoryRecordStore } from '../../../src/records/directory.js';
import { createRecord, serializeRecord, type DigestRecord } from '../../../src/records/record.js';
import { userErrorRejected } from '../../support/thrown.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'multiarch-records-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function record(architecture: string, digestCharacter = 'a', attempt = 1): DigestRecord {
  return createRecord({
    digest: `sha256:${digestCharacter.repeat(64)}`,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    size: 1000,
    platform: { os: 'linux', architecture },
    images: ['ghcr.io/o/app'],
    run: { id: '7', attempt, job: `build-${architecture}` },
  });
}

describe('directoryRecordStore', () => {
  test('lists what it put, read back from <name>.json in the serialised form', async () => {
    const store = directoryRecordStore(root);
    await store.put(record('amd64'), 'app-linux-amd64');
    expect(await readFile(join(root, 'app-linux-amd64.json'), 'utf8')).toBe(serializeRecord(record('amd64')));
    expect(await store.list()).toEqual([{ record: record('amd64'), source: join(root, 'app-linux-amd64.json') }]);
  });

  test('replaces a record put again by a later attempt and leaves no temporary file', async () => {
    const store = directoryRecordStore(root);
    await store.put(record('amd64', 'a'), 'app-linux-amd64');
    await store.put(record('amd64', 'b', 2), 'app-linux-amd64');
    expect(await readdir(root)).toEqual(['app-linux-amd64.json']);
    expect((await store.list()).map(({ record }) => record.digest)).toEqual([`sha256:${'b'.repeat(64)}`]);
  });

  test('refuses another image for a platform already recorded in the same attempt, keeping the first', async () => {
    const store = directoryRecordStore(root);
    await store.put(record('amd64', 'a'), 'app-linux-amd64');
    const error = await userErrorRejected(() => store.put(record('amd64', 'b'), 'app-linux-amd64'));
    expect(error.subject).toBe('platform');
    expect(error.fix).toMatch(/platform listed twice in the matrix/);
    expect((await store.list()).map(({ record }) => record.digest)).toEqual([`sha256:${'a'.repeat(64)}`]);
  });

  test('ready() makes the directory and refuses one that cannot be written, naming records-path', async () => {
    await directoryRecordStore(join(root, 'made')).ready();
    expect(await readdir(root)).toEqual(['made']);
    await writeFile(join(root, 'a-file'), '');
    const error = await userErrorRejected(() => directoryRecordStore(join(root, 'a-file')).ready());
    expect(error.subject).toBe('records-path');
  });

  test('creates the directory on the first put', async () => {
    const store = directoryRecordStore(join(root, 'not', 'yet'));
    await store.put(record('arm64'), 'app-linux-arm64');
    expect(await readdir(join(root, 'not', 'yet'))).toEqual(['app-linux-arm64.json']);
  });

  test('keeps every record when several jobs put at once', async () => {
    const store = directoryRecordStore(root);
    const architectures = ['amd64', 'arm64', 'arm', 'ppc64le', 's390x', 'riscv64'];
    await Promise.all(architectures.map((architecture) => store.put(record(architecture), `app-${architecture}`)));
    expect((await store.list()).map(({ record }) => record.platform.architecture).sort()).toEqual(
      [...architectures].sort(),
    );
  });

  test('finds records in the sub-folders download-artifact makes, sorted by path, and skips other files', async () => {
    await mkdir(join(root, 'records-linux-arm64'));
    await mkdir(join(root, 'records-linux-amd64', 'deeper'), { recursive: true });
    await writeFile(join(root, 'records-linux-arm64', 'r.json'), serializeRecord(record('arm64')));
    await writeFile(join(root, 'records-linux-amd64', 'deeper', 'r.json'), serializeRecord(record('amd64')));
    await writeFile(join(root, 'records-linux-amd64', 'notes.txt'), 'not a record');
    await writeFile(join(root, '.r.12.1.tmp'), '{"half": ');
    expect((await directoryRecordStore(root).list()).map(({ source }) => source)).toEqual([
      join(root, 'records-linux-amd64', 'deeper', 'r.json'),
      join(root, 'records-linux-arm64', 'r.json'),
    ]);
  });

  test('orders records by their whole path, not folder by folder', async () => {
    // Node lists each folder sorted by name, which puts folder "a" before file "a-b.json"; by path, "a-" < "a/".
    await mkdir(join(root, 'a'));
    await writeFile(join(root, 'a', 'r.json'), serializeRecord(record('amd64')));
    await writeFile(join(root, 'a-b.json'), serializeRecord(record('arm64')));
    const sources = (await directoryRecordStore(root).list()).map(({ source }) => source);
    expect(sources).toEqual([join(root, 'a-b.json'), join(root, 'a', 'r.json')]);
  });

  test('lists nothing in an empty directory', async () => {
    expect(await directoryRecordStore(root).list()).toEqual([]);
  });

  test('says records-path does not exist when it is missing', async () => {
    const missing = join(root, 'missing');
    const error = await userErrorRejected(() => directoryRecordStore(missing).list());
    expect(error.subject).toBe('records-path');
    expect(error.problem).toBe(`${JSON.stringify(missing)} does not exist.`);
    expect(error.fix).toContain('download-artifact');
  });

  test('says records-path is not a directory when it is a file', async () => {
    const file = join(root, 'records.json');
    await writeFile(file, serializeRecord(record('amd64')));
    const error = await userErrorRejected(() => directoryRecordStore(file).list());
    expect(error.subject).toBe('records-path');
    expect(error.problem).toContain('is not a directory');
  });

  test('names the file when a JSON file is not a record, the first one by path when several are not', async () => {
    await writeFile(join(root, 'b.json'), '{"tags": []}');
    await writeFile(join(root, 'a.json'), '{"containerimage.digest": "sha256:1"}');
    await writeFile(join(root, 'c.json'), serializeRecord(record('amd64')));
    const error = await userErrorRejected(() => directoryRecordStore(root).list());
    expect(error.subject).toBe(join(root, 'a.json'));
    expect(error.problem).toContain('is not a multiarch-publish digest record');
  });

  test.each(['', 'a/b', 'a\\b', '..', 'x..y', 'nul\0'])(
    'refuses to put under the name %j and writes nothing',
    async (name) => {
      const error = await userErrorRejected(() => directoryRecordStore(root).put(record('amd64'), name));
      expect(error.subject).toBe('records-path');
      expect(error.problem).toContain(JSON.stringify(name));
      expect(await readdir(root)).toEqual([]);
    },
  );

  test('says it cannot write when records-path is below a file', async () => {
    await writeFile(join(root, 'file'), '');
    const error = await userErrorRejected(() =>
      directoryRecordStore(join(root, 'file', 'sub')).put(record('amd64'), 'r'),
    );
    expect(error.subject).toBe('records-path');
    expect(error.problem).toContain(JSON.stringify(join(root, 'file', 'sub', 'r.json')));
    expect(error.problem).toMatch(/ENOTDIR|EEXIST/);
  });
});
