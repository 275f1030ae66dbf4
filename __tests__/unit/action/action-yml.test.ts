/** action.yml, the code that reads its inputs, and the README's table say the same thing. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '../../..');
const action = parse(readFileSync(path.join(root, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
};
const inputsCode = readFileSync(path.join(root, 'src/action/inputs.ts'), 'utf8');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const mainCode = ['src/main.ts', 'src/action/publish.ts', 'src/action/comment.ts']
  .map((f) => readFileSync(path.join(root, f), 'utf8'))
  .join('\n');

describe('action.yml', () => {
  test('runs node24 from the committed bundle', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  test('every input the code reads is declared, and every declared input is read', () => {
    const read = new Set(
      [...inputsCode.matchAll(/(?:getInput|booleanInput|oneOf)\('([a-z-]+)'/g)].map((m) => m[1]),
    );
    const strings = [...inputsCode.matchAll(/^\s+\w+: '([a-z-]+)',$/gm)].map((m) => m[1]);
    for (const name of strings) read.add(name);
    expect([...read].sort()).toEqual(Object.keys(action.inputs).sort());
  });

  test('every output the code sets is declared', () => {
    const set = new Set([...mainCode.matchAll(/setOutput\('([a-z-]+)'/g)].map((m) => m[1]));
    expect([...set].sort()).toEqual(Object.keys(action.outputs).sort());
  });

  test("the README's tables list every input and output", () => {
    for (const name of Object.keys(action.inputs)) expect(readme).toContain(`| \`${name}\` |`);
    for (const name of Object.keys(action.outputs)) expect(readme).toContain(`| \`${name}\` |`);
  });
});
