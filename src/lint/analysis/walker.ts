/**
 * The stage walker: the stages that are built, in order, with the ARG/ENV values, WORKDIR, COPYs
 * and pip configuration in force, handing each RUN's commands to command collection, Python
 * installs and downloads. Nothing here throws for bad input: trouble is a problem.
 */
import path from 'node:path';
import type { ContextFiles } from '../context-files.js';
import { TORCH_PACKAGES } from '../data.js';
import {
  type Instr,
  type ParsedDockerfile,
  type VarValue,
  finalChain,
  flag,
  locate,
  mounts,
  parseAssignments,
  reachableStages,
  resolveStageRef,
  substitute,
} from '../dockerfile.js';
import { type ShellNode, parseShell, splitShell } from '../shell.js';
import { BuildArgs, argFrom } from './args.js';
import { runSteps } from './branches.js';
import { collect } from './collect.js';
import type {
  AnalyzeInput,
  Cmd,
  CopyMapEntry,
  Facts,
  Loc,
  Problem,
  RunInfo,
  Source,
  StageState,
  Walk,
} from './facts.js';
import { locOfWord } from './loc.js';
import { pythonInstall } from './python-installs.js';
import { downloadsIn } from './scripts.js';
import { PIP_RE, SHELL_RE, globMatch, isPython } from './tools.js';

export function analyze(df: ParsedDockerfile, input: AnalyzeInput, files: ContextFiles): Facts {
  const problems: Problem[] = [];
  let final = df.stages.length - 1;
  if (input.target) {
    const idx = df.stages.findIndex((s) => s.name === input.target!.toLowerCase());
    if (idx < 0) {
      problems.push({
        rule: 'invalid-dockerfile',
        severity: 'error',
        loc: { file: input.file, line: 1 },
        message: `target stage \`${input.target}\` is not defined in this Dockerfile`,
      });
    } else final = idx;
  }
  const facts: Facts = {
    df,
    file: input.file,
    final,
    reachable: final >= 0 ? reachableStages(df, final) : [],
    chain: final >= 0 ? finalChain(df, final) : [],
    runs: [],
    copies: [],
    installs: [],
    downloads: [],
    problems,
    bugs: [],
    context: input.context,
  };
  new Walker(df, input, files, facts).run();
  return facts;
}

class Walker implements Walk {
  private readonly states = new Map<number, StageState>();
  state!: StageState;
  stage = 0;
  branch: string | undefined;

  constructor(
    readonly df: ParsedDockerfile,
    readonly input: AnalyzeInput,
    readonly files: ContextFiles,
    readonly facts: Facts,
  ) {}

  run(): void {
    const buildArgs = new BuildArgs(this.df, this.input.buildArgs);
    for (const idx of this.facts.reachable) {
      const st = this.df.stages[idx]!;
      const parent = st.parent !== undefined ? this.states.get(st.parent) : undefined;
      this.stage = idx;
      this.state = parent
        ? {
            env: new Map(parent.env),
            argOf: new Map(parent.argOf),
            workdir: parent.workdir,
            copies: [...parent.copies],
            torch: parent.torch,
            confIndexes: [...parent.confIndexes],
            confNoCache: parent.confNoCache,
            gitLfs: parent.gitLfs,
          }
        : {
            env: new Map(),
            argOf: new Map(),
            workdir: '/',
            copies: [],
            torch: /^(?:[\w.-]+\/)*pytorch\/pytorch(?::|$)|nvcr\.io\/nvidia\/pytorch/.test(st.image),
            confIndexes: [],
            confNoCache: false,
            gitLfs: false,
          };
      const args = new Map<string, VarValue>();
      for (const ins of st.instrs) {
        if (ins.keyword === 'FROM') continue;
        const vars = new Map<string, VarValue>([...args, ...this.state.env]);
        try {
          this.instruction(ins, vars, args, buildArgs);
        } catch (error) {
          // A bug in one instruction's analysis must not stop the others; it is ours, not the file's.
          this.facts.bugs.push({ where: `the analysis of line ${ins.line}`, error });
        }
      }
      this.states.set(idx, this.state);
    }
  }

  /** The build arg a variable's value comes from (itself, or the ARG an ENV was set from). */
  private argBehind(name: string | undefined): string | undefined {
    return name ? (this.state.argOf.get(name) ?? name) : name;
  }

  dfLoc(ins: Instr, offset?: number): Loc {
    if (offset === undefined) return { file: this.input.file, line: ins.line, anchor: ins.line };
    const p = locate(ins.segs, offset);
    return { file: this.input.file, line: p.line, column: p.column, anchor: ins.line };
  }

  problem(rule: Problem['rule'], severity: Problem['severity'], loc: Loc, message: string): void {
    this.facts.problems.push({ rule, severity, loc, message });
  }

  private instruction(
    ins: Instr,
    vars: Map<string, VarValue>,
    args: Map<string, VarValue>,
    buildArgs: BuildArgs,
  ): void {
    switch (ins.keyword) {
      case 'ARG':
        buildArgs.declare(ins.body, args, vars, this.state.env);
        return;
      case 'ENV':
        for (const [k, v] of parseAssignments(ins.body, false)) {
          this.state.env.set(k, substitute(v ?? '', vars));
          const from = argFrom(v ?? '', args, this.state.argOf);
          if (from) this.state.argOf.set(k, from);
          else this.state.argOf.delete(k);
        }
        return;
      case 'WORKDIR':
        this.state.workdir = path.posix.resolve(this.state.workdir, substitute(ins.body.trim(), vars) || '/');
        return;
      case 'COPY':
      case 'ADD':
        this.copy(ins, vars);
        return;
      case 'RUN':
        this.runInstr(ins, vars);
        return;
      default:
    }
  }

  // ---- COPY / ADD -------------------------------------------------------------------------------

  private copy(ins: Instr, vars: Map<string, VarValue>): void {
    const fromFlag = flag(ins, 'from');
    // COPY splits its arguments as a shell splits words (quotes, escapes); heredoc openers aside.
    const words =
      ins.json ??
      splitShell(ins.body.replace(HEREDOC_OPENER, ' '))
        .commands.flat()
        .map((w) => w.value);
    const parts = words.map((w) => substitute(w, vars));
    if (ins.heredocs.length) {
      const dest = parts[parts.length - 1];
      for (const h of ins.heredocs)
        if (dest && /pip\.(?:conf|ini)$|uv\.toml$/.test(dest))
          this.pipConf(h.content, { file: this.input.file, line: h.line, anchor: ins.line });
      return;
    }
    if (parts.length < 2) return;
    const dest = parts[parts.length - 1]!;
    const sources = parts.slice(0, -1);
    const fromContext = !fromFlag && !sources.some((s) => /^(?:https?|git):\/\/|^git@/.test(s));
    this.facts.copies.push({ instr: ins, stage: this.stage, sources, dest, fromContext });
    if (fromFlag?.value) {
      const idx = resolveStageRef(this.df, substitute(fromFlag.value, vars), this.stage);
      if (
        idx !== undefined &&
        this.states.get(idx)?.torch &&
        sources.some((s) => /site-packages|dist-packages|venv|\/opt\/|\.local|\/usr\/local|wheels?/.test(s))
      )
        this.state.torch = true;
      return;
    }
    if (!fromContext) return;
    const absDest = path.posix.resolve(this.state.workdir, dest);
    const destIsDir = dest.endsWith('/') || dest === '.' || sources.length > 1;
    const entry: CopyMapEntry = {
      dest: absDest,
      sources: sources.map((s) => path.posix.normalize(s.replace(/^\/+/, ''))),
      destIsDir,
    };
    this.state.copies.push(entry);
    for (const s of entry.sources) {
      if (/(?:^|\/)(?:pip\.conf|pip\.ini|uv\.toml)$/.test(s)) {
        const r = this.readIfThere(s, this.dfLoc(ins), 'pip configuration');
        if (r) this.pipConf(r.text, { file: r.file, line: 1, anchor: ins.line });
      }
    }
  }

  private pipConf(text: string, loc: Loc): void {
    const lines = text.split(/\r?\n/);
    lines.forEach((l, i) => {
      const m = /^\s*(?:index-url|extra-index-url|find-links|index|url)\s*=\s*(\S+)/i.exec(l);
      if (m)
        this.state.confIndexes.push({
          url: m[1]!.replace(/^["']|["']$/g, ''),
          loc: { ...loc, line: loc.line + i },
        });
      if (/^\s*no-cache-dir\s*=\s*(?:1|true|yes|on|false|0)/i.test(l)) this.state.confNoCache = true;
    });
  }

  /** The context path (relative, POSIX) a container path came from, via the COPYs so far. */
  toContext(containerPath: string, extra: CopyMapEntry[] = []): string | undefined {
    const p = path.posix.resolve(this.state.workdir, containerPath);
    const entries = [...this.state.copies, ...extra];
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i]!;
      for (const src of e.sources) {
        const base = path.posix.basename(src);
        if (!e.destIsDir && p === e.dest) return src;
        if (p === path.posix.join(e.dest, base) && !src.includes('*')) return src;
        if (
          src.includes('*') &&
          path.posix.dirname(p) === e.dest &&
          globMatch(base, path.posix.basename(p))
        ) {
          return path.posix.join(path.posix.dirname(src), path.posix.basename(p));
        }
        if (
          p.startsWith(e.dest === '/' ? '/' : `${e.dest}/`) &&
          (src === '.' || this.files.isDirectory(path.join(this.input.context, src)))
        ) {
          const rel = path.posix.join(src, p.slice(e.dest.length).replace(/^\/+/, ''));
          if (this.files.exists(path.join(this.input.context, rel))) return rel;
        }
      }
    }
    return undefined;
  }

  rel(abs: string): string {
    return path.relative(this.input.root, abs).split(path.sep).join('/');
  }

  // ---- RUN --------------------------------------------------------------------------------------

  private runInstr(ins: Instr, vars: Map<string, VarValue>): void {
    const ms = mounts(ins);
    const info: RunInfo = {
      instr: ins,
      stage: this.stage,
      vars,
      cmds: [],
      cacheMounts: ms
        .filter((m) => m.type === 'cache' || m.type === 'tmpfs')
        .map((m) => substitute(m.target ?? '', vars)),
      pipConfNoCache: this.state.confNoCache,
    };
    const binds: CopyMapEntry[] = ms
      .filter((m) => (m.type === 'bind' || !m.type) && !m.from && m.target)
      .map((m) => {
        // BuildKit expands build args in mount options: `source=${REQS}`.
        const source = m.source !== undefined ? substitute(m.source, vars) : undefined;
        return {
          dest: path.posix.resolve(this.state.workdir, substitute(m.target!, vars)),
          sources: [path.posix.normalize(source ?? '.')],
          destIsDir: !source || this.files.isDirectory(path.join(this.input.context, source)),
        };
      });
    const src: Source = { file: this.input.file, segs: ins.segs, shift: 0, anchor: ins.line };
    if (ins.json) {
      const words = ins.json.map((value) => ({
        value,
        start: ins.bodyOffset,
        end: ins.bodyOffset + ins.body.length,
      }));
      collect(this, words, info, src, 0);
    } else this.shellRun(ins, info, src, vars);
    this.facts.runs.push(info);
    for (const cmd of info.cmds) this.command(cmd, binds);
  }

  /** A shell-form RUN: its line and heredocs parsed as one script, then run under the defaults. */
  private shellRun(ins: Instr, info: RunInfo, src: Source, vars: Map<string, VarValue>): void {
    const hsrc = (k: number): Source => ({
      file: this.input.file,
      segs: ins.heredocs[k]?.segs ?? [],
      shift: 0,
      anchor: ins.line,
    });
    const rest = ins.body.replace(HEREDOC_OPENER, ' ').trim();
    if (ins.heredocs.length && (rest === '' || SHELL_RE.test(path.posix.basename(rest)))) {
      // `RUN <<EOF` (or `RUN <<EOF bash`) runs the heredoc as the script.
      ins.heredocs.forEach((h, k) => this.script(parseShell(h.content).items, info, hsrc(k), vars));
      return;
    }
    const text = ins.body + ins.heredocs.map((h) => `\n${h.content}${h.name}`).join('') + '\n';
    const parsed = parseShell(text);
    if (parsed.unterminated && !ins.heredocs.length) {
      this.problem(
        'invalid-dockerfile',
        'error',
        this.dfLoc(ins, ins.bodyOffset + parsed.unterminated.offset),
        `unterminated ${parsed.unterminated.quote === '"' ? 'double' : 'single'} quote: the shell will fail on this RUN`,
      );
    }
    const shifted: Source = { ...src, shift: ins.bodyOffset };
    let next = 0;
    for (const step of runSteps(parsed.items, vars)) {
      this.branch = this.argBehind(step.branch);
      const n = info.cmds.length;
      const words = [...step.cmd.assigns, ...step.cmd.words];
      if (step.cmd.heredocs.length && next < ins.heredocs.length) {
        const k = next;
        next += step.cmd.heredocs.length;
        const h = ins.heredocs[k]!;
        collect(this, words, info, shifted, 0, { content: h.content, source: hsrc(k) });
      } else collect(this, words, info, shifted, 0);
      withShellVars(info.cmds.slice(n), step.shellVars);
    }
    this.branch = undefined;
  }

  /** Shell commands run as one script (a RUN heredoc): branches and shell variables as in a RUN. */
  private script(items: ShellNode[], info: RunInfo, source: Source, vars: Map<string, VarValue>): void {
    for (const step of runSteps(items, vars)) {
      this.branch = this.argBehind(step.branch);
      const n = info.cmds.length;
      collect(this, [...step.cmd.assigns, ...step.cmd.words], info, source, 0);
      withShellVars(info.cmds.slice(n), step.shellVars);
    }
    this.branch = undefined;
  }

  private command(cmd: Cmd, binds: CopyMapEntry[]): void {
    const scope = cmd.shellVars ? new Map([...cmd.run.vars, ...cmd.shellVars]) : cmd.run.vars;
    const argv = cmd.argv.map((a) => substitute(a, scope));
    const base = path.posix.basename(argv[0]!);
    // pip config set global.index-url URL
    if (
      (PIP_RE.test(base) || (isPython(base) && argv.includes('pip'))) &&
      argv.includes('config') &&
      argv.includes('set')
    ) {
      const k = argv.indexOf('set');
      if (/index-url|find-links/.test(argv[k + 1] ?? '') && argv[k + 2])
        this.state.confIndexes.push({ url: argv[k + 2]!, loc: locOfWord(cmd) });
      if (/no-cache-dir/.test(argv[k + 1] ?? '')) this.state.confNoCache = true;
      return;
    }
    // A heredoc or echo written to a pip.conf.
    if (cmd.stdin && (base === 'cat' || base === 'tee') && argv.some((a) => /pip\.(?:conf|ini)$/.test(a))) {
      this.pipConf(cmd.stdin.content, {
        file: cmd.stdin.source.file,
        line: cmd.stdin.source.segs[0]?.line ?? 1,
        anchor: cmd.source.anchor,
      });
    }
    const install = pythonInstall(this, cmd, argv, binds);
    if (install) {
      this.facts.installs.push(install);
      if (!install.noDeps || install.items.some((it) => TORCH_PACKAGES.has(it.name))) {
        if (install.items.some((it) => TORCH_PACKAGES.has(it.name) && !it.constraint))
          this.state.torch = true;
      }
      return;
    }
    downloadsIn(this, cmd, argv, binds, 0);
  }

  // ---- Python installs --------------------------------------------------------------------------

  /** Read a context file named by a container path; a problem (not an exception) when it cannot be read. */
  readFollowed(contextRel: string, refLoc: Loc, what: string): { text: string; file: string } | undefined {
    const abs = path.join(this.input.context, contextRel);
    const r = this.files.read(abs);
    const file = this.rel(abs);
    if (r.ok) return { text: r.text, file };
    const reason =
      r.reason === 'missing'
        ? 'does not exist in the build context'
        : r.reason === 'not-utf8'
          ? `is not valid UTF-8 (line ${r.line ?? 1})`
          : r.reason === 'binary'
            ? `is binary, not text (line ${r.line ?? 1})`
            : r.reason === 'too-large'
              ? `is too large to be a ${what} (${r.detail})`
              : r.reason === 'directory'
                ? 'is a directory'
                : r.reason === 'outside'
                  ? 'points outside the repository'
                  : r.reason === 'not-regular'
                    ? 'is not a regular file (a device, FIFO or socket)'
                    : `cannot be read (${r.detail ?? 'error'})`;
    const loc = r.reason === 'not-utf8' || r.reason === 'binary' ? { file, line: r.line ?? 1 } : refLoc;
    this.problem('unreadable-file', 'warning', loc, `${what} \`${file}\` ${reason}; it was not checked`);
    return undefined;
  }

  /** A context file that may be absent (then nothing is said); one that cannot be read safely is reported. */
  readIfThere(contextRel: string, refLoc: Loc, what: string): { text: string; file: string } | undefined {
    const r = this.files.read(path.join(this.input.context, contextRel));
    if (r.ok) return { text: r.text, file: this.rel(path.join(this.input.context, contextRel)) };
    if (r.reason === 'missing' || r.reason === 'directory') return undefined;
    return this.readFollowed(contextRel, refLoc, what);
  }

  download(loc: Loc, what: string): void {
    this.facts.downloads.push({ loc, what, stage: this.stage });
  }
}

/** `<<EOF`, `<<-'EOF'`, `<<"EOF"`: a heredoc opener on a RUN or COPY line. */
const HEREDOC_OPENER = /<<-?\s*(["']?)[\w.-]+\1/g;

function withShellVars(cmds: Cmd[], shellVars: Map<string, VarValue>): void {
  if (shellVars.size) for (const c of cmds) c.shellVars = new Map(shellVars);
}
