/**
 * The `.env` file beside a compose file, as compose reads it for interpolation:
 * `KEY=value` lines, `export ` prefixes, `#` comments, single or double quoted values. Unquoted and
 * double-quoted values are interpolated (`B=${A}-x`) from the lines above, then from `lookup`;
 * single-quoted values are literal.
 */
import { interpolate, InterpolationError, type Lookup } from './interpolate.js';

export function parseDotEnv(text: string, lookup: Lookup = () => undefined): Record<string, string> {
  const values: Record<string, string> = {};
  const known: Lookup = (name) => (Object.hasOwn(values, name) ? values[name] : lookup(name));
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim().replace(/^export\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    values[key] = value.startsWith("'") ? unquote(value) : expand(unquote(value), known);
  }
  return values;
}

/** A value that cannot be interpolated is kept as written (compose would refuse the file). */
function expand(value: string, lookup: Lookup): string {
  if (!value.includes('$')) return value;
  try {
    return interpolate(value, lookup);
  } catch (error) {
    if (error instanceof InterpolationError) return value;
    throw error;
  }
}

function unquote(value: string): string {
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) {
    const inner = value.slice(1, -1);
    return quote === '"' ? inner.replace(/\\n/g, '\n').replace(/\\"/g, '"') : inner;
  }
  return value.replace(/\s+#.*$/, '');
}
