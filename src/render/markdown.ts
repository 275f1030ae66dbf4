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
import type { ReportDiff, ServiceDiff } from '../report/diff.js';
import type { TrendRun } from '../report/trend.js';
import { trendMarkdown } from './trend.js';
import { codeSpan, safeUrl, truncate } from './escape.js';
import { formatBytes, formatDuration, plural } from '../report/format.js';
import type { Report, ServiceReport } from '../report/model.js';
import {
  CELL,
  MAX_INSTRUCTION,
  MAX_LAYERS,
  MAX_NAME,
  MAX_STEPS,
  buildCell,
  bytesDelta,
  deltaText,
  e,
  failing,
  failingFirst,
  hasMarks,
  icon,
  int,
  msDelta,
  name,
  status,
} from './markdown-kit.js';
import { grewDetails } from './markdown-growth.js';
import { instructionText } from '../measure/history.js';
import {
  changesList,
  errorsList,
  existingDetails,
  findingsDetails,
  pullRequestSection,
  violationsList,
} from './markdown-problems.js';

export { layersThatGrew, type LayerGrowth } from './markdown-growth.js';

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
    const instruction = instructionText(l.createdBy);
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
