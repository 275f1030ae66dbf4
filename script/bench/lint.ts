/**
 * Lint speed: 1,000 Dockerfiles (the lint corpus replicated) linted in one process by
 * image-budget's lint (all rules, requirements/scripts/.dockerignore followed) and by
 * dockerfilelint's library API, side by side. Prints a markdown section.
 *
 *   npx tsx script/bench/lint.ts [count]
 */
import { readFileSync, readdirSync, existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintTarget, type LintTarget } from '../../src/lint/index.js';
import { parseDockerfile } from '../../src/lint/dockerfile.js';

const require = createRequire(import.meta.url);
const dockerfilelint = require('dockerfilelint') as { run(configPath: string, content: string): unknown[] };

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = path.join(repo, '__fixtures__/lint');
const count = Number(process.argv[2] ?? 1000);

interface Case {
  target: LintTarget;
  text: string;
}

const base: Case[] = readdirSync(corpus)
  .filter((n) => existsSync(path.join(corpus, n, 'Dockerfile')))
  .sort()
  .map((n) => {
    const dir = path.join(corpus, n);
    const spec = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as {
      gpu?: boolean;
      target?: string;
    };
    const target: LintTarget = { root: dir, context: dir, dockerfile: path.join(dir, 'Dockerfile') };
    if (spec.gpu) target.gpu = true;
    if (spec.target) target.target = spec.target;
    return { target, text: readFileSync(path.join(dir, 'Dockerfile')).toString('latin1') };
  });
const cases: Case[] = Array.from({ length: count }, (_, i) => base[i % base.length]!);
const emptyConfigDir = mkdtempSync(path.join(tmpdir(), 'dfl-'));

interface Run {
  ms: number;
  crashes: number;
  findings: number;
}

function ours(): Run {
  let crashes = 0;
  let findings = 0;
  const t = performance.now();
  for (const c of cases) {
    try {
      const f = lintTarget(c.target);
      findings += f.length;
      if (f.some((x) => x.message.startsWith('internal error') || x.message.startsWith('could not analyse')))
        crashes++;
    } catch {
      crashes++;
    }
  }
  return { ms: performance.now() - t, crashes, findings };
}

function parseOnly(): number {
  const t = performance.now();
  for (const c of cases) {
    try {
      parseDockerfile(c.text);
    } catch {
      /* counted by ours() */
    }
  }
  return performance.now() - t;
}

function theirs(): Run {
  let crashes = 0;
  let findings = 0;
  const t = performance.now();
  for (const c of cases) {
    try {
      findings += dockerfilelint.run(emptyConfigDir, c.text).length;
    } catch {
      crashes++;
    }
  }
  return { ms: performance.now() - t, crashes, findings };
}

// First pass: cold (module JIT and file cache as a CLI run sees them), then best of 3 warm passes.
const coldOurs = ours();
const coldParse = parseOnly();
const coldTheirs = theirs();
const warm = { ours: coldOurs, parse: coldParse, theirs: coldTheirs };
for (let i = 0; i < 3; i++) {
  const o = ours();
  const p = parseOnly();
  const d = theirs();
  if (o.ms < warm.ours.ms) warm.ours = o;
  if (p < warm.parse) warm.parse = p;
  if (d.ms < warm.theirs.ms) warm.theirs = d;
}

const s = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;
const pct = (a: number, b: number): string => `${Math.round((100 * a) / b)}%`;
const lines = [
  `## Lint speed: ${count} Dockerfiles (${base.length} corpus cases replicated), one process`,
  '',
  `Node ${process.version}, ${process.platform}/${process.arch}. image-budget runs every rule and follows requirements, scripts, pyproject and .dockerignore from disk; dockerfilelint gets the Dockerfile text.`,
  '',
  '| | image-budget lint | of which dockerfile-ast parse | dockerfilelint | ratio (ours / dockerfilelint) |',
  '| --- | --: | --: | --: | --: |',
  `| first pass (cold) | ${s(coldOurs.ms)} | ${s(coldParse)} (${pct(coldParse, coldOurs.ms)}) | ${s(coldTheirs.ms)} | ${(coldOurs.ms / coldTheirs.ms).toFixed(2)}x |`,
  `| best of 3 (warm) | ${s(warm.ours.ms)} | ${s(warm.parse)} (${pct(warm.parse, warm.ours.ms)}) | ${s(warm.theirs.ms)} | ${(warm.ours.ms / warm.theirs.ms).toFixed(2)}x |`,
  '',
  `Crashes: image-budget ${coldOurs.crashes} of ${count}; dockerfilelint ${coldTheirs.crashes} of ${count} (threw).`,
  `Findings: image-budget ${coldOurs.findings}; dockerfilelint ${coldTheirs.findings}.`,
  `Goal: under 1 s for 1,000 and at most 2x dockerfilelint: ${coldOurs.ms < 1000 && warm.ours.ms <= 2 * warm.theirs.ms ? 'met' : 'NOT met'}.`,
];
console.log(lines.join('\n'));
