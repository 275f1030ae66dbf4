/**
 * Reads an image's layers where the engine keeps them, one layer at a time, so a changed image
 * reads only its new layers. `docker save` cannot: it streams every layer of the image, and the
 * engine does the work for each of them (docker 20.10 copies every layer to a temporary folder
 * before it sends a byte; the containerd store sends every blob through containerd's API).
 *
 * The engine's own folders are bind-mounted read-only into a container that is created, never
 * started, and removed at the end; `docker cp` reads a file or a folder out of it. Two layouts:
 * - the containerd store: its content store holds each layer's blob by digest (the bytes a
 *   registry stores), next to the image's index, manifest and config;
 * - the classic overlay2 store: each layer's folder (`overlay2/<id>/diff`, where deletions are
 *   character devices and replaced folders carry an xattr `docker cp` does not send), and the
 *   layer's tar headers as `docker save` writes them (`tar-split.json.gz` in the layer database),
 *   which name the replaced folders. The folder is turned back into the layer tar.
 * Anything else (another driver, a folder that cannot be mounted, a rootless engine) is not read
 * here: `undefined`, and the caller uses `docker save`.
 */
import { createHash } from 'node:crypto';
import type { Docker } from '../docker/exec.js';
import { storeInspectionOf, type StoreInspection } from '../docker/image.js';
import type { GzipMode } from './gzip-size.js';
import { gunzipText, layerTarOf, MAX_TAR_SPLIT_BYTES, opaqueFolders } from './layer-folder.js';
import { LayerBlobSink, type BlobScan } from './layer-blob.js';
import {
  chooseManifest,
  historyOf,
  type Descriptor,
  type LayerScanCache,
  type SavedImage,
} from './save-archive.js';
import { StoreReader } from './store-reader.js';

export { storeReadersRemoved } from './store-reader.js';

const CONTAINERD_CONTENT = 'io.containerd.content.v1.content';

export interface StoreReadOptions {
  signal?: AbortSignal;
  /** The image as `docker image inspect` told it (`findImage`'s `store`): not asked for again. */
  inspection?: StoreInspection;
  gzip?: GzipMode;
  layers?: LayerScanCache;
}

/** Where the layers of one image are, relative to the mounted folder. */
export type StoreLayout =
  { kind: 'containerd'; mount: string } | { kind: 'overlay2'; mount: string; layerDirs: string[] };

/**
 * The image read layer by layer from the engine's folders, or `undefined` when this engine's
 * layout cannot be read that way (the caller then streams `docker save`). Rejects when the layout
 * was found but a read failed half-way (also a case for `docker save`).
 */
export async function readFromStore(
  docker: Docker,
  imageRef: string,
  options: StoreReadOptions = {},
): Promise<SavedImage | undefined> {
  const engine = await engineOf(docker);
  if (!engine) return undefined;
  for (const mount of storeMounts(engine)) {
    // The container is made while the image is inspected (unless the caller has inspected it
    // already): both take a while on a busy engine.
    const [inspection, reader] = await Promise.all([
      options.inspection ?? inspectForStore(docker, imageRef, options.signal),
      StoreReader.open(docker, imageRef, mount, options.signal),
    ]);
    if (!reader) continue;
    try {
      const layout = inspection && storeLayout(inspection, engine, mount);
      if (!inspection || !layout) return undefined;
      return layout.kind === 'containerd'
        ? await readContainerd(reader, inspection, options)
        : await readOverlay2(reader, inspection, layout.layerDirs, options);
    } finally {
      reader.close();
    }
  }
  return undefined;
}

async function inspectForStore(
  docker: Docker,
  imageRef: string,
  signal: AbortSignal | undefined,
): Promise<StoreInspection | undefined> {
  const inspected = await docker.run(
    ['image', 'inspect', '--format', '{{json .}}', '--', imageRef],
    signal ? { signal } : {},
  );
  if (inspected.code !== 0) return undefined;
  try {
    return storeInspectionOf(JSON.parse(inspected.stdout));
  } catch {
    return undefined;
  }
}

/** The engine's data root and storage driver, asked once per `Docker`. */
export interface EngineStore {
  root: string;
  driver: string;
}

const engines = new WeakMap<Docker, Promise<EngineStore | undefined>>();

function engineOf(docker: Docker): Promise<EngineStore | undefined> {
  let engine = engines.get(docker);
  if (!engine) {
    engine = docker.run(['info', '--format', '[{{json .DockerRootDir}},{{json .Driver}}]']).then(
      (result) => (result.code === 0 ? parseEngineStore(result.stdout) : undefined),
      () => undefined,
    );
    engines.set(docker, engine);
  }
  return engine;
}

/** `docker info`'s `[{{json .DockerRootDir}},{{json .Driver}}]` (pure). */
export function parseEngineStore(stdout: string): EngineStore | undefined {
  let fields: unknown;
  try {
    fields = JSON.parse(stdout.trim());
  } catch {
    return undefined;
  }
  const [root, driver] = Array.isArray(fields) ? (fields as unknown[]) : [];
  if (typeof root !== 'string' || !root.startsWith('/') || typeof driver !== 'string') return undefined;
  return { root: root.replace(/\/+$/, ''), driver };
}

/**
 * The engine folders to mount, in the order to try (pure): overlay2 keeps everything under the
 * data root; the containerd store's content is under the data root when dockerd runs its own
 * containerd, in /var/lib/containerd when it uses the system's.
 */
export function storeMounts(engine: EngineStore): string[] {
  // `--mount` reads its value as CSV: a root with a comma or a quote is left to `docker save`.
  if (/[,"]/.test(engine.root)) return [];
  if (engine.driver === 'overlay2') return [engine.root];
  if (engine.driver === 'overlayfs' || engine.driver.startsWith('io.containerd.')) {
    return [
      `${engine.root}/containerd/daemon/${CONTAINERD_CONTENT}`,
      `/var/lib/containerd/${CONTAINERD_CONTENT}`,
    ];
  }
  return [];
}

/**
 * Where this image's layers are under the mounted folder (pure). overlay2: the layer folders come
 * from the image's overlay mount (the upper folder is the top layer, the lower ones go down from
 * there), so there must be one per layer, all under the engine's root.
 */
export function storeLayout(
  inspection: StoreInspection,
  engine: EngineStore,
  mount: string,
): StoreLayout | undefined {
  if (inspection.driver !== engine.driver) return undefined;
  if (engine.driver !== 'overlay2') return { kind: 'containerd', mount };
  const inside = (dir: string): string | undefined => {
    const relative = dir.startsWith(`${engine.root}/`) ? dir.slice(engine.root.length + 1) : undefined;
    return relative && !relative.split('/').includes('..') ? relative : undefined;
  };
  if (!inspection.upperDir) return undefined;
  const dirs = [...inspection.lowerDirs].reverse().concat(inspection.upperDir).map(inside);
  if (dirs.length !== inspection.diffIds.length || dirs.some((dir) => dir === undefined)) return undefined;
  return { kind: 'overlay2', mount, layerDirs: dirs as string[] };
}

/** The layer database's ids: each layer's chain id names it together with every layer below. */
export function chainIds(diffIds: readonly string[]): string[] {
  const out: string[] = [];
  for (const diffId of diffIds) {
    const parent = out[out.length - 1];
    out.push(parent ? `sha256:${createHash('sha256').update(`${parent} ${diffId}`).digest('hex')}` : diffId);
  }
  return out;
}

async function readContainerd(
  reader: StoreReader,
  inspection: StoreInspection,
  options: StoreReadOptions,
): Promise<SavedImage | undefined> {
  const blob = (digest: string): string => `blobs/${digest.replace(':', '/')}`;
  let manifest: { config?: Descriptor; layers?: Descriptor[] } | undefined;
  let digest = inspection.id;
  for (let depth = 0; depth < 4 && !manifest; depth += 1) {
    const doc = (await reader.json(blob(digest))) as { manifests?: Descriptor[]; layers?: Descriptor[] };
    if (!doc) return undefined;
    if (Array.isArray(doc.layers)) manifest = doc;
    else {
      const { os, architecture, variant } = inspection.platform;
      const platform = `${os}/${architecture}${variant ? `/${variant}` : ''}`;
      const next = chooseManifest(Array.isArray(doc.manifests) ? doc.manifests : [], platform, () => true);
      if (typeof next?.digest !== 'string' || !isDigest(next.digest)) return undefined;
      digest = next.digest;
    }
  }
  const configDigest = manifest?.config?.digest;
  const layerDigests = (manifest?.layers ?? []).map((layer) => layer.digest);
  if (typeof configDigest !== 'string' || !isDigest(configDigest)) return undefined;
  if (!layerDigests.every((d): d is string => typeof d === 'string' && isDigest(d))) return undefined;
  if (layerDigests.length !== inspection.diffIds.length) return undefined;
  return readLayers(
    reader.json(blob(configDigest)),
    (layerDigests as string[]).map((layerDigest) => ({
      path: blob(layerDigest),
      read: () => reader.file(blob(layerDigest)),
    })),
    options,
  );
}

async function readOverlay2(
  reader: StoreReader,
  inspection: StoreInspection,
  layerDirs: readonly string[],
  options: StoreReadOptions,
): Promise<SavedImage> {
  const chains = chainIds(inspection.diffIds);
  return readLayers(
    reader.json(`image/overlay2/imagedb/content/${inspection.id.replace(':', '/')}`),
    inspection.diffIds.map((diffId, index) => ({
      // Named by content like a blob: the same layer under any image (its v1 id in `docker save`
      // depends on the image's config, so it changes with every new top layer).
      path: `blobs/${diffId.replace(':', '/')}`,
      read: async () => {
        const chain = chains[index]!.replace(':', '/');
        const split = await reader.bytes(
          `image/overlay2/layerdb/${chain}/tar-split.json.gz`,
          MAX_TAR_SPLIT_BYTES,
        );
        return layerTarOf(reader.folder(layerDirs[index]!), opaqueFolders(await gunzipText(split)));
      },
    })),
    options,
  );
}

/**
 * The layers, bottom first: each from the layer cache, or read and scanned (one at a time: a scan
 * already uses both cores) and put in the cache; the config is read meanwhile.
 */
async function readLayers(
  config: Promise<unknown>,
  layers: readonly { path: string; read: () => AsyncIterable<Buffer> | Promise<AsyncIterable<Buffer>> }[],
  options: StoreReadOptions,
): Promise<SavedImage> {
  config.catch(() => undefined); // awaited below, after the layers
  let reusedLayers = 0;
  const scanned: SavedImage['layers'] = [];
  for (const layer of layers) {
    let scan = options.layers?.get(layer.path);
    if (scan) reusedLayers += 1;
    else {
      scan = await scanBlob(await layer.read(), options);
      options.layers?.set(layer.path, scan);
    }
    scanned.push({ path: layer.path, ...scan });
  }
  const history = historyOf(await config);
  return { layers: scanned, ...(history ? { history } : {}), repoTags: [], reusedLayers };
}

async function scanBlob(input: AsyncIterable<Buffer>, options: StoreReadOptions): Promise<BlobScan> {
  const iterator = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await iterator.next();
  const head = first.done ? Buffer.alloc(0) : first.value;
  const sink = new LayerBlobSink(head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b, options.gzip);
  if (head.length > 0) await sink.write(head);
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    await sink.write(next.value);
  }
  return sink.end();
}

function isDigest(value: unknown): value is string {
  return typeof value === 'string' && /^sha256:[a-f0-9]{64}$/.test(value);
}
