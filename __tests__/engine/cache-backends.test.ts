/**
 * Every cache backend on the real engine, as a fresh runner meets it: a cold build, then the
 * engine's whole build cache pruned (`docker builder prune -af`), then a rerun that must get its
 * steps from the backend alone. On the modern engine (buildx's docker driver on the containerd
 * image store) local and registry (the loopback registry of script/engine) export and import for
 * real, with no docker-container builder, and inline (which BuildKit there imports from a registry
 * only) becomes local with one warning; on the legacy engine (no buildx) local and registry fall
 * back to inline with one warning, and inline serves the rerun.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Docker } from '../../src/docker/exec.js';
import type { RunOptions } from '../../src/pipeline/options.js';
import { runPipeline } from '../../src/pipeline/run.js';
import type { Report } from '../../src/report/model.js';
import { silentLog } from '../../src/util/log.js';
import { writeRepo } from '../support/repo.js';

const modern = process.env.IMAGE_BUDGET_ENGINE === 'modern';
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function docker(): Docker {
  return new Docker(process.env.IMAGE_BUDGET_DOCKER ?? 'docker');
}

function temp(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** Two services, three executed steps each; the nonce makes the first build cold. */
function repo(nonce: string): string {
  const dockerfile = (name: string) =>
    [
      'FROM image-budget/busybox:offline',
      `RUN echo ${nonce}-${name} > /nonce && sleep 1`,
      'RUN head -c 2000000 /dev/zero | tr "\\0" x > /payload',
      'COPY app.txt /app.txt',
      '',
    ].join('\n');
  const dir = writeRepo(
    {
      'compose.yaml': 'services:\n  api:\n    build: ./api\n  worker:\n    build: ./worker\n',
      'api/Dockerfile': dockerfile('api'),
      'api/app.txt': 'api\n',
      'worker/Dockerfile': dockerfile('worker'),
      'worker/app.txt': 'worker\n',
    },
    'ib-cache-backends-',
  );
  temps.push(dir);
  return dir;
}

async function run(dir: string, cache: string, nonce: string, cacheHome: string): Promise<Report> {
  const options: RunOptions = {
    root: dir,
    tag: `ib-cache-backends-${nonce}/{service}:{sha}`,
    sha: 'x',
    network: process.env.IMAGE_BUDGET_NETWORK ?? 'host',
    docker: process.env.IMAGE_BUDGET_DOCKER ?? 'docker',
    workDir: temp('ib-cache-backends-work-'),
    cache,
    cacheScope: `t${nonce}`,
    analyze: false,
    ...(cache === 'registry'
      ? { cacheRegistryRef: `${process.env.IMAGE_BUDGET_REGISTRY}/ib-cache-${nonce}` }
      : {}),
  };
  const env = { ...process.env, XDG_CACHE_HOME: cacheHome, GITHUB_ACTIONS: undefined };
  return (await runPipeline(options, { docker: docker(), log: silentLog, env })).report;
}

function line(report: Report): string {
  return report.services
    .map(
      (s) =>
        `${s.name}: ${s.build?.status} cache ${s.build?.cache?.backend} cached ${s.build?.cachedSteps} executed ${s.build?.executedSteps}${s.error ? ` (${s.error})` : ''}${s.build?.cache?.warning ? ` [${s.build.cache.warning}]` : ''}`,
    )
    .join('; ');
}

describe.each(['local', 'registry', 'inline', 'auto'])('cache %s, rerun on a pruned engine', (backend) => {
  it('gets every step from the backend', async () => {
    const expected = modern ? (backend === 'auto' || backend === 'inline' ? 'local' : backend) : 'inline';
    const nonce = randomUUID().slice(0, 8);
    const dir = repo(nonce);
    const cacheHome = temp('ib-cache-backends-home-');
    if (modern && backend === 'registry')
      expect(process.env.IMAGE_BUDGET_REGISTRY).toMatch(/^127\.0\.0\.1:\d+$/);

    const cold = await run(dir, backend, nonce, cacheHome);
    for (const service of cold.services) {
      expect(service.build?.status, line(cold)).toBe('success');
      expect(service.build?.executedSteps, line(cold)).toBe(3);
      expect(service.build?.cache?.backend, line(cold)).toBe(expected);
      if (!modern && (backend === 'local' || backend === 'registry')) {
        expect(service.build?.cache?.warning, line(cold)).toMatch(/needs docker buildx.*using inline cache/);
      } else if (modern && backend === 'inline') {
        expect(service.build?.cache?.warning, line(cold)).toMatch(
          /containerd image store.*using local cache/,
        );
      } else {
        expect(service.build?.cache?.warning, line(cold)).toBeUndefined();
      }
    }

    const prune = await docker().run(['builder', 'prune', '-af']);
    expect(prune.code, prune.stderr).toBe(0);

    const warm = await run(dir, backend, nonce, cacheHome);
    console.log(
      `cache ${backend} on the ${process.env.IMAGE_BUDGET_ENGINE} engine: cold ${line(cold)}; after prune ${line(warm)}`,
    );
    for (const service of warm.services) {
      expect(service.build?.status, line(warm)).toBe('success');
      expect(service.build?.cache?.backend, line(warm)).toBe(expected);
      expect(service.build?.executedSteps, line(warm)).toBe(0);
      expect(service.build?.cachedSteps, line(warm)).toBe(3);
    }
  });
});
