/** buildService with a docker CLI that answers from the test: the log, its tail, the failure line. */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Builder } from '../../../src/build/builder.js';
import { buildService, LOG_TAIL_LINES, summarizeBuild } from '../../../src/build/run-build.js';
import { parseDockerfile } from '../../../src/dockerfile/index.js';
import type { Docker, ExecOptions } from '../../../src/docker/exec.js';

const builder: Builder = { kind: 'docker', version: '20.10.24', serverVersion: '20.10.24' };

/** A docker CLI whose build prints `lines` and exits with `code`. */
function docker(lines: string[], code: number): Docker {
  return {
    binary: 'docker',
    run: async (_args: string[], options: ExecOptions = {}) => {
      for (const line of lines) options.onLine?.(line, 'stderr');
      return { code, stdout: '', stderr: lines.join('\n'), durationMs: 5, aborted: false };
    },
  } as unknown as Docker;
}

async function build(lines: string[], code: number) {
  const workDir = mkdtempSync(path.join(tmpdir(), 'ib-run-build-'));
  return buildService(
    docker(lines, code),
    builder,
    'api',
    { context: '/repo/api', args: {} },
    {
      tag: 'image-budget/api:test',
      workDir,
      dockerfileLabel: 'api/Dockerfile',
      dockerfile: parseDockerfile('FROM scratch\nRUN make\n'),
    },
  );
}

describe('buildService', () => {
  test.each([
    [5, 5],
    [20, 20],
    [45, 20],
  ])(
    'a failed build of %i log lines keeps its last %i in logTail, and the whole log in logFile',
    async (n, kept) => {
      const lines = Array.from({ length: n }, (_, i) => `#5 0.${i} line ${i + 1}`);
      const { build: result, error } = await build(lines, 1);
      expect(LOG_TAIL_LINES).toBe(20);
      expect(result.status).toBe('failed');
      expect(result.exitCode).toBe(1);
      expect(result.logTail).toEqual(lines.slice(-kept));
      expect(readFileSync(result.logFile!, 'utf8')).toBe(lines.map((l) => `${l}\n`).join(''));
      expect(statSync(result.logFile!).mode & 0o777).toBe(0o600);
      expect(error).toEqual({ message: `build failed: #5 0.${n - 1} line ${n}`, file: 'api/Dockerfile' });
    },
  );

  test('a build that works has no tail', async () => {
    const { build: result } = await build(['#1 DONE 0.0s'], 0);
    expect(result.status).toBe('success');
    expect(result.logTail).toBeUndefined();
  });
});

describe('summarizeBuild', () => {
  const steps = [
    { name: '[base 1/4] FROM docker.io/library/node:20', durationMs: 0, cached: true },
    { name: '[base 2/4] RUN npm ci', durationMs: 0, cached: true },
    { name: '[stage-1 3/4] FROM docker.io/library/alpine:3', durationMs: 300, cached: false },
    { name: '[stage-1 4/4] COPY --from=base /app /app', durationMs: 100, cached: false },
  ];
  test.each([
    [1, { code: 0, aborted: false }, 'success'],
    [2, { code: 1, aborted: false }, 'failed'],
    [3, { code: 143, aborted: true }, 'aborted'],
    [4, { code: 0, aborted: true }, 'aborted'],
  ])('%i: exit %o -> %s; FROM steps are neither cached nor executed', (_n, exit, status) => {
    expect(summarizeBuild({ ...exit, durationMs: 7 }, builder, '/w/api.build.log', steps)).toEqual({
      status,
      durationMs: 7,
      builder: 'docker',
      logFile: '/w/api.build.log',
      steps,
      cachedSteps: 1,
      executedSteps: 1,
    });
  });
});
