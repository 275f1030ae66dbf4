import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/measure/analyze.js';
import { createHash } from 'node:crypto';
import {
  chooseManifest,
  hostPlatform,
  scanSaveArchive,
  type BlobScan,
  type Descriptor,
  type LayerScanCache,
} from '../../../src/measure/save-archive.js';
import { UserError } from '../../../src/util/errors.js';
import { LAYERS, layerTar, saveArchive, streamOf, tarOf } from './archive-fixture.js';

const MIB = 1024 * 1024;

describe('scanSaveArchive', () => {
  for (const layout of ['legacy', 'oci'] as const) {
    for (const manifestFirst of [false, true]) {
      it(`reads a ${layout} archive (manifest ${manifestFirst ? 'first' : 'last'})`, async () => {
        const { archive, tars } = await saveArchive(LAYERS, {
          layout,
          manifestFirst,
          emptyBefore: { 1: 'ENV A=b' },
        });
        const saved = await scanSaveArchive(streamOf(archive));
        expect(saved.layers).toHaveLength(3);
        saved.layers.forEach((layer, index) => {
          expect(layer.tarBytes).toBe(tars[index]!.length);
          const reference = zlib.gzipSync(tars[index]!, { level: 6 }).length;
          expect(Math.abs(layer.compressedSize - reference) / reference).toBeLessThan(0.005);
        });
        expect(saved.layers[1]!.fileBytes).toBe(4000 + 11 * MIB + 1.5 * MIB + 520);
        expect(saved.history?.map((entry) => entry.emptyLayer)).toEqual([false, true, false, false]);

        const analysis = summarize(saved, [], 'fixture:latest', { dockerfile: 'svc/Dockerfile' });
        expect(analysis.layers.map((layer) => layer.createdBy)).toEqual(
          LAYERS.map((layer) => layer.createdBy),
        );
        expect(analysis.wastedBytes).toBe(5000 + 100 + 200 + 300 + 400);
        expect(analysis.wastedFiles).toEqual([
          { path: '/big.dat', size: 5000, addedIn: 0, removedIn: 2 },
          { path: '/over', size: 400, addedIn: 0, removedIn: 2 },
          { path: '/opq/old', size: 300, addedIn: 0, removedIn: 2 },
          { path: '/dir/b', size: 200, addedIn: 0, removedIn: 2 },
          { path: '/dir/a', size: 100, addedIn: 0, removedIn: 2 },
        ]);
        const rules = analysis.findings.map((finding) => [finding.rule, finding.file]);
        expect(rules).toEqual([
          ['model-weights-in-image', 'svc/Dockerfile'],
          ['package-cache-in-image', 'svc/Dockerfile'],
          ['cuda-libraries-in-image', 'svc/Dockerfile'],
          ['compiler-in-image', 'svc/Dockerfile'],
          ['git-folder-in-image', 'svc/Dockerfile'],
        ]);
        const weights = analysis.findings[0]!;
        expect(weights.message).toBe(
          'Model weights in the image: /models/model.safetensors, 11.5MB in layer 2 of 3 (RUN pip install torch)',
        );
        expect(analysis.findings[2]!.message).toContain('/usr/lib/x86_64-linux-gnu/libcudnn.so.9');
        expect(analysis.findings[1]!.message).toContain('/root/.cache/pip (1 file), 1.57MB in layer 2 of 3');
        expect(analysis.findings[4]!.message).toContain('/app/.git (2 files), 520B');
        const unique = new Set(saved.layers.map((layer) => layer.path)).size;
        expect(unique).toBe(3);
        expect(analysis.compressedSize).toBe(
          saved.layers.reduce((sum, layer) => sum + layer.compressedSize, 0),
        );
      });
    }
  }

  it('takes the blob size as the compressed size of gzip layers, and still reads their contents', async () => {
    const { archive } = await saveArchive(LAYERS, { layout: 'oci', gzipLayers: true });
    const saved = await scanSaveArchive(streamOf(archive));
    expect(saved.layers.every((layer) => layer.compressed)).toBe(true);
    const analysis = summarize(saved, [], 'x');
    expect(analysis.wastedBytes).toBe(6000);
    expect(analysis.findings).toHaveLength(5);
  });

  it.each(['legacy', 'oci'] as const)(
    'skips over the layers a layer cache knows, and gives the same analysis (%s layout)',
    async (layout) => {
      const { archive } = await saveArchive(LAYERS, { layout, gzipLayers: layout === 'oci' });
      const store = new Map<string, BlobScan>();
      const cache: LayerScanCache = { get: (p) => store.get(p), set: (p, scan) => store.set(p, scan) };
      const first = await scanSaveArchive(streamOf(archive), { layers: cache });
      expect(first.reusedLayers).toBe(0);
      expect(store.size).toBe(3);
      const second = await scanSaveArchive(streamOf(archive), { layers: cache });
      expect(second.reusedLayers).toBe(3);
      expect(summarize(second, [], 'x')).toEqual({ ...summarize(first, [], 'x'), reusedLayers: 3 });
      // What is skipped is not read at all: a cached scan stands for the layer's bytes.
      const [key, scan] = [...store.entries()][1]!;
      store.set(key, { ...scan, fileBytes: 42, diffBytes: 42 });
      const third = await scanSaveArchive(streamOf(archive), { layers: cache });
      expect(third.layers[1]!.diffBytes).toBe(42);
    },
  );

  it('keeps odd bytes in paths printable', async () => {
    const { archive } = await saveArchive(
      [...LAYERS, { createdBy: 'RUN rm', entries: [{ name: 'odd/.wh.caf\u00e9\u0001\n.txt', data: 0 }] }],
      { layout: 'legacy' },
    );
    const analysis = summarize(await scanSaveArchive(streamOf(archive)), [], 'x');
    expect(analysis.wastedFiles.map((file) => file.path)).toContain('/odd/caf\u00e9\\x01\\x0a.txt');
  });

  const rejects = async (archive: Buffer, message: RegExp): Promise<void> => {
    const error = await scanSaveArchive(streamOf(archive)).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  };

  it('rejects garbage with one line', async () => {
    await rejects(
      Buffer.from('this is not a tar archive at all, just words\n'.repeat(40)),
      /not a tar archive/,
    );
  });

  it('rejects an empty input', async () => {
    await rejects(Buffer.alloc(0), /neither manifest.json nor index.json/);
  });

  it('rejects a truncated archive', async () => {
    const { archive } = await saveArchive(LAYERS, { layout: 'legacy' });
    await rejects(archive.subarray(0, Math.floor(archive.length / 2)), /truncated/);
  });

  it('rejects a layer that is truncated or not a tar, naming it', async () => {
    const layers = [...LAYERS];
    const full = (await saveArchive([LAYERS[0]!], { layout: 'legacy' })).tars[0]!;
    layers[0] = { ...LAYERS[0]!, raw: full.subarray(0, 3000) };
    await rejects(
      (await saveArchive(layers, { layout: 'legacy' })).archive,
      /^layer \w+\/layer\.tar is truncated/,
    );
    layers[0] = { ...LAYERS[0]!, raw: Buffer.from('garbage '.repeat(100)) };
    await rejects(
      (await saveArchive(layers, { layout: 'legacy' })).archive,
      /^layer \w+\/layer\.tar is not a tar archive/,
    );
    await rejects(
      (await saveArchive(layers, { layout: 'oci' })).archive,
      /^layer blobs\/sha256\/\w+ is not a tar archive/,
    );
    layers[0] = {
      ...LAYERS[0]!,
      raw: Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.alloc(600, 7)]),
    };
    await rejects(
      (await saveArchive(layers, { layout: 'oci' })).archive,
      /^layer blobs\/sha256\/\w+ is zstd-compressed, which this version cannot read$/,
    );
  });

  it('rejects a manifest that lists a missing layer', async () => {
    const { archive } = await saveArchive(LAYERS, { layout: 'legacy', missingLayer: 1 });
    await rejects(archive, /missing from the image archive/);
  });

  it('rejects a symlink loop in the archive', async () => {
    const { archive } = await saveArchive(LAYERS, { layout: 'oci', missingLayer: 0 });
    // make the manifest point at a legacy path that loops
    const looped = await import('./archive-fixture.js').then(({ tarOf }) =>
      tarOf([
        { name: 'a/layer.tar', type: 'symlink', linkname: '../b/layer.tar' },
        { name: 'b/layer.tar', type: 'symlink', linkname: '../a/layer.tar' },
        {
          name: 'manifest.json',
          data: Buffer.from(JSON.stringify([{ Config: 'c.json', Layers: ['a/layer.tar'] }])),
        },
      ]),
    );
    await rejects(looped, /symlink loop/);
    await rejects(archive, /missing from the image archive/);
  });

  it('stops when aborted', async () => {
    const { archive } = await saveArchive(LAYERS, { layout: 'legacy' });
    const controller = new AbortController();
    controller.abort();
    await expect(scanSaveArchive(streamOf(archive), { signal: controller.signal })).rejects.toThrow(
      /aborted/,
    );
  });
});

const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/**
 * An OCI archive without manifest.json whose index.json lists one image per platform, each with one
 * layer holding a file of `size` bytes; `held: false` leaves that image out of the archive.
 */
async function multiPlatformArchive(
  images: { platform: string; size: number; held?: boolean }[],
): Promise<Buffer> {
  const files: { name: string; data: Buffer }[] = [];
  const descriptors: Descriptor[] = [];
  for (const { platform, size, held = true } of images) {
    const layer = await layerTar({ createdBy: 'RUN x', entries: [{ name: 'file', data: size }] });
    const [os, architecture, variant] = platform.split('/');
    const config = Buffer.from(JSON.stringify({ os, architecture, history: [{ created_by: platform }] }));
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        config: { digest: `sha256:${sha(config)}` },
        layers: [{ digest: `sha256:${sha(layer)}` }],
      }),
    );
    descriptors.push({
      digest: `sha256:${sha(manifest)}`,
      platform: { os, architecture, ...(variant ? { variant } : {}) },
    });
    if (!held) continue;
    for (const blob of [layer, config, manifest])
      files.push({ name: `blobs/sha256/${sha(blob)}`, data: blob });
  }
  const index = { schemaVersion: 2, manifests: descriptors };
  return tarOf([...files, { name: 'index.json', data: Buffer.from(JSON.stringify(index)) }]);
}

describe('a multi-platform OCI index (issue 15: it always read linux/amd64)', () => {
  const images = [
    { platform: 'linux/amd64', size: 100 },
    { platform: 'linux/arm64', size: 200 },
    { platform: 'linux/arm/v7', size: 300 },
  ];

  it.each([
    ['linux/amd64', 100],
    ['linux/arm64', 200],
    ['linux/arm/v7', 300],
    ['linux/arm', 300],
    ['linux/s390x', 100],
  ])('read for %s: the image of %d bytes', async (platform, bytes) => {
    const saved = await scanSaveArchive(streamOf(await multiPlatformArchive(images)), { platform });
    expect(saved.layers.map((layer) => layer.fileBytes)).toEqual([bytes]);
  });

  it("reads the host's platform by default", async () => {
    const ours = { x64: 100, arm64: 200 }[process.arch as 'x64' | 'arm64'] ?? 100;
    const saved = await scanSaveArchive(streamOf(await multiPlatformArchive(images)));
    expect(saved.layers.map((layer) => layer.fileBytes)).toEqual([ours]);
  });

  it('reads the image the archive holds when the platform asked for was left out', async () => {
    const archive = await multiPlatformArchive([
      { platform: 'linux/arm64', size: 200, held: false },
      { platform: 'linux/amd64', size: 100 },
    ]);
    const saved = await scanSaveArchive(streamOf(archive), { platform: 'linux/arm64' });
    expect(saved.layers.map((layer) => layer.fileBytes)).toEqual([100]);
    expect(saved.history?.map((entry) => entry.createdBy)).toEqual(['linux/amd64']);
  });

  it('never prefers an attestation (unknown/unknown) to an image', () => {
    const manifests: Descriptor[] = [
      { digest: 'sha256:a', platform: { os: 'unknown', architecture: 'unknown' } },
      { digest: 'sha256:b', platform: { os: 'linux', architecture: 'riscv64' } },
    ];
    expect(chooseManifest(manifests, 'linux/amd64', () => true)?.digest).toBe('sha256:b');
    expect(chooseManifest(manifests, 'linux/amd64', () => false)?.digest).toBe('sha256:a');
    expect(chooseManifest([], 'linux/amd64', () => true)).toBeUndefined();
  });

  it.each([
    ['x64', 'linux/amd64'],
    ['arm64', 'linux/arm64'],
    ['ia32', 'linux/386'],
    ['ppc64', 'linux/ppc64le'],
    ['s390x', 'linux/s390x'],
  ])('the host platform of process.arch %s is %s', (arch, platform) => {
    expect(hostPlatform(arch)).toBe(platform);
  });
});
