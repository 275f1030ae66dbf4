import { describe, expect, test } from 'vitest';
import { hostFit, judgeHost, judgeWallTime } from '../../../src/budget/host.js';
import { judge } from '../../../src/budget/judge.js';
import { emptyConfig } from '../../../src/config/schema.js';
import type { ServiceDeploy } from '../../../src/report/model.js';
import { report, service } from '../report/fixtures.js';

const MiB = 1024 ** 2;
const svc = (name: string, deploy: Partial<ServiceDeploy>) =>
  service(name, undefined, { deploy: { healthcheck: 'compose', ...deploy } });

describe('host budgets', () => {
  test('sums count replicas; a service without a limit is listed; image-only services count', () => {
    const services = [
      svc('db', { memoryLimit: 256 * MiB, memoryReservation: 128 * MiB }),
      svc('api', { memoryLimit: 512 * MiB, memoryReservation: 256 * MiB, replicas: 2 }),
      svc('agent', {}),
      svc('off', { memoryLimit: 4096 * MiB, replicas: 0 }),
      service('not-compose', 10),
    ];
    expect(hostFit(services, 2e9)).toEqual({
      memory: 2e9,
      limits: 1280 * MiB,
      reservations: 640 * MiB,
      unlimited: ['agent'],
    });
    expect(hostFit(services, undefined)).toBeUndefined();
  });

  test.each([
    ['fits', 1000, 500, []],
    ['limits over', 2100, 500, ['host-memory']],
    ['both over', 2100, 2050, ['host-memory', 'host-memory-reserved']],
    ['exactly the host', 2000, 2000, []],
  ])('%s', (_name, limitsMB, reservationsMB, budgets) => {
    const host = { memory: 2e9, limits: limitsMB * 1e6, reservations: reservationsMB * 1e6, unlimited: [] };
    expect(judgeHost(host).map((v) => v.budget)).toEqual(budgets);
  });

  test("judge() judges the report's host, and says which services have no limit", () => {
    const services = [svc('db', { memoryLimit: 3e9 }), svc('agent', {})];
    expect(judge(report(services), emptyConfig()).violations).toEqual([]);
    const judged = judge(report(services, { host: hostFit(services, 2e9)! }), emptyConfig());
    expect(judged.violations.map((v) => v.message)).toEqual([
      'total: memory limits add up to 3GB (and 1 service with no limit: agent), over host-memory 2GB',
    ]);
    expect(judge(judged.report, emptyConfig()).violations).toHaveLength(1); // judging twice: the same
  });

  test('max-wall-time is the whole run', () => {
    const r = report([], { durationMs: 31 * 60_000 });
    expect(judgeWallTime(r, 30 * 60_000)).toEqual([
      {
        service: 'total',
        budget: 'max-wall-time',
        limit: 30 * 60_000,
        actual: 31 * 60_000,
        unit: 'ms',
        severity: 'error',
        message: 'total: the run took 31m00s, over max-wall-time 30m00s',
      },
    ]);
    expect(judgeWallTime(r, 40 * 60_000)).toEqual([]);
    expect(judgeWallTime(r, undefined)).toEqual([]);
  });
});
