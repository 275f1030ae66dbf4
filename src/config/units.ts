/**
 * Sizes and durations as a user writes them in `.github/image-budget.yml`, action inputs and CLI flags.
 *
 * Sizes:
 * - a number (YAML `1234` or the string `"1234"`) is a count of bytes;
 * - decimal (SI) units are powers of 1000: `kB` (also `KB`), `MB`, `GB`, `TB`;
 * - binary (IEC) units are powers of 1024: `KiB`, `MiB`, `GiB`, `TiB`;
 * - `B` is bytes; units are case-insensitive; the number may have a fraction (`1.2GiB`), rounded to a byte.
 * - A binary unit may follow a space (`512 MiB`). A decimal unit must touch its number (`5GB`):
 *   `5 GB` is how file managers print sizes where "GB" often means GiB, so a value copied from one is
 *   ambiguous and is rejected with the two spellings to choose from. Every size image-budget prints
 *   (`formatBytes`) has no space, so it can be pasted back into the config as is.
 * - Single-letter units (`5G`, `512m`) are rejected for the same reason (Docker reads `m` as MiB).
 *
 * Durations: one or more `<number><unit>` parts with units `ms`, `s`, `m`, `h` (`90s`, `10m`, `1h30m`,
 * `1.5h`), returned in milliseconds. A bare number has no unit and is rejected.
 */

const DECIMAL: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12 };
const BINARY: Record<string, number> = { kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };

/** The hint every size error ends with. */
export const SIZE_HINT = 'use 500MB, 1.2GiB or a number of bytes';
/** The hint every duration error ends with. */
export const DURATION_HINT = 'use 90s, 10m, 1h or 1h30m';

/** A value that is not a valid size, duration or percentage; `message` reads after the quoted value. */
export class UnitError extends Error {
  override readonly name = 'UnitError';
}

const SIZE_RE = /^(\d+(?:\.\d+)?|\.\d+)(\s*)([a-z]*)$/i;

const SIZE_BODY = '(?:\\d+(?:\\.\\d+)?|\\.\\d+)(?:\\s*[bB]|[kKmMgGtT][bB]|\\s*[kKmMgGtT][iI][bB])?';
const PERCENT_BODY = '(?:\\d+(?:\\.\\d+)?|\\.\\d+)\\s*%';
const OR = '\\s+[oO][rR]\\s+';

/** Exact string form of a size for JSON Schema (`pattern`): keep in step with `parseSize`. */
export const SIZE_PATTERN = `^${SIZE_BODY}$`;
/** Exact string form of a duration for JSON Schema (`pattern`): keep in step with `parseDuration`. */
export const DURATION_PATTERN = '^(?:(?:\\d+(?:\\.\\d+)?|\\.\\d+)(?:ms|s|m|h))+$';
/** Exact string form of a percentage for JSON Schema. */
export const PERCENT_PATTERN = `^${PERCENT_BODY}$`;
/** Exact string form of `<size> or <percent>` (either order) for JSON Schema: keep in step with `parseGrowth`. */
export const GROWTH_BOTH_PATTERN = `^(?:${SIZE_BODY}${OR}${PERCENT_BODY}|${PERCENT_BODY}${OR}${SIZE_BODY})$`;

function quote(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** The largest size accepted: 9PB, under the largest integer a number holds exactly. */
export const MAX_SIZE = 9e15;
/** The largest duration accepted: a year, far past any build. */
const MAX_DURATION = 366 * 24 * 3_600_000;

/**
 * Parse a size into bytes (see the module comment for the rules).
 * @throws UnitError with a message that quotes the value and says how to write it.
 */
export function parseSize(value: string | number): number {
  const bytes = parseSizeUnbounded(value);
  // 310 digits are a finite-looking text that Number() reads as Infinity: never an unlimited budget.
  if (bytes > MAX_SIZE) throw new UnitError(`${quote(value)} is too large: a size must be at most 9PB`);
  return bytes;
}

/**
 * A size as the engine or a user writes it, or undefined when it is not one (never throws): for
 * reading other programs' output, e.g. `docker image history`'s `Size` (`"1234"`, `"1.2kB"`, `"45MB"`).
 */
export function trySize(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  try {
    return parseSize(value);
  } catch (error) {
    if (error instanceof UnitError) return undefined;
    throw error;
  }
}

function parseSizeUnbounded(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new UnitError(`${quote(value)} is not a size (${SIZE_HINT})`);
    if (value < 0) throw new UnitError(`${quote(value)} is negative: a size must be 0 or more`);
    if (!Number.isInteger(value)) {
      throw new UnitError(`${quote(value)} is not a whole number of bytes (${SIZE_HINT})`);
    }
    return value;
  }
  const text = value.trim();
  if (/^-\s*\d/.test(text)) throw new UnitError(`${quote(value)} is negative: a size must be 0 or more`);
  const m = SIZE_RE.exec(text);
  if (!m) throw new UnitError(`${quote(value)} is not a size (${SIZE_HINT})`);
  const [, num = '', space = '', unitRaw = ''] = m;
  const unit = unitRaw.toLowerCase();
  const amount = Number(num);
  if (unit === '') {
    if (space) throw new UnitError(`${quote(value)} is not a size (${SIZE_HINT})`);
    if (!Number.isInteger(amount) && Number.isFinite(amount)) {
      throw new UnitError(`${quote(value)} is not a whole number of bytes (${SIZE_HINT})`);
    }
    return amount;
  }
  const binary = BINARY[unit];
  if (binary !== undefined) return Math.round(amount * binary);
  const decimal = DECIMAL[unit];
  if (decimal !== undefined) {
    if (space && unit !== 'b') {
      const bin = `${unit[0]!.toUpperCase()}iB`;
      const dec = `${unit[0] === 'k' ? 'k' : unit[0]!.toUpperCase()}B`;
      throw new UnitError(
        `${quote(value)} is ambiguous: write ${num}${dec} (${num} × 1000^${exponent(unit)}) or ${num}${bin} (${num} × 1024^${exponent(unit)})`,
      );
    }
    return Math.round(amount * decimal);
  }
  if (/^[kmgt]$/.test(unit)) {
    throw new UnitError(
      `${quote(value)} has an ambiguous unit: write ${num}${unit.toUpperCase()}B (powers of 1000) or ${num}${unit.toUpperCase()}iB (powers of 1024)`,
    );
  }
  throw new UnitError(`${quote(value)} has an unknown unit "${unitRaw}" (${SIZE_HINT})`);
}

function exponent(unit: string): number {
  return { k: 1, m: 2, g: 3, t: 4 }[unit[0] as 'k' | 'm' | 'g' | 't'];
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parse a duration (`90s`, `10m`, `1h`, `1h30m`, `1.5h`, `500ms`) into milliseconds.
 * @throws UnitError with a message that quotes the value and says how to write it.
 */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') {
    if (value < 0) throw new UnitError(`${quote(value)} is negative: a duration must be 0 or more`);
    throw new UnitError(`${quote(value)} has no unit (${DURATION_HINT})`);
  }
  const text = value.trim();
  if (/^-\s*\d/.test(text)) throw new UnitError(`${quote(value)} is negative: a duration must be 0 or more`);
  if (/^(\d+(\.\d+)?|\.\d+)$/.test(text))
    throw new UnitError(`${quote(value)} has no unit (${DURATION_HINT})`);
  if (!new RegExp(DURATION_PATTERN).test(text)) {
    throw new UnitError(`${quote(value)} is not a duration (${DURATION_HINT})`);
  }
  let total = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h)/g)) {
    total += Number(part[1]) * DURATION_UNITS[part[2]!]!;
  }
  if (!(total <= MAX_DURATION)) {
    throw new UnitError(`${quote(value)} is too long: a duration must be at most a year`);
  }
  return Math.round(total);
}

/**
 * Parse a percentage: `10%`, `"10"` or `10` (a number is taken as percent, not a fraction).
 * @throws UnitError for anything else or a negative value.
 */
export function parsePercent(value: string | number): number {
  let n: number;
  if (typeof value === 'number') n = value;
  else {
    const m = /^(-?)\s*(\d+(?:\.\d+)?|\.\d+)\s*%?$/.exec(value.trim());
    if (!m) throw new UnitError(`${quote(value)} is not a percentage (use 10%)`);
    n = Number(m[2]) * (m[1] ? -1 : 1);
  }
  if (!Number.isFinite(n)) throw new UnitError(`${quote(value)} is not a percentage (use 10%)`);
  if (n < 0) throw new UnitError(`${quote(value)} is negative: a percentage must be 0 or more`);
  return n;
}

/** How much an image may grow against the baseline; both set means both apply (exceeding either fails). */
export interface Growth {
  bytes?: number;
  percent?: number;
}

/** The hint every growth error ends with. */
export const GROWTH_HINT = 'use 50MB, 10% or "50MB or 10%"';

/**
 * Parse a growth budget: a size (`50MB`, bytes), a percentage (`10%`), or both joined by `or`
 * (`50MB or 10%`: exceeding either fails). The config file's object form `{bytes, percent}` is
 * handled by the schema; this is the one-value form, for the file, inputs and flags alike.
 */
export function parseGrowth(value: string | number): Growth {
  if (typeof value === 'number') return { bytes: growthPart(value).bytes! };
  const parts = value.trim().split(/\s+or\s+/i);
  if (parts.length > 2) throw new UnitError(`${quote(value)} is not a growth budget (${GROWTH_HINT})`);
  const growth: Growth = {};
  for (const part of parts) {
    const one = growthPart(part, value);
    if (
      (one.bytes !== undefined && growth.bytes !== undefined) ||
      (one.percent !== undefined && growth.percent !== undefined)
    ) {
      throw new UnitError(
        `${quote(value)} gives the same limit twice: join a size and a percentage (${GROWTH_HINT})`,
      );
    }
    Object.assign(growth, one);
  }
  return growth;
}

function growthPart(part: string | number, whole: string | number = part): Growth {
  if (typeof part === 'string' && part.trim().endsWith('%')) return { percent: parsePercent(part) };
  try {
    return { bytes: parseSize(part) };
  } catch (error) {
    if (error instanceof UnitError && !/negative|too large/.test(error.message)) {
      throw new UnitError(`${quote(whole)} is not a growth budget (${GROWTH_HINT})`);
    }
    throw error;
  }
}
