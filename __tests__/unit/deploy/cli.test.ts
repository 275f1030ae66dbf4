/**
 * The issue's "done when", through the CLI from the compose file alone (`--lint-only` needs no
 * engine): the seeds' compose file, whose limits add up to 2.26GB, on a 2GB host.
 */
import { describe, expect, test } from 'vitest';
import { cli } from '../../../src/cli/main.js';
import { captureIo } from '../../support/cli-io.js';
import type { Report } from '../../../src/report/model.js';
import { writeRepo } from '../../support/repo.js';
import { SEEDS_REPO } from './spec.js';

const io = (cwd: string) => captureIo(cwd);

const MiB = 1024 ** 2;

describe('check --lint-only --host-memory', () => {
  test('limits over the host fail the run; a service without a limit or a healthcheck is warned about', async () => {
    const run = io(writeRepo(SEEDS_REPO));
    // --wide: every line as written (the default wraps at 100 columns).
    expect(await cli(['check', '--lint-only', '--host-memory', '2GB', '--wide'], run)).toBe(1);
    expect(run.out).toContain(
      '✗ total: memory limits add up to 2.26GB (and 1 service with no limit: whatsapp-agent), over host-memory 2GB',
    );
    expect(run.out).toMatch(/compose\.yaml:48 +warning +no-memory-limit +whatsapp-agent has no memory limit/);
    expect(run.out).toMatch(/compose\.yaml:48 +warning +no-healthcheck +whatsapp-agent has no healthcheck/);
    // The backend's HEALTHCHECK is in its Dockerfile; the migration runs once.
    expect(run.out).toMatch(/^backend +350MiB +256MiB +18% +Dockerfile$/m);
    expect(run.out).toMatch(/^migrate +240MiB +128MiB +13% +Dockerfile$/m);
    expect(run.out).toMatch(/^total +2\.26GB\+\? +1\.51GB +113%$/m);
    expect(run.out).not.toMatch(/no-healthcheck +(backend|migrate|postgres)/);
    expect(run.out).toContain('failed: 1 budget violation');
  });

  test('the JSON report holds the bytes, the host sums and the healthcheck sources', async () => {
    const run = io(writeRepo(SEEDS_REPO));
    expect(await cli(['check', '--lint-only', '--host-memory', '2GB', '--json'], run)).toBe(1);
    const report = JSON.parse(run.out) as Report;
    expect(report.host).toEqual({
      memory: 2e9,
      limits: 2156 * MiB,
      reservations: 1440 * MiB,
      unlimited: ['whatsapp-agent'],
    });
    const byName = Object.fromEntries(report.services.map((s) => [s.name, s.deploy]));
    expect(byName.postgres).toEqual({
      memoryLimit: 256 * MiB,
      memoryReservation: 128 * MiB,
      healthcheck: 'compose',
    });
    expect(byName.backend?.healthcheck).toBe('dockerfile');
    expect(byName['whatsapp-agent']).toEqual({ healthcheck: 'none' });
    expect(byName.migrate).toEqual({
      memoryLimit: 240 * MiB,
      memoryReservation: 128 * MiB,
      healthcheck: 'dockerfile',
      oneShot: true,
    });
    expect(report.violations.map((v) => [v.budget, v.limit, v.actual])).toEqual([
      ['host-memory', 2e9, 2156 * MiB],
    ]);
  });

  test('a selection (one shard of a matrix) still sums every service on the host', async () => {
    const run = io(writeRepo(SEEDS_REPO));
    expect(
      await cli(['check', '--lint-only', '--host-memory', '2GB', '--services', 'backend', '--json'], run),
    ).toBe(1);
    const report = JSON.parse(run.out) as Report;
    expect(report.services.map((s) => s.name)).toEqual(['backend']);
    expect(report.host).toMatchObject({ limits: 2156 * MiB, unlimited: ['whatsapp-agent'] });
    // Its findings are its own: the agent's warnings belong to the agent's shard.
    expect(report.services[0]?.findings.filter((f) => f.source === 'compose')).toEqual([]);
  });

  test('the config file sets the host, and a service may turn its healthcheck warning off', async () => {
    const dir = writeRepo({
      ...SEEDS_REPO,
      '.github/image-budget.yml':
        'host:\n  memory: 3GB\nservices:\n  whatsapp-agent:\n    healthcheck: off\n',
    });
    const run = io(dir);
    expect(await cli(['check', '--lint-only'], run)).toBe(0);
    expect(run.out).toContain('host memory 3GB');
    expect(run.out).toContain('no-memory-limit');
    expect(run.out).not.toContain('no-healthcheck');
    // The flag wins over the file.
    expect(await cli(['check', '--lint-only', '--host-memory', '2GB'], io(dir))).toBe(1);
  });

  test('without a host memory: no memory warning, the healthcheck one stays, nothing fails', async () => {
    const run = io(writeRepo(SEEDS_REPO));
    expect(await cli(['check', '--lint-only'], run)).toBe(0);
    expect(run.out).not.toContain('no-memory-limit');
    expect(run.out).toContain('no-healthcheck');
    expect(run.out).toMatch(/^memory$/m);
  });

  test.each([
    [['--host-memory', '2 GB'], '--host-memory: "2 GB" is ambiguous'],
    [['--max-wall-time', '30'], '--max-wall-time: "30" has no unit'],
  ])('%j is a usage error', async (flags, message) => {
    const run = io(writeRepo(SEEDS_REPO));
    expect(await cli(['check', '--lint-only', ...flags], run)).toBe(2);
    expect(run.err).toContain(message);
  });

  test('max-wall-time budgets the whole run', async () => {
    const run = io(writeRepo(SEEDS_REPO));
    expect(await cli(['check', '--lint-only', '--max-wall-time', '0s', '--json'], run)).toBe(1);
    const report = JSON.parse(run.out) as Report;
    expect(report.violations).toMatchObject([
      { service: 'total', budget: 'max-wall-time', limit: 0, unit: 'ms' },
    ]);
    expect(report.violations[0]?.actual).toBe(report.durationMs);
    expect(await cli(['check', '--lint-only', '--max-wall-time', '30m'], io(writeRepo(SEEDS_REPO)))).toBe(0);
  });
});
