/**
 * How compose runs a service, the part deploy fit reads (src/deploy/): memory limits and
 * reservations, replicas, restart policy, healthcheck, `depends_on` conditions. One normaliser for
 * both paths, so that our parser's model and Compose v2's `config --format json` come out the same:
 * byte values as decimal strings (a value that is not a size is kept as written, for the deploy check
 * to name), a healthcheck `test` as a list (`CMD-SHELL` for a string), `depends_on` as a mapping of
 * conditions. Pure.
 */
import { composeBytes } from './bytes.js';

export interface ComposeRun {
  /** Bytes as a decimal string (or the value as written when it is not a size). */
  mem_limit?: unknown;
  mem_reservation?: unknown;
  deploy?: {
    replicas?: number;
    resources?: { limits?: { memory?: unknown }; reservations?: { memory?: unknown } };
    restart_policy?: { condition?: string };
  };
  healthcheck?: { test?: string[]; disable?: boolean };
  restart?: string;
  scale?: number;
  depends_on?: Record<string, { condition?: string }>;
}

/** The service keys deploy fit reads, in compose's names. */
export const RUN_KEYS = [
  'mem_limit',
  'mem_reservation',
  'deploy',
  'healthcheck',
  'restart',
  'scale',
  'depends_on',
] as const;

type RunKey = (typeof RUN_KEYS)[number];

/** One key's value in the shape compose prints it; undefined drops it. Idempotent. */
export function runValue(key: RunKey, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  switch (key) {
    case 'mem_limit':
    case 'mem_reservation':
      return composeBytes(value);
    case 'deploy':
      return deployOf(value);
    case 'healthcheck':
      return healthcheckOf(value);
    case 'restart':
      // YAML 1.1's unquoted `no` is false; compose means "no".
      return value === false ? 'no' : typeof value === 'object' ? undefined : String(value);
    case 'scale':
      return count(value);
    case 'depends_on':
      return dependsOnOf(value);
  }
}

/** The run keys of a service mapping (compose's JSON, or our merged service), normalised. */
export function runOf(service: Record<string, unknown>): ComposeRun {
  const out: Record<string, unknown> = {};
  for (const key of RUN_KEYS) {
    const value = runValue(key, service[key]);
    if (value !== undefined) out[key] = value;
  }
  return out as ComposeRun;
}

function deployOf(value: unknown): ComposeRun['deploy'] | undefined {
  const deploy = record(value);
  if (!deploy) return undefined;
  const out: NonNullable<ComposeRun['deploy']> = {};
  const replicas = count(deploy.replicas);
  if (replicas !== undefined) out.replicas = replicas;
  const resources = record(deploy.resources);
  if (resources) {
    const res: NonNullable<NonNullable<ComposeRun['deploy']>['resources']> = {};
    for (const kind of ['limits', 'reservations'] as const) {
      const memory = record(resources[kind])?.memory;
      if (memory !== undefined && memory !== null) res[kind] = { memory: composeBytes(memory) };
    }
    if (Object.keys(res).length > 0) out.resources = res;
  }
  const condition = record(deploy.restart_policy)?.condition;
  if (typeof condition === 'string') out.restart_policy = { condition };
  return out;
}

function healthcheckOf(value: unknown): ComposeRun['healthcheck'] | undefined {
  const hc = record(value);
  if (!hc) return undefined;
  const out: NonNullable<ComposeRun['healthcheck']> = {};
  if (typeof hc.test === 'string') out.test = ['CMD-SHELL', hc.test];
  else if (Array.isArray(hc.test)) out.test = hc.test.map(String);
  if (hc.disable === true || hc.disable === 'true') out.disable = true;
  return out;
}

function dependsOnOf(value: unknown): ComposeRun['depends_on'] | undefined {
  const out: NonNullable<ComposeRun['depends_on']> = {};
  if (Array.isArray(value)) {
    for (const name of value) out[String(name)] = { condition: 'service_started' };
    return out;
  }
  const map = record(value);
  if (!map) return undefined;
  for (const [name, entry] of Object.entries(map)) {
    const condition = record(entry)?.condition;
    out[name] = { condition: typeof condition === 'string' ? condition : 'service_started' };
  }
  return out;
}

function count(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
