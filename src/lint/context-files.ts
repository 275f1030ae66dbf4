/**
 * The lint's only I/O: reading the Dockerfile and the files it pulls in (requirements, scripts,
 * pyproject, pip.conf, .dockerignore) and listing a build context. Everything else in src/lint is a
 * pure function of what this module returns. Reads are memoised per `ContextFiles` instance (one
 * per lint target), never across targets.
 */
import { readdirSync, statSync, lstatSync } from 'node:fs';
import path from 'node:path';
import { formatBytes } from '../report/format.js';
import { UserError } from '../util/errors.js';
import { isInside, readBounded } from '../util/read-file.js';

/** Files larger than this are not read (a Dockerfile or requirements file is never this large). */
export const MAX_TEXT_BYTES = 1024 * 1024;

export type ReadResult =
  | { ok: true; text: string }
  | {
      ok: false;
      reason:
        | 'missing'
        | 'directory'
        | 'too-large'
        | 'binary'
        | 'not-utf8'
        | 'unreadable'
        /** A path (`..`, absolute, a symlink) that leaves the build context or the repository. */
        | 'outside'
        /** A device, FIFO or socket. */
        | 'not-regular';
      detail?: string;
      line?: number;
    };

export interface ContextEntry {
  /** POSIX path relative to the context. */
  path: string;
  dir: boolean;
}

export interface ContextListing {
  entries: ContextEntry[];
  /** True when the walk stopped at its entry limit. */
  truncated: boolean;
  /** Size in bytes of a file entry (read lazily: only a finding's message needs it). */
  size(entry: ContextEntry): number;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decode bytes as UTF-8 text; a NUL byte or an invalid sequence is a typed failure naming the line. */
export function decodeText(bytes: Uint8Array): ReadResult {
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { ok: false, reason: 'binary', line: lineAt(bytes, nul) };
  try {
    let text = decoder.decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { ok: true, text };
  } catch {
    return { ok: false, reason: 'not-utf8', line: firstInvalidUtf8Line(bytes) };
  }
}

function lineAt(bytes: Uint8Array, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (bytes[i] === 10) line++;
  return line;
}

function firstInvalidUtf8Line(bytes: Uint8Array): number {
  let line = 1;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 10) line++;
    if (b < 0x80) continue;
    const need = b >= 0xf0 && b < 0xf8 ? 3 : b >= 0xe0 ? 2 : b >= 0xc2 && b < 0xe0 ? 1 : -1;
    if (need < 0) return line;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return line;
    }
    i += need;
  }
  return line;
}

/** util/read-file's one-line refusals, as the lint's typed reasons. */
function refusal(message: string, maxBytes: number): ReadResult {
  if (/outside the repository/.test(message)) return { ok: false, reason: 'outside' };
  if (/not found/.test(message)) return { ok: false, reason: 'missing' };
  if (/is a folder/.test(message)) return { ok: false, reason: 'directory' };
  if (/not a regular file/.test(message)) return { ok: false, reason: 'not-regular' };
  if (/larger than/.test(message))
    return { ok: false, reason: 'too-large', detail: `over ${formatBytes(maxBytes)}` };
  return { ok: false, reason: 'unreadable', detail: message };
}

type StatInfo = { dir: boolean; size: number } | null;

export class ContextFiles {
  /**
   * @param root the repository root: nothing outside it is read.
   * @param context the build context: a file lexically inside it must also resolve inside it.
   */
  constructor(
    private readonly root?: string,
    private readonly context?: string,
  ) {}

  private readonly cache = new Map<string, ReadResult>();
  private readonly listings = new Map<string, ContextListing>();
  private readonly stats = new Map<string, StatInfo>();

  private stat(file: string): StatInfo {
    let s = this.stats.get(file);
    if (s === undefined) {
      const st = statSync(file, { throwIfNoEntry: false });
      s = st ? { dir: st.isDirectory(), size: st.size } : null;
      this.stats.set(file, s);
    }
    return s;
  }

  /** Read a text file (absolute path), bounded and inside the context or the repository. */
  read(file: string, maxBytes = MAX_TEXT_BYTES): ReadResult {
    const hit = this.cache.get(file);
    if (hit) return hit;
    const result = this.readUncached(file, maxBytes);
    this.cache.set(file, result);
    return result;
  }

  private readUncached(file: string, maxBytes: number): ReadResult {
    // Most lookups are of files that are not there (locks, a per-Dockerfile .dockerignore): a cached
    // stat answers those without the bounded reader's path resolution.
    const st = this.exists(file) ? this.stat(file) : null;
    if (!st) return { ok: false, reason: 'missing' };
    if (st.dir) return { ok: false, reason: 'directory' };
    const root =
      this.context && isInside(path.resolve(this.context), path.resolve(file)) ? this.context : this.root;
    try {
      // Absolute: the bounded reader resolves a relative path against the root, not the working folder.
      return decodeText(readBounded(path.resolve(file), root ? { root, maxBytes } : { maxBytes }));
    } catch (error) {
      if (error instanceof UserError) return refusal(error.message, maxBytes);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR' || code === 'ENOENT') return { ok: false, reason: 'missing' };
      return { ok: false, reason: 'unreadable', detail: code ?? String(error) };
    }
  }

  exists(file: string): boolean {
    try {
      return this.stat(file) !== null;
    } catch {
      return false;
    }
  }

  isDirectory(file: string): boolean {
    try {
      return this.stat(file)?.dir ?? false;
    } catch {
      return false;
    }
  }

  /** Every file and folder under `dir` (not following symlinks), at most `limit` entries. */
  list(dir: string, limit = 50_000): ContextListing {
    const hit = this.listings.get(dir);
    if (hit) return hit;
    const entries: ContextEntry[] = [];
    let truncated = false;
    const walk = (abs: string, rel: string): void => {
      let names: import('node:fs').Dirent[];
      try {
        names = readdirSync(abs, { withFileTypes: true });
      } catch {
        return;
      }
      for (const d of names) {
        if (entries.length >= limit) {
          truncated = true;
          return;
        }
        const relPath = rel ? `${rel}/${d.name}` : d.name;
        const absPath = path.join(abs, d.name);
        if (d.isDirectory()) {
          entries.push({ path: relPath, dir: true });
          walk(absPath, relPath);
        } else if (d.isFile()) {
          entries.push({ path: relPath, dir: false });
        }
      }
    };
    walk(dir, '');
    const sizes = new Map<string, number>();
    const listing: ContextListing = {
      entries,
      truncated,
      size(entry) {
        if (entry.dir) return 0;
        let n = sizes.get(entry.path);
        if (n === undefined) {
          try {
            n = lstatSync(path.join(dir, entry.path)).size;
          } catch {
            n = 0;
          }
          sizes.set(entry.path, n);
        }
        return n;
      },
    };
    this.listings.set(dir, listing);
    return listing;
  }
}

/** Names of Dockerfiles: `Dockerfile`, `Containerfile`, `*.Dockerfile`, `Dockerfile.*` (not `*.dockerignore`). */
export function isDockerfileName(name: string): boolean {
  const lower = name.toLowerCase();
  if (lower.endsWith('.dockerignore')) return false;
  return (
    lower === 'dockerfile' ||
    lower === 'containerfile' ||
    lower.endsWith('.dockerfile') ||
    lower.startsWith('dockerfile.')
  );
}

const SKIP_DIRS = new Set(['node_modules', '.git']);

/** Dockerfiles under the given paths: files as given, folders walked (skipping node_modules, .git). */
export function findDockerfiles(paths: string[]): string[] {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    let names: import('node:fs').Dirent[];
    try {
      names = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of names) {
      const abs = path.join(dir, d.name);
      if (d.isDirectory()) {
        if (!SKIP_DIRS.has(d.name)) walk(abs);
      } else if (d.isFile() && isDockerfileName(d.name)) {
        found.add(abs);
      }
    }
  };
  for (const p of paths) {
    const abs = path.resolve(p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      continue;
    }
    if (st.isDirectory()) walk(abs);
    else if (st.isFile()) found.add(abs);
  }
  return [...found].sort();
}
