import { describe, expect, test } from 'vitest';
import { mergeReports } from '../../../src/report/merge.js';
import { UserError } from '../../../src/util/errors.js';
import { MB, report, service } from './fixtures.js';
import { problemLine } from '../../../src/util/errors.js';

describe('mergeReports', () => {
  test('services from every shard, a later entry of the same service wins, totals recomputed', () => {
    const a = {
      ...report([service('api', 100), service('db', undefined, { imageRef: 'postgres:16' })]),
      errors: [{ message: 'x', file: 'compose.yml' }],
    };
    const b = {
      ...report([service('worker', 300), service('api', 120)]),
      errors: [{ message: 'x', file: 'compose.yml' }, { message: 'other' }],
    };
    const merged = mergeReports([a, b]);
    expect(merged.services.map((s) => [s.name, s.image?.size])).toEqual([
      ['api', 120 * MB],
      ['db', undefined],
      ['worker', 300 * MB],
    ]);
    expect(merged.totals.size).toBe(420 * MB);
    expect(merged.totals.services).toBe(3);
    expect(merged.errors.map(problemLine)).toEqual(['compose.yml: x', 'other']);
  });

  test('no reports is one clear error', () => {
    expect(() => mergeReports([])).toThrow(new UserError('nothing to merge: no reports given'));
  });
});
