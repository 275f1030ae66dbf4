/**
 * Layers read where the engine keeps them (src/measure/layer-store.ts) against `docker save`, on
 * both engines: an image with deletions, a replaced folder, hard and symbolic links, a long path
 * and model weights gives the same analysis both ways, the path is really taken (no silent fall
 * back to save), and the reader containers are gone at the end.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Docker } from '../../src/docker/exec.js';
import { analyzeImage } from '../../src/measure/analyze.js';
import { readFromStore, storeReadersRemoved } from '../../src/measure/layer-store.js';
import { READER_LABEL } from '../../src/measure/store-reader.js';
import { isUserError } from '../../src/util/errors.js';

const work = mkdtempSync(path.join(tmpdir(), 'ib-layer-store-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const docker = new Docker(process.env.IMAGE_BUDGET_DOCKER ?? 'docker', { DOCKER_BUILDKIT: '1' });
const engine = process.env.IMAGE_BUDGET_ENGINE;
const long = `${'deep/'.repeat(25)}weights.safetensors`;

async function build(tag: string): Promise<void> {
  const context = path.join(work, 'context');
  mkdirSync(context, { recursive: true });
  writeFileSync(
    path.join(context, 'Dockerfile'),
    [
      'FROM image-budget/busybox:offline',
      `RUN echo ${randomUUID()} > /nonce && mkdir -p /d/sub /m && echo a > /d/sub/a && head -c 3000000 /dev/urandom > /d/big && echo c > /c && ln /c /c2 && ln -s /c /c3 && mkdir -p /m/$(dirname ${long}) && head -c 2000000 /dev/urandom > /m/${long}`,
      'RUN rm -rf /d && mkdir -p /d && echo new > /d/n && rm /c && head -c 1000 /dev/zero > "/m/with space"',
      'COPY app.py /app/app.py',
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(context, 'app.py'), 'print(1)\n');
  const result = await docker.run(['build', '--network=host', '-t', tag, context]);
  if (result.code !== 0) throw new Error(`build failed:\n${result.stderr.slice(-2000)}`);
}

describe(`layers read in place (${engine})`, () => {
  it('gives what docker save gives, without docker save', async () => {
    const tag = `ib-layer-store/${randomUUID().slice(0, 8)}:one`;
    await build(tag);
    const direct = await readFromStore(docker, tag);
    expect(direct, 'the engine’s layout is read in place, not through docker save').toBeDefined();
    expect(direct!.layers).toHaveLength(4);

    const fromStore = await analyzeImage(docker, tag, { read: 'store' });
    const fromSave = await analyzeImage(docker, tag, { read: 'save' });
    const sizes = (a: typeof fromStore): number[] => a.layers.map((l) => l.size);
    expect(sizes(fromStore)).toEqual(sizes(fromSave));
    expect(fromStore.uncompressedSize).toBe(fromSave.uncompressedSize);
    expect(fromStore.wastedBytes).toBe(fromSave.wastedBytes);
    expect(fromStore.wastedBytes).toBeGreaterThan(3_000_000); // /d/big, hidden by the replaced /d
    expect(fromStore.wastedFiles).toEqual(fromSave.wastedFiles);
    expect(fromStore.findings).toEqual(fromSave.findings);
    expect(fromStore.programs).toEqual(fromSave.programs);
    expect(fromStore.layers.map((l) => l.createdBy)).toEqual(fromSave.layers.map((l) => l.createdBy));
    // The same file index: every path, kind and size of every layer.
    const saved = await (
      await import('../../src/measure/save-archive.js')
    ).scanSaveArchive(docker.stream(['save', tag]).stdout);
    // (in the order of the folder's walk, which may differ from the order the layer was written in)
    const index = (layers: typeof saved.layers): string[][] =>
      layers.map((l) =>
        l.entries.paths.map((p, i) => `${p} ${l.entries.kinds[i]} ${l.entries.sizes[i]}`).sort(),
      );
    expect(index(direct!.layers)).toEqual(index(saved.layers));
    if (engine === 'modern') {
      // the blobs themselves: the bytes a registry stores, to the byte
      expect(fromStore.compressedSize).toBe(fromSave.compressedSize);
    } else {
      // the layer tar rebuilt from its folder: gzip of nearly the same bytes
      expect(Math.abs(fromStore.compressedSize - fromSave.compressedSize)).toBeLessThan(
        fromSave.compressedSize * 0.005,
      );
    }

    await storeReadersRemoved();
    const left = await docker.run(['ps', '-aq', '--filter', `label=${READER_LABEL}=${process.pid}`]);
    expect(left.stdout.trim()).toBe('');
  });

  it('an image the engine does not have is still a one-line user error', async () => {
    const error = await analyzeImage(docker, `ib-layer-store/missing-${randomUUID().slice(0, 8)}:x`).catch(
      (e: unknown) => e,
    );
    expect(isUserError(error)).toBe(true);
    await storeReadersRemoved();
  });
});
