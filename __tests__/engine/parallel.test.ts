/**
 * Builds side by side on the real engine: three services whose steps wait 4 s each build in about
 * the time of one, a failing one does not stop the others, and `--parallel 1` builds them one after
 * another. No assertion depends on the order of log lines between services.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cli, type CliIo } from '../../src/cli/main.js';
import type { Report } from '../../src/report/model.js';
import { writeRepo } from '../support/repo.js';
import { problemLine } from '../../src/util/errors.js';

function repo(nonce: string): string {
  const service = (name: string, run: string) =>
    `FROM image-budget/busybox:offline\nRUN echo ${nonce}-${name} > /n && ${run}\n`;
  return writeRepo(
    {
      'compose.yaml':
        'services:\n  one:\n    build: ./one\n  two:\n    build: ./two\n  three:\n    build: ./three\n  broken:\n    build: ./broken\n',
      'one/Dockerfile': service('one', 'sleep 4'),
      'two/Dockerfile': service('two', 'sleep 4'),
      'three/Dockerfile': service('three', 'sleep 4'),
      'broken/Dockerfile': service('broken', 'sleep 1 && exit 3'),
    },
    'ib-parallel-',
  );
}

async function check(dir: string, extra: string[]): Promise<{ code: number; report: Report; ms: number }> {
  let stdout = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: () => undefined, env: process.env, cwd: dir };
  const started = performance.now();
  const code = await cli(['check', '.', '--json', '--no-analyze', ...extra], io);
  return { code, report: JSON.parse(stdout) as Report, ms: performance.now() - started };
}

describe('builds side by side', () => {
  it('all at once by default: wall time near the slowest build, a failure kept to its service', async () => {
    const { code, report, ms } = await check(repo(randomUUID().slice(0, 8)), []);
    const byName = Object.fromEntries(report.services.map((s) => [s.name, s]));
    expect(code).toBe(1);
    for (const name of ['one', 'two', 'three']) {
      expect(byName[name]?.build?.status, name).toBe('success');
      // each build's own duration stays its own (at least its 4 s step)
      expect(byName[name]?.build?.durationMs, name).toBeGreaterThanOrEqual(4000);
    }
    expect(byName.broken?.build?.status).toBe('failed');
    expect(byName.broken?.error && problemLine(byName.broken.error)).toMatch(
      /^broken\/Dockerfile:2: step ".*" failed: exit code: 3$/,
    );
    const sum = ['one', 'two', 'three'].reduce((total, n) => total + (byName[n]?.build?.durationMs ?? 0), 0);
    console.log(`parallel: wall ${ms.toFixed(0)} ms for builds summing ${sum} ms`);
    expect(ms).toBeLessThan(sum * 0.75);
  });

  it('--parallel 1 builds one after another', async () => {
    const { report, ms } = await check(repo(randomUUID().slice(0, 8)), [
      '--parallel',
      '1',
      '--services',
      'one,two',
    ]);
    const sum = report.services.reduce((total, s) => total + (s.build?.durationMs ?? 0), 0);
    expect(report.services.filter((s) => s.build?.status === 'success')).toHaveLength(2);
    expect(ms).toBeGreaterThanOrEqual(sum);
  });

  it('a bad --parallel is one line naming the flag, and nothing builds', async () => {
    let stderr = '';
    let stdout = '';
    const io: CliIo = {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: process.env,
      cwd: repo('x'),
    };
    const code = await cli(['check', '.', '--parallel', '0'], io);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')[0]).toBe(
      'image-budget: --parallel: "0" is not a whole number from 1 to 9999',
    );
    expect(stdout).toBe('');
  });
});
