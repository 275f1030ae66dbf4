/**
 * Pure parsers for the Python dependency files a Dockerfile installs from: requirements files
 * (pip's format, with options and `-r`/`-c` includes, environment markers), setup.py's
 * install_requires and conda environment files (pyproject.toml and lock files: python/pyproject.ts).
 * Line-based on purpose: these formats are line-oriented, and every item keeps its line.
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
  if (semi >= 0) {
    // An environment marker that is false on Linux (`; sys_platform == "darwin"`): pip skips the line.
    if (!markerOnLinux(s.slice(semi + 1))) return null;
    s = s.slice(0, semi);
  }
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

/** The values a Linux x86-64 build has for the environment markers that pick a platform. */
const LINUX: Record<string, string> = {
  sys_platform: 'linux',
  platform_system: 'Linux',
  os_name: 'posix',
  platform_machine: 'x86_64',
};

/**
 * Whether a PEP 508 marker holds on a Linux x86-64 build, as far as the platform decides it:
 * `or` of `and`s of comparisons; a comparison of anything else (python_version, extra) holds.
 */
export function markerOnLinux(marker: string): boolean {
  return marker.split(/\s+or\s+/).some((alt) =>
    alt.split(/\s+and\s+/).every((atom) => {
      const m = /^\s*\(?\s*(\w+)\s*(==|!=)\s*["']([^"']*)["']\s*\)?\s*$/.exec(atom);
      if (!m || LINUX[m[1]!] === undefined) return true;
      const eq = LINUX[m[1]!] === m[3];
      return m[2] === '==' ? eq : !eq;
    }),
  );
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
