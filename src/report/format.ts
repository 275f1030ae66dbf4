/**
 * Human formatting of sizes, durations and deltas, shared by every renderer (terminal table, markdown).
 *
 * Sizes use decimal units (powers of 1000, as `docker images` prints them) with no space between the
 * number and the unit, so that any size image-budget prints is a valid size in the config file.
 */

const SIZE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] as const;

/** Three significant digits at most, trailing zeros kept off: 1.5, 12.3, 512. */
function significant(n: number): string {
  if (n >= 100) return String(Math.round(n));
  if (n >= 10) return String(Math.round(n * 10) / 10);
  return String(Math.round(n * 100) / 100);
}

/**
 * Bytes as `512B`, `1.5kB`, `12.3MB`, `1.45GB`.
 * @param options.signed prefix `+` for positive values (negative ones always carry `-`).
 */
export function formatBytes(bytes: number, options: { signed?: boolean } = {}): string {
  const sign = bytes < 0 ? '-' : options.signed && bytes > 0 ? '+' : '';
  let n = Math.abs(bytes);
  let i = 0;
  while (n >= 1000 && i < SIZE_UNITS.length - 1) {
    n /= 1000;
    i++;
  }
  let text = i === 0 ? String(Math.round(n)) : significant(n);
  // 999.6kB rounds to 1000kB: move to the next unit.
  if (Number(text) >= 1000 && i < SIZE_UNITS.length - 1) {
    i++;
    text = significant(n / 1000);
  }
  return `${sign}${text}${SIZE_UNITS[i]}`;
}

/**
 * Milliseconds as `850ms`, `9.5s`, `42s`, `4m05s`, `1h02m`.
 * @param options.signed prefix `+` for positive values.
 */
export function formatDuration(ms: number, options: { signed?: boolean } = {}): string {
  const sign = ms < 0 ? '-' : options.signed && ms > 0 ? '+' : '';
  const abs = Math.abs(ms);
  let text: string;
  if (abs < 1000) text = `${Math.round(abs)}ms`;
  else if (abs < 10_000) text = `${Math.round(abs / 100) / 10}s`;
  else if (abs < 60_000) text = `${Math.round(abs / 1000)}s`;
  else if (abs < 3_600_000) {
    const total = Math.round(abs / 1000);
    text = `${Math.floor(total / 60)}m${String(total % 60).padStart(2, '0')}s`;
  } else {
    const total = Math.round(abs / 60_000);
    text = `${Math.floor(total / 60)}h${String(total % 60).padStart(2, '0')}m`;
  }
  // 59.6s rounds to 60s: say 1m00s.
  if (text === '60s') text = '1m00s';
  if (text === '60m00s') text = '1h00m';
  return `${sign}${text}`;
}

/** A ratio in percent as `+12.5%`, `-3%`, `0%`; `undefined` when there is no base to compare with. */
export function formatPercent(percent: number | undefined): string {
  if (percent === undefined || !Number.isFinite(percent)) return '';
  const rounded = Math.abs(percent) >= 10 ? Math.round(percent) : Math.round(percent * 10) / 10;
  if (rounded === 0) return '0%';
  return `${rounded > 0 ? '+' : ''}${rounded}%`;
}

/** A count with its noun, plural when not 1: `1 service`, `3 services`. */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}

/** `value` formatted by the unit a `Violation` carries. */
export function formatAmount(value: number, unit: 'bytes' | 'ms' | 'count' | 'percent'): string {
  switch (unit) {
    case 'bytes':
      return formatBytes(value);
    case 'ms':
      return formatDuration(value);
    case 'percent':
      return `${Math.round(value * 10) / 10}%`;
    case 'count':
      return String(value);
  }
}
