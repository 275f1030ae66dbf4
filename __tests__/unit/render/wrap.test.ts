import { describe, expect, test } from 'vitest';
import { columns, padEnd, truncateEnd, truncateStart, words, wrap } from '../../../src/render/wrap.js';

describe('columns', () => {
  test.each([
    ['', 0],
    ['abc', 3],
    ['✗ ✓ …', 5],
    ['→', 1],
    ['😀x', 2], // one code point, two UTF-16 units
  ])('%j takes %i columns', (text, n) => expect(columns(text)).toBe(n));
});

describe('truncate', () => {
  test.each([
    ['short', 10, 'short', 'short'],
    ['exactly10!', 10, 'exactly10!', 'exactly10!'],
    ['a-very-long-service-name', 10, 'a-very-lo…', '…vice-name'],
    ['😀😀😀😀', 3, '😀😀…', '…😀😀'],
    ['abc', 0, '', ''],
  ])('%j to %i: %j from the end, %j from the start', (text, max, end, start) => {
    expect(truncateEnd(text, max)).toBe(end);
    expect(truncateStart(text, max)).toBe(start);
    expect(columns(truncateEnd(text, max))).toBeLessThanOrEqual(Math.max(0, max));
  });

  test('padEnd counts code points', () => {
    expect(padEnd('😀', 3)).toBe('😀  ');
    expect(padEnd('abcd', 2)).toBe('abcd');
  });
});

describe('words', () => {
  test.each([
    ['a b  c', ['a', 'b', 'c']],
    [
      'run `pip install torch --index-url https://x/cpu` now',
      ['run', '`pip install torch --index-url https://x/cpu`', 'now'],
    ],
    ['(`a b`), then', ['(`a b`),', 'then']],
    ['an unmatched ` backtick', ['an', 'unmatched', '`', 'backtick']],
    ['two `a b` and `c d`', ['two', '`a b`', 'and', '`c d`']],
  ])('%j', (text, expected) => expect(words(text)).toEqual(expected));
});

describe('wrap', () => {
  test.each([
    ['fits on one line', 'one two three', 20, '- ', '  ', ['- one two three']],
    [
      'a hanging indent',
      'one two three four five',
      12,
      '- ',
      '    ',
      ['- one two', '    three', '    four', '    five'],
    ],
    [
      'a code span is never split',
      'use `pip install torch` here',
      22,
      '',
      '  ',
      ['use', '  `pip install torch`', '  here'],
    ],
    [
      'a word too long for the indent goes to column 0, whole',
      'see https://example.com/abcdefghij ok',
      24,
      'fix: ',
      '     ',
      ['fix: see', 'https://example.com/abcdefghij', '     ok'],
    ],
    [
      'a prefix that says something stays on its own line',
      'https://example.com/abcdefghij',
      24,
      'fix: ',
      '     ',
      ['fix:', 'https://example.com/abcdefghij'],
    ],
    ['empty text is the prefix', '', 10, 'x: ', '   ', ['x:']],
  ])('%s', (_name, text, width, first, rest, expected) => {
    expect(wrap(text, width, first, rest)).toEqual(expected);
  });

  test('never loses or breaks a word', () => {
    const text = 'a `b c d` e-f-g https://h/i/j k '.repeat(20).trim();
    for (const width of [10, 20, 37, 60]) {
      const lines = wrap(text, width, '» ', '  ');
      expect(lines.map((l) => l.replace(/^» /, '').trim()).join(' ')).toBe(text);
      for (const line of lines) if (columns(line) > width) expect(line).not.toContain(' ');
    }
  });
});
