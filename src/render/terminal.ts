/**
 * The CLI's output: one row per service (aligned columns, human units), totals, then the findings
 * (file:line, rule, fix) and the one-line errors and budget violations. Plain text, no colour, so it
 * reads the same in a terminal, a log and a pipe; control characters from the repository never pass.
 */
import { renderFindingsText } from './findings.js';
import { deployText } from './deploy.js';
import { formatBytes, formatDuration } from '../report/format.js';
import type { Report, ServiceReport } from '../report/model.js';
import { problemLine } from '../util/errors.js';

export function renderTerminal(report: Report): string {
  const header = [
    'SERVICE',
    'STATUS',
    'SIZE',
    'COMPRESSED',
    'LAYERS',
    'WASTED',
    'BUILD',
    'STEPS RUN/CACHED',
    'FINDINGS',
    'IMAGE',
  ];
  const rows = report.services.map(row);
  const findings = report.services.flatMap((s) => s.findings);
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
  const lines = table([header, ...rows]);
  const deploy = deployText(report);
  if (deploy.length > 0) lines.push('', ...deploy.map(printable));
  if (findings.length > 0)
    lines.push('', ...renderFindingsText(findings).trimEnd().split('\n').map(printable));
  const problems = [
    ...report.errors.map(problemLine),
    ...report.services.flatMap((s) => (s.error ? [problemLine(s.error)] : [])),
    ...report.services.flatMap((s) => (s.warnings ?? []).map((w) => `${s.name}: ${w}`)),
    ...[...report.services.flatMap((s) => s.violations), ...report.violations].map((v) => v.message),
  ];
  if (problems.length > 0) lines.push('', ...problems.map((p) => `✗ ${printable(p)}`));
  return `${lines.join('\n')}\n`;
}

function row(service: ServiceReport): string[] {
  const build = service.build;
  const image = service.image;
  const steps = build?.steps ? `${build.executedSteps ?? 0}/${build.cachedSteps ?? 0}` : '';
  const counts = countBySeverity(service);
  return [
    service.name,
    status(service),
    image ? formatBytes(image.size) : '',
    image?.compressedSize !== undefined ? formatBytes(image.compressedSize) : '',
    image ? String(image.layers) : '',
    image?.wastedBytes ? formatBytes(image.wastedBytes) : '',
    build && build.status !== 'skipped' ? formatDuration(build.durationMs) : '',
    steps,
    counts,
    image?.tag ?? service.imageRef ?? '',
  ];
}

function countBySeverity(service: ServiceReport): string {
  const errors = service.findings.filter((f) => f.severity === 'error').length;
  const warnings = service.findings.filter((f) => f.severity === 'warning').length;
  return [errors ? `${errors}E` : '', warnings ? `${warnings}W` : ''].filter(Boolean).join(' ');
}

function status(service: ServiceReport): string {
  if (service.notBuilt) return `not built (${service.notBuilt})`;
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
