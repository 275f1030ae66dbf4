/** keepFailedBuildLogs: what `check` keeps of the build logs after a run (they hold the build args). */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { keepFailedBuildLogs } from '../../../src/pipeline/build.js';
import type { BuildStatus } from '../../../src/report/model.js';
import { report, service } from '../report/fixtures.js';

test.each<[BuildStatus, boolean]>([
  ['success', false],
  ['failed', true],
  ['aborted', true],
  ['skipped', false],
])('a %s build: its log kept %s', (status, kept) => {
  const logFile = path.join(mkdtempSync(path.join(tmpdir(), 'ib-logs-')), 'api.build.log');
  writeFileSync(logFile, 'HF_TOKEN=secret\n', { mode: 0o600 });
  const r = report([service('api', undefined, { build: { status, durationMs: 1, logFile } })]);
  keepFailedBuildLogs(r);
  expect(existsSync(logFile)).toBe(kept);
  expect(r.services[0]?.build?.logFile).toBe(kept ? logFile : undefined);
});
