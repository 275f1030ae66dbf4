import { describe, expect, test } from 'vitest';
import { hostFit } from '../../../src/budget/host.js';
import { judge } from '../../../src/budget/judge.js';
import { emptyConfig } from '../../../src/config/schema.js';
import { deployMarkdown, formatMemory } from '../../../src/render/deploy.js';
import { renderMarkdown } from '../../../src/render/markdown.js';
import type { ServiceDeploy } from '../../../src/report/model.js';
import { report, service } from '../report/fixtures.js';
import { exitVerdict } from '../../../src/budget/verdict.js';

const MiB = 1024 ** 2;
const svc = (name: string, deploy: ServiceDeploy) => service(name, undefined, { deploy });

describe('the deploy table', () => {
  const services = [
    svc('postgres', { memoryLimit: 256 * MiB, memoryReservation: 128 * MiB, healthcheck: 'compose' }),
    svc('api', {
      memoryLimit: 512 * MiB,
      memoryReservation: 256 * MiB,
      replicas: 2,
      healthcheck: 'dockerfile',
    }),
    svc('<img src=x> @team', { healthcheck: 'none' }),
    svc('migrate', { memoryLimit: 64 * MiB, healthcheck: 'none', oneShot: true }),
  ];

  test('service, limit, reservation, share of the host, healthcheck; the sums over the host', () => {
    const judged = judge(report(services, { host: hostFit(services, 2e9)! }), emptyConfig()).report;
    expect(deployMarkdown(judged)).toBe(
      [
        '#### ⚠️ Deploy fit: 1.41GB of memory limits on a 2GB host',
        '',
        '| Service | Limit | Reservation | Share of host | Healthcheck |',
        '| :-- | --: | --: | --: | :-- |',
        '| postgres | 256MiB | 128MiB | 13% | compose |',
        '| api | 512MiB ×2 | 256MiB ×2 | 54% | Dockerfile |',
        '| &lt;img src=x&gt; @&#8203;team | — | — | ? | ⚠️ none |',
        '| migrate | 64MiB | — | 3% | one-shot |',
        '| **Total** | 1.41GB+? | 671MB | 70% |  |',
      ].join('\n'),
    );
    expect(renderMarkdown(judged, exitVerdict(judged, 'error'))).toContain('#### ⚠️ Deploy fit');
  });

  test('shown without a host when a service has a limit; hidden when there is nothing to show', () => {
    expect(deployMarkdown(report(services))).toContain('| postgres | 256MiB | 128MiB |  | compose |');
    expect(deployMarkdown(report([svc('a', { healthcheck: 'none' })]))).toBeUndefined();
    expect(deployMarkdown(report([service('a', 10)]))).toBeUndefined();
  });

  test.each([
    [256 * MiB, '256MiB'],
    [2 * 1024 * MiB, '2GiB'],
    [2e9, '2GB'],
    [1500, '1.5kB'],
  ])('formatMemory(%i) is %s', (bytes, text) => {
    expect(formatMemory(bytes)).toBe(text);
  });
});
