/**
 * Analyses kept by content, at two grains:
 * - a whole image: the same layers (by their content digests), mapped onto the same Dockerfile
 *   steps, give the same analysis, so a warm rebuild that changed nothing reads nothing;
 * - each layer (`layers()`): its sizes, compressed size, file index and content tally, by the
 *   layer's content-addressed path in `docker save`, so a changed image gunzips, gzips and parses
 *   only its new layers and skips over the others.
 * A cache that cannot be read or written is simply not used. `used()` lists the files this run
 * read or wrote, so a saved copy (GitHub's cache) keeps only those and does not grow without bound.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { ImageAnalysis } from './analyze.js';
import type { BlobScan, LayerScanCache } from './save-archive.js';

/** Bump when a layer's scan changes, so older layer entries are not read. */
const VERSION = 2;
/** Bump when the image analysis made from the scans changes (3: layer lines, wasted-bytes findings; 4: content findings on their steps, with their evidence). */
const ANALYSIS_VERSION = 4;

export class AnalysisCache {
  private readonly touched = new Set<string>();

  constructor(readonly dir: string) {}

  /** The per-layer scans, for `analyzeImage`'s `layers` option. */
  layers(): LayerScanCache {
    const file = (archivePath: string): string =>
      path.join(
        this.dir,
        'layers',
        `${createHash('sha256')
          .update(JSON.stringify([VERSION, archivePath]))
          .digest('hex')}.json`,
      );
    return {
      get: (archivePath) => {
        const scan = this.read<BlobScan>(file(archivePath));
        return scan && Array.isArray(scan.entries?.paths) ? scan : undefined;
      },
      set: (archivePath, scan) => this.write(file(archivePath), scan),
    };
  }

  /** Files (relative to the cache folder) read or written in this run. */
  used(): string[] {
    return [...this.touched].map((file) => path.relative(this.dir, file)).sort();
  }

  /** `content` names what was analysed (the layer digests), `context` how it was read (the steps). */
  key(content: string, context: unknown): string {
    return createHash('sha256')
      .update(JSON.stringify([ANALYSIS_VERSION, content, context]))
      .digest('hex');
  }

  get(key: string): ImageAnalysis | undefined {
    return this.read<ImageAnalysis>(this.file(key));
  }

  set(key: string, analysis: ImageAnalysis): void {
    this.write(this.file(key), analysis);
  }

  private read<T>(file: string): T | undefined {
    try {
      const value = JSON.parse(readFileSync(file, 'utf8')) as T;
      this.touched.add(file);
      return value;
    } catch {
      return undefined;
    }
  }

  private write(file: string, value: unknown): void {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(value));
      renameSync(temp, file);
      this.touched.add(file);
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
