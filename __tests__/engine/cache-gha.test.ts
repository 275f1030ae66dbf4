/**
 * The gha backend's variables reach buildx as buildx's docs describe: `ACTIONS_RUNTIME_TOKEN` as the
 * token and `ACTIONS_CACHE_URL` as the cache service's address (cache service v1). A stand-in cache
 * service on 127.0.0.1 records what it is asked; it answers 503, so the cache is unreachable, which
 * must stay a warning: the build still succeeds. On the modern engine (buildx, docker driver on the
 * containerd store) BuildKit calls the stand-in with the runner's token; on the legacy engine (no
 * buildx) gha falls back to inline with one warning and nothing calls it.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Docker } from '../../src/docker/exec.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { silentLog } from '../../src/util/log.js';
import { writeRepo } from '../support/repo.js';

const modern = process.env.IMAGE_BUDGET_ENGINE === 'modern';
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/**
 * A token shaped as the runner's (a JWT: BuildKit reads its `ac` (cache scopes), `nbf` and `exp` claims without
 * verifying it, and refuses to build with a token that is not a JWT).
 */
function runnerToken(nonce: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const scopes = JSON.stringify([{ Scope: 'refs/heads/main', Permission: 3 }]);
  const now = Math.floor(Date.now() / 1000);
  const [nbf, exp] = [now - 60, now + 3600];
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ ac: scopes, nbf, exp, nonce })}.${Buffer.from('sig').toString('base64url')}`;
}

describe('cache gha with the runner variables', () => {
  it(
    modern
      ? 'BuildKit calls the cache service with the token; a 503 is a warning'
      : 'falls back to inline with a warning',
    async () => {
      const seen: { url: string; auth: string }[] = [];
      const server = createServer((request: IncomingMessage, response) => {
        seen.push({ url: request.url ?? '', auth: request.headers.authorization ?? '' });
        request.resume();
        response
          .writeHead(503, { 'content-type': 'application/json' })
          .end('{"message":"stand-in: unavailable"}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      try {
        const nonce = randomUUID().slice(0, 8);
        const token = runnerToken(nonce);
        const dir = writeRepo(
          {
            'compose.yaml': 'services:\n  api:\n    build: .\n',
            Dockerfile: `FROM image-budget/busybox:offline\nRUN echo ${nonce} > /n\n`,
          },
          'ib-cache-gha-',
        );
        temps.push(dir);
        const workDir = mkdtempSync(path.join(os.tmpdir(), 'ib-cache-gha-work-'));
        temps.push(workDir);
        const env = {
          ...process.env,
          GITHUB_ACTIONS: 'true',
          ACTIONS_RUNTIME_TOKEN: token,
          ACTIONS_CACHE_URL: `http://127.0.0.1:${port}/`,
          ACTIONS_RESULTS_URL: undefined,
          ACTIONS_CACHE_SERVICE_V2: undefined,
        };
        const docker = new Docker(process.env.IMAGE_BUDGET_DOCKER ?? 'docker', env);
        const { report } = await runPipeline(
          {
            root: dir,
            tag: `ib-cache-gha-${nonce}/{service}:x`,
            sha: 'x',
            network: 'host',
            docker: process.env.IMAGE_BUDGET_DOCKER ?? 'docker',
            workDir,
            cache: 'gha',
            cacheScope: `gha${nonce}`,
            analyze: false,
          },
          { docker, log: silentLog, env },
        );
        const api = report.services[0];
        expect(api?.build?.status, api?.error?.message).toBe('success');
        if (modern) {
          expect(api?.build?.cache?.backend).toBe('gha');
          expect(seen.length).toBeGreaterThan(0);
          expect(seen.every((call) => call.auth === `Bearer ${token}`)).toBe(true);
          expect(seen.map((call) => call.url).join('\n')).toContain('_apis/artifactcache');
        } else {
          expect(api?.build?.cache?.backend).toBe('inline');
          expect(api?.build?.cache?.warning).toMatch(/"gha" needs docker buildx.*using inline cache/);
          expect(seen).toEqual([]);
        }
      } finally {
        server.close();
      }
    },
  );
});
