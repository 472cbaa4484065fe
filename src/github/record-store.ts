import type { Logger } from '../log.js';
import { directoryRecordStore } from '../records/directory.js';
import type { RecordStore } from '../records/store.js';
import { artifactRecordStore } from './artifacts.js';

/** records-path when it is set (other CI systems, local runs); otherwise this workflow run's artifacts. */
export function recordStore(
  recordsPath: string | undefined,
  images: readonly { readonly registry: string; readonly path: string }[],
  context: { readonly logger: Logger; readonly env: Readonly<Record<string, string | undefined>> },
): RecordStore {
  if (recordsPath !== undefined) return directoryRecordStore(recordsPath);
  const names = images.map((image) => `${image.registry}/${image.path}`);
  return artifactRecordStore({ images: names, logger: context.logger, env: context.env });
}
