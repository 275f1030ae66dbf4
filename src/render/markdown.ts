/**
 * The markdown of the sticky PR comment and the step summary (docs/comment.md).
 *
 * Layout, most important first so that truncation drops the least useful parts: the hidden marker, a
 * headline (pass/fail, total size base → head and delta); when the report is marked against a
 * baseline (report/marks.ts), what the pull request introduced (new and worse violations, new
 * findings) and what it fixed (`Report.fixed`); a narrow table (service, size, Δ, pull Δ, build Δ) of
 * the services that changed, were added or removed, or fail, with the unchanged ones collapsed; per
 * changed service, collapsed, the deltas of size, pull size, build time, wasted bytes and peak build
 * disk and the layers that grew most; budget violations (without marks), the deploy fit, the trend,
 * build errors (log tails collapsed), what was already there (with marks) or every lint finding
 * (without), slowest build steps and largest layers collapsed, and a footer with the run link.
 *
 * Every string from the report goes through escape.ts (`escapeMarkdown` for prose, `markdownWithCode`
 * for messages and hints, whose code and URLs become code spans, `codeSpan` for instructions,
 * `codeBlock` for logs): the report may come from a fork's pull request. Every number is printed by a
 * formatter. Failing services come first in the tables, so a truncated comment never drops one. The
 * result is at most `maxLength` characters (default 65,000, under GitHub's 65,536 limit for a comment
 * body); longer output is cut at a line, open blocks are closed, and a notice says what was left out.
 */
import type { Verdict } from '../budget/verdict.js';
import { deployMarkdown } from './deploy.js';
import type { Delta, ReportDiff, ServiceDiff } from '../report/diff.js';
import { introduced } from '../report/marks.js';
import type { TrendRun } from '../report/trend.js';
import { trendMarkdown } from './trend.js';
import { codeBlock, codeSpan, escapeMarkdown, markdownWithCode, safeUrl, truncate } from './escape.js';
import { formatAmount, formatBytes, formatDuration, formatPercent, plural } from '../report/format.js';
import type { Finding, LayerInfo, Mark, Report, ServiceReport, Violation } from '../report/model.js';
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
const MAX_GREW_LAYERS = 3;
const MAX_GREW_SERVICES = 30;
const MAX_INSTRUCTION = 120;
const CELL = { cell: true } as const;

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

/** A report marked against a baseline (report/marks.ts): it says what the PR introduced and fixed. */
function hasMarks(head: Report): boolean {
  return (
    head.fixed !== undefined ||
    allViolations(head).some((v) => v.mark !== undefined) ||
    head.services.some((s) => s.findings.some((f) => f.mark !== undefined))
  );
}

/** Render the comment / step summary for `head`, headed by `verdict` (budget/verdict.ts judges it). Pure. */
export function renderMarkdown(head: Report, verdict: Verdict, opts: MarkdownOptions = {}): string {
  const diff = opts.diff && opts.diff.hasBaseline ? opts.diff : undefined;
  const marked = hasMarks(head);
  const blocks: (string | undefined)[] = [
    headline(head, diff, verdict, opts),
    marked ? pullRequestSection(head) : undefined,
    diff ? diffTable(diff) : plainTable(head),
    diff ? unchangedDetails(diff) : undefined,
    diff ? grewDetails(diff) : undefined,
    changesList(diff),
    marked ? undefined : violationsList(head),
    deployMarkdown(head),
    trendMarkdown(opts.trend, diff),
    errorsList(head),
    marked ? existingDetails(head) : findingsDetails(head),
    stepsDetails(head),
    layersDetails(head),
  ];
  const body = blocks.filter((b): b is string => b !== undefined).join('\n\n');
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
  if (verdict.note) lines.push(`> ${e(verdict.note, 500)}`);
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

/** The icon before a service's name in the narrow table: only when something is wrong. */
function icon(service: ServiceReport | undefined): string {
  if (!service) return '';
  if (service.build?.status === 'failed') return '💥 ';
  if (service.error !== undefined) return '⚠️ ';
  if (service.violations.some((v) => v.severity === 'error')) return '❌ ';
  if (service.violations.length > 0 || service.findings.some((f) => f.severity === 'error')) return '⚠️ ';
  return '';
}

function name(service: ServiceReport | undefined, fallback: string): string {
  return e(service?.name ?? fallback, MAX_NAME);
}

function buildCell(service: ServiceReport | undefined): string {
  const b = service?.build;
  if (!b || b.status === 'skipped') return '';
  return formatDuration(b.durationMs);
}

/** A signed delta of bytes, bold when it is past the noise threshold; '' when unknown. */
function bytesDelta(d: Delta, threshold: number, percent = false): string {
  if (d.delta === undefined) return '';
  if (Math.abs(d.delta) < threshold) return d.delta === 0 ? '0' : `${formatBytes(d.delta, { signed: true })}`;
  const pct = percent ? formatPercent(d.percent) : '';
  return `**${formatBytes(d.delta, { signed: true })}**${pct ? ` ${pct}` : ''}`;
}

/** A signed delta of time; under a second it is noise: `0s`. */
function msDelta(d: Delta): string {
  if (d.delta === undefined) return '';
  return Math.abs(d.delta) < 1000 ? '0s' : formatDuration(d.delta, { signed: true });
}

/** In the main table: what failed, and what was added, removed or changed. */
function shownInTable(s: ServiceDiff): boolean {
  return failing(s.head) || s.change === 'added' || s.change === 'removed' || s.change === 'changed';
}

/**
 * The narrow table (fits a phone): service, size, and the deltas of size, pull size and build time.
 * Unchanged and unmeasured services are collapsed below it (`unchangedDetails`).
 */
function diffTable(diff: ReportDiff): string {
  const rows = ['| Service | Size | Δ | Pull Δ | Build Δ |', '| :-- | --: | --: | --: | --: |'];
  const t = diff.noiseThreshold;
  for (const s of failingFirst(diff.services.filter(shownInTable), (d) => d.head)) {
    let size = s.size.head !== undefined ? formatBytes(s.size.head) : '—';
    let d = bytesDelta(s.size, t, true);
    if (s.change === 'added') d = 'new';
    else if (s.change === 'removed') {
      d = 'removed';
      size = s.base?.image ? formatBytes(s.base.image.size) : '—';
    } else if (s.change === 'changed' && s.size.delta !== undefined && Math.abs(s.size.delta) < t) {
      if (s.layers.delta) d = `${s.layers.delta > 0 ? '+' : ''}${plural(s.layers.delta, 'layer')}`;
    } else if (s.head?.build?.status === 'failed') d = 'build failed';
    const pull = s.change === 'added' || s.change === 'removed' ? '' : bytesDelta(s.compressedSize, t);
    const build = s.change === 'added' || s.change === 'removed' ? '' : msDelta(s.buildTime);
    rows.push(`| ${icon(s.head)}${name(s.head ?? s.base, s.name)} | ${size} | ${d} | ${pull} | ${build} |`);
  }
  const total = diff.total;
  rows.push(
    `| **Total** | ${formatBytes(total.size.head ?? 0)} | ${bytesDelta(total.size, t, true)} | ${bytesDelta(total.compressedSize, t)} | ${msDelta(total.buildTime)} |`,
  );
  return rows.join('\n');
}

/** The services the main table leaves out (unchanged, not built, image only), collapsed. */
function unchangedDetails(diff: ReportDiff): string | undefined {
  const rest = diff.services.filter((s) => !shownInTable(s));
  if (rest.length === 0) return undefined;
  const unchanged = rest.filter((s) => s.change === 'unchanged').length;
  const other = rest.length - unchanged;
  const what = [
    ...(unchanged > 0 ? [`${plural(unchanged, 'service')} unchanged`] : []),
    ...(other > 0 ? [`${plural(other, 'service')} not compared`] : []),
  ].join(', ');
  const lines = [
    `<details><summary>${what}</summary>`,
    '',
    '| Service | Size | Build | Status |',
    '| :-- | --: | --: | :-- |',
  ];
  for (const s of rest) {
    const size = s.size.head !== undefined ? formatBytes(s.size.head) : imageOnly(s.head);
    lines.push(`| ${name(s.head ?? s.base, s.name)} | ${size} | ${buildCell(s.head)} | ${status(s.head)} |`);
  }
  lines.push('', '</details>');
  return lines.join('\n');
}

/** `COPY . /app` from an image history's `created_by`, whatever wrote it (classic builder, BuildKit). */
export function normalizeInstruction(createdBy: string): string {
  return createdBy
    .replace(/\s+#\s*buildkit$/, '')
    .replace(/^\/bin\/sh -c #\(nop\)\s*/, '')
    .replace(/^\/bin\/sh -c /, 'RUN ')
    .replace(/^RUN \|\d+ (?:\S+=\S*\s+)*/, 'RUN ')
    .replace(/^RUN \/bin\/sh -c /, 'RUN ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A head layer and how much it grew: against the base layer with the same instruction, or all of it. */
export interface LayerGrowth {
  layer: LayerInfo;
  /** Bytes more than the base's layer of the same instruction (its whole size when `added`). */
  growth: number;
  /** No base layer among the base's largest has this instruction. */
  added: boolean;
}

/**
 * The layers of `head` that grew most against `base` (both `largestLayers`, matched by their
 * normalized instruction, in order when one repeats), largest growth first, at most `count`, each at
 * least `threshold` bytes.
 */
export function layersThatGrew(
  base: readonly LayerInfo[],
  head: readonly LayerInfo[],
  threshold: number,
  count = MAX_GREW_LAYERS,
): LayerGrowth[] {
  const pool = new Map<string, LayerInfo[]>();
  for (const l of base) {
    const key = normalizeInstruction(l.createdBy);
    pool.set(key, [...(pool.get(key) ?? []), l]);
  }
  const out: LayerGrowth[] = [];
  for (const layer of head) {
    const before = pool.get(normalizeInstruction(layer.createdBy))?.shift();
    const growth = layer.size - (before?.size ?? 0);
    if (growth >= threshold && growth > 0) out.push({ layer, growth, added: !before });
  }
  return out.sort((a, b) => b.growth - a.growth).slice(0, count);
}

/** For each changed service: the deltas in full, the layers that grew most, the peak build disk. */
function grewDetails(diff: ReportDiff): string | undefined {
  const changed = failingFirst(
    diff.services.filter((s) => s.change === 'changed' && s.base && s.head),
    (s) => s.head,
  );
  if (changed.length === 0) return undefined;
  const sections = changed
    .map((s) => serviceGrew(s, diff.noiseThreshold))
    .filter((x): x is string => x !== undefined)
    .slice(0, MAX_GREW_SERVICES);
  return sections.length > 0 ? sections.join('\n\n') : undefined;
}

function serviceGrew(s: ServiceDiff, threshold: number): string | undefined {
  const base = s.base!;
  const head = s.head!;
  const summary = [
    `${name(head, s.name)}: ${deltaText(s.size, 1, true)}`,
    ...(s.compressedSize.delta !== undefined
      ? [`pull ${formatBytes(s.compressedSize.delta, { signed: true })}`]
      : []),
    ...(s.buildTime.delta !== undefined && Math.abs(s.buildTime.delta) >= 1000
      ? [`build ${msDelta(s.buildTime)}`]
      : []),
  ].join(' · ');
  const rows = ['| | Base | Head | Δ |', '| :-- | --: | --: | --: |'];
  const bytesRow = (label: string, b: number | undefined, h: number | undefined) => {
    if (b === undefined && h === undefined) return;
    const d = b !== undefined && h !== undefined ? formatBytes(h - b, { signed: true }) : '';
    rows.push(
      `| ${label} | ${b !== undefined ? formatBytes(b) : '—'} | ${h !== undefined ? formatBytes(h) : '—'} | ${d} |`,
    );
  };
  bytesRow('Size', s.size.base, s.size.head);
  bytesRow('Pull', s.compressedSize.base, s.compressedSize.head);
  if (s.buildTime.base !== undefined || s.buildTime.head !== undefined) {
    const b = s.buildTime.base;
    const h = s.buildTime.head;
    rows.push(
      `| Build time | ${b !== undefined ? formatDuration(b) : '—'} | ${h !== undefined ? formatDuration(h) : '—'} | ${msDelta(s.buildTime)} |`,
    );
  }
  bytesRow('Wasted', base.image?.wastedBytes, head.image?.wastedBytes);
  bytesRow('Peak build disk', base.build?.peakDiskBytes, head.build?.peakDiskBytes);
  const grew = layersThatGrew(base.image?.largestLayers ?? [], head.image?.largestLayers ?? [], threshold);
  // Size and build time alone say no more than the table.
  if (rows.length <= 4 && grew.length === 0) return undefined;
  const out = [`<details><summary>${summary}</summary>`, '', ...rows];
  if (grew.length > 0 && base.image?.largestLayers !== undefined) {
    out.push('', '**Layers that grew most**', '');
    for (const g of grew) {
      const amount = g.added
        ? `**${formatBytes(g.layer.size)}**, new`
        : `**${formatBytes(g.growth, { signed: true })}** to ${formatBytes(g.layer.size)}`;
      const where =
        g.layer.line !== undefined
          ? ` · ${e(`${head.dockerfile ?? 'Dockerfile'}:${int(g.layer.line)}`, 200)}`
          : '';
      const instruction = normalizeInstruction(g.layer.createdBy);
      out.push(`- ${amount}${where} · ${codeSpan(instruction || '(no instruction)', MAX_INSTRUCTION)}`);
    }
  }
  out.push('', '</details>');
  return out.join('\n');
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

function allViolations(head: Report): Violation[] {
  return [...head.services.flatMap((s) => s.violations), ...head.violations];
}

/** Where a budget's limit was set, when the report says. */
function limitFrom(v: Violation): string {
  const src = v.limitSource;
  if (!src) return '';
  if (src.from === 'input') return ' (limit from an input)';
  if (!src.file) return '';
  return ` (limit set in ${e(`${src.file}${src.line !== undefined ? `:${int(src.line)}` : ''}`, 200)})`;
}

const MARK_LABEL: Partial<Record<Mark, string>> = { new: '**new** ', worse: '**worse** ' };

function violationLine(v: Violation, withMark = false): string {
  const sign = v.mark === 'fixed' ? '✅' : v.severity === 'error' ? '❌' : '⚠️';
  const text =
    v.message ||
    `${v.service}: ${v.budget} ${formatAmount(v.actual, v.unit)} > ${formatAmount(v.limit, v.unit)}`;
  const mark = withMark && v.mark ? (MARK_LABEL[v.mark] ?? '') : '';
  return `- ${sign} ${mark}${markdownWithCode(text, MAX_MESSAGE)}${v.mark === 'fixed' ? '' : limitFrom(v)}`;
}

function violationsList(head: Report): string | undefined {
  const all = allViolations(head);
  if (all.length === 0) return undefined;
  const lines = [`#### Budget violations (${all.length})`, ''];
  for (const v of all.slice(0, MAX_VIOLATIONS)) lines.push(violationLine(v));
  if (all.length > MAX_VIOLATIONS) lines.push(`- …and ${all.length - MAX_VIOLATIONS} more`);
  return lines.join('\n');
}

const SEVERITY_ICON: Record<Finding['severity'], string> = { error: '❌', warning: '⚠️', note: 'ℹ️' };
const SEVERITY_ORDER = { error: 0, warning: 1, note: 2 } as const;

interface ServiceFinding {
  service: string;
  f: Finding;
}

function findingLine({ service, f }: ServiceFinding, withMark = false): string {
  const where = `${f.file}${f.line ? `:${int(f.line)}` : ''}`;
  // Commands and URLs in the message and the hint are code spans, to copy byte for byte.
  const fix = f.fix && f.mark !== 'fixed' ? ` (fix: ${markdownWithCode(f.fix, MAX_MESSAGE)})` : '';
  const sign = f.mark === 'fixed' ? '✅' : SEVERITY_ICON[f.severity];
  const mark = withMark && f.mark ? (MARK_LABEL[f.mark] ?? '') : '';
  return `- ${sign} ${mark}**${e(f.rule, 80)}** ${e(service, MAX_NAME)} · ${e(where, 200)}: ${markdownWithCode(f.message, MAX_MESSAGE)}${fix}`;
}

function bySeverity(findings: ServiceFinding[]): ServiceFinding[] {
  return [...findings].sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity]);
}

function severityCounts(findings: ServiceFinding[]): string {
  const counts = { error: 0, warning: 0, note: 0 };
  for (const { f } of findings) counts[f.severity]++;
  return (['error', 'warning', 'note'] as const)
    .filter((k) => counts[k] > 0)
    .map((k) => plural(counts[k], k))
    .join(', ');
}

function serviceFindings(head: Report): ServiceFinding[] {
  return head.services.flatMap((s) => s.findings.map((f) => ({ service: s.name, f })));
}

/** Lines of a list, at most `max`, with a last line that says how many more there are. */
function capped<T>(items: T[], max: number, line: (item: T) => string, more = ''): string[] {
  const out = items.slice(0, max).map(line);
  if (items.length > max) out.push(`- …and ${items.length - max} more${more}`);
  return out;
}

/**
 * What this pull request changed (the report is marked against the baseline): the violations and
 * findings it introduced (new or worse), then those it fixed. What was already there is collapsed
 * further down (`existingDetails`).
 */
function pullRequestSection(head: Report): string {
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
function existingDetails(head: Report): string | undefined {
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

function errorsList(head: Report): string | undefined {
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

function findingsDetails(head: Report): string | undefined {
  const findings = bySeverity(serviceFindings(head));
  if (findings.length === 0) return undefined;
  const lines = [`<details><summary>Lint: ${severityCounts(findings)}</summary>`, ''];
  lines.push(...capped(findings, MAX_FINDINGS, (f) => findingLine(f), ' (see the run)'));
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
    '| Service | Time | Step |',
    '| :-- | --: | :-- |',
  ];
  for (const { service, st } of steps.slice(0, MAX_STEPS)) {
    lines.push(
      `| ${e(service, MAX_NAME)} | ${formatDuration(st.durationMs)} | ${codeSpan(st.name, MAX_INSTRUCTION, CELL)} |`,
    );
  }
  lines.push('', '</details>');
  return lines.join('\n');
}

function layersDetails(head: Report): string | undefined {
  const layers = head.services.flatMap((s) => (s.image?.largestLayers ?? []).map((l) => ({ service: s, l })));
  if (layers.length === 0) return undefined;
  layers.sort((a, b) => b.l.size - a.l.size);
  const lines = [
    '<details><summary>Largest layers</summary>',
    '',
    '| Service | Size | Line | Created by |',
    '| :-- | --: | :-- | :-- |',
  ];
  for (const { service, l } of layers.slice(0, MAX_LAYERS)) {
    const line = l.line !== undefined ? e(`${service.dockerfile ?? 'Dockerfile'}:${int(l.line)}`, 120) : '';
    const instruction = normalizeInstruction(l.createdBy);
    lines.push(
      `| ${e(service.name, MAX_NAME)} | ${formatBytes(l.size)} | ${line} | ${codeSpan(instruction, MAX_INSTRUCTION, CELL)} |`,
    );
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
      // Our own blocks open at the start of a line and close on a line of their own; text in code
      // spans may quote `<details>` anywhere else.
      if (line.startsWith('<details>')) details += 1;
      if (line === '</details>') details -= 1;
    }
  }
  // A collapsed section cut right after it opened shows nothing: drop it whole.
  if (details > 0 && fence === undefined) {
    const open = kept.map((l) => l.startsWith('<details>')).lastIndexOf(true);
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
