import { describe, expect, test } from 'vitest';
import {
  GROWTH_BOTH_PATTERN,
  parseDuration,
  parseGrowth,
  parsePercent,
  parseSize,
  trySize,
} from '../../../src/config/units.js';

describe('parseSize', () => {
  test.each([
    [1234, 1234],
    ['1234', 1234],
    [0, 0],
    ['500MB', 500_000_000],
    ['500mb', 500_000_000],
    ['1.2GiB', Math.round(1.2 * 1024 ** 3)],
    ['512 MiB', 512 * 1024 ** 2],
    ['512MiB', 512 * 1024 ** 2],
    ['5GB', 5_000_000_000],
    ['10kB', 10_000],
    ['10KB', 10_000],
    ['1KiB', 1024],
    ['2TB', 2e12],
    ['1TiB', 1024 ** 4],
    ['100B', 100],
    ['100 B', 100],
    ['.5GB', 500_000_000],
  ] as const)('%j → %d bytes', (input, bytes) => {
    expect(parseSize(input)).toBe(bytes);
  });

  test.each([
    ['5 GB', '"5 GB" is ambiguous: write 5GB (5 × 1000^3) or 5GiB (5 × 1024^3)'],
    ['5 kb', '"5 kb" is ambiguous: write 5kB (5 × 1000^1) or 5KiB (5 × 1024^1)'],
    ['abc', '"abc" is not a size (use 500MB, 1.2GiB or a number of bytes)'],
    ['', '"" is not a size (use 500MB, 1.2GiB or a number of bytes)'],
    ['-5MB', '"-5MB" is negative: a size must be 0 or more'],
    [-1, '-1 is negative: a size must be 0 or more'],
    [1.5, '1.5 is not a whole number of bytes (use 500MB, 1.2GiB or a number of bytes)'],
    ['5G', '"5G" has an ambiguous unit: write 5GB (powers of 1000) or 5GiB (powers of 1024)'],
    ['5 XB', '"5 XB" has an unknown unit "XB" (use 500MB, 1.2GiB or a number of bytes)'],
    // 310 digits: Number() reads them as Infinity, which must never become an unlimited budget.
    [`1${'0'.repeat(309)}MB`, 'is too large: a size must be at most 9PB'],
    [`1${'0'.repeat(309)}`, 'is too large: a size must be at most 9PB'],
    ['10000TB', '"10000TB" is too large: a size must be at most 9PB'],
    [1e300, '1e+300 is too large: a size must be at most 9PB'],
  ] as const)('%j is rejected', (input, message) => {
    expect(() => parseSize(input)).toThrow(message);
  });

  test.each([
    ['1234', 1234],
    [1234, 1234],
    ['1.2kB', 1200],
    ['45MB', 45_000_000],
    ['0B', 0],
    ['n/a', undefined],
    [undefined, undefined],
    [`1${'0'.repeat(309)}MB`, undefined],
  ] as const)('trySize(%j) → %j, never a throw', (input, bytes) => {
    expect(trySize(input)).toBe(bytes);
  });
});

describe('parseDuration', () => {
  test.each([
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['4m05s', 245_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
  ] as const)('%j → %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  test.each([
    ['600', '"600" has no unit (use 90s, 10m, 1h or 1h30m)'],
    [600, '600 has no unit (use 90s, 10m, 1h or 1h30m)'],
    ['ten minutes', '"ten minutes" is not a duration (use 90s, 10m, 1h or 1h30m)'],
    ['1 h', '"1 h" is not a duration (use 90s, 10m, 1h or 1h30m)'],
    ['-5m', '"-5m" is negative: a duration must be 0 or more'],
    [`1${'0'.repeat(309)}h`, 'is too long: a duration must be at most a year'],
  ] as const)('%j is rejected', (input, message) => {
    expect(() => parseDuration(input)).toThrow(message);
  });
});

describe('parsePercent and parseGrowth', () => {
  test.each([
    ['10%', 10],
    ['12.5 %', 12.5],
    [10, 10],
    ['10', 10],
  ] as const)('percent %j → %d', (input, n) => expect(parsePercent(input)).toBe(n));

  test.each([
    ['50MB', { bytes: 50_000_000 }],
    ['10%', { percent: 10 }],
    [1000, { bytes: 1000 }],
    // As action.yml and the README advertise it: both apply, exceeding either fails.
    ['50MB or 10%', { bytes: 50_000_000, percent: 10 }],
    ['10% OR 50MB', { bytes: 50_000_000, percent: 10 }],
  ] as const)('growth %j → %j', (input, growth) => expect(parseGrowth(input)).toEqual(growth));

  test.each([
    ['-10%', '"-10%" is negative'],
    [`1${'0'.repeat(309)}%`, 'is not a percentage (use 10%)'],
    ['lots', '"lots" is not a growth budget (use 50MB, 10% or "50MB or 10%")'],
    ['50MB or lots', '"50MB or lots" is not a growth budget (use 50MB, 10% or "50MB or 10%")'],
    ['50MB or 10MB', '"50MB or 10MB" gives the same limit twice'],
    ['5% or 10%', '"5% or 10%" gives the same limit twice'],
    ['1MB or 2% or 3MB', 'is not a growth budget'],
    [`1${'0'.repeat(309)}MB or 10%`, 'is too large'],
  ] as const)('growth %j is rejected', (input, message) => expect(() => parseGrowth(input)).toThrow(message));

  test('the JSON Schema pattern of "<size> or <percent>" takes what parseGrowth takes', () => {
    const pattern = new RegExp(GROWTH_BOTH_PATTERN);
    for (const ok of ['50MB or 10%', '10% or 50MB', '512 MiB OR 5 %']) {
      expect(pattern.test(ok), ok).toBe(true);
      expect(parseGrowth(ok)).toHaveProperty('percent');
    }
    for (const bad of ['50MB or', 'or 10%', '50MB and 10%', '50MB or 10MB'])
      expect(pattern.test(bad), bad).toBe(false);
  });
});
