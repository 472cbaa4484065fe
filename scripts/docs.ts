// Keeps the reference tables of the documentation equal to the action.yml files and the reusable workflow: every
// `<!-- inputs: merge -->` … `<!-- end -->` region (also `outputs:` and, for the workflow, `secrets:`) is rewritten
// from the declarations, wherever it is in README.md or docs/, then each of those files is formatted by Prettier as
// `npm run lint` checks it. Each region appears exactly once across the files. `npm run docs` writes them;
// `npm run docs -- --check` and __tests__/unit/scripts/docs.test.ts fail when one is stale. Today every table is in
// docs/reference.md. `npm run docs`, with or without `--check`, also fails on a relative link of any Markdown file that
// names a missing file or heading (scripts/markdown-links.ts), since moving a section between pages breaks such links.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { loadPublished, type Parameter, type PublishedInterface } from './actions.js';
import { documentationFiles } from './markdown-blocks.js';
import { linkProblems, markdownFiles } from './markdown-links.js';

/** A Markdown file and its text; `file` is relative to the repository root (`docs/reference.md`). */
export interface Page {
  readonly file: string;
  readonly text: string;
}

type Section = 'inputs' | 'outputs' | 'secrets';

const region = /(<!-- (inputs|outputs|secrets): ([a-z-]+) -->\n)[\s\S]*?(<!-- end -->)/g;

/** A table cell: one line, and a pipe cannot end the cell early (GFM splits rows before reading code spans). */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ` ${text} ` : text}${fence}`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function defaultCell(parameter: Parameter): string {
  if (parameter.required) return '(required)';
  return parameter.default === undefined || parameter.default === '' ? '' : code(parameter.default);
}

function sectionTable(published: PublishedInterface, section: Section): string {
  const parameters = published[section];
  if (parameters.length === 0) return `_No ${section}._`;
  const name = (parameter: Parameter) => code(parameter.name);
  if (section === 'outputs') {
    return table(
      ['output', 'description'],
      parameters.map((p) => [name(p), p.description]),
    );
  }
  if (section === 'secrets') {
    return table(
      ['secret', 'required', 'description'],
      parameters.map((p) => [name(p), p.required ? 'yes' : 'no', p.description]),
    );
  }
  if (published.kind === 'workflow') {
    return table(
      ['input', 'type', 'default', 'description'],
      parameters.map((p) => [name(p), p.type ?? 'string', defaultCell(p), p.description]),
    );
  }
  return table(
    ['input', 'default', 'description'],
    parameters.map((p) => [name(p), defaultCell(p), p.description]),
  );
}

function requiredSections(published: PublishedInterface): Section[] {
  return published.kind === 'workflow' ? ['inputs', 'secrets', 'outputs'] : ['inputs', 'outputs'];
}

/** Whether a page holds at least one marked region. */
function hasTables(page: Page): boolean {
  return new RegExp(region.source).test(page.text);
}

/**
 * The pages with every marked region regenerated. Throws, naming the file, when a region names nothing published,
 * appears twice (in one page or in two), or when a table of a published action or workflow is in none of the pages.
 */
export function fillTables(pages: readonly Page[], interfaces: readonly PublishedInterface[]): Page[] {
  const byName = new Map(interfaces.map((each) => [each.name, each]));
  const seen = new Map<string, string>();
  const filled = pages.map((page) => ({
    file: page.file,
    text: page.text.replace(region, (_match, start: string, section: Section, name: string, end: string) => {
      const marker = `<!-- ${section}: ${name} -->`;
      const published = byName.get(name);
      if (!published || !requiredSections(published).includes(section)) {
        throw new Error(`${page.file}: ${marker} names nothing this repository publishes`);
      }
      const earlier = seen.get(marker);
      if (earlier !== undefined) {
        throw new Error(`${page.file}: ${marker} appears twice${earlier === page.file ? '' : ` (also in ${earlier})`}`);
      }
      seen.set(marker, page.file);
      return `${start}\n${sectionTable(published, section)}\n\n${end}`;
    }),
  }));
  const missing = interfaces.flatMap((each) =>
    requiredSections(each)
      .map((section) => `<!-- ${section}: ${each.name} -->`)
      .filter((marker) => !seen.has(marker)),
  );
  if (missing.length > 0) {
    const files = pages.map((page) => page.file).join(', ');
    throw new Error(
      `no page has a table for ${missing.join(', ')} (read ${files}); add each marker followed by <!-- end -->`,
    );
  }
  return filled;
}

/** What the pages should be: their tables regenerated from the repository at `root`, formatted as Prettier would. */
export async function renderPages(pages: readonly Page[], root: string): Promise<Page[]> {
  const filled = fillTables(pages, await loadPublished(root));
  return Promise.all(
    filled.map(async (page) => {
      const file = join(root, page.file);
      const options = (await prettier.resolveConfig(file)) ?? {};
      return { file: page.file, text: await prettier.format(page.text, { ...options, filepath: file }) };
    }),
  );
}

/** README.md and every page under docs/ of the repository at `root`. */
export async function readPages(root: string): Promise<Page[]> {
  return Promise.all(
    documentationFiles(root).map(async (file) => ({ file, text: await readFile(join(root, file), 'utf8') })),
  );
}

/** Every relative link of the repository's Markdown that names a missing file or heading, one line each. */
function brokenLinks(root: string): string[] {
  return markdownFiles(root)
    .flatMap((file) => linkProblems(root, file))
    .map((problem) => `${problem.file}:${problem.line}: ${problem.message}`);
}

/**
 * `npm run docs` rewrites the pages whose tables are stale; with `--check` it only reports them. Either way a broken
 * link is reported and fails the command.
 */
export async function main(args: readonly string[]): Promise<number> {
  const root = process.cwd();
  const pages = await readPages(root);
  const wanted = await renderPages(pages, root);
  const stale = wanted.filter((page, index) => page.text !== pages[index]?.text);
  const broken = brokenLinks(root);
  for (const line of broken) console.error(line);
  if (broken.length > 0) console.error(`docs: ${broken.length} broken links: fix the link or the heading it names`);
  const names = stale.map((page) => page.file).join(', ');
  if (stale.length === 0) {
    const tables = pages.filter(hasTables).map((page) => page.file);
    console.log(`docs: the tables of ${tables.join(', ')} match the action.yml files and the reusable workflow`);
  } else if (args.includes('--check')) {
    const verb = stale.length === 1 ? 'differs' : 'differ';
    console.error(
      `docs: ${names} ${verb} from the action.yml files, the reusable workflow or Prettier: run npm run docs`,
    );
    return 1;
  } else {
    await Promise.all(stale.map((page) => writeFile(join(root, page.file), page.text)));
    console.log(`docs: ${names} rewritten`);
  }
  return broken.length > 0 ? 1 : 0;
}
