import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The merge starts without the attest libraries (@actions/attest and @sigstore/*, megabytes of code): dist/merge.js
 * reaches them only through a dynamic import(), taken when `attest` is on. It takes node:http by require(): on Node 24
 * an ESM import of it reads every export, the lazy WebSocket ones too, which load Node's own undici (scripts/build.mjs).
 */
const staticImport = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*"(\.[^"]+)"|(?:^|\n)import\s*"(\.[^"]+)"/g;
const dynamicImport = /import\("(\.[^"]+)"\)/g;
const esmImportOfHttp = /(?:^|\n)\s*import\s[^;]*?from\s*"(?:node:)?https?"/;

/** The files a module loads: through static imports only, or through dynamic ones as well. */
function closure(entry: string, followDynamic: boolean): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    seen.set(file, text);
    const patterns = followDynamic ? [staticImport, dynamicImport] : [staticImport];
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) visit(join(dirname(file), (match[1] ?? match[2]) as string));
    }
  };
  visit(entry);
  return seen;
}

// The public-good Fulcio that @actions/attest signs with: a string of the library, not of our code.
const holdsAttestLibrary = (text: string) => text.includes('https://fulcio.sigstore.dev');

describe('dist/merge.js', () => {
  const entry = resolve('dist/merge.js');

  test('does not load the attest libraries when it starts', () => {
    const loaded = [...closure(entry, false)].filter(([, text]) => holdsAttestLibrary(text));
    expect(loaded.map(([file]) => file)).toEqual([]);
  });

  test('reaches them through a dynamic import', () => {
    const reachable = [...closure(entry, true)].filter(([, text]) => holdsAttestLibrary(text));
    expect(reachable.length).toBeGreaterThan(0);
  });

  test('takes node:http by require(), never by an ESM import', () => {
    const texts = [...closure(entry, true).values()];
    expect(texts.filter((text) => esmImportOfHttp.test(text))).toHaveLength(0);
    expect(texts.some((text) => text.includes('require("node:http")'))).toBe(true);
  });
});
