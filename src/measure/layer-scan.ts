/**
 * Reads one layer tar as it streams past: every entry's path, size and kind (whiteouts and opaque
 * folders included) for the waste replay, and the content tally. File bodies are skipped, never kept.
 */
import { posix } from 'node:path';
import tar, { type Header } from 'tar-stream';
import { ContentTally, type ContentGroup } from './contents.js';
import {
  emptyEntries,
  KIND_DIRECTORY,
  KIND_FILE,
  KIND_OPAQUE,
  KIND_OTHER,
  KIND_WHITEOUT,
  type LayerEntries,
} from './waste.js';

export interface LayerScan {
  entries: LayerEntries;
  /** Regular files and the sum of their sizes. */
  files: number;
  fileBytes: number;
  /** The layer's size as a graph driver counts its diff: file bytes plus each symlink's target length. */
  diffBytes: number;
  contents: ContentGroup[];
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

/** A tar path as a path relative to the image root: no `./`, no leading or trailing slash. */
export function normalizeEntryPath(name: string): string {
  let path = posix.normalize(`/${name}`);
  path = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return path === '.' ? '' : path;
}

/** Writable side of a layer scan: `write` chunks of the layer tar, then `end` for the result. */
export class LayerParser {
  private readonly extract = tar.extract();
  private readonly entries = emptyEntries();
  private readonly tally = new ContentTally();
  private files = 0;
  private fileBytes = 0;
  private linkBytes = 0;
  private failure: Error | undefined;
  private readonly finished: Promise<void>;

  constructor() {
    this.extract.on('entry', (header, stream, next) => {
      try {
        this.onHeader(header);
      } catch (error) {
        this.failure ??= error instanceof Error ? error : new Error(String(error));
      }
      stream.on('error', () => undefined); // the extract reports it
      stream.on('end', () => next());
      stream.resume();
    });
    this.finished = new Promise((resolve, reject) => {
      this.extract.on('finish', () => resolve());
      this.extract.on('error', (error: Error) => {
        this.failure ??= error;
        reject(error);
      });
      this.extract.on('close', () => (this.failure ? reject(this.failure) : resolve()));
    });
    this.finished.catch(() => undefined);
  }

  /** Feeds bytes; when a promise comes back, wait for it before writing more. */
  write(chunk: Buffer): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    if (this.extract.write(chunk)) return undefined;
    return new Promise<void>((resolve, reject) => {
      const done = (): void => {
        this.extract.off('drain', done);
        this.extract.off('close', done);
        if (this.failure) reject(this.failure);
        else resolve();
      };
      this.extract.on('drain', done);
      this.extract.on('close', done);
    });
  }

  async end(): Promise<LayerScan> {
    if (this.failure) throw this.failure;
    this.extract.end(undefined);
    await this.finished;
    if (this.failure) throw this.failure;
    return {
      entries: this.entries,
      files: this.files,
      fileBytes: this.fileBytes,
      diffBytes: this.fileBytes + this.linkBytes,
      contents: this.tally.result(),
    };
  }

  destroy(): void {
    this.extract.destroy();
  }

  private onHeader(header: Header): void {
    const path = normalizeEntryPath(header.name);
    if (!path) return;
    const slash = path.lastIndexOf('/');
    const base = path.slice(slash + 1);
    const { paths, sizes, kinds } = this.entries;
    if (base.startsWith(WHITEOUT)) {
      const folder = path.slice(0, Math.max(slash, 0));
      if (base === OPAQUE) {
        paths.push(folder);
        sizes.push(0);
        kinds.push(KIND_OPAQUE);
      } else if (!base.startsWith(`${WHITEOUT}${WHITEOUT}`)) {
        // `.wh..wh.plnk` and friends are AUFS bookkeeping, not deletions.
        paths.push(folder ? `${folder}/${base.slice(WHITEOUT.length)}` : base.slice(WHITEOUT.length));
        sizes.push(0);
        kinds.push(KIND_WHITEOUT);
      }
      return;
    }
    paths.push(path);
    if (header.type === 'file' || header.type === 'contiguous-file' || !header.type) {
      const size = header.size ?? 0;
      sizes.push(size);
      kinds.push(KIND_FILE);
      this.files += 1;
      this.fileBytes += size;
      this.tally.addFile(path, size);
    } else {
      if (header.type === 'symlink') this.linkBytes += Buffer.byteLength(header.linkname ?? '');
      sizes.push(0);
      kinds.push(header.type === 'directory' ? KIND_DIRECTORY : KIND_OTHER);
    }
  }
}
