/**
 * The size trend's data: the runs saved with the default branch's baselines (store/history.ts), one
 * small record per run, and which services changed. Pure; render/trend.ts draws them.
 */
import type { ReportDiff } from './diff.js';
import type { Report } from './model.js';

/** Runs kept with each baseline. */
export const MAX_TREND_RUNS = 30;
/** Services drawn beside the total. */
const MAX_LINES = 4;

export interface TrendService {
  /** Uncompressed bytes. */
  size: number;
  compressedSize?: number;
  buildMs?: number;
}

/** One saved run of the default branch. */
export interface TrendRun {
  sha?: string;
  /** ISO date of the report. */
  date: string;
  services: Record<string, TrendService>;
}

/** The run a report stands for: every built service's sizes and build time. */
export function trendRunOf(report: Report): TrendRun {
  const services: Record<string, TrendService> = {};
  for (const s of report.services) {
    if (!s.built || !s.image) continue;
    const entry: TrendService = { size: s.image.size };
    if (s.image.compressedSize !== undefined) entry.compressedSize = s.image.compressedSize;
    if (s.build?.status === 'success') entry.buildMs = s.build.durationMs;
    services[s.name] = entry;
  }
  return { ...(report.git?.sha ? { sha: report.git.sha } : {}), date: report.createdAt, services };
}

/** `runs` with `run` last, the oldest dropped past `max`. */
export function appendRun(runs: readonly TrendRun[], run: TrendRun, max = MAX_TREND_RUNS): TrendRun[] {
  return [...runs, run].slice(-max);
}

export function total(run: TrendRun, pick: (s: TrendService) => number | undefined = (s) => s.size): number {
  return Object.values(run.services).reduce((sum, s) => sum + (pick(s) ?? 0), 0);
}

/** The services to draw: those the diff shows changed, else those that changed between the last two runs. */
export function changedServices(runs: readonly TrendRun[], diff?: ReportDiff): string[] {
  const known = new Set(runs.flatMap((r) => Object.keys(r.services)));
  let names: string[];
  if (diff) {
    names = diff.services.filter((s) => s.change === 'changed' || s.change === 'added').map((s) => s.name);
  } else {
    const [before, last] = runs.slice(-2);
    names = last
      ? Object.keys(last.services).filter((n) => before?.services[n]?.size !== last.services[n]?.size)
      : [];
  }
  return names.filter((n) => known.has(n)).slice(0, MAX_LINES);
}
