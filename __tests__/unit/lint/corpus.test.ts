import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { lintTarget } from '../../../src/lint/index.js';
import type { Finding } from '../../../src/report/model.js';

interface Expected {
  expected: { rule: string; line: number; file?: string }[];
  gpu?: boolean;
  target?: string;
  /** The build args the build passes (compose `build.args`). */
  buildArgs?: Record<string, string>;
}

const corpus = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../__fixtures__/lint');
const cases = readdirSync(corpus, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'inline')
  .map((d) => d.name)
  .sort();
/** One-file cases: `inline/NAME.Dockerfile`, whose first line is `# expect: rule@line, ...` or `# expect: nothing`. */
const inlineDir = path.join(corpus, 'inline');
const inline = readdirSync(inlineDir)
  .filter((n) => n.endsWith('.Dockerfile'))
  .sort();

function key(f: { rule: string; line?: number; file?: string }): string {
  return `${f.file ?? 'Dockerfile'}:${f.line ?? 0} ${f.rule}`;
}

/** Errors and warnings: notes (branches the defaults do not take) are asserted by the rule specs. */
function judged(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.severity !== 'note');
}

describe('lint corpus', () => {
  test('has at least 200 cases', () => {
    expect(cases.length + inline.length).toBeGreaterThanOrEqual(200);
  });

  test.each(cases)('%s', (name) => {
    const dir = path.join(corpus, name);
    const spec = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
    const findings = lintTarget({
      root: dir,
      context: dir,
      dockerfile: path.join(dir, 'Dockerfile'),
      gpu: spec.gpu,
      target: spec.target,
      buildArgs: spec.buildArgs,
    });
    const got = judged(findings).map(key).sort();
    const want = spec.expected.map(key).sort();
    // Every expected finding is reported, and nothing else.
    expect(got, JSON.stringify(findings, null, 2)).toEqual(want);
    for (const f of findings) {
      expect(f.message.length).toBeGreaterThan(10);
      expect(f.file).not.toMatch(/^\/|\\/);
    }
  });

  test.each(inline)('inline/%s', (name) => {
    const file = path.join(inlineDir, name);
    const header = /^# expect: (.*)$/m.exec(readFileSync(file, 'utf8').split('\n')[0] ?? '');
    expect(header, 'first line: # expect: rule@line, ... | nothing').not.toBeNull();
    const want = header![1]!.trim() === 'nothing' ? [] : header![1]!.split(/,\s*/).sort();
    const findings = lintTarget({ root: inlineDir, context: inlineDir, dockerfile: file });
    const got = judged(findings)
      .map((f) => (f.file === name ? `${f.rule}@${f.line}` : `${f.rule}@${f.file}:${f.line}`))
      .sort();
    expect(got, JSON.stringify(findings, null, 2)).toEqual(want);
  });
});
