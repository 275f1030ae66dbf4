import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { runSteps } from '../../../src/lint/analysis/branches.js';
import { type ShellNode, commandsOf, parseShell, splitShell } from '../../../src/lint/shell.js';
import { S, keys, lintFiles } from './helpers.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../__fixtures__/shell');
const { cases } = JSON.parse(readFileSync(path.join(fixtures, 'cases.json'), 'utf8')) as {
  cases: { name: string; src: string; commands: string[][] }[];
};

/** The simple commands and tests of a script, as their words, in source order. */
function words(items: readonly ShellNode[]): string[][] {
  const out: string[][] = [];
  const visit = (n: ShellNode): void => {
    if (n.type === 'command') out.push([...n.assigns, ...n.words].map((w) => w.value));
    else if (n.type === 'test') out.push(n.words.map((w) => w.value));
    else if (n.type === 'list') [n.left, n.right].forEach(visit);
    else if (n.type === 'not') visit(n.item);
    else if (n.type === 'pipeline' || n.type === 'block') n.items.forEach(visit);
    else if (n.type === 'function') n.body.forEach(visit);
    else if (n.type === 'if') n.clauses.forEach((c) => [...(c.cond ?? []), ...c.body].forEach(visit));
    else n.items.forEach((it) => it.body.forEach(visit));
  };
  items.forEach(visit);
  return out;
}

describe('parseShell: the commands a shell runs (__fixtures__/shell/cases.json)', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // `[ … ]` is a test node; `test …` a command: both are listed, as a shell runs them.
    expect(words(parseShell(c.src).items)).toEqual(c.commands);
  });
});

describe('parseShell: structure and positions', () => {
  test('word offsets point at the word in the source, quotes included', () => {
    const src = 'pip install "torch==2.1" x';
    const [cmd] = commandsOf(parseShell(src).items);
    expect(cmd!.words.map((w) => src.slice(w.start, w.end))).toEqual(['pip', 'install', '"torch==2.1"', 'x']);
  });

  test('if / elif / else: each clause with its condition', () => {
    const [node] = parseShell('if [ "$A" = 1 ]; then a; elif b; then c; else d; fi').items;
    expect(node!.type).toBe('if');
    const clauses = (node as Extract<ShellNode, { type: 'if' }>).clauses;
    expect(clauses.map((c) => [c.cond ? words(c.cond) : null, words(c.body)])).toEqual([
      [[['[', '$A', '=', '1', ']']], [['a']]],
      [[['b']], [['c']]],
      [null, [['d']]],
    ]);
  });

  test('case: patterns of each item', () => {
    const [node] = parseShell('case "$T" in cpu|gpu) a ;; (x) b ;; *) c ;; esac').items;
    const kase = node as Extract<ShellNode, { type: 'case' }>;
    expect(kase.subject.value).toBe('$T');
    expect(kase.items.map((it) => it.patterns)).toEqual([['cpu', 'gpu'], ['x'], ['*']]);
  });

  test('&& and || keep their operands; a heredoc belongs to its command', () => {
    const [node] = parseShell('python3 <<EOF || echo failed\nimport torch\nEOF\n').items;
    expect(node).toMatchObject({
      type: 'list',
      op: '||',
      left: { type: 'command', heredocs: [{ name: 'EOF', content: 'import torch\n' }] },
      right: { type: 'command' },
    });
  });

  test.each([
    ['echo "abc', { offset: 5, quote: '"' }],
    ["a && echo 'abc", { offset: 10, quote: "'" }],
  ])('an unterminated quote is found: %s', (src, want) => {
    expect(parseShell(src).unterminated).toEqual(want);
  });

  test('a closed quote is not reported', () => {
    expect(parseShell('echo "a" \'b\'').unterminated).toBeUndefined();
  });

  test('splitShell gives the words of each command, assignments first', () => {
    expect(splitShell('A=1 cmd "x y"; b').commands.map((c) => c.map((w) => w.value))).toEqual([
      ['A=1', 'cmd', 'x y'],
      ['b'],
    ]);
  });
});

describe('runSteps: the script under the build defaults', () => {
  const steps = (src: string, vars: Record<string, string>): [string, string | undefined][] =>
    runSteps(parseShell(src).items, new Map(Object.entries(vars))).map((s) => [
      s.cmd.words.map((w) => w.value).join(' '),
      s.branch,
    ]);

  test.each([
    [
      'if on a build arg',
      'if [ "$GPU" = "true" ]; then a; else b; fi',
      { GPU: 'false' },
      [
        ['a', 'GPU'],
        ['b', undefined],
      ],
    ],
    [
      'elif after an unknown condition: all taken',
      'if [ -f x ]; then a; elif [ "$G" = 1 ]; then b; fi',
      { G: '0' },
      [
        ['a', undefined],
        ['b', undefined],
      ],
    ],
    [
      'case on TARGETARCH',
      'case "$TARGETARCH" in amd64) a ;; arm64) b ;; *) c ;; esac',
      { TARGETARCH: 'amd64' },
      [
        ['a', undefined],
        ['b', 'TARGETARCH'],
        ['c', 'TARGETARCH'],
      ],
    ],
    [
      'a test guards the && chain, not what follows ||',
      '[ "$X" = y ] && a && b || c',
      { X: 'n' },
      [
        ['a', 'X'],
        ['b', 'X'],
        ['c', undefined],
      ],
    ],
    ['negated test', '! [ -n "$X" ] || a', { X: '' }, [['a', 'X']]],
    [
      'a shell variable set on the taken branch decides a later test',
      'if [ "$GPU" = 1 ]; then IDX=cu121; else IDX=cpu; fi; if [ "$IDX" = cu121 ]; then a; else b; fi',
      { GPU: '0' },
      [
        ['a', 'IDX'],
        ['b', undefined],
      ],
    ],
  ])('%s', (_name, src, vars, want) => {
    expect(steps(src, vars)).toEqual(want);
  });

  test('shell variables reach the commands after them', () => {
    const [s] = runSteps(parseShell('URL=https://x/m.pth; wget "$URL"').items, new Map());
    expect(s!.shellVars.get('URL')).toBe('https://x/m.pth');
  });
});

describe('the lint on what the hand-written splitter got wrong', () => {
  test('the text of a heredoc in a followed script is not run as commands', () => {
    // The splitter read the heredoc's lines as commands and reported a download here.
    const f = lintFiles({
      Dockerfile: `${S}COPY setup.sh .\nRUN bash setup.sh\n`,
      'setup.sh':
        '#!/bin/sh\ncat > /app/README <<EOF\nwget https://example.com/models/big.safetensors\nEOF\necho done\n',
    });
    expect(keys(f)).toEqual([]);
  });

  test('a download in a followed script is still found next to a heredoc', () => {
    const f = lintFiles({
      Dockerfile: `${S}COPY setup.sh .\nRUN bash setup.sh\n`,
      'setup.sh':
        '#!/bin/sh\ncat > /app/README <<EOF\nhello\nEOF\nwget https://example.com/models/big.safetensors\n',
    });
    expect(keys(f)).toEqual(['setup.sh:5 model-download-in-build']);
  });

  test('an index chosen through a shell variable set by an ARG-driven if is judged on the defaults', () => {
    // The splitter evaluated tests on ARG and ENV values only: `$IDX` was unknown, both installs counted.
    const f = lintFiles({
      Dockerfile:
        `${S}ARG GPU=false\n` +
        'RUN if [ "$GPU" = "true" ]; then IDX=cu121; else IDX=cpu; fi && \\\n' +
        '    if [ "$IDX" = "cu121" ]; then pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cu121; ' +
        'else pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cpu; fi\n',
    });
    expect(f.filter((x) => x.severity !== 'note').map((x) => x.rule)).toEqual([]);
  });
});
