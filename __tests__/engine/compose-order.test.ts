/**
 * Compose as Compose reads it, through the whole pipeline on the real engine: the override file next
 * to the default one adds a `worker` service and gives `api` the `dev` target, and a service whose
 * Dockerfile starts `FROM` another service's `image:` is built after it (all the others at once).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cli, type CliIo } from '../../src/cli/main.js';
import type { Report } from '../../src/report/model.js';
import { writeRepo } from '../support/repo.js';

async function check(dir: string): Promise<{ code: number; report: Report }> {
  let stdout = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: () => undefined, env: process.env, cwd: dir };
  const code = await cli(['check', '.', '--json', '--no-analyze'], io);
  return { code, report: JSON.parse(stdout) as Report };
}

describe('compose files on the real engine', () => {
  it('the override adds worker and sets api to its dev target; FROM of a sibling image waits for it', async () => {
    const nonce = randomUUID().slice(0, 8);
    const dir = writeRepo(
      {
        'docker-compose.yml': [
          'services:',
          '  api:',
          '    build: ./api',
          '  base:',
          '    build: ./base',
          `    image: ib-order-${nonce}/base:latest`,
          '  app:',
          '    build: ./app',
          '',
        ].join('\n'),
        'docker-compose.override.yml': [
          'services:',
          '  api:',
          '    build:',
          '      target: dev',
          '  worker:',
          '    build: ./worker',
          '',
        ].join('\n'),
        'api/Dockerfile':
          'FROM image-budget/busybox:offline AS runtime\nRUN echo runtime > /stage\nFROM runtime AS dev\nRUN echo dev > /stage\nFROM runtime AS last\n',
        'worker/Dockerfile': `FROM image-budget/busybox:offline\nRUN echo ${nonce} > /worker\n`,
        // base takes a few seconds, so app (which would fail to find its FROM) must really wait
        'base/Dockerfile': `FROM image-budget/busybox:offline\nRUN echo ${nonce} > /base && sleep 3\n`,
        'app/Dockerfile': `FROM ib-order-${nonce}/base:latest\nRUN cat /base > /app\n`,
      },
      'ib-compose-order-',
    );
    const { code, report } = await check(dir);
    const byName = Object.fromEntries(report.services.map((s) => [s.name, s]));
    const lines = report.services.map((s) => `${s.name}: ${s.build?.status} ${s.error ?? ''}`).join('\n');
    expect(code, lines).toBe(0);
    expect(Object.keys(byName).sort()).toEqual(['api', 'app', 'base', 'worker']);
    for (const name of ['api', 'app', 'base', 'worker'])
      expect(byName[name]?.build?.status, lines).toBe('success');
    expect(byName.api?.target).toBe('dev');
    // api's dev stage ran its own step (the runtime stage's and the dev stage's RUN), not the last stage's
    expect(byName.api?.build?.steps?.some((step) => step.name.includes('echo dev > /stage'))).toBe(true);
  });
});
