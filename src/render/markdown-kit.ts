/** Limits and small cells shared by the comment's parts (render/markdown.ts): names, icons, deltas. */
import type { Delta } from '../report/diff.js';
import { escapeMarkdown } from './escape.js';
import { formatBytes, formatDuration, formatPercent, plural } from '../report/format.js';
import type { Report, ServiceReport, Violation } from '../report/model.js';

export const MAX_NAME = 60;
export const MAX_MESSAGE = 300;
export const MAX_FINDINGS = 60;
export const MAX_VIOLATIONS = 100;
export const MAX_LOG_LINES = 25;
export const MAX_STEPS = 10;
export const MAX_LAYERS = 10;
export const MAX_GREW_LAYERS = 3;
export const MAX_GREW_SERVICES = 30;
export const MAX_INSTRUCTION = 120;
export const CELL = { cell: true } as const;

export const e = (text: string | undefined, max = MAX_MESSAGE) => escapeMarkdown(text ?? '', max);
/** A whole number from the report as digits; anything else (never expected after `readReport`) as `?`. */
export const int = (value: unknown): string =>
  typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : '?';

/** A service that makes the run fail (or would): it is listed first, so truncation never drops it. */
export function failing(service: ServiceReport | undefined): boolean {
  return (
    !!service &&
    (service.build?.status === 'failed' || service.error !== undefined || service.violations.length > 0)
  );
}

/** `items` with the failing services first, each group in its own order. */
export function failingFirst<T>(items: T[], pick: (item: T) => ServiceReport | undefined): T[] {
  return [...items.filter((i) => failing(pick(i))), ...items.filter((i) => !failing(pick(i)))];
}

/** A report marked against a baseline (report/marks.ts): it says what the PR introduced and fixed. */
export function hasMarks(head: Report): boolean {
  return (
    head.fixed !== undefined ||
    allViolations(head).some((v) => v.mark !== undefined) ||
    head.services.some((s) => s.findings.some((f) => f.mark !== undefined))
  );
}

/** `+5.2MB, +4.2%` / `unchanged` / `-1MB, -3%`. */
export function deltaText(d: Delta, threshold: number, withPercent: boolean): string {
  if (d.delta === undefined) return '—';
  if (Math.abs(d.delta) < threshold) return 'unchanged';
  const bytes = formatBytes(d.delta, { signed: true });
  const pct = formatPercent(d.percent);
  return withPercent && pct ? `${bytes}, ${pct}` : bytes;
}

export function status(service: ServiceReport | undefined): string {
  if (!service) return '➖ removed';
  if (service.build?.status === 'failed') return '💥 build failed';
  if (service.error && !service.built) return '⚠️ error';
  if (service.notBuilt) return `not built (${e(service.notBuilt, 80)})`;
  if (!service.built) return service.imageRef ? 'not built' : '—';
  const over = [...new Set(service.violations.map((v) => v.budget))];
  if (over.length > 0) return `❌ ${e(over.join(', '), 80)}`;
  const lintErrors = service.findings.filter((f) => f.severity === 'error').length;
  return lintErrors > 0 ? `⚠️ ${plural(lintErrors, 'lint error')}` : '✅';
}

/** The icon before a service's name in the narrow table: only when something is wrong. */
export function icon(service: ServiceReport | undefined): string {
  if (!service) return '';
  if (service.build?.status === 'failed') return '💥 ';
  if (service.error !== undefined) return '⚠️ ';
  if (service.violations.some((v) => v.severity === 'error')) return '❌ ';
  if (service.violations.length > 0 || service.findings.some((f) => f.severity === 'error')) return '⚠️ ';
  return '';
}

export function name(service: ServiceReport | undefined, fallback: string): string {
  return e(service?.name ?? fallback, MAX_NAME);
}

export function buildCell(service: ServiceReport | undefined): string {
  const b = service?.build;
  if (!b || b.status === 'skipped') return '';
  return formatDuration(b.durationMs);
}

/** A signed delta of bytes, bold when it is past the noise threshold; '' when unknown. */
export function bytesDelta(d: Delta, threshold: number, percent = false): string {
  if (d.delta === undefined) return '';
  if (Math.abs(d.delta) < threshold) return d.delta === 0 ? '0' : `${formatBytes(d.delta, { signed: true })}`;
  const pct = percent ? formatPercent(d.percent) : '';
  return `**${formatBytes(d.delta, { signed: true })}**${pct ? ` ${pct}` : ''}`;
}

/** A signed delta of time; under a second it is noise: `0s`. */
export function msDelta(d: Delta): string {
  if (d.delta === undefined) return '';
  return Math.abs(d.delta) < 1000 ? '0s' : formatDuration(d.delta, { signed: true });
}

export function allViolations(head: Report): Violation[] {
  return [...head.services.flatMap((s) => s.violations), ...head.violations];
}
