/**
 * Bad input as a new user meets it, through the CLI on the real engine: each mistake is one clear
 * line naming the file or service, the other services still build, the exit code is non-zero, no
 * stack trace, and nothing in the repository is written.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { cli, type CliIo } from '../../src/cli/main.js';
import type { Report } from '../../src/report/model.js';
import { writeRepo } from '../support/repo.js';
import { problemLine } from '../../src/util/errors.js';

const repo = (files: Record<string, string>): string => writeRepo(files, 'ib-bad-');

async function check(
  dir: string,
  args: string[] = [],
  env: Record<string, string | undefined> = process.env,
) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd: dir };
  const code = await cli(['check', '.', ...args], io);
  return { code, stdout, stderr };
}

/** A digest of every file's path and bytes, to prove a run wrote nothing in the repository. */
function digest(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      hash.update(p);
      if (statSync(p).isDirectory()) walk(p);
      else hash.update(readFileSync(p));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

const BASE = 'image-budget/busybox:offline';

describe('bad input', () => {
  test('failing build, missing Dockerfile, missing context: one line each, the good service still builds', async () => {
    const dir = repo({
      'docker-compose.yml': `services:
  good:
    build: ./good
  broken:
    build: ./broken
  nodockerfile:
    build:
      context: ./good
      dockerfile: Dockerfile.prod
  nocontext:
    build: ./does-not-exist
  db:
    image: postgres:16-alpine
`,
      'good/Dockerfile': `FROM ${BASE}\nRUN echo ok > /ok\n`,
      'broken/Dockerfile': `FROM ${BASE}\nRUN echo before\nRUN exit 7\n`,
    });
    const before = digest(dir);
    const { code, stdout } = await check(dir, ['--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as Report;
    const byName = Object.fromEntries(report.services.map((s) => [s.name, s]));
    expect(byName.good?.built).toBe(true);
    expect(byName.good?.image?.size).toBeGreaterThan(0);
    expect(byName.broken?.build?.status).toBe('failed');
    expect(byName.broken?.build?.exitCode).not.toBe(0);
    expect(byName.broken?.error && problemLine(byName.broken.error)).toBe(
      'broken/Dockerfile:3: step "[3/3] RUN exit 7" failed: exit code: 7',
    );
    expect(byName.broken?.build?.logTail?.join('\n')).toContain('exit code: 7');
    expect(byName.nodockerfile?.error && problemLine(byName.nodockerfile.error)).toBe(
      'docker-compose.yml:6: service "nodockerfile": Dockerfile good/Dockerfile.prod not found',
    );
    expect(byName.nocontext?.error && problemLine(byName.nocontext.error)).toBe(
      'docker-compose.yml:10: service "nocontext": build context does-not-exist does not exist',
    );
    expect(byName.db).toMatchObject({ built: false, imageRef: 'postgres:16-alpine' });
    expect(report.totals.failed).toBe(3);
    expect(digest(dir)).toBe(before);
  });

  test('a compose file with a YAML error names the file and line', async () => {
    const dir = repo({ 'compose.yaml': 'services:\n  a:\n    build: ./a\n  b: [\n' });
    const { code, stdout } = await check(dir);
    expect(code).toBe(1);
    expect(stdout).toMatch(/✗ compose\.yaml:\d+: invalid YAML: /);
    expect(stdout).not.toMatch(/\n\s+at /);
  });

  test('an unknown service name lists the known ones; the named ones still build', async () => {
    const dir = repo({
      'compose.yaml': 'services:\n  api:\n    build: .\n',
      Dockerfile: `FROM ${BASE}\n`,
    });
    const { code, stdout } = await check(dir, ['--services', 'api,nope']);
    expect(code).toBe(1);
    expect(stdout).toContain('✗ compose.yaml: no service named "nope" (known: api)');
    expect(stdout).toMatch(/api\s+built/);
  });

  test('no Docker engine at all: one line saying so, every service listed as not built', async () => {
    const dir = repo({ 'compose.yaml': 'services:\n  api:\n    build: .\n', Dockerfile: `FROM ${BASE}\n` });
    const env = { ...process.env, DOCKER_HOST: 'unix:///tmp/image-budget-no-such-engine.sock' };
    const { code, stdout, stderr } = await check(dir, [], env);
    expect(code).toBe(1);
    // Lines are wrapped to fit 100 columns: read them joined.
    const joined = stdout.replace(/\n {2}/g, ' ');
    expect(joined).toMatch(/✗ no Docker engine answers: .*Start one/);
    expect(joined).toContain('✗ not built: no BuildKit builder (see above)');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  test('a usage mistake is exit 2', async () => {
    const dir = repo({});
    expect((await check(dir, ['--max-size', 'abc'])).code).toBe(2);
    expect((await check(dir, ['--no-such-flag'])).code).toBe(2);
  });
});
