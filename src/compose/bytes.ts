/** Compose's byte values (`mem_limit`, `deploy.resources.*.memory`). Pure. */

/** What compose writes for bytes (`256M`, `1.5g`, `512mb`, `64MiB`, `1024`): powers of 1024, any case. */
const BYTES = /^(\d+(?:\.\d+)?) ?([kmgtp])?i?b?$/i;
const POWER: Record<string, number> = { k: 1, m: 2, g: 3, t: 4, p: 5 };

/** A compose byte value in bytes, or undefined when it is not one. */
export function parseComposeBytes(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = BYTES.exec(value.trim());
  if (!m) return undefined;
  const power = m[2] ? POWER[m[2].toLowerCase()]! : 0;
  return Math.round(Number(m[1]) * 1024 ** power);
}

/**
 * A byte value as `docker compose config --format json` prints it: the bytes as a decimal string.
 * A value that is not a size is kept as written, for the deploy check to name on its line.
 */
export function composeBytes(value: unknown): unknown {
  const bytes = parseComposeBytes(value);
  return bytes === undefined ? value : String(bytes);
}
