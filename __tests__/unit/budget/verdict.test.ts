import { describe, expect, test } from 'vitest';
import { exitVerdict, NO_BASELINE_NOTE } from '../../../src/budget/verdict.js';
import type { Finding, Mark, Report, Violation } from '../../../src/report/model.js';
import { report, service } from '../report/fixtures.js';

const violation = (severity: Violation['severity']): Violation => ({
  service: 'api',
  budget: 'max-size',
  limit: 1,
  actual: 2,
  unit: 'bytes',
  severity,
  message: 'api: over',
});
const finding = (severity: Finding['severity']): Finding => ({
  rule: 'r',
  severity,
  file: 'Dockerfile',
  message: 'm',
});

const clean = report([service('api', 10)]);
const overBudget = report([service('api', 10, { violations: [violation('error')] })]);
const failedBuild = report([service('api', undefined, { build: { status: 'failed', durationMs: 1 } })]);
const serviceError = report([
  service('api', undefined, { error: { message: 'no such file', file: 'api/Dockerfile' } }),
]);
const runError = report([service('api', 10)], { errors: [{ message: 'bad', file: 'compose.yml', line: 3 }] });
const lintError = report([service('api', 10, { findings: [finding('error')] })]);
const lintWarning = report([service('api', 10, { findings: [finding('warning')] })]);
const lintNote = report([service('api', 10, { findings: [finding('note')] })]);
const totalOver = report([service('api', 10)], { violations: [{ ...violation('error'), service: 'total' }] });

describe('exitVerdict', () => {
  test.each([
    ['clean', clean, 'error', false, []],
    ['over budget', overBudget, 'error', true, ['1 budget violation']],
    ['total over budget', totalOver, 'error', true, ['1 budget violation']],
    ['failed build', failedBuild, 'error', true, ['1 failed build']],
    ['service error', serviceError, 'error', true, ['1 service error']],
    ['run error', runError, 'error', true, ['1 error']],
    ['lint error', lintError, 'error', true, ['1 lint error']],
    ['lint warning under error', lintWarning, 'error', false, []],
    ['lint warning under warning', lintWarning, 'warning', true, ['1 lint finding']],
    ['lint note under warning', lintNote, 'warning', false, []],
    ['over budget under never', overBudget, 'never', false, ['1 budget violation']],
    ['failed build under never', failedBuild, 'never', false, ['1 failed build']],
  ] as const)('%s, fail-on %s → failed %s', (_name, r, failOn, failed, reasons) => {
    const verdict = exitVerdict(r, failOn);
    expect(verdict.failed).toBe(failed);
    expect(verdict.reasons).toEqual(reasons);
  });

  test('summary lines', () => {
    expect(exitVerdict(clean, 'error').summary).toBe('passed');
    expect(exitVerdict(overBudget, 'error').summary).toBe('failed: 1 budget violation');
    expect(exitVerdict(overBudget, 'never').summary).toBe('passed (fail-on: never): 1 budget violation');
  });
});

/** A report compared with a baseline: every violation and finding carries a mark, `fixed` is set. */
const marked = (
  violations: Mark[],
  findings: Mark[] = [],
  extra: Partial<Report> = {},
  severity: Violation['severity'] = 'error',
): Report =>
  report(
    [
      service('api', 10, {
        violations: violations.map((mark, i) => ({ ...violation(severity), budget: `b${i}`, mark })),
        findings: findings.map((mark, i) => ({ ...finding('error'), message: `m${i}`, mark })),
      }),
    ],
    { fixed: { findings: [], violations: [] }, ...extra },
  );

describe('exitVerdict with marks (a baseline) and fail-on new', () => {
  test.each<[string, Report, 'error' | 'new' | 'never', boolean, string[]]>([
    [
      'only existing violations, new',
      marked(['existing', 'existing']),
      'new',
      false,
      ['2 existing budget violations'],
    ],
    ['only existing violations, error', marked(['existing']), 'error', true, ['1 existing budget violation']],
    [
      'one new, two existing, new',
      marked(['new', 'existing', 'existing']),
      'new',
      true,
      ['1 new budget violation (2 existing)'],
    ],
    ['one worse, new', marked(['worse']), 'new', true, ['1 worse budget violation']],
    [
      'new and worse, new',
      marked(['new', 'worse', 'existing']),
      'new',
      true,
      ['2 new or worse budget violations (1 existing)'],
    ],
    ['an existing lint error, new', marked([], ['existing']), 'new', false, ['1 existing lint error']],
    [
      'a new lint error among existing, new',
      marked([], ['new', 'existing', 'existing']),
      'new',
      true,
      ['1 new lint error (2 existing)'],
    ],
    ['a new warning violation, new', marked(['new'], [], {}, 'warning'), 'new', false, []],
    [
      'a failed build always fails under new',
      report([service('api', undefined, { build: { status: 'failed', durationMs: 1 } })], {
        fixed: { findings: [], violations: [] },
      }),
      'new',
      true,
      ['1 failed build'],
    ],
    [
      'a run error fails under new',
      marked(['existing'], [], { errors: [{ message: 'bad', file: 'compose.yml', line: 3 }] }),
      'new',
      true,
      ['1 existing budget violation', '1 error'],
    ],
    ['a new violation under never', marked(['new']), 'never', false, ['1 new budget violation']],
  ])('%s (fail-on %s) → failed %s', (_name, r, failOn, failed, reasons) => {
    const verdict = exitVerdict(r, failOn);
    expect(verdict.failed).toBe(failed);
    expect(verdict.reasons).toEqual(reasons);
    expect(verdict.note).toBeUndefined();
  });

  test('a PR whose only violation predates it passes, and the summary says what it let through', () => {
    expect(exitVerdict(marked(['existing']), 'new').summary).toBe(
      'passed (fail-on: new): 1 existing budget violation',
    );
  });

  test('without a baseline, new judges as error and says so in one line', () => {
    const verdict = exitVerdict(overBudget, 'new');
    expect(verdict.failed).toBe(true);
    expect(verdict.reasons).toEqual(['1 budget violation']);
    expect(verdict.note).toBe(NO_BASELINE_NOTE);
    expect(verdict.summary).toBe(`failed: 1 budget violation; ${NO_BASELINE_NOTE}`);
    expect(NO_BASELINE_NOTE).toBe('no baseline: fail-on new judged every violation as new');
    expect(exitVerdict(clean, 'new')).toMatchObject({
      failed: false,
      summary: `passed; ${NO_BASELINE_NOTE}`,
    });
    expect(exitVerdict(lintWarning, 'new').failed).toBe(false);
  });
});
