/**
 * The size trend drawn: a Mermaid `xychart-beta` block (GitHub renders it) for the total and the
 * services that changed, with the numbers in a collapsed table for readers without Mermaid; and as
 * text for the terminal (`image-budget history`). The runs themselves are report/trend.ts.
 *
 * Mermaid text is not markdown: its labels (`mermaidLabel`) keep only letters, digits and `._:/+-` and
 * spaces (so no quote, bracket or newline can end a string or a block), and the block is fenced by
 * `codeBlock`.
 * The table's cells go through `escapeMarkdown`.
 */
import { changedServices, total, type TrendRun } from '../report/trend.js';
import type { ReportDiff } from '../report/diff.js';
import { formatBytes, formatDuration } from '../report/format.js';
import { codeBlock, escapeMarkdown, mermaidLabel } from './escape.js';

const label = mermaidLabel;

function runLabel(run: TrendRun, index: number): string {
  return label(run.sha ? run.sha.slice(0, 7) : `${index + 1} ${run.date.slice(0, 10)}`);
}

const MB = 1e6;
const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

/** The `xychart-beta` text (without its fence): one line for the total, one per service. */
export function trendChart(runs: readonly TrendRun[], services: readonly string[]): string {
  const totals = runs.map((r) => mb(total(r)));
  const top = Math.max(1, ...totals);
  const lines = [
    'xychart-beta',
    '  title "Image sizes (MB)"',
    `  x-axis [${runs.map((r, i) => `"${runLabel(r, i)}"`).join(', ')}]`,
    `  y-axis "MB" 0 --> ${Math.ceil(top * 1.1)}`,
    `  line "total" [${totals.join(', ')}]`,
  ];
  for (const name of services) {
    lines.push(`  line "${label(name)}" [${runs.map((r) => mb(r.services[name]?.size ?? 0)).join(', ')}]`);
  }
  return lines.join('\n');
}

/** The trend section: the chart and the collapsed numbers; undefined with fewer than two runs. */
export function trendMarkdown(runs: readonly TrendRun[] | undefined, diff?: ReportDiff): string | undefined {
  if (!runs || runs.length < 2) return undefined;
  const services = changedServices(runs, diff);
  const what =
    services.length > 0
      ? `the total and ${services.map((n) => escapeMarkdown(n, 60)).join(', ')}`
      : 'the total';
  const header = [
    'Run',
    'Date',
    'Total',
    'Compressed',
    'Build',
    ...services.map((n) => escapeMarkdown(n, 60)),
  ];
  const rows = runs.map((run, i) => {
    const compressed = total(run, (s) => s.compressedSize);
    const build = total(run, (s) => s.buildMs);
    return [
      escapeMarkdown(runLabel(run, i), 40),
      escapeMarkdown(run.date.slice(0, 10), 10),
      formatBytes(total(run)),
      compressed > 0 ? formatBytes(compressed) : '',
      build > 0 ? formatDuration(build) : '',
      ...services.map((n) => (run.services[n] ? formatBytes(run.services[n].size) : '')),
    ];
  });
  return [
    `#### Size trend: ${what}, last ${runs.length} runs of the default branch`,
    '',
    codeBlock(trendChart(runs, services), 'mermaid'),
    '',
    '<details><summary>Trend numbers</summary>',
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i < 2 ? ':--' : '--:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    '</details>',
  ].join('\n');
}

/** The terminal's trend (`image-budget history`): one row per run, then one per service. */
export function trendText(runs: readonly TrendRun[]): string {
  if (runs.length === 0)
    return 'no runs saved yet: a baseline saved on the default branch starts the trend\n';
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.services)))].sort();
  const header = ['RUN', 'DATE', 'TOTAL', 'COMPRESSED', 'BUILD', ...names.map((n) => n.toUpperCase())];
  const rows = runs.map((run, i) => {
    const compressed = total(run, (s) => s.compressedSize);
    const build = total(run, (s) => s.buildMs);
    return [
      runLabel(run, i),
      run.date.slice(0, 10),
      formatBytes(total(run)),
      compressed > 0 ? formatBytes(compressed) : '',
      build > 0 ? formatDuration(build) : '',
      ...names.map((n) => (run.services[n] ? formatBytes(run.services[n].size) : '')),
    ];
  });
  const all = [header, ...rows];
  // eslint-disable-next-line no-control-regex
  const printable = (t: string) => t.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  const widths = header.map((_, c) => Math.max(...all.map((r) => printable(r[c] ?? '').length)));
  return `${all
    .map((r) =>
      r
        .map((cell, c) => printable(cell).padEnd(widths[c] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}
