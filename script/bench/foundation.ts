/**
 * The foundation's speed, each figure against a peer measured in the same run:
 *  1. Overhead: `image-budget check` of the example (warm engine cache) against the same builds run
 *     as plain `docker build` commands one after another. Overhead = our wall time minus the sum of
 *     our builds' wall times; the peer's wall time is what the builds alone cost from a shell.
 *  2. Discovery: planning a 200-service compose file (parse, interpolate, resolve and check paths)
 *     against a bare `yaml` parse of the same file.
 * Needs the engine's environment (`eval "$(script/engine env)"`; `npm run bench` sets it up).
 *
 *   npx tsx script/bench/foundation.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { Docker } from '../../src/docker/exec.js';
import { makePlan } from '../../src/plan/make-plan.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { silentLog } from '../../src/util/log.js';

const repo = path.resolve(import.meta.dirname, '../..');
const example = path.join(repo, 'examples/platform');
const dockerBin = process.env.IMAGE_BUDGET_DOCKER ?? 'docker';
const network = process.env.IMAGE_BUDGET_NETWORK;
const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function overhead(): Promise<string[]> {
  const docker = new Docker(dockerBin);
  const base = {
    root: example,
    tag: 'image-budget-bench/{service}:{sha}',
    sha: 'bench',
    docker: dockerBin,
    workDir: mkdtempSync(path.join(tmpdir(), 'ib-bench-')),
    cache: 'none' as const,
    ...(network ? { network } : {}),
  };
  // Warm: the engine's build cache and image-budget's analysis cache hold this example already.
  const warmOptions = { ...base, analysisCacheDir: mkdtempSync(path.join(tmpdir(), 'ib-bench-analysis-')) };
  const { report: first } = await runPipeline(warmOptions, { docker, log: silentLog });
  const ours: { wall: number; builds: number }[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    const { report } = await runPipeline(warmOptions, { docker, log: silentLog });
    ours.push({ wall: performance.now() - started, builds: report.totals.buildDurationMs });
  }
  const plan = makePlan({ root: example });
  const peer: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    for (const service of plan.services) {
      if (!service.build?.dockerfile) continue;
      const args = [
        'build',
        '-q',
        '-t',
        `image-budget-bench-peer/${service.name}`,
        '-f',
        service.build.dockerfile,
      ];
      if (service.build.target) args.push('--target', service.build.target);
      for (const [k, v] of Object.entries(service.build.args)) args.push('--build-arg', `${k}=${v}`);
      if (network) args.push('--network', network);
      args.push(service.build.context);
      execFileSync(dockerBin, args, { env: { ...process.env, DOCKER_BUILDKIT: '1' }, stdio: 'ignore' });
    }
    peer.push(performance.now() - started);
  }

  // First analysis of the same images (an empty analysis cache), against what a person would run
  // for their compressed sizes: `docker save <image> | gzip -c | wc -c`, image after image.
  const fresh = { ...base, analysisCacheDir: mkdtempSync(path.join(tmpdir(), 'ib-bench-analysis-')) };
  const analysed = performance.now();
  const { report: cold } = await runPipeline(fresh, { docker, log: silentLog });
  const coldOverhead = performance.now() - analysed - cold.totals.buildDurationMs;
  const images = first.services.flatMap((s) => (s.image ? [s.image.id] : []));
  const saved = performance.now();
  for (const id of images) {
    execFileSync('bash', ['-c', `"$0" save "$1" | gzip -c | wc -c`, dockerBin, id], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  }
  const savePeer = performance.now() - saved;

  const wall = median(ours.map((r) => r.wall));
  const builds = median(ours.map((r) => r.builds));
  const over = median(ours.map((r) => r.wall - r.builds));
  const peerWall = median(peer);
  const size = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;
  return [
    `### Overhead on the example (${images.length} images, ${size(first.totals.size)}; warm, median of ${RUNS})`,
    '',
    "A warm rerun: the engine's build cache and the analysis cache (by layer content) hold every image.",
    '',
    '| what | wall time |',
    '| --- | --- |',
    `| image-budget check, whole run (lint, builds, measurements, budgets) | ${wall.toFixed(0)} ms |`,
    `| of which the builds (sum of build wall times) | ${builds.toFixed(0)} ms |`,
    `| **image-budget's own overhead** (run minus builds) | **${over.toFixed(0)} ms** |`,
    `| peer: the same builds as plain \`docker build\` commands in a row | ${peerWall.toFixed(0)} ms |`,
    '',
    `Whole run vs the bare builds: **${(wall / peerWall).toFixed(2)}x**; overhead goal < 1000 ms.`,
    '',
    `### First analysis of the same images (empty analysis cache)`,
    '',
    '| what | wall time |',
    '| --- | --- |',
    `| image-budget check minus builds, analysing every layer (compressed size, waste, contents) | ${coldOverhead.toFixed(0)} ms |`,
    `| peer: \`docker save <image> \\| gzip -c \\| wc -c\` for each image, compressed size only | ${savePeer.toFixed(0)} ms |`,
    '',
    `Ratio: **${(coldOverhead / savePeer).toFixed(2)}x** the peer, which measures less (see also the analyze benchmark). Turn it off with \`analyze: false\` / \`--no-analyze\`.`,
  ];
}

function discovery(): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'ib-bench-200-'));
  const lines = ['x-base: &base ${BASE_IMAGE:-python:3.11-slim}', 'services:'];
  for (let i = 0; i < 200; i += 1) {
    mkdirSync(path.join(dir, `svc${i}`));
    writeFileSync(path.join(dir, `svc${i}`, 'Dockerfile'), 'FROM scratch\n');
    lines.push(
      `  svc${i}:`,
      '    build:',
      `      context: ./svc\${SVC_DIR_SUFFIX:-${i}}`,
      '      target: runtime',
      '      args:',
      '        BASE_IMAGE: *base',
      `        - VERSION=\${VERSION:-1.${i}}`.replace('- ', 'X_'),
      '    environment:',
      '      LOG_LEVEL: info',
      `    ports: ["${8000 + i}:8000"]`,
    );
  }
  const file = path.join(dir, 'docker-compose.yml');
  writeFileSync(file, `${lines.join('\n').replaceAll('X_VERSION=', 'VERSION: ')}\n`);
  const text = readFileSync(file, 'utf8');
  const time = (fn: () => unknown): number => {
    fn();
    const samples: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const started = performance.now();
      fn();
      samples.push(performance.now() - started);
    }
    return median(samples);
  };
  let services = 0;
  const ours = time(() => {
    services = makePlan({ root: dir }, {}).services.length;
  });
  const peer = time(() => parse(text, { maxAliasCount: 10_000 }));
  return [
    `### Discovery of a ${services}-service compose file (median of 20)`,
    '',
    '| what | time |',
    '| --- | --- |',
    `| image-budget: read, parse, interpolate, resolve and check every path | ${ours.toFixed(1)} ms |`,
    `| peer: \`yaml\` parse of the same text, nothing else | ${peer.toFixed(1)} ms |`,
    '',
    `Ratio: **${(ours / peer).toFixed(2)}x** the bare parse; goal < 100 ms.`,
  ];
}

const sections = [...(await overhead()), '', ...discovery()];
console.log(['## Foundation', '', ...sections].join('\n'));
