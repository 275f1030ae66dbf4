/**
 * Discovery of a 200-service project by both paths, beside Compose's own time:
 *  - our parser: read and merge compose.yaml + its override (extends, an include, anchors,
 *    interpolation), resolve and check every path, order the builds;
 *  - the Compose v2 path: `docker compose version` + `docker compose config --format json` and the
 *    same planning of its output (what a run on an engine with Compose v2 does);
 *  - the peer: `docker compose config --format json` alone, as a shell would run it.
 * Needs a docker CLI with Compose v2 for the last two (IMAGE_BUDGET_DOCKER, DOCKER_CONFIG); without
 * one they are reported as not measured.
 *
 *   npx tsx script/bench/discovery.ts
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { composeConfigArgs, composeV2Version } from '../../src/plan/compose-v2.js';
import { findComposeFiles } from '../../src/compose/files.js';
import { emptyConfig } from '../../src/config/schema.js';
import { Docker } from '../../src/docker/exec.js';
import { discoverPlan, makePlan } from '../../src/plan/make-plan.js';

const SERVICES = 200;
const RUNS = 10;
const docker = new Docker(process.env.IMAGE_BUDGET_DOCKER ?? 'docker');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function time(fn: () => unknown): Promise<number> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

/** compose.yaml with 200 services (anchors, interpolation, extends), an override, an include. */
function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ib-bench-discovery-'));
  const main = [
    'x-args: &args',
    '  BASE_IMAGE: ${BASE_IMAGE:-python:3.11-slim}',
    'include:',
    '  - shared/compose.yaml',
    'services:',
  ];
  const override = ['services:'];
  main.push('  base:', '    build:', '      context: ./base', '      args: *args');
  mkdirSync(path.join(dir, 'base'));
  writeFileSync(path.join(dir, 'base/Dockerfile'), 'FROM scratch\n');
  for (let i = 0; i < SERVICES - 2; i += 1) {
    mkdirSync(path.join(dir, `svc${i}`));
    writeFileSync(path.join(dir, `svc${i}`, 'Dockerfile'), 'FROM scratch\n');
    main.push(
      `  svc${i}:`,
      ...(i % 4 === 0 ? ['    extends: base'] : []),
      '    build:',
      `      context: ./svc\${SVC_DIR_SUFFIX:-${i}}`,
      '      target: runtime',
      '      args:',
      '        <<: *args',
      `        VERSION: \${VERSION:-1.${i}}`,
      ...(i % 10 === 0 ? ['    profiles: [extra]'] : []),
      `    ports: ["${8000 + i}:8000"]`,
    );
    if (i % 3 === 0)
      override.push(`  svc${i}:`, '    build:', '      target: dev', '      args: {DEBUG: "1"}');
  }
  writeFileSync(path.join(dir, 'compose.yaml'), `${main.join('\n')}\n`);
  writeFileSync(path.join(dir, 'compose.override.yaml'), `${override.join('\n')}\n`);
  mkdirSync(path.join(dir, 'shared/cache'), { recursive: true });
  writeFileSync(path.join(dir, 'shared/cache/Dockerfile'), 'FROM scratch\n');
  writeFileSync(path.join(dir, 'shared/compose.yaml'), 'services:\n  cache:\n    build: ./cache\n');
  return dir;
}

const dir = project();
const env = {};
const parserPlan = makePlan({ root: dir }, env);
const parser = await time(() => makePlan({ root: dir }, env));
const rows = [
  `| our parser: read, merge (override, extends, include), interpolate, check every path, order | ${parser.toFixed(1)} ms |`,
];
const version = await composeV2Version(docker);
let summary = `Our parser: **${parser.toFixed(0)} ms**`;
if (version) {
  const v2Plan = await discoverPlan({ root: dir }, env, emptyConfig(), docker);
  if (v2Plan.composeSource !== 'compose-v2')
    throw new Error(`Compose v2 path not taken: ${v2Plan.errors.join('; ')}`);
  if (v2Plan.services.length !== parserPlan.services.length)
    throw new Error('the two paths disagree on the services');
  const v2 = await time(() => discoverPlan({ root: dir }, env, emptyConfig(), docker));
  const args = composeConfigArgs({ root: dir, files: findComposeFiles(dir, undefined) });
  const peer = await time(() => docker.run(args, { cwd: dir }));
  rows.push(
    `| Compose v2 path: \`docker compose version\` + \`config --format json\` + the same planning | ${v2.toFixed(1)} ms |`,
    `| peer: \`docker compose config --format json\` alone (Compose ${version}) | ${peer.toFixed(1)} ms |`,
  );
  summary += `, Compose v2 path: **${v2.toFixed(0)} ms** (of which Compose's own config ${peer.toFixed(0)} ms); goal < 300 ms each.`;
} else {
  rows.push('| Compose v2 path | not measured: this docker CLI has no Compose v2 |');
  summary += '; goal < 300 ms.';
}
rmSync(dir, { recursive: true, force: true });
console.log(
  [
    `## Discovery of a ${parserPlan.services.length}-service project (compose.yaml + override + include; median of ${RUNS})`,
    '',
    '| what | time |',
    '| --- | --- |',
    ...rows,
    '',
    summary,
  ].join('\n'),
);
