// Runs a TypeScript script of this folder: `node scripts/run-ts.mjs scripts/docs.ts [args]` bundles it with esbuild
// (node_modules left external) and calls its exported `main(args)`, whose number becomes the exit code. The scripts
// stay TypeScript so the type check, ESLint and the unit tests that import them see the same code.
import { build } from 'esbuild';
import { register } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// @actions/workflow-parser imports its JSON schemas without `with { type: 'json' }`, which bundlers accept and
// Node does not; this loader hook adds the attribute to such imports.
const jsonImportHook = `export async function load(url, context, nextLoad) {
  const attributes = context.importAttributes ?? {};
  if (url.endsWith('.json') && attributes.type === undefined) {
    return nextLoad(url, { ...context, importAttributes: { ...attributes, type: 'json' } });
  }
  return nextLoad(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(jsonImportHook)}`);

const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error('usage: node scripts/run-ts.mjs <script.ts> [args…]');
  process.exit(2);
}
const outfile = join(process.cwd(), 'node_modules', '.cache', 'multiarch-publish-scripts', `${basename(script)}.mjs`);
await build({
  entryPoints: [resolve(script)],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
const { main } = await import(pathToFileURL(outfile).href);
if (typeof main !== 'function') {
  console.error(`${script} exports no main(args)`);
  process.exit(2);
}
process.exitCode = await main(args);
