/**
 * The exit verdict: does this run fail the job (a required status check) under `fail-on`?
 *
 * - `error` (the default): fails on any error-severity budget violation, failed build, service error
 *   (missing Dockerfile, ...), run-level error (broken compose file, budget for an unknown service),
 *   or error-severity lint finding.
 * - `warning`: also fails on warning-severity findings and violations.
 * - `never`: never fails (the comment and summary still show everything).
 */
import type { Report, Severity } from '../report/model.js';
import type { FailOn } from '../config/schema.js';
import { plural } from '../report/format.js';

export interface Verdict {
  failed: boolean;
  /** Why it failed (or would fail under `error`/`warning`), one short line per kind, e.g. `2 budget violations`. */
  reasons: string[];
  /** One line for the log and the comment headline, e.g. `failed: 2 budget violations, 1 failed build`. */
  summary: string;
}

/** Decide pass/fail from a judged report. Pure. */
export function exitVerdict(report: Report, failOn: FailOn): Verdict {
  const counts = (limit: Severity[]) => {
    const violations = [...report.violations, ...report.services.flatMap((s) => s.violations)].filter((v) =>
      limit.includes(v.severity),
    ).length;
    const findings = report.services
      .flatMap((s) => s.findings)
      .filter((f) => limit.includes(f.severity)).length;
    return { violations, findings };
  };
  const failedBuilds = report.services.filter((s) => s.build?.status === 'failed').length;
  const serviceErrors = report.services.filter(
    (s) => s.error !== undefined && s.build?.status !== 'failed',
  ).length;
  const runErrors = report.errors.length;
  const severities: Severity[] = failOn === 'warning' ? ['error', 'warning'] : ['error'];
  const { violations, findings } = counts(severities);

  const reasons: string[] = [];
  if (violations > 0) reasons.push(plural(violations, 'budget violation'));
  if (failedBuilds > 0) reasons.push(plural(failedBuilds, 'failed build'));
  if (serviceErrors > 0) reasons.push(plural(serviceErrors, 'service error'));
  if (runErrors > 0) reasons.push(plural(runErrors, 'error'));
  if (findings > 0) {
    reasons.push(plural(findings, failOn === 'warning' ? 'lint finding' : 'lint error'));
  }
  const failed = failOn !== 'never' && reasons.length > 0;
  const summary = failed
    ? `failed: ${reasons.join(', ')}`
    : reasons.length > 0
      ? `passed (fail-on: never): ${reasons.join(', ')}`
      : 'passed';
  return { failed, reasons, summary };
}
