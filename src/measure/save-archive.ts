/**
 * The core of the image analysis, testable without an engine: reads a `docker save` archive as a
 * stream, never writing it to disk, and measures every layer in it.
 *
 * Both layouts are read: the legacy one (`<id>/layer.tar`, `<id>.json` config, docker ≤ 24) and the
 * OCI one (`blobs/sha256/<digest>`, docker ≥ 25, where `<id>/layer.tar` may be a symlink to a blob).
 * Entries can come in any order (layers often before manifest.json), so each blob's result is kept
 * by its path in the archive and the layer order is resolved from manifest.json (or index.json) at
 * the end. A layer blob may be an uncompressed tar or a gzip one (containerd image store).
 */
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import tar, { type Extract } from 'tar-stream';
import { isUserError, UserError } from '../util/errors.js';
import type { GzipMode } from './gzip-size.js';
import { describeLayerError, LayerBlobSink, type BlobScan } from './layer-blob.js';
import { normalizeEntryPath } from './layer-scan.js';

export type { BlobScan } from './layer-blob.js';

export interface HistoryEntry {
  createdBy: string;
  emptyLayer: boolean;
}

export interface SavedImage {
  /** The layers, bottom first, as the manifest lists them. */
  layers: (BlobScan & { path: string })[];
  /** The image config's history (one entry per instruction, empty layers included), when found. */
  history?: HistoryEntry[];
  repoTags: string[];
  /** How many of the archive's layer blobs came from the layer cache (skipped over, not read). */
  reusedLayers: number;
}

export interface ScanOptions {
  signal?: AbortSignal;
  gzip?: GzipMode;
  /**
   * The platform to read from a multi-platform OCI index (`linux/arm64`, `linux/arm/v7`): the host's
   * (`hostPlatform()`) unless given.
   */
  platform?: string;
  /**
   * Scans of layers already read, by their path in the archive (content-addressed: a blob's digest
   * in the OCI layout, the layer's v1 id in the legacy one). A known layer is skipped over, not
   * gunzipped, gzipped nor parsed; a new one is scanned and handed to `set`.
   */
  layers?: LayerScanCache;
}

export interface LayerScanCache {
  get(path: string): BlobScan | undefined;
  set(path: string, scan: BlobScan): void;
}

const MAX_METADATA_BYTES = 16 << 20;
const SNIFF_BYTES = 512;

type Sniffed = 'tar' | 'gzip' | 'zstd' | 'json' | 'other';

/** One entry of the archive, as the extract yields it (tar-stream does not name its type). */
type Entry = Extract extends AsyncIterable<infer E> ? E : never;

/** What the archive's entries held so far, by their path in the archive. */
interface ArchiveContents {
  blobs: Map<string, BlobScan>;
  blobErrors: Map<string, string>;
  metadata: Map<string, Buffer>;
  links: Map<string, string>;
  reusedLayers: number;
}

/**
 * Reads a `docker save` archive. Rejects with a one-line `UserError` on anything that is not a
 * readable image archive: not a tar, truncated, a layer that is missing, truncated or not a tar.
 */
export async function scanSaveArchive(input: Readable, options: ScanOptions = {}): Promise<SavedImage> {
  const extract = tar.extract();
  const contents: ArchiveContents = {
    blobs: new Map(),
    blobErrors: new Map(),
    metadata: new Map(),
    links: new Map(),
    reusedLayers: 0,
  };
  const unlisten = pipeInto(input, extract, options.signal);
  try {
    for await (const entry of extract) await readEntry(entry, contents, options);
  } catch (error) {
    if (options.signal?.aborted) throw new UserError('image analysis aborted');
    throw new UserError(`not a readable docker save archive: ${describeTarError(error)}`);
  } finally {
    unlisten();
    input.unpipe(extract);
    if (!input.readableEnded) input.destroy();
  }
  const { blobs, blobErrors, metadata, links, reusedLayers } = contents;
  const platform = options.platform ?? hostPlatform();
  return { ...resolveImage(blobs, blobErrors, metadata, links, platform), reusedLayers };
}

/** Pipes the archive into the extract, both torn down on `signal`; returns the abort listener's removal. */
function pipeInto(input: Readable, extract: Extract, signal: AbortSignal | undefined): () => void {
  const onAbort = (): void => {
    const reason = new UserError('image analysis aborted');
    input.destroy();
    extract.destroy(reason);
  };
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  input.on('error', (error) => extract.destroy(error));
  input.pipe(extract);
  return () => signal?.removeEventListener('abort', onAbort);
}

/** Reads one entry of the archive to its end, keeping what it holds in `contents`. */
async function readEntry(entry: Entry, contents: ArchiveContents, options: ScanOptions): Promise<void> {
  const header = entry.header;
  const path = normalizeEntryPath(header.name);
  const known = header.type === 'file' && isLayerPath(path) ? options.layers?.get(path) : undefined;
  if (known) {
    contents.blobs.set(path, known);
    contents.reusedLayers += 1;
    entry.resume(); // skipped over: the extract moves on once it is read past
    return;
  }
  if (header.type === 'symlink' && header.linkname) {
    contents.links.set(path, normalizeEntryPath(posix.join(posix.dirname(path), header.linkname)));
  } else if (header.type === 'link' && header.linkname) {
    contents.links.set(path, normalizeEntryPath(header.linkname));
  }
  if (header.type !== 'file' && header.type !== 'contiguous-file') {
    entry.resume();
    return;
  }
  const iterator = entry[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = next.value as Buffer;
    head.push(chunk);
    headBytes += chunk.length;
  }
  const first = Buffer.concat(head);
  const kind = path.endsWith('layer.tar') && sniff(first) !== 'gzip' ? 'tar' : sniff(first);
  await readFile(path, kind, header.size ?? 0, replay(head, ended ? undefined : iterator), contents, options);
}

/** Reads a file of the archive, sniffed as `kind`: a layer blob is scanned, JSON kept, the rest drained. */
async function readFile(
  path: string,
  kind: Sniffed,
  size: number,
  chunks: AsyncIterable<Buffer>,
  contents: ArchiveContents,
  options: ScanOptions,
): Promise<void> {
  if (kind === 'tar' || kind === 'gzip') {
    const sink = new LayerBlobSink(kind === 'gzip', options.gzip);
    for await (const chunk of chunks) await sink.write(chunk);
    try {
      const scan = await sink.end();
      contents.blobs.set(path, scan);
      if (isLayerPath(path)) options.layers?.set(path, scan);
    } catch (error) {
      contents.blobErrors.set(path, describeLayerError(error));
    }
  } else if (kind === 'json' && size <= MAX_METADATA_BYTES) {
    const parts: Buffer[] = [];
    for await (const chunk of chunks) parts.push(chunk);
    contents.metadata.set(path, Buffer.concat(parts));
  } else {
    if (kind === 'zstd') contents.blobErrors.set(path, 'is zstd-compressed, which this version cannot read');
    else contents.blobErrors.set(path, 'is not a tar archive');
    await drain(chunks);
  }
}

/** A path whose name is its content: a blob (OCI layout) or a legacy `<v1 id>/layer.tar`. */
function isLayerPath(path: string): boolean {
  return /^blobs\/sha256\/[a-f0-9]{64}$/.test(path) || /^[a-f0-9]{64}\/layer\.tar$/.test(path);
}

/** Puts back the sniffed head in front of the rest of an entry. */
async function* replay(head: Buffer[], rest: AsyncIterator<Buffer> | undefined): AsyncGenerator<Buffer> {
  yield* head;
  if (!rest) return;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

async function drain(chunks: AsyncIterable<Buffer>): Promise<void> {
  for await (const _chunk of chunks);
}

function sniff(head: Buffer): Sniffed {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  if (
    head.length >= SNIFF_BYTES &&
    (isTarHeader(head) || head.subarray(0, SNIFF_BYTES).every((byte) => byte === 0))
  ) {
    return 'tar';
  }
  const text = head.subarray(0, 64).toString('latin1').trimStart();
  if (text.startsWith('{') || text.startsWith('[')) return 'json';
  return 'other';
}

/** A 512-byte block whose checksum field matches its bytes: a tar header (ustar, GNU or v7). */
function isTarHeader(block: Buffer): boolean {
  const field = block.subarray(148, 156).toString('latin1').replace(/\0.*$/s, '').trim();
  if (!/^[0-7]+$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < SNIFF_BYTES; i += 1) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  return sum === parseInt(field, 8);
}

/** Orders the layers read as the manifest (or index.json) lists them, with the config's history. */
function resolveImage(
  blobs: Map<string, BlobScan>,
  blobErrors: Map<string, string>,
  metadata: Map<string, Buffer>,
  links: Map<string, string>,
  platform: string,
): Omit<SavedImage, 'reusedLayers'> {
  const resolve = (path: string): string => {
    let current = normalizeEntryPath(path);
    const seen = new Set<string>();
    while (links.has(current)) {
      if (seen.has(current)) throw new UserError(`${path} in the image archive is a symlink loop`);
      seen.add(current);
      current = links.get(current)!;
    }
    return current;
  };
  const json = (path: string, what: string): unknown => {
    const real = resolve(path);
    const bytes = metadata.get(real);
    if (!bytes) throw new UserError(`the image archive has no ${what} (${path})`);
    try {
      return JSON.parse(bytes.toString('utf8')) as unknown;
    } catch {
      throw new UserError(`${path} in the image archive is not valid JSON`);
    }
  };

  /** Whether the archive holds the JSON blob of `digest` (an index may list platforms it left out). */
  const holds = (digest: string): boolean => {
    try {
      return metadata.has(resolve(blobPath(digest)));
    } catch (error) {
      if (!isUserError(error)) throw error;
      return false;
    }
  };

  const { layerPaths, configPath, repoTags } = locateImage(metadata, json, holds, platform);
  const layers = layerPaths.map((path) => {
    const real = resolve(path);
    const scan = blobs.get(real);
    if (scan) return { path, ...scan };
    const problem = blobErrors.get(real);
    throw new UserError(
      `layer ${path} ${problem ?? 'is listed in the manifest but missing from the image archive'}`,
    );
  });
  const history =
    configPath && metadata.has(resolve(configPath)) ? historyOf(json(configPath, 'image config')) : undefined;
  return { layers, history, repoTags };
}

/** The image's layer paths, config path and tags, from manifest.json (docker) or index.json (OCI). */
function locateImage(
  metadata: Map<string, Buffer>,
  json: (path: string, what: string) => unknown,
  holds: (digest: string) => boolean,
  platform: string,
): { layerPaths: string[]; configPath?: string; repoTags: string[] } {
  if (metadata.has('manifest.json')) {
    const manifest = json('manifest.json', 'manifest.json');
    const image = Array.isArray(manifest) ? (manifest[0] as Record<string, unknown> | undefined) : undefined;
    if (!image || !Array.isArray(image.Layers))
      throw new UserError('manifest.json in the image archive lists no image');
    return {
      layerPaths: image.Layers.map(String),
      configPath: typeof image.Config === 'string' ? image.Config : undefined,
      repoTags: Array.isArray(image.RepoTags) ? image.RepoTags.map(String) : [],
    };
  }
  if (metadata.has('index.json')) {
    const manifest = ociManifest(
      json('index.json', 'index.json'),
      (digest) => json(blobPath(digest), `blob ${digest}`),
      (manifests) => chooseManifest(manifests, platform, holds),
    );
    return {
      layerPaths: manifest.layers.map(blobPath),
      configPath: manifest.config ? blobPath(manifest.config) : undefined,
      repoTags: [],
    };
  }
  throw new UserError(
    'the image archive has neither manifest.json nor index.json: not a docker save archive',
  );
}

/** The image config's history, when it has one. */
export function historyOf(config: unknown): HistoryEntry[] | undefined {
  const { history } = (config ?? {}) as { history?: unknown };
  if (!Array.isArray(history)) return undefined;
  return history.map((item: unknown) => {
    const entry = (item ?? {}) as { created_by?: unknown; empty_layer?: unknown };
    return {
      createdBy: typeof entry.created_by === 'string' ? entry.created_by : '',
      emptyLayer: entry.empty_layer === true,
    };
  });
}

function blobPath(digest: string): string {
  const [algorithm, hex] = digest.split(':');
  if (!algorithm || !hex || !/^[a-z0-9]+$/.test(algorithm) || !/^[a-f0-9]+$/.test(hex)) {
    throw new UserError(`bad digest ${digest} in the image archive`);
  }
  return `blobs/${algorithm}/${hex}`;
}

export interface Descriptor {
  digest?: unknown;
  platform?: { os?: unknown; architecture?: unknown; variant?: unknown };
}

/** Node's `process.arch` as OCI names it, where the two differ. */
const OCI_ARCH: Partial<Record<string, string>> = {
  x64: 'amd64',
  ia32: '386',
  ppc64: 'ppc64le',
  mipsel: 'mipsle',
};

/** The platform the engine on this host runs images for: `linux/amd64`, `linux/arm64`. */
export function hostPlatform(arch: string = process.arch): string {
  return `linux/${OCI_ARCH[arch] ?? arch}`;
}

/**
 * The manifest to read in an index: the one of `platform` (`os/arch[/variant]`) the archive holds,
 * else the first image manifest it holds (never an attestation, `unknown/unknown`), else the first.
 */
export function chooseManifest(
  manifests: readonly Descriptor[],
  platform: string,
  holds: (digest: string) => boolean,
): Descriptor | undefined {
  const [os, architecture, variant] = platform.split('/');
  const held = (item: Descriptor): boolean => typeof item.digest === 'string' && holds(item.digest);
  const isPlatform = ({ platform: of }: Descriptor): boolean =>
    of !== undefined &&
    of.os === os &&
    of.architecture === architecture &&
    (variant === undefined || of.variant === variant);
  return (
    manifests.find((item) => isPlatform(item) && held(item)) ??
    manifests.find((item) => held(item) && item.platform?.os !== 'unknown') ??
    manifests[0]
  );
}

/** Follows index.json (and nested indexes) down to one image manifest, the one `choose` picks at each level. */
function ociManifest(
  index: unknown,
  blob: (digest: string) => unknown,
  choose: (manifests: Descriptor[]) => Descriptor | undefined,
): { layers: string[]; config?: string } {
  let current = index as { manifests?: Descriptor[]; layers?: Descriptor[]; config?: Descriptor };
  for (let depth = 0; depth < 4; depth += 1) {
    if (Array.isArray(current.layers)) {
      return {
        layers: current.layers.map((layer) => String(layer.digest)),
        config: typeof current.config?.digest === 'string' ? current.config.digest : undefined,
      };
    }
    const manifests = Array.isArray(current.manifests) ? current.manifests : [];
    const chosen = choose(manifests);
    if (!chosen || typeof chosen.digest !== 'string') break;
    current = blob(chosen.digest) as typeof current;
  }
  throw new UserError('index.json in the image archive leads to no image manifest');
}

function describeTarError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/Unexpected end of data/i.test(message)) return 'truncated (unexpected end of data)';
  if (/Invalid tar header|Invalid header/i.test(message)) return 'not a tar archive (invalid tar header)';
  return message.split('\n')[0] ?? message;
}
