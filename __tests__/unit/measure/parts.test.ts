import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../../src/dockerfile/index.js';
import { Docker } from '../../../src/docker/exec.js';
import { analyzeImage, shortInstruction } from '../../../src/measure/analyze.js';
import { classifyFile } from '../../../src/measure/contents.js';
import { startDiskGuard } from '../../../src/measure/disk-guard.js';
import { createGzipSizer } from '../../../src/measure/gzip-size.js';
import { UserError } from '../../../src/util/errors.js';
import { bytesOf, LAYERS, saveArchive } from './archive-fixture.js';

describe('classifyFile', () => {
  const MB = 1024 * 1024;
  const cases: [string, number, string | undefined][] = [
    ['usr/lib/x86_64-linux-gnu/libcudnn.so.9', 10, 'cuda-libraries-in-image'],
    [
      'usr/local/lib/python3.11/site-packages/nvidia/cublas/lib/libcublasLt.so.12',
      10,
      'cuda-libraries-in-image',
    ],
    ['usr/local/lib/python3.11/site-packages/torch/lib/libtorch_cuda.so', 10, 'cuda-libraries-in-image'],
    ['usr/lib/libcudart.so.12.1.105', 10, 'cuda-libraries-in-image'],
    ['app/model.safetensors', 60 * MB, 'model-weights-in-image'],
    ['app/tiny.pt', 1000, undefined],
    ['app/model.gguf', 20 * MB, 'model-weights-in-image'],
    ['app/pytorch_model.bin', 200 * MB, 'model-weights-in-image'],
    ['app/small.bin', 2 * MB, undefined],
    ['usr/lib/gcc/x86_64-linux-gnu/12/cc1', 10, 'compiler-in-image'],
    ['usr/bin/gcc-12', 10, 'compiler-in-image'],
    ['usr/bin/x86_64-linux-gnu-g++-12', 10, 'compiler-in-image'],
    ['usr/share/doc/gcc-12/README', 10, undefined],
    ['root/.cache/pip/http/a/b', 10, 'package-cache-in-image'],
    ['var/lib/apt/lists/deb.debian.org_dists_InRelease', 10, 'package-cache-in-image'],
    ['var/lib/apt/lists/lock', 0, undefined],
    ['var/cache/apt/archives/x.deb', 10, 'package-cache-in-image'],
    ['app/.git/HEAD', 10, 'git-folder-in-image'],
    ['.git/config', 10, 'git-folder-in-image'],
    ['app/.gitignore', 10, undefined],
    ['usr/bin/python3', 10, undefined],
  ];
  for (const [file, size, rule] of cases) {
    it(`${file} → ${rule ?? 'nothing'}`, () => expect(classifyFile(file, size)?.rule).toBe(rule));
  }
  it('groups .git folders and caches by their root', () => {
    expect(classifyFile('srv/app/.git/objects/ab', 1)?.group).toBe('/srv/app/.git');
    expect(classifyFile('root/.cache/pip/x', 1)?.group).toBe('/root/.cache/pip');
  });
});

describe('gzip sizer', () => {
  const text = Buffer.from('the quick brown fox jumps over the lazy dog\n'.repeat(60_000));
  const data = Buffer.concat([text, bytesOf(2_000_000), text]);
  for (const mode of ['blocks', 'stream'] as const) {
    it(`${mode}: within 0.5% of gzip -6`, async () => {
      const sizer = createGzipSizer(mode);
      for (let offset = 0; offset < data.length; offset += 65_536) {
        const wait = sizer.write(data.subarray(offset, offset + 65_536));
        if (wait) await wait;
      }
      const size = await sizer.end();
      const reference = zlib.gzipSync(data, { level: 6 }).length;
      expect(Math.abs(size - reference) / reference).toBeLessThan(0.005);
    });
    it(`${mode}: empty input is an empty gzip`, async () => {
      expect(await createGzipSizer(mode).end()).toBe(zlib.gzipSync(Buffer.alloc(0)).length);
    });
  }
});

describe('shortInstruction', () => {
  it('shortens instructions for messages', () => {
    expect(shortInstruction('RUN |1 TORCH=cpu /bin/sh -c pip install -r requirements.txt # buildkit')).toBe(
      'RUN pip install -r requirements.txt',
    );
    expect(shortInstruction('/bin/sh -c #(nop) ADD file:x in / ')).toBe('ADD file:x in /');
  });
});

describe('startDiskGuard', () => {
  it('records the peak and calls onLow once, below the threshold', async () => {
    const free = [1000, 900, 700, 400, 300, 800];
    let calls = 0;
    const lows: number[] = [];
    const guard = startDiskGuard({
      path: '/data',
      minFreeBytes: 500,
      intervalMs: 10,
      onLow: (bytes) => lows.push(bytes),
      statfs: () => ({ bavail: BigInt(free[Math.min(calls++, free.length - 1)]!), bsize: 1n }),
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(guard.stop()).toEqual({ peakUsedBytes: 700, minFreeBytes: 300 });
    expect(lows).toEqual([400]);
  });

  it('never calls onLow without a threshold, and survives a failing statfs', async () => {
    let calls = 0;
    const guard = startDiskGuard({
      path: '/data',
      intervalMs: 10,
      onLow: () => {
        throw new Error('not expected');
      },
      statfs: () => {
        calls += 1;
        if (calls > 2) throw new Error('ENOENT');
        return { bavail: 100, bsize: 4096 };
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(guard.stop()).toEqual({ peakUsedBytes: 0, minFreeBytes: 409_600 });
  });

  it('reads the real filesystem by default', () => {
    const result = startDiskGuard({ path: tmpdir(), onLow: () => undefined }).stop();
    expect(result.minFreeBytes).toBeGreaterThan(0);
  });
});

describe('analyzeImage with a stand-in docker CLI', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'measure-'));
  const fakeDocker = (archive: Buffer, saveTail = ''): Docker => {
    const archivePath = path.join(dir, `archive-${Math.random()}.tar`);
    writeFileSync(archivePath, archive);
    const script = path.join(dir, `docker-${Math.random()}.sh`);
    writeFileSync(
      script,
      [
        '#!/bin/sh',
        'case "$1" in',
        `  save) cat '${archivePath}'; ${saveTail || 'exit 0'} ;;`,
        `  image) echo '{"CreatedBy":"RUN /bin/sh -c rm -rf /big.dat /dir # buildkit","Size":"1234"}'; echo '{"CreatedBy":"ENV A=b","Size":"0"}'; echo '{"CreatedBy":"RUN /bin/sh -c pip install torch # buildkit","Size":"12345678"}'; echo '{"CreatedBy":"/bin/sh -c #(nop) ADD file:abc in / ","Size":"9000"}' ;;`,
        'esac',
      ].join('\n'),
    );
    chmodSync(script, 0o755);
    return new Docker(script);
  };

  it('reports layers with their measured sizes (not the history rows), findings with Dockerfile lines', async () => {
    const { archive } = await saveArchive(LAYERS, { layout: 'legacy', emptyBefore: { 2: 'ENV A=b' } });
    const analysis = await analyzeImage(fakeDocker(archive), 'fixture:latest', {
      dockerfile: 'svc/Dockerfile',
      steps: parseDockerfile('FROM busybox\n\nRUN pip install torch\nENV A=b\nRUN rm -rf /big.dat /dir\n')
        .stages[0]!.instrs,
    });
    // The history rows of the stand-in CLI say 9000, 12,345,678 and 1234: the sizes come from the
    // layers' own files (and symlink targets), as on the containerd store the history is snapshot usage.
    expect(analysis.layers.map((layer) => layer.size)).toEqual([9110, 13_111_733, 467]);
    expect(analysis.uncompressedSize).toBe(9110 + 13_111_733 + 467);
    expect(analysis.wastedBytes).toBe(6000);
    expect(analysis.findings.map((finding) => [finding.rule, finding.line])).toEqual([
      ['model-weights-in-image', 3],
      ['package-cache-in-image', 3],
      ['cuda-libraries-in-image', 3],
      ['compiler-in-image', 1],
      ['git-folder-in-image', 3],
    ]);
    // Each reads as about its step; the base image's on the FROM line; the bytes and place as data too.
    expect(analysis.findings[0]!.message).toBe(
      'Line 3 (RUN pip install torch) writes 11.5MB of model weights into the image: /models/model.safetensors',
    );
    expect(analysis.findings[3]!.message).toBe(
      'The base image (FROM on line 1) brings 3kB of compiler files: /usr/lib/gcc/x86_64-linux-gnu/12/cc1 and 1 more file, in layer 1 of 3 (ADD file:abc in /)',
    );
    expect(analysis.findings.map((finding) => finding.imageEvidence?.layer)).toEqual([2, 2, 2, 1, 2]);
    expect(analysis.findings[0]!.imageEvidence).toEqual({
      rule: 'model-weights-in-image',
      bytes: 11 * 1024 * 1024,
      files: 1,
      path: '/models/model.safetensors',
      layer: 2,
    });
    // Several files: the folder their largest share; a cache: its folder.
    expect(analysis.findings[3]!.imageEvidence).toMatchObject({ files: 2, path: '/usr', layer: 1 });
    expect(analysis.findings[1]!.imageEvidence).toMatchObject({ files: 1, path: '/root/.cache/pip' });
  });

  it('reports an image removed mid-analysis as one line', async () => {
    const { archive } = await saveArchive(LAYERS, { layout: 'legacy' });
    const docker = fakeDocker(
      archive.subarray(0, 20_000),
      'echo "Error response from daemon: No such image: fixture:latest" >&2; exit 1',
    );
    const error = await analyzeImage(docker, 'fixture:latest').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      'cannot analyse fixture:latest: docker save failed (exit 1): No such image: fixture:latest',
    );
  });

  it('reports a missing docker CLI as one line', async () => {
    const error = await analyzeImage(new Docker(path.join(dir, 'nope')), 'x').catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/docker CLI .* was not found/);
  });
});
