/**
 * One layer blob of a `docker save` archive, read as it streams by: its gzip size, gunzipped when it
 * came compressed, and its tar parsed into a layer scan.
 */
import zlib from 'node:zlib';
import { createGzipSizer, type GzipMode } from './gzip-size.js';
import { LayerParser, type LayerScan } from './layer-scan.js';

export interface BlobScan extends LayerScan {
  /** Bytes of the uncompressed layer tar. */
  tarBytes: number;
  /** gzip bytes of the layer tar; the blob's own size when it came compressed already. */
  compressedSize: number;
  /** True when the blob in the archive was gzip already (its size is what a registry stores). */
  compressed: boolean;
}

/**
 * Takes a layer blob's bytes: sizes the gzip, gunzips when needed and parses the tar. `write` never
 * throws, so the caller always reads the blob to its end (the archive goes on); `end` reports the
 * first problem with the layer's own bytes.
 */
export class LayerBlobSink {
  private readonly parser = new LayerParser();
  private readonly sizer;
  private readonly gunzip: zlib.Gunzip | undefined;
  private blobBytes = 0;
  private tarBytes = 0;
  private failure: unknown;
  private parsing: Promise<void> | undefined;

  constructor(
    private readonly compressed: boolean,
    mode?: GzipMode,
  ) {
    this.sizer = compressed ? undefined : createGzipSizer(mode);
    if (compressed) {
      const gunzip = zlib.createGunzip();
      this.gunzip = gunzip;
      gunzip.on('error', (error) => this.fail(error));
      gunzip.on('data', (chunk: Buffer) => {
        this.tarBytes += chunk.length;
        const wait = this.parser.write(chunk);
        if (wait) {
          gunzip.pause();
          this.parsing = wait.then(
            () => {
              this.parsing = undefined;
              gunzip.resume();
            },
            (error: unknown) => this.fail(error),
          );
        }
      });
    }
  }

  async write(chunk: Buffer): Promise<void> {
    this.blobBytes += chunk.length;
    if (this.failure) return;
    try {
      if (this.gunzip) {
        if (!this.gunzip.write(chunk)) await this.waitGunzip('drain');
        return;
      }
      this.tarBytes += chunk.length;
      const waitSizer = this.sizer?.write(chunk);
      const waitParser = this.parser.write(chunk);
      if (waitSizer) await waitSizer;
      if (waitParser) await waitParser;
    } catch (error) {
      this.fail(error);
    }
  }

  async end(): Promise<BlobScan> {
    try {
      if (this.gunzip && !this.failure) {
        this.gunzip.end();
        await this.waitGunzip('end');
        while (this.parsing) await this.parsing;
      }
      if (this.failure) throw this.failure;
      const scan = await this.parser.end();
      const compressedSize = this.sizer ? await this.sizer.end() : this.blobBytes;
      return { ...scan, tarBytes: this.tarBytes, compressedSize, compressed: this.compressed };
    } catch (error) {
      this.fail(error);
      throw this.failure;
    }
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    this.parser.destroy();
    this.sizer?.destroy();
    this.gunzip?.destroy();
  }

  private waitGunzip(event: 'drain' | 'end'): Promise<void> {
    const gunzip = this.gunzip!;
    return new Promise((resolve) => {
      const done = (): void => {
        gunzip.off(event, done);
        gunzip.off('close', done);
        resolve();
      };
      gunzip.on(event, done);
      gunzip.on('close', done);
    });
  }
}

/** A layer blob's problem, as the line `layer <path> ...` ends. */
export function describeLayerError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/Unexpected end of data/i.test(message)) return 'is truncated (unexpected end of data)';
  if (/Invalid tar header|Invalid header/i.test(message)) return 'is not a tar archive (invalid tar header)';
  if (/incorrect header check|unexpected end of file/i.test(message))
    return `is not a valid gzip stream (${message})`;
  return `could not be read: ${message.split('\n')[0] ?? message}`;
}
