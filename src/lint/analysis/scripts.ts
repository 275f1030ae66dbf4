/**
 * Model downloads in a RUN's commands, and the scripts a RUN runs followed (interpreters with or
 * without a path, shebangs, `sh -c`, `source`, `python -m` when the module is in the context).
 */
import path from 'node:path';
import { locate, substitute, type Segment } from '../dockerfile.js';
import { type ShellNode, type Word, childrenOf, commandsOf, parseShell, splitShell } from '../shell.js';
import { GIT_LFS_SETUP } from '../knowledge/downloaders.js';
import { collect } from './collect.js';
import {
  type CommandContext,
  argvDownload,
  gitLfsSetup,
  moduleDownload,
  scanPython,
  skipsSmudge,
} from './downloads.js';
import type { Cmd, CopyMapEntry, Loc, RunInfo, Source, Walk } from './facts.js';
import { locOfWord } from './loc.js';
import { MAX_DEPTH, SHELL_RE, isPython } from './tools.js';

export function downloadsIn(w: Walk, cmd: Cmd, argv: string[], binds: CopyMapEntry[], depth: number): void {
  const base = path.posix.basename(argv[0]!);
  const loc = locOfWord(cmd);
  const hit = argvDownload(argv, gitContext(w, cmd, argv));
  if (hit) return w.download(locOfWord(cmd, hit.index), hit.what);
  if (isPython(base) || base === 'ipython') {
    const m = argv.indexOf('-m');
    const mod = m > 0 ? argv[m + 1] : undefined;
    if (mod) {
      const what = moduleDownload(mod, argv.slice(m + 2));
      if (what) return w.download(loc, what);
    }
    const c = argv.indexOf('-c');
    if (c > 0 && argv[c + 1] !== undefined) {
      const py = scanPython(argv[c + 1]!);
      if (py) return w.download(locOfWord(cmd, c + 1), `${py.what} in \`python -c\``);
      return;
    }
    if (cmd.stdin) {
      const py = scanPython(cmd.stdin.content);
      if (py) {
        const p = locate(cmd.stdin.source.segs, py.offset);
        return w.download(
          { file: cmd.stdin.source.file, line: p.line, anchor: cmd.source.anchor },
          `${py.what} in the heredoc run by \`${base}\``,
        );
      }
      return;
    }
    let scriptPath: string | undefined;
    if (mod) scriptPath = `${mod.replace(/\./g, '/')}.py`;
    else
      scriptPath = argv
        .slice(1)
        .find((a, i) => !a.startsWith('-') && !(i > 0 && ['-W', '-X'].includes(argv[i]!)));
    if (scriptPath && (/\.py$/.test(scriptPath) || !mod))
      script(w, scriptPath, loc, 'python', binds, depth, !!mod);
    return;
  }
  if (SHELL_RE.test(base) && argv[1] && !argv[1].startsWith('-')) {
    script(w, argv[1], loc, 'shell', binds, depth, false);
    return;
  }
  if ((base === 'source' || base === '.') && argv[1]) {
    script(w, argv[1], loc, 'shell', binds, depth, false);
    return;
  }
  if (argv[0]!.includes('/') && !/^\/(?:usr\/)?s?bin\//.test(argv[0]!)) {
    // `./download.py`, `/app/fetch.sh`: run through its shebang (or its extension).
    script(w, argv[0]!, loc, 'auto', binds, depth, false);
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
        downloadsIn(
          w,
          sub,
          sub.argv.map((a) => substitute(a, cmd.run.vars)),
          binds,
          depth + 1,
        );
    }
  }
}

/**
 * Git LFS as set up for this command: `git lfs install` (on a branch the build takes) sets it up
 * for the rest of the stage and the stages built on it; `GIT_LFS_SKIP_SMUDGE` skips it.
 */
function gitContext(w: Walk, cmd: Cmd, argv: readonly string[]): CommandContext {
  const setup = gitLfsSetup(argv);
  if (setup !== undefined && cmd.branch === undefined) w.state.gitLfs = setup;
  const name = GIT_LFS_SETUP.skipEnv;
  const skip = cmd.env.get(name) ?? cmd.shellVars?.get(name) ?? cmd.run.vars.get(name);
  return { lfs: w.state.gitLfs && !skipsSmudge(skip), cwd: w.state.workdir };
}

export function script(
  w: Walk,
  containerPath: string,
  loc: Loc,
  how: 'python' | 'shell' | 'auto',
  binds: CopyMapEntry[],
  depth: number,
  isModule: boolean,
): void {
  if (depth >= MAX_DEPTH) return;
  let ctxRel = w.toContext(containerPath, binds);
  if (!ctxRel && isModule) {
    const pkg = containerPath.replace(/\.py$/, '/__main__.py');
    ctxRel = w.toContext(pkg, binds);
  }
  if (!ctxRel || ctxRel.startsWith('..')) return;
  // A script the Dockerfile copies but the context lacks is named, not skipped silently.
  const read = w.readFollowed(ctxRel, loc, 'script');
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
  const anchor = loc.anchor ?? loc.line;
  // The finding points at the script's line and names the Dockerfile line that runs it.
  const runBy = ` (in \`${file}\`, run by ${w.input.file} line ${anchor})`;
  const at = (line: number): Loc => {
    const l: Loc = { file, line, anchor };
    if (loc.branch !== undefined) l.branch = loc.branch;
    return l;
  };
  if (kind === 'python') {
    const hit = scanPython(r.text);
    if (hit) w.download(at(r.text.slice(0, hit.offset).split('\n').length), `${hit.what}${runBy}`);
    return;
  }
  const before = w.facts.downloads.length;
  const segs: Segment[] = [];
  let off = 0;
  r.text.split('\n').forEach((l, i) => {
    segs.push({ offset: off, line: i + 1, column: 1 });
    off += l.length + 1;
  });
  const src: Source = { file, segs, shift: 0, anchor: loc.anchor ?? loc.line };
  const fake: RunInfo = {
    instr: w.facts.runs[w.facts.runs.length - 1]!.instr,
    stage: w.stage,
    vars: new Map(),
    cmds: [],
    cacheMounts: [],
    pipConfNoCache: false,
  };
  for (const { words, args } of shellCalls(parseShell(r.text).items)) {
    const n = fake.cmds.length;
    collect(w, words, fake, src, 0);
    for (const c of fake.cmds.slice(n))
      downloadsIn(
        w,
        c,
        c.argv.map((a) => substitute(a, args)),
        binds,
        depth + 1,
      );
  }
  // Downloads found in this script keep their own line; those of a script it runs already say so.
  for (const f of w.facts.downloads.splice(before))
    w.download(
      loc.branch !== undefined ? { ...f.loc, branch: loc.branch } : f.loc,
      f.what.includes(' run by ') ? f.what : `${f.what}${runBy}`,
    );
}

/**
 * The commands a shell script runs, in order, with the variables in force for each: plain
 * assignments (`URL=…`) are tracked, and a call of a function the script defines (`f() { … }`,
 * `function f { … }`) runs the function's body with `$1`… set to the call's arguments.
 */
export function shellCalls(
  items: readonly ShellNode[],
): { words: Word[]; args: Map<string, string | undefined> }[] {
  const vars = new Map<string, string | undefined>();
  const funcs = new Map<string, Word[][]>();
  const out: { words: Word[]; args: Map<string, string | undefined> }[] = [];
  const visit = (n: ShellNode): void => {
    if (n.type === 'function') {
      funcs.set(
        n.name,
        commandsOf(n.body).map((c) => [...c.assigns, ...c.words]),
      );
      return;
    }
    if (n.type !== 'command') {
      childrenOf(n).forEach(visit);
      return;
    }
    if (!n.words.length) {
      for (const a of n.assigns) {
        const eq = a.value.indexOf('=');
        vars.set(a.value.slice(0, eq), substitute(a.value.slice(eq + 1), vars));
      }
      return;
    }
    const fn = funcs.get(n.words[0]!.value);
    if (fn) {
      const positional = n.words.slice(1).map((w) => substitute(w.value, vars));
      const set = (v: string): string =>
        v.replace(/\$\{?([1-9])\}?/g, (_m, d: string) => positional[Number(d) - 1] ?? '');
      for (const b of fn)
        out.push({ words: b.map((x) => ({ ...x, value: set(x.value) })), args: new Map(vars) });
      return;
    }
    out.push({ words: [...n.assigns, ...n.words], args: new Map(vars) });
  };
  items.forEach(visit);
  return out;
}
