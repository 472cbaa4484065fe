// The fenced ```yaml blocks of a Markdown file, with the line each starts on, so that a problem found in a README
// example can be reported at its line in README.md.

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
