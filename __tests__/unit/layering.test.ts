import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * style.md §3 as a test, on the model of go-containerregistry's depcheck_test.go: every import in src (static, type-only,
 * export-from, dynamic import()) is checked against the layering table, and every violation is listed at once.
 */
const srcDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/** Every module specifier a TypeScript source names, by syntax, so comments and strings never count. */
function importSpecifiers(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    const specifier = specifierOf(node);
    if (specifier !== undefined) found.push(specifier);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function specifierOf(node: ts.Node): string | undefined {
  if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
    return ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : undefined;
  }
  const isDynamicImport = ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword;
  if (isDynamicImport) {
    const [argument] = node.arguments;
    // A computed import() cannot be checked: report it rather than let it pass unseen.
    return argument !== undefined && ts.isStringLiteralLike(argument) ? argument.text : '<computed import()>';
  }
  if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
    const expression = node.moduleReference.expression;
    return ts.isStringLiteral(expression) ? expression.text : undefined;
  }
  if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
    return node.argument.literal.text;
  }
  return undefined;
}

const features = new Set(['build-action', 'merge-action', 'matrix-action']);

/** A module of src as the table names it: `oci`, `github`, `records`, `errors`, `feature:merge-action`, ... */
function layerOf(srcPath: string): string {
  const [top = '', ...rest] = srcPath.split('/');
  if (rest.length === 0) return top.replace(/\.ts$/, '');
  if (features.has(top)) return rest.join('/') === 'main.ts' ? `main:${top}` : `feature:${top}`;
  return top;
}

/** What an import points at: a src layer (with its src path) or a package. */
interface Target {
  readonly layer: string;
  readonly srcPath?: string;
}

function targetOf(importerSrcPath: string, specifier: string): Target {
  if (specifier.startsWith('node:')) return { layer: 'node:*' };
  if (specifier.startsWith('@actions/')) return { layer: '@actions/*' };
  if (!specifier.startsWith('.')) return { layer: `package ${specifier}` };
  const joined = posix.normalize(posix.join(posix.dirname(importerSrcPath), specifier));
  if (joined.startsWith('../')) return { layer: 'outside src' };
  const srcPath = joined.replace(/\.js$/, '.ts');
  return { layer: layerOf(srcPath), srcPath };
}

interface Rule {
  readonly allowed: readonly string[];
  readonly rule: string;
}

const sharedBase = ['publish', 'records', 'oci', 'errors', 'inputs', 'csv', 'log', 'exec', 'markdown', 'concurrency'];

/** The §3 table for the layers that are not features: which layers (or exact src files) each may import. */
const table: Readonly<Record<string, Rule>> = {
  oci: { allowed: ['oci', 'node:*', 'package undici'], rule: 'src/oci imports only node:*, undici and src/oci' },
  github: {
    allowed: [
      'github',
      '@actions/*',
      'node:*',
      'records',
      'errors',
      'inputs',
      'log',
      'exec',
      'markdown',
      'concurrency',
    ],
    rule: 'src/github imports @actions/*, records, errors, inputs, log, exec, markdown, concurrency',
  },
  // Publishing an index from records: the merge action's whole work, and the build action's when it publishes itself.
  publish: {
    allowed: ['publish', 'node:*', 'records', 'oci', 'errors', 'inputs', 'log', 'markdown', 'concurrency'],
    rule: 'src/publish imports only records, oci, errors, inputs, log, markdown, concurrency, node:*',
  },
  records: {
    allowed: ['records', 'node:*', 'oci', 'errors', 'inputs', 'log'],
    rule: 'src/records imports only oci, errors, inputs, log, node:*',
  },
  // explain(): the facts of an OciError, and the advice of the registry family that answered.
  errors: {
    allowed: ['errors', 'oci/errors.ts', 'oci/registries/lookup.ts', 'oci/registries/profiles.ts'],
    rule: 'src/errors.ts imports only oci/errors.ts and the registry profiles',
  },
  // The pure parsers of references and platforms, so every action reads `images` and platforms with one grammar.
  inputs: {
    allowed: ['errors', 'csv', 'oci/errors.ts', 'oci/descriptor.ts', 'oci/platform.ts', 'oci/reference.ts'],
    rule: 'src/inputs.ts imports only errors, csv and the pure oci parsers (errors, descriptor, platform, reference)',
  },
  // The CSV record splitting of the docker/* actions' list grammar: pure text.
  csv: { allowed: [], rule: 'src/csv.ts imports nothing' },
  // src/log.ts re-exports the logger type src/oci defines for itself (§3: "it defines its own minimal logger type").
  log: { allowed: ['oci/logger.ts'], rule: 'src/log.ts imports nothing but the oci logger type it re-exports' },
  exec: { allowed: [], rule: 'src/exec.ts imports nothing' },
  // Job-summary markdown: pure text, so the features that describe their results can render them.
  markdown: { allowed: [], rule: 'src/markdown.ts imports nothing' },
  // Bounded parallelism over a list: the artifact downloads and the tag writes share one limiter.
  concurrency: { allowed: [], rule: 'src/concurrency.ts imports nothing' },
};

function ruleFor(importer: string): Rule {
  const [kind, feature] = importer.split(':');
  if (kind === 'feature') {
    return {
      allowed: [importer, 'node:*', ...sharedBase],
      rule: 'features import publish, records, oci, errors, inputs, log, exec; never src/github, @actions/* or another feature',
    };
  }
  if (kind === 'main') {
    return {
      allowed: [`feature:${feature}`, 'github', 'node:*', ...sharedBase],
      rule: 'src/*-action/main.ts imports its feature and anything below; @actions/* only through src/github',
    };
  }
  if (Object.hasOwn(table, importer)) return table[importer]!;
  return { allowed: [], rule: `${importer} is not in the layering table of style.md §3` };
}

/** Why `specifier` in `importerSrcPath` breaks the table, or undefined when it may be imported. */
function violation(importerSrcPath: string, specifier: string): string | undefined {
  const importer = layerOf(importerSrcPath);
  const target = targetOf(importerSrcPath, specifier);
  const { allowed, rule } = ruleFor(importer);
  const exactFile = target.layer === 'oci' ? target.srcPath : undefined;
  if (allowed.includes(target.layer) || (exactFile !== undefined && allowed.includes(exactFile))) return undefined;
  return `src/${importerSrcPath} imports '${specifier}' (${target.layer}): ${rule}`;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function srcPathOf(file: string): string {
  return relative(srcDir, file).split(sep).join('/');
}

function importsBySrcPath(): Map<string, string[]> {
  const files = sourceFiles(srcDir);
  return new Map(files.map((file) => [srcPathOf(file), importSpecifiers(file, readFileSync(file, 'utf8'))]));
}

describe('the import parser', () => {
  test('sees every form of import and export-from, and nothing in comments or strings', () => {
    const text = [
      "import { a } from './static.js';",
      "import type { T } from './type-only.js';",
      "import './side-effect.js';",
      "export * from './star.js';",
      "export { b } from './named.js';",
      "export type { U } from './type-export.js';",
      "const lazy = await import('./dynamic.js');",
      "import legacy = require('./require.js');",
      "type V = typeof import('./type-query.js');",
      "// import { c } from './in-a-comment.js';",
      'const text = "import(\'./in-a-string.js\')";',
      'const computed = await import(name);',
    ].join('\n');
    expect(importSpecifiers('sample.ts', text)).toEqual([
      './static.js',
      './type-only.js',
      './side-effect.js',
      './star.js',
      './named.js',
      './type-export.js',
      './dynamic.js',
      './require.js',
      './type-query.js',
      '<computed import()>',
    ]);
  });

  test("finds the known import of './errors.js' in src/oci/manifests.ts, so the real check cannot pass vacuously", () => {
    const imports = importsBySrcPath();
    expect(imports.get('oci/manifests.ts')).toContain('./errors.js');
    expect(imports.size).toBeGreaterThan(20);
    expect([...imports.values()].flat().length).toBeGreaterThan(50);
  });
});

describe('the layering table', () => {
  test.each([
    ['oci/manifests.ts', './errors.js', true],
    ['oci/auth/token.ts', '../http.js', true],
    ['oci/transport.ts', 'undici', true],
    ['oci/auth/credential-helper.ts', 'node:child_process', true],
    ['oci/client.ts', '@actions/core', false],
    ['oci/client.ts', '../log.js', false],
    ['oci/client.ts', '../records/record.js', false],
    ['oci/client.ts', '../github/run.js', false],
    ['oci/client.ts', 'yaml', false],
    ['github/run.ts', '@actions/core', true],
    ['github/artifacts.ts', '@actions/artifact', true],
    ['github/run.ts', '../errors.js', true],
    ['github/artifacts.ts', '../records/store.js', true],
    ['github/run.ts', '../merge-action/inputs.js', false],
    ['github/attest.ts', '@actions/attest', true],
    ['github/attest.ts', '../publish/provenance.js', false],
    ['publish/provenance.ts', '../github/attest.js', false],
    ['publish/provenance.ts', '@actions/attest', false],
    ['oci/referrers.ts', '../publish/provenance.js', false],
    ['github/run.ts', 'undici', false],
    ['publish/write.ts', '../oci/client.js', true],
    ['publish/publish.ts', '../records/record.js', true],
    ['publish/plan.ts', './types.js', true],
    ['publish/plan.ts', '../github/run.js', false],
    ['build-action/build.ts', '../publish/converge.js', true],
    ['publish/plan.ts', '../build-action/build.js', false],
    ['publish/publish.ts', '../merge-action/inputs.js', false],
    ['publish/publish.ts', '../github/record-store.js', false],
    ['publish/report.ts', '../markdown.js', true],
    ['markdown.ts', '../oci/reference.js', false],
    ['merge-action/inputs.ts', '../build-action/build.js', false],
    ['build-action/build.ts', '../merge-action/inputs.js', false],
    ['matrix-action/matrix.ts', '../publish/validate.js', true],
    ['matrix-action/matrix.ts', '../merge-action/summary.js', false],
    ['merge-action/summary.ts', '@actions/core', false],
    ['merge-action/inputs.ts', 'undici', false],
    ['merge-action/summary.ts', './main.js', false],
    ['merge-action/main.ts', '../github/run.js', true],
    ['merge-action/main.ts', './summary.js', true],
    ['merge-action/main.ts', '../oci/transport.js', true],
    ['merge-action/main.ts', '../build-action/build.js', false],
    ['merge-action/main.ts', '@actions/core', false],
    ['records/directory.ts', 'node:fs/promises', true],
    ['records/record.ts', '../oci/digest.js', true],
    ['records/record.ts', '../inputs.js', true],
    ['records/record.ts', '../github/run.js', false],
    ['records/record.ts', '../merge-action/inputs.js', false],
    ['errors.ts', './oci/errors.js', true],
    ['errors.ts', './oci/registries/lookup.js', true],
    ['inputs.ts', './errors.js', true],
    ['inputs.ts', './csv.js', true],
    ['csv.ts', './errors.js', false],
    ['errors.ts', './oci/reference.js', false],
    ['errors.ts', './log.js', false],
    ['log.ts', './oci/logger.js', true],
    ['log.ts', './oci/errors.js', false],
    ['log.ts', './errors.js', false],
    ['exec.ts', './log.js', false],
    ['oci/client.ts', '../../outside.js', false],
    ['stray.ts', './log.js', false],
  ])('src/%s importing %j is allowed: %s', (importer, specifier, allowed) => {
    expect(violation(importer, specifier) === undefined).toBe(allowed);
  });

  test('src follows it: no import breaks style.md §3', () => {
    const violations = [...importsBySrcPath()].flatMap(([srcPath, specifiers]) =>
      specifiers.map((specifier) => violation(srcPath, specifier)).filter((found) => found !== undefined),
    );
    // Joined, so a failure prints the whole list one violation a line.
    expect(violations.join('\n')).toBe('');
  });
});
