import { describe, expect, test } from 'vitest';
import { interpolate } from '../../../src/compose/interpolate.js';

const env: Record<string, string> = { SET: 'value', EMPTY: '', BASE: 'python:3.11-slim' };
const lookup = (name: string): string | undefined => env[name];

describe('interpolate', () => {
  test.each([
    [1, 'plain', 'plain'],
    [2, '$SET', 'value'],
    [3, '${SET}', 'value'],
    [4, '${UNSET}', ''],
    [5, '${UNSET:-fallback}', 'fallback'],
    [6, '${EMPTY:-fallback}', 'fallback'],
    [7, '${EMPTY-fallback}', ''],
    [8, '${UNSET-fallback}', 'fallback'],
    [9, '${SET:+alt}', 'alt'],
    [10, '${EMPTY:+alt}', ''],
    [11, '${EMPTY+alt}', 'alt'],
    [12, '$$SET', '$SET'],
    [13, 'pre-${SET}-post', 'pre-value-post'],
    [14, '${UNSET:-${BASE}}', 'python:3.11-slim'],
    [15, '${UNSET:-a-${SET}-b}', 'a-value-b'],
    [16, 'cost $5', 'cost $5'],
  ])('%i: %s -> %s', (_n, input, expected) => {
    expect(interpolate(input, lookup)).toBe(expected);
  });

  test.each([
    ['${UNSET:?must be set}', /required variable UNSET is missing a value: must be set/],
    ['${EMPTY:?no}', /required variable EMPTY/],
    ['${UNSET?no}', /required variable UNSET/],
    ['${unterminated', /unterminated variable/],
    ['${1BAD}', /invalid variable name/],
    ['${SET%x}', /invalid interpolation format/],
  ])('%s throws', (input, message) => {
    expect(() => interpolate(input, lookup)).toThrow(message);
  });

  test('${EMPTY?x} accepts an empty value', () => {
    expect(interpolate('${EMPTY?x}', lookup)).toBe('');
  });
});
