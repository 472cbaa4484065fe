import { constants } from 'node:fs';
import { access, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { parseRecord, serializeRecord, type DigestRecord, type SourcedRecord } from './record.js';
import { checkReplacement } from './replace.js';
import type { RecordStore } from './store.js';

const input = 'records-path';
let temporaryFiles = 0;

/**
 * Records as files in a directory, for runs outside GitHub and for records a workflow moves itself
 * (actions/download-artifact puts each artifact in a sub-folder of its own, so records are looked for recursively).
 */
export function directoryRecordStore(path: string): RecordStore {
  return {
    ready: () => makeWritable(path),
    put: (record, name) => putRecord(path, record, name),
    list: () => listRecords(path),
  };
}

async function makeWritable(directory: string): Promise<void> {
  try {
    await mkdir(directory, { recursive: true });
    await access(directory, constants.W_OK);
  } catch (error) {
    throw new UserError(
      input,
      `${JSON.stringify(directory)} is not a directory this job can write to (${errorCode(error)}).`,
      'Point records-path at a writable directory.',
      { cause: error },
    );
  }
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : String(error);
}

async function listRecords(directory: string): Promise<readonly SourcedRecord[]> {
  await checkDirectory(directory);
  const files = (await findJsonFiles(directory)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const records: SourcedRecord[] = [];
  // One file after the other, so that with several bad files the error always names the same one.
  for (const file of files) records.push({ record: parseRecord(await readRecordFile(file), file), source: file });
  return records;
}

async function checkDirectory(directory: string): Promise<void> {
  const stats = await stat(directory).catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT') {
      throw new UserError(
        input,
        `${JSON.stringify(directory)} does not exist.`,
        "Download the build jobs' record artifacts into this folder before the merge (actions/download-artifact `path:`), or correct the path.",
      );
    }
    throw new UserError(
      input,
      `${JSON.stringify(directory)} cannot be read (${errorCode(error)}).`,
      'Make it a readable directory.',
      {
        cause: error,
      },
    );
  });
  if (!stats.isDirectory()) {
    throw new UserError(
      input,
      `${JSON.stringify(directory)} is not a directory.`,
      'Set it to the folder that holds the records.',
    );
  }
}

async function findJsonFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const found = await Promise.all(
    entries.map(async (entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) return findJsonFiles(path);
      return entry.name.endsWith('.json') ? [path] : [];
    }),
  );
  return found.flat();
}

async function readRecordFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(file, `cannot be read (${errorCode(error)}).`, 'Make the records readable by this job.', {
      cause: error,
    });
  }
}

function checkName(name: string): void {
  if (name !== '' && !/[/\\\0]/.test(name) && !name.includes('..')) return;
  throw new UserError(
    input,
    `record name ${JSON.stringify(name)} is not a plain file name.`,
    'Use a name without "/", "\\", ".." or NUL characters.',
  );
}

async function putRecord(directory: string, record: DigestRecord, name: string): Promise<void> {
  checkName(name);
  const file = join(directory, `${name}.json`);
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing !== undefined) checkReplacement({ record: parseRecord(existing, file), source: file }, record);
  // The temporary name does not end in .json, so a concurrent list() never reads a half-written record.
  const temporary = join(directory, `.${name}.${process.pid}.${++temporaryFiles}.tmp`);
  try {
    await mkdir(directory, { recursive: true });
    await writeFile(temporary, serializeRecord(record));
    await rename(temporary, file);
  } catch (error) {
    // Best effort: the write error below is the one worth reporting, not a failure to tidy up after it.
    await rm(temporary, { force: true }).catch(() => undefined);
    throw new UserError(
      input,
      `cannot write ${JSON.stringify(file)} (${errorCode(error)}).`,
      'Make records-path a directory this job can write to.',
      { cause: error },
    );
  }
}
