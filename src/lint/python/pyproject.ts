/**
 * pyproject.toml and the lock files (uv.lock, poetry.lock, pdm.lock), read with a TOML parser
 * (smol-toml). TOML has no positions: each item's line is found by searching the text for it.
 */
import { parse } from 'smol-toml';
import { type Req, normalizeName, parseRequirement } from '../python-files.js';

export interface PyIndex {
  url: string;
  line: number;
  name?: string;
  /** uv `explicit = true`, poetry `priority = "explicit"`: used only by packages that name it. */
  explicit: boolean;
}

/** `[tool.uv.sources] torch = [{ index = "pytorch-cu124", extra = "cu124" }]`. */
export interface PySource {
  index: string;
  extra?: string;
  group?: string;
}

export interface PyprojectInfo {
  deps: Req[];
  /** Optional dependencies and dependency groups, by normalised name. */
  optional: Map<string, Req[]>;
  indexes: PyIndex[];
  /** Per normalised package name. */
  sources: Map<string, PySource[]>;
  /** `[tool.setuptools.dynamic] dependencies = {file = [...]}`. */
  dynamicFiles: string[];
  /** Set when the text is not valid TOML (the installer would refuse it too). */
  error?: string;
}

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);
const table = (v: unknown): Table => (isTable(v) ? v : {});
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** 1-based line and column of the first occurrence of `needle` at or after line `from`. */
export function lineOf(text: string, needle: string, from = 1): { line: number; column: number } {
  const lines = text.split(/\r?\n|\r/);
  for (let i = Math.max(0, from - 1); i < lines.length; i++) {
    const c = lines[i]!.indexOf(needle);
    if (c >= 0) return { line: i + 1, column: c + 1 };
  }
  return { line: 1, column: 1 };
}

function reqAt(text: string, raw: string): Req | undefined {
  const r = parseRequirement(raw);
  if (!r) return undefined;
  const at = lineOf(text, raw);
  return { ...r, raw, line: at.line, column: at.column, endColumn: at.column + raw.length };
}

function poetryDeps(text: string, deps: Table): Req[] {
  const out: Req[] = [];
  for (const [name, v] of Object.entries(deps)) {
    if (name === 'python') continue;
    const ver =
      typeof v === 'string' ? v : typeof table(v).version === 'string' ? (table(v).version as string) : '';
    const at = lineOf(text, `${name} =`);
    out.push({
      name: normalizeName(name),
      extras: strings(table(v).extras).map(normalizeName),
      spec: ver && /^\d/.test(ver) ? `==${ver}` : ver,
      raw: name,
      line: at.line,
      column: at.column,
      endColumn: at.column + name.length,
    });
  }
  return out;
}

export function parsePyproject(text: string): PyprojectInfo {
  const info: PyprojectInfo = {
    deps: [],
    optional: new Map(),
    indexes: [],
    sources: new Map(),
    dynamicFiles: [],
  };
  let doc: Table;
  try {
    doc = parse(text) as Table;
  } catch (error) {
    info.error = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    return info;
  }
  const project = table(doc.project);
  const tool = table(doc.tool);
  for (const raw of strings(project.dependencies)) {
    const r = reqAt(text, raw);
    if (r) info.deps.push(r);
  }
  const groups: [string, unknown][] = [
    ...Object.entries(table(project['optional-dependencies'])),
    ...Object.entries(table(doc['dependency-groups'])),
  ];
  for (const [name, list] of groups) {
    const reqs = strings(list)
      .map((raw) => reqAt(text, raw))
      .filter((r): r is Req => !!r);
    info.optional.set(normalizeName(name), [...(info.optional.get(normalizeName(name)) ?? []), ...reqs]);
  }
  const poetry = table(tool.poetry);
  info.deps.push(...poetryDeps(text, table(poetry.dependencies)));
  for (const [name, g] of Object.entries(table(poetry.group)))
    info.optional.set(normalizeName(name), poetryDeps(text, table(table(g).dependencies)));
  // Poetry names a package's source on the dependency itself: `torch = { version = "…", source = "pytorch-cpu" }`.
  const poetryTables = [
    table(poetry.dependencies),
    ...Object.values(table(poetry.group)).map((g) => table(table(g).dependencies)),
  ];
  for (const deps of poetryTables)
    for (const [name, v] of Object.entries(deps))
      if (typeof table(v).source === 'string')
        info.sources.set(normalizeName(name), [{ index: table(v).source as string }]);
  const uv = table(tool.uv);
  const indexLists: [unknown[], (t: Table) => boolean][] = [
    [Array.isArray(uv.index) ? uv.index : [], (t) => t.explicit === true],
    [Array.isArray(poetry.source) ? poetry.source : [], (t) => t.priority === 'explicit'],
    [Array.isArray(table(tool.pdm).source) ? (table(tool.pdm).source as unknown[]) : [], () => false],
  ];
  for (const [list, explicit] of indexLists)
    for (const t of list.filter(isTable)) {
      if (typeof t.url !== 'string') continue;
      const ix: PyIndex = { url: t.url, line: lineOf(text, t.url).line, explicit: explicit(t) };
      if (typeof t.name === 'string') ix.name = t.name;
      info.indexes.push(ix);
    }
  for (const key of ['index-url', 'extra-index-url']) {
    const v = uv[key] ?? table(uv.pip)[key];
    for (const url of typeof v === 'string' ? [v] : strings(v))
      info.indexes.push({ url, line: lineOf(text, url).line, explicit: false });
  }
  for (const [pkg, v] of Object.entries(table(uv.sources))) {
    const list = (Array.isArray(v) ? v : [v]).filter(isTable);
    const srcs: PySource[] = [];
    for (const s of list) {
      if (typeof s.index !== 'string') continue;
      const src: PySource = { index: s.index };
      if (typeof s.extra === 'string') src.extra = normalizeName(s.extra);
      if (typeof s.group === 'string') src.group = normalizeName(s.group);
      srcs.push(src);
    }
    if (srcs.length) info.sources.set(normalizeName(pkg), srcs);
  }
  const dyn = table(table(table(tool.setuptools).dynamic).dependencies);
  info.dynamicFiles.push(...(typeof dyn.file === 'string' ? [dyn.file] : strings(dyn.file)));
  return info;
}

export interface LockedPackage {
  name: string;
  version: string;
  /** The index it comes from, when the lock records one. */
  registry?: string;
  line: number;
}

/** The packages a uv.lock, poetry.lock or pdm.lock pins (each `[[package]]`). */
export function parseLock(text: string): { packages: LockedPackage[]; error?: string } {
  let doc: Table;
  try {
    doc = parse(text) as Table;
  } catch (error) {
    return { packages: [], error: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
  const packages: LockedPackage[] = [];
  let from = 1;
  for (const p of (Array.isArray(doc.package) ? doc.package : []).filter(isTable)) {
    if (typeof p.name !== 'string') continue;
    const at = lineOf(text, `name = "${p.name}"`, from);
    from = at.line;
    const source = table(p.source);
    const registry = [source.registry, source.url].find((x): x is string => typeof x === 'string');
    const pkg: LockedPackage = {
      name: normalizeName(p.name),
      version: typeof p.version === 'string' ? p.version : '',
      line: at.line,
    };
    if (registry) pkg.registry = registry;
    packages.push(pkg);
  }
  return { packages };
}

/** The extras and groups an install command selects (`uv sync --extra cpu`, `poetry install --with ml -E gpu`). */
export function selection(argv: readonly string[]): {
  extras: Set<string> | 'all';
  groups: Set<string> | 'all';
} {
  const extras = new Set<string>();
  const groups = new Set<string>(['dev']);
  let allExtras = false;
  let allGroups = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [opt, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    const value = (): string[] =>
      (inline ?? argv[++i] ?? '')
        .split(/[\s,]+/)
        .filter(Boolean)
        .map(normalizeName);
    if (opt === '--extra' || opt === '--extras' || opt === '-E') for (const v of value()) extras.add(v);
    else if (opt === '--group' || opt === '--with' || opt === '--only-group' || opt === '--only')
      for (const v of value()) groups.add(v);
    else if (opt === '--all-extras') allExtras = true;
    else if (opt === '--all-groups') allGroups = true;
    else if (opt === '--no-dev' || opt === '--only-dev' || opt === '--without') {
      if (opt === '--without') for (const v of value()) groups.delete(v);
      else groups.delete('dev');
    }
  }
  return { extras: allExtras ? 'all' : extras, groups: allGroups ? 'all' : groups };
}

const has = (set: Set<string> | 'all', v: string): boolean => set === 'all' || set.has(v);

/** The dependencies and indexes in force for an install that selects these extras and groups. */
export function inForce(
  info: PyprojectInfo,
  sel: ReturnType<typeof selection>,
  extraArgs: readonly string[] = [],
): { deps: Req[]; indexes: PyIndex[]; conditionalTorch: boolean } {
  const deps = [...info.deps];
  for (const [name, reqs] of info.optional)
    if (has(sel.extras, name) || has(sel.groups, name) || extraArgs.includes(name)) deps.push(...reqs);
  const used = new Set<string>();
  let conditionalTorch = false;
  for (const [pkg, srcs] of info.sources) {
    for (const s of srcs) {
      if (s.extra || s.group) {
        if (/^torch/.test(pkg)) conditionalTorch = true;
        if ((s.extra && has(sel.extras, s.extra)) || (s.group && has(sel.groups, s.group))) used.add(s.index);
      } else used.add(s.index);
    }
  }
  const indexes = info.indexes.filter((ix) => !ix.explicit || (ix.name !== undefined && used.has(ix.name)));
  return { deps, indexes, conditionalTorch };
}
