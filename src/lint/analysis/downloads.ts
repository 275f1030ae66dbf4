/**
 * Pure recognisers of model downloads, over the knowledge base in knowledge/downloaders.ts: a
 * command line (argv after substitution), a URL, or Python code.
 */
import path from 'node:path';
import {
  CLI_DOWNLOADERS,
  DOWNLOAD_URLS,
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

/** A download by a command line (its basename first), per the knowledge base. */
export function argvDownload(argv: readonly string[]): ArgvDownload | undefined {
  const base = path.posix.basename(argv[0] ?? '');
  for (const d of CLI_DOWNLOADERS) {
    if (d.command !== base) continue;
    if (d.sub && !d.sub.includes(argv[1] ?? '')) continue;
    if (d.needs && !argv.some((a) => a === d.needs || a.startsWith(`${d.needs}=`))) continue;
    return { index: 0, what: d.what };
  }
  if (base === 'git' && argv[1] === 'lfs' && (argv[2] === 'pull' || argv[2] === 'fetch'))
    return { index: 0, what: '`git lfs pull` fetches large files (model weights)' };
  if (base === 'git' && argv[1] === 'clone') {
    const k = argv.findIndex((a, i) => i > 1 && MODEL_GIT_HOSTS.test(a));
    if (k > 0) return { index: k, what: '`git clone` of a model repository' };
  }
  if (FETCHERS.has(base)) {
    for (let k = 1; k < argv.length; k++) {
      const kind = weightUrlKind(argv[k]!);
      if (kind) return { index: k, what: `\`${base}\` downloads ${kind} (\`${shortUrl(argv[k]!)}\`)` };
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
