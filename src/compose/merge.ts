/**
 * Compose's merge rules for several files, `extends` and `include` (the compose specification's
 * merge page, as Compose 2.26 applies it): mappings merge, sequences append, scalars are replaced,
 * `!reset` removes and `!override` replaces. Pure.
 */
import { Override, Reset } from './yaml.js';

type Raw = Record<string, unknown>;

/** Sequences Compose 2.26 merges without repeats; every other sequence is appended as it is. */
const UNIQUE_SEQUENCES = new Set(['tags', 'profiles', 'extra_hosts']);
/** Sequences a later file replaces (a healthcheck's `test` is one command). */
const REPLACED_SEQUENCES = new Set(['test']);

/**
 * `over` laid on `base`: mappings merge, sequences append (`tags`, `profiles` and `extra_hosts`
 * without repeats), the rest is replaced. `key` is the name the values are found under.
 */
export function merge(base: unknown, over: unknown, key?: string): unknown {
  if (over instanceof Reset) return undefined;
  if (over instanceof Override) return strip(over.value);
  if (isRecord(base) && isRecord(over)) {
    const out: Raw = { ...base };
    for (const [name, value] of Object.entries(over)) {
      if (value instanceof Reset) delete out[name];
      else out[name] = name in base ? merge(base[name], value, name) : strip(value);
    }
    return out;
  }
  if (Array.isArray(base) && Array.isArray(over) && !(key !== undefined && REPLACED_SEQUENCES.has(key))) {
    const all = [...base, ...over.map(strip)];
    return key !== undefined && UNIQUE_SEQUENCES.has(key) ? unique(all) : all;
  }
  return strip(over);
}

/** Drops the merge tags once nothing is left to merge: `!reset` removes, `!override` is its value. */
export function strip(value: unknown): unknown {
  if (value instanceof Reset) return undefined;
  if (value instanceof Override) return strip(value.value);
  if (Array.isArray(value)) return value.map(strip);
  if (isRecord(value)) {
    const out: Raw = {};
    for (const [key, entry] of Object.entries(value)) {
      const stripped = strip(entry);
      if (stripped !== undefined) out[key] = stripped;
    }
    return out;
  }
  return value;
}

function unique(values: unknown[]): unknown[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = JSON.stringify(value);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function isRecord(value: unknown): value is Raw {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Reset) &&
    !(value instanceof Override)
  );
}
