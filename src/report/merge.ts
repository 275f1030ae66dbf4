/**
 * Reports of shards (a matrix of jobs, each building some services) merged into one: services in
 * order of first appearance (a later shard's entry for the same service wins), errors and total
 * violations from every shard without repeats, totals recomputed. Total budgets are judged again by
 * whoever judges the merged report.
 */
import { UserError } from '../util/errors.js';
import { computeTotals } from './totals.js';
import type { Report, ServiceReport } from './model.js';
import { problemLine } from '../util/errors.js';

export function mergeReports(reports: Report[]): Report {
  const [first] = reports;
  if (!first) throw new UserError('nothing to merge: no reports given');
  const services = new Map<string, ServiceReport>();
  for (const report of reports) for (const service of report.services) services.set(service.name, service);
  const merged: Report = {
    ...first,
    createdAt: reports.map((r) => r.createdAt).sort()[0] ?? first.createdAt,
    services: [...services.values()],
    violations: unique(
      reports.flatMap((r) => r.violations),
      (v) => v.message,
    ),
    errors: unique(
      reports.flatMap((r) => r.errors),
      problemLine,
    ),
  };
  const durations = reports.map((r) => r.durationMs).filter((d): d is number => d !== undefined);
  if (durations.length > 0) merged.durationMs = Math.max(...durations);
  merged.totals = computeTotals(merged.services, merged.violations);
  return merged;
}

function unique<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(key(item)) && seen.add(key(item)));
}
