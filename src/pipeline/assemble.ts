/** Builds the report's first shape from the plan: one entry per service, empty totals. */
import type { Plan, ServicePlan } from '../plan/model.js';
import { relativePath } from '../util/paths.js';
import { SCHEMA_VERSION, TOOL_VERSION, type Report, type ServiceReport } from '../report/model.js';
import { computeTotals } from '../report/totals.js';

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
