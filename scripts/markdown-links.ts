// The links between this repository's Markdown files: a relative link must name a file that exists and, when it names
// a heading (`docs/security.md#permissions`), a heading that page has, as GitHub spells its anchors. The README and
// docs/ link into each other and into CONTRIBUTING.md and SECURITY.md, and a heading renamed or a section moved to
// another page breaks such links silently; `npm run docs` reports them (scripts/docs.ts).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';

export interface LinkProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

const skipped = new Set(['node_modules', 'dist']);
const fence = /^\s*(`{3,}|~{3,})/;
const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/;
const link = /\]\(([^()\s]+)(?:\s+"[^"]*")?\)/g;

/** The lines of a Markdown text outside fenced code blocks, with their 1-based numbers. */
function proseLines(markdown: string): { text: string; line: number }[] {
  const found: { text: string; line: number }[] = [];
  let open: string | undefined;
  markdown.split('\n').forEach((text, index) => {
    const marker = fence.exec(text)?.[1];
    if (open === undefined && marker !== undefined) open = marker;
    else if (open !== undefined && marker !== undefined && marker[0] === open[0] && marker.length >= open.length) {
      open = undefined;
    } else if (open === undefined) found.push({ text, line: index + 1 });
  });
  return found;
}

/** GitHub's anchor of a heading: its text without links' targets, lower case, punctuation dropped, spaces as `-`. */
export function anchorOf(headingText: string): string {
  return headingText
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor of a page, a repeated heading getting `-1`, `-2`, … as on GitHub. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const counts = new Map<string, number>();
  for (const { text } of proseLines(markdown)) {
    const title = heading.exec(text)?.[1];
    if (title === undefined) continue;
    const base = anchorOf(title);
    const count = counts.get(base) ?? 0;
    counts.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** The relative links of a page (web addresses and `mailto:` left out), outside code blocks and code spans. */
export function relativeLinks(markdown: string): { target: string; line: number }[] {
  return proseLines(markdown).flatMap(({ text, line }) =>
    [...text.replace(/`[^`]*`/g, '').matchAll(link)]
      .map((match) => match[1] ?? '')
      .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
      .map((target) => ({ target, line })),
  );
}

/** Every `.md` file of the repository at `root`, outside dot-folders, node_modules and dist/, with `/` separators. */
export function markdownFiles(root: string, folder = ''): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith('.') && !(entry.isDirectory() && skipped.has(entry.name)))
    .flatMap((entry) => {
      const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory()) return markdownFiles(root, path);
      return entry.isFile() && entry.name.endsWith('.md') ? [path] : [];
    })
    .sort();
}

/** The links of `file` (relative to `root`) that name a missing file or a heading its page does not have. */
export function linkProblems(root: string, file: string): LinkProblem[] {
  const markdown = readFileSync(join(root, file), 'utf8');
  return relativeLinks(markdown).flatMap(({ target, line }) => {
    const [path = '', anchor] = target.split('#', 2);
    const resolved =
      path === ''
        ? file
        : normalize(join(dirname(file), decodeURI(path)))
            .split(sep)
            .join('/');
    if (!existsSync(join(root, resolved))) return [{ file, line, message: `${target}: ${resolved} does not exist` }];
    if (anchor === undefined || anchor === '' || !resolved.endsWith('.md')) return [];
    const anchors = anchorsOf(readFileSync(join(root, resolved), 'utf8'));
    if (anchors.has(anchor)) return [];
    return [{ file, line, message: `${target}: ${resolved} has no heading #${anchor}` }];
  });
}
