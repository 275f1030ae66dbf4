/**
 * The exit verdict: does this run fail the job (a required status check) under `fail-on`?
 *
 * - `error` (the default): fails on any error-severity budget violation, failed build, service error
 *   (missing Dockerfile, ...), run-level error (broken compose file, budget for an unknown service),
 *   or error-severity lint finding.
 * - `warning`: also fails on warning-severity findings and violations.
 * - `new` (the ratchet, docs/pull-requests.md): fails only on what the pull request brought, against
 *   the baseline's marks (report/marks.ts): error-severity violations marked `new` or `worse`, and
 *   error-severity findings marked `new`. What stops a service from being built or measured (a failed
 *   build, a service error, a run-level error) always fails. Without a baseline (the report carries no
 *   marks), `new` judges as `error` and says so in `note`.
 * - `never`: never fails (the comment and summary still show everything).
 *
 * When the report is marked, each reason tells new from existing: `1 new budget violation (2 existing)`.
 */
import type { FailOn } from '../config/schema.js';
import type { Mark, Report, Severity } from '../report/model.js';
import { plural } from '../report/format.js';

export interface Verdict {
  failed: boolean;
  /** Why it failed (or would fail under `error`/`warning`), one short line per kind, e.g. `2 budget violations`. */
  reasons: string[];
  /** One line for the log and the comment headline, e.g. `failed: 2 budget violations, 1 failed build`. */
  summary: string;
  /** A line about how the run was judged, e.g. `no baseline: fail-on new judged every violation as new`. */
  note?: string;
}

/** The line of a `fail-on: new` run that had no baseline to compare with. */
export const NO_BASELINE_NOTE = 'no baseline: fail-on new judged every violation as new';

/** Decide pass/fail from a judged (and, with a baseline, marked) report. Pure. */
export function exitVerdict(report: Report, failOn: FailOn): Verdict {
  // `Report.fixed` is set by the marking, even when empty: the report was compared with a baseline.
  const marked = report.fixed !== undefined;
  const ratchet = failOn === 'new' && marked;
  const severities: Severity[] = failOn === 'warning' ? ['error', 'warning'] : ['error'];
  const violations = tally(
    [...report.violations, ...report.services.flatMap((s) => s.violations)].filter((v) =>
      severities.includes(v.severity),
    ),
  );
  const findings = tally(
    report.services.flatMap((s) => s.findings).filter((f) => severities.includes(f.severity)),
  );
  const failedBuilds = report.services.filter((s) => s.build?.status === 'failed').length;
  const serviceErrors = report.services.filter(
    (s) => s.error !== undefined && s.build?.status !== 'failed',
  ).length;
  const runErrors = report.errors.length;

  const reasons: string[] = [];
  const violationReason = describe(violations, marked, 'budget violation');
  if (violationReason) reasons.push(violationReason);
  if (failedBuilds > 0) reasons.push(plural(failedBuilds, 'failed build'));
  if (serviceErrors > 0) reasons.push(plural(serviceErrors, 'service error'));
  if (runErrors > 0) reasons.push(plural(runErrors, 'error'));
  const findingReason = describe(findings, marked, failOn === 'warning' ? 'lint finding' : 'lint error');
  if (findingReason) reasons.push(findingReason);

  const failing =
    failedBuilds +
    serviceErrors +
    runErrors +
    (ratchet ? fresh(violations) + fresh(findings) : violations.all + findings.all);
  const failed = failOn !== 'never' && failing > 0;
  const note = failOn === 'new' && !marked ? NO_BASELINE_NOTE : undefined;
  const state = failed
    ? `failed: ${reasons.join(', ')}`
    : reasons.length > 0
      ? `passed (fail-on: ${failOn}): ${reasons.join(', ')}`
      : 'passed';
  return { failed, reasons, summary: note ? `${state}; ${note}` : state, ...(note ? { note } : {}) };
}

interface Tally {
  all: number;
  existing: number;
  /** Of the new-or-worse ones, the `worse` ones. */
  worse: number;
}

function tally(items: { mark?: Mark }[]): Tally {
  const count = (mark: Mark) => items.filter((i) => i.mark === mark).length;
  return { all: items.length, existing: count('existing'), worse: count('worse') };
}

/**
 * What the pull request brought: marked `new` or `worse`. An item without a mark in a marked report
 * (none today) counts too: nothing says it predates the PR.
 */
function fresh(t: Tally): number {
  return t.all - t.existing;
}

/**
 * `3 budget violations` without marks; with them `1 new budget violation (2 existing)`,
 * `1 worse budget violation`, `2 new or worse budget violations`, `2 existing budget violations`.
 */
function describe(t: Tally, marked: boolean, noun: string): string | undefined {
  if (t.all === 0) return undefined;
  if (!marked) return plural(t.all, noun);
  const brought = fresh(t);
  if (brought === 0) return plural(t.existing, `existing ${noun}`);
  const word = t.worse === 0 ? 'new' : t.worse === brought ? 'worse' : 'new or worse';
  const head = plural(brought, `${word} ${noun}`);
  return t.existing > 0 ? `${head} (${t.existing} existing)` : head;
}
