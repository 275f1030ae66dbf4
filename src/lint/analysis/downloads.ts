/**
 * Pure recognisers of model downloads, over the knowledge base in knowledge/downloaders.ts: a
 * command line (argv after substitution), a URL, or Python code.
 */
import path from 'node:path';
import {
  CLI_DOWNLOADERS,
  DOWNLOAD_URLS,
  GIT_CLONE_VALUE_OPTIONS,
  GIT_DOWNLOADERS,
  GIT_LFS_SETUP,
  GIT_VALUE_OPTIONS,
  MODEL_FOLDER,
  MODEL_GIT_HOSTS,
  MODULE_DOWNLOADERS,
  PYTHON_DOWNLOAD_CALLS,
  TRANSFORMERS_IMPORT,
  TRANSFORMERS_PIPELINE,
  WEIGHT_EXTENSIONS,
} from '../knowledge/downloaders.js';

/** A URL of model weights: a weight file type, or a host/path shape that serves models. */
export function isWeightUrl(a: string): boolean {
  return weightUrlKind(a) !== undefined;
}

/** What a URL downloads, when it is a model download. */
export function weightUrlKind(a: string): string | undefined {
  if (!/^(?:https?|s3|gs):\/\//i.test(a)) return undefined;
  const shape = DOWNLOAD_URLS.find((u) => u.pattern.test(a));
  if (shape) return shape.what;
  const p = a.split(/[?#]/)[0]!.toLowerCase();
  return WEIGHT_EXTENSIONS.some((e) => p.endsWith(e)) ? 'model weights' : undefined;
}

/** Shorten a URL for a message, with any `user:password@` masked. */
export function shortUrl(u: string): string {
  const masked = maskUserinfo(u);
  return masked.length > 80 ? `${masked.slice(0, 77)}…` : masked;
}

/** `https://user:token@host/...` → `https://***@host/...`: credentials are never quoted. */
export function maskUserinfo(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@'"]+@/gi, '$1***@');
}

export interface ArgvDownload {
  /** Word index the finding points at. */
  index: number;
  what: string;
}

const FETCHERS = new Set(['wget', 'curl', 'aria2c', 'axel']);

/** Where a command runs, for the commands whose download depends on it (git). */
export interface CommandContext {
  /** Git LFS is set up (`git lfs install`) and not skipped: a clone fetches the large files. */
  lfs: boolean;
  /** The working directory (WORKDIR). */
  cwd: string;
}

/** A download by a command line (its basename first), per the knowledge base. */
export function argvDownload(argv: readonly string[], ctx?: CommandContext): ArgvDownload | undefined {
  const base = path.posix.basename(argv[0] ?? '');
  for (const d of CLI_DOWNLOADERS) {
    if (d.command !== base) continue;
    if (d.sub && !d.sub.includes(argv[1] ?? '')) continue;
    if (d.needs && !argv.some((a) => a === d.needs || a.startsWith(`${d.needs}=`))) continue;
    return { index: 0, what: d.what };
  }
  const git = gitDownload(argv, ctx);
  if (git) return git;
  if (FETCHERS.has(base)) {
    for (let k = 1; k < argv.length; k++) {
      const kind = weightUrlKind(argv[k]!);
      if (kind) return { index: k, what: `\`${base}\` downloads ${kind} (\`${shortUrl(argv[k]!)}\`)` };
    }
  }
  return undefined;
}

/** Where git's sub-command starts, after git's own options (`git -C /x clone …`: 3); undefined: not git. */
function gitSub(argv: readonly string[]): number | undefined {
  if (path.posix.basename(argv[0] ?? '') !== 'git') return undefined;
  let i = 1;
  while (i < argv.length && argv[i]!.startsWith('-')) i += GIT_VALUE_OPTIONS.includes(argv[i]!) ? 2 : 1;
  return i;
}

const startsWith = (argv: readonly string[], at: number, words: readonly string[]): boolean =>
  words.every((w, k) => argv[at + k] === w);

/**
 * `git lfs install`: true when it sets up the download of large files on clone, false with
 * `--skip-smudge` (or for `git lfs uninstall`); undefined for any other command.
 */
export function gitLfsSetup(argv: readonly string[]): boolean | undefined {
  const at = gitSub(argv);
  if (at === undefined) return undefined;
  if (startsWith(argv, at, ['lfs', 'uninstall'])) return false;
  if (!startsWith(argv, at, GIT_LFS_SETUP.sub)) return undefined;
  return !argv.includes(GIT_LFS_SETUP.skip);
}

/** A value of `GIT_LFS_SKIP_SMUDGE` that skips the download (git-lfs reads it as a boolean). */
export function skipsSmudge(value: string | null | undefined): boolean {
  return !!value && !/^(?:0|false|no|off)$/i.test(value.trim());
}

/** The repository and folder words of `git clone [options] <repo> [<dir>]`, as argv indexes. */
function cloneOperands(argv: readonly string[], from: number): { repo?: number; dir?: number } {
  const operands: number[] = [];
  for (let i = from; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      for (let k = i + 1; k < argv.length; k++) operands.push(k);
      break;
    }
    if (a.startsWith('-') && a.length > 1) {
      if (GIT_CLONE_VALUE_OPTIONS.includes(a)) i++;
      continue;
    }
    operands.push(i);
  }
  const out: { repo?: number; dir?: number } = {};
  if (operands[0] !== undefined) out.repo = operands[0];
  if (operands[1] !== undefined) out.dir = operands[1];
  return out;
}

/** A git command that fetches model weights or data, per the knowledge base. */
function gitDownload(argv: readonly string[], ctx: CommandContext | undefined): ArgvDownload | undefined {
  const at = gitSub(argv);
  if (at === undefined) return undefined;
  for (const d of GIT_DOWNLOADERS) {
    if (!startsWith(argv, at, d.sub)) continue;
    if (d.when === 'always') return { index: 0, what: d.what };
    const { repo, dir } = cloneOperands(argv, at + d.sub.length);
    if (d.when === 'model-host') {
      // Any word on a model hub: the repository, or a URL an option we do not know hides.
      const k = argv.findIndex((a, i) => i > at && MODEL_GIT_HOSTS.test(a));
      if (k > 0) return { index: k, what: d.what };
    } else if (d.when === 'lfs') {
      if (ctx?.lfs) return { index: repo ?? 0, what: d.what };
    } else if (ctx) {
      // The folder the clone lands in: the one named, else a new one in the working directory.
      const into = dir !== undefined ? path.posix.resolve(ctx.cwd, argv[dir]!) : ctx.cwd;
      if (MODEL_FOLDER.test(into)) return { index: dir ?? repo ?? 0, what: d.what };
    }
  }
  return undefined;
}

/** `python -m <module> ...`: a downloading module, per the knowledge base. */
export function moduleDownload(module: string, rest: readonly string[]): string | undefined {
  for (const d of MODULE_DOWNLOADERS) {
    if (d.module !== module) continue;
    if (d.sub && !rest.some((a) => d.sub!.includes(a))) continue;
    return d.what;
  }
  return undefined;
}

/** The first model-download call in Python code, skipping comment lines. */
export function scanPython(code: string): { offset: number; what: string } | undefined {
  let best: { offset: number; what: string } | undefined;
  const stripped = code.replace(/^[ \t]*#.*$/gm, (m) => ' '.repeat(m.length));
  for (const { pattern, what, requires } of PYTHON_DOWNLOAD_CALLS) {
    if (requires && !requires.test(stripped)) continue;
    const m = pattern.exec(stripped);
    if (m && (!best || m.index < best.offset)) best = { offset: m.index, what };
  }
  if (TRANSFORMERS_IMPORT.test(stripped)) {
    const m = TRANSFORMERS_PIPELINE.exec(stripped);
    if (m && (!best || m.index < best.offset))
      best = { offset: m.index, what: '`pipeline(` from transformers downloads a model' };
  }
  return best;
}
