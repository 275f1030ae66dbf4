import { describe, expect, test } from 'vitest';
import { exitVerdict } from '../../../src/budget/verdict.js';
import type { Finding, Violation } from '../../../src/report/model.js';
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
