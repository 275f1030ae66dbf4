import { describe, expect, test } from 'vitest';
import { countMarks, findingKey, markAgainst, normalizeText } from '../../../src/report/marks.js';
import type { Finding, Violation } from '../../../src/report/model.js';
import { readReport } from '../../../src/report/read.js';
import { MB, report, service } from './fixtures.js';
import { WEIGHTS_EVIDENCE } from '../../support/evidence.js';

const size = (svc: string, actualMB: number, limitMB = 250): Violation => ({
  service: svc,
  budget: 'max-size',
  limit: limitMB * MB,
  actual: actualMB * MB,
  unit: 'bytes',
  severity: 'error',
  message: `${svc}: size ${actualMB}MB, over max-size ${limitMB}MB`,
});
const finding = (rule: string, line: number, message: string): Finding => ({
  rule,
  severity: 'warning',
  file: 'svc/Dockerfile',
  line,
  message,
});

describe('markAgainst', () => {
  // Base breaks rag and voice; the PR fixes rag, leaves voice, breaks web.
  const base = report([
    service('rag', 263, { violations: [size('rag', 263)] }),
    service('voice', 900, { violations: [size('voice', 900)] }),
    service('web', 100),
  ]);
  const head = markAgainst(
    base,
    report([
      service('rag', 104),
      service('voice', 900.5, { violations: [size('voice', 900.5)] }),
      service('web', 300, { violations: [size('web', 300)] }),
    ]),
  );

  test('1. a violation the baseline did not have is new', () => {
    expect(head.services[2]!.violations[0]!.mark).toBe('new');
  });
  test('2. one it had, grown by less than the noise threshold, is existing', () => {
    expect(head.services[1]!.violations[0]!.mark).toBe('existing');
  });
  test('3. one that is gone is fixed, and only in `fixed`', () => {
    expect(head.services[0]!.violations).toEqual([]);
    expect(head.fixed?.violations.map((v) => [v.service, v.mark])).toEqual([['rag', 'fixed']]);
  });
  test('4. one that grew beyond the threshold is worse', () => {
    const worse = markAgainst(base, report([service('voice', 950, { violations: [size('voice', 950)] })]));
    expect(worse.services[0]!.violations[0]!.mark).toBe('worse');
  });
  test('5. counts', () => {
    expect(countMarks(head).violations).toEqual({ new: 1, worse: 0, fixed: 1, existing: 1 });
  });
  test('6. a service that failed to build fixes nothing', () => {
    const failed = markAgainst(
      base,
      report([service('rag', undefined, { build: { status: 'failed', durationMs: 1 } })]),
    );
    expect(failed.fixed).toEqual({ findings: [], violations: [] });
  });
});

describe('findings', () => {
  const base = report([
    service('api', 10, {
      findings: [
        finding('pip-no-cache', 12, 'pip install keeps its cache (31 MB)'),
        finding('apt-lists', 3, 'x'),
      ],
    }),
  ]);

  test('1. a finding moved by an edit above it, with another number, is existing', () => {
    const head = markAgainst(
      base,
      report([
        service('api', 10, {
          findings: [finding('pip-no-cache', 20, 'pip install keeps its cache (32.5 MB)')],
        }),
      ]),
    );
    expect(head.services[0]!.findings[0]!.mark).toBe('existing');
    expect(head.fixed?.findings.map((f) => [f.service, f.rule, f.mark])).toEqual([
      ['api', 'apt-lists', 'fixed'],
    ]);
  });
  test('2. the same rule with other words, or in another service, is new', () => {
    const head = markAgainst(
      base,
      report([
        service('api', 10, { findings: [finding('pip-no-cache', 12, 'uv pip install keeps its cache')] }),
        service('web', 10, { findings: [finding('apt-lists', 3, 'x')] }),
      ]),
    );
    expect(head.services.map((s) => s.findings[0]!.mark)).toEqual(['new', 'new']);
  });
  test('3. the key ignores case, spacing and numbers, not words', () => {
    expect(normalizeText('Layer  of 31.5 MB at  line 4')).toBe(normalizeText('layer of 2 mb at line 40'));
    expect(findingKey('a', finding('r', 1, 'pip'))).not.toBe(findingKey('a', finding('r', 1, 'uv')));
  });
});

test('marks survive writing and reading the report', () => {
  const marked = markAgainst(
    report([service('rag', 263, { violations: [size('rag', 263)] })]),
    report([service('rag', 300, { violations: [size('rag', 300)] })]),
  );
  const read = readReport(JSON.stringify(marked), 'report.json');
  expect(read.services[0]!.violations[0]!.mark).toBe('worse');
  expect(read.fixed).toEqual({ findings: [], violations: [] });
});

describe('findings the image confirms (pipeline/confirm.ts)', () => {
  const download = finding(
    'model-download-in-build',
    7,
    '`hf_hub_download(...)`: the weights are baked into a layer',
  );
  const weights: Finding = {
    ...finding(
      'model-weights-in-image',
      7,
      'Line 7 (RUN python download.py) writes 420MB of model weights into the image: /root/.cache/huggingface (3 files)',
    ),
    source: 'image',
    imageEvidence: WEIGHTS_EVIDENCE,
  };
  const confirmed: Finding = {
    ...download,
    source: 'lint',
    imageEvidence: { ...weights.imageEvidence!, bytes: 433_000_000 },
  };

  test.each<[string, Finding[], Finding[]]>([
    [
      'confirmed before, confirmed now (more bytes)',
      [confirmed],
      [{ ...confirmed, imageEvidence: { ...confirmed.imageEvidence!, bytes: 1 } }],
    ],
    ['lint only before, confirmed now', [{ ...download, source: 'lint' }], [confirmed]],
    ['confirmed before, lint only now (no image measured)', [confirmed], [{ ...download, source: 'lint' }]],
  ])('%s: existing', (_name, before, now) => {
    const head = markAgainst(
      report([service('ml', 10, { findings: before })]),
      report([service('ml', 10, { findings: now })]),
    );
    expect(head.services[0]!.findings.map((f) => f.mark)).toEqual(['existing']);
    expect(head.fixed?.findings).toEqual([]);
  });

  test.each([
    ['in the Dockerfile', 'svc/Dockerfile'],
    ['in the script the step runs', 'svc/download.py'],
  ])(
    'reported twice before (lint and image), once now (%s): existing, the image one not fixed',
    (_name, file) => {
      const lintFinding: Finding = { ...download, file, source: 'lint' };
      const head = markAgainst(
        report([service('ml', 10, { findings: [lintFinding, weights] })]),
        report([service('ml', 10, { findings: [{ ...confirmed, file }] })]),
      );
      expect(head.services[0]!.findings.map((f) => f.mark)).toEqual(['existing']);
      expect(head.fixed?.findings).toEqual([]);
    },
  );

  test('the weights gone from the image, the download still there: the image finding is fixed', () => {
    const head = markAgainst(
      report([service('ml', 10, { findings: [{ ...download, source: 'lint' }, weights] })]),
      report([service('ml', 10, { findings: [{ ...download, source: 'lint' }] })]),
    );
    expect(head.fixed?.findings.map((f) => f.rule)).toEqual(['model-weights-in-image']);
  });

  test('the evidence survives writing and reading the report', () => {
    const read = readReport(
      JSON.stringify(report([service('ml', 10, { findings: [confirmed] })])),
      'report.json',
    );
    expect(read.services[0]!.findings[0]!.imageEvidence).toEqual(confirmed.imageEvidence);
  });
});
