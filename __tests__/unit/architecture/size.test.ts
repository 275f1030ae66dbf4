/**
 * The house stays small enough to read (issue 15): no source file over 500 lines, no function
 * (declaration, method, arrow or expression) over 80. The functions still over 80 are listed below
 * with the length they have today: a new one fails, one that grows fails, and one that shrinks
 * under 80 must leave the list.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../../src');
const MAX_FILE_LINES = 500;
const MAX_FUNCTION_LINES = 80;

/** `file name` of the functions over 80 lines today, with their length: to be split, never to grow. */
const LONG_TODAY: Record<string, number> = {};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** `file:line name (N lines)` for every function longer than `max`. */
export function longFunctions(file: string, text: string, max: number): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isArrowFunction(node) ||
      ts.isFunctionExpression(node) ||
      ts.isConstructorDeclaration(node)
    ) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > max) {
        const name = (node as { name?: ts.Node }).name?.getText(source) ?? '(anonymous)';
        found.push(`${path.relative(SRC, file)}:${start + 1} ${name} (${lines} lines)`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('size', () => {
  const files = sources(SRC);

  test(`no file of src/ is over ${MAX_FILE_LINES} lines`, () => {
    const long = files
      .map((file) => [path.relative(SRC, file), readFileSync(file, 'utf8').split('\n').length] as const)
      .filter(([, lines]) => lines > MAX_FILE_LINES);
    expect(long).toEqual([]);
  });

  test(`no function of src/ is over ${MAX_FUNCTION_LINES} lines but those listed, none longer than listed`, () => {
    const long = files.flatMap((file) => longFunctions(file, readFileSync(file, 'utf8'), MAX_FUNCTION_LINES));
    const found = Object.fromEntries(
      long.map((line) => {
        const [, where, name, lines] = /^(\S+):\d+ (\S+) \((\d+) lines\)$/.exec(line)!;
        return [`${where} ${name}`, Number(lines)];
      }),
    );
    for (const [fn, lines] of Object.entries(found))
      expect(lines, fn).toBeLessThanOrEqual(LONG_TODAY[fn] ?? MAX_FUNCTION_LINES);
    expect(
      Object.keys(LONG_TODAY).filter((fn) => !(fn in found)),
      'split: remove them from LONG_TODAY',
    ).toEqual([]);
  });

  test('the checks can fail: a long function is found', () => {
    const body = Array.from({ length: 90 }, (_, i) => `  const v${i} = ${i};`).join('\n');
    expect(longFunctions(path.join(SRC, 'x.ts'), `function big() {\n${body}\n}\n`, 80)).toEqual([
      'x.ts:1 big (92 lines)',
    ]);
  });
});
