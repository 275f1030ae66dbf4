/**
 * The build cache on the real engine: the example platform is built cold, one source file of one
 * service changes, and the rebuild re-runs only that service's steps from the COPY of the file on;
 * every other service is fully cached. For `inline` and `none`, the backends every engine offers
 * (on the modern engine's containerd store `inline` becomes `local`); cache-backends.test.ts covers
 * local and registry on a pruned engine.
 *
 * "Cold" is guaranteed without pruning the shared engine's build cache (other test files build the
 * same example at the same time): the copy of the example builds on base images made for this run
 * (the offline bases plus a layer with a random nonce), so no earlier build can match its steps.
 */
import { randomUUID } from 'node:crypto';
import {
  appendFileSync,
  cpSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Docker } from '../../src/docker/exec.js';
import { runPipeline } from '../../src/pipeline/run.js';
import type { RunOptions } from '../../src/pipeline/options.js';
import type { Report, ServiceReport } from '../../src/report/model.js';
import { problemLine } from '../../src/util/errors.js';
import { silentLog } from '../../src/util/log.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHANGED = 'classifier';
const CHANGED_FILE = 'classifier/app/main.py';
const COPY_LINE = /^COPY app\/ app\/$/m; // the classifier's COPY of that file, in its runtime stage

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function docker(): Docker {
  return new Docker(process.env.IMAGE_BUDGET_DOCKER ?? 'docker');
}

/** Bases unique to this run, so the first build is cold whatever the engine built before. */
async function nonceBases(nonce: string): Promise<{ python: string; busybox: string }> {
  const bases = {
    python: [`image-budget/example-python:offline`, `ib-cache-test/python:${nonce}`],
    busybox: [`image-budget/busybox:offline`, `ib-cache-test/busybox:${nonce}`],
  } as const;
  for (const [from, tag] of Object.values(bases)) {
    const result = await docker().run(['build', '--network=host', '-t', tag, '-'], {
      env: { DOCKER_BUILDKIT: '1' },
      input: `FROM ${from}\nRUN echo ${nonce} >/etc/image-budget-nonce\n`,
    });
    if (result.code !== 0) throw new Error(`building ${tag} failed:\n${result.stderr.slice(-2000)}`);
  }
  return { python: bases.python[1], busybox: bases.busybox[1] };
}

/** A copy of examples/platform whose Dockerfiles and compose file use the run's own bases. */
async function exampleCopy(nonce: string): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ib-cache-engine-'));
  temps.push(dir);
  cpSync(path.join(root, 'examples', 'platform'), dir, { recursive: true });
  const { python, busybox } = await nonceBases(nonce);
  const rewrite = (file: string): void => {
    const text = readFileSync(file, 'utf8');
    const next = text
      .replaceAll('image-budget/example-python:offline', python)
      .replaceAll('image-budget/busybox:offline', busybox);
    if (next !== text) writeFileSync(file, next);
  };
  rewrite(path.join(dir, 'docker-compose.yml'));
  for (const entry of readdirSync(dir)) {
    const dockerfile = path.join(dir, entry, 'Dockerfile');
    if (statSync(path.join(dir, entry)).isDirectory() && entry !== 'base') {
      try {
        rewrite(dockerfile);
      } catch {
        // a folder without a Dockerfile
      }
    }
  }
  return dir;
}

/** The local backend's folders (inline becomes local on the containerd store), apart from the user's. */
const cacheHome = mkdtempSync(path.join(os.tmpdir(), 'ib-cache-home-'));
temps.push(cacheHome);

async function run(repo: string, cache: 'inline' | 'none', nonce: string, sha: string): Promise<Report> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'ib-cache-work-'));
  temps.push(workDir);
  const options: RunOptions = {
    root: repo,
    tag: `ib-cache-test-${nonce}/{service}:{sha}`,
    sha,
    network: process.env.IMAGE_BUDGET_NETWORK ?? 'host',
    docker: process.env.IMAGE_BUDGET_DOCKER ?? 'docker',
    workDir,
    cache,
    keepLogs: true, // the test reads the backend's build log
  };
  const env = { ...process.env, BASE_IMAGE: undefined, NGINX_IMAGE: undefined, XDG_CACHE_HOME: cacheHome };
  return (await runPipeline(options, { docker: docker(), log: silentLog, env })).report;
}

function built(report: Report): ServiceReport[] {
  return report.services.filter((service) => service.build);
}

function summary(report: Report): string {
  return built(report)
    .map(
      (s) =>
        `${s.name}: ${s.build?.status} cached ${s.build?.cachedSteps} executed ${s.build?.executedSteps}${s.error ? ` (${problemLine(s.error)})` : ''}`,
    )
    .join('\n');
}

describe.each(['inline', 'none'] as const)('cache %s on the real engine', (asked) => {
  // On the containerd store (modern engine) BuildKit imports inline cache from a registry only, so
  // image-budget uses local there (cache-backends.test.ts covers the warning).
  const backend = asked === 'inline' && process.env.IMAGE_BUDGET_ENGINE === 'modern' ? 'local' : asked;
  it('rebuilds only the changed service, from the COPY of the changed file on', async () => {
    const nonce = randomUUID().slice(0, 8);
    const repo = await exampleCopy(nonce);

    const cold = await run(repo, asked, nonce, 'cold');
    const coldServices = built(cold);
    expect(coldServices.map((s) => s.name).sort(), summary(cold)).toEqual([
      'audio',
      'backend',
      'classifier',
      'frontend',
      'rag',
    ]);
    for (const service of coldServices) {
      expect(service.build?.status, summary(cold)).toBe('success');
      expect(service.build?.executedSteps, `${service.name} cold\n${summary(cold)}`).toBeGreaterThan(0);
      expect(service.build?.cache?.backend).toBe(backend);
    }

    appendFileSync(path.join(repo, CHANGED_FILE), '\n# one-line change for the cache test\n');
    const warm = await run(repo, asked, nonce, 'warm');
    const text = summary(warm);
    console.log(`cache ${backend}: cold\n${summary(cold)}\nwarm after changing ${CHANGED_FILE}\n${text}`);

    for (const service of built(warm)) {
      expect(service.build?.status, text).toBe('success');
      expect(service.build?.cache?.backend, text).toBe(backend);
      if (service.name === CHANGED) continue;
      expect(service.build?.executedSteps, `${service.name}\n${text}`).toBe(0);
      expect(service.build?.cachedSteps, `${service.name}\n${text}`).toBe(
        (coldServices.find((s) => s.name === service.name)?.build?.cachedSteps ?? 0) +
          (coldServices.find((s) => s.name === service.name)?.build?.executedSteps ?? 0),
      );
    }

    const changed = built(warm).find((s) => s.name === CHANGED);
    const dockerfile = readFileSync(path.join(repo, 'classifier', 'Dockerfile'), 'utf8');
    const copyLine = dockerfile.slice(0, COPY_LINE.exec(dockerfile)?.index ?? 0).split('\n').length;
    const steps = changed?.build?.steps?.filter((step) => !/^\[[^\]]+\] FROM /.test(step.name)) ?? [];
    const executed = steps.filter((step) => !step.cached);
    // Re-run: the COPY of app/ and the steps after it in the runtime stage (COPY scripts/); nothing before.
    expect(
      executed.map((step) => step.line),
      text,
    ).toEqual([copyLine, copyLine + 1]);
    expect(executed.map((step) => step.name)).toEqual([
      expect.stringMatching(/^\[runtime \d+\/\d+\] COPY app\/ app\/$/),
      expect.stringMatching(/^\[runtime \d+\/\d+\] COPY scripts\/ scripts\/$/),
    ]);
    expect(steps.filter((step) => step.cached).every((step) => (step.line ?? 0) < copyLine)).toBe(true);
    expect(changed?.build?.executedSteps).toBe(2);

    if (backend === 'inline') {
      // The previous image of every service is kept under a stable tag for the next run's --cache-from.
      for (const service of built(warm)) {
        const previous = `ib-cache-test-${nonce}/${service.name}:image-budget-${service.name}-cache`;
        const inspect = await docker().run(['image', 'inspect', '--format', '{{.Id}}', previous]);
        expect(inspect.code, `${previous}: ${inspect.stderr}`).toBe(0);
        expect(inspect.stdout.trim()).toBe(service.image?.id);
      }
      const log = readFileSync(built(warm).find((s) => s.name === 'backend')?.build?.logFile ?? '', 'utf8');
      expect(log).toMatch(
        /importing cache manifest from ib-cache-test-[0-9a-f]+\/backend:image-budget-backend-cache/,
      );
    }
  });
});
