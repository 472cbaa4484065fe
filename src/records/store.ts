import type { DigestRecord, SourcedRecord } from './record.js';

/**
 * Where build jobs leave their digest records and the merge finds them: a directory (records-path) or this run's
 * artifacts. `name` identifies one build's record (see naming.ts); putting the same name again replaces it, so a
 * re-run job never leaves two records behind.
 */
export interface RecordStore {
  /** Fails, naming what to fix, when records cannot be stored here: called before anything is built or pushed. */
  ready(): Promise<void>;
  put(record: DigestRecord, name: string): Promise<void>;
  /** Every record in the store, in a stable order, each with where it was read from. */
  list(): Promise<readonly SourcedRecord[]>;
}

/** How messages name where the records are: the input that points at them, or the run's artifacts. */
export function recordsSubject(recordsPath: string | undefined): string {
  return recordsPath === undefined ? "this run's record artifacts" : 'records-path';
}
