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
import { locOfWord } from './loc.js';
import { CONDA_RE, INDEX_ENV, PIP_RE, WITH_VALUE, isPython, reqFields } from './tools.js';

export function pythonInstall(
  w: Walk,
  cmd: Cmd,
  argv: string[],
  binds: CopyMapEntry[],
): PyInstall | undefined {
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

  const loc = locOfWord(cmd);
  const inst: PyInstall = {
    tool,
    cmd,
    loc,
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
  const indexes: { url: string; loc: Loc }[] = [];
  const vars = new Map<string, string | undefined>([...cmd.run.vars, ...cmd.env]);
  for (const name of INDEX_ENV) {
    const v = vars.get(name);
    if (v) for (const url of v.split(/\s+/)) indexes.push({ url, loc: loc });
  }
  indexes.push(...w.state.confIndexes);
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
    const wloc = locOfWord(cmd, wi);
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
    project(w, '.', loc, inst, indexes, binds, [], false, argv);
  }
  if (tool === 'uv' && sub === 'sync' && argv[1] === 'pip') {
    for (const p of positional.splice(0)) reqFiles.push({ p: p.value, constraint: false, loc: p.loc });
  }
  if (tool === 'conda' && sub === 'env') {
    for (const f of reqFiles.splice(0)) condaEnvFile(w, f.p, f.loc, inst, binds);
    if (!argv.some((a) => a === '-f' || a.startsWith('--file')))
      condaEnvFile(w, 'environment.yml', loc, inst, binds, true);
  }
  if (tool === 'conda' && sub !== 'env' && reqFiles.length) {
    for (const f of reqFiles.splice(0)) if (/\.ya?ml$/.test(f.p)) condaEnvFile(w, f.p, f.loc, inst, binds);
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
      project(
        w,
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
    requirementsFile(w, f.p, f.loc, f.constraint, inst, indexes, binds, seen, [], undefined);

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
