/**
 * Python installs as the installers read them: pip, uv, poetry, pdm and conda command lines, with the
 * requirements, constraints, pyproject.toml, lock and environment files they pull in, followed from
 * the build context through the COPY (or bind mount) that brought them.
 */
import path from 'node:path';
import { TORCH_PACKAGES } from '../data.js';
import {
  classifyIndex,
  normalizeName,
  parseCondaEnv,
  parseRequirement,
  parseRequirements,
  parseSetupPy,
} from '../python-files.js';
import { inForce, parseLock, parsePyproject, selection } from '../python/pyproject.js';
import type { Cmd, CopyMapEntry, Loc, PyInstall, PyItem, Walk } from './facts.js';
import type { VarValue } from '../dockerfile.js';
import { locOfWord } from './loc.js';
import { CONDA_RE, INDEX_ENV, PIP_RE, WITH_VALUE, isPython, reqFields } from './tools.js';

interface ToolCall {
  tool: PyInstall['tool'];
  /** Index of the first argument after the sub-command. */
  rest: number;
  sub: string;
}

/** Which installer a command line runs, and where its arguments start. */
function installTool(argv: string[]): ToolCall | undefined {
  const base = path.posix.basename(argv[0]!);
  const [a1, a2] = [argv[1] ?? '', argv[2] ?? ''];
  if (PIP_RE.test(base) && a1 === 'install') return { tool: 'pip', rest: 2, sub: '' };
  if (isPython(base)) {
    const m = argv.indexOf('-m');
    if (m > 0 && PIP_RE.test(argv[m + 1] ?? '') && argv[m + 2] === 'install')
      return { tool: 'pip', rest: m + 3, sub: '' };
    return undefined;
  }
  if (base === 'uv') {
    if (a1 === 'pip' && (a2 === 'install' || a2 === 'sync')) return { tool: 'uv', rest: 3, sub: a2 };
    if (a1 === 'add' || a1 === 'sync') return { tool: 'uv', rest: 2, sub: a1 };
  }
  if (base === 'poetry' && (a1 === 'add' || a1 === 'install')) return { tool: 'poetry', rest: 2, sub: a1 };
  // pdm installs the locked project as poetry does (its lock is pdm.lock).
  if (base === 'pdm' && (a1 === 'install' || a1 === 'sync'))
    return { tool: 'poetry', rest: 2, sub: 'install' };
  if (CONDA_RE.test(base)) {
    if (a1 === 'install' || a1 === 'create' || a1 === 'update') return { tool: 'conda', rest: 2, sub: a1 };
    if (a1 === 'env' && (a2 === 'create' || a2 === 'update')) return { tool: 'conda', rest: 3, sub: 'env' };
  }
  return undefined;
}

type Indexes = { url: string; loc: Loc }[];

/** Indexes from the environment and pip.conf, and uv's `--torch-backend`. */
function configuredIndexes(w: Walk, cmd: Cmd, argv: string[], inst: PyInstall): Indexes {
  const indexes: Indexes = [];
  const vars = new Map<string, VarValue>([...cmd.run.vars, ...cmd.env]);
  for (const name of INDEX_ENV) {
    const v = vars.get(name);
    if (v) for (const url of v.split(/\s+/)) indexes.push({ url, loc: inst.loc });
  }
  indexes.push(...w.state.confIndexes);
  const k = argv.indexOf('--torch-backend');
  const torchBackend =
    argv.find((a) => a.startsWith('--torch-backend='))?.split('=')[1] ??
    (k >= 0 ? argv[k + 1] : undefined) ??
    vars.get('UV_TORCH_BACKEND');
  if (torchBackend && inst.tool === 'uv') {
    if (/^cpu$/i.test(torchBackend)) inst.cpuIndex = true;
    else if (/^(?:cu|rocm)/i.test(torchBackend))
      inst.gpuIndexes.push({ url: `--torch-backend=${torchBackend}`, kind: 'cuda', loc: inst.loc });
  }
  return indexes;
}

interface InstallArgs {
  reqFiles: { p: string; constraint: boolean; loc: Loc }[];
  positional: { value: string; loc: Loc }[];
}

/** One option of an install command line, with its value. */
function option(argv: string[], k: number): { opt: string; val: string | undefined; next: number } {
  const a = argv[k]!;
  const eq = a.indexOf('=');
  if (a.startsWith('--') && eq > 0) return { opt: a.slice(0, eq), val: a.slice(eq + 1), next: k };
  if (/^-[a-zA-Z]./.test(a) && !a.startsWith('--') && WITH_VALUE.has(a.slice(0, 2)))
    return { opt: a.slice(0, 2), val: a.slice(2), next: k };
  if (a.startsWith('-') && WITH_VALUE.has(a)) return { opt: a, val: argv[k + 1], next: k + 1 };
  return { opt: a, val: undefined, next: k };
}

const REQ_OPTS = new Set(['-r', '--requirement', '--requirements']);
const CONSTRAINT_OPTS = new Set(['-c', '--constraint', '--constraints', '--override']);
const INDEX_OPTS = new Set([
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '--index',
  '--default-index',
  '--extra-index',
]);

/** The arguments of an install: files, indexes, flags, and the positional packages or paths. */
function installArgs(cmd: Cmd, argv: string[], rest: number, inst: PyInstall, indexes: Indexes): InstallArgs {
  const out: InstallArgs = { reqFiles: [], positional: [] };
  for (let k = rest; k < argv.length; k++) {
    const a = argv[k]!;
    const wloc = locOfWord(cmd, k);
    if (!a.startsWith('-')) {
      out.positional.push({ value: a, loc: wloc });
      continue;
    }
    const { opt, val, next } = option(argv, k);
    k = next;
    if (inst.tool === 'conda') {
      if ((opt === '-c' || opt === '--channel') && val && /^(?:pytorch|nvidia)(?:-nightly)?$/.test(val))
        inst.condaGpuChannel = true;
      else if ((opt === '-f' || opt === '--file') && val)
        out.reqFiles.push({ p: val, constraint: false, loc: wloc });
      continue;
    }
    if (REQ_OPTS.has(opt) && val) out.reqFiles.push({ p: val, constraint: false, loc: wloc });
    else if (CONSTRAINT_OPTS.has(opt) && val) out.reqFiles.push({ p: val, constraint: true, loc: wloc });
    else if (INDEX_OPTS.has(opt) && val) indexes.push({ url: val.replace(/^[\w-]+=/, ''), loc: wloc });
    else if ((opt === '-e' || opt === '--editable') && val) out.positional.push({ value: val, loc: wloc });
    else if (opt === '--no-deps') inst.noDeps = true;
    else if (opt === '--no-index' || opt === '--offline') inst.noIndex = true;
  }
  return out;
}

/** The project, lock and environment files the sub-command reads by itself. */
function projectInputs(
  w: Walk,
  call: ToolCall,
  argv: string[],
  inst: PyInstall,
  indexes: Indexes,
  args: InstallArgs,
  binds: CopyMapEntry[],
): void {
  const { tool, sub } = call;
  if ((tool === 'uv' && sub === 'sync' && argv[1] !== 'pip') || (tool === 'poetry' && sub === 'install'))
    project(w, '.', inst.loc, inst, indexes, binds, [], false, argv);
  if (tool === 'uv' && sub === 'sync' && argv[1] === 'pip')
    for (const p of args.positional.splice(0))
      args.reqFiles.push({ p: p.value, constraint: false, loc: p.loc });
  if (tool === 'conda' && sub === 'env') {
    for (const f of args.reqFiles.splice(0)) condaEnvFile(w, f.p, f.loc, inst, binds);
    if (!argv.some((a) => a === '-f' || a.startsWith('--file')))
      condaEnvFile(w, 'environment.yml', inst.loc, inst, binds, true);
  }
  if (tool === 'conda' && sub !== 'env' && args.reqFiles.length)
    for (const f of args.reqFiles.splice(0))
      if (/\.ya?ml$/.test(f.p)) condaEnvFile(w, f.p, f.loc, inst, binds);
}

/** Positional arguments: packages, conda specs, or a project path (`.`, `./svc[extra]`). */
function positionals(
  w: Walk,
  inst: PyInstall,
  indexes: Indexes,
  args: InstallArgs,
  binds: CopyMapEntry[],
): void {
  for (const pos of args.positional) {
    const v = pos.value;
    if (inst.tool === 'conda') {
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
      const extras = (m[2] ?? '')
        .split(',')
        .map((e) => normalizeName(e.trim()))
        .filter(Boolean);
      project(w, m[1]!, pos.loc, inst, indexes, binds, extras);
      continue;
    }
    const r = parseRequirement(v);
    if (r) inst.items.push({ ...r, loc: pos.loc });
  }
}

/** A pip, uv, poetry, pdm or conda install, with everything it installs and the indexes in force. */
export function pythonInstall(
  w: Walk,
  cmd: Cmd,
  argv: string[],
  binds: CopyMapEntry[],
): PyInstall | undefined {
  const call = installTool(argv);
  if (!call) return undefined;
  const inst: PyInstall = {
    tool: call.tool,
    cmd,
    loc: locOfWord(cmd),
    stage: w.stage,
    items: [],
    gpuIndexes: [],
    cpuIndex: false,
    torchBefore: w.state.torch,
    noDeps: false,
    noIndex: false,
    condaCpuOnly: false,
    condaGpuChannel: false,
  };
  const indexes = configuredIndexes(w, cmd, argv, inst);
  const args = installArgs(cmd, argv, call.rest, inst, indexes);
  projectInputs(w, call, argv, inst, indexes, args, binds);
  positionals(w, inst, indexes, args, binds);
  const seen = new Set<string>();
  for (const f of args.reqFiles)
    requirementsFile(w, f.p, f.loc, f.constraint, inst, indexes, binds, seen, [], undefined);
  for (const ix of indexes) {
    const kind = classifyIndex(ix.url);
    if (kind === 'cpu') inst.cpuIndex = true;
    else if (kind === 'cuda' || kind === 'rocm') inst.gpuIndexes.push({ url: ix.url, kind, loc: ix.loc });
  }
  if (call.tool === 'conda' && inst.condaCpuOnly) inst.cpuIndex = true;
  // Items found in other files keep the RUN as their anchor, for the Dockerfile's suppression comments.
  for (const it of inst.items) it.loc.anchor ??= cmd.source.anchor;
  if (cmd.branch !== undefined) {
    for (const it of inst.items) it.loc = { ...it.loc, branch: cmd.branch };
    for (const ix of inst.gpuIndexes) ix.loc = { ...ix.loc, branch: cmd.branch };
  }
  return inst;
}

export function requirementsFile(
  w: Walk,
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
  else ctxRel = w.toContext(p, binds);
  if (ctxRel === undefined) return;
  if (ctxRel.startsWith('..') || path.posix.isAbsolute(ctxRel)) {
    w.problem(
      'unreadable-file',
      'warning',
      refLoc,
      `\`${p}\` points outside the build context; it was not read`,
    );
    return;
  }
  if (stack.includes(ctxRel)) {
    w.problem(
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
    project(w, ctxRel, refLoc, inst, indexes, binds, [], true);
    return;
  }
  const read = w.readFollowed(ctxRel, refLoc, constraint ? 'constraints file' : 'requirements file');
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
      requirementsFile(
        w,
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
export function project(
  w: Walk,
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
    const asFile = w.toContext(path.posix.join(p, 'pyproject.toml'), binds);
    if (asFile) pyproject = asFile;
    else {
      const setup = w.toContext(path.posix.join(p, 'setup.py'), binds);
      if (setup) dir = path.posix.dirname(setup);
    }
  }
  if (pyproject) {
    const r = w.readIfThere(pyproject, refLoc, 'pyproject.toml');
    if (!r) return;
    const file = r.file;
    const info = parsePyproject(r.text);
    if (info.error) {
      w.problem(
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
      tool === 'uv' ? 'uv.lock' : tool === 'poetry' ? 'poetry.lock' : tool === 'pdm' ? 'pdm.lock' : undefined;
    // Which torch a lock pins depends on the extras when its sources are per extra: the sources decide then.
    if (lockName && !force.conditionalTorch)
      lockFile(w, path.posix.join(path.posix.dirname(pyproject), lockName), inst);
    for (const f of info.dynamicFiles)
      requirementsFile(w, f, refLoc, false, inst, indexes, binds, new Set(), [], pyproject);
    return;
  }
  if (dir !== undefined) {
    const setupRel = path.posix.join(dir, 'setup.py');
    const r = w.readIfThere(setupRel, refLoc, 'setup.py');
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
export function lockFile(w: Walk, ctxRel: string, inst: PyInstall): void {
  const r = w.readIfThere(ctxRel, inst.loc, 'lock file');
  if (!r) return;
  const file = r.file;
  const lock = parseLock(r.text);
  if (lock.error) {
    w.problem(
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

export function condaEnvFile(
  w: Walk,
  p: string,
  refLoc: Loc,
  inst: PyInstall,
  binds: CopyMapEntry[],
  optional = false,
): void {
  const ctxRel = w.toContext(p, binds);
  if (!ctxRel) return;
  if (optional && !w.files.exists(path.join(w.input.context, ctxRel))) return;
  const read = w.readFollowed(ctxRel, refLoc, 'environment file');
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
