/**
 * The host budgets: the services' memory against the host's (`host-memory`), and the whole run's wall
 * time against a platform's build limit (`max-wall-time`). Pure: a report in, violations out.
 *
 * The memory sums count each replica. The sum of the limits over the host is a violation (the
 * containers can, together, ask for more than there is); so is the sum of the reservations (the
 * engine cannot give each what it was promised). A service without a limit makes the sum of the
 * limits unknowable: that is a warning on the service (src/deploy/), and the violation says so.
 */
import { formatBytes, formatDuration, plural } from '../report/format.js';
import type { HostFit, Report, ServiceReport, Violation } from '../report/model.js';

/**
 * The host's memory and the sums over `services`: every compose service, also those a `services`
 * selection left out (they run on the same host). Undefined without a host memory.
 */
export function hostFit(
  services: readonly Pick<ServiceReport, 'name' | 'deploy'>[],
  hostMemory: number | undefined,
): HostFit | undefined {
  if (hostMemory === undefined) return undefined;
  const running = services.filter((s) => s.deploy && (s.deploy.replicas ?? 1) > 0);
  const times = (s: Pick<ServiceReport, 'deploy'>, bytes: number | undefined) =>
    (bytes ?? 0) * (s.deploy?.replicas ?? 1);
  return {
    memory: hostMemory,
    limits: running.reduce((sum, s) => sum + times(s, s.deploy?.memoryLimit), 0),
    reservations: running.reduce((sum, s) => sum + times(s, s.deploy?.memoryReservation), 0),
    unlimited: running.filter((s) => s.deploy?.memoryLimit === undefined).map((s) => s.name),
  };
}

/** `host-memory` and `host-memory-reserved` on `total`: the sums over the host. */
export function judgeHost(host: HostFit | undefined): Violation[] {
  if (!host) return [];
  const out: Violation[] = [];
  const unknown =
    host.unlimited.length > 0
      ? ` (and ${plural(host.unlimited.length, 'service')} with no limit: ${host.unlimited.join(', ')})`
      : '';
  if (host.limits > host.memory) {
    out.push({
      service: 'total',
      budget: 'host-memory',
      limit: host.memory,
      actual: host.limits,
      unit: 'bytes',
      severity: 'error',
      message: `total: memory limits add up to ${formatBytes(host.limits)}${unknown}, over host-memory ${formatBytes(host.memory)}`,
    });
  }
  if (host.reservations > host.memory) {
    out.push({
      service: 'total',
      budget: 'host-memory-reserved',
      limit: host.memory,
      actual: host.reservations,
      unit: 'bytes',
      severity: 'error',
      message: `total: memory reservations add up to ${formatBytes(host.reservations)}, over host-memory ${formatBytes(host.memory)}`,
    });
  }
  return out;
}

/** `max-wall-time`: the whole run (`report.durationMs`) against a platform's limit on a build job. */
export function judgeWallTime(report: Report, limit: number | undefined): Violation[] {
  const took = report.durationMs;
  if (limit === undefined || took === undefined || took <= limit) return [];
  return [
    {
      service: 'total',
      budget: 'max-wall-time',
      limit,
      actual: took,
      unit: 'ms',
      severity: 'error',
      message: `total: the run took ${formatDuration(took)}, over max-wall-time ${formatDuration(limit)}`,
    },
  ];
}
