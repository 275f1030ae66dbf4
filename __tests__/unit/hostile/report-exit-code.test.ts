/**
 * Issue 16, finding 1: raw markdown through `build.exitCode`. A fork's uploaded report is read by
 * `mode: comment` (readReportFiles) and by `image-budget diff` (readReport); neither may let a field
 * that should be a number carry markdown into the comment.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { diffReports } from '../../../src/report/diff.js';
import { renderMarkdown } from '../../../src/render/markdown.js';
import { readReport } from '../../../src/report/read.js';
import { readReportFiles } from '../../../src/report/read-files.js';
import { isUserError } from '../../../src/util/errors.js';
import { report, service } from '../report/fixtures.js';
import { exitVerdict } from '../../../src/budget/verdict.js';

const forged = '0)\n\n### ✅ all budgets passed\n\n![t](https://evil.example/t.png) @team <details>';

function hostileReport(exitCode: unknown): string {
  const r = report([
    service('api', 100),
    service('worker', undefined, { build: { status: 'failed', durationMs: 1, exitCode: 1 } }),
  ]) as unknown as { services: { build: Record<string, unknown> }[] };
  r.services[1]!.build.exitCode = exitCode;
  return JSON.stringify(r);
}

function renderedOrError(read: () => ReturnType<typeof readReport>): string {
  try {
    const head = read();
    return renderMarkdown(head, exitVerdict(head, 'error'), { diff: diffReports(head, head) });
  } catch (error) {
    if (!isUserError(error)) throw error;
    return `error: ${error.toLine()}`;
  }
}

describe('build.exitCode from an untrusted report', () => {
  test.each([
    ['markdown', forged],
    ['a number as a string', '1'],
    ['a fraction', 1.5],
    ['out of range', 2 ** 40],
    ['an object', { toString: 'x' }],
  ])('%s: that service is one error line naming the field; the other still reports', (_name, exitCode) => {
    const head = readReport(hostileReport(exitCode), 'head.json');
    expect(head.services[1]).toEqual({
      name: 'worker',
      built: false,
      findings: [],
      violations: [],
      error: {
        message: expect.stringMatching(/^not a valid report entry: services\[1\]\.build\.exitCode: [^\n]+$/),
        file: 'head.json',
      },
    });
    const out = renderedOrError(() => head);
    expect(out).not.toContain('all budgets passed');
    expect(out).toMatch(/^### ❌ /);
    expect(out).toContain('| api |');
  });

  test('mode: comment reads the artifact the same way', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ib-hostile-'));
    writeFileSync(path.join(dir, 'report.json'), hostileReport(forged));
    const out = renderedOrError(() => readReportFiles(['report.json'], dir));
    expect(out).toContain(
      'report.json: not a valid report entry: services\\[1\\].build.exitCode: expected number',
    );
    expect(out).not.toContain('all budgets passed');
  });

  test('a real exit code still renders', () => {
    const out = renderedOrError(() => readReport(hostileReport(137), 'head.json'));
    expect(out).toContain('build failed (exit 137)');
  });
});
