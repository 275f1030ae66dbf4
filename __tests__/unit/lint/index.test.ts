import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { parseDockerfile } from '../../../src/dockerfile/index.js';
import { lint, lintTarget, type LintTarget } from '../../../src/lint/index.js';
import { RULE_IMPLS } from '../../../src/lint/rules/index.js';
import type { Rule } from '../../../src/lint/rules/types.js';

function target(text: string): LintTarget {
  const dir = mkdtempSync(path.join(tmpdir(), 'ib-lint-index-'));
  writeFileSync(path.join(dir, 'Dockerfile'), text);
  return { root: dir, context: dir, dockerfile: path.join(dir, 'Dockerfile') };
}

const CUDA = 'FROM python:3.12-slim\nRUN pip install torch\n';

describe('lint: the user is blamed for their Dockerfile, we for our bugs', () => {
  const rules = RULE_IMPLS as Rule[];
  const count = rules.length;
  afterEach(() => void rules.splice(count));

  test('a line the parser cannot read is invalid-dockerfile with its line, and no bug', () => {
    const { findings, bugs } = lint(target('FROM a\nRUN x\nFOO bar\n'));
    expect(findings.filter((f) => f.rule === 'invalid-dockerfile')).toEqual([
      expect.objectContaining({ file: 'Dockerfile', line: 3, message: 'unknown instruction `FOO`' }),
    ]);
    expect(bugs).toEqual([]);
  });

  test("a rule's exception is a bug with its stack; the other rules' findings stand", () => {
    const boom = new Error('boom');
    rules.push({
      meta: rules.find((r) => r.meta.id === 'remote-add')!.meta,
      check: () => {
        throw boom;
      },
    });
    const { findings, bugs } = lint(target(CUDA));
    expect(bugs).toEqual([{ file: 'Dockerfile', where: 'rule remote-add', error: boom }]);
    expect(findings.map((f) => f.rule)).toContain('cuda-torch');
    expect(findings.map((f) => f.rule)).not.toContain('invalid-dockerfile');
    // Without a place to report it, the bug is thrown as is.
    expect(() => lintTarget(target(CUDA))).toThrow(boom);
  });

  test('an exception in the analysis is a bug, not a finding', () => {
    const model = parseDockerfile(CUDA);
    (model.stages[0] as { instrs: unknown }).instrs = undefined;
    const { findings, bugs } = lint(target(CUDA), {}, { text: CUDA, model });
    expect(bugs.map((b) => [b.where, b.error instanceof TypeError])).toEqual([['the analysis', true]]);
    expect(findings).toEqual([]);
  });

  test("an exception in one instruction's analysis is a bug naming its line; the others are still analysed", () => {
    const text = `${CUDA}RUN echo done\n`;
    const model = parseDockerfile(text);
    const broken = model.stages[0]!.instrs.find((i) => i.line === 3)!;
    (broken as { body: unknown }).body = undefined;
    const { findings, bugs } = lint(target(text), {}, { text, model });
    expect(bugs.map((b) => [b.where, b.error instanceof TypeError])).toEqual([
      ['the analysis of line 3', true],
    ]);
    expect(findings.map((f) => f.rule)).toContain('cuda-torch');
    expect(findings.map((f) => f.rule)).not.toContain('invalid-dockerfile');
  });

  test('the model handed in is the one linted: the file is not read again', () => {
    const handed = { text: CUDA, model: parseDockerfile(CUDA) };
    const { findings } = lint(target('FROM a\nFOO bar\n'), {}, handed);
    expect(findings.map((f) => f.rule)).toContain('cuda-torch');
    expect(findings.map((f) => f.rule)).not.toContain('invalid-dockerfile');
  });
});
