import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { emptyConfig } from '../../../src/config/schema.js';
import {
  flagLabel,
  judging,
  parseBoolean,
  parseRequest,
  runOptions,
  type RawRequest,
} from '../../../src/pipeline/request.js';
import { UserError } from '../../../src/util/errors.js';

const place = { base: '/repo', sha: 'abc123', workDir: '/tmp/ib' };

describe('parseRequest', () => {
  test('defaults (those of action.yml) when nothing is given', () => {
    expect(parseRequest({})).toEqual({
      'working-directory': '.',
      tag: 'image-budget/{service}:{sha}',
      docker: 'docker',
      'lint-only': false,
      comment: 'always',
      cache: 'auto',
      'cache-scope': 'image-budget',
      mode: 'run',
      'save-baseline': false,
      baseline: 'cache',
      analyze: true,
      'keep-logs': false,
      'pull-images': false,
    });
  });

  test('pull-images: read as a boolean, handed to the pipeline only when on', () => {
    const place = { base: '/repo', sha: 'local', workDir: '/tmp/w' };
    expect(runOptions(parseRequest({ 'pull-images': 'true' }), place).pullImages).toBe(true);
    expect(runOptions(parseRequest({}), place)).not.toHaveProperty('pullImages');
    expect(() => parseRequest({ 'pull-images': 'yes' })).toThrow('input pull-images: "yes" is not a boolean');
  });

  test('every value read and converted: sizes in bytes, times in ms, lists split, blanks unset', () => {
    const request = parseRequest({
      'working-directory': ' platform ',
      services: 'api,\nworker web',
      'fail-on': 'warning',
      'max-size': '1GB',
      'max-total-size': '',
      'max-build-time': '10m',
      'max-growth': '50MB or 10%',
      'noise-threshold': '100kB',
      'min-free-disk': '5GiB',
      'lint-only': 'TRUE',
      analyze: 'false',
      comment: 'on-failure',
      baseline: 'build',
      mode: 'comment',
      network: '   ',
    });
    expect(request).toMatchObject({
      'working-directory': 'platform',
      services: ['api', 'worker', 'web'],
      'fail-on': 'warning',
      'max-size': 1e9,
      'max-build-time': 600_000,
      'max-growth': { bytes: 50_000_000, percent: 10 },
      'noise-threshold': 100_000,
      'min-free-disk': 5 * 1024 ** 3,
      'lint-only': true,
      analyze: false,
      comment: 'on-failure',
      baseline: 'build',
      mode: 'comment',
    });
    expect(request).not.toHaveProperty('max-total-size');
    expect(request).not.toHaveProperty('network');
  });

  test.each<[RawRequest, string, string]>([
    [
      { 'fail-on': 'sometimes' },
      'input',
      'input fail-on: "sometimes" is not one of error, warning, new, never',
    ],
    [{ 'fail-on': 'sometimes' }, 'flag', '--fail-on: "sometimes" is not one of error, warning, new, never'],
    [
      { comment: 'daily' },
      'input',
      'input comment: "daily" is not one of always, on-change, on-failure, never',
    ],
    [{ mode: 'build' }, 'input', 'input mode: "build" is not one of run, comment'],
    [{ baseline: 'git' }, 'input', 'input baseline: "git" is not one of cache, build, none'],
    [{ 'lint-only': 'yes' }, 'input', 'input lint-only: "yes" is not a boolean (use true or false)'],
    [
      { 'max-size': '5 GB' },
      'input',
      'input max-size: "5 GB" is ambiguous: write 5GB (5 × 1000^3) or 5GiB (5 × 1024^3)',
    ],
    [
      { 'max-total-size': 'abc' },
      'flag',
      '--max-total-size: "abc" is not a size (use 500MB, 1.2GiB or a number of bytes)',
    ],
    [
      { 'max-build-time': '600' },
      'input',
      'input max-build-time: "600" has no unit (use 90s, 10m, 1h or 1h30m)',
    ],
    [
      { 'max-growth': 'lots' },
      'input',
      'input max-growth: "lots" is not a growth budget (use 50MB, 10% or "50MB or 10%")',
    ],
    [{ 'noise-threshold': '1 MB' }, 'input', 'input noise-threshold: "1 MB" is ambiguous'],
    [{ 'min-free-disk': `1${'0'.repeat(309)}GB` }, 'flag', '--min-free-disk: "1000'],
  ])('%j (%s) → one line: %s', (raw, how, message) => {
    const parse = () => parseRequest(raw, how === 'flag' ? flagLabel : undefined);
    expect(parse).toThrow(UserError);
    expect(parse).toThrow(message);
  });

  test.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
    ['', undefined],
    [undefined, undefined],
  ])('booleans as core.getBooleanInput reads them: %j → %j', (text, value) => {
    expect(parseBoolean(text, 'input x')).toBe(value);
  });
});

describe('runOptions', () => {
  test('the root is working-directory under the base; budgets go to the pipeline', () => {
    const options = runOptions(
      parseRequest({
        'working-directory': 'platform',
        compose: 'compose.prod.yml',
        services: 'api',
        'max-size': '1GB',
        'max-growth': '10%',
        'min-free-disk': '5GB',
        'cache-registry-ref': 'ghcr.io/acme/cache',
        'noise-threshold': '2MB',
      }),
      place,
    );
    expect(options).toEqual({
      root: path.resolve('/repo/platform'),
      compose: 'compose.prod.yml',
      services: ['api'],
      tag: 'image-budget/{service}:{sha}',
      sha: 'abc123',
      docker: 'docker',
      workDir: '/tmp/ib',
      lintOnly: false,
      cache: 'auto',
      cacheScope: 'image-budget',
      cacheRegistryRef: 'ghcr.io/acme/cache',
      analyze: true,
      minFreeDisk: 5e9,
      noiseThreshold: 2e6,
      budgets: { maxSize: 1e9, maxGrowth: { percent: 10 } },
    });
  });
});

describe('judging', () => {
  const config = { ...emptyConfig(), failOn: 'never' as const, noiseThreshold: 5 };
  test.each([
    [{}, emptyConfig(), { failOn: 'error', noiseThreshold: 1_000_000 }],
    [{}, config, { failOn: 'never', noiseThreshold: 5 }],
    [
      { 'fail-on': 'warning' as const, 'noise-threshold': 7 },
      config,
      { failOn: 'warning', noiseThreshold: 7 },
    ],
  ])('input %j over config over default', (request, cfg, expected) => {
    expect(judging(request, cfg)).toEqual(expected);
  });
});
