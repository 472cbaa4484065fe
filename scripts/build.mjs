// Bundles one entry per action (src/<action>-action/main.ts -> dist/<action>.js) with shared chunks, so the actions
// share one copy of undici and @actions/core and load heavier modules only when they import them lazily.
import { build } from 'esbuild';
import { readdirSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

// src/<name>-action/main.ts is the entry of the action whose bundle is dist/<name>.js.
const entryPoints = Object.fromEntries(
  readdirSync('src', { withFileTypes: true })
    .filter((entry) => entry.name.endsWith('-action') && existsSync(join('src', entry.name, 'main.ts')))
    .map((entry) => [entry.name.slice(0, -'-action'.length), join('src', entry.name, 'main.ts')]),
);

// Every import of undici gets a shim in scripts/bundle/ holding only what its importer uses: the dispatcher and its
// request API (undici.cjs), or fetch for @actions/github (undici-fetch.cjs, so fetch stays in the chunks that load
// when artifacts are used).
const leanUndici = {
  name: 'lean-undici',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, (args) => {
      const shim = /[\\/]@actions[\\/]github[\\/]/.test(args.importer) ? 'undici-fetch.cjs' : 'undici.cjs';
      return { path: join(process.cwd(), 'scripts', 'bundle', shim) };
    });
  },
};

// An ESM import of node:http builds its namespace by reading every export, and on Node 24 (the runtime the actions
// declare) that loads Node's own undici for the lazy WebSocket exports: about 20 ms of the merge's cold start. The
// bundles require() http and https instead, through the banner's createRequire, which reads no export until used.
const httpModule = /^(node:)?https?$/;
const httpByRequire = {
  name: 'http-by-require',
  setup(build) {
    build.onResolve({ filter: httpModule }, (args) =>
      args.kind === 'import-statement' || args.kind === 'dynamic-import'
        ? { path: args.path.replace(/^node:/, ''), namespace: 'http-by-require' }
        : { path: args.path, external: true },
    );
    build.onLoad({ filter: /.*/, namespace: 'http-by-require' }, (args) => ({
      contents: `module.exports = require('node:${args.path}');`,
      loader: 'js',
    }));
  },
};

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
  plugins: [leanUndici, httpByRequire],
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
