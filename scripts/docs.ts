// Keeps README.md's reference tables equal to the action.yml files and the reusable workflow: every
// `<!-- inputs: merge -->` … `<!-- end -->` region (also `outputs:` and, for the workflow, `secrets:`) is rewritten
// from the declarations, then the whole README is formatted by Prettier as `npm run lint` checks it.
// `npm run docs` writes README.md; `npm run docs -- --check` and __tests__/unit/scripts/docs.test.ts fail when it is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { loadPublished, type Parameter, type PublishedInterface } from './actions.js';

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

/** The README with every marked region regenerated; throws when a region is unknown, repeated or missing. */
export function fillTables(readme: string, interfaces: readonly PublishedInterface[]): string {
  const byName = new Map(interfaces.map((each) => [each.name, each]));
  const seen = new Set<string>();
  const filled = readme.replace(region, (_match, start: string, section: Section, name: string, end: string) => {
    const published = byName.get(name);
    if (!published || !requiredSections(published).includes(section)) {
      throw new Error(`README.md: <!-- ${section}: ${name} --> names nothing this repository publishes`);
    }
    if (seen.has(`${section}: ${name}`)) throw new Error(`README.md: <!-- ${section}: ${name} --> appears twice`);
    seen.add(`${section}: ${name}`);
    return `${start}\n${sectionTable(published, section)}\n\n${end}`;
  });
  const missing = interfaces.flatMap((each) =>
    requiredSections(each)
      .filter((section) => !seen.has(`${section}: ${each.name}`))
      .map((section) => `<!-- ${section}: ${each.name} -->`),
  );
  if (missing.length > 0) {
    throw new Error(`README.md has no table for ${missing.join(', ')}; add each marker followed by <!-- end -->`);
  }
  return filled;
}

/** What README.md should be: its tables regenerated from the repository at `root`, formatted as Prettier would. */
export async function renderReadme(readme: string, root: string): Promise<string> {
  const file = join(root, 'README.md');
  const filled = fillTables(readme, await loadPublished(root));
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(filled, { ...options, filepath: file });
}

/** `npm run docs` rewrites README.md; with `--check` it only reports whether README.md is up to date. */
export async function main(args: readonly string[]): Promise<number> {
  const root = process.cwd();
  const file = join(root, 'README.md');
  const readme = await readFile(file, 'utf8');
  const wanted = await renderReadme(readme, root);
  if (wanted === readme) {
    console.log('docs: README.md tables match the action.yml files and the reusable workflow');
    return 0;
  }
  if (args.includes('--check')) {
    console.error('docs: README.md differs from the action.yml files or the reusable workflow: run npm run docs');
    return 1;
  }
  await writeFile(file, wanted);
  console.log('docs: README.md tables rewritten');
  return 0;
}
