import { expect } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../src/errors.js';
import { runMerge, type MergeRun } from './merge-fixture.js';
import type { AccessLogEntry, TestRegistry } from './registry.js';

/** A merge run and what each registry logged while it ran. */
export interface ObservedRun {
  readonly run: MergeRun;
  readonly writes: readonly (readonly AccessLogEntry[])[];
  readonly requests: readonly (readonly AccessLogEntry[])[];
}

/** Runs the merge with every registry's log emptied first and settled after, so the logs hold this run alone. */
export async function observeMerge(
  registries: readonly TestRegistry[],
  inputs: Readonly<Record<string, string>>,
  options: Parameters<typeof runMerge>[1] = {},
): Promise<ObservedRun> {
  await Promise.all(registries.map((registry) => registry.settle()));
  registries.forEach((registry) => registry.reset());
  const run = await runMerge(inputs, options);
  await Promise.all(registries.map((registry) => registry.settle()));
  return {
    run,
    writes: registries.map((registry) => registry.writes()),
    requests: registries.map((registry) => registry.requests()),
  };
}

export interface ExpectedRefusal {
  readonly subject: string;
  /** Values the message must show in double quotes, as the user wrote them. */
  readonly quoted?: readonly string[];
  /** Text the message must contain as is. */
  readonly mentions?: readonly string[];
  readonly fix: RegExp;
}

/** The run failed with a UserError about `subject` that shows the bad values and says what to do. */
export function expectRefusal(error: unknown, expected: ExpectedRefusal): UserError {
  expect(error).toBeInstanceOf(UserError);
  const userError = error as UserError;
  expect(userError.subject).toBe(expected.subject);
  for (const value of expected.quoted ?? []) expect(userError.message).toContain(JSON.stringify(value));
  for (const text of expected.mentions ?? []) expect(userError.message).toContain(text);
  expect(userError.fix).toMatch(expected.fix);
  return userError;
}

/** Refused before the first write: a UserError as expected, and no registry logged a single write. */
export function expectRefusedBeforeWrites(observed: ObservedRun, expected: ExpectedRefusal): UserError {
  expect(observed.writes).toEqual(observed.writes.map(() => []));
  expect(observed.run.outcome).toBeUndefined();
  return expectRefusal(observed.run.error, expected);
}

/** Record files written verbatim (hand-made JSON); returns the folder and each file's path by name. */
export async function writeRecordFiles(
  files: Readonly<Record<string, string>>,
): Promise<{ readonly dir: string; readonly path: (name: string) => string }> {
  const dir = await mkdtemp(join(tmpdir(), 'records-'));
  await Promise.all(Object.entries(files).map(([name, text]) => writeFile(join(dir, name), text)));
  return { dir, path: (name) => join(dir, name) };
}
