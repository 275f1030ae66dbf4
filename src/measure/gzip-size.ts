/**
 * Counts the bytes a layer tar takes once gzipped, as `docker push` compresses it (gzip, default
 * level 6), without keeping the compressed bytes nor the whole layer in memory.
 *
 * Two ways, chosen by `mode`:
 * - `blocks` (the default): the layer is cut into 1 MiB blocks, each deflated on libuv's thread pool
 *   with the previous block's last 32 KiB as its dictionary (what pigz does), several blocks at once,
 *   so compression runs on every core while the main thread parses tar headers. The sum of the
 *   blocks' sizes is within a few bytes per MiB of one gzip stream.
 * - `stream`: one `zlib.createGzip` stream, compressing on one pool thread at a time.
 * `script/bench/analyze.ts` measures both; blocks won on the 2-core machine (see docs/measure.md).
 */
import zlib from 'node:zlib';

export type GzipMode = 'blocks' | 'stream';

/** gzip level `docker push` uses: Go's `gzip.DefaultCompression`, zlib's 6. */
export const PUSH_GZIP_LEVEL = 6;
const BLOCK_BYTES = 1 << 20;
const DICTIONARY_BYTES = 32 << 10;
/** 10-byte gzip header and 8-byte trailer (CRC-32 and length). */
const GZIP_FRAME_BYTES = 18;
/** Deflate of nothing: one empty final block. */
const EMPTY_DEFLATE_BYTES = 2;

export interface GzipSizer {
  /** Feeds bytes; when a promise comes back, wait for it before the next write (backpressure). */
  write(chunk: Buffer): Promise<void> | undefined;
  /** Flushes and resolves with the gzip size of everything written. */
  end(): Promise<number>;
  /** Stops and frees everything (no result). */
  destroy(): void;
}

export function createGzipSizer(mode: GzipMode = 'blocks', maxInFlight = 4): GzipSizer {
  return mode === 'stream' ? new StreamSizer() : new BlockSizer(maxInFlight);
}

class BlockSizer implements GzipSizer {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private dictionary: Buffer | undefined;
  private inFlight = 0;
  private compressed = 0;
  private blocks = 0;
  private failure: Error | undefined;
  private destroyed = false;
  private wakeUp: (() => void) | undefined;

  constructor(private readonly maxInFlight: number) {}

  write(chunk: Buffer): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(chunk.length - offset, BLOCK_BYTES - this.pendingBytes);
      this.pending.push(
        offset === 0 && take === chunk.length ? chunk : chunk.subarray(offset, offset + take),
      );
      this.pendingBytes += take;
      offset += take;
      if (this.pendingBytes === BLOCK_BYTES) this.dispatch();
    }
    return this.inFlight >= this.maxInFlight ? this.waitBelow(this.maxInFlight) : undefined;
  }

  async end(): Promise<number> {
    if (this.pendingBytes > 0) this.dispatch();
    await this.waitBelow(1);
    if (this.failure) throw this.failure;
    return GZIP_FRAME_BYTES + (this.blocks === 0 ? EMPTY_DEFLATE_BYTES : this.compressed);
  }

  destroy(): void {
    this.destroyed = true;
    this.pending = [];
    this.wakeUp?.();
  }

  private dispatch(): void {
    const block =
      this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    const options: zlib.ZlibOptions = { level: PUSH_GZIP_LEVEL };
    if (this.dictionary) options.dictionary = this.dictionary;
    this.dictionary = block.subarray(Math.max(0, block.length - DICTIONARY_BYTES));
    this.blocks += 1;
    this.inFlight += 1;
    zlib.deflateRaw(block, options, (error, result) => {
      this.inFlight -= 1;
      if (error) this.failure ??= error;
      else this.compressed += result.length;
      this.wakeUp?.();
    });
  }

  private waitBelow(limit: number): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.inFlight < limit || this.destroyed || this.failure) {
          this.wakeUp = undefined;
          resolve();
        } else this.wakeUp = check;
      };
      check();
    });
  }
}

class StreamSizer implements GzipSizer {
  private readonly gzip = zlib.createGzip({ level: PUSH_GZIP_LEVEL });
  private compressed = 0;
  private failure: Error | undefined;

  constructor() {
    this.gzip.on('data', (chunk: Buffer) => {
      this.compressed += chunk.length;
    });
    this.gzip.on('error', (error) => {
      this.failure ??= error;
    });
  }

  write(chunk: Buffer): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    if (this.gzip.write(chunk)) return undefined;
    return new Promise((resolve) => this.gzip.once('drain', resolve));
  }

  end(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.gzip.once('end', () => (this.failure ? reject(this.failure) : resolve(this.compressed)));
      this.gzip.once('error', reject);
      this.gzip.end();
    });
  }

  destroy(): void {
    this.gzip.destroy();
  }
}
