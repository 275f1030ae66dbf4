/**
 * The image analysis and the disk guard on the real engine: a test image that carries a fake cuDNN
 * library and a 60 MB model in one layer and deletes a big file in a later one; its compressed size
 * against `docker save` layer tars piped through `gzip`; a build stopped before it fills the disk.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../src/dockerfile/index.js';
import { Docker } from '../../src/docker/exec.js';
import { analyzeImage, type ImageAnalysis } from '../../src/measure/analyze.js';
import { freeBytes, startDiskGuard } from '../../src/measure/disk-guard.js';

const MB = 1000 * 1000;
const TAG = 'image-budget-test/measure:engine';
const work = mkdtempSync(path.join(tmpdir(), 'measure-engine-'));

const DOCKERFILE = [
  'FROM image-budget/busybox:offline',
  'RUN mkdir -p /usr/lib/x86_64-linux-gnu /models \\',
  ' && head -c 5000000 /dev/urandom > /usr/lib/x86_64-linux-gnu/libcudnn.so.9 \\',
  ' && head -c 60000000 /dev/urandom > /models/model.safetensors \\',
  ' && head -c 30000000 /dev/urandom > /tmp/big.bin',
  'ENV MODEL=/models/model.safetensors',
  'RUN rm /tmp/big.bin && echo done > /done',
  '',
].join('\n');

function engineDocker(): Docker {
  return new Docker(process.env.IMAGE_BUDGET_DOCKER ?? '/usr/bin/docker', { DOCKER_BUILDKIT: '1' });
}

function sh(command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      ['-o', 'pipefail', '-c', command],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} failed: ${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

async function build(docker: Docker, context: string, tag: string, signal?: AbortSignal) {
  return docker.run(
    [
      'build',
      `--network=${process.env.IMAGE_BUDGET_NETWORK ?? 'host'}`,
      '--progress=plain',
      '-t',
      tag,
      context,
    ],
    {
      signal,
    },
  );
}

describe('image analysis on the real engine', () => {
  let analysis: ImageAnalysis;
  let analysisMs = 0;

  beforeAll(async () => {
    const docker = engineDocker();
    const context = path.join(work, 'image');
    await sh(`mkdir -p '${context}'`);
    writeFileSync(path.join(context, 'Dockerfile'), DOCKERFILE);
    const result = await build(docker, context, TAG);
    if (result.code !== 0) throw new Error(`test image build failed:\n${result.stderr.slice(-3000)}`);
    const started = performance.now();
    analysis = await analyzeImage(docker, TAG, {
      dockerfile: 'fixtures/measure/Dockerfile',
      steps: parseDockerfile(DOCKERFILE).stages[0]!.instrs,
    });
    analysisMs = performance.now() - started;
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('lists every layer with its instruction and size', () => {
    expect(analysis.layers).toHaveLength(3);
    const [base, payload, cleanup] = analysis.layers;
    expect(base!.size).toBeGreaterThan(MB);
    expect(payload!.createdBy).toContain('head -c 60000000 /dev/urandom > /models/model.safetensors');
    expect(payload!.size).toBeGreaterThanOrEqual(95 * MB);
    expect(payload!.size).toBeLessThan(96 * MB);
    expect(cleanup!.createdBy).toContain('rm /tmp/big.bin');
    expect(cleanup!.size).toBeLessThan(MB);
    // random bytes do not compress
    expect(payload!.compressedSize).toBeGreaterThan(95 * MB);
  });

  it('finds the cuDNN library and the model, with path, size, layer and Dockerfile line', () => {
    const cuda = analysis.findings.find((finding) => finding.rule === 'cuda-libraries-in-image');
    const weights = analysis.findings.find((finding) => finding.rule === 'model-weights-in-image');
    expect(cuda).toMatchObject({
      file: 'fixtures/measure/Dockerfile',
      line: 2,
      source: 'image',
      severity: 'warning',
    });
    // On the line of the step that wrote them, as about that step (issue 12), with the bytes as data.
    expect(cuda!.message).toMatch(/^Line 2 \(RUN mkdir -p /);
    expect(cuda!.message).toContain(
      'writes 5MB of CUDA libraries into the image: /usr/lib/x86_64-linux-gnu/libcudnn.so.9',
    );
    expect(cuda!.imageEvidence).toEqual({
      rule: 'cuda-libraries-in-image',
      bytes: 5_000_000,
      files: 1,
      path: '/usr/lib/x86_64-linux-gnu/libcudnn.so.9',
      layer: 2,
    });
    expect(weights).toMatchObject({ file: 'fixtures/measure/Dockerfile', line: 2 });
    expect(weights!.message).toMatch(/^Line 2 \(RUN mkdir -p /);
    expect(weights!.message).toContain(
      'writes 60MB of model weights into the image: /models/model.safetensors',
    );
  });

  it('counts the deleted file as wasted, added in layer 2 and removed in layer 3', () => {
    expect(analysis.wastedBytes).toBe(30 * MB);
    expect(analysis.wastedFiles[0]).toEqual({
      path: '/tmp/big.bin',
      size: 30 * MB,
      addedIn: 1,
      removedIn: 2,
    });
  });

  it('points each layer at its line (the base image none) and the waste at the line that wrote it', () => {
    expect(analysis.layers.map((layer) => layer.line)).toEqual([undefined, 2, 7]);
    expect(analysis.findings.filter((finding) => finding.rule === 'deleted-in-later-layer')).toEqual([
      expect.objectContaining({
        file: 'fixtures/measure/Dockerfile',
        line: 2,
        message: 'Line 2 adds 30MB that line 7 deletes (/tmp/big.bin): remove it in the same RUN',
      }),
    ]);
  });

  it('matches `docker save`: layer tars piped through gzip (classic store) or the gzip blobs (containerd) within 2%', async () => {
    const dir = path.join(work, 'saved');
    const started = performance.now();
    await sh(`mkdir -p '${dir}' && '${process.env.IMAGE_BUDGET_DOCKER}' save '${TAG}' | tar -x -C '${dir}'`);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
      Layers: string[];
    }[];
    const containerd = process.env.IMAGE_BUDGET_ENGINE === 'modern';
    let reference = 0;
    let uncompressed = 0;
    for (const layer of manifest[0]!.Layers) {
      const file = path.join(dir, layer);
      // On the containerd store the saved blobs are gzip already: their sizes are what a pull moves.
      reference += Number((await sh(containerd ? `wc -c < '${file}'` : `gzip -c '${file}' | wc -c`)).trim());
      uncompressed += Number(
        (await sh(containerd ? `gzip -dc '${file}' | wc -c` : `wc -c < '${file}'`)).trim(),
      );
    }
    const referenceMs = performance.now() - started;
    const error = Math.abs(analysis.compressedSize - reference) / reference;
    console.log(
      `compressed (${containerd ? 'containerd blobs' : 'classic, gzip -c'}): analysis ${analysis.compressedSize} B in ${analysisMs.toFixed(0)} ms (layers, gzip, waste, contents); ` +
        `docker save reference: ${reference} B in ${referenceMs.toFixed(0)} ms; difference ${(error * 100).toFixed(3)}%`,
    );
    expect(error).toBeLessThan(0.02);
    // The layers' contents are under their tars (headers and padding are extra), and close to them.
    expect(analysis.uncompressedSize).toBeLessThanOrEqual(uncompressed);
    expect(analysis.uncompressedSize).toBeGreaterThan(uncompressed * 0.97);
  });

  it('reports an image that does not exist as one line', async () => {
    await expect(analyzeImage(engineDocker(), 'image-budget-test/no-such-image:gone')).rejects.toThrow(
      /^cannot analyse image-budget-test\/no-such-image:gone: docker save failed \(exit 1\): .+$/,
    );
  });
});

describe('disk guard on the real engine', () => {
  it('stops a build that writes past min-free-disk while the disk still has room', async () => {
    const dataRoot = process.env.IMAGE_BUDGET_ENGINE_DATA_ROOT!;
    const context = path.join(work, 'filler');
    await sh(`mkdir -p '${context}'`);
    // 1 GB, 10 MB at a time, not too fast: the guard samples every 50 ms.
    writeFileSync(
      path.join(context, 'Dockerfile'),
      [
        'FROM image-budget/busybox:offline',
        `RUN echo ${Date.now()} && i=0; while [ $i -lt 100 ]; do dd if=/dev/zero of=/fill.$i bs=1M count=10 2>/dev/null; sync; sleep 0.1; i=$((i+1)); done`,
        '',
      ].join('\n'),
    );
    const threshold = freeBytes(dataRoot) - 200 * MB;
    const margin = 150 * MB;
    const controller = new AbortController();
    let lowAt: number | undefined;
    const guard = startDiskGuard({
      path: dataRoot,
      minFreeBytes: threshold,
      intervalMs: 50,
      onLow: (free) => {
        lowAt = free;
        controller.abort();
      },
    });
    const started = performance.now();
    const result = await build(
      engineDocker(),
      context,
      'image-budget-test/measure:filler',
      controller.signal,
    );
    const seen = guard.stop();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `disk guard: threshold ${(threshold / MB).toFixed(0)} MB free, onLow at ${((lowAt ?? 0) / MB).toFixed(0)} MB, ` +
        `lowest ${(seen.minFreeBytes / MB).toFixed(0)} MB, peak used ${(seen.peakUsedBytes / MB).toFixed(0)} MB, build stopped after ${seconds}s`,
    );
    expect(lowAt).toBeDefined();
    expect(result.aborted).toBe(true);
    expect(result.code).not.toBe(0);
    expect(seen.peakUsedBytes).toBeGreaterThanOrEqual(200 * MB);
    expect(seen.peakUsedBytes).toBeLessThan(1000 * MB);
    expect(seen.minFreeBytes).toBeGreaterThan(threshold - margin);
    const inspect = await engineDocker().run(['image', 'inspect', 'image-budget-test/measure:filler']);
    expect(inspect.code).not.toBe(0); // the build never finished
  });
});
