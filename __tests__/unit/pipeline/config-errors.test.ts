/** A broken config file stops the run before lint and builds, with every one of its mistakes at once. */
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { exitVerdict } from '../../../src/budget/verdict.js';
import { Docker } from '../../../src/docker/exec.js';
import { runPipeline } from '../../../src/pipeline/run.js';
import type { Log } from '../../../src/util/log.js';
import { writeRepo } from '../../support/repo.js';
import { problemLine } from '../../../src/util/errors.js';

const CONFIG = '.github/image-budget.yml';

/** Three mistakes of three kinds: a bad unit, a key typo, a rule that does not exist. */
const BROKEN = [
  'defaults:',
  '  max-size: 5 GB',
  'services:',
  '  api:',
  '    max-sise: 1GB',
  'lint:',
  '  rules:',
  '    cuda-torhc: off',
  '',
].join('\n');

/** A docker CLI that writes down every call and fails every one (no Compose v2: our parser reads). */
function recordingDocker(): { docker: Docker; calls: () => string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'ib-fake-docker-'));
  const bin = path.join(dir, 'docker');
  const log = path.join(dir, 'calls');
  writeFileSync(bin, `#!/bin/sh\necho "$@" >> "${log}"\necho "fake docker: no" >&2\nexit 1\n`);
  chmodSync(bin, 0o755);
  return {
    docker: new Docker(bin),
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []),
  };
}

function capturingLog(): Log & { errors: string[] } {
  const errors: string[] = [];
  return {
    errors,
    info: () => undefined,
    warning: () => undefined,
    error: (message) => void errors.push(message),
    group: (_name, fn) => fn(),
  };
}

async function run(config: string) {
  const root = writeRepo({
    'compose.yaml': 'services:\n  api:\n    build: api\n  db:\n    image: postgres:16\n',
    'api/Dockerfile': 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n',
    [CONFIG]: config,
  });
  const { docker, calls } = recordingDocker();
  const log = capturingLog();
  const { report } = await runPipeline(
    {
      root,
      tag: 'ib/{service}:{sha}',
      sha: 'test',
      docker: docker.binary,
      workDir: mkdtempSync(path.join(tmpdir(), 'ib-work-')),
    },
    { docker, log, env: {} },
  );
  return { report, calls: calls(), log };
}

/** What was asked of docker once the services were read (`compose ...`): the builds' engine checks and builds. */
const afterPlan = (calls: string[]) => calls.filter((c) => !c.startsWith('compose '));

describe('a broken config file', () => {
  test('every mistake is reported, one line each, and no build starts', async () => {
    const { report, calls, log } = await run(BROKEN);
    const lines = [
      `${CONFIG}:2: defaults.max-size: "5 GB" is ambiguous: write 5GB (5 × 1000^3) or 5GiB (5 × 1024^3)`,
      `${CONFIG}:5: services.api.max-sise: unknown key (did you mean max-size?)`,
      `${CONFIG}:8: lint.rules.cuda-torhc: unknown rule (did you mean cuda-torch?)`,
    ];
    expect(report.errors.map(problemLine)).toEqual(lines);
    expect(report.configFile).toBe(CONFIG);
    for (const line of lines) expect(log.errors).toContain(line);
    expect(log.errors).toContain(
      'the config file has 3 errors: nothing was linted or built; fix them and run again',
    );
    expect(afterPlan(calls)).toEqual([]);
    // Not linted either, and the services are listed as not built.
    expect(report.services.flatMap((s) => s.findings)).toEqual([]);
    expect(report.services.find((s) => s.name === 'api')).toMatchObject({
      built: false,
      notBuilt: 'the config file has errors',
    });
    expect(exitVerdict(report, 'error')).toMatchObject({ failed: true, summary: 'failed: 3 errors' });
  });

  test('the same repository with a valid config is linted and built (the check above can fail)', async () => {
    const { report, calls } = await run('defaults:\n  max-size: 5GB\n');
    // The fake engine answers nothing, so the builds stop at the engine check, after the lint.
    expect(report.errors.map(problemLine)).toEqual([expect.stringMatching(/^no Docker engine answers/)]);
    expect(afterPlan(calls)).toContain('buildx version');
    expect(report.services.flatMap((s) => s.findings).length).toBeGreaterThan(0);
  });
});
