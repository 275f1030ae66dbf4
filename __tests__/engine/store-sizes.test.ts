/**
 * The same image measures the same on either image store. `FROM scratch` plus two copied files
 * (20 MB of text, 12 MB of random bytes) has an uncompressed size known to the byte, 32,000,000,
 * whatever the engine; `check` must report it within 1% on the legacy engine (classic store, where
 * `docker image inspect` Size is right) and on the modern one (containerd store, where that Size is
 * the compressed content, 60% off for this image). The compressed size is within 2% of what
 * `docker save` holds: the layer tars through gzip (classic) or the gzip blobs (containerd).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, type CliIo } from '../../src/cli/main.js';
import type { Report } from '../../src/report/model.js';
import { writeRepo } from '../support/repo.js';

const TEXT_BYTES = 20_000_000;
const RANDOM_BYTES = 12_000_000;
const modern = process.env.IMAGE_BUDGET_ENGINE === 'modern';
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function text(bytes: number): string {
  const line = 'the same line of text, over and over, compresses well\n';
  return line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes);
}

describe(`image sizes on the ${modern ? 'containerd' : 'classic'} image store`, () => {
  it('uncompressed within 1% of the bytes copied in; compressed within 2% of docker save', async () => {
    const dir = writeRepo(
      {
        'compose.yaml': 'services:\n  sized:\n    build: .\n',
        Dockerfile: 'FROM scratch\nCOPY text.txt /text.txt\nCOPY random.bin /random.bin\n',
        '.dockerignore': 'compose.yaml\nDockerfile\n',
        'text.txt': text(TEXT_BYTES),
      },
      'ib-store-sizes-',
    );
    temps.push(dir);
    writeFileSync(path.join(dir, 'random.bin'), randomBytes(RANDOM_BYTES));
    let stdout = '';
    const io: CliIo = { stdout: (t) => (stdout += t), stderr: () => undefined, env: process.env, cwd: dir };
    const code = await cli(['check', '.', '--json', '--tag', 'ib-store-sizes/{service}:test'], io);
    const report = JSON.parse(stdout) as Report;
    expect(code, stdout).toBe(0);
    expect(report.engine?.imageStore).toBe(modern ? 'containerd' : 'classic');
    const image = report.services[0]?.image;
    const expected = TEXT_BYTES + RANDOM_BYTES;
    expect(Math.abs((image?.size ?? 0) - expected) / expected).toBeLessThan(0.01);
    expect(image?.sizeSource).toBe(modern ? 'layers' : undefined);

    // What `docker save` holds, measured here without our code.
    const saved = mkdtempSync(path.join(tmpdir(), 'ib-store-sizes-save-'));
    temps.push(saved);
    execFileSync('bash', [
      '-o',
      'pipefail',
      '-c',
      `'${process.env.IMAGE_BUDGET_DOCKER}' save ib-store-sizes/sized:test | tar -x -C '${saved}'`,
    ]);
    const manifest = JSON.parse(readFileSync(path.join(saved, 'manifest.json'), 'utf8')) as {
      Layers: string[];
    }[];
    let reference = 0;
    let tarBytes = 0;
    for (const layer of manifest[0]!.Layers) {
      const blob = readFileSync(path.join(saved, layer));
      const gzipped = blob[0] === 0x1f && blob[1] === 0x8b;
      expect(gzipped).toBe(modern); // containerd saves gzip blobs, the classic store plain tars
      reference += gzipped ? statSync(path.join(saved, layer)).size : gzipSync(blob, { level: 6 }).length;
      tarBytes += gzipped ? gunzipSync(blob).length : blob.length;
    }
    const error = Math.abs((image?.compressedSize ?? 0) - reference) / reference;
    console.log(
      `${process.env.IMAGE_BUDGET_ENGINE}: size ${image?.size} (expected ${expected}), compressed ${image?.compressedSize} vs docker save ${reference} (${(error * 100).toFixed(2)}%), layer tars ${tarBytes}`,
    );
    expect(error).toBeLessThan(0.02);
    // The random bytes do not compress: the pull size is at least them.
    expect(image?.compressedSize).toBeGreaterThan(RANDOM_BYTES);
  });
});
