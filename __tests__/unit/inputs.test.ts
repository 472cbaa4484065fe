import { parseBoolean, parseInputValue, parseList, requireValue } from '../../src/inputs.js';
import { OciError } from '../../src/oci/errors.js';
import { userErrorFrom } from '../support/thrown.js';
import { quote } from '../../src/errors.js';

describe('parseList', () => {
  test.each([
    ['an unset input', '', []],
    ['one item', 'linux/amd64', ['linux/amd64']],
    ['items on separate lines', 'linux/amd64\nlinux/arm64', ['linux/amd64', 'linux/arm64']],
    ['items separated by commas', 'linux/amd64,linux/arm64', ['linux/amd64', 'linux/arm64']],
    ['lines and commas mixed', 'a\r\nb,c\rd', ['a', 'b', 'c', 'd']],
    ['empty lines and a trailing comma', 'a\n\n\nb,', ['a', 'b']],
    ['white space around items', '  a  ,  b  \n\t c \n', ['a', 'b', 'c']],
    ['lines of white space only', 'a\n   \n\t\nb', ['a', 'b']],
    ['nothing but white space', ' \n \n', []],
    ['a quoted item among others keeps its comma', 'a,"b,c"', ['a', 'b,c']],
    ['a line that is one quoted item is still split, as in the toolkit', 'x\n"y,z"', ['x', 'y', 'z']],
    ['a quote inside an item is an ordinary character', 'say "hi",b', ['say "hi"', 'b']],
    ['text after a closing quote keeps the quotes', '"a"b,c', ['"a"b', 'c']],
    ['an empty quoted item is dropped', '"",a', ['a']],
    ['a # line is an item, not a comment', '# old\nlatest', ['# old', 'latest']],
  ])('splits %s', (_name, raw, expected) => {
    expect(parseList('tags', raw)).toEqual(expected);
  });

  test.each([
    ['commas stay inside a line', 'index:a=1,2\nindex:b=3', ['index:a=1,2', 'index:b=3']],
    ['several fields on a line join back with commas', 'a,"b,c",d', ['a,b,c,d']],
    ['a quoted item spans lines', '"index:a=one\ntwo"\nindex:b=2', ['index:a=one\ntwo', 'index:b=2']],
    ['a doubled quote inside quotes is one quote', '"index:a=say ""hi"""', ['index:a=say "hi"']],
    ['a quote inside a value is kept', 'index:a=say "hi", twice', ['index:a=say "hi", twice']],
  ])('with ignoreComma, %s', (_name, raw, expected) => {
    expect(parseList('annotations', raw, { ignoreComma: true })).toEqual(expected);
  });

  test.each([
    ['at the start', '"a,b'],
    ['on a later line', 'a\n"b\nc'],
  ])('rejects a quote never closed %s, naming the input and quoting the value', (_name, raw) => {
    const error = userErrorFrom(() => parseList('platforms', raw));
    expect(error.subject).toBe('platforms');
    expect(error.problem).toContain(JSON.stringify(raw));
  });
});

describe('parseBoolean', () => {
  test.each([
    ['', true, true],
    ['', false, false],
    ['  ', true, true],
    ['true', false, true],
    ['True', false, true],
    ['TRUE', false, true],
    [' true\n', false, true],
    ['false', true, false],
    ['False', true, false],
    ['FALSE', true, false],
  ])('reads %j (fallback %s) as %s', (raw, fallback, expected) => {
    expect(parseBoolean('dry-run', raw, fallback)).toBe(expected);
  });

  test.each(['yes', 'no', '1', '0', 'tRue', 'on'])('rejects %j, naming the input and quoting the value', (raw) => {
    const error = userErrorFrom(() => parseBoolean('allow-partial', raw, false));
    expect(error.subject).toBe('allow-partial');
    expect(error.problem).toContain(JSON.stringify(raw));
    expect(error.fix).toContain('true or false');
  });
});

describe('requireValue', () => {
  test('returns the value trimmed', () => {
    expect(requireValue('platform', '  linux/amd64\n')).toBe('linux/amd64');
  });

  test.each(['', '   ', '\n'])('rejects %j, naming the input', (raw) => {
    const error = userErrorFrom(() => requireValue('platform', raw));
    expect(error.subject).toBe('platform');
    expect(error.fix).toContain('`platform`');
  });
});

describe('parseInputValue', () => {
  const failing = (code: 'INVALID_PLATFORM') => () => {
    throw new OciError({ code, message: 'invalid platform "linux/x"' });
  };

  test('returns what the parser returns', () => {
    expect(parseInputValue('platforms', 'a', (value) => value.length, 'fix')).toBe(1);
  });

  test('turns an OciError into a UserError naming the input, with the fix given', () => {
    const error = userErrorFrom(() => parseInputValue('platforms', 'linux/x', failing('INVALID_PLATFORM'), 'Fix it.'));
    expect(error.subject).toBe('platforms');
    expect(error.problem).toBe('invalid platform "linux/x".');
    expect(error.fix).toBe('Fix it.');
    expect(error.cause).toBeInstanceOf(OciError);
  });

  test('lets any other error through unchanged, because it is a bug', () => {
    const bug = new TypeError('boom');
    expect(() =>
      parseInputValue(
        'platforms',
        'x',
        () => {
          throw bug;
        },
        'fix',
      ),
    ).toThrow(bug);
  });
});

describe('quote', () => {
  test.each([
    ['a plain value in double quotes', 'v1 beta', '"v1 beta"'],
    ['quotes and line breaks escaped', 'say "hi"\n', '"say \\"hi\\"\\n"'],
    ['a long value cut at 200 characters', 'x'.repeat(250), `"${'x'.repeat(200)}…"`],
  ])('shows %s', (_name, value, expected) => {
    expect(quote(value)).toBe(expected);
  });
});
