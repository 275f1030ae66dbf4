import { describe, expect, test } from 'vitest';
import { renderFindingsText } from '../../../src/render/findings.js';
import { annotate, findingAnnotation, type AnnotationProperties } from '../../../src/render/annotations.js';
import type { Finding } from '../../../src/report/model.js';

const findings: Finding[] = [
  {
    rule: 'cuda-torch',
    severity: 'error',
    file: 'services/audio/requirements.txt',
    line: 3,
    column: 1,
    endColumn: 13,
    message: '`torch` from PyPI is the CUDA build',
    fix: 'use the CPU index',
  },
  {
    rule: 'dockerignore',
    severity: 'warning',
    file: 'services/audio/.dockerignore',
    line: 1,
    message: 'does not exclude tests/',
  },
  { rule: 'custom', severity: 'note', file: 'Dockerfile', message: 'a note without a line' },
];

describe('renderFindingsText', () => {
  test('file:line, severity, rule, message and the fix hint', () => {
    const text = renderFindingsText(findings);
    expect(text).toContain('services/audio/requirements.txt:3:1');
    expect(text).toMatch(/requirements\.txt:3:1\s+error\s+cuda-torch\s+`torch` from PyPI/);
    expect(text).toContain('fix: use the CPU index');
    expect(text).toContain('1 error(s), 1 warning(s), 1 note(s)');
  });
  test('nothing found', () => {
    expect(renderFindingsText([])).toBe('No lint findings.\n');
  });
});

describe('annotate', () => {
  test('maps severity to error/warning/notice with file and line properties', () => {
    const calls: [string, string, AnnotationProperties | undefined][] = [];
    const sink = {
      error: (m: string, p?: AnnotationProperties) => calls.push(['error', m, p]),
      warning: (m: string, p?: AnnotationProperties) => calls.push(['warning', m, p]),
      notice: (m: string, p?: AnnotationProperties) => calls.push(['notice', m, p]),
    };
    annotate(findings.map(findingAnnotation), sink);
    expect(calls.map((c) => c[0])).toEqual(['error', 'warning', 'notice']);
    expect(calls[0]![2]).toEqual({
      title: 'image-budget: cuda-torch',
      file: 'services/audio/requirements.txt',
      startLine: 3,
      endLine: 3,
      startColumn: 1,
      endColumn: 13,
    });
    expect(calls[0]![1]).toContain('Fix: use the CPU index');
    expect(calls[2]![2]).toEqual({ title: 'image-budget: custom', file: 'Dockerfile' });
  });
});
