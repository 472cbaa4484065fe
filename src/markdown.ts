// Markdown for the job summary. GitHub renders it with cmark-gfm, whose table rows are split at every `|` that is
// not written `\|`, before code spans are recognised: so a pipe is escaped everywhere, inside code spans too.

const lineBreak = /\r\n|\r|\n/g;
const backtickRuns = /`+/g;

/** A code span holding `text` exactly, however many backticks it contains; line breaks become spaces as GFM would. */
export function codeSpan(text: string): string {
  // No code span can be empty: two backticks alone render as two backticks.
  if (text === '') return '';
  const flat = text.replace(lineBreak, ' ');
  const fence = '`'.repeat(longestBacktickRun(flat) + 1);
  // CommonMark strips one space from each side of a span that starts and ends with one, and a backtick at either
  // end would join the fence: a space on both sides keeps the content intact in every case.
  const pad = flat.startsWith('`') || flat.endsWith('`') || /^ .*[^ ].* $/.test(flat) ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A fenced code block; the fence is longer than any backtick run in `text`. */
export function codeBlock(text: string, language = ''): string {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(text) + 1));
  const body = text.endsWith('\n') ? text : `${text}\n`;
  return `${fence}${language}\n${body}${fence}`;
}

/** A collapsed section: `summary` is plain text, `body` is markdown. */
export function details(summary: string, body: string): string {
  // The blank lines let GitHub render the body as markdown rather than as raw HTML content.
  return `<details><summary>${escapeHtml(summary)}</summary>\n\n${body}\n\n</details>`;
}

/**
 * A GFM table. Cells are markdown: code spans in them (e.g. from codeSpan) stay code spans, pipes are escaped so
 * they never split a row, and line breaks become `<br>` in text and spaces inside code spans. A row shorter than
 * the header is padded with empty cells.
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  rows.forEach((row, index) => {
    if (row.length > header.length) {
      throw new Error(`markdownTable: row ${index} has ${row.length} cells but the header has ${header.length}`);
    }
  });
  const line = (cells: readonly string[]): string =>
    `| ${header.map((_, column) => escapeCell(cells[column] ?? '')).join(' | ')} |`;
  return [line(header), `|${header.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n');
}

function escapeCell(cell: string): string {
  // Most cells are plain words: a summary of hundreds of rows is rendered without scanning them for code spans.
  if (!/[`|\r\n]/.test(cell)) return cell;
  return splitCodeSpans(cell)
    .map(({ text, isCode }) => text.replace(lineBreak, isCode ? ' ' : '<br>'))
    .join('')
    .replaceAll('|', '\\|');
}

interface Segment {
  readonly text: string;
  readonly isCode: boolean;
}

// CommonMark: a backtick run opens a code span that the next run of exactly the same length closes; a run that is
// never closed is literal text.
function splitCodeSpans(cell: string): Segment[] {
  const segments: Segment[] = [];
  let textStart = 0;
  let position = 0;
  for (let opening = nextRun(cell, position); opening; opening = nextRun(cell, position)) {
    const afterOpening = opening.index + opening.length;
    const closeAt = findClosingRun(cell, afterOpening, opening.length);
    if (closeAt < 0) {
      position = afterOpening;
      continue;
    }
    const end = closeAt + opening.length;
    segments.push({ text: cell.slice(textStart, opening.index), isCode: false });
    segments.push({ text: cell.slice(opening.index, end), isCode: true });
    textStart = position = end;
  }
  segments.push({ text: cell.slice(textStart), isCode: false });
  return segments;
}

function findClosingRun(text: string, from: number, length: number): number {
  for (let run = nextRun(text, from); run; run = nextRun(text, run.index + run.length)) {
    if (run.length === length) return run.index;
  }
  return -1;
}

/** The next run of backticks at or after `from`. */
function nextRun(text: string, from: number): { index: number; length: number } | undefined {
  const index = text.indexOf('`', from);
  if (index < 0) return undefined;
  let end = index + 1;
  while (text[end] === '`') end++;
  return { index, length: end - index };
}

function longestBacktickRun(text: string): number {
  return (text.match(backtickRuns) ?? []).reduce((longest, run) => Math.max(longest, run.length), 0);
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}
