/**
 * Shell parsers for the lint's shell model, side by side: time to parse (and read the commands of)
 * every RUN of the lint corpus and of the 1,000-file lint bench input, how many RUNs each rejects,
 * and whether each gives the commands of __fixtures__/shell/cases.json. Prints a markdown section.
 *
 *   npx tsx script/bench/shell-parsers.ts [--from DIR] [--old FILE] [--skip sh-syntax,mvdan-sh]
 *
 * The adopted parser (tree-sitter-bash, through src/lint/shell.ts) is always measured. The others
 * are loaded from DIR/node_modules when present (`npm install --prefix DIR sh-syntax mvdan-sh
 * bash-parser shell-quote`); --old names a copy of the hand-written splitter that src/lint/shell.ts
 * replaced (`git show 5ca081d:src/lint/shell.ts`), to measure it too.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the compared parsers' ASTs are untyped */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseDockerfile } from '../../src/lint/dockerfile.js';
import { type ShellNode, childrenOf, parseShell } from '../../src/lint/shell.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = path.join(repo, '__fixtures__/lint');
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

/** Every RUN (shell form) of a Dockerfile as the shell gets it: the line, then its heredocs. */
function runScripts(text: string): string[] {
  const out: string[] = [];
  for (const st of parseDockerfile(text).stages)
    for (const ins of st.instrs) {
      if (ins.keyword !== 'RUN' || ins.json) continue;
      out.push(ins.body + ins.heredocs.map((h) => `\n${h.content}${h.name}`).join('') + '\n');
    }
  return out;
}

const folders = readdirSync(corpus)
  .filter((n) => existsSync(path.join(corpus, n, 'Dockerfile')))
  .sort()
  .map((n) => path.join(corpus, n, 'Dockerfile'));
const inline = readdirSync(path.join(corpus, 'inline'))
  .filter((n) => n.endsWith('.Dockerfile'))
  .map((n) => path.join(corpus, 'inline', n));
const perFile = (f: string): string[] => runScripts(readFileSync(f, 'utf8'));
const corpusRuns = [...folders, ...inline].flatMap(perFile);
const benchFiles = Array.from({ length: 1000 }, (_, i) => perFile(folders[i % folders.length]!));
const fixtures = (
  JSON.parse(readFileSync(path.join(repo, '__fixtures__/shell/cases.json'), 'utf8')) as {
    cases: { name: string; src: string; commands: string[][] }[];
  }
).cases;

/** The simple commands and `[ … ]` tests of a parsed script, as words, in source order. */
function commandWords(items: readonly ShellNode[]): string[][] {
  const out: string[][] = [];
  const visit = (n: ShellNode): void => {
    if (n.type === 'command') out.push([...n.assigns, ...n.words].map((w) => w.value));
    else if (n.type === 'test') out.push(n.words.map((w) => w.value));
    else childrenOf(n).forEach(visit);
  };
  items.forEach(visit);
  return out;
}

const skip = new Set((arg('--skip') ?? '').split(',').filter(Boolean));

interface Candidate {
  name: string;
  api: string;
  /** Parse one script; throw when the parser rejects it; return the commands' words. */
  commands(src: string): string[][] | Promise<string[][]>;
  /** True when the parse reports an error without throwing. */
  flagged?(src: string): boolean;
  /** Parse a whole Dockerfile's RUNs in one call, when the API makes that the way to use it. */
  batch?(srcs: string[]): Promise<unknown>;
}

const candidates: Candidate[] = [
  {
    name: 'tree-sitter-bash 0.25.1 (web-tree-sitter 0.27.2, WASM)',
    api: 'async load once, then sync parse',
    commands: (src) => commandWords(parseShell(src).items),
    flagged: (src) => parseShell(src).error !== undefined,
  },
];

const from = arg('--from');
const req = from ? createRequire(path.join(path.resolve(from), 'noop.js')) : undefined;
const load = (name: string): unknown => {
  try {
    return req?.(name);
  } catch {
    return undefined;
  }
};

const mvdan = skip.has('mvdan-sh')
  ? undefined
  : (load('mvdan-sh') as
      | {
          syntax: {
            NewParser(): { Parse(s: string, n: string): unknown };
            Walk(n: unknown, f: (n: any) => boolean): void;
            NodeType(n: unknown): string;
          };
        }
      | undefined);
if (mvdan) {
  const { syntax } = mvdan;
  const parser = syntax.NewParser();
  const value = (src: string, w: any): string =>
    (w.Parts as any[])
      .map((p: any) => {
        const t = syntax.NodeType(p);
        if (t === 'Lit') return String(p.Value).replace(/\\\n/g, '').replace(/\\(.)/g, '$1');
        if (t === 'SglQuoted') return p.Value;
        if (t === 'DblQuoted')
          return src.slice(p.Pos().Offset() + 1, p.End().Offset() - 1).replace(/\\(["\\$`])/g, '$1');
        return src.slice(p.Pos().Offset(), p.End().Offset());
      })
      .join('');
  candidates.push({
    name: 'mvdan-sh 0.10.1 (GopherJS build of mvdan/sh, not kept up)',
    api: 'sync',
    commands(src) {
      const f = parser.Parse(src, 'run');
      const out: string[][] = [];
      syntax.Walk(f, (n: any) => {
        if (!n) return true;
        const t = syntax.NodeType(n);
        if (t === 'CallExpr') {
          const assigns = (n.Assigns as any[]).map(
            (a: any) => `${a.Name.Value}=${a.Value ? value(src, a.Value) : ''}`,
          );
          out.push([...assigns, ...(n.Args as any[]).map((w: any) => value(src, w))]);
          return false;
        }
        if (t === 'DeclClause') {
          out.push([
            n.Variant.Value,
            ...(n.Args as any[]).map((a: any) => src.slice(a.Pos().Offset(), a.End().Offset())),
          ]);
          return false;
        }
        return !['CmdSubst', 'ProcSubst'].includes(t);
      });
      return out;
    },
  });
}

const shSyntax =
  from && !skip.has('sh-syntax')
    ? await import(
        pathToFileURL(path.join(path.resolve(from), 'node_modules/sh-syntax/lib/index.js')).href
      ).catch(() => undefined)
    : undefined;
if (shSyntax) {
  const parse = (shSyntax as { parse(s: string): Promise<{ Stmts: { Cmd: Record<string, unknown> }[] }> })
    .parse;
  candidates.push({
    name: 'sh-syntax 0.7.0 (mvdan/sh as WASM)',
    api: 'async per call (a fresh WASM instance each call)',
    async commands(src) {
      const f = await parse(src);
      // Its JSON keeps statement positions only: a command's type, name and arguments are not in it.
      return f.Stmts.map((s) => Object.keys(s.Cmd).filter((k) => k !== 'Pos' && k !== 'End'));
    },
    batch: (srcs) => parse(srcs.join('\n')),
  });
}

const bashParser = load('bash-parser') as ((s: string) => { commands: any[] }) | undefined;
if (bashParser) {
  candidates.push({
    name: 'bash-parser 0.5.0 (unmaintained since 2017)',
    api: 'sync',
    commands(src) {
      const out: string[][] = [];
      const visit = (n: any): void => {
        if (!n || typeof n !== 'object') return;
        if (n.type === 'Command') {
          const words = [...(n.prefix ?? []), ...(n.name ? [n.name] : []), ...(n.suffix ?? [])]
            .filter((w: any) => w.type === 'Word' || w.type === 'AssignmentWord')
            .map((w: any) => String(w.text).replace(/^"(.*)"$/s, '$1'));
          out.push(words);
        }
        for (const v of Object.values(n)) if (typeof v === 'object') visit(v);
      };
      visit(bashParser(src));
      return out;
    },
  });
}

const shellQuote = load('shell-quote') as
  { parse(s: string, env: (k: string) => string): unknown[] } | undefined;
if (shellQuote) {
  candidates.push({
    name: 'shell-quote 1.12.0 (tokenizer)',
    api: 'sync',
    commands(src) {
      const out: string[][] = [[]];
      for (const t of shellQuote.parse(src, (k) => `$${k}`)) {
        if (typeof t === 'string') out[out.length - 1]!.push(t);
        else if (
          t &&
          typeof t === 'object' &&
          'op' in t &&
          ['&&', '||', ';', '|', '&', '(', ')', ';;'].includes((t as { op: string }).op)
        )
          out.push([]);
      }
      return out.filter((c) => c.length);
    },
  });
}

const old = arg('--old');
if (old) {
  const mod = (await import(pathToFileURL(path.resolve(old)).href)) as {
    splitShell(s: string): { commands: { value: string }[][] };
  };
  const KEYWORDS = new Set([
    'if',
    'then',
    'elif',
    'else',
    'fi',
    'do',
    'done',
    'while',
    'until',
    'for',
    'case',
    'esac',
    '{',
    '}',
    '!',
  ]);
  candidates.push({
    name: 'hand-written splitter (before)',
    api: 'sync',
    commands: (src) =>
      mod
        .splitShell(src)
        .commands.map((c) => c.map((w) => w.value))
        .map((c) => {
          let k = 0;
          while (k < c.length && KEYWORDS.has(c[k]!)) k++;
          return c
            .slice(k)
            .filter((w, i, all) => !/^\d*[<>]/.test(w) && !(i > 0 && /^\d*[<>]+&?-?$/.test(all[i - 1]!)));
        })
        .filter((c) => c.length),
  });
}

const same = (a: string[][], b: string[][]): boolean => JSON.stringify(a) === JSON.stringify(b);
const rows: string[] = [];
for (const c of candidates) {
  let rejected = 0;
  let flagged = 0;
  for (const s of corpusRuns) {
    try {
      await c.commands(s);
      if (c.flagged?.(s)) flagged++;
    } catch {
      rejected++;
    }
  }
  const time = async (runs: string[]): Promise<number> => {
    const t = performance.now();
    for (const s of runs) {
      try {
        await c.commands(s);
      } catch {
        /* counted above */
      }
    }
    return performance.now() - t;
  };
  const corpusMs = Math.min(await time(corpusRuns), await time(corpusRuns));
  const benchRuns = benchFiles.flat();
  const benchMs = await time(benchRuns);
  let batchMs: number | undefined;
  if (c.batch) {
    const t = performance.now();
    for (const f of benchFiles) await c.batch(f).catch(() => undefined);
    batchMs = performance.now() - t;
  }
  let right = 0;
  const wrong: string[] = [];
  for (const f of fixtures) {
    let got: string[][] | undefined;
    try {
      got = await c.commands(f.src);
    } catch {
      got = undefined;
    }
    if (got && same(got, f.commands)) right++;
    else wrong.push(f.name);
  }
  rows.push(
    `| ${c.name} | ${c.api} | ${((1000 * corpusMs) / corpusRuns.length).toFixed(1)} µs | ${(benchMs / 1000).toFixed(3)} s${batchMs !== undefined ? ` (${(batchMs / 1000).toFixed(3)} s in one call per Dockerfile)` : ''} | ${rejected}${flagged ? ` (+${flagged} parsed with an error node)` : ''} | ${right}/${fixtures.length}${wrong.length ? `: wrong on ${wrong.join(', ')}` : ''} |`,
  );
}

console.log(
  [
    `## Shell parsers for the lint's shell model: ${corpusRuns.length} RUNs of the lint corpus, ${benchFiles.flat().length} RUNs of the 1,000-file lint bench input`,
    '',
    `Node ${process.version}, ${process.platform}/${process.arch}. Time per RUN: best of 2 passes over the corpus RUNs, parse and read the commands' words. Fixtures: the commands of __fixtures__/shell/cases.json, exactly.`,
    '',
    '| parser | API | per RUN (corpus) | 1,000-file bench input | corpus RUNs rejected | fixtures right |',
    '| --- | --- | --: | --: | --: | --- |',
    ...rows,
  ].join('\n'),
);
