/**
 * Through the whole pipeline (the CLI) on the real engine: the disk guard stops a runaway build and
 * reports it while the others still build, and secret-looking build args never reach the report.
 */
import { statfsSync, statSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { cli, type CliIo } from '../../src/cli/main.js';
import type { Report } from '../../src/report/model.js';
import { writeRepo } from '../support/repo.js';
import { problemLine } from '../../src/util/errors.js';

const BASE = 'image-budget/busybox:offline';

const repo = (files: Record<string, string>): string => writeRepo(files, 'ib-guard-');

async function check(dir: string, args: string[]): Promise<{ code: number; report: Report }> {
  let stdout = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: () => undefined, env: process.env, cwd: dir };
  const code = await cli(['check', '.', '--json', ...args], io);
  return { code, report: JSON.parse(stdout) as Report };
}

describe('the disk guard in the pipeline', () => {
  test('of two builds side by side, the one that writes past min-free-disk is stopped; the other and the next service build', async () => {
    const dataRoot = process.env.IMAGE_BUDGET_ENGINE_DATA_ROOT ?? '/';
    const stats = statfsSync(dataRoot);
    const free = stats.bavail * stats.bsize;
    const minFree = free - 150_000_000; // the hog may use 150 MB, and writes 1 GB
    const dir = repo({
      'compose.yaml':
        'services:\n  hog:\n    build: ./hog\n  slow:\n    build: ./slow\n  small:\n    build: ./small\n',
      // The hog's writing step starts while slow's step is already running: the guard tells them apart.
      'hog/Dockerfile': `FROM ${BASE}\nRUN sleep 2\nRUN for i in $(seq 1 100); do dd if=/dev/zero of=/fill.$i bs=1M count=10 2>/dev/null; sleep 0.05; done\n`,
      'slow/Dockerfile': `FROM ${BASE}\nRUN sleep 7 && echo slow > /slow\n`,
      'small/Dockerfile': `FROM ${BASE}\nRUN echo small > /small\n`,
    });
    const { code, report } = await check(dir, ['--min-free-disk', String(minFree), '--no-analyze']);
    expect(code).toBe(1);
    const hog = report.services.find((s) => s.name === 'hog');
    expect(hog?.build?.status).toBe('aborted');
    expect(hog?.error && problemLine(hog.error)).toMatch(
      /^hog\/Dockerfile: build stopped: the disk fell under min-free-disk .* while it was growing \(.* free\)$/,
    );
    expect(hog?.build?.peakDiskBytes).toBeGreaterThan(100_000_000);
    expect(hog?.build?.peakDiskBytes).toBeLessThan(400_000_000);
    for (const name of ['slow', 'small']) {
      const other = report.services.find((s) => s.name === name);
      expect(other?.built, JSON.stringify(other)).toBe(true);
      expect(other?.error).toBeUndefined();
    }
  });
});

describe('secret build args', () => {
  test('never reach the report, though BuildKit writes them into the image history', async () => {
    const dir = repo({
      'compose.yaml':
        'services:\n  api:\n    build:\n      context: .\n      args:\n        HF_TOKEN: hf_NotARealTokenButSecret\n',
      Dockerfile: `FROM ${BASE}\nARG HF_TOKEN\nRUN echo "token length \${#HF_TOKEN}" > /t && dd if=/dev/zero of=/pad bs=1M count=2\n`,
    });
    const { report } = await check(dir, []);
    expect(report.services[0]?.built).toBe(true);
    const text = JSON.stringify(report);
    expect(text).not.toContain('hf_NotARealTokenButSecret');
    expect(report.services[0]?.image?.largestLayers?.some((l) => l.createdBy.includes('HF_TOKEN=***'))).toBe(
      true,
    );
    // The build log holds the token in clear: removed after the run, and not named in the report.
    expect(report.services[0]?.build?.logFile).toBeUndefined();
  });

  test('--keep-logs keeps the build logs, readable by their owner only', async () => {
    const dir = repo({
      'compose.yaml':
        'services:\n  api:\n    build:\n      context: .\n      args:\n        HF_TOKEN: hf_NotARealTokenButSecret\n',
      Dockerfile: `FROM ${BASE}\nARG HF_TOKEN\nRUN echo "token length \${#HF_TOKEN}" > /t\n`,
    });
    const { report } = await check(dir, ['--keep-logs', '--no-analyze']);
    const log = report.services[0]?.build?.logFile;
    expect(log).toBeTruthy();
    expect(statSync(log!).mode & 0o777).toBe(0o600);
  });
});
