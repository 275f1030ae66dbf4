/** Builds the report's pieces from the plan and the results: service entries and totals. */
import type { Plan, ServicePlan } from '../plan/model.js';
import { relativePath } from '../util/paths.js';
import { SCHEMA_VERSION, type Report, type ServiceReport, type Totals } from './model.js';

export const TOOL_VERSION = '0.1.0';

export function newReport(plan: Plan, createdAt: Date): Report {
  const report: Report = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'image-budget', version: TOOL_VERSION },
    createdAt: createdAt.toISOString(),
    services: plan.services.map((service) => newServiceReport(service, plan.root)),
    totals: computeTotals([], []),
    violations: [],
    errors: [...plan.errors],
  };
  if (plan.composeFile) report.composeFile = relativePath(plan.root, plan.composeFile);
  return report;
}

export function newServiceReport(service: ServicePlan, root: string): ServiceReport {
  const entry = { name: service.name, built: false } as ServiceReport;
  if (service.image && !service.build) entry.imageRef = service.image;
  if (service.build) {
    entry.context = relativePath(root, service.build.context);
    if (service.build.dockerfile) entry.dockerfile = relativePath(root, service.build.dockerfile);
    else if (service.build.dockerfileInline !== undefined) entry.dockerfile = '(inline)';
    if (service.build.target) entry.target = service.build.target;
  }
  if (service.gpu) entry.gpu = true;
  if (service.notBuilt) entry.notBuilt = service.notBuilt;
  entry.findings = [];
  entry.violations = [];
  if (service.error) entry.error = service.error;
  return entry;
}

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
