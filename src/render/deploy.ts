/**
 * Deploy fit in the comment, the step summary and the terminal: one row per compose service with its
 * memory limit, reservation, share of the host and healthcheck, and the sums. Every name is escaped
 * (`escapeMarkdown`). Shown when a host memory is set or any service has a memory limit.
 */
import { escapeMarkdown } from './escape.js';
import { formatBytes } from '../report/format.js';
import type { HealthcheckSource, Report, ServiceReport } from '../report/model.js';

const MIB = 1024 ** 2;

/** Memory as compose users write it: `256MiB` when a whole number of MiB, else decimal units. */
export function formatMemory(bytes: number): string {
  if (bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3}GiB`;
  if (bytes > 0 && bytes % MIB === 0) return `${bytes / MIB}MiB`;
  return formatBytes(bytes);
}

const HEALTH: Record<HealthcheckSource, string> = {
  compose: 'compose',
  dockerfile: 'Dockerfile',
  image: 'image',
  disabled: 'disabled',
  none: 'none',
};

function shown(report: Report): ServiceReport[] {
  const services = report.services.filter((s) => s.deploy);
  const any = services.some(
    (s) => s.deploy?.memoryLimit !== undefined || s.deploy?.memoryReservation !== undefined,
  );
  return report.host || any ? services : [];
}

function share(bytes: number | undefined, host: number | undefined): string {
  if (bytes === undefined || host === undefined || host === 0) return '';
  return `${Math.round((bytes / host) * 100)}%`;
}

function rows(report: Report): string[][] | undefined {
  const services = shown(report);
  if (services.length === 0) return undefined;
  const host = report.host?.memory;
  const out = services.map((s) => {
    const d = s.deploy!;
    const times = d.replicas !== undefined ? ` ×${d.replicas}` : '';
    const health = d.oneShot && d.healthcheck === 'none' ? 'one-shot' : HEALTH[d.healthcheck];
    return [
      s.name,
      d.memoryLimit !== undefined ? `${formatMemory(d.memoryLimit)}${times}` : '—',
      d.memoryReservation !== undefined ? `${formatMemory(d.memoryReservation)}${times}` : '—',
      d.memoryLimit !== undefined ? share(d.memoryLimit * (d.replicas ?? 1), host) : host ? '?' : '',
      health,
    ];
  });
  const limits = report.host?.limits ?? sum(services, (s) => s.deploy?.memoryLimit);
  const reservations = report.host?.reservations ?? sum(services, (s) => s.deploy?.memoryReservation);
  const unknown = (report.host?.unlimited.length ?? 0) > 0 ? '+?' : '';
  out.push(['total', `${formatBytes(limits)}${unknown}`, formatBytes(reservations), share(limits, host), '']);
  return out;
}

function sum(services: ServiceReport[], pick: (s: ServiceReport) => number | undefined): number {
  return services.reduce((total, s) => total + (pick(s) ?? 0) * (s.deploy?.replicas ?? 1), 0);
}

/** The markdown section, or undefined when there is nothing to show. */
export function deployMarkdown(report: Report): string | undefined {
  const table = rows(report);
  if (!table) return undefined;
  const host = report.host;
  const over = host && (host.limits > host.memory || host.reservations > host.memory);
  const title = host
    ? `#### ${over ? '❌' : host.unlimited.length > 0 ? '⚠️' : '✅'} Deploy fit: ${formatBytes(host.limits)} of memory limits on a ${formatBytes(host.memory)} host`
    : '#### Deploy fit';
  const lines = [
    title,
    '',
    '| Service | Limit | Reservation | Share of host | Healthcheck |',
    '| :-- | --: | --: | --: | :-- |',
  ];
  for (const [i, row] of table.entries()) {
    const [name = '', ...cells] = row;
    const first = i === table.length - 1 ? '**Total**' : escapeMarkdown(name, 60);
    const marked = cells.map((cell, c) => (c === cells.length - 1 && cell === 'none' ? '⚠️ none' : cell));
    lines.push(`| ${[first, ...marked].join(' | ')} |`);
  }
  return lines.join('\n');
}

/** The terminal's lines: the same table as plain text (names made printable by the caller). */
export function deployText(report: Report): string[] {
  const table = rows(report);
  if (!table) return [];
  const header = ['SERVICE', 'LIMIT', 'RESERVATION', 'SHARE', 'HEALTHCHECK'];
  const all = [header, ...table];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const title = report.host ? `host memory ${formatBytes(report.host.memory)}` : 'memory';
  return [
    title,
    ...all.map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c] ?? 0))
        .join('  ')
        .trimEnd(),
    ),
  ];
}
