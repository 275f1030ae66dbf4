/**
 * Precision and recall of the lint on real public ML Dockerfiles, labelled by hand before the
 * linter ran (script/bench/lint-real-world.json). Their text is not in the repository: the folder
 * given holds one sub-folder per case (`dir`), with its Dockerfile and the context files listed.
 *
 *   npx tsx script/bench/lint-real-world.ts /tmp/real-dockerfiles
 *
 * A finding counts on the instruction that holds its line (labels name the instruction's first line).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintTarget } from '../../src/lint/index.js';
import { parseDockerfile } from '../../src/lint/dockerfile.js';

const RULES = ['model-download-in-build', 'cuda-torch', 'cache-busting-copy'] as const;

interface Case {
  dir: string;
  repository: string;
  path: string;
  commit: string;
  labels: Record<(typeof RULES)[number], number[]>;
  good?: boolean;
  untakenBranchLines?: number[];
  set: 'tuning' | 'held-out' | 'held-out-2' | 'held-out-3' | 'held-out-4';
}

const here = path.dirname(fileURLToPath(import.meta.url));
const folder = process.argv[2];
if (!folder) {
  process.stderr.write('usage: lint-real-world.ts <folder with one sub-folder per case>\n');
  process.exit(2);
}
const labels = JSON.parse(readFileSync(path.join(here, 'lint-real-world.json'), 'utf8')) as { cases: Case[] };

type Counts = Map<string, { tp: number; fp: number; fn: number }>;
const fresh = (): Counts => new Map(RULES.map((r) => [r, { tp: 0, fp: 0, fn: 0 }]));
const bySet: Record<string, Counts> = {
  all: fresh(),
  tuning: fresh(),
  'held-out': fresh(),
  'held-out-2': fresh(),
  'held-out-3': fresh(),
  'held-out-4': fresh(),
};
const misses: string[] = [];
let goodFiles = 0;
let warningsOnGood = 0;
let untakenErrors = 0;
let ran = 0;
let ms = 0;

for (const c of labels.cases) {
  const dir = path.resolve(folder, c.dir);
  const dockerfile = path.join(dir, 'Dockerfile');
  if (!existsSync(dockerfile)) {
    misses.push(`${c.dir}: no Dockerfile in ${dir} (skipped)`);
    continue;
  }
  ran++;
  const text = readFileSync(dockerfile, 'utf8');
  const instrs = parseDockerfile(text).stages.flatMap((s) => [s.from, ...s.instrs]);
  const instrOf = (line: number): number =>
    instrs.find((i) => i.line <= line && line <= i.endLine)?.line ?? line;
  const t = performance.now();
  const findings = lintTarget({ root: dir, context: dir, dockerfile });
  ms += performance.now() - t;
  // A note (a branch the defaults do not take) is not the rule firing. A finding in a script the
  // Dockerfile runs counts on the RUN its message names ("run by Dockerfile line N").
  const onDockerfile = findings
    .filter((f) => f.severity !== 'note')
    .map((f) => {
      const by = /run by Dockerfile line (\d+)\)/.exec(f.message);
      return f.file !== 'Dockerfile' && by ? { ...f, file: 'Dockerfile', line: Number(by[1]) } : f;
    })
    .filter((f) => f.file === 'Dockerfile');
  for (const rule of RULES) {
    const got = new Set(onDockerfile.filter((f) => f.rule === rule).map((f) => instrOf(f.line ?? 1)));
    const want = new Set(c.labels[rule]);
    const ns = [bySet.all!.get(rule)!, bySet[c.set]!.get(rule)!];
    for (const l of got) {
      if (want.has(l)) for (const n of ns) n.tp++;
      else {
        for (const n of ns) n.fp++;
        misses.push(`${c.dir}: ${rule} false alarm on line ${l}`);
      }
    }
    for (const l of want)
      if (!got.has(l)) {
        for (const n of ns) n.fn++;
        misses.push(`${c.dir}: ${rule} missed on line ${l}`);
      }
  }
  for (const l of c.untakenBranchLines ?? []) {
    const bad = onDockerfile.filter((f) => f.severity === 'error' && instrOf(f.line ?? 1) === l);
    untakenErrors += bad.length;
    for (const f of bad)
      misses.push(`${c.dir}: error ${f.rule} on a branch the defaults do not take (line ${l})`);
  }
  if (c.good) {
    goodFiles++;
    // The context is not the real one (only the files listed were fetched): dockerignore and unreadable-file are left out.
    const w = findings.filter(
      (f) => f.severity !== 'note' && f.rule !== 'dockerignore' && f.rule !== 'unreadable-file',
    );
    warningsOnGood += w.length;
    for (const f of w) misses.push(`${c.dir} (good): ${f.severity} ${f.rule} on line ${f.line}`);
  }
}

const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
let out = `Cases run: ${ran} of ${labels.cases.length}; lint time ${ms.toFixed(0)} ms in all.\n\n`;
out += '| set | rule | TP | FP | FN | precision | recall |\n|---|---|---|---|---|---|---|\n';
for (const [set, counts] of Object.entries(bySet)) {
  const files = labels.cases.filter((c) => set === 'all' || c.set === set).length;
  for (const rule of RULES) {
    const n = counts.get(rule)!;
    out += `| ${set} (${files}) | \`${rule}\` | ${n.tp} | ${n.fp} | ${n.fn} | ${fmt(n.tp / (n.tp + n.fp))} | ${fmt(n.tp / (n.tp + n.fn))} |\n`;
  }
}
out += `\nWarnings or errors on the ${goodFiles} good file(s) (dockerignore and unreadable-file aside: the context was not fetched): ${warningsOnGood}.\n`;
out += `Errors on a branch the build's defaults do not take: ${untakenErrors}.\n`;
process.stdout.write(out);
if (process.argv.includes('--verbose')) process.stdout.write(`\n${misses.join('\n')}\n`);
