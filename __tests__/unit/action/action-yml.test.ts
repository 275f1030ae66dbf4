/** action.yml, the request its inputs are read into, the README's tables and .node-version say the same thing. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { INPUT_NAMES, parseRequest, type InputName } from '../../../src/pipeline/request.js';

const root = path.resolve(import.meta.dirname, '../../..');
const action = parse(readFileSync(path.join(root, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
};
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const actionCode = readdirSync(path.join(root, 'src/action'))
  .map((f) => readFileSync(path.join(root, 'src/action', f), 'utf8'))
  .join('\n');

describe('action.yml', () => {
  test('runs node24 from the committed bundle', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  test('.node-version (CI, contributors) is the runtime action.yml runs on', () => {
    const major = readFileSync(path.join(root, '.node-version'), 'utf8').trim().split('.')[0];
    expect(`node${major}`).toBe(action.runs.using);
  });

  test('declares exactly the inputs of INPUT_NAMES, the one list the code reads', () => {
    expect(Object.keys(action.inputs).sort()).toEqual([...INPUT_NAMES].sort());
  });

  test("its defaults are parseRequest's defaults (the CLI gets the same ones)", () => {
    const defaults = Object.fromEntries(
      Object.entries(action.inputs)
        // The runner fills in the job's token; the CLI has none.
        .filter(([name, input]) => input.default !== undefined && name !== 'github-token')
        .map(([name, input]) => [name as InputName, input.default!]),
    );
    expect(Object.keys(defaults).length).toBeGreaterThan(5);
    expect(parseRequest(defaults)).toEqual(parseRequest({}));
  });

  test('every output the code sets is declared', () => {
    const set = new Set([...actionCode.matchAll(/setOutput\('([a-z-]+)'/g)].map((m) => m[1]));
    expect([...set].sort()).toEqual(Object.keys(action.outputs).sort());
  });

  test("the README's tables list every input and output", () => {
    for (const name of Object.keys(action.inputs)) expect(readme).toContain(`| \`${name}\` |`);
    for (const name of Object.keys(action.outputs)) expect(readme).toContain(`| \`${name}\` |`);
  });
});
