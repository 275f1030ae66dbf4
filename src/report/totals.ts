/** The report's totals, computed from its services and violations. Pure. */
import type { Report, ServiceReport, Totals } from './model.js';

export function computeTotals(services: ServiceReport[], violations: Report['violations']): Totals {
  const totals: Totals = {
    services: services.length,
    built: services.filter((s) => s.built).length,
    failed: services.filter((s) => s.error !== undefined || (s.build && s.build.status !== 'success')).length,
    size: sum(services.map((s) => s.image?.size ?? 0)),
    buildDurationMs: sum(services.map((s) => s.build?.durationMs ?? 0)),
    findings: { error: 0, warning: 0, note: 0 },
    violations: violations.length + sum(services.map((s) => s.violations.length)),
  };
  const compressed = services.map((s) => s.image?.compressedSize).filter((n): n is number => n !== undefined);
  if (compressed.length > 0) totals.compressedSize = sum(compressed);
  for (const finding of services.flatMap((s) => s.findings)) totals.findings[finding.severity] += 1;
  return totals;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
