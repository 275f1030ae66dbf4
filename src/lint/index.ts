/**
 * The Dockerfile lint: `lint` turns one service's Dockerfile (and the requirements files, scripts
 * and .dockerignore it uses) into findings, before any build. Pure apart from reading files through
 * ContextFiles. Bad input becomes a finding naming the file and line, never a throw; a bug of ours
 * (in the analysis or a rule) is never a finding: it comes back as a bug, with its stack.
 */
import path from 'node:path';
import type { Finding, Severity } from '../report/model.js';
import { type AnalyzeInput, type Facts, type Loc, analyze } from './analysis.js';
import { ContextFiles } from './context-files.js';
import { RULE_REGISTRY } from '../rules/registry.js';
import { type ParsedDockerfile, parseDockerfile } from '../dockerfile/index.js';
import { relativePath } from '../util/paths.js';
import { RULE_IMPLS } from './rules/index.js';
import { maskUserinfo } from './analysis/downloads.js';
import type { DockerignoreInput, RawFinding } from './rules/types.js';

export type { RuleMeta } from '../rules/registry.js';
/** Dockerfiles under the given paths (folders walked, skipping node_modules and .git). */
export { findDockerfiles } from './context-files.js';

export interface LintTarget {
  /** Compose service name, if any. */
  service?: string;
  /** Absolute repository root; Finding.file is relative to it (POSIX separators). */
  root: string;
  /** Absolute build context folder. */
  context: string;
  /** Absolute Dockerfile path. */
  dockerfile?: string;
  /** Inline Dockerfile (compose `dockerfile_inline`) when there is no path. */
  dockerfileText?: string;
  /** Build target stage. */
  target?: string;
  /** The service declared GPU: CUDA rules do not fire. */
  gpu?: boolean;
  /** The build args the build passes (compose `build.args`): they win over the ARG defaults. */
  buildArgs?: Readonly<Record<string, string>>;
}

export interface LintConfig {
  rules?: Record<string, 'error' | 'warning' | 'off'>;
  patterns?: { id: string; regex: string; message: string; severity: Severity }[];
  /** When the dockerignore rule speaks: what should be excluded weighs at least this (default 1 MB, 10%). */
  dockerignore?: { minBytes: number; minShare: number };
}

/** The Dockerfile as the run read it once: its text and its one parse (the lint then reads neither). */
export interface LintDockerfile {
  text: string;
  model: ParsedDockerfile;
}

/** An exception in our own analysis or in a rule: the user's Dockerfile is not to blame. */
export interface LintBug {
  /** The Dockerfile linted, relative to the root. */
  file: string;
  /** Where it broke: `the analysis`, `rule cuda-torch`. */
  where: string;
  error: unknown;
}

export interface LintResult {
  findings: Finding[];
  /**
   * The Dockerfile line of the instruction each finding belongs to (the RUN that runs the script or
   * installs the requirements file it sits in, or its own instruction's first line), where known:
   * the image's layers are matched to those lines (pipeline/confirm.ts).
   */
  steps: Map<Finding, number>;
  /** Bugs met on the way; the findings of every other part stand. */
  bugs: LintBug[];
}

const DEFAULT_SEVERITY = new Map(RULE_REGISTRY.map((r) => [r.id, r.severity]));

interface Pending {
  rule: string;
  severity?: Severity;
  loc: Loc;
  message: string;
  fix?: string;
}

/**
 * Lints one Dockerfile: `dockerfile` is the run's read and parse of it; without it the lint reads
 * and parses the file itself.
 */
export function lint(target: LintTarget, config: LintConfig = {}, dockerfile?: LintDockerfile): LintResult {
  const files = new ContextFiles(target.root, target.context);
  const pending: Pending[] = [];
  const bugs: LintBug[] = [];
  const fileRel = target.dockerfile
    ? relativePath(target.root, target.dockerfile)
    : `${relativePath(target.root, target.context)}/dockerfile_inline`.replace(/^\.\//, '');
  const text = dockerfile ? dockerfile.text : dockerfileText(target, files, fileRel, pending);
  const df = dockerfile?.model ?? (text !== undefined ? parseDockerfile(text) : undefined);
  const bug = (where: string, error: unknown): void => void bugs.push({ file: fileRel, where, error });
  const facts = df ? analyzeModel(df, target, files, fileRel, pending, bug) : undefined;
  if (facts) runRules(facts, target, files, config, pending, bug);
  if (text !== undefined && config.patterns?.length) customPatterns(text, fileRel, config, pending);
  const steps = new Map<Finding, number>();
  return { findings: finish(pending, config, files, target, fileRel, text, steps), bugs, steps };
}

/** The findings of one Dockerfile, for callers with no place to report a bug: the first one is thrown. */
export function lintTarget(target: LintTarget, config: LintConfig = {}): Finding[] {
  const { findings, bugs } = lint(target, config);
  if (bugs[0]) throw bugs[0].error;
  return findings;
}

const UNREADABLE: Partial<Record<string, string>> = {
  missing: 'the Dockerfile does not exist',
  directory: 'the Dockerfile path is a folder',
  outside: 'the Dockerfile points outside the repository; it was not read',
  'not-regular': 'the Dockerfile is not a regular file (a device, FIFO or socket); it was not read',
};

/** The Dockerfile's text, or a finding saying why there is none. */
function dockerfileText(
  target: LintTarget,
  files: ContextFiles,
  fileRel: string,
  pending: Pending[],
): string | undefined {
  if (!target.dockerfile) {
    if (target.dockerfileText !== undefined) return target.dockerfileText;
    pending.push({
      rule: 'invalid-dockerfile',
      loc: { file: fileRel, line: 1 },
      message: 'no Dockerfile given (neither a path nor inline text)',
    });
    return undefined;
  }
  const r = files.read(target.dockerfile);
  if (r.ok) return r.text;
  const unreadable =
    r.reason === 'unreadable'
      ? `the Dockerfile cannot be read (${r.detail ?? 'error'})`
      : UNREADABLE[r.reason];
  if (unreadable) {
    pending.push({
      rule: 'unreadable-file',
      severity: 'error',
      loc: { file: fileRel, line: 1 },
      message: unreadable,
    });
    return undefined;
  }
  const why =
    r.reason === 'too-large'
      ? `is too large to be a Dockerfile (${r.detail})`
      : r.reason === 'binary'
        ? 'is binary, not text'
        : 'is not valid UTF-8';
  pending.push({
    rule: 'invalid-dockerfile',
    loc: { file: fileRel, line: r.line ?? 1 },
    message: `not a Dockerfile: the file ${why}`,
  });
  return undefined;
}

/**
 * The Dockerfile's facts; the model's problems (what is not a Dockerfile) become findings. An
 * exception in the analysis is a bug: no facts, no finding blaming the file.
 */
function analyzeModel(
  df: ParsedDockerfile,
  target: LintTarget,
  files: ContextFiles,
  fileRel: string,
  pending: Pending[],
  bug: (where: string, error: unknown) => void,
): Facts | undefined {
  for (const p of df.problems)
    pending.push({
      rule: 'invalid-dockerfile',
      loc: { file: fileRel, line: p.line, anchor: p.line },
      message: p.message,
    });
  if (!df.stages.length) return undefined;
  const input: AnalyzeInput = { file: fileRel, root: target.root, context: target.context };
  if (target.target) input.target = target.target;
  if (target.buildArgs) input.buildArgs = target.buildArgs;
  let facts: Facts;
  try {
    facts = analyze(df, input, files);
  } catch (error) {
    bug('the analysis', error);
    return undefined;
  }
  for (const p of facts.problems)
    pending.push({ rule: p.rule, severity: p.severity, loc: p.loc, message: p.message });
  for (const b of facts.bugs) bug(b.where, b.error);
  return facts;
}

function runRules(
  facts: Facts,
  target: LintTarget,
  files: ContextFiles,
  config: LintConfig,
  pending: Pending[],
  bug: (where: string, error: unknown) => void,
): void {
  const dockerignore = dockerignoreInput(target, facts, files);
  if (config.dockerignore) dockerignore.threshold = config.dockerignore;
  const ruleInput = { facts, gpu: !!target.gpu, dockerignore };
  for (const rule of RULE_IMPLS) {
    if (config.rules?.[rule.meta.id] === 'off') continue;
    let raw: RawFinding[];
    try {
      raw = rule.check(ruleInput);
    } catch (error) {
      // A rule's bug must not hide the other rules' findings; it goes back as a bug, with its stack.
      bug(`rule ${rule.meta.id}`, error);
      continue;
    }
    for (const f of raw) {
      const p: Pending = { rule: f.rule, loc: f.loc, message: f.message };
      if (f.fix) p.fix = f.fix;
      pending.push(p);
    }
  }
}

function dockerignoreInput(target: LintTarget, facts: Facts, files: ContextFiles): DockerignoreInput {
  const perDockerfile = target.dockerfile ? `${target.dockerfile}.dockerignore` : undefined;
  const ignoreAbs =
    perDockerfile && files.exists(perDockerfile) ? perDockerfile : path.join(target.context, '.dockerignore');
  const out: DockerignoreInput = { file: relativePath(target.root, ignoreAbs), copiedDirs: [] };
  const r = files.read(ignoreAbs);
  if (r.ok) out.text = r.text;
  const reachable = new Set(facts.reachable);
  for (const c of facts.copies) {
    if (!c.fromContext || !reachable.has(c.stage)) continue;
    for (const s of c.sources) {
      const clean = s.replace(/\/+$/, '') || '.';
      if (clean.includes('*') || clean.includes('$')) continue;
      if (clean === '.' || clean === './' || files.isDirectory(path.join(target.context, clean))) {
        out.copiedDirs.push({
          source: clean,
          loc: { file: facts.file, line: c.instr.line, anchor: c.instr.line },
        });
      }
    }
  }
  if (out.copiedDirs.length) out.listing = files.list(target.context);
  return out;
}

function customPatterns(text: string, fileRel: string, config: LintConfig, pending: Pending[]): void {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
  for (const p of config.patterns ?? []) {
    // The config schema refused a pattern that does not compile (src/config/schema.ts).
    const re = new RegExp(p.regex);
    lines.forEach((line, i) => {
      if (/^\s*#/.test(line)) return;
      const m = re.exec(line);
      if (m)
        pending.push({
          rule: p.id,
          severity: p.severity,
          loc: {
            file: fileRel,
            line: i + 1,
            column: m.index + 1,
            endColumn: m.index + 1 + m[0].length,
            anchor: i + 1,
          },
          message: p.message,
        });
    });
  }
}

const IGNORE_RE = /#\s*image-budget-ignore(-file)?\b([^\n]*)/;

interface Suppressions {
  file: Set<string>;
  lines: Map<number, Set<string>>;
}

function suppressionsOf(text: string): Suppressions {
  const s: Suppressions = { file: new Set(), lines: new Map() };
  if (!text.includes('image-budget-ignore')) return s;
  const lines = text.split(/\r?\n|\r/);
  lines.forEach((line, i) => {
    const m = IGNORE_RE.exec(line);
    if (!m) return;
    const ids = m[2]!.split(/[\s,]+/).filter((x) => /^[\w-]+$/.test(x));
    const set = ids.length ? ids : ['*'];
    if (m[1]) for (const id of set) s.file.add(id);
    else {
      // Applies to the next non-comment line.
      let j = i + 1;
      while (j < lines.length && /^\s*#/.test(lines[j]!)) j++;
      const target = j + 1;
      const cur = s.lines.get(target) ?? new Set<string>();
      for (const id of set) cur.add(id);
      s.lines.set(target, cur);
    }
  });
  return s;
}

function finish(
  pending: Pending[],
  config: LintConfig,
  files: ContextFiles,
  target: LintTarget,
  fileRel: string,
  dockerText: string | undefined,
  steps: Map<Finding, number>,
): Finding[] {
  const supCache = new Map<string, Suppressions>();
  const sup = (file: string): Suppressions => {
    let s = supCache.get(file);
    if (!s) {
      let text: string | undefined;
      if (file === fileRel) text = dockerText;
      else {
        const r = files.read(path.join(target.root, file));
        if (r.ok) text = r.text;
      }
      s = suppressionsOf(text ?? '');
      supCache.set(file, s);
    }
    return s;
  };
  const has = (set: Set<string> | undefined, rule: string): boolean =>
    !!set && (set.has(rule) || set.has('*'));
  const seen = new Set<string>();
  const out: Finding[] = [];
  // One finding per rule and line: one from a branch the build takes wins over a note from a
  // branch it does not take (`if …; then <cu121>; else <cu118>; fi` is an error, not a note).
  const ordered = [...pending].sort(
    (a, b) => Number(a.loc.branch !== undefined) - Number(b.loc.branch !== undefined),
  );
  for (const p of ordered) {
    const level = config.rules?.[p.rule];
    if (level === 'off') continue;
    const own = sup(p.loc.file);
    if (has(own.file, p.rule) || has(own.lines.get(p.loc.line), p.rule)) continue;
    if (p.loc.file === fileRel && p.loc.anchor !== undefined && has(own.lines.get(p.loc.anchor), p.rule))
      continue;
    if (p.loc.file !== fileRel) {
      // `image-budget-ignore-file` in the Dockerfile covers the files it pulls in too.
      if (has(sup(fileRel).file, p.rule)) continue;
      if (p.loc.anchor !== undefined && has(sup(fileRel).lines.get(p.loc.anchor), p.rule)) continue;
    }
    const key = `${p.rule}\0${p.loc.file}\0${p.loc.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let severity: Severity = level ?? p.severity ?? DEFAULT_SEVERITY.get(p.rule) ?? 'warning';
    let message = p.message;
    if (p.loc.branch !== undefined) {
      // A branch the build's defaults do not take: at most a note, naming what turns it on.
      severity = 'note';
      message += p.loc.branch
        ? ` (in a branch the build's defaults do not take: it runs when build arg \`${p.loc.branch}\` is set otherwise)`
        : " (in a branch the build's defaults do not take)";
    }
    const f: Finding = {
      rule: p.rule,
      severity,
      file: p.loc.file,
      line: p.loc.line,
      // Credentials in a URL (`https://user:token@host`) are never quoted back.
      message: maskUserinfo(message),
      source: 'lint',
    };
    if (p.loc.column !== undefined) f.column = p.loc.column;
    if (p.loc.endColumn !== undefined) f.endColumn = p.loc.endColumn;
    if (p.fix) f.fix = maskUserinfo(p.fix);
    if (p.loc.anchor !== undefined) steps.set(f, p.loc.anchor);
    out.push(f);
  }
  out.sort((a, b) =>
    a.file === b.file
      ? (a.line ?? 0) - (b.line ?? 0) || a.rule.localeCompare(b.rule)
      : a.file.localeCompare(b.file),
  );
  return out;
}
