/**
 * Benchmark of a cold run's wall time, side by side in one run on the engine of the environment
 * (`eval "$(bash script/engine --engine E env)"`; `npm run bench -- walltime` runs it on both):
 *
 * 1. builds: four services whose dependency steps wait 6, 4, 8 and 3 s (I/O-bound, as pip
 *    downloads are), each run cold (a nonce in the first step), built by
 *    - `image-budget check --no-analyze` (every service at once),
 *    - the slowest service alone (the floor),
 *    - plain `docker build` of each, one after another (the old way),
 *    - `docker buildx bake -f compose.yaml` (modern engine only: the peer that also builds all at once);
 * 2. analysis: a ~400 MB image analysed cold, then again after a one-line change with the layer
 *    cache kept (a fresh runner whose cache was restored);
 * 3. memory: the peak RSS of this process over the whole benchmark.
 *
 *   npx tsx script/bench/walltime.ts [--analysis-mb 400]
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Docker } from '../../src/docker/exec.js';
import { AnalysisCache } from '../../src/measure/analysis-cache.js';
import { storeReadersRemoved } from '../../src/measure/layer-store.js';
import { analyzeImage } from '../../src/measure/analyze.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { silentLog } from '../../src/util/log.js';

const args = process.argv.slice(2);
const analysisMb = Number(args[args.indexOf('--analysis-mb') + 1] ?? 400) || 400;
const binary = process.env.IMAGE_BUDGET_DOCKER ?? 'docker';
const engine = process.env.IMAGE_BUDGET_ENGINE ?? 'legacy';
const docker = new Docker(binary, { DOCKER_BUILDKIT: '1' });
const WAITS: Record<string, number> = { api: 6, worker: 4, ml: 8, web: 3 };
const temps: string[] = [];

function sh(command: string, cwd?: string): string {
  return execFileSync('bash', ['-o', 'pipefail', '-c', command], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, DOCKER_BUILDKIT: '1' },
    ...(cwd ? { cwd } : {}),
  });
}

/** A compose repo of the four services, cold for this nonce. */
function repo(nonce: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ib-bench-wall-'));
  temps.push(dir);
  const services = Object.entries(WAITS);
  writeFileSync(
    path.join(dir, 'compose.yaml'),
    `services:\n${services.map(([name]) => `  ${name}:\n    build:\n      context: ./${name}\n      network: host\n`).join('')}`,
  );
  for (const [name, seconds] of services) {
    mkdirSync(path.join(dir, name));
    writeFileSync(
      path.join(dir, name, 'Dockerfile'),
      [
        'FROM image-budget/busybox:offline',
        `RUN echo ${nonce}-${name} > /nonce && sleep ${seconds}`,
        'RUN head -c 3000000 /dev/zero > /deps',
        `COPY app.txt /app.txt`,
        '',
      ].join('\n'),
    );
    writeFileSync(path.join(dir, name, 'app.txt'), `${name}\n`);
  }
  return dir;
}

async function ours(dir: string, services?: string[]): Promise<number> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'ib-bench-wall-work-'));
  temps.push(workDir);
  const started = performance.now();
  const { report } = await runPipeline(
    {
      root: dir,
      tag: 'ib-bench-wall/{service}:{sha}',
      sha: randomUUID().slice(0, 8),
      network: 'host',
      docker: binary,
      workDir,
      cache: 'none',
      analyze: false,
      ...(services ? { services } : {}),
    },
    { docker, log: silentLog, env: process.env },
  );
  const failed = report.services.filter((s) => s.build && s.build.status !== 'success');
  if (failed.length > 0)
    throw new Error(`builds failed: ${failed.map((s) => `${s.name}: ${s.error}`).join('; ')}`);
  return performance.now() - started;
}

function timed(fn: () => void): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function builds(): Promise<string[]> {
  const slowest = Object.entries(WAITS).sort((a, b) => b[1] - a[1])[0]![0];
  const all = await ours(repo(randomUUID().slice(0, 8)));
  const alone = await ours(repo(randomUUID().slice(0, 8)), [slowest]);
  const sequentialDir = repo(randomUUID().slice(0, 8));
  const sequential = timed(() => {
    for (const name of Object.keys(WAITS)) {
      sh(
        `'${binary}' build -q --network=host -t ib-bench-wall/${name}:seq ./${name} >/dev/null`,
        sequentialDir,
      );
    }
  });
  const rows = [
    `| image-budget check --no-analyze (all at once) | ${seconds(all)} | ${(all / alone).toFixed(2)} |`,
    `| the slowest service (${slowest}, ${WAITS[slowest]} s step) alone, through image-budget | ${seconds(alone)} | 1.00 |`,
    `| plain \`docker build\` of each, one after another | ${seconds(sequential)} | ${(sequential / alone).toFixed(2)} |`,
  ];
  if (engine === 'modern') {
    const bakeDir = repo(randomUUID().slice(0, 8));
    const bake = timed(() =>
      sh(`'${binary}' buildx bake -f compose.yaml --load --progress=quiet >/dev/null 2>&1`, bakeDir),
    );
    rows.push(
      `| \`docker buildx bake -f compose.yaml\` (all at once) | ${seconds(bake)} | ${(bake / alone).toFixed(2)} |`,
    );
    rows.push('');
    rows.push(`image-budget minus bake: ${((all - bake) / 1000).toFixed(2)} s (goal: within 1 s).`);
  }
  return rows;
}

async function analysis(): Promise<string[]> {
  const context = mkdtempSync(path.join(os.tmpdir(), 'ib-bench-wall-img-'));
  temps.push(context);
  const nonce = randomUUID().slice(0, 8);
  const dockerfile = (app: string) => {
    writeFileSync(
      path.join(context, 'Dockerfile'),
      [
        'FROM image-budget/busybox:offline',
        `RUN echo ${nonce} > /n && head -c ${Math.round(analysisMb * 0.4)}000000 /dev/urandom > /model.bin && (i=0; while [ $i -lt ${Math.round(analysisMb * 0.6)} ]; do yes "text line $i of the bench" | head -c 1000000 > /text.$i; i=$((i+1)); done)`,
        'COPY app.py /app.py',
        '',
      ].join('\n'),
    );
    writeFileSync(path.join(context, 'app.py'), app);
  };
  dockerfile('print(1)\n');
  sh(`'${binary}' build -q --network=host -t ib-bench-wall/analysis:one . >/dev/null`, context);
  const cache = new AnalysisCache(mkdtempSync(path.join(os.tmpdir(), 'ib-bench-wall-cache-')));
  temps.push(cache.dir);
  let started = performance.now();
  await analyzeImage(docker, 'ib-bench-wall/analysis:one', { read: 'save' });
  const coldSaveMs = performance.now() - started;
  started = performance.now();
  const cold = await analyzeImage(docker, 'ib-bench-wall/analysis:one', { layers: cache.layers() });
  const coldMs = performance.now() - started;
  dockerfile('print(1)\nprint(2)\n');
  sh(`'${binary}' build -q --network=host -t ib-bench-wall/analysis:two . >/dev/null`, context);
  started = performance.now();
  const warm = await analyzeImage(docker, 'ib-bench-wall/analysis:two', { layers: cache.layers() });
  const warmMs = performance.now() - started;
  started = performance.now();
  sh(`'${binary}' save ib-bench-wall/analysis:two | gzip -c | wc -c`);
  const peerMs = performance.now() - started;
  return [
    `| cold (every layer read where the engine keeps it) | ${seconds(coldMs)} | 1.00 | ${(cold.uncompressedSize / 1e6).toFixed(0)} MB, ${cold.layers.length} layers |`,
    `| cold through \`docker save\` (the fallback) | ${seconds(coldSaveMs)} | ${(coldSaveMs / coldMs).toFixed(2)} | |`,
    `| after a one-line change, layer cache kept | ${seconds(warmMs)} | ${(warmMs / coldMs).toFixed(2)} | ${warm.reusedLayers} of ${warm.layers.length} layers reused; ${(warmMs / coldSaveMs).toFixed(2)} of the cold run through \`docker save\` |`,
    `| \`docker save \\| gzip -c \\| wc -c\` of the changed image (peer) | ${seconds(peerMs)} | ${(peerMs / coldMs).toFixed(2)} | |`,
  ];
}

try {
  const buildRows = await builds();
  const analysisRows = await analysis();
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(
    [
      `## Wall time on the ${engine} engine (\`npx tsx script/bench/walltime.ts\`)`,
      '',
      `${os.cpus().length} CPUs, ${sh(`'${binary}' version --format 'docker {{.Server.Version}}'`).trim()}. Four services whose first step waits ${Object.values(WAITS).join(', ')} s, each build cold (a nonce in its first step), no analysis.`,
      '',
      '| run | wall time | vs the slowest service alone (goal for ours: at most 1.2) |',
      '| --- | --- | --- |',
      ...buildRows,
      '',
      `Analysis of a ~${analysisMb} MB image (random model bytes and text), the layer cache in a fresh folder:`,
      '',
      '| analysis | time | vs cold (goal after a change: at most 0.10) | |',
      '| --- | --- | --- | --- |',
      ...analysisRows,
      '',
      `Peak RSS of the whole benchmark process: ${(peak / 1e6).toFixed(0)} MB (goal: under 300 MB).`,
    ].join('\n'),
  );
} finally {
  await storeReadersRemoved();
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
}
