import { codeBlock, codeSpan, details, markdownTable } from '../../src/markdown.js';

describe('markdownTable', () => {
  test('renders a header, a delimiter row and one line per row', () => {
    expect(
      markdownTable(
        ['image', 'digest'],
        [
          ['ghcr.io/o/app:1.2.3', '`sha256:abc`'],
          ['docker.io/o/app:latest', '`sha256:def`'],
        ],
      ),
    ).toBe(
      [
        '| image | digest |',
        '| --- | --- |',
        '| ghcr.io/o/app:1.2.3 | `sha256:abc` |',
        '| docker.io/o/app:latest | `sha256:def` |',
      ].join('\n'),
    );
  });

  test.each([
    ['escapes a pipe in text', 'a|b', 'a\\|b'],
    ['escapes a pipe inside a code span, since GFM splits rows before it sees code spans', '`a|b`', '`a\\|b`'],
    ['turns a line break in text into <br>', 'first\nsecond', 'first<br>second'],
    ['turns a CRLF line break in text into <br>', 'first\r\nsecond', 'first<br>second'],
    ['turns a line break inside a code span into the space GFM would show', '`first\nsecond`', '`first second`'],
    ['treats text and a code span in one cell each by its own rule', 'see `a\nb` and\nthen', 'see `a b` and<br>then'],
    ['keeps a code span fenced by a double backtick run', '``a`|b``', '``a`\\|b``'],
    ['treats an unclosed backtick as literal text', 'it`s\nok', 'it`s<br>ok'],
    ['keeps a cell already made by codeSpan a code span', codeSpan('x | y'), '`x \\| y`'],
    ['keeps markdown the caller wrote', '[link](https://example.com) **bold**', '[link](https://example.com) **bold**'],
  ])('%s', (_what, cell, expected) => {
    expect(markdownTable(['h'], [[cell]]).split('\n')[2]).toBe(`| ${expected} |`);
  });

  test('escapes header cells like any other', () => {
    expect(markdownTable(['a|b'], []).split('\n')[0]).toBe('| a\\|b |');
  });

  test('pads a row that is shorter than the header with empty cells', () => {
    expect(markdownTable(['a', 'b', 'c'], [['1']]).split('\n')[2]).toBe('| 1 |  |  |');
  });

  test('rejects a row with more cells than the header, which GFM would silently drop', () => {
    expect(() => markdownTable(['a'], [['1', '2']])).toThrow('row 0 has 2 cells but the header has 1');
  });
});

describe('codeSpan', () => {
  test.each([
    ['plain text', 'linux/amd64', '`linux/amd64`'],
    ['a backtick inside', 'a`b', '``a`b``'],
    ['a double backtick run inside', 'a``b`c', '```a``b`c```'],
    ['a backtick at the start', '`a', '`` `a ``'],
    ['a backtick at the end', 'a`', '`` a` ``'],
    ['a space at both ends, which CommonMark would strip', ' a ', '`  a  `'],
    ['a space at one end only', ' a', '` a`'],
    ['only spaces, which CommonMark keeps', '  ', '`  `'],
    ['a line break', 'a\nb', '`a b`'],
    ['nothing, since an empty span cannot exist', '', ''],
  ])('wraps %s', (_what, text, expected) => {
    expect(codeSpan(text)).toBe(expected);
  });
});

describe('codeBlock', () => {
  test.each([
    ['JSON with a language', '{"a":1}', 'json', '```json\n{"a":1}\n```'],
    ['text that already ends with a line break', 'line\n', '', '```\nline\n```'],
    ['text holding a triple backtick fence', 'x\n```\ny', '', '````\nx\n```\ny\n````'],
  ])('fences %s', (_what, text, language, expected) => {
    expect(codeBlock(text, language)).toBe(expected);
  });

  test('fences without a language by default', () => {
    expect(codeBlock('plain')).toBe('```\nplain\n```');
  });
});

describe('details', () => {
  test('collapses a markdown body under an escaped summary line', () => {
    expect(details('Index <json> & "plan"', '```json\n{}\n```')).toBe(
      '<details><summary>Index &lt;json&gt; &amp; &quot;plan&quot;</summary>\n\n```json\n{}\n```\n\n</details>',
    );
  });
});
