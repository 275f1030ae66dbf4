/**
 * Image-only services (`image:` without `build:`) on the real engine: an image the engine has is
 * sized by `docker image inspect` (the snapshots' usage on the containerd store) and counts in the
 * deployment's total; one it has not says so; with `pull-images` a failed pull is a warning on that
 * service, never an error, and (modern engine, with its loopback registry) a pulled image is sized.
 * The test tags the offline busybox under names of its own and removes only those tags.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Docker } from '../../src/docker/exec.js';
import type { RunOptions } from '../../src/pipeline/options.js';
import { runPipeline } from '../../src/pipeline/run.js';
import type { Report } from '../../src/report/model.js';
import { silentLog } from '../../src/util/log.js';
import { writeRepo } from '../support/repo.js';

const binary = process.env.IMAGE_BUDGET_DOCKER ?? 'docker';
const modern = process.env.IMAGE_BUDGET_ENGINE === 'modern';
const nonce = randomUUID().slice(0, 8);
const BUSYBOX = 'image-budget/busybox:offline';
const redis = `ib-image-only-${nonce}/redis:7`;
const missing = `ib-image-only-${nonce}/postgres:16`;
const tags = new Set<string>();
const temps: string[] = [];

function docker(...args: string[]): string {
  return execFileSync(binary, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

afterAll(() => {
  for (const tag of tags) {
    try {
      docker('image', 'rm', tag);
    } catch {
      // already gone
    }
  }
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** What the engine says the image's uncompressed size is, read here without our code. */
function engineSize(ref: string): number {
  if (!modern) return Number(docker('image', 'inspect', '--format', '{{.Size}}', ref));
  // The containerd store: inspect's Size is the compressed content; the snapshots hold the files.
  return docker('image', 'history', '--human=false', '--format', '{{.Size}}', ref)
    .split('\n')
    .reduce((sum, line) => sum + Number(line), 0);
}

async function check(compose: string, extra: Partial<RunOptions> = {}): Promise<Report> {
  const dir = writeRepo(
    {
      'compose.yaml': compose,
      'api/Dockerfile': `FROM ${BUSYBOX}\nRUN echo ${nonce} > /api\n`,
    },
    'ib-image-only-',
  );
  const workDir = mkdtempSync(path.join(tmpdir(), 'ib-image-only-work-'));
  temps.push(dir, workDir);
  const options: RunOptions = {
    root: dir,
    tag: `ib-image-only-${nonce}/{service}:{sha}`,
    sha: 'test',
    docker: binary,
    workDir,
    analyze: false,
    ...(process.env.IMAGE_BUDGET_NETWORK ? { network: process.env.IMAGE_BUDGET_NETWORK } : {}),
    ...extra,
  };
  tags.add(`ib-image-only-${nonce}/api:test`);
  tags.add(`ib-image-only-${nonce}/api:image-budget-api-cache`); // the inline cache's image, legacy engine
  // The analysis cache (the containerd store reads the layers even with analyze off) of its own.
  const env = { ...process.env, XDG_CACHE_HOME: workDir };
  return (await runPipeline(options, { docker: new Docker(binary), log: silentLog, env })).report;
}

const byName = (report: Report) => Object.fromEntries(report.services.map((s) => [s.name, s]));

describe(`image-only services on the ${modern ? 'modern' : 'legacy'} engine`, () => {
  it('sizes the image the engine has, says why for one it has not, and totals the deployment', async () => {
    docker('tag', BUSYBOX, redis);
    tags.add(redis);
    const report = await check(
      [
        'services:',
        '  api:',
        '    build: ./api',
        '  cache:',
        `    image: ${redis}`,
        '  db:',
        `    image: ${missing}`,
        '',
      ].join('\n'),
    );
    const { api, cache, db } = byName(report);
    expect(report.errors).toEqual([]);
    expect(api?.build?.status, api?.error?.message).toBe('success');
    expect(cache?.built).toBe(false);
    expect(cache?.imageRef).toBe(redis);
    expect(cache?.sizeUnknown).toBeUndefined();
    expect(cache?.image?.id).toBe(docker('image', 'inspect', '--format', '{{.Id}}', redis));
    expect(cache?.image?.size).toBe(engineSize(redis));
    expect(cache?.image?.size).toBeGreaterThan(1_000_000); // busybox-static and its links
    expect(cache?.image?.sizeSource).toBe(modern ? 'snapshots' : undefined);
    expect(cache?.violations).toEqual([]); // an image-only service is never judged on its own

    expect(db?.image).toBeUndefined();
    expect(db?.sizeUnknown).toBe(`${missing} is not on the engine (pull-images: true pulls it)`);
    expect(db?.error).toBeUndefined();
    expect(db?.warnings).toBeUndefined();

    expect(report.totals.size).toBe((api?.image?.size ?? 0) + (cache?.image?.size ?? 0));
    expect(report.totals.failed).toBe(0);
  });

  it('pull-images: a failed pull is a warning on that service, never an error', async () => {
    const unreachable = `127.0.0.1:1/ib-image-only-${nonce}/postgres:16`;
    const services = ['services:', '  api:', '    build: ./api', '  db:', `    image: ${unreachable}`];
    let pulled: string | undefined;
    if (modern) {
      // The modern engine's loopback registry: push there, drop the local copy, let the run pull it.
      pulled = `${process.env.IMAGE_BUDGET_REGISTRY}/ib-image-only-${nonce}/redis:7`;
      docker('tag', BUSYBOX, pulled);
      tags.add(pulled);
      docker('push', '--quiet', pulled);
      docker('image', 'rm', pulled);
      services.push('  cache:', `    image: ${pulled}`);
    }
    const report = await check([...services, ''].join('\n'), { pullImages: true });
    const { db, cache } = byName(report);
    expect(report.errors).toEqual([]);
    expect(db?.error).toBeUndefined();
    expect(db?.warnings).toEqual([expect.stringMatching(new RegExp(`^pull of ${unreachable} failed: .+`))]);
    expect(db?.sizeUnknown).toBe(`${unreachable} is not on the engine (the pull failed)`);
    expect(report.totals.failed).toBe(0);
    if (pulled) {
      expect(cache?.warnings).toBeUndefined();
      expect(cache?.image?.size).toBe(engineSize(pulled));
    }
  });
});
