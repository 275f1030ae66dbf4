/**
 * The markdown of the sticky PR comment and the step summary.
 *
 * Layout, most important first so that truncation drops the least useful parts: the hidden marker, a
 * headline (pass/fail, total size base → head and delta), one compact table row per service, new and
 * removed services, budget violations, build errors (log tails collapsed), lint findings collapsed in
 * `<details>`, slowest build steps and largest layers collapsed, and a footer with the run link.
 *
 * Every string from the report goes through `escapeMarkdown` / `markdownWithCode` / `codeBlock`
 * (the report may come from a fork's pull request); every number is printed by a formatter. Failing
 * services come first in the tables, so a truncated comment never drops one. The result is at most `maxLength` characters (default 65,000, under GitHub's
 * 65,536 limit for a comment body); longer output is cut at a line, open blocks are closed, and a
 * notice says what was left out.
 */
import type { Verdict } from '../budget/verdict.js';
import { deployMarkdown } from './deploy.js';
import type { Delta, ReportDiff } from '../report/diff.js';
import type { TrendRun } from '../report/trend.js';
import { trendMarkdown } from './trend.js';
import { codeBlock, escapeMarkdown, markdownWithCode, safeUrl, truncate } from './escape.js';
import { formatAmount, formatBytes, formatDuration, formatPercent, plural } from '../report/format.js';
import type { Finding, Report, ServiceReport, Violation } from '../report/model.js';
import { problemLine } from '../util/errors.js';

/** GitHub's limit on a comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** Default `maxLength`: under the limit with room for what a caller appends. */
export const DEFAULT_MAX_LENGTH = 65_000;

export interface MarkdownOptions {
  /** The diff against the baseline; without it (or without a baseline in it) the table has no deltas. */
  diff?: ReportDiff;
  /** Why there is no baseline, or where it came from; shown under the headline (escaped). */
  baselineNote?: string;
  /** Link to the workflow run (http(s) only; anything else is left out). */
  runUrl?: string;
  /** The hidden marker, from `commentMarker(id)`; it is the first line. */
  marker?: string;
  /** Longest output in characters (default 65,000). */
  maxLength?: number;
  /** Heading text after the status emoji (default `image-budget`). */
  title?: string;
  /** The default branch's saved runs, oldest first: drawn as the size trend (report/trend.ts). */
  trend?: TrendRun[];
}

const MAX_NAME = 60;
const MAX_MESSAGE = 300;
const MAX_FINDINGS = 60;
const MAX_VIOLATIONS = 100;
const MAX_LOG_LINES = 25;
const MAX_STEPS = 10;
const MAX_LAYERS = 10;

const e = (text: string | undefined, max = MAX_MESSAGE) => escapeMarkdown(text ?? '', max);
/** A whole number from the report as digits; anything else (never expected after `readReport`) as `?`. */
const int = (value: unknown): string =>
  typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : '?';

/** A service that makes the run fail (or would): it is listed first, so truncation never drops it. */
function failing(service: ServiceReport | undefined): boolean {
  return (
    !!service &&
    (service.build?.status === 'failed' || service.error !== undefined || service.violations.length > 0)
  );
}

/** `items` with the failing services first, each group in its own order. */
function failingFirst<T>(items: T[], pick: (item: T) => ServiceReport | undefined): T[] {
  return [...items.filter((i) => failing(pick(i))), ...items.filter((i) => !failing(pick(i)))];
}

/** Render the comment / step summary for `head`, headed by `verdict` (budget/verdict.ts judges it). Pure. */
export function renderMarkdown(head: Report, verdict: Verdict, opts: MarkdownOptions = {}): string {
  const diff = opts.diff && opts.diff.hasBaseline ? opts.diff : undefined;
  const blocks: string[] = [];
  blocks.push(headline(head, diff, verdict, opts));
  blocks.push(diff ? diffTable(diff, head) : plainTable(head));
  const lists = [
    changesList(diff),
    violationsList(head),
    deployMarkdown(head),
    trendMarkdown(opts.trend, diff),
    errorsList(head),
    findingsDetails(head),
    stepsDetails(head),
    layersDetails(head),
  ].filter((b): b is string => b !== undefined);
  blocks.push(...lists);
  const body = blocks.join('\n\n');
  const footer = footerLine(head, opts.runUrl);
  const marker = opts.marker ? `${opts.marker}\n` : '';
  return fit(marker, body, footer, opts.maxLength ?? DEFAULT_MAX_LENGTH);
}

// ---------------------------------------------------------------------------------------------------

function headline(
  head: Report,
  diff: ReportDiff | undefined,
  verdict: Verdict,
  opts: MarkdownOptions,
): string {
  const icon = verdict.failed ? '❌' : '✅';
  const title = e(opts.title ?? 'image-budget', 80);
  const state = verdict.failed ? `failed: ${verdict.reasons.join(', ')}` : 'passed';
  const lines = [`### ${icon} ${title}: ${e(state)}`];
  const built = head.services.filter((s) => s.built).length;
  const parts: string[] = [];
  if (diff) {
    const t = diff.total.size;
    parts.push(
      `**Total ${formatBytes(t.base ?? 0)} → ${formatBytes(t.head ?? 0)}** (${deltaText(t, diff.noiseThreshold, true)})`,
    );
  } else {
    parts.push(`**Total ${formatBytes(head.totals.size)}**`);
  }
  if (head.totals.compressedSize !== undefined)
    parts.push(`${formatBytes(head.totals.compressedSize)} compressed`);
  parts.push(`build ${formatDuration(head.totals.buildDurationMs)}`);
  parts.push(`${plural(built, 'image')} built of ${plural(head.services.length, 'service')}`);
  lines.push(parts.join(' · '));
  if (opts.baselineNote) lines.push(`> ${e(opts.baselineNote, 500)}`);
  else if (!diff) lines.push('> No baseline to compare with: sizes are shown without deltas.');
  return lines.join('\n');
}

/** `+5.2MB, +4.2%` / `unchanged` / `-1MB, -3%`. */
function deltaText(d: Delta, threshold: number, withPercent: boolean): string {
  if (d.delta === undefined) return '—';
  if (Math.abs(d.delta) < threshold) return 'unchanged';
  const bytes = formatBytes(d.delta, { signed: true });
  const pct = formatPercent(d.percent);
  return withPercent && pct ? `${bytes}, ${pct}` : bytes;
}

function status(service: ServiceReport | undefined): string {
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

function name(service: ServiceReport | undefined, fallback: string): string {
  return e(service?.name ?? fallback, MAX_NAME);
}

function buildCell(service: ServiceReport | undefined): string {
  const b = service?.build;
  if (!b || b.status === 'skipped') return '';
  return formatDuration(b.durationMs);
}

function diffTable(diff: ReportDiff, head: Report): string {
  const rows = [
    '| Service | Base | Head | Δ | Δ% | Build | Status |',
    '| :-- | --: | --: | --: | --: | --: | :-- |',
  ];
  for (const s of failingFirst(diff.services, (d) => d.head)) {
    const base = s.size.base !== undefined ? formatBytes(s.size.base) : s.change === 'added' ? '—' : '';
    const headCell =
      s.size.head !== undefined ? formatBytes(s.size.head) : s.change === 'removed' ? '—' : imageOnly(s.head);
    let d = '';
    let pct = '';
    if (s.change === 'added') d = 'new';
    else if (s.change === 'removed') d = 'removed';
    else if (s.change === 'unchanged') d = 'unchanged';
    else if (s.size.delta !== undefined) {
      d = formatBytes(s.size.delta, { signed: true });
      pct = formatPercent(s.size.percent);
      if (s.size.delta === 0 && s.layers.delta)
        d = `${s.layers.delta > 0 ? '+' : ''}${plural(s.layers.delta, 'layer')}`;
    }
    if (
      d &&
      d !== 'new' &&
      d !== 'removed' &&
      d !== 'unchanged' &&
      Math.abs(s.size.delta ?? 0) >= diff.noiseThreshold
    ) {
      d = `**${d}**`;
    }
    rows.push(
      `| ${name(s.head ?? s.base, s.name)} | ${base} | ${headCell} | ${d} | ${pct} | ${buildCell(s.head)} | ${status(s.head)} |`,
    );
  }
  const t = diff.total.size;
  rows.push(
    `| **Total** | ${formatBytes(t.base ?? 0)} | ${formatBytes(t.head ?? 0)} | ${deltaText({ ...t, percent: undefined }, diff.noiseThreshold, false)} | ${Math.abs(t.delta ?? 0) < diff.noiseThreshold ? '' : formatPercent(t.percent)} | ${formatDuration(head.totals.buildDurationMs)} | |`,
  );
  return rows.join('\n');
}

function imageOnly(service: ServiceReport | undefined): string {
  if (!service) return '';
  if (!service.built && service.imageRef) return `image ${e(service.imageRef, 80)}`;
  return '';
}

function plainTable(head: Report): string {
  const compressed = head.services.some((s) => s.image?.compressedSize !== undefined);
  const header = ['Service', 'Size', ...(compressed ? ['Compressed'] : []), 'Layers', 'Build', 'Status'];
  const align = [':--', '--:', ...(compressed ? ['--:'] : []), '--:', '--:', ':--'];
  const rows = [`| ${header.join(' | ')} |`, `| ${align.join(' | ')} |`];
  for (const s of failingFirst(head.services, (x) => x)) {
    const size = s.image ? formatBytes(s.image.size) : imageOnly(s);
    const cells = [
      name(s, s.name),
      size,
      ...(compressed
        ? [s.image?.compressedSize !== undefined ? formatBytes(s.image.compressedSize) : '']
        : []),
      s.image ? int(s.image.layers) : '',
      buildCell(s),
      status(s),
    ];
    rows.push(`| ${cells.join(' | ')} |`);
  }
  const totalCells = [
    '**Total**',
    formatBytes(head.totals.size),
    ...(compressed ? [formatBytes(head.totals.compressedSize ?? 0)] : []),
    '',
    formatDuration(head.totals.buildDurationMs),
    '',
  ];
  rows.push(`| ${totalCells.join(' | ')} |`);
  return rows.join('\n');
}

function changesList(diff: ReportDiff | undefined): string | undefined {
  if (!diff || (diff.added.length === 0 && diff.removed.length === 0)) return undefined;
  const parts: string[] = [];
  if (diff.added.length) parts.push(`**New:** ${diff.added.map((n) => e(n, MAX_NAME)).join(', ')}`);
  if (diff.removed.length) parts.push(`**Removed:** ${diff.removed.map((n) => e(n, MAX_NAME)).join(', ')}`);
  return parts.join(' · ');
}

function violationsList(head: Report): string | undefined {
  const all: Violation[] = [...head.services.flatMap((s) => s.violations), ...head.violations];
  if (all.length === 0) return undefined;
  const lines = [`#### Budget violations (${all.length})`, ''];
  for (const v of all.slice(0, MAX_VIOLATIONS)) {
    const icon = v.severity === 'error' ? '❌' : '⚠️';
    const text =
      v.message ||
      `${v.service}: ${v.budget} ${formatAmount(v.actual, v.unit)} > ${formatAmount(v.limit, v.unit)}`;
    lines.push(`- ${icon} ${e(text)}`);
  }
  if (all.length > MAX_VIOLATIONS) lines.push(`- …and ${all.length - MAX_VIOLATIONS} more`);
  return lines.join('\n');
}

function errorsList(head: Report): string | undefined {
  const failed = head.services.filter((s) => s.build?.status === 'failed' || s.error !== undefined);
  if (failed.length === 0 && head.errors.length === 0) return undefined;
  const out: string[] = [`#### Errors`, ''];
  for (const err of head.errors.slice(0, MAX_VIOLATIONS)) out.push(`- ⚠️ ${e(problemLine(err))}`);
  if (head.errors.length > MAX_VIOLATIONS) out.push(`- …and ${head.errors.length - MAX_VIOLATIONS} more`);
  const logs: string[] = [];
  for (const s of failed) {
    const b = s.build;
    const what =
      b?.status === 'failed'
        ? `build failed${b.exitCode !== undefined ? ` (exit ${int(b.exitCode)})` : ''}`
        : 'error';
    out.push(`- 💥 **${e(s.name, MAX_NAME)}**: ${what}${s.error ? `: ${e(problemLine(s.error))}` : ''}`);
    if (b?.logTail && b.logTail.length > 0) {
      const tail = b.logTail.slice(-MAX_LOG_LINES).map((l) => truncate(String(l), 400));
      logs.push(
        `<details><summary>${e(s.name, MAX_NAME)}: last ${plural(tail.length, 'log line')}</summary>\n\n${codeBlock(tail.join('\n'), 'text')}\n\n</details>`,
      );
    }
  }
  return [out.join('\n'), ...logs].join('\n\n');
}

const SEVERITY_ICON: Record<Finding['severity'], string> = { error: '❌', warning: '⚠️', note: 'ℹ️' };

function findingsDetails(head: Report): string | undefined {
  const findings = head.services.flatMap((s) => s.findings.map((f) => ({ service: s.name, f })));
  if (findings.length === 0) return undefined;
  const order = { error: 0, warning: 1, note: 2 } as const;
  findings.sort((a, b) => order[a.f.severity] - order[b.f.severity]);
  const counts = { error: 0, warning: 0, note: 0 };
  for (const { f } of findings) counts[f.severity]++;
  const summary = (['error', 'warning', 'note'] as const)
    .filter((k) => counts[k] > 0)
    .map((k) => plural(counts[k], k))
    .join(', ');
  const lines = [`<details><summary>Lint: ${summary}</summary>`, ''];
  for (const { service, f } of findings.slice(0, MAX_FINDINGS)) {
    const where = `${f.file}${f.line ? `:${int(f.line)}` : ''}`;
    // Commands and URLs in the hint are code spans, to copy byte for byte.
    const fix = f.fix ? ` (fix: ${markdownWithCode(f.fix, MAX_MESSAGE)})` : '';
    lines.push(
      `- ${SEVERITY_ICON[f.severity]} **${e(f.rule, 80)}** ${e(service, MAX_NAME)} · ${e(where, 200)}: ${markdownWithCode(f.message, MAX_MESSAGE)}${fix}`,
    );
  }
  if (findings.length > MAX_FINDINGS)
    lines.push(`- …and ${findings.length - MAX_FINDINGS} more (see the run)`);
  lines.push('', '</details>');
  return lines.join('\n');
}

function stepsDetails(head: Report): string | undefined {
  const steps = head.services.flatMap((s) =>
    // Cached steps and instant ones (FROM of a local image) cost nothing worth listing.
    (s.build?.steps ?? [])
      .filter((st) => !st.cached && st.durationMs > 0)
      .map((st) => ({ service: s.name, st })),
  );
  if (steps.length === 0) return undefined;
  steps.sort((a, b) => b.st.durationMs - a.st.durationMs);
  const lines = [
    '<details><summary>Slowest build steps</summary>',
    '',
    '| Service | Step | Time |',
    '| :-- | :-- | --: |',
  ];
  for (const { service, st } of steps.slice(0, MAX_STEPS)) {
    lines.push(`| ${e(service, MAX_NAME)} | ${e(st.name, 120)} | ${formatDuration(st.durationMs)} |`);
  }
  lines.push('', '</details>');
  return lines.join('\n');
}

function layersDetails(head: Report): string | undefined {
  const layers = head.services.flatMap((s) =>
    (s.image?.largestLayers ?? []).map((l) => ({ service: s.name, l })),
  );
  if (layers.length === 0) return undefined;
  layers.sort((a, b) => b.l.size - a.l.size);
  const lines = [
    '<details><summary>Largest layers</summary>',
    '',
    '| Service | Size | Created by |',
    '| :-- | --: | :-- |',
  ];
  for (const { service, l } of layers.slice(0, MAX_LAYERS)) {
    lines.push(`| ${e(service, MAX_NAME)} | ${formatBytes(l.size)} | ${e(l.createdBy, 120)} |`);
  }
  lines.push('', '</details>');
  return lines.join('\n');
}

function footerLine(head: Report, runUrl: string | undefined): string {
  const url = safeUrl(runUrl);
  const version = head.tool?.version ? ` ${e(`v${head.tool.version}`, 40)}` : '';
  const tool = `image-budget${version}`;
  return url ? `<sub>[View the run](${url}) · ${tool}</sub>` : `<sub>${tool}</sub>`;
}

// ---------------------------------------------------------------------------------------------------

/**
 * Keep `marker + body + footer` within `max` characters. When the body is too long it is cut at a line
 * boundary, any open code fence, table or `<details>` is closed, and a notice is added.
 */
function fit(marker: string, body: string, footer: string, max: number): string {
  const whole = `${marker}${body}\n\n${footer}\n`;
  if (whole.length <= max) return whole;
  const lines = body.split('\n');
  const notice = (n: number) =>
    `> ✂️ Truncated: ${plural(n, 'more line')} did not fit in a comment. The full report is in the run's step summary and the report artifact.`;
  // Room for the closers and the notice.
  const reserve = marker.length + footer.length + notice(lines.length).length + 200;
  const budget = Math.max(0, max - reserve);
  const kept: string[] = [];
  let length = 0;
  let fence: string | undefined;
  let details = 0;
  for (const line of lines) {
    if (length + line.length + 1 > budget) break;
    kept.push(line);
    length += line.length + 1;
    const f = /^(`{3,})/.exec(line);
    if (f) {
      if (fence === undefined) fence = f[1];
      else if (f[1]!.length >= fence.length && line.trim() === f[1]) fence = undefined;
    } else if (fence === undefined) {
      details += (line.match(/<details>/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length;
    }
  }
  // A collapsed section cut right after it opened shows nothing: drop it whole.
  if (details > 0 && fence === undefined) {
    const open = kept.map((l) => l.includes('<details>')).lastIndexOf(true);
    if (open >= 0 && kept.length - open <= 3) {
      kept.length = open;
      details -= 1;
      while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
    }
  }
  const closers: string[] = [];
  if (fence !== undefined) closers.push(fence);
  for (let i = 0; i < details; i++) closers.push('', '</details>');
  const dropped = lines.length - kept.length;
  const out = `${marker}${[...kept, ...closers].join('\n')}\n\n${notice(dropped)}\n\n${footer}\n`;
  return out.length <= max ? out : truncate(`${marker}${notice(lines.length)}\n\n${footer}\n`, max);
}
