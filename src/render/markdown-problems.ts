/** The comment's problems: what the pull request introduced and fixed, violations, findings, build errors. */
import type { ReportDiff } from '../report/diff.js';
import { introduced } from '../report/marks.js';
import { confirmationOf } from './confirmation.js';
import { codeBlock, codeSpan, markdownWithCode, truncate } from './escape.js';
import { formatAmount, plural } from '../report/format.js';
import type { Finding, Mark, Report, Violation } from '../report/model.js';
import { problemLine } from '../util/errors.js';
import {
  MAX_FINDINGS,
  MAX_LOG_LINES,
  MAX_MESSAGE,
  MAX_NAME,
  MAX_VIOLATIONS,
  allViolations,
  e,
  int,
} from './markdown-kit.js';

export function changesList(diff: ReportDiff | undefined): string | undefined {
  if (!diff || (diff.added.length === 0 && diff.removed.length === 0)) return undefined;
  const parts: string[] = [];
  if (diff.added.length) parts.push(`**New:** ${diff.added.map((n) => e(n, MAX_NAME)).join(', ')}`);
  if (diff.removed.length) parts.push(`**Removed:** ${diff.removed.map((n) => e(n, MAX_NAME)).join(', ')}`);
  return parts.join(' · ');
}

/** Where a budget's limit was set, when the report says. */
export function limitFrom(v: Violation): string {
  const src = v.limitSource;
  if (!src) return '';
  if (src.from === 'input') return ' (limit from an input)';
  if (!src.file) return '';
  return ` (limit set in ${e(`${src.file}${src.line !== undefined ? `:${int(src.line)}` : ''}`, 200)})`;
}

export const MARK_LABEL: Partial<Record<Mark, string>> = { new: '**new** ', worse: '**worse** ' };

export function violationLine(v: Violation, withMark = false): string {
  const sign = v.mark === 'fixed' ? '✅' : v.severity === 'error' ? '❌' : '⚠️';
  const text =
    v.message ||
    `${v.service}: ${v.budget} ${formatAmount(v.actual, v.unit)} > ${formatAmount(v.limit, v.unit)}`;
  const mark = withMark && v.mark ? (MARK_LABEL[v.mark] ?? '') : '';
  return `- ${sign} ${mark}${markdownWithCode(text, MAX_MESSAGE)}${v.mark === 'fixed' ? '' : limitFrom(v)}`;
}

export function violationsList(head: Report): string | undefined {
  const all = allViolations(head);
  if (all.length === 0) return undefined;
  const lines = [`#### Budget violations (${all.length})`, ''];
  for (const v of all.slice(0, MAX_VIOLATIONS)) lines.push(violationLine(v));
  if (all.length > MAX_VIOLATIONS) lines.push(`- …and ${all.length - MAX_VIOLATIONS} more`);
  return lines.join('\n');
}

export const SEVERITY_ICON: Record<Finding['severity'], string> = { error: '❌', warning: '⚠️', note: 'ℹ️' };
export const SEVERITY_ORDER = { error: 0, warning: 1, note: 2 } as const;

export interface ServiceFinding {
  service: string;
  f: Finding;
}

export function findingLine({ service, f }: ServiceFinding, withMark = false): string {
  const where = `${f.file}${f.line ? `:${int(f.line)}` : ''}`;
  // Commands and URLs in the message and the hint are code spans, to copy byte for byte.
  const fix = f.fix && f.mark !== 'fixed' ? ` (fix: ${markdownWithCode(f.fix, MAX_MESSAGE)})` : '';
  const sign = f.mark === 'fixed' ? '✅' : SEVERITY_ICON[f.severity];
  const mark = withMark && f.mark ? (MARK_LABEL[f.mark] ?? '') : '';
  const image = confirmationOf(f);
  const confirmed = image
    ? ` (confirmed by the image: ${e(image.bytes, 40)}${image.files} in ${codeSpan(image.path, 200)})`
    : '';
  return `- ${sign} ${mark}**${e(f.rule, 80)}** ${e(service, MAX_NAME)} · ${e(where, 200)}: ${markdownWithCode(f.message, MAX_MESSAGE)}${confirmed}${fix}`;
}

export function bySeverity(findings: ServiceFinding[]): ServiceFinding[] {
  return [...findings].sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity]);
}

export function severityCounts(findings: ServiceFinding[]): string {
  const counts = { error: 0, warning: 0, note: 0 };
  for (const { f } of findings) counts[f.severity]++;
  return (['error', 'warning', 'note'] as const)
    .filter((k) => counts[k] > 0)
    .map((k) => plural(counts[k], k))
    .join(', ');
}

export function serviceFindings(head: Report): ServiceFinding[] {
  return head.services.flatMap((s) => s.findings.map((f) => ({ service: s.name, f })));
}

/** Lines of a list, at most `max`, with a last line that says how many more there are. */
export function capped<T>(items: T[], max: number, line: (item: T) => string, more = ''): string[] {
  const out = items.slice(0, max).map(line);
  if (items.length > max) out.push(`- …and ${items.length - max} more${more}`);
  return out;
}

/**
 * What this pull request changed (the report is marked against the baseline): the violations and
 * findings it introduced (new or worse), then those it fixed. What was already there is collapsed
 * further down (`existingDetails`).
 */
export function pullRequestSection(head: Report): string {
  const violations = allViolations(head).filter((v) => v.mark === undefined || introduced(v.mark));
  const findings = bySeverity(
    serviceFindings(head).filter(({ f }) => f.mark === undefined || introduced(f.mark)),
  );
  const fixedViolations = head.fixed?.violations ?? [];
  const fixedFindings = bySeverity(
    (head.fixed?.findings ?? []).map(({ service, ...f }) => ({
      service,
      f: { ...f, mark: 'fixed' as const },
    })),
  );
  const lines = ['#### What this pull request changed', ''];
  if (violations.length === 0 && findings.length === 0) {
    lines.push('No new budget violation and no new lint finding.');
  } else {
    const what = [
      ...(violations.length ? [plural(violations.length, 'budget violation')] : []),
      ...(findings.length ? [plural(findings.length, 'finding')] : []),
    ].join(', ');
    lines.push(`**Introduced:** ${what}`, '');
    lines.push(...capped(violations, MAX_VIOLATIONS, (v) => violationLine(v, true)));
    lines.push(...capped(findings, MAX_FINDINGS, (f) => findingLine(f, true), ' (see the run)'));
  }
  if (fixedViolations.length > 0 || fixedFindings.length > 0) {
    const what = [
      ...(fixedViolations.length ? [plural(fixedViolations.length, 'budget violation')] : []),
      ...(fixedFindings.length ? [plural(fixedFindings.length, 'finding')] : []),
    ].join(', ');
    lines.push('', `**Fixed:** ${what}`, '');
    lines.push(...capped(fixedViolations, MAX_VIOLATIONS, (v) => violationLine(v)));
    lines.push(...capped(fixedFindings, MAX_FINDINGS, (f) => findingLine(f)));
  }
  return lines.join('\n');
}

/** What the baseline already had (marked `existing`), collapsed. */
export function existingDetails(head: Report): string | undefined {
  const violations = allViolations(head).filter((v) => v.mark === 'existing');
  const findings = bySeverity(serviceFindings(head).filter(({ f }) => f.mark === 'existing'));
  if (violations.length === 0 && findings.length === 0) return undefined;
  const what = [
    ...(violations.length ? [plural(violations.length, 'budget violation')] : []),
    ...(findings.length ? [`${plural(findings.length, 'finding')} (${severityCounts(findings)})`] : []),
  ].join(', ');
  const lines = [`<details><summary>Already there before this pull request: ${what}</summary>`, ''];
  lines.push(...capped(violations, MAX_VIOLATIONS, (v) => violationLine(v)));
  lines.push(...capped(findings, MAX_FINDINGS, (f) => findingLine(f), ' (see the run)'));
  lines.push('', '</details>');
  return lines.join('\n');
}

export function errorsList(head: Report): string | undefined {
  const failed = head.services.filter((s) => s.build?.status === 'failed' || s.error !== undefined);
  if (failed.length === 0 && head.errors.length === 0) return undefined;
  const out: string[] = [`#### Errors`, ''];
  for (const err of head.errors.slice(0, MAX_VIOLATIONS))
    out.push(`- ⚠️ ${markdownWithCode(problemLine(err), MAX_MESSAGE)}`);
  if (head.errors.length > MAX_VIOLATIONS) out.push(`- …and ${head.errors.length - MAX_VIOLATIONS} more`);
  const logs: string[] = [];
  for (const s of failed) {
    const b = s.build;
    const what =
      b?.status === 'failed'
        ? `build failed${b.exitCode !== undefined ? ` (exit ${int(b.exitCode)})` : ''}`
        : 'error';
    out.push(
      `- 💥 **${e(s.name, MAX_NAME)}**: ${what}${s.error ? `: ${markdownWithCode(problemLine(s.error), MAX_MESSAGE)}` : ''}`,
    );
    if (b?.logTail && b.logTail.length > 0) {
      const tail = b.logTail.slice(-MAX_LOG_LINES).map((l) => truncate(String(l), 400));
      logs.push(
        `<details><summary>${e(s.name, MAX_NAME)}: last ${plural(tail.length, 'log line')}</summary>\n\n${codeBlock(tail.join('\n'), 'text')}\n\n</details>`,
      );
    }
  }
  return [out.join('\n'), ...logs].join('\n\n');
}

export function findingsDetails(head: Report): string | undefined {
  const findings = bySeverity(serviceFindings(head));
  if (findings.length === 0) return undefined;
  const lines = [`<details><summary>Lint: ${severityCounts(findings)}</summary>`, ''];
  lines.push(...capped(findings, MAX_FINDINGS, (f) => findingLine(f), ' (see the run)'));
  lines.push('', '</details>');
  return lines.join('\n');
}
