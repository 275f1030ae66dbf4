/**
 * The CLI's table: one row per service, aligned columns, sizes and times in human units, then totals
 * and the one-line errors. Plain text (no colour) so it reads the same in a terminal, a log and a pipe.
 */
import { formatBytes, formatDuration } from './format.js';
import type { Report, ServiceReport } from './model.js';

export function renderTerminal(report: Report): string {
  const header = ['SERVICE', 'STATUS', 'SIZE', 'LAYERS', 'BUILD', 'STEPS RUN/CACHED', 'IMAGE'];
  const rows = report.services.map(row);
  rows.push([
    'total',
    `${report.totals.built}/${report.services.filter((s) => !s.imageRef).length} built`,
    formatBytes(report.totals.size),
    '',
    formatDuration(report.totals.buildDurationMs),
    '',
    '',
  ]);
  const lines = table([header, ...rows]);
  const problems = [
    ...report.errors,
    ...report.services.flatMap((s) => (s.error ? [s.error] : [])),
    ...[...report.violations, ...report.services.flatMap((s) => s.violations)].map((v) => v.message),
  ];
  if (problems.length > 0) lines.push('', ...problems.map((p) => `✗ ${printable(p)}`));
  return `${lines.join('\n')}\n`;
}

function row(service: ServiceReport): string[] {
  const build = service.build;
  const steps = build?.steps ? `${build.executedSteps ?? 0}/${build.cachedSteps ?? 0}` : '';
  return [
    service.name,
    status(service),
    service.image ? formatBytes(service.image.size) : '',
    service.image ? String(service.image.layers) : '',
    build && build.status !== 'skipped' ? formatDuration(build.durationMs) : '',
    steps,
    service.image?.tag ?? service.imageRef ?? '',
  ];
}

function status(service: ServiceReport): string {
  if (service.imageRef && !service.build) return 'image only';
  if (service.error && !service.build) return 'error';
  if (service.violations.length > 0) return 'over budget';
  return service.build?.status === 'success' ? 'built' : (service.build?.status ?? 'not built');
}

/** Left-aligned columns two spaces apart; a column that is empty everywhere is dropped. */
function table(rows: string[][]): string[] {
  const width = rows[0]?.length ?? 0;
  const keep = [...Array(width).keys()].filter((c) => rows.slice(1).some((r) => (r[c] ?? '') !== ''));
  const widths = keep.map((c) => Math.max(...rows.map((r) => printable(r[c] ?? '').length)));
  return rows.map((r) =>
    keep
      .map((c, i) => printable(r[c] ?? '').padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

/** Control characters from the repository (service names, messages) never reach the terminal raw. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
