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

// Imports that would load at start what a run may never use get a shim in scripts/bundle/ that loads it when used.
const shims = [
  // undici: the dispatcher and its request API (fetch only where @actions/github is).
  { module: 'undici', importer: /[\\/]@actions[\\/]github[\\/]/, shim: 'undici-fetch.cjs' },
  { module: 'undici', shim: 'undici.cjs' },
  // @actions/core's OIDC client.
  { module: '@actions/http-client', importer: /[\\/]@actions[\\/]core[\\/]/, shim: 'http-client.cjs' },
];
const lazyImports = {
  name: 'lazy-imports',
  setup(build) {
    build.onResolve({ filter: /^(undici|@actions\/http-client)$/ }, async (args) => {
      if (args.pluginData === 'real') return undefined;
      // A shim's require() of the real package: resolved as an import, for the packages that only export one.
      if (args.importer.startsWith(join(process.cwd(), 'scripts', 'bundle'))) {
        const real = { kind: 'import-statement', resolveDir: args.resolveDir, pluginData: 'real' };
        return { path: (await build.resolve(args.path, real)).path };
      }
      const match = shims.find(
        (entry) => entry.module === args.path && (entry.importer === undefined || entry.importer.test(args.importer)),
      );
      return match && { path: join(process.cwd(), 'scripts', 'bundle', match.shim) };
    });
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
  plugins: [lazyImports],
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
