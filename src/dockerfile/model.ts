/**
 * The one Dockerfile model of a run: a Dockerfile parsed once (`parse.ts`) into stages and
 * instructions that the lint, the build's step lines, the image's layer lines and the deploy
 * healthcheck all read. Pure data and pure queries on it; nothing here reads a file.
 */

/** A piece of logical text that starts at `offset` and sits at physical `line`/`column` (1-based). */
export interface Segment {
  offset: number;
  line: number;
  column: number;
}

export interface Located {
  line: number;
  column: number;
}

/** A leading `--name=value` (or `--name`) of an instruction; the name lowercased. */
export interface Flag {
  name: string;
  value: string | null;
}

export interface Heredoc {
  name: string;
  content: string;
  segs: Segment[];
  terminated: boolean;
  /** Physical line of the `<<NAME` opener. */
  line: number;
}

export interface Instr {
  /** Upper case: `RUN`, `COPY`, `FROM`. */
  keyword: string;
  /** 1-based first and last physical line. */
  line: number;
  endLine: number;
  /** Index of the stage it belongs to. */
  stage: number;
  /** Arguments after the keyword: continuations joined, comment lines inside dropped, heredoc bodies excluded. */
  text: string;
  /** Where each piece of `text` sits in the file (see `locate`). */
  segs: Segment[];
  flags: Flag[];
  /** `text` without the leading flags, and where it starts in `text`. */
  body: string;
  bodyOffset: number;
  /** Exec form, when the body is a JSON array of strings. */
  json: string[] | null;
  heredocs: Heredoc[];
}

export interface Stage {
  index: number;
  /** The `AS` name, lowercased (stage names are case-insensitive). */
  name?: string;
  /** The stage's FROM, also `instrs[0]`. */
  from: Instr;
  /** The base image after ARG substitution, as written otherwise. */
  image: string;
  /** Index of the stage this one is built FROM, if it is a stage. */
  parent?: number;
  /** Every instruction of the stage in file order, FROM first. */
  instrs: Instr[];
}

/** What makes the file not a Dockerfile BuildKit would read: the user's to fix, one line each. */
export interface Problem {
  line: number;
  message: string;
}

/**
 * A variable's value as a Dockerfile expands it: a string is set (maybe empty); `null` is declared
 * but not set (an `ARG` without a default and no build arg: `$X` expands to nothing, `${X-w}` to
 * `w`); `undefined` (or absent) is not known here (the base image's environment): kept as written.
 */
export type VarValue = string | null | undefined;

export interface ParsedDockerfile {
  stages: Stage[];
  /** ARGs declared before the first FROM, with their defaults. */
  globalArgs: Map<string, string | undefined>;
  escape: string;
  problems: Problem[];
  /** The physical lines of the text (BOM removed). */
  lines: string[];
}

/** The physical line and column of `offset` in a logical text made of `segs`. */
export function locate(segs: readonly Segment[], offset: number): Located {
  let lo = 0;
  let hi = segs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segs[mid]!.offset <= offset) lo = mid;
    else hi = mid - 1;
  }
  const s = segs[lo] ?? { offset: 0, line: 1, column: 1 };
  return { line: s.line, column: s.column + Math.max(0, offset - s.offset) };
}

export function flag(instr: Instr, name: string): Flag | undefined {
  return instr.flags.find((f) => f.name === name);
}

/** `--mount=type=cache,target=/root/.cache/pip` → `{type: 'cache', target: '/root/.cache/pip'}`. */
export function mounts(instr: Instr): Record<string, string>[] {
  return instr.flags
    .filter((f) => f.name === 'mount' && f.value)
    .map((f) => {
      const o: Record<string, string> = {};
      for (const part of f.value!.split(',')) {
        const eq = part.indexOf('=');
        const k = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
        // BuildKit reads the mount options as CSV: a value may be quoted.
        const raw = eq < 0 ? 'true' : part.slice(eq + 1).trim();
        o[k === 'dst' || k === 'destination' ? 'target' : k] = raw.replace(/^"(.*)"$|^'(.*)'$/s, '$1$2');
      }
      return o;
    });
}

/**
 * The stage a build of `target` produces: the stage of that name (case-insensitive), else (no
 * target, or one the file does not define: the lint says so) the last one; none in a file without
 * stages.
 */
export function targetStage(df: ParsedDockerfile, target?: string): Stage | undefined {
  const named = target ? df.stages.find((s) => s.name === target.toLowerCase()) : undefined;
  return named ?? df.stages[df.stages.length - 1];
}

/** The names BuildKit gives a stage in its step names: `stage-<index>`, and its `AS` name. */
export function stageNames(stage: Stage): string[] {
  return stage.name ? [`stage-${stage.index}`, stage.name] : [`stage-${stage.index}`];
}

/** Resolve a `--from` value (stage name or index) to a stage index. */
export function resolveStageRef(df: ParsedDockerfile, ref: string, before: number): number | undefined {
  const lower = ref.toLowerCase();
  if (/^\d+$/.test(lower)) {
    const n = Number(lower);
    return n < before ? n : undefined;
  }
  for (let i = before - 1; i >= 0; i--) if (df.stages[i]!.name === lower) return i;
  return undefined;
}

/** Stages that `from` depends on, directly or not, in index order, `from` included. */
export function reachableStages(df: ParsedDockerfile, from: number): number[] {
  const seen = new Set<number>();
  const visit = (i: number): void => {
    if (seen.has(i)) return;
    seen.add(i);
    const st = df.stages[i]!;
    if (st.parent !== undefined) visit(st.parent);
    for (const ins of st.instrs) {
      const refs: string[] = [];
      const f = flag(ins, 'from');
      if (f?.value && (ins.keyword === 'COPY' || ins.keyword === 'ADD')) refs.push(f.value);
      if (ins.keyword === 'RUN') for (const m of mounts(ins)) if (m.from) refs.push(m.from);
      for (const r of refs) {
        const idx = resolveStageRef(df, r, i);
        if (idx !== undefined) visit(idx);
      }
    }
  };
  visit(from);
  return [...seen].sort((a, b) => a - b);
}

/** The final stage and the stages it is built FROM (its image's layers), in order. */
export function finalChain(df: ParsedDockerfile, final: number): number[] {
  const chain: number[] = [];
  let cur: number | undefined = final;
  while (cur !== undefined && !chain.includes(cur)) {
    chain.unshift(cur);
    cur = df.stages[cur]!.parent;
  }
  return chain;
}
