/**
 * The report as workflow annotations (file and line, so they show on the PR diff), within GitHub's
 * limits: a step shows at most 10 error, 10 warning and 10 notice annotations, so they are ranked and
 * cut here, and one notice says how many were left out and where the rest are. Pure: the caller
 * passes the sink (@actions/core in the action), so this module stays free of the Actions toolkit.
 *
 * Ranking (first shown first):
 * 1. what stops a service from being built or measured: run errors, failed builds, service errors;
 * 2. budget violations the pull request brought (marked `new` or `worse`, or unmarked without a
 *    baseline), the largest overshoot first (relative to the limit, so bytes and seconds compare);
 * 3. findings it brought, in the report's order;
 * 4. violations marked `existing` (largest overshoot first), then findings marked `existing`.
 * What the baseline had and this run fixed (`Report.fixed`) is never annotated.
 *
 * A violation is anchored on the config line that sets its budget (`limitSource.file`/`line`), else
 * on its service's Dockerfile (line 1) when the budget comes from an input or flag, else nowhere.
 *
 * Every string goes through `annotationText` (the one escaping module): nothing invisible, no control
 * character, bounded; `@actions/core` then escapes the workflow-command syntax.
 */
import { annotationText } from './escape.js';
import type { Finding, Report, ServiceReport, Severity, Violation } from '../report/model.js';
import { confirmationText } from './confirmation.js';
import { plural } from '../report/format.js';
import { problemLine, type Problem } from '../util/errors.js';

export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

export interface AnnotationSink {
  error(message: string, properties?: AnnotationProperties): void;
  warning(message: string, properties?: AnnotationProperties): void;
  notice(message: string, properties?: AnnotationProperties): void;
}

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  properties: AnnotationProperties;
}

/** Annotations of each level GitHub shows for one step. */
export const ANNOTATION_LIMIT = 10;

export type AnnotationCounts = Record<AnnotationLevel, number>;

export interface AnnotationOptions {
  /** A report path (relative to the repository root) as the checkout's path, for `file`. */
  path?: (file: string) => string;
}

/** Every annotation the report calls for, ranked (see the top of this file), none cut yet. */
export function reportAnnotations(report: Report, options: AnnotationOptions = {}): Annotation[] {
  const toPath = options.path ?? ((file: string) => file);
  const ranked: { rank: number; overshoot: number; annotation: Annotation }[] = [];
  const add = (rank: number, annotation: Annotation, overshoot = 0) =>
    ranked.push({ rank, overshoot, annotation });

  // A problem that names its file (and line) is annotated there: the compose or config line.
  for (const problem of report.errors)
    add(0, failure(problem.file ? problem.message : problemLine(problem), problemAnchor(problem, toPath)));
  for (const service of report.services) {
    if (service.error === undefined && service.build?.status !== 'failed') continue;
    const anchor = service.error?.file
      ? problemAnchor(service.error, toPath)
      : dockerfileAnchor(service, toPath);
    add(0, failure(serviceError(service), anchor));
  }
  const services = new Map(report.services.map((s) => [s.name, s]));
  const violations = [...report.services.flatMap((s) => s.violations), ...report.violations];
  for (const violation of violations) {
    const existing = violation.mark === 'existing';
    add(
      existing ? 3 : 1,
      violationAnnotation(violation, services.get(violation.service), toPath),
      overshoot(violation),
    );
  }
  for (const service of report.services) {
    for (const finding of service.findings) {
      add(finding.mark === 'existing' ? 4 : 2, findingAnnotation({ ...finding, file: toPath(finding.file) }));
    }
  }
  // Array.prototype.sort is stable: within a rank and an overshoot, the report's order stays.
  ranked.sort((a, b) => a.rank - b.rank || b.overshoot - a.overshoot);
  return ranked.map((r) => r.annotation);
}

/** The annotations that fit `room` (per level), in their order, and how many of each were left out. */
export function withinLimits(
  annotations: Annotation[],
  room: AnnotationCounts,
): { shown: Annotation[]; leftOut: AnnotationCounts } {
  const used: AnnotationCounts = { error: 0, warning: 0, notice: 0 };
  const leftOut: AnnotationCounts = { error: 0, warning: 0, notice: 0 };
  const shown: Annotation[] = [];
  for (const annotation of annotations) {
    if (used[annotation.level] < room[annotation.level]) {
      used[annotation.level] += 1;
      shown.push(annotation);
    } else leftOut[annotation.level] += 1;
  }
  return { shown, leftOut };
}

/** The one notice that says how many annotations were left out and where they all are; none when none were. */
export function leftOutNotice(leftOut: AnnotationCounts, sarif: boolean): Annotation | undefined {
  const parts = (['error', 'warning', 'notice'] as const)
    .filter((level) => leftOut[level] > 0)
    .map((level) => plural(leftOut[level], level));
  if (parts.length === 0) return undefined;
  const where = sarif ? 'the step summary and the SARIF file have' : 'the step summary has';
  return {
    level: 'notice',
    message: `image-budget: ${parts.join(', ')} not annotated (GitHub shows ${ANNOTATION_LIMIT} of each per step, the most important first); ${where} every finding`,
    properties: { title: 'image-budget: more in the step summary' },
  };
}

/** Writes each annotation to the sink, at its level. */
export function annotate(annotations: Annotation[], sink: AnnotationSink): void {
  for (const a of annotations) sink[a.level](a.message, a.properties);
}

/** A finding on its file and lines. */
export function findingAnnotation(f: Finding): Annotation {
  const properties: AnnotationProperties = {
    title: annotationText(`image-budget: ${f.rule}${markSuffix(f.mark)}`, 200, false),
    file: annotationText(f.file, 4096, false),
  };
  if (f.line) {
    properties.startLine = f.line;
    properties.endLine = f.endLine ?? f.line;
    // Columns are only allowed on single-line annotations.
    if (f.column && properties.endLine === f.line) {
      properties.startColumn = f.column;
      if (f.endColumn) properties.endColumn = f.endColumn;
    }
  }
  const confirmed = confirmationText(f);
  const lines = [
    f.message,
    ...(confirmed ? [`${confirmed.charAt(0).toUpperCase()}${confirmed.slice(1)}`] : []),
  ];
  if (f.fix) lines.push(`Fix: ${f.fix}`);
  const message = annotationText(lines.join('\n'));
  return { level: levelOf(f.severity), message, properties };
}

function violationAnnotation(
  v: Violation,
  service: ServiceReport | undefined,
  toPath: (file: string) => string,
): Annotation {
  const properties: AnnotationProperties = {
    title: annotationText(`image-budget: ${v.budget}${markSuffix(v.mark)}`, 200, false),
  };
  const source = v.limitSource;
  if (source?.file) {
    properties.file = annotationText(toPath(source.file), 4096, false);
    if (source.line) {
      properties.startLine = source.line;
      properties.endLine = source.line;
    }
  } else if (source?.from === 'input') {
    Object.assign(properties, dockerfileAnchor(service, toPath));
  }
  return { level: levelOf(v.severity), message: annotationText(v.message), properties };
}

function failure(message: string, anchor: AnnotationProperties = {}): Annotation {
  return {
    level: 'error',
    message: annotationText(message),
    properties: { title: 'image-budget', ...anchor },
  };
}

/** The service's Dockerfile, line 1; nothing for a service without one (inline, image-only). */
function dockerfileAnchor(
  service: ServiceReport | undefined,
  toPath: (file: string) => string,
): AnnotationProperties {
  if (!service?.dockerfile) return {};
  return { file: annotationText(toPath(service.dockerfile), 4096, false), startLine: 1, endLine: 1 };
}

/** The problem's own file and line; nothing when it names no file (or names several). */
function problemAnchor(problem: Problem, toPath: (file: string) => string): AnnotationProperties {
  if (!problem.file || problem.file.includes(', ')) return {};
  const line = problem.line ?? 1;
  return { file: annotationText(toPath(problem.file), 4096, false), startLine: line, endLine: line };
}

/** `api: <error>`, unless the error already names its service; the file is the annotation's own. */
function serviceError(service: ServiceReport): string {
  const error = service.error
    ? service.error.file
      ? service.error.message
      : problemLine(service.error)
    : `build failed (exit code ${service.build?.exitCode ?? 'unknown'})`;
  const named = error.startsWith(`${service.name}:`) || error.startsWith(`service "${service.name}"`);
  return named ? error : `${service.name}: ${error}`;
}

/** How far over its limit a violation is, relative to the limit (an absolute amount when it is 0). */
function overshoot(v: Violation): number {
  const by = v.actual - v.limit;
  return v.limit === 0 ? by : by / Math.abs(v.limit);
}

function markSuffix(mark: Finding['mark']): string {
  return mark === 'new' || mark === 'worse' || mark === 'existing' ? ` (${mark})` : '';
}

function levelOf(severity: Severity): AnnotationLevel {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'notice';
}
