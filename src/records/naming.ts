import { createHash } from 'node:crypto';
import { UserError } from '../errors.js';
import type { Platform } from '../oci/descriptor.js';
import { OciError } from '../oci/errors.js';
import { formatRepository, parseRepository } from '../oci/reference.js';

const namePrefix = 'multiarch-publish-';
// 64 bits: two image sets of one workflow colliding is out of the question, and the name stays short.
const setHashLength = 16;

function canonicalRepository(image: string): string {
  try {
    return formatRepository(parseRepository(image));
  } catch (error) {
    if (!(error instanceof OciError)) throw error;
    throw new UserError('images', `${error.message}.`, 'List repositories as registry/path, without tag or digest.', {
      cause: error,
    });
  }
}

/**
 * The name every record of one image set starts with: a hash of its canonical repositories, so that the order and
 * spelling of `images` do not matter (ubuntu = docker.io/library/ubuntu) and two image sets built in the same workflow
 * never share records. The hash has a fixed length, so one set's name is never a prefix of another's.
 */
export function recordSetName(images: readonly string[]): string {
  if (images.length === 0) throw new Error('recordSetName needs at least one image');
  const repositories = [...new Set(images.map(canonicalRepository))].sort();
  const hash = createHash('sha256').update(repositories.join('\n')).digest('hex');
  return `${namePrefix}${hash.slice(0, setHashLength)}`;
}

/**
 * `linux-arm-v7`, `windows-amd64-10.0.20348.2340`: the platform as written, lower-cased, safe as a file and artifact
 * name. It is not normalised, so that two jobs that spell one platform differently keep two records and the merge
 * reports the duplicate, instead of one job silently replacing the other's record.
 */
export function platformPair(platform: Platform): string {
  const parts = [platform.os, platform.architecture, platform.variant, platform['os.version']];
  return (
    parts
      .filter((part): part is string => part !== undefined && part !== '')
      .join('-')
      .toLowerCase()
      .replace(/[^a-z0-9._-]/g, '-')
      // records-path refuses ".." in a name, so a strange os.version must not produce one.
      .replace(/\.{2,}/g, '.')
  );
}

/** The name of one build's record: unique per image set and platform, and the same when the job runs again. */
export function recordName(images: readonly string[], platform: Platform): string {
  return `${recordSetName(images)}-${platformPair(platform)}`;
}

/** Whether `name` is a record of this image set (and not of another set whose name merely looks alike). */
export function isRecordOf(name: string, images: readonly string[]): boolean {
  return name.startsWith(`${recordSetName(images)}-`);
}

/** Whether `name` looks like any multiarch-publish record, of whatever image set. */
export function isAnyRecordName(name: string): boolean {
  return name.startsWith(namePrefix);
}
