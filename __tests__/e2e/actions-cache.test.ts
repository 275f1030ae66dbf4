/**
 * Fresh runners share what they learn through the Actions cache, end to end: dist/index.js run as
 * the runner runs it (a new RUNNER_TEMP each run, so nothing local survives), against a fake Actions
 * cache service (the v1 protocol @actions/cache speaks) and a fake GitHub API, both on 127.0.0.1.
 *
 * 1. A push to the default branch saves the baseline and the layer analyses.
 * 2. After a one-line change, the next push restores the analyses and reads only the new layers,
 *    and adds the second point of the size trend.
 * 3. A pull request restores that baseline: its comment has the delta and the two-point trend.
 * 4. A cache outage is a warning: the run's verdict is what it would be without a cache.
 * On the modern engine BuildKit's own gha cache client talks to the same fake service.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { copyExample } from '../support/example.js';
import { startFakeActionsCache, type FakeActionsCache } from '../support/fake-actions-cache.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { runAction } from '../support/run-action.js';

const repository = { name: 'platform', owner: { login: 'acme' }, default_branch: 'main' };
const push = { name: 'push', payload: { ref: 'refs/heads/main', repository } };
const PR = 11;
const pullRequest = {
  name: 'pull_request',
  payload: {
    number: PR,
    repository,
    pull_request: {
      number: PR,
      base: { ref: 'main', sha: 'a'.repeat(40), repo: { full_name: 'acme/platform' } },
      head: { ref: 'feature', sha: 'b'.repeat(40), repo: { full_name: 'acme/platform' } },
    },
  },
};

describe('the Actions cache across fresh runners', () => {
  let cache: FakeActionsCache;
  let github: FakeGitHub;
  const workspace = copyExample();
  // A runner's RUNNER_TEMP is the same path on every run and empty at its start.
  const runnerTemp = path.join(mkdtempSync(path.join(tmpdir(), 'ib-fresh-runner-')), '_temp');
  const run = (event: typeof push | typeof pullRequest, runId: string) => {
    rmSync(runnerTemp, { recursive: true, force: true });
    mkdirSync(runnerTemp);
    return runAction({
      workspace,
      runnerTemp,
      inputs: {
        docker: process.env.IMAGE_BUDGET_DOCKER ?? 'docker',
        network: 'host',
        services: 'backend,frontend',
        comment: event.name === 'pull_request' ? 'always' : 'never',
      },
      env: {
        ...cache.env(),
        GITHUB_API_URL: github.url,
        GITHUB_RUN_ID: runId,
        GITHUB_REF: event.name === 'push' ? 'refs/heads/main' : `refs/pull/${PR}/merge`,
        GITHUB_WORKFLOW: 'images',
        GITHUB_JOB: 'budget',
      },
      event,
    });
  };
  const reportOf = (outputs: Record<string, string>) =>
    JSON.parse(readFileSync(outputs.report ?? '', 'utf8')) as Report;

  beforeAll(async () => {
    cache = await startFakeActionsCache();
    github = await startFakeGitHub();
  });
  afterAll(async () => {
    await cache.stop();
    await github.stop();
  });

  test('a push saves, the next fresh runner reads only the changed layers, a PR gets delta and trend', async () => {
    const first = await run(push, '101');
    expect(first.stdout).not.toMatch(/::warning::.*cache/i);
    expect(cache.keys(), first.stdout).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^image-budget-baseline-main-101/),
        expect.stringMatching(/^image-budget-analysis-.*101/),
      ]),
    );
    // The build cache: BuildKit's own `type=gha` client writes its blobs to the same service on the
    // modern engine (buildx, docker driver, containerd store); the legacy engine has no buildx, so inline.
    const backend = reportOf(first.outputs).services.map((s) => s.build?.cache?.backend);
    if (process.env.IMAGE_BUDGET_ENGINE === 'modern') {
      expect(backend).toEqual(['gha', 'gha']);
      expect(cache.keys().some((k) => k.startsWith('buildkit-blob-'))).toBe(true);
    } else {
      expect(backend).toEqual(['inline', 'inline']);
    }
    // On a fresh runner only what the run itself analysed before (a base layer the two services
    // share) can be reused.
    const cold = reportOf(first.outputs).services.find((s) => s.name === 'backend');
    const coldLayers = cold?.image?.layers ?? 0;
    expect(cold?.image?.reusedLayers ?? 0).toBeLessThan(coldLayers - 1);

    // A one-line change: one small new layer on top of the same backend image.
    appendFileSync(`${workspace}/backend/Dockerfile`, 'RUN echo 2 > /tmp/version\n');
    const second = await run(push, '102');
    expect(second.stdout).toMatch(/Layer analyses restored from the Actions cache \(image-budget-analysis-/);
    const warm = reportOf(second.outputs).services.find((s) => s.name === 'backend');
    const layers = warm?.image?.layers ?? 0;
    expect(layers).toBe(coldLayers + 1);
    // Every layer but the new one came from the cache. This image is under 100 MB, so it is read
    // through `docker save` (cheaper than the reader container): the classic store's archive names
    // the top layer's folder after the image's config, so the layer that was on top before is read
    // again there; the containerd store names every blob by its digest. (Images from 100 MB up are
    // read in place, where each layer is named by its content on both stores: layer-cache.test.ts.)
    const readAgain = process.env.IMAGE_BUDGET_ENGINE === 'modern' ? 1 : 2;
    expect(warm?.image?.reusedLayers).toBe(layers - readAgain);

    const pr = await run(pullRequest, '103');
    const body = github.list('acme', 'platform', PR)[0]?.body ?? '';
    expect(body, pr.stdout).toContain('Size trend');
    expect(body).toMatch(/last 2 runs of the default branch/);
    expect(body).not.toContain('No baseline');
  });

  test('a cache outage is a warning and changes nothing else', async () => {
    cache.down = true;
    try {
      const result = await run(push, '104');
      expect(result.stdout).toMatch(/::warning::/);
      expect(result.stdout).not.toMatch(/::error::/);
      expect(result.code, result.stdout).toBe(0);
    } finally {
      cache.down = false;
    }
  });
});
