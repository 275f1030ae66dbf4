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

describe('renderFindingsText widths', () => {
  const long: Finding = {
    rule: 'cuda-torch',
    severity: 'error',
    file: 'services/audio/requirements.txt',
    line: 3,
    message:
      `\`torch\` from PyPI is the CUDA build on Linux ${'(~2-8 GB with its nvidia-* wheels) '.repeat(4)}`.trim(),
    fix: 'install CPU torch first (`pip install torch --index-url https://download.pytorch.org/whl/cpu`) or add `--extra-index-url https://download.pytorch.org/whl/cpu` to this install',
  };

  test.each([100, 80, 60])('fits %i columns, the command whole', (width) => {
    const lines = renderFindingsText([long], { width }).split('\n');
    // Only a word longer than the line by itself (here the 72-column command) may pass it, alone.
    for (const line of lines) if ([...line].length > width) expect(line).toMatch(/^\(?`[^`]+`\)?$/);
    if (width >= 80) for (const line of lines) expect([...line].length).toBeLessThanOrEqual(width);
    expect(
      lines.some((l) => l.includes('`pip install torch --index-url https://download.pytorch.org/whl/cpu`')),
    ).toBe(true);
  });

  test('wide: the message and the fix on one line each', () => {
    const lines = renderFindingsText([long], { wide: true, width: 60 }).split('\n');
    expect(lines[0]).toMatch(/^services\/audio\/requirements\.txt:3 +error +cuda-torch +`torch`/);
    expect(lines[0]!.endsWith(long.message)).toBe(true);
    expect(lines[1]!.trim()).toBe(`fix: ${long.fix!}`);
  });

  test('a mark is shown after the rule', () => {
    expect(renderFindingsText([{ ...long, mark: 'new' }])).toMatch(/cuda-torch +\[new\] +`torch`/);
  });
});
