/**
 * The report as annotations within GitHub's limits: ranked (failures, then what the PR brought by
 * overshoot, then what existed), cut at 10 per level, one notice for the rest; fixed never annotated;
 * violations on the config line, else the Dockerfile for an input's budget, else unanchored.
 */
import { describe, expect, test } from 'vitest';
import {
  ANNOTATION_LIMIT,
  leftOutNotice,
  reportAnnotations,
  withinLimits,
  type Annotation,
} from '../../../src/render/annotations.js';
import type { Finding, Mark, Violation } from '../../../src/report/model.js';
import { report, service } from '../report/fixtures.js';

const violation = (name: string, actual: number, extra: Partial<Violation> = {}): Violation => ({
  service: name,
  budget: 'max-size',
  limit: 100,
  actual,
  unit: 'bytes',
  severity: 'error',
  message: `${name}: size ${actual}, over max-size 100`,
  ...extra,
});
const finding = (n: number, mark?: Mark, severity: Finding['severity'] = 'error'): Finding => ({
  rule: 'secret-in-build-arg',
  severity,
  file: 'api/Dockerfile',
  line: n,
  message: `finding ${n}`,
  ...(mark ? { mark } : {}),
});
const messages = (annotations: Annotation[]) => annotations.map((a) => a.message);

describe('reportAnnotations', () => {
  test('ranked: failures, new or worse violations by overshoot, new findings, then existing ones', () => {
    const r = report(
      [
        service('api', 10, {
          findings: [finding(1, 'existing'), finding(2, 'new')],
          violations: [
            violation('api', 120, { mark: 'existing' }),
            violation('api', 110, { budget: 'max-layers', mark: 'new' }),
          ],
        }),
        service('rag', 10, { violations: [violation('rag', 300, { mark: 'worse' })] }),
        service('voice', undefined, {
          build: { status: 'failed', durationMs: 1 },
          error: { message: 'RUN failed', file: 'voice/Dockerfile', line: 3 },
        }),
      ],
      {
        errors: [{ message: 'bad', file: 'compose.yaml', line: 2 }],
        fixed: {
          findings: [{ ...finding(9), service: 'old', message: 'gone finding' }],
          violations: [violation('old', 500, { mark: 'fixed' })],
        },
      },
    );
    const ranked = reportAnnotations(r);
    // A problem that names its file is annotated on that file and line, not in its text.
    expect(ranked.slice(0, 2).map((a) => [a.properties.file, a.properties.startLine])).toEqual([
      ['compose.yaml', 2],
      ['voice/Dockerfile', 3],
    ]);
    expect(messages(ranked)).toEqual([
      'bad',
      'voice: RUN failed',
      'rag: size 300, over max-size 100',
      'api: size 110, over max-size 100',
      'finding 2',
      'api: size 120, over max-size 100',
      'finding 1',
    ]);
    const all = JSON.stringify(reportAnnotations(r));
    expect(all).not.toContain('old');
    expect(all).not.toContain('gone finding');
  });

  test('the mark is in the title; an unmarked report (no baseline) has none', () => {
    const marked = reportAnnotations(report([service('api', 10, { findings: [finding(1, 'existing')] })]));
    expect(marked[0]?.properties.title).toBe('image-budget: secret-in-build-arg (existing)');
    const plain = reportAnnotations(report([service('api', 10, { findings: [finding(1)] })]));
    expect(plain[0]?.properties).toEqual({
      title: 'image-budget: secret-in-build-arg',
      file: 'api/Dockerfile',
      startLine: 1,
      endLine: 1,
    });
  });

  test.each<[string, Partial<Violation>, object]>([
    [
      'the config line that sets the budget',
      { limitSource: { from: 'service', file: '.github/image-budget.yml', line: 7 } },
      { file: 'w/.github/image-budget.yml', startLine: 7, endLine: 7 },
    ],
    [
      'the Dockerfile when the budget is an input',
      { limitSource: { from: 'input' } },
      { file: 'w/api/Dockerfile', startLine: 1, endLine: 1 },
    ],
    ['nowhere without a source', {}, {}],
  ])('a violation is annotated on %s', (_name, extra, anchor) => {
    const r = report([
      service('api', 10, { dockerfile: 'api/Dockerfile', violations: [violation('api', 200, extra)] }),
    ]);
    const [annotation] = reportAnnotations(r, { path: (file) => `w/${file}` });
    expect(annotation?.properties).toEqual({ title: 'image-budget: max-size', ...anchor });
  });

  test('a total violation from an input has no Dockerfile: unanchored', () => {
    const r = report([service('api', 10)], {
      violations: [violation('total', 200, { budget: 'max-total-size', limitSource: { from: 'input' } })],
    });
    expect(reportAnnotations(r)[0]?.properties).toEqual({ title: 'image-budget: max-total-size' });
  });
});

describe('withinLimits and the notice', () => {
  const many = report([
    service('api', 10, {
      findings: [
        ...Array.from({ length: 12 }, (_, i) => finding(i + 1, i < 3 ? 'new' : 'existing')),
        ...Array.from({ length: 4 }, (_, i) => finding(20 + i, 'new', 'warning')),
      ],
    }),
  ]);

  test('at most the room of each level, the most important first, and counts of what was left out', () => {
    const { shown, leftOut } = withinLimits(reportAnnotations(many), {
      error: ANNOTATION_LIMIT - 1,
      warning: 3,
      notice: 9,
    });
    expect(shown.filter((a) => a.level === 'error')).toHaveLength(9);
    expect(shown.filter((a) => a.level === 'warning')).toHaveLength(3);
    expect(messages(shown).slice(0, 3)).toEqual(['finding 1', 'finding 2', 'finding 3']);
    expect(leftOut).toEqual({ error: 3, warning: 1, notice: 0 });
  });

  test('one notice names what was left out and where it is', () => {
    expect(leftOutNotice({ error: 3, warning: 1, notice: 0 }, true)?.message).toBe(
      'image-budget: 3 errors, 1 warning not annotated (GitHub shows 10 of each per step, the most important first); the step summary and the SARIF file have every finding',
    );
    expect(leftOutNotice({ error: 0, warning: 2, notice: 0 }, false)?.message).toMatch(
      /2 warnings not annotated .*the step summary has every finding$/,
    );
    expect(leftOutNotice({ error: 0, warning: 0, notice: 0 }, true)).toBeUndefined();
  });
});
