/**
 * Analyses kept by content: the same layers (by their content digests), mapped onto the same
 * Dockerfile steps, give the same analysis. A warm rebuild that changed nothing does not stream and
 * gzip its layers again. A cache that cannot be read or written is simply not used.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { ImageAnalysis } from './analyze.js';

/** Bump when the analysis itself changes, so older entries are not read. */
const VERSION = 2;

export class AnalysisCache {
  constructor(private readonly dir: string) {}

  /** `content` names what was analysed (the layer digests), `context` how it was read (the steps). */
  key(content: string, context: unknown): string {
    return createHash('sha256')
      .update(JSON.stringify([VERSION, content, context]))
      .digest('hex');
  }

  get(key: string): ImageAnalysis | undefined {
    try {
      return JSON.parse(readFileSync(this.file(key), 'utf8')) as ImageAnalysis;
    } catch {
      return undefined;
    }
  }

  set(key: string, analysis: ImageAnalysis): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      const temp = `${this.file(key)}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(analysis));
      renameSync(temp, this.file(key));
    } catch {
      // a read-only or full disk: the next run analyses again
    }
  }

  private file(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }
}

/** `$XDG_CACHE_HOME/image-budget/analysis`, else `~/.cache/image-budget/analysis`. */
export function defaultAnalysisCacheDir(env: Record<string, string | undefined> = process.env): string {
  return path.join(env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'image-budget', 'analysis');
}
