/**
 * Benchmark of the build cache: the example platform built cold, then rebuilt after a one-line
 * change to one service's app code, per cache backend, side by side in one run. Prints a markdown
 * section with the build times, the steps executed, and the warm/cold ratio (goal: at most 0.15).
 * Needs the engine: `eval "$(bash script/engine env)"` first.
 *
 *   npx tsx script/bench/cache.ts [--backends inline,none,local,registry] [--no-prune]
 *
 * `local` keeps its folders in a temporary XDG_CACHE_HOME of the run; `registry` pushes to the
 * modern engine's loopback registry (IMAGE_BUDGET_REGISTRY). Builds run one after another
 * (`parallel: 1`), so the sums compare like for like.
 *
 * What "cold" and "warm" mean here, for every backend:
 * - cold: the daemon's build cache is pruned (`docker builder prune -af`) and the example builds on
 *   base images made for this run (the offline bases plus a layer with a random nonce), so no step
 *   of any earlier build can match: a fresh machine with the base images pulled.
 * - warm, fresh runner: one line of classifier/app/main.py changes, the daemon's build cache is
 *   pruned again, and what the backend itself keeps stays: for `inline` the previous images (on a
 *   real fresh runner they would be pulled from a registry first), for `none` nothing. This is a
 *   new CI runner.
 * - warm, same machine: another one-line change, nothing pruned: the daemon's own build cache
 *   serves every backend (a developer's laptop, a self-hosted runner).
 * The figures are the sum of the services' build wall times (`totals.buildDurationMs`); image
 * measurement is not included. Pruning affects the whole engine: do not run other builds meanwhile.
 */
import { randomUUID } from 'node:crypto';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CacheBackend } from '../../src/cache/index.js';
import { Docker } from '../../src/docker/exec.js';
import { runPipeline } from '../../src/pipeline/run.js';
import type { Report } from '../../src/report/model.js';
import { silentLog } from '../../src/util/log.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const backendsArg = args.includes('--backends')
  ? (args[args.indexOf('--backends') + 1] ?? '')
  : 'inline,none';
const backends = backendsArg.split(',').filter(Boolean) as CacheBackend[];
const prune = !args.includes('--no-prune');
const binary = process.env.IMAGE_BUDGET_DOCKER ?? 'docker';
const docker = new Docker(binary);
const CHANGED_FILE = 'classifier/app/main.py';
const GOAL = 0.15;

interface Figure {
  buildMs: number;
  executed: number;
  cached: number;
  failed: string[];
  perService: string;
}

async function must(argv: string[], input?: string): Promise<string> {
  const result = await docker.run(argv, {
    env: { DOCKER_BUILDKIT: '1' },
    ...(input !== undefined ? { input } : {}),
  });
  if (result.code !== 0) throw new Error(`docker ${argv.join(' ')} failed:\n${result.stderr.slice(-2000)}`);
  return result.stdout;
}

async function pruneBuildCache(): Promise<void> {
  if (prune) await must(['builder', 'prune', '-af']);
}

/** A copy of examples/platform on base images unique to this run. */
async function exampleCopy(nonce: string): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ib-bench-cache-'));
  cpSync(path.join(root, 'examples', 'platform'), dir, { recursive: true });
  const python = `ib-bench-cache/python:${nonce}`;
  const busybox = `ib-bench-cache/busybox:${nonce}`;
  for (const [from, tag] of [
    ['image-budget/example-python:offline', python],
    ['image-budget/busybox:offline', busybox],
  ] as const) {
    await must(
      ['build', '--network=host', '-t', tag, '-'],
      `FROM ${from}\nRUN echo ${nonce} >/etc/image-budget-nonce\n`,
    );
  }
  const files = [
    path.join(dir, 'docker-compose.yml'),
    ...readdirSync(dir).map((entry) => path.join(dir, entry, 'Dockerfile')),
  ];
  for (const file of files) {
    if (!existsSync(file) || file.includes(`${path.sep}base${path.sep}`)) continue;
    const text = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      text
        .replaceAll('image-budget/example-python:offline', python)
        .replaceAll('image-budget/busybox:offline', busybox),
    );
  }
  return dir;
}

async function build(
  repo: string,
  backend: CacheBackend,
  nonce: string,
  sha: string,
  cacheHome: string,
): Promise<Figure> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'ib-bench-work-'));
  const registry = process.env.IMAGE_BUDGET_REGISTRY;
  try {
    const { report } = await runPipeline(
      {
        root: repo,
        tag: `ib-bench-cache-${nonce}/{service}:{sha}`,
        sha,
        network: process.env.IMAGE_BUDGET_NETWORK ?? 'host',
        docker: binary,
        workDir,
        cache: backend,
        cacheScope: `bench${nonce}`,
        parallel: 1,
        ...(backend === 'registry' && registry
          ? { cacheRegistryRef: `${registry}/ib-bench-cache-${nonce}` }
          : {}),
      },
      {
        docker,
        log: silentLog,
        env: { ...process.env, BASE_IMAGE: undefined, NGINX_IMAGE: undefined, XDG_CACHE_HOME: cacheHome },
      },
    );
    return figure(report);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function figure(report: Report): Figure {
  const services = report.services.filter((s) => s.build);
  return {
    buildMs: services.reduce((sum, s) => sum + (s.build?.durationMs ?? 0), 0),
    executed: services.reduce((sum, s) => sum + (s.build?.executedSteps ?? 0), 0),
    cached: services.reduce((sum, s) => sum + (s.build?.cachedSteps ?? 0), 0),
    failed: services
      .filter((s) => s.build?.status !== 'success')
      .map((s) => `${s.name}: ${s.error ?? s.build?.status}`),
    perService: services
      .map((s) => `${s.name} ${s.build?.executedSteps ?? 0} (${seconds(s.build?.durationMs ?? 0)} s)`)
      .join(', '),
  };
}

function change(repo: string, note: string): void {
  appendFileSync(path.join(repo, CHANGED_FILE), `\n# ${note}\n`);
}

const seconds = (ms: number): string => (ms / 1000).toFixed(1);
const ratio = (warm: Figure, cold: Figure): string =>
  cold.buildMs > 0 ? (warm.buildMs / cold.buildMs).toFixed(3) : 'n/a';

async function main(): Promise<void> {
  const versions = (await must(['version', '--format', '{{.Client.Version}} / {{.Server.Version}}'])).trim();
  const rows: string[] = [];
  const details: string[] = [];
  for (const backend of backends) {
    const nonce = randomUUID().slice(0, 8);
    const repo = await exampleCopy(nonce);
    const cacheHome = mkdtempSync(path.join(os.tmpdir(), 'ib-bench-cache-home-'));
    try {
      await pruneBuildCache();
      const cold = await build(repo, backend, nonce, 'cold', cacheHome);
      change(repo, 'bench: first one-line change');
      await pruneBuildCache();
      const runner = await build(repo, backend, nonce, 'warm1', cacheHome);
      change(repo, 'bench: second one-line change');
      const machine = await build(repo, backend, nonce, 'warm2', cacheHome);
      for (const [name, f] of [
        ['cold', cold],
        ['warm, fresh runner', runner],
        ['warm, same machine', machine],
      ] as const) {
        if (f.failed.length > 0) throw new Error(`${backend} ${name}: ${f.failed.join('; ')}`);
        details.push(`- \`${backend}\` ${name}: executed steps (build time) per service: ${f.perService}`);
      }
      const ok = Number(ratio(runner, cold)) <= GOAL ? 'yes' : 'no';
      rows.push(
        `| \`${backend}\` | ${seconds(cold.buildMs)} s (${cold.executed} steps) | ${seconds(runner.buildMs)} s (${runner.executed} steps) | ` +
          `**${ratio(runner, cold)}** (${ok}) | ${seconds(machine.buildMs)} s (${machine.executed} steps) | ${ratio(machine, cold)} |`,
      );
    } finally {
      rmSync(repo, { recursive: true, force: true });
      rmSync(cacheHome, { recursive: true, force: true });
    }
  }

  console.log(`## Build cache on the ${process.env.IMAGE_BUDGET_ENGINE ?? 'legacy'} engine: cold build vs warm rebuild after a one-line change

\`npx tsx script/bench/cache.ts --backends ${backends.join(',')}\` on examples/platform (5 services),
docker ${versions}, ${os.cpus().length} CPUs, ${new Date().toISOString().slice(0, 10)}.
The change: one line appended to \`${CHANGED_FILE}\` (the classifier's app code). Times are the sum of
the services' build wall times; steps are Dockerfile steps BuildKit executed (not \`CACHED\`).

| backend | cold | warm, fresh runner | warm/cold (goal ≤ ${GOAL}) | warm, same machine | warm/cold |
|---|---|---|---|---|---|
${rows.join('\n')}

- **cold**: ${prune ? '`docker builder prune -af`, then' : 'no prune (--no-prune),'} a copy of the example on base images made for this run (a nonce layer on the offline bases), so no earlier build can serve a step.
- **warm, fresh runner**: one line changed, ${prune ? '`docker builder prune -af` again (a new CI runner has an empty build cache)' : 'no prune (--no-prune)'}; what the backend keeps stays: \`inline\` keeps the previous image of each service (tag \`<image>:<prefix>-<service>-cache\`; a real fresh runner would pull it from a registry first, which is not timed here), \`none\` keeps nothing.
- **warm, same machine**: another one-line change, nothing pruned: the daemon's own build cache serves every backend.

${details.join('\n')}
`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
