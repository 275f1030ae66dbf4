import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { lintTarget } from '../../../src/lint/index.js';

interface Expected {
  expected: { rule: string; line: number; file?: string }[];
  gpu?: boolean;
  target?: string;
}

const corpus = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../__fixtures__/lint');
const cases = readdirSync(corpus, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

function key(f: { rule: string; line?: number; file?: string }): string {
  return `${f.file ?? 'Dockerfile'}:${f.line ?? 0} ${f.rule}`;
}

describe('lint corpus', () => {
  test('has at least 60 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
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
    });
    const got = findings.map(key).sort();
    const want = spec.expected.map(key).sort();
    // Every expected finding is reported, and nothing else.
    expect(got, JSON.stringify(findings, null, 2)).toEqual(want);
    for (const f of findings) {
      expect(f.message.length).toBeGreaterThan(10);
      expect(f.file).not.toMatch(/^\/|\\/);
    }
  });
});
