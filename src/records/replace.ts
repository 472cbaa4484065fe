import { UserError } from '../errors.js';
import { formatPlatform } from '../oci/platform.js';
import type { DigestRecord, SourcedRecord } from './record.js';

/**
 * Whether `incoming` may replace the record stored under the same name. A re-run job (a later attempt of the run)
 * replaces its own record, and so does the same image recorded again; two jobs of one attempt that record one
 * platform with different images are a matrix that builds a platform twice, which would silently lose one of them.
 */
export function checkReplacement(existing: SourcedRecord, incoming: DigestRecord): void {
  const [before, now] = [existing.record.run, incoming.run];
  if (existing.record.digest === incoming.digest || before === undefined || now === undefined) return;
  if (before.id !== now.id || now.attempt > before.attempt) return;
  throw new UserError(
    'platform',
    `${formatPlatform(incoming.platform)} was already recorded in this run attempt by another job (${existing.source}, ${existing.record.digest}); this job pushed ${incoming.digest}.`,
    'Build each platform in one job only: look for a platform listed twice in the matrix (Windows images for two OS versions need the version in platform, e.g. windows(10.0.20348)/amd64).',
  );
}
