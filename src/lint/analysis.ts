/**
 * From a parsed Dockerfile to the facts the rules judge: every command of every RUN in the stages
 * that are built (with the variables in force and where each word sits), the Python installs with
 * the requirement files, pyproject and environment files they pull in (followed from the build
 * context through the COPY that brought them), the index in force for each install, whether torch
 * is already in the image, and the model downloads found in RUN commands and the scripts they run.
 * File access goes through ContextFiles; nothing here throws for bad input: trouble is a problem.
 */
import path from 'node:path';
import type { ContextFiles } from './context-files.js';
import { locOfWord } from './rules/loc.js';
import {
  type Instr,
  type ParsedDockerfile,
  type Segment,
  finalChain,
  flag,
  locate,
  mounts,
  parseAssignments,
  reachableStages,
  resolveStageRef,
  substitute,
} from './dockerfile.js';
import { type Word, splitShell } from './shell.js';
import {
  type IndexKind,
  type Req,
  classifyIndex,
  normalizeName,
  parseCondaEnv,
  parseRequirement,
  parseRequirements,
  parseSetupPy,
} from './python-files.js';
import { TORCH_PACKAGES } from './data.js';
import { argvDownload, moduleDownload, scanPython } from './analysis/downloads.js';
import { untakenBranches } from './analysis/branches.js';
import { inForce, parseLock, parsePyproject, selection } from './python/pyproject.js';

export interface Loc {
  file: string;
  line: number;
  column?: number;
  endColumn?: number;
  /** First line of the Dockerfile instruction this came from (for suppression comments). */
  anchor?: number;
  /** Set when this sits in a shell branch the build's defaults do not take: the variable that turns it on. */
  branch?: string;
}

export interface Problem {
  rule: 'invalid-dockerfile' | 'unreadable-file';
  severity: 'error' | 'warning';
  loc: Loc;
  message: string;
}

/** Where a piece of text came from: a Dockerfile instruction or heredoc, or a script file. */
interface Source {
  file: string;
  segs: Segment[];
  /** Offset of this text within the segments' text (for `sh -c` strings). */
  shift: number;
  anchor: number;
}

export interface Cmd {
  argv: string[];
  words: Word[];
  /** `NAME=value` assignments before the command. */
  env: Map<string, string>;
  run: RunInfo;
  source: Source;
  /** The heredoc fed to this command's stdin, if any. */
  stdin?: { content: string; source: Source };
  /** In a branch the defaults do not take: the variable that turns it on. */
  branch?: string;
}

export interface RunInfo {
  instr: Instr;
  stage: number;
  /** ARG and ENV values in force. */
  vars: Map<string, string | undefined>;
  cmds: Cmd[];
  cacheMounts: string[];
  /** A pip.conf in the image sets `no-cache-dir`. */
  pipConfNoCache: boolean;
}

export interface PyItem {
  name: string;
  extras: string[];
  spec: string;
  url?: string;
  loc: Loc;
  constraint?: boolean;
  conda?: boolean;
}

export interface PyInstall {
  tool: 'pip' | 'uv' | 'poetry' | 'conda';
  cmd: Cmd;
  loc: Loc;
  stage: number;
  items: PyItem[];
  /** CUDA or ROCm indexes in force, with where they were set. */
  gpuIndexes: { url: string; kind: IndexKind; loc: Loc }[];
  cpuIndex: boolean;
  torchBefore: boolean;
  noDeps: boolean;
  noIndex: boolean;
  condaCpuOnly: boolean;
  /** conda's `pytorch` channel (its default torch build is CUDA) or `nvidia` channel in use. */
  condaGpuChannel: boolean;
}

export interface Download {
  loc: Loc;
  what: string;
  stage: number;
}

export interface CopyInfo {
  instr: Instr;
  stage: number;
  sources: string[];
  dest: string;
  fromContext: boolean;
}

export interface Facts {
  df: ParsedDockerfile;
  file: string;
  final: number;
  reachable: number[];
  chain: number[];
  runs: RunInfo[];
  copies: CopyInfo[];
  installs: PyInstall[];
  downloads: Download[];
  problems: Problem[];
  /** Absolute build context. */
  context: string;
}

export interface AnalyzeInput {
  /** Finding path of the Dockerfile, relative to the root. */
  file: string;
  root: string;
  context: string;
  target?: string;
}

interface CopyMapEntry {
  dest: string;
  sources: string[];
  destIsDir: boolean;
}

interface StageState {
  env: Map<string, string | undefined>;
  workdir: string;
  copies: CopyMapEntry[];
  torch: boolean;
  /** Index URLs set by a pip.conf or `pip config set`. */
  confIndexes: { url: string; loc: Loc }[];
  confNoCache: boolean;
}

const PY_RE = /^python(?:\d+(?:\.\d+)?)?$/;
/** `python3`, or a variable that names the interpreter (`${PYTHON}`, `$DL_PYTHON_EXECUTABLE`). */
export function isPython(base: string): boolean {
  return PY_RE.test(base) || /^\$\{?\w*PYTHON\w*\}?$/i.test(base);
}
const PIP_RE = /^pip(?:\d+(?:\.\d+)?)?$/;
const CONDA_RE = /^(?:conda|mamba|micromamba)$/;
const SHELL_RE = /^(?:sh|bash|dash|zsh|ash)$/;
const INDEX_ENV = [
  'PIP_INDEX_URL',
  'PIP_EXTRA_INDEX_URL',
  'PIP_FIND_LINKS',
  'UV_INDEX_URL',
  'UV_EXTRA_INDEX_URL',
  'UV_INDEX',
  'UV_DEFAULT_INDEX',
  'UV_FIND_LINKS',
];
const MAX_DEPTH = 4;
/** pip/uv/poetry/conda options that take a value. */
const WITH_VALUE: ReadonlySet<string> = new Set([
  '-r',
  '--requirement',
  '-c',
  '--constraint',
  '--constraints',
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '-e',
  '--editable',
  '-t',
  '--target',
  '--prefix',
  '--root',
  '--src',
  '--upgrade-strategy',
  '--platform',
  '--python-version',
  '--implementation',
  '--abi',
  '--only-binary',
  '--no-binary',
  '--progress-bar',
  '-C',
  '--config-settings',
  '--global-option',
  '--trusted-host',
  '--cache-dir',
  '--log',
  '--timeout',
  '--retries',
  '--proxy',
  '--cert',
  '--client-cert',
  '--exists-action',
  '--report',
  '--root-user-action',
  '--python',
  '-p',
  '--index',
  '--default-index',
  '--torch-backend',
  '--extra',
  '--group',
  '--only-group',
  '--without',
  '--with',
  '--source',
  '-n',
  '--name',
  '--prefix',
  '-c',
  '--channel',
  '-f',
  '--file',
  '--override',
  '--index-strategy',
  '--keyring-provider',
  '--resolution',
  '--prerelease',
  '--link-mode',
  '--compile-bytecode',
  '-P',
  '--upgrade-package',
  '--extra-index',
  '--only',
  '-E',
  '--extras',
  '--directory',
  '--project',
  '--python-platform',
  '--requirements',
]);

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
    context: input.context,
  };
  new Analyzer(df, input, files, facts).run();
  return facts;
}

class Analyzer {
  private readonly states = new Map<number, StageState>();
  private state!: StageState;
  private stage = 0;
  /** The untaken branch the commands being collected sit in. */
  private branch: string | undefined;

  constructor(
    private readonly df: ParsedDockerfile,
    private readonly input: AnalyzeInput,
    private readonly files: ContextFiles,
    private readonly facts: Facts,
  ) {}

  run(): void {
    for (const idx of this.facts.reachable) {
      const st = this.df.stages[idx]!;
      const parent = st.parent !== undefined ? this.states.get(st.parent) : undefined;
      this.stage = idx;
      this.state = parent
        ? {
            env: new Map(parent.env),
            workdir: parent.workdir,
            copies: [...parent.copies],
            torch: parent.torch,
            confIndexes: [...parent.confIndexes],
            confNoCache: parent.confNoCache,
          }
        : {
            env: new Map(),
            workdir: '/',
            copies: [],
            torch: /^(?:[\w.-]+\/)*pytorch\/pytorch(?::|$)|nvcr\.io\/nvidia\/pytorch/.test(st.image),
            confIndexes: [],
            confNoCache: false,
          };
      const args = new Map<string, string | undefined>();
      for (const ins of st.instrs) {
        if (ins.keyword === 'FROM') continue;
        const vars = new Map<string, string | undefined>([...args, ...this.state.env]);
        try {
          this.instruction(ins, vars, args);
        } catch (error) {
          // A bug in one instruction's analysis must not stop the others; surface it as a finding.
          this.problem(
            'invalid-dockerfile',
            'warning',
            this.dfLoc(ins),
            `could not analyse this instruction: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
      this.states.set(idx, this.state);
    }
  }

  private dfLoc(ins: Instr, offset?: number): Loc {
    if (offset === undefined) return { file: this.input.file, line: ins.line, anchor: ins.line };
    const p = locate(ins.segs, offset);
    return { file: this.input.file, line: p.line, column: p.column, anchor: ins.line };
  }

  private problem(rule: Problem['rule'], severity: Problem['severity'], loc: Loc, message: string): void {
    this.facts.problems.push({ rule, severity, loc, message });
  }

  private instruction(
    ins: Instr,
    vars: Map<string, string | undefined>,
    args: Map<string, string | undefined>,
  ): void {
    switch (ins.keyword) {
      case 'ARG':
        for (const [k, v] of parseAssignments(ins.body, true))
          args.set(k, v ?? this.df.globalArgs.get(k) ?? args.get(k));
        return;
      case 'ENV':
        for (const [k, v] of parseAssignments(ins.body, false))
          this.state.env.set(k, substitute(v ?? '', vars));
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

  private copy(ins: Instr, vars: Map<string, string | undefined>): void {
    const fromFlag = flag(ins, 'from');
    const words =
      ins.json ??
      splitShell(ins.body)
        .commands.flat()
        .map((w) => w.value);
    const parts = words.filter((w) => !w.startsWith('<<')).map((w) => substitute(w, vars));
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
  private toContext(containerPath: string, extra: CopyMapEntry[] = []): string | undefined {
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

  private rel(abs: string): string {
    return path.relative(this.input.root, abs).split(path.sep).join('/');
  }

  // ---- RUN --------------------------------------------------------------------------------------

  private runInstr(ins: Instr, vars: Map<string, string | undefined>): void {
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
      .map((m) => ({
        dest: path.posix.resolve(this.state.workdir, m.target!),
        sources: [path.posix.normalize(m.source ?? '.')],
        destIsDir: !m.source || this.files.isDirectory(path.join(this.input.context, m.source)),
      }));
    const src: Source = { file: this.input.file, segs: ins.segs, shift: 0, anchor: ins.line };
    if (ins.json) {
      const words = ins.json.map((value) => ({
        value,
        start: ins.bodyOffset,
        end: ins.bodyOffset + ins.body.length,
      }));
      this.collect(words, info, src, 0);
    } else {
      const parsed = splitShell(ins.body);
      if (parsed.unterminated && !ins.heredocs.length) {
        this.problem(
          'invalid-dockerfile',
          'error',
          this.dfLoc(ins, ins.bodyOffset + parsed.unterminated.offset),
          `unterminated ${parsed.unterminated.quote === '"' ? 'double' : 'single'} quote: the shell will fail on this RUN`,
        );
      }
      const shifted: Source = { ...src, shift: ins.bodyOffset };
      const heredocs = [...ins.heredocs];
      const branches = untakenBranches(
        parsed.commands.map((c) => c.map((w) => w.value)),
        vars,
      );
      for (const [k, words] of parsed.commands.entries()) {
        this.branch = branches[k];
        const opener = words.find((w) => w.value.startsWith('<<'));
        if (opener) {
          const h = heredocs.shift();
          if (!h) continue;
          const hsrc: Source = { file: this.input.file, segs: h.segs, shift: 0, anchor: ins.line };
          const cmdWords = words.filter(
            (w) => !w.value.startsWith('<<') && !(w.start > opener.start && w.value === h.name),
          );
          if (
            cmdWords.length === 0 ||
            (cmdWords.length === 1 && SHELL_RE.test(path.posix.basename(cmdWords[0]!.value)))
          ) {
            // `RUN <<EOF` runs the heredoc as the script.
            const inner = splitShell(h.content).commands;
            const br = untakenBranches(
              inner.map((c) => c.map((w) => w.value)),
              vars,
            );
            inner.forEach((c, k) => {
              this.branch = br[k];
              this.collect(c, info, hsrc, 0);
            });
            this.branch = undefined;
          } else {
            this.collect(cmdWords, info, shifted, 0, { content: h.content, source: hsrc });
          }
          continue;
        }
        this.collect(words, info, shifted, 0);
      }
      this.branch = undefined;
    }
    this.facts.runs.push(info);
    for (const cmd of info.cmds) this.command(cmd, binds);
  }

  /** Normalise one simple command (assignments, wrappers, `sh -c`) and record it. */
  private collect(words: Word[], info: RunInfo, source: Source, depth: number, stdin?: Cmd['stdin']): void {
    const env = new Map<string, string>();
    let i = 0;
    const skipRedirect = (): void => {
      while (i < words.length && /^\d*[<>]/.test(words[i]!.value) && !words[i]!.value.startsWith('<<'))
        i += /^\d*[<>]+&?-?$/.test(words[i]!.value) ? 2 : 1;
    };
    for (;;) {
      skipRedirect();
      const w = words[i]?.value;
      if (w === undefined) return;
      const assign = /^([A-Za-z_]\w*)=(.*)$/s.exec(w);
      if (assign) {
        env.set(assign[1]!, assign[2]!);
        i++;
      } else if (
        [
          'then',
          'do',
          'else',
          'elif',
          'if',
          'while',
          'until',
          '!',
          '{',
          '}',
          'time',
          'exec',
          'nohup',
          'command',
        ].includes(w)
      )
        i++;
      else if (w === 'sudo' || w === 'env') {
        i++;
        while (words[i]?.value.startsWith('-')) i++;
      } else break;
    }
    const argvWords = words
      .slice(i)
      .filter(
        (w, k, all) => !/^\d*[<>]/.test(w.value) && !(k > 0 && /^\d*[<>]+&?-?$/.test(all[k - 1]!.value)),
      );
    if (!argvWords.length) return;
    const base = path.posix.basename(argvWords[0]!.value);
    const args = argvWords.map((w) => w.value);
    // `sh -c "script"`
    if (SHELL_RE.test(base) && depth < MAX_DEPTH) {
      const c = args.findIndex((a, k) => k > 0 && /^-[a-z]*c[a-z]*$/.test(a));
      if (c > 0 && args[c + 1] !== undefined) {
        const w = argvWords[c + 1]!;
        const inner: Source = { ...source, shift: source.shift + w.start + 1 };
        for (const cmd of splitShell(w.value).commands) this.collect(cmd, info, inner, depth + 1);
        return;
      }
    }
    // Runners that run another command: `uv run`, `poetry run`, `conda run -n env`.
    const runner =
      (base === 'uv' ||
        base === 'poetry' ||
        base === 'pipenv' ||
        base === 'pdm' ||
        base === 'hatch' ||
        CONDA_RE.test(base)) &&
      args[1] === 'run';
    if (runner && depth < MAX_DEPTH) {
      let k = 2;
      while (k < args.length && args[k]!.startsWith('-'))
        k += /^-(?:n|p)$|^--(?:name|prefix|with|python|directory|project|env-file|group|extra)$/.test(
          args[k]!,
        )
          ? 2
          : 1;
      const rest = argvWords.slice(k);
      if (rest.length) this.collect(rest, info, source, depth + 1, stdin);
      return;
    }
    const cmd: Cmd = { argv: args, words: argvWords, env, run: info, source };
    if (stdin) cmd.stdin = stdin;
    if (this.branch !== undefined) cmd.branch = this.branch;
    info.cmds.push(cmd);
  }

  locOf(cmd: Cmd, wordIndex = 0): Loc {
    return locOfWord(cmd, wordIndex);
  }

  private command(cmd: Cmd, binds: CopyMapEntry[]): void {
    const argv = cmd.argv.map((a) => substitute(a, cmd.run.vars));
    const base = path.posix.basename(argv[0]!);
    // pip config set global.index-url URL
    if (
      (PIP_RE.test(base) || (isPython(base) && argv.includes('pip'))) &&
      argv.includes('config') &&
      argv.includes('set')
    ) {
      const k = argv.indexOf('set');
      if (/index-url|find-links/.test(argv[k + 1] ?? '') && argv[k + 2])
        this.state.confIndexes.push({ url: argv[k + 2]!, loc: this.locOf(cmd) });
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
    const install = this.pythonInstall(cmd, argv, binds);
    if (install) {
      this.facts.installs.push(install);
      if (!install.noDeps || install.items.some((it) => TORCH_PACKAGES.has(it.name))) {
        if (install.items.some((it) => TORCH_PACKAGES.has(it.name) && !it.constraint))
          this.state.torch = true;
      }
      return;
    }
    this.downloadsIn(cmd, argv, binds, 0);
  }

  // ---- Python installs --------------------------------------------------------------------------

  private pythonInstall(cmd: Cmd, argv: string[], binds: CopyMapEntry[]): PyInstall | undefined {
    const base = path.posix.basename(argv[0]!);
    let tool: PyInstall['tool'] | undefined;
    let rest: number = -1;
    let sub = '';
    if (PIP_RE.test(base) && argv[1] === 'install') [tool, rest] = ['pip', 2];
    else if (isPython(base)) {
      const m = argv.indexOf('-m');
      if (m > 0 && PIP_RE.test(argv[m + 1] ?? '') && argv[m + 2] === 'install') [tool, rest] = ['pip', m + 3];
    } else if (base === 'uv') {
      if (argv[1] === 'pip' && (argv[2] === 'install' || argv[2] === 'sync'))
        [tool, rest, sub] = ['uv', 3, argv[2]!];
      else if (argv[1] === 'add' || argv[1] === 'sync') [tool, rest, sub] = ['uv', 2, argv[1]!];
    } else if (base === 'poetry' && (argv[1] === 'add' || argv[1] === 'install'))
      [tool, rest, sub] = ['poetry', 2, argv[1]!];
    // pdm installs the locked project as poetry does (its lock is pdm.lock).
    else if (base === 'pdm' && (argv[1] === 'install' || argv[1] === 'sync'))
      [tool, rest, sub] = ['poetry', 2, 'install'];
    else if (CONDA_RE.test(base)) {
      if (argv[1] === 'install' || argv[1] === 'create' || argv[1] === 'update')
        [tool, rest, sub] = ['conda', 2, argv[1]!];
      else if (argv[1] === 'env' && (argv[2] === 'create' || argv[2] === 'update'))
        [tool, rest, sub] = ['conda', 3, 'env'];
    }
    if (!tool) return undefined;

    const loc = this.locOf(cmd);
    const inst: PyInstall = {
      tool,
      cmd,
      loc,
      stage: this.stage,
      items: [],
      gpuIndexes: [],
      cpuIndex: false,
      torchBefore: this.state.torch,
      noDeps: false,
      noIndex: false,
      condaCpuOnly: false,
      condaGpuChannel: false,
    };
    const indexes: { url: string; loc: Loc }[] = [];
    const vars = new Map<string, string | undefined>([...cmd.run.vars, ...cmd.env]);
    for (const name of INDEX_ENV) {
      const v = vars.get(name);
      if (v) for (const url of v.split(/\s+/)) indexes.push({ url, loc: loc });
    }
    indexes.push(...this.state.confIndexes);
    const torchBackend =
      argv.find((a) => a.startsWith('--torch-backend'))?.split('=')[1] ??
      (argv.includes('--torch-backend') ? argv[argv.indexOf('--torch-backend') + 1] : undefined) ??
      vars.get('UV_TORCH_BACKEND');
    if (torchBackend && tool === 'uv') {
      if (/^cpu$/i.test(torchBackend)) inst.cpuIndex = true;
      else if (/^(?:cu|rocm)/i.test(torchBackend))
        inst.gpuIndexes.push({ url: `--torch-backend=${torchBackend}`, kind: 'cuda', loc });
    }

    const reqFiles: { p: string; constraint: boolean; loc: Loc }[] = [];
    const positional: { value: string; loc: Loc }[] = [];
    for (let k = rest; k < argv.length; k++) {
      const a = argv[k]!;
      const wi = k;
      let opt = a;
      let val: string | undefined;
      const eq = a.indexOf('=');
      if (a.startsWith('--') && eq > 0) [opt, val] = [a.slice(0, eq), a.slice(eq + 1)];
      else if (/^-[a-zA-Z]./.test(a) && !a.startsWith('--') && WITH_VALUE.has(a.slice(0, 2)))
        [opt, val] = [a.slice(0, 2), a.slice(2)];
      else if (a.startsWith('-') && WITH_VALUE.has(a)) val = argv[++k];
      const wloc = this.locOf(cmd, wi);
      if (!a.startsWith('-')) {
        positional.push({ value: a, loc: wloc });
        continue;
      }
      if (tool === 'conda') {
        if (opt === '-c' || opt === '--channel') {
          if (val && /^(?:pytorch|nvidia)(?:-nightly)?$/.test(val)) inst.condaGpuChannel = true;
        } else if (opt === '-f' || opt === '--file') {
          if (val) reqFiles.push({ p: val, constraint: false, loc: wloc });
        }
        continue;
      }
      switch (opt) {
        case '-r':
        case '--requirement':
        case '--requirements':
          if (val) reqFiles.push({ p: val, constraint: false, loc: wloc });
          break;
        case '-c':
        case '--constraint':
        case '--constraints':
        case '--override':
          if (val) reqFiles.push({ p: val, constraint: true, loc: wloc });
          break;
        case '-i':
        case '--index-url':
        case '--extra-index-url':
        case '-f':
        case '--find-links':
        case '--index':
        case '--default-index':
        case '--extra-index':
          if (val) indexes.push({ url: val.replace(/^[\w-]+=/, ''), loc: wloc });
          break;
        case '-e':
        case '--editable':
          if (val) positional.push({ value: val, loc: wloc });
          break;
        case '--no-deps':
          inst.noDeps = true;
          break;
        case '--no-index':
        case '--offline':
          inst.noIndex = true;
          break;
        default:
      }
    }

    if ((tool === 'uv' && sub === 'sync' && argv[1] !== 'pip') || (tool === 'poetry' && sub === 'install')) {
      this.project('.', loc, inst, indexes, binds, [], false, argv);
    }
    if (tool === 'uv' && sub === 'sync' && argv[1] === 'pip') {
      for (const p of positional.splice(0)) reqFiles.push({ p: p.value, constraint: false, loc: p.loc });
    }
    if (tool === 'conda' && sub === 'env') {
      for (const f of reqFiles.splice(0)) this.condaEnvFile(f.p, f.loc, inst, binds);
      if (!argv.some((a) => a === '-f' || a.startsWith('--file')))
        this.condaEnvFile('environment.yml', loc, inst, binds, true);
    }
    if (tool === 'conda' && sub !== 'env' && reqFiles.length) {
      for (const f of reqFiles.splice(0))
        if (/\.ya?ml$/.test(f.p)) this.condaEnvFile(f.p, f.loc, inst, binds);
    }

    for (const pos of positional) {
      const v = pos.value;
      if (tool === 'conda') {
        const m = /^(?:([\w.-]+)::)?([A-Za-z0-9_.-]+)(.*)$/.exec(v);
        if (!m) continue;
        if (m[1] && /^(?:pytorch|nvidia)$/.test(m[1])) inst.condaGpuChannel = true;
        const name = normalizeName(m[2]!);
        if (name === 'cpuonly') inst.condaCpuOnly = true;
        inst.items.push({ name, extras: [], spec: m[3] ?? '', loc: pos.loc, conda: true });
        continue;
      }
      if (/^(?:\.{1,2}(?:\/|$|\[)|\/)/.test(v) && !/\.whl$/.test(v) && !/\.(?:txt|in)$/.test(v)) {
        const m = /^(.*?)(?:\[([^\]]*)\])?$/.exec(v)!;
        this.project(
          m[1]!,
          pos.loc,
          inst,
          indexes,
          binds,
          (m[2] ?? '')
            .split(',')
            .map((e) => normalizeName(e.trim()))
            .filter(Boolean),
        );
        continue;
      }
      const r = parseRequirement(v);
      if (r) inst.items.push({ ...r, loc: pos.loc });
    }

    const seen = new Set<string>();
    for (const f of reqFiles)
      this.requirementsFile(f.p, f.loc, f.constraint, inst, indexes, binds, seen, [], undefined);

    for (const ix of indexes) {
      const kind = classifyIndex(ix.url);
      if (kind === 'cpu') inst.cpuIndex = true;
      else if (kind === 'cuda' || kind === 'rocm') inst.gpuIndexes.push({ url: ix.url, kind, loc: ix.loc });
    }
    if (tool === 'conda' && inst.condaCpuOnly) inst.cpuIndex = true;
    // Items found in other files keep the RUN as their anchor, for the Dockerfile's suppression comments.
    for (const it of inst.items) it.loc.anchor ??= cmd.source.anchor;
    if (cmd.branch !== undefined) {
      for (const it of inst.items) it.loc = { ...it.loc, branch: cmd.branch };
      for (const ix of inst.gpuIndexes) ix.loc = { ...ix.loc, branch: cmd.branch };
    }
    return inst;
  }

  /** Read a context file named by a container path; a problem (not an exception) when it cannot be read. */
  private readFollowed(
    contextRel: string,
    refLoc: Loc,
    what: string,
  ): { text: string; file: string } | undefined {
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
  private readIfThere(
    contextRel: string,
    refLoc: Loc,
    what: string,
  ): { text: string; file: string } | undefined {
    const r = this.files.read(path.join(this.input.context, contextRel));
    if (r.ok) return { text: r.text, file: this.rel(path.join(this.input.context, contextRel)) };
    if (r.reason === 'missing' || r.reason === 'directory') return undefined;
    return this.readFollowed(contextRel, refLoc, what);
  }

  private requirementsFile(
    p: string,
    refLoc: Loc,
    constraint: boolean,
    inst: PyInstall,
    indexes: { url: string; loc: Loc }[],
    binds: CopyMapEntry[],
    seen: Set<string>,
    stack: string[],
    parentCtx: string | undefined,
  ): void {
    if (/^https?:\/\//.test(p)) return;
    let ctxRel: string | undefined;
    if (parentCtx !== undefined)
      ctxRel = path.posix.normalize(path.posix.join(path.posix.dirname(parentCtx), p));
    else ctxRel = this.toContext(p, binds);
    if (ctxRel === undefined) return;
    if (ctxRel.startsWith('..') || path.posix.isAbsolute(ctxRel)) {
      this.problem(
        'unreadable-file',
        'warning',
        refLoc,
        `\`${p}\` points outside the build context; it was not read`,
      );
      return;
    }
    if (stack.includes(ctxRel)) {
      this.problem(
        'unreadable-file',
        'warning',
        refLoc,
        `\`-r\` include cycle: ${[...stack, ctxRel].join(' → ')}; stopped following it`,
      );
      return;
    }
    if (seen.has(ctxRel) || stack.length > 20) return;
    seen.add(ctxRel);
    if (ctxRel.endsWith('.toml')) {
      this.project(ctxRel, refLoc, inst, indexes, binds, [], true);
      return;
    }
    const read = this.readFollowed(ctxRel, refLoc, constraint ? 'constraints file' : 'requirements file');
    if (!read) return;
    const parsed = parseRequirements(read.text);
    for (const r of parsed.reqs)
      inst.items.push({
        ...reqFields(r),
        loc: { file: read.file, line: r.line, column: r.column, endColumn: r.endColumn },
        constraint,
      });
    for (const o of parsed.options) {
      const oloc: Loc = { file: read.file, line: o.line, column: o.column, endColumn: o.endColumn };
      if (o.kind === 'index-url' || o.kind === 'extra-index-url' || o.kind === 'find-links')
        indexes.push({ url: o.value, loc: oloc });
      else if (o.kind === 'no-index') inst.noIndex = true;
      else if (o.kind === 'requirement' || o.kind === 'constraint') {
        this.requirementsFile(
          o.value,
          oloc,
          constraint || o.kind === 'constraint',
          inst,
          indexes,
          binds,
          seen,
          [...stack, ctxRel],
          ctxRel,
        );
      }
    }
  }

  /** `pip install .`, `uv sync`, `poetry install`: the project's pyproject.toml or setup.py. */
  private project(
    p: string,
    refLoc: Loc,
    inst: PyInstall,
    indexes: { url: string; loc: Loc }[],
    binds: CopyMapEntry[],
    extras: string[],
    isFile = false,
    argv: readonly string[] = [],
  ): void {
    let dir: string | undefined;
    let pyproject: string | undefined;
    if (isFile) pyproject = p;
    else {
      const asFile = this.toContext(path.posix.join(p, 'pyproject.toml'), binds);
      if (asFile) pyproject = asFile;
      else {
        const setup = this.toContext(path.posix.join(p, 'setup.py'), binds);
        if (setup) dir = path.posix.dirname(setup);
      }
    }
    if (pyproject) {
      const r = this.readIfThere(pyproject, refLoc, 'pyproject.toml');
      if (!r) return;
      const file = r.file;
      const info = parsePyproject(r.text);
      if (info.error) {
        this.problem(
          'unreadable-file',
          'warning',
          { file, line: 1 },
          `\`${file}\` is not valid TOML (${info.error}); it was not checked`,
        );
        return;
      }
      const force = inForce(info, selection(argv), extras);
      for (const d of force.deps)
        inst.items.push({
          ...reqFields(d),
          loc: { file, line: d.line, column: d.column, endColumn: d.endColumn },
        });
      for (const u of force.indexes) indexes.push({ url: u.url, loc: { file, line: u.line } });
      const tool = path.posix.basename(argv[0] ?? '');
      const lockName =
        tool === 'uv'
          ? 'uv.lock'
          : tool === 'poetry'
            ? 'poetry.lock'
            : tool === 'pdm'
              ? 'pdm.lock'
              : undefined;
      // Which torch a lock pins depends on the extras when its sources are per extra: the sources decide then.
      if (lockName && !force.conditionalTorch)
        this.lockFile(path.posix.join(path.posix.dirname(pyproject), lockName), inst);
      for (const f of info.dynamicFiles)
        this.requirementsFile(f, refLoc, false, inst, indexes, binds, new Set(), [], pyproject);
      return;
    }
    if (dir !== undefined) {
      const setupRel = path.posix.join(dir, 'setup.py');
      const r = this.readIfThere(setupRel, refLoc, 'setup.py');
      if (!r) return;
      const file = r.file;
      for (const d of parseSetupPy(r.text))
        inst.items.push({
          ...reqFields(d),
          loc: { file, line: d.line, column: d.column, endColumn: d.endColumn },
        });
    }
  }

  /** The torch and CUDA wheels a lock file pins, when the project does not list them itself. */
  private lockFile(ctxRel: string, inst: PyInstall): void {
    const r = this.readIfThere(ctxRel, inst.loc, 'lock file');
    if (!r) return;
    const file = r.file;
    const lock = parseLock(r.text);
    if (lock.error) {
      this.problem(
        'unreadable-file',
        'warning',
        { file, line: 1 },
        `\`${file}\` is not valid TOML (${lock.error}); it was not checked`,
      );
      return;
    }
    const listed = new Set(inst.items.map((it) => it.name));
    const torch = lock.packages.filter((p) => TORCH_PACKAGES.has(p.name) && !listed.has(p.name));
    const nvidia = lock.packages.filter((p) => /^nvidia-[a-z0-9-]+-cu\d+$/.test(p.name));
    for (const p of [...torch, ...(torch.length ? [] : nvidia.slice(0, 1))]) {
      const item: PyItem = {
        name: p.name,
        extras: [],
        spec: p.version ? `==${p.version}` : '',
        loc: { file, line: p.line },
      };
      if (p.registry && !/pypi\.org/.test(p.registry)) item.url = p.registry;
      inst.items.push(item);
    }
  }

  private condaEnvFile(
    p: string,
    refLoc: Loc,
    inst: PyInstall,
    binds: CopyMapEntry[],
    optional = false,
  ): void {
    const ctxRel = this.toContext(p, binds);
    if (!ctxRel) return;
    if (optional && !this.files.exists(path.join(this.input.context, ctxRel))) return;
    const read = this.readFollowed(ctxRel, refLoc, 'environment file');
    if (!read) return;
    const env = parseCondaEnv(read.text);
    if (env.channels.some((c) => /^(?:pytorch|nvidia)$/.test(c.name))) inst.condaGpuChannel = true;
    for (const d of env.deps) {
      if (d.name === 'cpuonly') inst.condaCpuOnly = true;
      if (/^(?:pytorch|nvidia)::/.test(d.spec)) inst.condaGpuChannel = true;
      inst.items.push({
        name: d.name,
        extras: [],
        spec: d.spec,
        loc: { file: read.file, line: d.line, column: d.column },
        conda: true,
      });
    }
    const pipIdx: { url: string; loc: Loc }[] = [];
    for (const o of env.pip.options)
      if (o.kind.endsWith('index-url') || o.kind === 'find-links')
        pipIdx.push({ url: o.value, loc: { file: read.file, line: o.line } });
    // The pip section is its own install: attach its items with the conda install but mark the index.
    for (const r of env.pip.reqs)
      inst.items.push({ ...reqFields(r), loc: { file: read.file, line: r.line, column: r.column } });
    for (const ix of pipIdx) {
      const kind = classifyIndex(ix.url);
      if (kind === 'cpu') inst.cpuIndex = true;
      else if (kind !== 'other') inst.gpuIndexes.push({ url: ix.url, kind, loc: ix.loc });
    }
  }

  // ---- Model downloads --------------------------------------------------------------------------

  private download(loc: Loc, what: string): void {
    this.facts.downloads.push({ loc, what, stage: this.stage });
  }

  private downloadsIn(cmd: Cmd, argv: string[], binds: CopyMapEntry[], depth: number): void {
    const base = path.posix.basename(argv[0]!);
    const loc = this.locOf(cmd);
    const hit = argvDownload(argv);
    if (hit) return this.download(this.locOf(cmd, hit.index), hit.what);
    if (isPython(base) || base === 'ipython') {
      const m = argv.indexOf('-m');
      const mod = m > 0 ? argv[m + 1] : undefined;
      if (mod) {
        const what = moduleDownload(mod, argv.slice(m + 2));
        if (what) return this.download(loc, what);
      }
      const c = argv.indexOf('-c');
      if (c > 0 && argv[c + 1] !== undefined) {
        const py = scanPython(argv[c + 1]!);
        if (py) return this.download(this.locOf(cmd, c + 1), `${py.what} in \`python -c\``);
        return;
      }
      if (cmd.stdin) {
        const py = scanPython(cmd.stdin.content);
        if (py) {
          const p = locate(cmd.stdin.source.segs, py.offset);
          return this.download(
            { file: cmd.stdin.source.file, line: p.line, anchor: cmd.source.anchor },
            `${py.what} in the heredoc run by \`${base}\``,
          );
        }
        return;
      }
      let script: string | undefined;
      if (mod) script = `${mod.replace(/\./g, '/')}.py`;
      else
        script = argv
          .slice(1)
          .find((a, i) => !a.startsWith('-') && !(i > 0 && ['-W', '-X'].includes(argv[i]!)));
      if (script && (/\.py$/.test(script) || !mod)) this.script(script, loc, 'python', binds, depth, !!mod);
      return;
    }
    if (SHELL_RE.test(base) && argv[1] && !argv[1].startsWith('-')) {
      this.script(argv[1], loc, 'shell', binds, depth, false);
      return;
    }
    if ((base === 'source' || base === '.') && argv[1]) {
      this.script(argv[1], loc, 'shell', binds, depth, false);
      return;
    }
    if (argv[0]!.includes('/') && !/^\/(?:usr\/)?s?bin\//.test(argv[0]!)) {
      // `./download.py`, `/app/fetch.sh`: run through its shebang (or its extension).
      this.script(argv[0]!, loc, 'auto', binds, depth, false);
      return;
    }
    if (cmd.stdin && SHELL_RE.test(base)) {
      for (const c of splitShell(cmd.stdin.content).commands) {
        const sub: Cmd = {
          argv: c.map((w) => w.value),
          words: c,
          env: new Map(),
          run: cmd.run,
          source: cmd.stdin.source,
        };
        if (cmd.branch) sub.branch = cmd.branch;
        if (sub.argv.length)
          this.downloadsIn(
            sub,
            sub.argv.map((a) => substitute(a, cmd.run.vars)),
            binds,
            depth + 1,
          );
      }
    }
  }

  private script(
    containerPath: string,
    loc: Loc,
    how: 'python' | 'shell' | 'auto',
    binds: CopyMapEntry[],
    depth: number,
    isModule: boolean,
  ): void {
    if (depth >= MAX_DEPTH) return;
    let ctxRel = this.toContext(containerPath, binds);
    if (!ctxRel && isModule) {
      const pkg = containerPath.replace(/\.py$/, '/__main__.py');
      ctxRel = this.toContext(pkg, binds);
    }
    if (!ctxRel || ctxRel.startsWith('..')) return;
    // A script the Dockerfile copies but the context lacks is named, not skipped silently.
    const read = this.readFollowed(ctxRel, loc, 'script');
    if (!read) return;
    const r = { text: read.text };
    const file = read.file;
    const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(r.text)?.slice(1).join(' ') ?? '';
    const kind =
      how !== 'auto'
        ? how
        : /python/.test(shebang) || /\.py$/.test(ctxRel)
          ? 'python'
          : /\b(?:ba|da|z|a)?sh\b/.test(shebang) || /\.sh$/.test(ctxRel)
            ? 'shell'
            : undefined;
    if (!kind) return;
    if (kind === 'python') {
      const hit = scanPython(r.text);
      if (hit) {
        const line = r.text.slice(0, hit.offset).split('\n').length;
        this.download(
          loc,
          `runs \`${file}\`, which downloads a model at build time (${file}:${line}: ${hit.what})`,
        );
      }
      return;
    }
    const before = this.facts.downloads.length;
    const segs: Segment[] = [];
    let off = 0;
    r.text.split('\n').forEach((l, i) => {
      segs.push({ offset: off, line: i + 1, column: 1 });
      off += l.length + 1;
    });
    const src: Source = { file, segs, shift: 0, anchor: loc.anchor ?? loc.line };
    const fake: RunInfo = {
      instr: this.facts.runs[this.facts.runs.length - 1]!.instr,
      stage: this.stage,
      vars: new Map(),
      cmds: [],
      cacheMounts: [],
      pipConfNoCache: false,
    };
    for (const c of splitShell(r.text).commands) this.collect(c, fake, src, 0);
    for (const c of fake.cmds) this.downloadsIn(c, c.argv, binds, depth + 1);
    // Report on the RUN line (where the fix goes), naming the script's line.
    const found = this.facts.downloads.splice(before);
    if (found.length) {
      const f = found[0]!;
      this.download(
        loc,
        `runs \`${file}\`, which downloads a model at build time (${file}:${f.loc.line}: ${f.what})`,
      );
    }
  }
}

function reqFields(r: Req): Pick<PyItem, 'name' | 'extras' | 'spec'> & { url?: string } {
  const out: Pick<PyItem, 'name' | 'extras' | 'spec'> & { url?: string } = {
    name: r.name,
    extras: r.extras,
    spec: r.spec,
  };
  if (r.url) out.url = r.url;
  return out;
}

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')}$`,
  );
  return re.test(name);
}
