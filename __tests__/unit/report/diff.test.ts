import { describe, expect, test } from 'vitest';
import { DEFAULT_NOISE_THRESHOLD, diffReports } from '../../../src/report/diff.js';
import { MB, report, service } from './fixtures.js';

const base = report([
  service('api', 250, { image: { id: 'a', size: 250 * MB, layers: 10, compressedSize: 100 * MB } }),
  service('worker', 1000),
  service('legacy', 400),
  service('db', undefined, { imageRef: 'postgres:16' }),
]);
const head = report([
  service('api', 300, {
    image: { id: 'a', size: 300 * MB, layers: 12, compressedSize: 110 * MB },
    build: { status: 'success', durationMs: 30_000 },
  }),
  service('worker', 1000.5),
  service('ml', 3000),
  service('db', undefined, { imageRef: 'postgres:16' }),
  service('broken', undefined, { build: { status: 'failed', durationMs: 1000 } }),
]);

describe('diffReports', () => {
  const diff = diffReports(base, head, DEFAULT_NOISE_THRESHOLD);

  test.each([
    ['api', 'changed'],
    ['worker', 'unchanged'],
    ['ml', 'added'],
    ['legacy', 'removed'],
    ['db', 'unknown'],
    ['broken', 'added'],
  ])('%s is %s', (name, change) => {
    expect(diff.services.find((s) => s.name === name)?.change).toBe(change);
  });

  test('per-service deltas of size, compressed size, build time and layers', () => {
    const api = diff.services.find((s) => s.name === 'api')!;
    expect(api.size).toEqual({ base: 250 * MB, head: 300 * MB, delta: 50 * MB, percent: 20 });
    expect(api.compressedSize).toMatchObject({ base: 100 * MB, head: 110 * MB, delta: 10 * MB });
    expect(api.compressedSize.percent).toBeCloseTo(10);
    expect(api.buildTime).toEqual({ base: 60_000, head: 30_000, delta: -30_000, percent: -50 });
    expect(api.layers).toEqual({ base: 10, head: 12, delta: 2, percent: 20 });
  });

  test('head order, then removed services; lists of new and removed', () => {
    expect(diff.services.map((s) => s.name)).toEqual(['api', 'worker', 'ml', 'db', 'broken', 'legacy']);
    expect(diff.added).toEqual(['ml', 'broken']);
    expect(diff.removed).toEqual(['legacy']);
    expect(diff.changed).toBe(true);
    expect(diff.total.size).toMatchObject({ base: 1650 * MB, head: 4300.5 * MB });
  });

  test('a change under the noise threshold is unchanged; a bigger threshold hides more', () => {
    const small = diffReports(
      base,
      report([...base.services.slice(0, 3).map((s) => ({ ...s })), base.services[3]!]),
      1,
    );
    expect(small.changed).toBe(false);
    const wide = diffReports(base, head, 100 * MB);
    expect(wide.services.find((s) => s.name === 'api')?.change).toBe('changed'); // layers changed
  });

  test('without a baseline: no deltas, nothing added', () => {
    const none = diffReports(undefined, head);
    expect(none.hasBaseline).toBe(false);
    expect(none.added).toEqual([]);
    expect(none.services.every((s) => s.change === 'unknown' && s.size.delta === undefined)).toBe(true);
    expect(none.changed).toBe(false);
  });
});

describe('diffReports totals', () => {
  test('a service whose build failed in head leaves both totals: no false saving', () => {
    const base = report([service('api', 100), service('worker', 300)]);
    const head = report([
      service('api', 110),
      service('worker', undefined, {
        built: false,
        build: { status: 'failed', durationMs: 1000, exitCode: 1 },
      }),
    ]);
    const diff = diffReports(base, head, 0);
    expect(diff.total.size.base).toBe(100 * MB);
    expect(diff.total.size.head).toBe(110 * MB);
  });
});
