import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isValidDigest, parseDigest, sha256Digest, verifyingStream } from '../../../src/oci/digest.js';
import { OciError } from '../../../src/oci/errors.js';

const hex64 = 'a'.repeat(64);

describe('sha256Digest', () => {
  test.each([
    ['', 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['{}', 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'],
    ['hello\n', 'sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03'],
  ])('digests %j as %s', (text, expected) => {
    expect(sha256Digest(Buffer.from(text))).toBe(expected);
  });
});

describe('isValidDigest and parseDigest', () => {
  test.each([
    `sha256:${hex64}`,
    `sha512:${'0'.repeat(128)}`,
    'blake3:abc',
    'sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564',
    'multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8',
  ])('accepts %j', (value) => {
    expect(isValidDigest(value)).toBe(true);
    expect(parseDigest(value)).toBe(value);
  });

  test.each([
    '',
    hex64,
    `sha256:${'A'.repeat(64)}`,
    `sha256:${'a'.repeat(63)}`,
    `sha256:${'a'.repeat(65)}`,
    `sha256:${'g'.repeat(64)}`,
    `sha512:${hex64}`,
    `SHA256:${hex64}`,
    `sha256:`,
    `:${hex64}`,
    `sha256:${hex64}\n`,
    `sha256::${hex64}`,
    'sha256+:abc',
    'alg:abc/def',
  ])('rejects %j with INVALID_DIGEST quoting it', (value) => {
    expect(isValidDigest(value)).toBe(false);
    expect(() => parseDigest(value)).toThrow(
      expect.objectContaining({
        code: 'INVALID_DIGEST',
        message: expect.stringContaining(JSON.stringify(value)),
      }),
    );
  });
});

async function runThrough(chunks: readonly Buffer[], expected: { digest: string; size: number }): Promise<Buffer> {
  const received: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      received.push(chunk);
      callback();
    },
  });
  await pipeline(Readable.from(chunks), verifyingStream(expected), sink);
  return Buffer.concat(received);
}

describe('verifyingStream', () => {
  const content = Buffer.from('the layer content, in several chunks');
  const chunks = [content.subarray(0, 5), content.subarray(5, 20), content.subarray(20)];
  const digest = `sha256:${createHash('sha256').update(content).digest('hex')}`;

  test('passes matching content through unchanged', async () => {
    await expect(runThrough(chunks, { digest, size: content.length })).resolves.toEqual(content);
  });

  test('verifies sha512 digests too', async () => {
    const sha512 = `sha512:${createHash('sha512').update(content).digest('hex')}`;
    await expect(runThrough(chunks, { digest: sha512, size: content.length })).resolves.toEqual(content);
  });

  test('passes empty content with the empty digest', async () => {
    await expect(runThrough([], { digest: sha256Digest(Buffer.alloc(0)), size: 0 })).resolves.toEqual(Buffer.alloc(0));
  });

  test('fails with DIGEST_MISMATCH naming both digests when the bytes differ', async () => {
    const wrong = Buffer.from(content);
    wrong[3] = 0x21;
    const actual = sha256Digest(wrong);
    const failure = runThrough([wrong], { digest, size: content.length });
    await expect(failure).rejects.toThrow(OciError);
    await expect(failure).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    await expect(failure).rejects.toThrow(`content digest is ${actual}, expected ${digest}`);
  });

  test('fails as soon as more bytes than the size arrive, before passing them on', async () => {
    const passed: Buffer[] = [];
    const stream = verifyingStream({ digest, size: 10 });
    stream.on('data', (chunk: Buffer) => passed.push(chunk));
    const failed = new Promise<Error>((resolve) => stream.on('error', resolve));
    stream.write(content.subarray(0, 8));
    stream.write(content.subarray(8, 12));
    const error = await failed;
    expect(error).toMatchObject({ code: 'DIGEST_MISMATCH' });
    expect(error.message).toContain(
      `content of ${digest} is longer than expected: 12 bytes received so far, expected 10`,
    );
    expect(Buffer.concat(passed)).toEqual(content.subarray(0, 8));
  });

  test('fails when the content ends short of the size', async () => {
    const failure = runThrough([content.subarray(0, 10)], { digest, size: content.length });
    await expect(failure).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    await expect(failure).rejects.toThrow(`content of ${digest} is 10 bytes, expected ${content.length}`);
  });

  test.each([`sha256:abc`, 'blake3:abc'])('refuses to verify against %j', (value) => {
    expect(() => verifyingStream({ digest: value, size: 1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_DIGEST' }),
    );
  });
});
