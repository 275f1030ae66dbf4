/**
 * The filesystem adapter for files a stranger may have written (a pull request's Dockerfiles,
 * compose files, configs, requirements, .dockerignore, a fork's report): every read is bounded by
 * a byte cap counted while reading (never by `st.size`, which is 0 for a device), refuses what is
 * not a regular file, and stays inside a root folder with symlinks followed.
 */
import { closeSync, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from './errors.js';
import { relativePath } from './paths.js';

/** The default cap: far above any real Dockerfile, compose file or config (bytes). */
export const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

export interface ReadOptions {
  /** Refuse files larger than this many bytes (default DEFAULT_MAX_BYTES). */
  maxBytes?: number;
  /**
   * The folder the file must stay inside once symlinks are resolved (the repository root or the
   * build context). Without it, any regular file is read (paths the user gave on the command line).
   */
  root?: string;
  /** How the file is named in messages (default: relative to `root`, else as given). */
  display?: string;
}

/** True when `child` (already resolved) is `parent` or below it. */
export function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function realRoot(root: string): string {
  try {
    return realpathSync(root);
  } catch {
    return path.resolve(root);
  }
}

/**
 * Resolves `file` with symlinks followed and checks that it stays inside `root`. Returns the real
 * path, or throws a UserError ("x points outside the repository") that quotes nothing of the file.
 * A file that does not exist yet is checked by its nearest existing parent.
 */
export function resolveInside(root: string, file: string, display?: string): string {
  const absolute = path.resolve(root, file);
  const base = realRoot(root);
  const shown = display ?? relativeOrGiven(root, absolute, file);
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch {
    // Not there (yet): check the nearest parent that exists, so `../x` is still refused.
    let parent = path.dirname(absolute);
    let rest = path.basename(absolute);
    for (;;) {
      try {
        real = path.join(realpathSync(parent), rest);
        break;
      } catch {
        const up = path.dirname(parent);
        if (up === parent) {
          real = absolute;
          break;
        }
        rest = path.join(path.basename(parent), rest);
        parent = up;
      }
    }
  }
  if (!isInside(base, real)) throw new UserError('points outside the repository', shown);
  return real;
}

function relativeOrGiven(root: string, absolute: string, given: string): string {
  const relative = relativePath(root, absolute);
  return relative.startsWith('..') || path.isAbsolute(relative) ? given : relative;
}

/** The cap as the one-line messages of this module say it (1024-based, as `ls -h`). */
function capText(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : `${bytes} bytes`;
}

/**
 * Reads at most `maxBytes` bytes of a regular file. Throws a UserError naming the file when it is
 * missing, not a regular file (device, FIFO, socket, folder), larger than the cap, or (with
 * `root`) outside the root.
 */
export function readBounded(file: string, options: ReadOptions = {}): Buffer {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const shown =
    options.display ??
    (options.root ? relativeOrGiven(options.root, path.resolve(options.root, file), file) : file);
  const target = options.root ? resolveInside(options.root, file, shown) : path.resolve(file);
  let st;
  try {
    st = statSync(target);
  } catch {
    throw new UserError('file not found', shown);
  }
  if (st.isDirectory()) throw new UserError('is a folder, not a file', shown);
  if (!st.isFile()) throw new UserError('is not a regular file (a device, FIFO or socket): not read', shown);
  let fd: number;
  try {
    fd = openSync(target, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new UserError(`cannot be read (${code})`, shown);
  }
  try {
    // The file may have changed between stat and open: check the open descriptor too.
    if (!fstatSync(fd).isFile()) throw new UserError('is not a regular file: not read', shown);
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.allocUnsafe(64 * 1024);
    for (;;) {
      const want = Math.min(chunk.length, maxBytes + 1 - total);
      const n = readSync(fd, chunk, 0, want, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw new UserError(`is larger than ${capText(maxBytes)}: not read`, shown);
      chunks.push(Buffer.from(chunk.subarray(0, n)));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** `readBounded` decoded as UTF-8 text, a leading byte-order mark dropped. */
export function readTextBounded(file: string, options: ReadOptions = {}): string {
  const text = readBounded(file, options).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
