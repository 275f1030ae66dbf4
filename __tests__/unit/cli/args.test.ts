import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  CHECK_CLI_FLAGS,
  CHECK_INPUT_FLAGS,
  parseCli,
  USAGE,
  UsageError,
  type CheckCommand,
} from '../../../src/cli/args.js';
import { INPUT_NAMES, parseRequest } from '../../../src/pipeline/request.js';

const root = path.resolve(import.meta.dirname, '../../..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
/** The README's CLI section: from its heading to the next one. */
const readmeCli = readme.slice(
  readme.indexOf('## The CLI'),
  readme.indexOf('\n## ', readme.indexOf('## The CLI') + 1),
);

/** Every default of a check with no flag. */
const DEFAULTS = { 'working-directory': '.', 'lint-only': 'false', analyze: 'true', 'keep-logs': 'false' };

describe('parseCli check', () => {
  test.each<[string, string[], Partial<CheckCommand>]>([
    ['no flag: the current folder', [], { json: false, wide: false, request: DEFAULTS }],
    [
      "the flags that are the Action's inputs, by name; the folder is working-directory",
      ['platform', '--max-size', '1GB', '--max-growth', '50MB or 10%', '--services', 'api,worker'],
      {
        request: {
          ...DEFAULTS,
          'working-directory': 'platform',
          'max-size': '1GB',
          'max-growth': '50MB or 10%',
          services: 'api,worker',
        },
      },
    ],
    [
      'booleans are given to the request as text',
      ['--lint-only', '--no-analyze', '--keep-logs', '--fail-on', 'warning'],
      {
        request: {
          ...DEFAULTS,
          'lint-only': 'true',
          analyze: 'false',
          'keep-logs': 'true',
          'fail-on': 'warning',
        },
      },
    ],
    ['--json', ['--json'], { json: true, wide: false }],
    ['--wide', ['--wide'], { json: false, wide: true, request: DEFAULTS }],
    [
      '--sarif is the sarif input',
      ['--sarif', 'out/check.sarif'],
      { request: { ...DEFAULTS, sarif: 'out/check.sarif' } },
    ],
    [
      '--baseline is a file, not the baseline input (cache, build, none)',
      ['--baseline', 'base.json'],
      { baseline: 'base.json', request: DEFAULTS },
    ],
    ['--baseline=FILE', ['--baseline=reports/main.json'], { baseline: 'reports/main.json' }],
    ['--profile is the profiles input', ['--profile', 'dev'], { request: { ...DEFAULTS, profiles: 'dev' } }],
  ])('%s', (_name, argv, expected) => {
    const command = parseCli(['check', ...argv]);
    expect(command).toMatchObject({ command: 'check', ...expected });
    if (expected.request) expect((command as CheckCommand).request).toEqual(expected.request);
    if (!argv.some((a) => a.startsWith('--baseline'))) expect(command).not.toHaveProperty('baseline');
  });

  test('--pull-images is the pull-images input', () => {
    expect(parseCli(['check', '--pull-images'])).toMatchObject({ request: { 'pull-images': 'true' } });
    expect(parseCli(['check'])).not.toHaveProperty('request.pull-images');
  });

  test.each([
    [['check', 'a', 'b'], 'check takes one folder, got 2'],
    [['check', '--max-sise', '1GB'], "Unknown option '--max-sise'"],
    [['check', '--baseline'], "Option '--baseline <value>' argument missing"],
    [['check', '--baseline='], '--baseline takes a report file'],
    [['check', '--sarif'], "Option '--sarif <value>' argument missing"],
    [['check', '--wide=yes'], "Option '--wide' does not take an argument"],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['diff', 'a.json'], 'diff takes two report files: <base.json> <head.json>'],
    [['merge'], 'merge takes the report files (or folders) to merge'],
  ])('%j is a usage error: %s', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(UsageError);
    expect(() => parseCli(argv)).toThrow(message);
  });

  test('a --baseline file never reaches the request, whose baseline input takes cache, build or none', () => {
    const command = parseCli(['check', '--baseline', 'base.json']) as CheckCommand;
    expect(command.request).not.toHaveProperty('baseline');
    expect(() => parseRequest(command.request)).not.toThrow();
  });
});

describe("check's flags", () => {
  test("the flags named as inputs are the Action's inputs, and each is read into the request by that name", () => {
    for (const name of CHECK_INPUT_FLAGS) {
      expect(INPUT_NAMES).toContain(name);
      const command = parseCli(['check', `--${name}`, 'x']) as CheckCommand;
      expect(command.request[name]).toBe('x');
    }
  });

  test('every flag of check is in --help and in the README', () => {
    for (const name of [...CHECK_INPUT_FLAGS, ...CHECK_CLI_FLAGS]) {
      expect(USAGE).toMatch(new RegExp(`^ {2}--${name}\\b`, 'm'));
      expect(readmeCli).toContain(`--${name}`);
    }
  });

  test('--help fits 100 columns', () => {
    for (const line of USAGE.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(100);
  });

  test('check takes no flag but those', () => {
    const flags = new Set(
      [
        ...USAGE.slice(USAGE.indexOf('Options for check:'), USAGE.indexOf('Options for lint:')).matchAll(
          /^ {2}--([a-z-]+)/gm,
        ),
      ].map((m) => m[1]),
    );
    expect([...flags].sort()).toEqual([...CHECK_INPUT_FLAGS, ...CHECK_CLI_FLAGS].sort());
  });
});

describe('parseCli lint', () => {
  test.each<[string[], object]>([
    [[], { paths: ['.'], json: false, wide: false }],
    [['a', 'b', '--wide'], { paths: ['a', 'b'], wide: true }],
    [['--sarif', 'f.sarif', '--fail-on', 'warning'], { sarif: 'f.sarif', failOn: 'warning' }],
  ])('%j', (argv, expected) => {
    expect(parseCli(['lint', ...argv])).toMatchObject({ command: 'lint', ...expected });
  });
});
