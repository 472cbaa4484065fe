import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { OciError } from './errors.js';

// image-spec descriptor.md: algorithm ":" encoded.
const digestPattern = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

// Registered algorithms have a fixed encoding; anything else only has to match the grammar.
const registeredEncodings: Readonly<Record<string, RegExp>> = {
  sha256: /^[a-f0-9]{64}$/,
  sha512: /^[a-f0-9]{128}$/,
};

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function isValidDigest(value: string): boolean {
  if (!digestPattern.test(value)) return false;
  const separator = value.indexOf(':');
  const encoding = registeredEncodings[value.slice(0, separator)];
  return encoding === undefined || encoding.test(value.slice(separator + 1));
}

export function parseDigest(value: string): string {
  if (isValidDigest(value)) return value;
  throw new OciError({
    code: 'INVALID_DIGEST',
    message: `invalid digest ${JSON.stringify(value)}: expected "<algorithm>:<encoded>", sha256 as 64 lowercase hex`,
  });
}

function hashFor(digest: string): Hash {
  const algorithm = parseDigest(digest).slice(0, digest.indexOf(':'));
  if (algorithm in registeredEncodings) return createHash(algorithm);
  throw new OciError({
    code: 'INVALID_DIGEST',
    message: `cannot verify digest ${JSON.stringify(digest)}: only sha256 and sha512 are supported`,
  });
}

function mismatch(message: string): OciError {
  return new OciError({ code: 'DIGEST_MISMATCH', message });
}

/**
 * Passes bytes through unchanged while counting and hashing them, so content is checked as it is copied rather than
 * after it has been written somewhere. Fails as soon as more than `size` bytes arrive, and at the end when the size or
 * the digest is not the expected one.
 */
export function verifyingStream(expected: { readonly digest: string; readonly size: number }): Transform {
  const hash = hashFor(expected.digest);
  const algorithm = expected.digest.slice(0, expected.digest.indexOf(':'));
  let received = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      received += chunk.length;
      if (received > expected.size) {
        callback(
          mismatch(
            `content of ${expected.digest} is longer than expected: ${received} bytes received so far, expected ${expected.size}`,
          ),
        );
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      if (received !== expected.size) {
        callback(mismatch(`content of ${expected.digest} is ${received} bytes, expected ${expected.size}`));
        return;
      }
      const actual = `${algorithm}:${hash.digest('hex')}`;
      if (actual !== expected.digest) {
        callback(mismatch(`content digest is ${actual}, expected ${expected.digest}`));
        return;
      }
      callback();
    },
  });
}
