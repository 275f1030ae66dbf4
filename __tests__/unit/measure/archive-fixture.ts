/** Builds `docker save`-shaped archives in memory, legacy and OCI layouts, for the measure tests. */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import tar from 'tar-stream';

export interface FixtureEntry {
  name: string;
  /** File contents, or a size to fill with a repeated pattern. */
  data?: Buffer | number;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  linkname?: string;
}

export interface FixtureLayer {
  entries: FixtureEntry[];
  createdBy: string;
  /** Replace the layer tar with these bytes (corrupt input). */
  raw?: Buffer;
}

export async function tarOf(
  entries: { name: string; data?: Buffer; type?: FixtureEntry['type']; linkname?: string }[],
): Promise<Buffer> {
  const pack = tar.pack();
  const parts: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of pack) parts.push(chunk as Buffer);
  })();
  for (const entry of entries) {
    const type = entry.type ?? 'file';
    const body = type === 'file' ? (entry.data ?? Buffer.alloc(0)) : undefined;
    await new Promise<void>((resolve, reject) => {
      const header = {
        name: entry.name,
        type,
        linkname: entry.linkname,
        size: body?.length ?? 0,
        mode: type === 'directory' ? 0o755 : 0o644,
      };
      if (body) pack.entry(header, body, (error) => (error ? reject(error) : resolve()));
      else pack.entry(header, (error) => (error ? reject(error) : resolve()));
    });
  }
  pack.finalize();
  await collected;
  return Buffer.concat(parts);
}

/** `data` itself, or `data` bytes of random data (incompressible, like weights). */
export function bytesOf(data: Buffer | number | undefined): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return randomBytes(data ?? 0);
}

export async function layerTar(layer: FixtureLayer): Promise<Buffer> {
  if (layer.raw) return layer.raw;
  return tarOf(
    layer.entries.map((entry) => ({
      ...entry,
      data: entry.type && entry.type !== 'file' ? undefined : bytesOf(entry.data),
    })),
  );
}

const sha = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

export interface ArchiveOptions {
  layout: 'legacy' | 'oci';
  /** Put manifest.json first instead of last. */
  manifestFirst?: boolean;
  /** gzip the layer blobs (containerd image store). */
  gzipLayers?: boolean;
  /** Extra history entries without a layer (ENV, WORKDIR), inserted before the layer of this index. */
  emptyBefore?: Record<number, string>;
  /** Drop the layer with this index from the archive. */
  missingLayer?: number;
  /** Cut the archive to this many bytes. */
  truncateTo?: number;
}

/** A `docker save` archive of the given layers, plus the layer tars it holds. */
export async function saveArchive(
  layers: FixtureLayer[],
  options: ArchiveOptions,
): Promise<{ archive: Buffer; tars: Buffer[] }> {
  const tars = await Promise.all(layers.map((layer) => layerTar(layer)));
  const blobs = tars.map((data) => (options.gzipLayers ? zlib.gzipSync(data) : data));
  const history: { created_by: string; empty_layer?: boolean }[] = [];
  layers.forEach((layer, index) => {
    const empty = options.emptyBefore?.[index];
    if (empty) history.push({ created_by: empty, empty_layer: true });
    history.push({ created_by: layer.createdBy });
  });
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      history,
      rootfs: { type: 'layers', diff_ids: tars.map((t) => `sha256:${sha(t)}`) },
    }),
  );
  const configId = sha(config);
  const files: FixtureEntry[] = [];
  let layerPaths: string[];
  let configPath: string;
  if (options.layout === 'legacy') {
    layerPaths = blobs.map((blob) => `${sha(blob)}/layer.tar`);
    configPath = `${configId}.json`;
    blobs.forEach((blob, index) => {
      if (index === options.missingLayer) return;
      files.push(
        { name: `${sha(blob)}/`, type: 'directory' },
        { name: `${sha(blob)}/VERSION`, data: Buffer.from('1.0') },
      );
      files.push(
        { name: `${sha(blob)}/json`, data: Buffer.from('{"id":"x"}') },
        { name: layerPaths[index]!, data: blob },
      );
    });
    files.push({ name: configPath, data: config });
  } else {
    layerPaths = blobs.map((blob) => `blobs/sha256/${sha(blob)}`);
    configPath = `blobs/sha256/${configId}`;
    files.push({ name: 'blobs/', type: 'directory' }, { name: 'blobs/sha256/', type: 'directory' });
    blobs.forEach((blob, index) => {
      if (index === options.missingLayer) return;
      files.push({ name: layerPaths[index]!, data: blob });
      // docker ≥ 25 also writes the legacy paths as symlinks to the blobs
      files.push({ name: `${sha(blob)}/layer.tar`, type: 'symlink', linkname: `../${layerPaths[index]!}` });
    });
    files.push({ name: configPath, data: config });
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        config: { digest: `sha256:${configId}` },
        layers: blobs.map((b) => ({ digest: `sha256:${sha(b)}` })),
      }),
    );
    files.push({ name: `blobs/sha256/${sha(manifest)}`, data: manifest });
    files.push({
      name: 'index.json',
      data: Buffer.from(
        JSON.stringify({ schemaVersion: 2, manifests: [{ digest: `sha256:${sha(manifest)}` }] }),
      ),
    });
    files.push({ name: 'oci-layout', data: Buffer.from('{"imageLayoutVersion":"1.0.0"}') });
  }
  const manifestJson: FixtureEntry = {
    name: 'manifest.json',
    data: Buffer.from(
      JSON.stringify([{ Config: configPath, RepoTags: ['fixture:latest'], Layers: layerPaths }]),
    ),
  };
  if (options.manifestFirst) files.unshift(manifestJson);
  else files.push(manifestJson);
  let archive = await tarOf(
    files.map((file) => ({
      ...file,
      data: file.type && file.type !== 'file' ? undefined : (file.data as Buffer),
    })),
  );
  if (options.truncateTo !== undefined) archive = archive.subarray(0, options.truncateTo);
  return { archive, tars };
}

/** A stream of `data` in small chunks, as a pipe would deliver it. */
export function streamOf(data: Buffer, chunk = 64 * 1024): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < data.length; offset += chunk) yield data.subarray(offset, offset + chunk);
    })(),
  );
}

const MIB = 1024 * 1024;

/** Three layers: a base with a compiler, one with CUDA, weights, a pip cache and .git, one that deletes and overwrites. */
export const LAYERS: FixtureLayer[] = [
  {
    createdBy: '/bin/sh -c #(nop) ADD file:abc in / ',
    entries: [
      { name: 'bin/', type: 'directory' },
      { name: 'bin/sh', data: 100 },
      { name: 'big.dat', data: 5000 },
      { name: 'dir/', type: 'directory' },
      { name: 'dir/a', data: 100 },
      { name: 'dir/b', data: 200 },
      { name: 'opq/', type: 'directory' },
      { name: 'opq/old', data: 300 },
      { name: 'over', data: 400 },
      { name: 'usr/lib/gcc/x86_64-linux-gnu/12/cc1', data: 2000 },
      { name: 'usr/bin/x86_64-linux-gnu-gcc-12', data: 1000 },
      { name: 'loop1', type: 'symlink', linkname: 'loop2' },
      { name: 'loop2', type: 'symlink', linkname: 'loop1' },
    ],
  },
  {
    createdBy: 'RUN /bin/sh -c pip install torch # buildkit',
    entries: [
      { name: 'usr/lib/x86_64-linux-gnu/libcudnn.so.9', data: 4000 },
      { name: 'usr/lib/x86_64-linux-gnu/libcudnn.so', type: 'symlink', linkname: 'libcudnn.so.9' },
      { name: 'models/model.safetensors', data: 11 * MIB },
      { name: 'root/.cache/pip/http/ab/cd', data: 1.5 * MIB },
      { name: 'app/.git/HEAD', data: 20 },
      { name: 'app/.git/objects/pack/p.pack', data: 500 },
    ],
  },
  {
    createdBy: 'RUN /bin/sh -c rm -rf /big.dat /dir # buildkit',
    entries: [
      { name: '.wh.big.dat', data: 0 },
      { name: '.wh.dir', data: 0 },
      { name: 'opq/', type: 'directory' },
      { name: 'opq/.wh..wh..opq', data: 0 },
      { name: 'opq/new', data: 10 },
      { name: 'over', data: 450 },
      { name: 'odd/caf\u00e9\u0001\n.txt', data: 7 },
    ],
  },
];
