/**
 * The CLI's output: one row per service (aligned columns, human units), totals, the last log lines of
 * a failed build under its row, then the findings (file:line, rule, fix), the one-line errors and
 * budget violations, what the baseline had that is fixed now, and the phases' times. Plain text, no
 * colour, so it reads the same in a terminal, a log and a pipe; control characters from the
 * repository never pass.
 *
 * Every line fits `width` columns (100 by default; the CLI gives a narrower terminal's width, never
 * under 60): short headers and a legend, long cells cut with `…`, columns dropped when even that
 * does not fit, messages wrapped (never inside a URL, a command or a path: such a word gets a line of
 * its own). `wide` prints everything in full, one line each, whatever the width.
 */
import { countMarks, type MarkCounts } from '../report/marks.js';
import { formatBytes, formatDuration } from '../report/format.js';
import type { Mark, Report, ServiceReport, Violation } from '../report/model.js';
import { problemLine } from '../util/errors.js';
import { printable as terminalText } from '../util/log.js';
import { deployText } from './deploy.js';
import { DEFAULT_WIDTH, findingLines, type TextOptions } from './findings.js';
import { columns, padEnd, truncateEnd, wrap } from './wrap.js';

export { DEFAULT_WIDTH } from './findings.js';

/** The narrowest output: a terminal narrower than this gets lines longer than itself. */
export const MIN_WIDTH = 60;

/** How many of a failed build's last log lines are shown under its row. */
export const LOG_LINES_SHOWN = 20;

export interface TerminalOptions extends TextOptions {
  /** How the baseline the report was marked against is named (its file): the marks' summary says it. */
  baseline?: string;
}

/** The width to fit: a terminal's columns when it has fewer than 100, never under 60; else 100. */
export function terminalWidth(terminalColumns: number | undefined): number {
  if (terminalColumns === undefined || !Number.isFinite(terminalColumns) || terminalColumns <= 0)
    return DEFAULT_WIDTH;
  return Math.max(MIN_WIDTH, Math.min(DEFAULT_WIDTH, Math.floor(terminalColumns)));
}

export function renderTerminal(report: Report, options: TerminalOptions = {}): string {
  const wide = options.wide === true;
  const width = options.width ?? DEFAULT_WIDTH;
  const fit = (text: string): string => (wide ? text : truncateEnd(text, width));
  const wrapped = (text: string, first: string, rest: string): string[] =>
    wide ? [`${first}${text}`] : wrap(text, width, first, rest);

  const findings = report.services.flatMap((s) => s.findings);
  const rows = report.services.map((s) => row(s, wide));
  rows.push([
    'total',
    `${report.totals.built}/${report.services.filter((s) => !s.imageRef).length} built`,
    formatBytes(report.totals.size),
    report.totals.compressedSize !== undefined ? formatBytes(report.totals.compressedSize) : '',
    '',
    '',
    formatDuration(report.totals.buildDurationMs),
    '',
    findings.length ? String(findings.length) : '',
    '',
  ]);
  const drawn = table(
    rows.map((r) => r.map(cellText)),
    wide ? undefined : width,
  );
  const lines: string[] = [drawn.lines[0]!];
  report.services.forEach((service, i) => {
    lines.push(drawn.lines[i + 1]!);
    lines.push(...buildDetails(service, wide, width));
  });
  lines.push(drawn.lines[drawn.lines.length - 1]!);
  const legend = wide || report.services.length === 0 ? undefined : legendOf(drawn);
  if (legend) lines.push(...wrap(legend, width, '', '  '));

  const deploy = deployText(report);
  if (deploy.length > 0) lines.push('', ...deploy.map((l) => fit(cellText(l))));
  if (findings.length > 0) {
    lines.push('', ...findingLines(findings, options).map(cellText));
    lines.push('', findingCounts(findings));
  }
  const problems: { text: string; mark?: Mark }[] = [
    ...report.errors.map((e) => ({ text: problemLine(e) })),
    ...report.services.flatMap((s) => (s.error ? [{ text: problemLine(s.error) }] : [])),
    ...report.services.flatMap((s) => (s.warnings ?? []).map((w) => ({ text: `${s.name}: ${w}` }))),
    ...[...report.services.flatMap((s) => s.violations), ...report.violations].map(violationLine),
  ];
  if (problems.length > 0) {
    lines.push('');
    for (const p of problems) lines.push(...wrapped(cellText(p.text), `✗ ${tag(p.mark)}`, '  '));
  }
  const fixed = fixedLines(report);
  if (fixed.length > 0) {
    lines.push('');
    for (const text of fixed) lines.push(...wrapped(cellText(text), `✓ ${tag('fixed')}`, '  '));
  }
  if (report.fixed) {
    lines.push('', ...wrapped(cellText(marksLine(countMarks(report), options.baseline)), '', '  '));
  }
  const time = timeLine(report);
  if (time) lines.push('', time);
  return `${lines.join('\n')}\n`;
}

/** `time: 41s (lint 300ms, builds 35s, analysis 12s)`: the run and its phases; undefined without times. */
export function timeLine(report: Report): string | undefined {
  if (report.durationMs === undefined) return undefined;
  const phases = report.phases ?? {};
  const parts: string[] = [];
  const add = (name: string, ms: number | undefined): void => {
    if (ms !== undefined && ms > 0) parts.push(`${name} ${formatDuration(ms)}`);
  };
  add('lint', phases.lintMs);
  add('builds', phases.buildsMs);
  add('analysis', phases.analysisMs);
  add('baseline', phases.baselineMs);
  return `time: ${formatDuration(report.durationMs)}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/** `baseline base.json: budgets 1 new, 0 worse, 1 fixed, 2 existing; findings 3 new, 1 fixed, 17 existing`. */
export function marksLine(counts: MarkCounts, baseline?: string): string {
  const v = counts.violations;
  const f = counts.findings;
  return (
    `${baseline ? `baseline ${baseline}` : 'against the baseline'}: ` +
    `budgets ${v.new} new, ${v.worse} worse, ${v.fixed} fixed, ${v.existing} existing; ` +
    `findings ${f.new} new, ${f.fixed} fixed, ${f.existing} existing`
  );
}

function findingCounts(findings: Report['services'][number]['findings']): string {
  const count = (s: string): number => findings.filter((f) => f.severity === s).length;
  const parts = [`${count('error')} error(s)`, `${count('warning')} warning(s)`];
  if (count('note')) parts.push(`${count('note')} note(s)`);
  return parts.join(', ');
}

function violationLine(v: Violation): { text: string; mark?: Mark } {
  return v.mark ? { text: v.message, mark: v.mark } : { text: v.message };
}

function tag(mark: Mark | undefined): string {
  return mark ? `[${mark}] ` : '';
}

/** What the baseline had and this run no longer has: budgets first, then findings. */
function fixedLines(report: Report): string[] {
  if (!report.fixed) return [];
  return [
    ...report.fixed.violations.map((v) => v.message),
    ...report.fixed.findings.map(
      (f) => `${f.service}: ${f.rule} ${f.file}${f.line ? `:${f.line}` : ''}: ${f.message}`,
    ),
  ];
}

/** A failed (or stopped) build's last log lines and where its whole log is, indented under its row. */
function buildDetails(service: ServiceReport, wide: boolean, width: number): string[] {
  const build = service.build;
  if (!build || build.status === 'success' || build.status === 'skipped') return [];
  const lines = (build.logTail ?? []).slice(-LOG_LINES_SHOWN).map((line) => {
    const text = `    ${cellText(line)}`.trimEnd();
    return wide ? text : truncateEnd(text, width);
  });
  // The path is never cut: it is there to be copied.
  if (build.logFile)
    lines.push(...(wide ? [`    log: ${build.logFile}`] : wrap(build.logFile, width, '    log: ', '    ')));
  return lines.map(terminalText);
}

/** The cells of one service's row: every column of the wide table. */
function row(service: ServiceReport, wide: boolean): string[] {
  const build = service.build;
  const image = service.image;
  const steps = build?.steps ? `${build.executedSteps ?? 0}/${build.cachedSteps ?? 0}` : '';
  return [
    service.name,
    status(service, wide),
    image ? formatBytes(image.size) : '',
    image?.compressedSize !== undefined ? formatBytes(image.compressedSize) : '',
    image ? String(image.layers) : '',
    image?.wastedBytes ? formatBytes(image.wastedBytes) : '',
    build && build.status !== 'skipped' ? formatDuration(build.durationMs) : '',
    steps,
    countBySeverity(service),
    image?.tag ?? service.imageRef ?? '',
  ];
}

function countBySeverity(service: ServiceReport): string {
  const errors = service.findings.filter((f) => f.severity === 'error').length;
  const warnings = service.findings.filter((f) => f.severity === 'warning').length;
  return [errors ? `${errors}E` : '', warnings ? `${warnings}W` : ''].filter(Boolean).join(' ');
}

function status(service: ServiceReport, wide: boolean): string {
  if (service.notBuilt) return `not built (${service.notBuilt})`;
  // The fitted table has no IMAGE column: an image-only service names its image here.
  if (service.imageRef && !service.build) return wide ? 'image only' : `image ${service.imageRef}`;
  if (service.error && !service.build) return 'error';
  if (service.violations.length > 0) return 'over budget';
  return service.build?.status === 'success' ? 'built' : (service.build?.status ?? 'not built');
}

/** The table's columns: the wide header, the fitted one, and how each gives way to a narrow width. */
const COLUMNS: readonly {
  wide: string;
  narrow: string;
  /** A column that is cut (with `…`) before anything is dropped, down to this many columns. */
  min?: number;
  /** Columns are dropped lowest first when the rest cannot fit; absent: never dropped. */
  drop?: number;
  /** What the legend says of it. */
  legend?: string;
}[] = [
  { wide: 'SERVICE', narrow: 'SERVICE', min: 12 },
  { wide: 'STATUS', narrow: 'STATUS', min: 9 },
  { wide: 'SIZE', narrow: 'SIZE' },
  { wide: 'COMPRESSED', narrow: 'PULL', drop: 5, legend: 'PULL: compressed size' },
  { wide: 'LAYERS', narrow: 'LAYERS', drop: 1 },
  { wide: 'WASTED', narrow: 'WASTED', drop: 3 },
  { wide: 'BUILD', narrow: 'BUILD', drop: 4 },
  { wide: 'STEPS RUN/CACHED', narrow: 'STEPS', drop: 2, legend: 'STEPS: run/cached' },
  { wide: 'FINDINGS', narrow: 'FINDINGS', drop: 6, legend: 'FINDINGS: Errors, Warnings' },
  { wide: 'IMAGE', narrow: 'IMAGE', drop: 0 },
];

interface Drawn {
  /** Header, one line per row. */
  lines: string[];
  /** Indexes (in COLUMNS) of the columns shown and of those dropped to fit. */
  shown: number[];
  dropped: number[];
}

/**
 * Left-aligned columns two spaces apart; a column that is empty everywhere is left out. With a
 * width, the fitted headers, and the columns cut then dropped until each line fits; the IMAGE
 * column is always left out then (the legend says `--wide` shows it).
 */
function table(body: string[][], width: number | undefined): Drawn {
  let shown = COLUMNS.map((_, c) => c).filter((c) => body.some((r) => (r[c] ?? '') !== ''));
  const dropped: number[] = [];
  const header = COLUMNS.map((column) => (width === undefined ? column.wide : column.narrow));
  const rows = [header, ...body];
  const natural = (c: number): number => Math.max(...rows.map((r) => columns(r[c] ?? '')));
  // A cuttable column down to its minimum (or its header), any other at its natural width.
  const least = (c: number): number => {
    const min = COLUMNS[c]!.min;
    return min === undefined ? natural(c) : Math.min(natural(c), Math.max(min, columns(header[c]!)));
  };
  const total = (cs: number[], size: (c: number) => number): number =>
    cs.reduce((sum, c) => sum + size(c), 0) + 2 * Math.max(0, cs.length - 1);
  if (width !== undefined) {
    const image = COLUMNS.length - 1;
    if (shown.includes(image)) {
      shown = shown.filter((c) => c !== image);
      dropped.push(image);
    }
    for (;;) {
      if (total(shown, least) <= width) break;
      const next = shown
        .filter((c) => COLUMNS[c]!.drop !== undefined)
        .sort((a, b) => COLUMNS[a]!.drop! - COLUMNS[b]!.drop!)[0];
      if (next === undefined) break;
      shown = shown.filter((c) => c !== next);
      dropped.push(next);
    }
  }
  const widths = new Map(shown.map((c) => [c, natural(c)]));
  if (width !== undefined) {
    // Cut the widest cuttable column one column at a time until the line fits.
    while (total(shown, (c) => widths.get(c)!) > width) {
      const cut = shown
        .filter((c) => COLUMNS[c]!.min !== undefined && widths.get(c)! > least(c))
        .sort((a, b) => widths.get(b)! - widths.get(a)!)[0];
      if (cut === undefined) break;
      widths.set(cut, widths.get(cut)! - 1);
    }
  }
  const lines = rows.map((r) =>
    shown
      .map((c) => padEnd(truncateEnd(r[c] ?? '', widths.get(c)!), widths.get(c)!))
      .join('  ')
      .trimEnd(),
  );
  return { lines, shown, dropped };
}

/** What the fitted table's short headers mean, and what `--wide` adds. */
function legendOf(drawn: Drawn): string {
  const parts = drawn.shown.flatMap((c) => (COLUMNS[c]!.legend ? [COLUMNS[c]!.legend!] : []));
  const hidden = drawn.dropped.filter((c) => c !== COLUMNS.length - 1).map((c) => COLUMNS[c]!.narrow);
  parts.push(`--wide: ${[...hidden, 'image tags'].join(', ')}, full text`);
  return parts.join('; ');
}

/** One cell or log line: control characters shown as `?`, tabs and line breaks as spaces. */
function cellText(text: string): string {
  return terminalText(String(text).replace(/[\t\r\n]+/g, ' '));
}
