// The Markdown files users read (README.md and docs/), and the fenced ```yaml blocks of each with the line each starts
// on, so that a problem found in an example can be reported at its line in the file that shows it.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * The documentation of the repository at `root`: README.md, then every `.md` file under docs/ (subfolders too), sorted,
 * as paths relative to `root` with `/` between folders. The reference tables, the lint and the check of every `uses:`
 * all read this one list, so a new page is checked the day it is added.
 */
export function documentationFiles(root: string): string[] {
  const docs = join(root, 'docs');
  const pages = existsSync(docs)
    ? readdirSync(docs, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
        .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
        .sort()
    : [];
  return ['README.md', ...pages];
}

export interface YamlBlock {
  readonly text: string;
  /** The 1-based line in the Markdown file of the block's first YAML line. */
  readonly line: number;
}

const opening = /^(\s*)(`{3,}|~{3,})\s*(yaml|yml)\s*$/i;

/** Every fenced block whose info string is `yaml` or `yml`, indented code blocks and other languages left out. */
export function yamlBlocks(markdown: string): YamlBlock[] {
  const lines = markdown.split('\n');
  const blocks: YamlBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const match = opening.exec(lines[index] ?? '');
    if (!match) continue;
    const [, indent = '', fence = ''] = match;
    const closing = new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    const end = lines.findIndex((line, at) => at > index && closing.test(line));
    if (end < 0) throw new Error(`line ${index + 1}: the ${fence} yaml block is never closed`);
    const body = lines
      .slice(index + 1, end)
      .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line));
    blocks.push({ text: `${body.join('\n')}\n`, line: index + 2 });
    index = end;
  }
  return blocks;
}
