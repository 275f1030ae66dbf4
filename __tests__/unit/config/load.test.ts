import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig, parseConfig, problemsOf } from '../../../src/config/load.js';
import { problemLine } from '../../../src/util/errors.js';
import { UserError } from '../../../src/util/errors.js';

const FILE = '.github/image-budget.yml';

/** What `fn` throws; the test fails when it throws nothing. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

function errorOf(yaml: string): ConfigError {
  try {
    parseConfig(yaml, FILE);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig knows the deploy rules (the registry lists them)', () => {
  test.each([
    'no-memory-limit',
    'no-healthcheck',
    'healthcheck-tool-missing',
    'memory-conflict',
    'invalid-memory',
  ])('%s may be set', (id) => {
    const config = parseConfig(`lint:\n  rules:\n    ${id}: off\n`, FILE);
    expect(config.lint.rules).toEqual({ [id]: 'off' });
  });

  test('a typo of one is named, with the rule meant', () => {
    expect(errorOf('lint:\n  rules:\n    no-helthcheck: off\n').message).toContain(
      'lint.rules.no-helthcheck: unknown rule (did you mean no-healthcheck?)',
    );
  });
});

describe('parseConfig errors: one line naming file, line, key path and value', () => {
  test.each([
    [
      'max-size: 5 GB',
      'defaults:\n  max-size: 5 GB\n',
      `${FILE}:2: defaults.max-size: "5 GB" is ambiguous: write 5GB (5 × 1000^3) or 5GiB (5 × 1024^3)`,
    ],
    [
      'a rule id that names no rule',
      'lint:\n  rules:\n    cuda-torhc: off\n',
      `${FILE}:3: lint.rules.cuda-torhc: unknown rule (did you mean cuda-torch?)`,
    ],
    [
      'a service rule id that names no rule',
      'services:\n  api:\n    lint:\n      rules:\n        model-weight-in-image: off\n',
      `${FILE}:5: services.api.lint.rules.model-weight-in-image: unknown rule (did you mean model-weights-in-image?)`,
    ],
    [
      'max-size: abc',
      'defaults:\n  max-size: abc\n',
      `${FILE}:2: defaults.max-size: "abc" is not a size (use 500MB, 1.2GiB or a number of bytes)`,
    ],
    [
      'typo in a key',
      'defaults:\n  max-sise: 1GB\n',
      `${FILE}:2: defaults.max-sise: unknown key (did you mean max-size?)`,
    ],
    ['typo at the top', 'servics:\n  api: {}\n', `${FILE}:1: servics: unknown key (did you mean services?)`],
    [
      'typo in a service',
      'services:\n  api:\n    gpu: true\n    max-layer: 3\n',
      `${FILE}:4: services.api.max-layer: unknown key (did you mean max-layers?)`,
    ],
    [
      'negative size',
      'defaults:\n  max-size: -3\n',
      `${FILE}:2: defaults.max-size: -3 is negative: a size must be 0 or more`,
    ],
    [
      'negative layers',
      'total:\n  max-size: 1GB\ndefaults:\n  max-layers: -1\n',
      `${FILE}:4: defaults.max-layers: -1 is negative: it must be 0 or more`,
    ],
    [
      'duration without unit',
      'defaults:\n  max-build-time: 600\n',
      `${FILE}:2: defaults.max-build-time: 600 has no unit (use 90s, 10m, 1h or 1h30m)`,
    ],
    [
      'bad fail-on',
      'fail-on: sometimes\n',
      `${FILE}:1: fail-on: "sometimes" is not one of error, warning, new, never`,
    ],
    [
      'bad rule severity',
      'lint:\n  rules:\n    cuda-torch: loud\n',
      `${FILE}:3: lint.rules.cuda-torch: "loud" is not one of error, warning, off`,
    ],
    [
      'bad rule id',
      'lint:\n  rules:\n    Cuda_Torch: off\n',
      `${FILE}:3: lint.rules.Cuda_Torch: "Cuda_Torch" is not a rule id (ids are kebab-case, like cuda-torch)`,
    ],
    [
      'bad regex',
      'lint:\n  patterns:\n    - id: no-x\n      regex: "("\n      message: m\n',
      `${FILE}:4: lint.patterns[0].regex: "(" is not a valid regular expression (Invalid regular expression: /(/: Unterminated group)`,
    ],
    [
      'missing pattern message',
      'lint:\n  patterns:\n    - id: no-x\n      regex: x\n',
      `${FILE}:3: lint.patterns[0].message: is required (a string)`,
    ],
    ['empty service', 'services:\n  api:\n', `${FILE}:2: services.api: is empty (expected a mapping)`],
    ['list instead of mapping', 'defaults: [1]\n', `${FILE}:1: defaults: a list should be a mapping`],
    [
      'growth with a bad key',
      'defaults:\n  max-growth: {bytes: 50MB, pct: 3}\n',
      `${FILE}:2: defaults.max-growth.pct: unknown key`,
    ],
    [
      'growth with a bad value',
      'defaults:\n  max-growth: lots\n',
      `${FILE}:2: defaults.max-growth: "lots" is not a growth budget (use 50MB, 10%, "50MB or 10%" or {bytes: 50MB, percent: 10})`,
    ],
    [
      'YAML error',
      'defaults:\n  max-size: 1GB\n  max-size: 2GB\n',
      `${FILE}:3: YAML error: Map keys must be unique`,
    ],
    [
      'not a mapping',
      '- a\n',
      `${FILE}:1: the config must be a mapping of keys (services, defaults, total, lint, ...)`,
    ],
  ])('%s', (_name, yaml, line) => {
    const error = errorOf(yaml);
    expect(error).toBeInstanceOf(UserError);
    expect(error.toLine()).toBe(line);
    expect(error.toLine()).not.toContain('\n');
  });

  test('every problem is listed, in file order', () => {
    const error = errorOf('defaults:\n  max-size: abc\n  max-layers: -1\nfail-on: x\n');
    expect(error.problems.map(problemLine)).toEqual([
      `${FILE}:2: defaults.max-size: "abc" is not a size (use 500MB, 1.2GiB or a number of bytes)`,
      `${FILE}:3: defaults.max-layers: -1 is negative: it must be 0 or more`,
      `${FILE}:4: fail-on: "x" is not one of error, warning, new, never`,
    ]);
    expect(error.message).toMatch(/\(and 2 more\)$/);
  });

  test('every kind of problem at once: schema, an unsafe pattern and an unknown rule', () => {
    const error = errorOf(
      [
        'defaults:',
        '  max-size: 5 GB',
        'lint:',
        '  rules:',
        '    cuda-torhc: off',
        '  patterns:',
        '    - id: slow',
        '      regex: "^(a+)+$"',
        '      message: never',
        'services:',
        '  api:',
        '    max-sise: 1GB',
        '    lint: { rules: { no-such-rule: error } }',
      ].join('\n'),
    );
    expect(error.problems.map(problemLine)).toEqual([
      `${FILE}:2: defaults.max-size: "5 GB" is ambiguous: write 5GB (5 × 1000^3) or 5GiB (5 × 1024^3)`,
      `${FILE}:5: lint.rules.cuda-torhc: unknown rule (did you mean cuda-torch?)`,
      `${FILE}:8: lint.patterns[0].regex: may take exponential time on some lines (nested repetition such as (a+)+): write it without a repeated group that repeats`,
      `${FILE}:12: services.api.max-sise: unknown key (did you mean max-size?)`,
      `${FILE}:13: services.api.lint.rules.no-such-rule: unknown rule`,
    ]);
    // The error's own line is the first, counting the others; problemsOf gives each on its own.
    expect(error.toLine()).toBe(`${problemLine(error.problems[0]!)} (and 4 more)`);
    expect(problemsOf(error)).toEqual(error.problems);
  });

  test('a duplicate key does not hide the schema problems', () => {
    expect(
      errorOf('defaults:\n  max-size: 1MB\n  max-size: 2MB\nfail-on: x\n').problems.map(problemLine),
    ).toEqual([
      `${FILE}:3: YAML error: Map keys must be unique`,
      `${FILE}:4: fail-on: "x" is not one of error, warning, new, never`,
    ]);
  });

  test('a YAML syntax error stops there: the rest of the file cannot be trusted', () => {
    const problems = errorOf('defaults:\n  max-size: [1MB\nfail-on: x\n').problems;
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems)
      expect(problemLine(problem)).toMatch(/^\.github\/image-budget\.yml:\d+: YAML error: /);
  });

  test('problemsOf: every line of a ConfigError, the one line of another UserError, nothing for a bug', () => {
    expect(problemsOf(new UserError('no such file', 'c.yml'))).toEqual([
      { message: 'no such file', file: 'c.yml' },
    ]);
    expect(problemsOf(new Error('bug'))).toBeUndefined();
  });
});

describe('parseConfig values', () => {
  test.each([
    ['50MB', { bytes: 50_000_000 }],
    ['"10%"', { percent: 10 }],
    ['"50MB or 10%"', { bytes: 50_000_000, percent: 10 }],
    ['{bytes: 50MB, percent: 10}', { bytes: 50_000_000, percent: 10 }],
  ])('max-growth: %s', (yaml, growth) => {
    expect(parseConfig(`defaults:\n  max-growth: ${yaml}\n`, FILE).defaults.maxGrowth).toEqual(growth);
  });

  test('a full config normalizes to bytes, milliseconds and camelCase', () => {
    const config = parseConfig(
      [
        'services:',
        '  api:',
        '    max-size: 512 MiB',
        '    max-growth: "10%"',
        '  trainer:',
        '    context: ml',
        '    dockerfile: ml/Dockerfile',
        '    target: runtime',
        '    args: {PYTHON: "3.10", WORKERS: 4}',
        '    gpu: true',
        '    max-size: 8GB',
        '    max-compressed-size: 3GB',
        '    max-build-time: 20m',
        '    max-layers: 40',
        '    lint: {rules: {cuda-torch: off}}',
        'defaults:',
        '  max-size: 1.2GiB',
        '  max-build-time: 1h30m',
        '  max-growth: {bytes: 50MB, percent: 10}',
        'total: {max-size: 20GB, max-build-time: 1h}',
        'lint:',
        '  rules: {model-download-in-build: error}',
        '  patterns:',
        '    - {id: no-curl-pipe-sh, regex: "curl .*\\\\| *sh", message: "do not pipe curl to sh", severity: error}',
        '    - {id: no-latest, regex: ":latest", message: "pin the tag"}',
        'fail-on: warning',
        'noise-threshold: 100kB',
      ].join('\n'),
      FILE,
    );
    expect(config).toEqual({
      file: FILE,
      services: {
        api: { maxSize: 512 * 1024 ** 2, maxGrowth: { percent: 10 } },
        trainer: {
          context: 'ml',
          dockerfile: 'ml/Dockerfile',
          target: 'runtime',
          args: { PYTHON: '3.10', WORKERS: '4' },
          gpu: true,
          maxSize: 8e9,
          maxCompressedSize: 3e9,
          maxBuildTime: 1_200_000,
          maxLayers: 40,
          lint: { rules: { 'cuda-torch': 'off' } },
        },
      },
      defaults: {
        maxSize: Math.round(1.2 * 1024 ** 3),
        maxBuildTime: 5_400_000,
        maxGrowth: { bytes: 50e6, percent: 10 },
      },
      total: { maxSize: 20e9, maxBuildTime: 3_600_000 },
      lint: {
        rules: { 'model-download-in-build': 'error' },
        patterns: [
          {
            id: 'no-curl-pipe-sh',
            regex: 'curl .*\\| *sh',
            message: 'do not pipe curl to sh',
            severity: 'error',
          },
          { id: 'no-latest', regex: ':latest', message: 'pin the tag', severity: 'warning' },
        ],
      },
      failOn: 'warning',
      noiseThreshold: 100_000,
      // The line of each budget key, for where a violation's limit was set.
      lines: {
        services: {
          api: { maxSize: 3, maxGrowth: 4 },
          trainer: { maxSize: 11, maxCompressedSize: 12, maxBuildTime: 13, maxLayers: 14 },
        },
        defaults: { maxSize: 17, maxBuildTime: 18, maxGrowth: 19 },
        total: { maxSize: 20, maxBuildTime: 20 },
      },
    });
  });

  test('key lines: a block value, host.memory and max-wall-time', () => {
    const config = parseConfig(
      'services:\n  api:\n    max-growth:\n      bytes: 1MB\nhost:\n  memory: 2GB\nmax-wall-time: 30m\n',
      FILE,
    );
    expect(config.lines).toEqual({
      services: { api: { maxGrowth: 3 } },
      defaults: {},
      total: {},
      hostMemory: 6,
      maxWallTime: 7,
    });
  });

  test('rule ids: the lint, the image findings and the custom patterns are all known', () => {
    const config = parseConfig(
      'lint:\n  rules:\n    cuda-torch: warning\n    model-weights-in-image: off\n    no-latest: error\n  patterns:\n    - id: no-latest\n      regex: ":latest"\n      message: pin it\n',
      FILE,
    );
    expect(config.lint.rules).toEqual({
      'cuda-torch': 'warning',
      'model-weights-in-image': 'off',
      'no-latest': 'error',
    });
  });

  test('an empty file is the empty config', () => {
    expect(parseConfig('', FILE)).toEqual({
      file: FILE,
      services: {},
      defaults: {},
      total: {},
      lint: { rules: {}, patterns: [] },
    });
  });
});

describe('loadConfig', () => {
  const root = () => mkdtempSync(path.join(os.tmpdir(), 'ib-config-'));

  test('without a path and without the default file: the empty config', () => {
    expect(loadConfig(undefined, root())).toEqual({
      services: {},
      defaults: {},
      total: {},
      lint: { rules: {}, patterns: [] },
    });
  });

  test('reads .github/image-budget.yml by default; Config.file is relative', () => {
    const dir = root();
    mkdirSync(path.join(dir, '.github'));
    writeFileSync(path.join(dir, '.github/image-budget.yml'), 'defaults:\n  max-size: 1GB\n');
    expect(loadConfig(undefined, dir)).toMatchObject({
      file: '.github/image-budget.yml',
      defaults: { maxSize: 1e9 },
    });
  });

  test('an explicit path that does not exist is a UserError naming it', () => {
    const error = thrownBy(() => loadConfig('ci/budgets.yml', root()));
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).toLine()).toBe('ci/budgets.yml: cannot read the config file: no such file');
  });

  test('errors name the file relative to the root', () => {
    const dir = root();
    writeFileSync(path.join(dir, 'budgets.yml'), 'defaults:\n  max-size: abc\n');
    expect(() => loadConfig(path.join(dir, 'budgets.yml'), dir)).toThrow(
      /^defaults\.max-size: "abc" is not a size/,
    );
    expect((thrownBy(() => loadConfig('budgets.yml', dir)) as UserError).toLine()).toMatch(
      /^budgets\.yml:2: defaults\.max-size/,
    );
  });
});
