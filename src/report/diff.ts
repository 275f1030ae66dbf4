/**
 * The difference between the base branch's report (the baseline) and this run's: per-service deltas of
 * size, compressed size, build time and layer count; new and removed services; totals. Pure.
 *
 * A service counts as `changed` when its size or compressed size moved by at least the noise
 * threshold (bytes) or its layer count changed; smaller moves are `unchanged` (build time never makes a
 * service changed: it is too noisy).
 */
import type { Report, ServiceReport } from './model.js';

/** Default noise threshold: size moves under 1MB (10^6 bytes) show as unchanged. */
export const DEFAULT_NOISE_THRESHOLD = 1_000_000;

/** A measurement in the base and the head; `delta`/`percent` only when both exist. */
export interface Delta {
  base?: number;
  head?: number;
  /** head - base. */
  delta?: number;
  /** delta / base × 100; absent when base is 0 or missing. */
  percent?: number;
}

/**
 * - `added`: in head, not in the baseline;
 * - `removed`: in the baseline, not in head;
 * - `changed` / `unchanged`: measured in both (see the noise threshold);
 * - `unknown`: in both but not comparable (not built or not measured on one side, or no baseline).
 */
export type ChangeKind = 'added' | 'removed' | 'changed' | 'unchanged' | 'unknown';

export interface ServiceDiff {
  name: string;
  change: ChangeKind;
  /** The service in this run (absent when removed). */
  head?: ServiceReport;
  /** The service in the baseline (absent when added, or without a baseline). */
  base?: ServiceReport;
  size: Delta;
  compressedSize: Delta;
  buildTime: Delta;
  layers: Delta;
}

export interface ReportDiff {
  /** False when there was no baseline: every head service is `unknown` and no delta is given. */
  hasBaseline: boolean;
  noiseThreshold: number;
  /** Head services in head order, then removed services in baseline order. */
  services: ServiceDiff[];
  added: string[];
  removed: string[];
  /** Sums over the services measured in each report. */
  total: { size: Delta; compressedSize: Delta; buildTime: Delta };
  /** Anything a reader should see: a service added, removed or changed beyond the threshold. */
  changed: boolean;
}

/** The delta of two optional numbers. */
export function delta(base: number | undefined, head: number | undefined): Delta {
  const d: Delta = {};
  if (base !== undefined) d.base = base;
  if (head !== undefined) d.head = head;
  if (base !== undefined && head !== undefined) {
    d.delta = head - base;
    if (base !== 0) d.percent = ((head - base) / base) * 100;
  }
  return d;
}

function measured(service: ServiceReport | undefined): boolean {
  return !!service && service.built && service.image !== undefined && service.build?.status !== 'failed';
}

function buildMs(service: ServiceReport | undefined): number | undefined {
  return service?.build && service.build.status === 'success' ? service.build.durationMs : undefined;
}

function serviceDiff(
  name: string,
  base: ServiceReport | undefined,
  head: ServiceReport | undefined,
  threshold: number,
  hasBaseline: boolean,
): ServiceDiff {
  const b = measured(base) ? base : undefined;
  const h = measured(head) ? head : undefined;
  const entry: ServiceDiff = {
    name,
    change: 'unknown',
    size: delta(b?.image?.size, h?.image?.size),
    compressedSize: delta(b?.image?.compressedSize, h?.image?.compressedSize),
    buildTime: delta(buildMs(base), buildMs(head)),
    layers: delta(b?.image?.layers, h?.image?.layers),
  };
  if (head) entry.head = head;
  if (base) entry.base = base;
  if (!hasBaseline) entry.change = 'unknown';
  else if (!base) entry.change = 'added';
  else if (!head) entry.change = 'removed';
  else if (b && h) {
    const moved = (d: Delta) => d.delta !== undefined && Math.abs(d.delta) >= threshold;
    entry.change =
      moved(entry.size) || moved(entry.compressedSize) || (entry.layers.delta ?? 0) !== 0
        ? 'changed'
        : 'unchanged';
  }
  return entry;
}

function sum(values: (number | undefined)[]): number | undefined {
  const present = values.filter((v): v is number => v !== undefined);
  return present.length ? present.reduce((a, c) => a + c, 0) : undefined;
}

/**
 * Compare the baseline with this run.
 * @param base the baseline report, or undefined when none was found (first run, cache miss).
 * @param noiseThreshold bytes under which a size change shows as unchanged (default 1MB).
 */
export function diffReports(
  base: Report | undefined,
  head: Report,
  noiseThreshold: number = DEFAULT_NOISE_THRESHOLD,
): ReportDiff {
  const hasBaseline = base !== undefined;
  const baseByName = new Map((base?.services ?? []).map((s) => [s.name, s]));
  const headNames = new Set(head.services.map((s) => s.name));
  const services = head.services.map((s) =>
    serviceDiff(s.name, baseByName.get(s.name), s, noiseThreshold, hasBaseline),
  );
  for (const s of base?.services ?? []) {
    if (!headNames.has(s.name)) services.push(serviceDiff(s.name, s, undefined, noiseThreshold, hasBaseline));
  }
  const added = services.filter((s) => s.change === 'added').map((s) => s.name);
  const removed = services.filter((s) => s.change === 'removed').map((s) => s.name);
  // Like for like: a service that is in head but was not measured there (its build failed) leaves
  // the base total too, so a failed build never reads as a saving.
  const unmeasured = new Set(head.services.filter((s) => !measured(s)).map((s) => s.name));
  const sizes = (r: Report | undefined, pick: (s: ServiceReport) => number | undefined) =>
    r ? sum(r.services.filter((s) => measured(s) && !unmeasured.has(s.name)).map(pick)) : undefined;
  const total = {
    size: delta(
      base ? (sizes(base, (s) => s.image?.size) ?? 0) : undefined,
      sizes(head, (s) => s.image?.size) ?? 0,
    ),
    compressedSize: delta(
      sizes(base, (s) => s.image?.compressedSize),
      sizes(head, (s) => s.image?.compressedSize),
    ),
    buildTime: delta(base ? sum(base.services.map(buildMs)) : undefined, sum(head.services.map(buildMs))),
  };
  return {
    hasBaseline,
    noiseThreshold,
    services,
    added,
    removed,
    total,
    changed: services.some((s) => s.change === 'added' || s.change === 'removed' || s.change === 'changed'),
  };
}
