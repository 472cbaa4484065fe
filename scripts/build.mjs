// Bundles one entry per action (src/<action>/main.ts -> dist/<action>.js) with shared chunks, so the actions
// share one copy of undici and @actions/core and load heavier modules only when they import them lazily.
import { build } from 'esbuild';
import { readdirSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const entryPoints = Object.fromEntries(
  readdirSync('src', { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join('src', entry.name, 'main.ts')))
    .map((entry) => [entry.name, join('src', entry.name, 'main.ts')]),
);

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
console.log(
  `built ${Object.keys(entryPoints)
    .map((name) => `dist/${name}.js`)
    .join(', ')}`,
);
