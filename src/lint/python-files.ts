/**
 * Pure parsers for the Python dependency files a Dockerfile installs from: requirements files
 * (pip's format, with options and `-r`/`-c` includes), pyproject.toml (PEP 621 and Poetry, plus
 * index URLs anywhere in it), setup.py's install_requires and conda environment files.
 * Line-based on purpose: fast, tolerant of files that would not parse, and every item keeps its line.
 */

export interface Req {
  /** PEP 503-normalised name. */
  name: string;
  extras: string[];
  /** The version specifier (`==2.3.0+cpu`), or the version part of a wheel file name or URL. */
  spec: string;
  url?: string;
  raw: string;
  line: number;
  column: number;
  endColumn: number;
}

export type ReqOptionKind =
  | 'index-url'
  | 'extra-index-url'
  | 'find-links'
  | 'requirement'
  | 'constraint'
  | 'editable'
  | 'no-index'
  | 'other';

export interface ReqOption {
  kind: ReqOptionKind;
  value: string;
  line: number;
  column: number;
  endColumn: number;
}

export interface ReqFile {
  reqs: Req[];
  options: ReqOption[];
}

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

const NAME_RE = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?\s*(.*)$/s;
const WHEEL_RE = /(?:^|\/)([A-Za-z0-9_.]+?)-(\d[^-]*?)(?:-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$/;

/** Parse one requirement specifier (`torch==2.3.0+cpu`, `TTS[all]>=0.22; python_version<"3.12"`, a URL or wheel). */
export function parseRequirement(text: string): Omit<Req, 'line' | 'column' | 'endColumn' | 'raw'> | null {
  let s = text.trim();
  if (!s) return null;
  const decoded = s.replace(/%2B/gi, '+');
  const wheel = WHEEL_RE.exec(decoded.split(/[?#]/)[0]!);
  if (/^(?:[a-z+]+:\/\/|\.{0,2}\/|[\w.-]+\.whl$)/i.test(s) || s.startsWith('git+')) {
    if (wheel) return { name: normalizeName(wheel[1]!), extras: [], spec: `==${wheel[2]}`, url: decoded };
    const egg = /[#&]egg=([A-Za-z0-9._-]+)/.exec(s);
    if (egg) return { name: normalizeName(egg[1]!), extras: [], spec: '', url: decoded };
    return null;
  }
  const semi = s.search(/;\s*[a-z_(]/i);
  if (semi >= 0) s = s.slice(0, semi);
  const m = NAME_RE.exec(s.trim());
  if (!m) return null;
  const rest = (m[3] ?? '').trim();
  if (rest && !/^(?:[<>=!~@(]|$)/.test(rest)) return null;
  const out: Omit<Req, 'line' | 'column' | 'endColumn' | 'raw'> = {
    name: normalizeName(m[1]!),
    extras: (m[2] ?? '')
      .split(',')
      .map((e) => normalizeName(e.trim()))
      .filter(Boolean),
    spec: rest.replace(/\s+/g, ''),
  };
  if (rest.startsWith('@')) {
    const url = rest.slice(1).trim().replace(/%2B/gi, '+');
    out.url = url;
    const w = WHEEL_RE.exec(url.split(/[?#]/)[0]!);
    out.spec = w ? `==${w[2]}` : '';
  }
  return out;
}

export type TorchVariant = 'cpu' | 'cuda' | 'rocm';

/** The build a torch requirement pins: `+cpu`, `+cu121`, a wheel URL under `/whl/cpu/`. */
export function torchVariant(req: { spec: string; url?: string }): TorchVariant | undefined {
  const s = `${req.spec} ${req.url ?? ''}`.toLowerCase();
  if (/\+cpu\b|\/whl\/(?:nightly\/)?cpu\b/.test(s)) return 'cpu';
  if (/\+cu\d|\/whl\/(?:nightly\/)?cu\d/.test(s)) return 'cuda';
  if (/\+rocm|\/whl\/(?:nightly\/)?rocm/.test(s)) return 'rocm';
  return undefined;
}

export type IndexKind = 'cpu' | 'cuda' | 'rocm' | 'other';

/** What a package index or find-links URL serves for torch. */
export function classifyIndex(url: string): IndexKind {
  const u = url.toLowerCase();
  if (/\/whl\/(?:nightly\/|test\/)?cpu(?:[-/._]|$)/.test(u)) return 'cpu';
  if (/\/whl\/(?:nightly\/|test\/)?cu\d+/.test(u)) return 'cuda';
  if (/\/whl\/(?:nightly\/|test\/)?rocm/.test(u)) return 'rocm';
  return 'other';
}

const OPTION_KINDS: Record<string, ReqOptionKind> = {
  '-i': 'index-url',
  '--index-url': 'index-url',
  '--extra-index-url': 'extra-index-url',
  '-f': 'find-links',
  '--find-links': 'find-links',
  '-r': 'requirement',
  '--requirement': 'requirement',
  '-c': 'constraint',
  '--constraint': 'constraint',
  '-e': 'editable',
  '--editable': 'editable',
  '--no-index': 'no-index',
};

/** Parse a pip requirements file. */
export function parseRequirements(text: string): ReqFile {
  const reqs: Req[] = [];
  const options: ReqOption[] = [];
  const lines = text.split(/\r?\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const startLine = i + 1;
    let line = lines[i]!;
    // Continuations.
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + ' ' + lines[++i];
    const hash = line.search(/(^|\s)#/);
    if (hash >= 0) line = line.slice(0, hash);
    const lead = line.length - line.trimStart().length;
    const content = line.trim();
    if (!content) continue;
    if (content.startsWith('-')) {
      const m = /^(--?[A-Za-z][\w-]*)(?:\s*=\s*|\s+)?(.*)$/.exec(content);
      if (!m) continue;
      const kind = OPTION_KINDS[m[1]!] ?? 'other';
      const value = (m[2] ?? '').trim().split(/\s+/)[0] ?? '';
      const col = lead + 1;
      if (kind === 'editable') {
        const r = parseRequirement(value);
        if (r) reqs.push({ ...r, raw: value, line: startLine, column: col, endColumn: col + content.length });
      }
      options.push({ kind, value, line: startLine, column: col, endColumn: col + content.length });
      continue;
    }
    // Drop per-requirement options (`--hash=...`).
    const spec = content.replace(/\s--[\w-]+(?:[=\s]\S+)?/g, '').trim();
    const r = parseRequirement(spec);
    if (r)
      reqs.push({ ...r, raw: spec, line: startLine, column: lead + 1, endColumn: lead + 1 + content.length });
  }
  return { reqs, options };
}

export interface PyprojectInfo {
  deps: Req[];
  optional: Map<string, Req[]>;
  /** Every index/source URL in the file (`[[tool.uv.index]]`, `[[tool.poetry.source]]`, ...). */
  indexUrls: { url: string; line: number }[];
  /** `[tool.setuptools.dynamic] dependencies = {file = [...]}`. */
  dynamicFiles: string[];
}

/** Dependencies and index URLs of a pyproject.toml, line by line. */
export function parsePyproject(text: string): PyprojectInfo {
  const info: PyprojectInfo = { deps: [], optional: new Map(), indexUrls: [], dynamicFiles: [] };
  const lines = text.split(/\r?\n|\r/);
  let table = '';
  let collecting: Req[] | null = null;
  const stringsIn = (s: string, lineNo: number, into: Req[]): void => {
    const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(s))) {
      const raw = m[1] ?? m[2] ?? '';
      const r = parseRequirement(raw);
      if (r) into.push({ ...r, raw, line: lineNo, column: m.index + 2, endColumn: m.index + 2 + raw.length });
    }
  };
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i]!.replace(/\s#.*$/, '');
    const t = line.trim();
    if (collecting) {
      const close = t.indexOf(']');
      stringsIn(close >= 0 ? line.slice(0, line.indexOf(']')) : line, lineNo, collecting);
      if (close >= 0 && !/^\s*["']/.test(t.slice(close))) collecting = null;
      continue;
    }
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?$/.exec(t);
    if (header) {
      table = header[1]!.replace(/\s+/g, '');
      continue;
    }
    for (const m of t.matchAll(/https?:\/\/[^\s"'}]+/g)) {
      if (/\burl\b|index|source|find-links/i.test(t)) info.indexUrls.push({ url: m[0], line: lineNo });
    }
    const kv = /^([A-Za-z0-9_."-]+)\s*=\s*(.*)$/.exec(t);
    if (!kv) continue;
    const key = kv[1]!.replace(/"/g, '');
    const value = kv[2]!;
    let target: Req[] | null = null;
    if (table === 'project' && key === 'dependencies') target = info.deps;
    else if (table === 'project.optional-dependencies' || table === 'dependency-groups') {
      target = info.optional.get(normalizeName(key)) ?? [];
      info.optional.set(normalizeName(key), target);
    } else if (/^tool\.poetry(?:\.group\.[^.]+)?\.dependencies$/.test(table) && key !== 'python') {
      const col = lines[i]!.indexOf(kv[1]!) + 1;
      const ver = /^"([^"]*)"/.exec(value)?.[1] ?? /version\s*=\s*"([^"]*)"/.exec(value)?.[1] ?? '';
      const spec = ver && /^\d/.test(ver) ? `==${ver}` : ver;
      info.deps.push({
        name: normalizeName(key),
        extras: [],
        spec,
        raw: t,
        line: lineNo,
        column: col,
        endColumn: col + t.length,
      });
      continue;
    } else if (table === 'tool.setuptools.dynamic' && key === 'dependencies') {
      for (const f of value.matchAll(/"([^"]+)"|'([^']+)'/g)) info.dynamicFiles.push(f[1] ?? f[2]!);
      continue;
    }
    if (!target) continue;
    if (value.startsWith('[')) {
      const inner = value.slice(1);
      const close = inner.lastIndexOf(']');
      const offset = lines[i]!.indexOf(value) + 1;
      stringsIn(' '.repeat(offset) + (close >= 0 ? inner.slice(0, close) : inner), lineNo, target);
      if (close < 0) collecting = target;
    }
  }
  return info;
}

/** `install_requires=[...]` strings in a setup.py. */
export function parseSetupPy(text: string): Req[] {
  const out: Req[] = [];
  const start = text.search(/install_requires\s*=\s*\[/);
  if (start < 0) return out;
  const end = text.indexOf(']', start);
  const chunk = text.slice(start, end < 0 ? undefined : end);
  let line = text.slice(0, start).split('\n').length;
  let lastIdx = 0;
  for (const m of chunk.matchAll(/"([^"]*)"|'([^']*)'/g)) {
    line += chunk.slice(lastIdx, m.index).split('\n').length - 1;
    lastIdx = m.index;
    const raw = m[1] ?? m[2] ?? '';
    const r = parseRequirement(raw);
    if (r) out.push({ ...r, raw, line, column: 1, endColumn: 1 + raw.length });
  }
  return out;
}

export interface CondaEnv {
  channels: { name: string; line: number }[];
  deps: { name: string; spec: string; line: number; column: number }[];
  pip: ReqFile;
}

/** A conda environment.yml, line by line: channels, conda dependencies, the `pip:` section. */
export function parseCondaEnv(text: string): CondaEnv {
  const env: CondaEnv = { channels: [], deps: [], pip: { reqs: [], options: [] } };
  const lines = text.split(/\r?\n|\r/);
  let section = '';
  let pipIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\s#.*$/, '');
    if (!raw.trim() || raw.trim().startsWith('#')) continue;
    const indent = raw.length - raw.trimStart().length;
    const top = /^([A-Za-z_]+):/.exec(raw);
    if (top) {
      section = top[1]!;
      pipIndent = -1;
      continue;
    }
    const item = /^(\s*)-\s*(.+?)\s*$/.exec(raw);
    if (!item) continue;
    const value = item[2]!.replace(/^["']|["']$/g, '');
    if (pipIndent >= 0 && indent > pipIndent) {
      const col = raw.indexOf(value) + 1;
      const parsed = parseRequirements(value);
      for (const r of parsed.reqs)
        env.pip.reqs.push({ ...r, line: i + 1, column: col, endColumn: col + value.length });
      for (const o of parsed.options)
        env.pip.options.push({ ...o, line: i + 1, column: col, endColumn: col + value.length });
      continue;
    }
    pipIndent = -1;
    if (section === 'channels') env.channels.push({ name: value, line: i + 1 });
    else if (section === 'dependencies') {
      if (/^pip:\s*$/.test(value)) {
        pipIndent = indent;
        continue;
      }
      const m = /^(?:([\w.-]+)::)?([A-Za-z0-9_.-]+)\s*(.*)$/.exec(value);
      if (m)
        env.deps.push({
          name: normalizeName(m[2]!),
          spec: `${m[1] ? `${m[1]}::` : ''}${m[3] ?? ''}`,
          line: i + 1,
          column: raw.indexOf(value) + 1,
        });
    }
  }
  return env;
}
