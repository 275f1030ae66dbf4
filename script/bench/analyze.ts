/**
 * Benchmark of the image analysis: a ~1 GB image made locally from real files (copies of /usr/lib and
 * /usr/share plus some random data), analysed by `analyzeImage` (layers, compressed size, wasted bytes
 * and contents together) against `docker save <img> | gzip -c | wc -c` on the same image in the same
 * run. Prints a markdown section. Needs the engine: `eval "$(bash script/engine env)"` first.
 *
 *   npx tsx script/bench/analyze.ts [--size-mb 1000] [--keep]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { Docker } from '../../src/docker/exec.js';
import { analyzeImage } from '../../src/measure/analyze.js';
import { formatBytes } from '../../src/report/format.js';
import type { GzipMode } from '../../src/measure/gzip-size.js';

const args = process.argv.slice(2);
const sizeMb = Number(args[args.indexOf('--size-mb') + 1] ?? 1000) || 1000;
const keep = args.includes('--keep');
const docker = process.env.IMAGE_BUDGET_DOCKER ?? 'docker';
const TAG = 'image-budget-bench/analyze:latest';

function run(command: string, options: { cwd?: string } = {}): string {
  return execFileSync('bash', ['-o', 'pipefail', '-c', command], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    ...options,
  });
}

/** Copies real files (up to `limit` bytes) from `source` into `target`. */
function copyReal(source: string, target: string, limit: number): number {
  const found = run(
    `find '${source}' -xdev -type f -size -64M -readable -printf '%s\\t%p\\n' 2>/dev/null || true`,
  );
  const files: string[] = [];
  let total = 0;
  for (const line of found.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const size = Number(line.slice(0, tab));
    if (total + size > limit) continue;
    total += size;
    files.push(line.slice(tab + 1));
  }
  const listFile = path.join(target, '..', `${path.basename(target)}.list`);
  writeFileSync(listFile, files.join('\0'));
  run(`mkdir -p '${target}' && tar --null -T '${listFile}' -cf - 2>/dev/null | tar -xf - -C '${target}'`);
  return Number(run(`du -sb '${target}' | cut -f1`).trim());
}

function makeImage(): { context: string; bytes: number } {
  const context = mkdtempSync(path.join(tmpdir(), 'bench-analyze-'));
  const target = sizeMb * 1e6;
  let bytes = copyReal('/usr/lib', path.join(context, 'lib'), target * 0.5);
  bytes += copyReal('/usr/share', path.join(context, 'share'), target * 0.3);
  const randomMb = Math.max(1, Math.round((target - bytes) / 1e6));
  run(`head -c ${randomMb}000000 /dev/urandom > '${context}/random.bin'`);
  bytes += randomMb * 1e6;
  writeFileSync(
    path.join(context, 'Dockerfile'),
    [
      'FROM image-budget/busybox:offline',
      'COPY lib /usr/lib/bench',
      'COPY share /usr/share/bench',
      'COPY random.bin /data/random.bin',
      'RUN rm -rf /usr/share/bench/doc && chmod 600 /data/random.bin',
      '',
    ].join('\n'),
  );
  const network = process.env.IMAGE_BUDGET_NETWORK ?? 'host';
  run(`DOCKER_BUILDKIT=1 '${docker}' build -q --network=${network} -t ${TAG} .`, { cwd: context });
  return { context, bytes };
}

/** `docker save <img> | gzip -c | wc -c`, timed. */
function pipelineReference(): Promise<{ ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('bash', ['-o', 'pipefail', '-c', `'${docker}' save ${TAG} | gzip -c | wc -c`], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('close', (code) =>
      code === 0
        ? resolve({ ms: performance.now() - started, bytes: Number(out.trim()) })
        : reject(new Error(`pipeline exit ${code}`)),
    );
  });
}

async function analysisRun(mode: GzipMode) {
  const started = performance.now();
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const cpuBefore = process.cpuUsage();
  const analysis = await analyzeImage(new Docker(docker), TAG, { gzip: mode });
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpuBefore);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return {
    ms: performance.now() - started,
    analysis,
    peakRss,
    rssBefore,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

const image = makeImage();
try {
  // Warm the page cache for both sides alike.
  await pipelineReference();
  const reference = await pipelineReference();
  const blocks = await analysisRun('blocks');
  const stream = await analysisRun('stream');
  const { analysis } = blocks;
  const maxRss = process.resourceUsage().maxRSS * 1024;
  const row = (name: string, run: Awaited<ReturnType<typeof analysisRun>>): string =>
    `| ${name} | ${(run.ms / 1000).toFixed(2)} s | ${(run.ms / reference.ms).toFixed(2)} | ${formatBytes(run.analysis.compressedSize)} | ${formatBytes(run.peakRss)} (${formatBytes(run.rssBefore)} before) | ${(run.cpuMs / 1000).toFixed(1)} s |`;
  console.log(
    [
      `## Image analysis on the ${process.env.IMAGE_BUDGET_ENGINE ?? 'legacy'} engine (\`npx tsx script/bench/analyze.ts\`)`,
      '',
      `Image store: ${process.env.IMAGE_BUDGET_ENGINE === 'modern' ? 'containerd (the saved layers are gzip blobs already: no gzip of ours)' : 'classic (the saved layers are tars: gzip measured)'}.`,
      `Image: ${formatBytes(analysis.uncompressedSize)} uncompressed (the layers' files), ${analysis.layers.length} layers, made from ${formatBytes(image.bytes)} of /usr/lib, /usr/share and random data. Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}.`,
      '',
      '| run | time | vs pipeline | compressed | peak RSS | CPU (node) |',
      '| --- | --- | --- | --- | --- | --- |',
      `| \`docker save \\| gzip -c \\| wc -c\` | ${(reference.ms / 1000).toFixed(2)} s | 1.00 | ${formatBytes(reference.bytes)} (whole archive) | | |`,
      row('analyzeImage, gzip in parallel blocks (kept)', blocks),
      row('analyzeImage, one gzip stream per layer', stream),
      '',
      `Analysis found: wasted ${formatBytes(analysis.wastedBytes)} in ${analysis.wastedFiles.length}+ files, ${analysis.findings.length} content findings; compressed size ${formatBytes(analysis.compressedSize)} (sum of per-layer gzip).`,
      `Process max RSS over the whole run (both analyses): ${formatBytes(maxRss)}.`,
    ].join('\n'),
  );
} finally {
  if (!keep) {
    rmSync(image.context, { recursive: true, force: true });
    run(`'${docker}' image rm -f ${TAG} >/dev/null 2>&1 || true`);
  }
}
