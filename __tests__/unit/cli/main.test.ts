/** The CLI in this process, on repositories that need no engine (lint-only runs, lint, usage errors). */
import { describe, expect, test } from 'vitest';
import { cli } from '../../../src/cli/main.js';
import { captureIo } from '../../support/cli-io.js';
import { writeRepo } from '../../support/repo.js';

const io = (cwd: string) => captureIo(cwd);

/** One service whose Dockerfile is missing: a service error, without an engine. */
const brokenRepo = (files: Record<string, string> = {}) =>
  writeRepo({ 'compose.yaml': 'services:\n  api:\n    build: ./api\n', ...files });

describe('cli check', () => {
  test.each([
    [
      ['--fail-on', 'sometimes'],
      'image-budget: --fail-on: "sometimes" is not one of error, warning, new, never',
    ],
    [['--max-size', '5 GB'], 'image-budget: --max-size: "5 GB" is ambiguous'],
    [['--min-free-disk', `1${'0'.repeat(309)}GB`], 'is too large: a size must be at most 9PB'],
  ])('%j is a usage error (exit 2), one line', async (flags, message) => {
    const run = io(brokenRepo());
    expect(await cli(['check', '.', '--lint-only', ...flags], run)).toBe(2);
    expect(run.err).toContain(message);
    expect(run.err.split('\n')).toHaveLength(3); // the line, the --help hint, the final newline
  });

  test("the config's fail-on decides, and the flag wins over it", async () => {
    const dir = brokenRepo({ '.github/image-budget.yml': 'fail-on: never\n' });
    const lenient = io(dir);
    expect(await cli(['check', '--lint-only'], lenient)).toBe(0);
    expect(lenient.out).toContain('passed (fail-on: never): 1 service error');
    expect(await cli(['check', '--lint-only', '--fail-on', 'error'], io(dir))).toBe(1);
  });

  test('--max-growth "50MB or 10%" is accepted', async () => {
    const run = io(brokenRepo());
    expect(
      await cli(['check', '--lint-only', '--fail-on', 'never', '--max-growth', '50MB or 10%'], run),
    ).toBe(0);
    expect(run.err).not.toContain('max-growth');
  });

  test('--json prints the report', async () => {
    const run = io(brokenRepo());
    expect(await cli(['check', '--lint-only', '--json'], run)).toBe(1);
    expect((JSON.parse(run.out) as { services: { name: string }[] }).services[0]?.name).toBe('api');
  });
});

describe('cli lint', () => {
  test('--fail-on is checked by the same function as check’s', async () => {
    const run = io(brokenRepo());
    expect(await cli(['lint', '--fail-on', 'loud'], run)).toBe(2);
    expect(run.err).toContain('image-budget: --fail-on: "loud" is not one of error, warning, new, never');
  });
});
