import { describe, expect, test } from 'vitest';
import { parseCli, UsageError } from '../../../src/cli/args.js';

describe('parseCli', () => {
  test("check's flags are the Action's inputs by name; the folder is working-directory", () => {
    expect(
      parseCli([
        'check',
        'platform',
        '--max-size',
        '1GB',
        '--max-growth',
        '50MB or 10%',
        '--services',
        'api,worker',
        '--fail-on',
        'warning',
        '--lint-only',
        '--no-analyze',
        '--json',
      ]),
    ).toEqual({
      command: 'check',
      json: true,
      request: {
        'working-directory': 'platform',
        'max-size': '1GB',
        'max-growth': '50MB or 10%',
        services: 'api,worker',
        'fail-on': 'warning',
        'lint-only': 'true',
        analyze: 'false',
        'keep-logs': 'false',
      },
    });
  });

  test('check with no folder is the current one; booleans are given as text', () => {
    expect(parseCli(['check'])).toEqual({
      command: 'check',
      json: false,
      request: { 'working-directory': '.', 'lint-only': 'false', analyze: 'true', 'keep-logs': 'false' },
    });
  });

  test('--pull-images is the pull-images input', () => {
    expect(parseCli(['check', '--pull-images'])).toMatchObject({ request: { 'pull-images': 'true' } });
    expect(parseCli(['check'])).not.toHaveProperty('request.pull-images');
  });

  test.each([
    [['check', 'a', 'b'], 'check takes one folder, got 2'],
    [['check', '--max-sise', '1GB'], "Unknown option '--max-sise'"],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['diff', 'a.json'], 'diff takes two report files: <base.json> <head.json>'],
    [['merge'], 'merge takes the report files (or folders) to merge'],
  ])('%j is a usage error: %s', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(UsageError);
    expect(() => parseCli(argv)).toThrow(message);
  });
});
