import { describe, expect, test } from 'vitest';
import { budgetsFor, judge, type InputBudgets } from '../../../src/budget/judge.js';
import { emptyConfig, type Config } from '../../../src/config/schema.js';
import { MB, report, service } from '../report/fixtures.js';
import { problemLine } from '../../../src/util/errors.js';

function config(partial: Partial<Config>): Config {
  return { ...emptyConfig(), file: '.github/image-budget.yml', ...partial };
}

const head = report([
  service('api', 300, {
    image: { id: 'a', size: 300 * MB, layers: 12, compressedSize: 120 * MB },
    build: { status: 'success', durationMs: 90_000 },
  }),
  service('worker', 1200, { build: { status: 'success', durationMs: 600_000 } }),
  service('db', undefined, { imageRef: 'postgres:16' }),
  service('broken', undefined, { built: false, build: { status: 'failed', durationMs: 5_000, exitCode: 1 } }),
]);
const base = report([service('api', 250), service('worker', 1190)]);

describe('judge', () => {
  test.each<{
    name: string;
    config: Partial<Config>;
    overrides?: InputBudgets;
    baseline?: boolean;
    expected: string[];
  }>([
    { name: 'no budgets', config: {}, expected: [] },
    {
      name: 'defaults.max-size',
      config: { defaults: { maxSize: 1000 * MB } },
      expected: ['worker: size 1.2GB, over max-size 1GB'],
    },
    {
      name: 'a service budget wins over defaults',
      config: { defaults: { maxSize: 1000 * MB }, services: { worker: { maxSize: 2000 * MB } } },
      expected: [],
    },
    {
      name: 'the input wins over defaults but not over a service budget',
      config: { defaults: { maxSize: 5000 * MB }, services: { worker: { maxSize: 2000 * MB } } },
      overrides: { maxSize: 200 * MB },
      expected: ['api: size 300MB, over max-size 200MB'],
    },
    {
      name: 'max-compressed-size only where measured',
      config: { defaults: { maxCompressedSize: 100 * MB } },
      expected: ['api: compressed size 120MB, over max-compressed-size 100MB'],
    },
    {
      name: 'max-build-time',
      config: { defaults: { maxBuildTime: 300_000 } },
      expected: ['worker: build took 10m00s, over max-build-time 5m00s'],
    },
    {
      name: 'max-build-time input',
      config: {},
      overrides: { maxBuildTime: 60_000 },
      expected: [
        'api: build took 1m30s, over max-build-time 1m00s',
        'worker: build took 10m00s, over max-build-time 1m00s',
      ],
    },
    {
      name: 'max-layers',
      config: { services: { api: { maxLayers: 11 } } },
      expected: ['api: 12 layers, over max-layers 11'],
    },
    {
      name: 'max-growth in bytes against the baseline',
      config: { defaults: { maxGrowth: { bytes: 20 * MB } } },
      baseline: true,
      expected: ['api: grew +50MB (250MB → 300MB), over max-growth 20MB'],
    },
    {
      name: 'max-growth in percent',
      config: { defaults: { maxGrowth: { percent: 10 } } },
      baseline: true,
      expected: ['api: grew +20% (250MB → 300MB), over max-growth 10%'],
    },
    {
      name: 'max-growth: both apply, exceeding either fails',
      config: { defaults: { maxGrowth: { bytes: 5 * MB, percent: 50 } } },
      baseline: true,
      expected: [
        'api: grew +50MB (250MB → 300MB), over max-growth 5MB',
        'worker: grew +10MB (1.19GB → 1.2GB), over max-growth 5MB',
      ],
    },
    {
      name: 'max-growth without a baseline is not judged',
      config: { defaults: { maxGrowth: { bytes: 1 } } },
      expected: [],
    },
    {
      name: 'total max-size and max-build-time',
      config: { total: { maxSize: 1000 * MB, maxBuildTime: 600_000 } },
      expected: [
        'total: total size 1.5GB, over total max-size 1GB',
        'total: builds took 11m35s in all, over total max-build-time 10m00s',
      ],
    },
    {
      name: 'the max-total-size input wins',
      config: { total: { maxSize: 1 } },
      overrides: { maxTotalSize: 2000 * MB },
      expected: [],
    },
  ])('$name', ({ config: partial, overrides, baseline, expected }) => {
    const result = judge(head, config(partial), overrides, baseline ? base : undefined);
    expect(result.violations.map((v) => v.message)).toEqual(expected);
    expect(result.report.totals.violations).toBe(expected.length);
    expect(result.errors.map(problemLine)).toEqual([]);
  });

  test('violations carry service, budget, limit, actual and unit', () => {
    const { report: judged } = judge(head, config({ defaults: { maxSize: 1000 * MB } }));
    expect(judged.services.find((s) => s.name === 'worker')?.violations).toEqual([
      {
        service: 'worker',
        budget: 'max-size',
        limit: 1000 * MB,
        actual: 1200 * MB,
        unit: 'bytes',
        severity: 'error',
        message: 'worker: size 1.2GB, over max-size 1GB',
      },
    ]);
    expect(judged.services.find((s) => s.name === 'api')?.violations).toEqual([]);
  });

  test('judging is pure and idempotent', () => {
    const cfg = config({ defaults: { maxSize: 100 * MB } });
    const before = structuredClone(head);
    const once = judge(head, cfg).report;
    expect(head).toEqual(before);
    expect(judge(once, cfg).report).toEqual(once);
  });

  test('a budget for a service that does not exist is an error line', () => {
    const result = judge(head, config({ services: { wroker: { maxSize: 1 }, gpu: { gpu: true } } }));
    expect(result.errors.map(problemLine)).toEqual([
      '.github/image-budget.yml: services.wroker: budget for a service that does not exist (services: api, broken, db, worker)',
    ]);
    expect(result.report.errors).toEqual(result.errors);
  });

  test('a budget for a service left out by a `services` selection is not an error', () => {
    const selected = report([service('api', 300)]);
    const cfg = config({ services: { worker: { maxSize: 1 }, wroker: { maxSize: 1 } } });
    const result = judge(selected, cfg, {}, undefined, ['api', 'worker']);
    expect(result.errors.map(problemLine)).toEqual([
      '.github/image-budget.yml: services.wroker: budget for a service that does not exist (services: api, worker)',
    ]);
  });

  test('budgetsFor resolves per key: service, then input, then defaults', () => {
    const cfg = config({
      defaults: { maxSize: 1, maxLayers: 5, maxBuildTime: 7 },
      services: { api: { maxLayers: 9 } },
    });
    expect(budgetsFor('api', cfg, { maxSize: 2 })).toEqual({ maxSize: 2, maxLayers: 9, maxBuildTime: 7 });
    expect(budgetsFor('constructor', cfg)).toEqual({ maxSize: 1, maxLayers: 5, maxBuildTime: 7 });
  });
});
