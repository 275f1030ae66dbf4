/**
 * New, worse, fixed, existing: every finding and violation of this run compared with the baseline's
 * (issue 13). Pure.
 *
 * - A finding is the same finding when its rule, service, file and normalized message are: line and
 *   column numbers are not part of it (an edit above a finding must not make it new), and neither are
 *   the numbers in its text (a layer of 31 MB that became 32 MB is the same finding).
 * - A violation is the same violation when its service and budget are; it is `worse` when its amount
 *   grew by more than the noise threshold (bytes) or 1% (other units), `existing` otherwise.
 * - What the baseline had and this run does not goes to `Report.fixed`, marked `fixed`.
 *
 * - A finding confirmed by the image (`imageEvidence`, pipeline/confirm.ts) is the same finding as
 *   without it; and the baseline's image finding that this run reports as such a confirmation (same
 *   service and image rule; the lint finding may sit in a script the step runs) is not fixed: it is
 *   the same problem, now reported once.
 *
 * Services that the baseline did not measure (new, or failed there) have only `new` marks: the PR
 * brought them. A service this run did not build (it failed) keeps the baseline's findings out of
 * `fixed`: a failure fixes nothing.
 */
import { DEFAULT_NOISE_THRESHOLD } from './diff.js';
import type { Finding, Mark, Report, ServiceReport, Violation } from './model.js';

/** The identity of a finding across runs: rule, service, file and message with numbers taken out. */
export function findingKey(service: string, finding: Pick<Finding, 'rule' | 'file' | 'message'>): string {
  return [finding.rule, service, finding.file, normalizeText(finding.message)].join('\u0000');
}

/** A message with digits (and the units and separators they carry) folded, case and spaces folded. */
export function normalizeText(message: string): string {
  return message
    .toLowerCase()
    .replace(/\d+(?:[.,]\d+)*\s*(?:[kmgt]i?b|b|ms|s|%)?/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The identity of a violation: its service and its budget. */
export function violationKey(violation: Pick<Violation, 'service' | 'budget'>): string {
  return `${violation.service}\u0000${violation.budget}`;
}

/** Counts of each mark over a report's findings and violations (fixed from `Report.fixed`). */
export interface MarkCounts {
  findings: Record<Mark, number>;
  violations: Record<Mark, number>;
}

/** `head` with every finding and violation marked against `base`, and `fixed` filled. */
export function markAgainst(
  base: Report,
  head: Report,
  noiseThreshold: number = DEFAULT_NOISE_THRESHOLD,
): Report {
  const baseServices = new Map(base.services.map((s) => [s.name, s]));
  const headServices = new Map(head.services.map((s) => [s.name, s]));

  const baseViolations = new Map(allViolations(base).map((v) => [violationKey(v), v]));
  const markViolation = (v: Violation): Violation => {
    const before = baseViolations.get(violationKey(v));
    if (!before) return { ...v, mark: 'new' };
    return { ...v, mark: grew(before, v, noiseThreshold) ? 'worse' : 'existing' };
  };

  const services = head.services.map((service): ServiceReport => {
    const before = baseServices.get(service.name);
    const known = new Set((before?.findings ?? []).map((f) => findingKey(service.name, f)));
    return {
      ...service,
      findings: service.findings.map((f) => ({
        ...f,
        mark: known.has(findingKey(service.name, f)) ? 'existing' : 'new',
      })),
      violations: service.violations.map(markViolation),
    };
  });

  const headFindings = new Set(head.services.flatMap((s) => s.findings.map((f) => findingKey(s.name, f))));
  const headViolations = new Set(allViolations(head).map(violationKey));
  const fixedFindings = base.services.flatMap((s) => {
    const now = headServices.get(s.name);
    if (!now || !comparable(now)) return [];
    const confirmed = new Set(
      now.findings.flatMap((f) => (f.source !== 'image' && f.imageEvidence ? [f.imageEvidence.rule] : [])),
    );
    return s.findings
      .filter((f) => !headFindings.has(findingKey(s.name, f)))
      .filter((f) => !(f.source === 'image' && confirmed.has(f.rule)))
      .map((f) => ({ ...f, service: s.name, mark: 'fixed' as const }));
  });
  const fixedViolations = allViolations(base)
    .filter((v) => !headViolations.has(violationKey(v)))
    .filter((v) => {
      if (v.service === 'total') return true;
      const now = headServices.get(v.service);
      return now !== undefined && comparable(now);
    })
    .map((v) => ({ ...v, mark: 'fixed' as const }));

  return {
    ...head,
    services,
    violations: head.violations.map(markViolation),
    fixed: { findings: fixedFindings, violations: fixedViolations },
  };
}

/** How many of each mark a marked report carries. */
export function countMarks(report: Report): MarkCounts {
  const zero = (): Record<Mark, number> => ({ new: 0, worse: 0, fixed: 0, existing: 0 });
  const counts: MarkCounts = { findings: zero(), violations: zero() };
  for (const f of report.services.flatMap((s) => s.findings)) if (f.mark) counts.findings[f.mark] += 1;
  for (const v of allViolations(report)) if (v.mark) counts.violations[v.mark] += 1;
  counts.findings.fixed = report.fixed?.findings.length ?? 0;
  counts.violations.fixed = report.fixed?.violations.length ?? 0;
  return counts;
}

/** A mark that a PR brought: `new` or `worse`. */
export function introduced(mark: Mark | undefined): boolean {
  return mark === 'new' || mark === 'worse';
}

function allViolations(report: Report): Violation[] {
  return [...report.violations, ...report.services.flatMap((s) => s.violations)];
}

/** A service whose findings mean something this run: not failed (a failure hides its findings). */
function comparable(service: ServiceReport): boolean {
  return service.error === undefined && service.build?.status !== 'failed';
}

function grew(before: Violation, now: Violation, noiseThreshold: number): boolean {
  const by = now.actual - before.actual;
  if (now.unit === 'bytes') return by > noiseThreshold;
  return by > Math.abs(before.actual) * 0.01;
}
