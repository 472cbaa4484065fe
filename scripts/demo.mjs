// Runs scripts/demo.ts: bundled on the fly so the demo reuses the test support (registry, artifact service, builder,
// runner harness) instead of a second copy of it in plain JavaScript.
import { build } from 'esbuild';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const outfile = join(process.cwd(), 'node_modules', '.cache', 'multiarch-publish-demo.mjs');
await build({
  entryPoints: ['scripts/demo.ts'],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
const { runDemo } = await import(pathToFileURL(outfile).href);
process.exitCode = await runDemo();
