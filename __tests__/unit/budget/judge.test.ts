import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  budgetsFor,
  judge,
  overrideNotes,
  wallTimeSource,
  withLimitSource,
  type InputBudgets,
} from '../../../src/budget/judge.js';
import { parseConfig } from '../../../src/config/load.js';
import { emptyConfig, type Config } from '../../../src/config/schema.js';
import { parseSize } from '../../../src/config/units.js';
import type { LimitSource } from '../../../src/report/model.js';
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
        limitSource: { from: 'defaults', file: '.github/image-budget.yml' },
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

const FILE = '.github/image-budget.yml';

/**
 * The precedence table of docs/config.md ("Which limit applies"), row by row: `api` (300MB) under
 * `services.api.max-size`, the `max-size` input / flag and `defaults.max-size`, each set or not (—).
 * Every limit is under 300MB, so the violation's limit shows which one applied.
 */
const PRECEDENCE: [
  row: number,
  service: string | undefined,
  input: string | undefined,
  defaults: string | undefined,
  applies: string | undefined,
  from: LimitSource['from'] | undefined,
  note: boolean,
][] = [
  [1, '100MB', '200MB', '250MB', '100MB', 'service', false],
  [2, '100MB', '200MB', undefined, '100MB', 'service', false],
  [3, '100MB', undefined, '250MB', '100MB', 'service', false],
  [4, undefined, '200MB', '250MB', '200MB', 'input', true],
  [5, undefined, '200MB', undefined, '200MB', 'input', false],
  [6, undefined, undefined, '250MB', '250MB', 'defaults', false],
  [7, undefined, undefined, undefined, undefined, undefined, false],
];

/** The config file of a row: `services.api.max-size` on line 3, `defaults.max-size` after it. */
function precedenceFile(service?: string, defaults?: string): string {
  return [
    ...(service ? ['services:', '  api:', `    max-size: ${service}`] : []),
    ...(defaults ? ['defaults:', `  max-size: ${defaults}`] : []),
    '',
  ].join('\n');
}

describe('which limit applies: per-service config > input / flag > config defaults > built in', () => {
  const api = report([service('api', 300)]);

  test.each(PRECEDENCE)(
    'row %i: services.api.max-size %s, input %s, defaults.max-size %s: %s from %s',
    (_row, own, input, defaults, applies, from, note) => {
      const config = parseConfig(precedenceFile(own, defaults), FILE);
      const result = judge(api, config, input ? { maxSize: parseSize(input) } : {});
      if (applies === undefined) {
        expect(result.violations).toEqual([]);
      } else {
        expect(result.violations.map((v) => [v.budget, v.limit])).toEqual([['max-size', parseSize(applies)]]);
        const line = from === 'service' ? 3 : own ? 5 : 2;
        expect(result.violations[0]?.limitSource).toEqual(
          from === 'input' ? { from: 'input' } : { from, file: FILE, line },
        );
      }
      expect(result.notes).toEqual(
        note ? [`input max-size ${input} overrides defaults.max-size ${defaults} of ${FILE}`] : [],
      );
    },
  );

  test("docs/config.md's table is these rows", () => {
    const docs = readFileSync(path.resolve(import.meta.dirname, '../../../docs/config.md'), 'utf8');
    const section = docs.slice(docs.indexOf('### Which limit applies'));
    const rows = [...section.matchAll(/^\| (\d+) \|(.*)\|$/gm)].map((m) => [
      m[1],
      ...m[2]!.split('|').map((cell) => cell.trim()),
    ]);
    const cell = (value: string | undefined) => value ?? '—';
    expect(rows).toEqual(
      PRECEDENCE.map(([row, own, input, defaults, applies, from, note]) => [
        String(row),
        cell(own),
        cell(input),
        cell(defaults),
        applies ?? 'no limit',
        from ? `\`${from}\`` : '—',
        note ? 'yes' : '—',
      ]),
    );
  });

  test('the same order for max-build-time and max-growth; max-layers and max-compressed-size have no input', () => {
    const config = parseConfig(
      [
        'services:',
        '  api:',
        '    max-growth: 1MB',
        'defaults:',
        '  max-build-time: 10s',
        '  max-growth: 5MB',
        '  max-layers: 3',
        '',
      ].join('\n'),
      FILE,
    );
    const result = judge(
      report([service('api', 300)]),
      config,
      { maxBuildTime: 30_000, maxGrowth: { percent: 1 } },
      report([service('api', 250)]),
    );
    expect(result.violations.map((v) => [v.budget, v.limit, v.limitSource])).toEqual([
      ['max-build-time', 30_000, { from: 'input' }],
      ['max-growth', 1e6, { from: 'service', file: FILE, line: 3 }],
      ['max-layers', 3, { from: 'defaults', file: FILE, line: 7 }],
    ]);
    // The max-growth input replaces no defaults here (api has its own): no note for it.
    expect(result.notes).toEqual([
      `input max-build-time 30s overrides defaults.max-build-time 10s of ${FILE}`,
    ]);
  });

  test('repository-wide: the max-total-size input wins over total.max-size, and says so', () => {
    const config = parseConfig('total:\n  max-size: 100MB\n  max-build-time: 1s\n', FILE);
    const two = report([service('api', 300), service('web', 300)]);
    const fromFile = judge(two, config);
    expect(fromFile.violations.map((v) => v.limitSource)).toEqual([
      { from: 'defaults', file: FILE, line: 2 },
      { from: 'defaults', file: FILE, line: 3 },
    ]);
    const fromInput = judge(two, config, { maxTotalSize: 500e6 });
    expect(fromInput.violations.map((v) => [v.budget, v.limit, v.limitSource])).toEqual([
      ['max-size', 500e6, { from: 'input' }],
      ['max-build-time', 1000, { from: 'defaults', file: FILE, line: 3 }],
    ]);
    expect(fromInput.notes).toEqual([`input max-total-size 500MB overrides total.max-size 100MB of ${FILE}`]);
  });

  test('host-memory and max-wall-time: the input, else the file, and the note when both are set', () => {
    const config = parseConfig('host:\n  memory: 1GB\nmax-wall-time: 30m\n', FILE);
    const host = report([service('api', 300)], {
      host: { memory: 1e9, limits: 2e9, reservations: 0, unlimited: [] },
    });
    expect(judge(host, config).violations.map((v) => v.limitSource)).toEqual([
      { from: 'defaults', file: FILE, line: 2 },
    ]);
    expect(judge(host, config, { hostMemory: 1e9 }).violations.map((v) => v.limitSource)).toEqual([
      { from: 'input' },
    ]);
    expect(wallTimeSource(config)).toEqual({ from: 'defaults', file: FILE, line: 3 });
    expect(wallTimeSource(config, { maxWallTime: 60_000 })).toEqual({ from: 'input' });
    expect(wallTimeSource(emptyConfig())).toBeUndefined();
    expect(overrideNotes(config, { hostMemory: 2e9, maxWallTime: 60_000 }, [])).toEqual([
      `input host-memory 2GB overrides host.memory 1GB of ${FILE}`,
      `input max-wall-time 1m00s overrides max-wall-time 30m00s of ${FILE}`,
    ]);
    const [violation] = withLimitSource(
      [
        {
          service: 'total',
          budget: 'max-wall-time',
          limit: 1,
          actual: 2,
          unit: 'ms',
          severity: 'error',
          message: 'm',
        },
      ],
      wallTimeSource(config),
    );
    expect(violation?.limitSource).toEqual({ from: 'defaults', file: FILE, line: 3 });
  });

  test('no note when the input equals the file, or when every service has its own value', () => {
    const config = parseConfig('services:\n  api:\n    max-size: 1GB\ndefaults:\n  max-size: 500MB\n', FILE);
    expect(overrideNotes(config, { maxSize: 500e6 }, ['api', 'web'])).toEqual([]);
    expect(overrideNotes(config, { maxSize: 2e9 }, ['api'])).toEqual([]);
    expect(overrideNotes(config, { maxSize: 2e9 }, ['api', 'web'])).toEqual([
      `input max-size 2GB overrides defaults.max-size 500MB of ${FILE}`,
    ]);
  });
});
