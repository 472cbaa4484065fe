import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { UserError } from '../../errors.js';

/** The folder of an attempt's record on the legacy service: `attempt-2/<name>.json`. */
export function attemptFolder(attempt: number): string {
  return `attempt-${attempt}`;
}

const attemptPath = /^attempt-([1-9]\d*)\/([^/]+\.json)$/;

/** The artifact holds one file, a .json: the record, wherever it came from (a build job, or a workflow's step). */
export async function theOneRecordFile(directory: string, source: string): Promise<string> {
  const files = await filesUnder(directory);
  const [file] = files;
  if (files.length === 1 && file !== undefined && file.endsWith('.json')) return file;
  throw notARecord(directory, files, source);
}

/**
 * On the legacy service an artifact is a folder that every attempt of the run adds to, and nothing in it can be
 * deleted: each attempt's record is `attempt-<n>/<file>.json`, and the newest attempt's is the record. An artifact
 * without attempt folders is read as on the current service (one .json file), so that a record a workflow step
 * uploaded with actions/upload-artifact@v3 reads too.
 */
export async function newestAttemptRecordFile(directory: string, source: string): Promise<string> {
  const files = await filesUnder(directory);
  const attempts = files.map((file) => attemptPath.exec(relative(directory, file).split(sep).join('/')));
  if (attempts.every((match) => match === null)) return theOneRecordFile(directory, source);
  const numbers = attempts.map((match) => (match === null ? Number.NaN : Number(match[1])));
  const newest = Math.max(...numbers);
  const inNewest = files.filter((_file, index) => numbers[index] === newest);
  const [file] = inNewest;
  if (numbers.every(Number.isInteger) && inNewest.length === 1 && file !== undefined) return file;
  throw notARecord(directory, files, source);
}

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function notARecord(directory: string, files: readonly string[], source: string): UserError {
  const found =
    files.length === 0 ? 'no files' : files.map((path) => JSON.stringify(relative(directory, path))).join(', ');
  return new UserError(
    source,
    `is not a multiarch-publish digest record artifact: it holds ${found}, not exactly one .json file.`,
    'Give other artifacts names that do not start with "multiarch-publish-": those names belong to the build jobs’ records.',
  );
}
