import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseDockerfile, substitute } from '../../../src/dockerfile/index.js';
import { analyze } from '../../../src/lint/analysis.js';
import { ContextFiles } from '../../../src/lint/context-files.js';

/** The value of `name` in force at the Dockerfile's last RUN, as the walker models it. */
function valueAtLastRun(text: string, name: string, buildArgs?: Record<string, string>): unknown {
  const dir = mkdtempSync(path.join(tmpdir(), 'ib-args-'));
  const facts = analyze(
    parseDockerfile(text),
    { file: 'Dockerfile', root: dir, context: dir, ...(buildArgs ? { buildArgs } : {}) },
    new ContextFiles(dir, dir),
  );
  const run = facts.runs[facts.runs.length - 1];
  if (!run) throw new Error('no RUN');
  return run.vars.get(name);
}

const F = 'FROM python:3.12-slim\n';
const R = 'RUN true\n';

describe('ARG values as BuildKit sets them', () => {
  test.each<[string, string, string, Record<string, string> | undefined, unknown]>([
    ['an ARG without a default is declared, not set', `${F}ARG X\n${R}`, 'X', undefined, null],
    ['an ARG with a default', `${F}ARG X=1\n${R}`, 'X', undefined, '1'],
    ['an ARG with an empty default is set and empty', `${F}ARG X=\n${R}`, 'X', undefined, ''],
    ['a build arg over the default', `${F}ARG X=1\n${R}`, 'X', { X: '2' }, '2'],
    ['a build arg for an ARG without a default', `${F}ARG X\n${R}`, 'X', { X: '2' }, '2'],
    ['a build arg the Dockerfile does not declare is not in force', `${F}${R}`, 'X', { X: '2' }, undefined],
    ['the default of the ARG before FROM, redeclared', `ARG X=1\n${F}ARG X\n${R}`, 'X', undefined, '1'],
    ['an ARG before FROM without a default, redeclared', `ARG X\n${F}ARG X\n${R}`, 'X', undefined, null],
    ['a build arg for the ARG before FROM', `ARG X=1\n${F}ARG X\n${R}`, 'X', { X: '3' }, '3'],
    [
      'an ARG before FROM, not redeclared, is not in the stage',
      `ARG X=1\n${F}${R}`,
      'X',
      undefined,
      undefined,
    ],
    [
      'a default expanded with the ARGs before it',
      `${F}ARG V=121\nARG IDX=cu\${V}\n${R}`,
      'IDX',
      undefined,
      'cu121',
    ],
    ['on one line', `${F}ARG V=121 IDX=cu\${V}\n${R}`, 'IDX', undefined, 'cu121'],
    [
      'a default before FROM expanded with the ones before it',
      `ARG V=12\nARG B=cuda:\${V}\n${F}ARG B\n${R}`,
      'B',
      undefined,
      'cuda:12',
    ],
    [
      'redeclared without a default in the stage keeps its value',
      `${F}ARG X=1\nARG X\n${R}`,
      'X',
      undefined,
      '1',
    ],
    ['an ENV set from an ARG without a default is empty', `${F}ARG X\nENV Y=\${X}\n${R}`, 'Y', undefined, ''],
    ['`${X-w}` of an ARG not set is w', `${F}ARG X\nENV Y=\${X-w}\n${R}`, 'Y', undefined, 'w'],
    ['`${X-w}` of an ARG set empty is empty', `${F}ARG X=\nENV Y=\${X-w}\n${R}`, 'Y', undefined, ''],
    ['`${X:-w}` of an ARG not set is w', `${F}ARG X\nENV Y=\${X:-w}\n${R}`, 'Y', undefined, 'w'],
    ['`${X+w}` of an ARG not set is empty', `${F}ARG X\nENV Y=\${X+w}\n${R}`, 'Y', undefined, ''],
    [
      'an ENV set from an ARG lasts into the next stage',
      `${F.replace('\n', ' AS b\n')}ARG X=1\nENV Y=\${X}\nFROM b\n${R}`,
      'Y',
      undefined,
      '1',
    ],
    [
      'an ARG does not last into the next stage',
      `${F.replace('\n', ' AS b\n')}ARG X=1\nFROM b\n${R}`,
      'X',
      undefined,
      undefined,
    ],
    ['the platform args', `${F}ARG TARGETARCH\n${R}`, 'TARGETARCH', undefined, 'amd64'],
    ['an ENV of the same name hides the ARG', `${F}ENV X=e\nARG X=a\n${R}`, 'X', undefined, 'e'],
  ])('%s', (_name, text, name, buildArgs, want) => {
    expect(valueAtLastRun(text, name, buildArgs)).toBe(want);
  });

  test.each<[string, Map<string, string | null | undefined>, string]>([
    ['$X', new Map([['X', null]]), ''],
    ['${X}', new Map([['X', null]]), ''],
    ['${X}', new Map<string, string | undefined>([['X', undefined]]), '${X}'],
    ['$X', new Map(), '$X'],
    ['${X-w}', new Map([['X', null]]), 'w'],
    ['${X-w}', new Map([['X', '']]), ''],
    ['${X:-w}', new Map([['X', '']]), 'w'],
    ['${X+w}', new Map([['X', '']]), 'w'],
    ['${X:+w}', new Map([['X', '']]), ''],
  ])('substitute(%j)', (text, vars, want) => {
    expect(substitute(text, vars)).toBe(want);
  });
});
