import type { Logger } from '../log.js';
import { directoryRecordStore } from '../records/directory.js';
import type { RecordStore } from '../records/store.js';
import { artifactRecordStore } from './artifacts.js';

/** records-path when it is set (other CI systems, local runs); otherwise this workflow run's artifacts. */
export function recordStore(
  recordsPath: string | undefined,
  /** Canonical repository names (`ghcr.io/o/app`): the image set whose records these are. */
  images: readonly string[],
  context: { readonly logger: Logger; readonly env: Readonly<Record<string, string | undefined>> },
): RecordStore {
  if (recordsPath !== undefined) return directoryRecordStore(recordsPath);
  return artifactRecordStore({ images, logger: context.logger, env: context.env });
}
