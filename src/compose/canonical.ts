/**
 * The canonical form of one file's services, before merging: every short syntax expanded (`build:
 * ./x`, args and labels as lists, extra hosts as a mapping, secrets as names), paths absolute from
 * the file's project directory, values in the shape `docker compose config` prints. `!reset` and
 * `!override` pass through for the merge. Pure.
 */
import path from 'node:path';
import type { Lookup } from './interpolate.js';
import { isRecord } from './merge.js';
import type { ComposeBuild, ComposeSecret, ComposeServiceModel } from './model.js';
import { RUN_KEYS, runOf, runValue } from './run.js';
import { Override, Reset } from './yaml.js';

export type Raw = Record<string, unknown>;

export interface Scope {
  /** Folder relative paths are resolved from. */
  dir: string;
  lookup: Lookup;
}

export const BAD = '\u0000not a mapping';

export class ShapeError extends Error {}

export function canonicalService(raw: Raw, scope: Scope): Raw {
  const out: Raw = {};
  if ('image' in raw) out.image = keep(raw.image, (v) => scalar(v, 'image'));
  if ('profiles' in raw) out.profiles = keep(raw.profiles, (v) => stringList(v, 'profiles'));
  if ('build' in raw && raw.build !== null) out.build = keep(raw.build, (v) => canonicalBuild(v, scope));
  // How it runs, in compose's printed shape before the merge (a string test and a list test, a
  // list and a mapping of depends_on, merge as compose merges them).
  for (const key of RUN_KEYS) {
    if (key in raw && raw[key] !== null) out[key] = keep(raw[key], (v) => runValue(key, v));
  }
  return out;
}

/** Applies `fn` to a value, through an `!override` tag; `!reset` stays as it is. */
function keep(value: unknown, fn: (value: unknown) => unknown): unknown {
  if (value instanceof Reset) return value;
  if (value instanceof Override) return new Override(fn(value.value));
  return fn(value);
}

function canonicalBuild(value: unknown, scope: Scope): Raw {
  if (typeof value === 'string') return { context: contextPath(value, scope.dir) };
  if (!isRecord(value)) throw new ShapeError('`build` must be a path or a mapping');
  const out: Raw = {};
  for (const [key, entry] of Object.entries(value)) {
    const field = `build.${key}`;
    switch (key) {
      case 'context':
        out.context = keep(entry, (v) => contextPath(scalar(v, field), scope.dir));
        break;
      case 'dockerfile':
      case 'dockerfile_inline':
      case 'target':
      case 'network':
        out[key] = keep(entry, (v) => scalar(v, field));
        break;
      case 'args':
        out.args = keep(entry, (v) => args(v, scope.lookup));
        break;
      case 'labels':
        out.labels = keep(entry, (v) => keyValues(v, field, '='));
        break;
      case 'additional_contexts':
        out.additional_contexts = keep(entry, (v) => {
          const map = keyValues(v, field, '=');
          for (const [name, where] of Object.entries(map)) map[name] = contextPath(where, scope.dir);
          return map;
        });
        break;
      case 'extra_hosts':
        out.extra_hosts = keep(entry, (v) => extraHosts(v));
        break;
      case 'ssh':
        out.ssh = keep(entry, (v) =>
          isRecord(v)
            ? Object.entries(v).map(([id, p]) => (p === null ? id : `${id}=${String(p)}`))
            : stringList(v, field),
        );
        break;
      case 'secrets':
        out.secrets = keep(entry, (v) => buildSecrets(v));
        break;
      case 'platforms':
      case 'cache_from':
      case 'cache_to':
      case 'tags':
        out[key] = keep(entry, (v) => stringList(v, field));
        break;
      case 'shm_size':
        out.shm_size = keep(entry, (v) => bytes(v));
        break;
      case 'pull':
      case 'no_cache':
        out[key] = keep(entry, (v) => boolean(v, field));
        break;
      default:
        break; // keys that do not change the image (isolation, privileged, x-*) are not needed here
    }
  }
  return out;
}

/** A local path is resolved from `dir`; URLs, `docker-image://`, `service:` are kept as written. */
function contextPath(value: string, dir: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.startsWith('git@') || value.startsWith('service:')) {
    return value;
  }
  return path.resolve(dir, value);
}

function args(value: unknown, lookup: Lookup): Record<string, string> {
  const result: Record<string, string> = {};
  if (value === null || value === undefined) return result;
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((entry) => {
        const text = String(entry);
        const eq = text.indexOf('=');
        return eq > 0 ? [text.slice(0, eq), text.slice(eq + 1)] : [text, null];
      })
    : isRecord(value)
      ? Object.entries(value)
      : [];
  if (!Array.isArray(value) && !isRecord(value))
    throw new ShapeError('`build.args` must be a mapping or a list');
  for (const [key, entry] of entries) {
    // A bare `KEY` takes the environment's value, and is left out when the environment has none.
    if (entry === null || entry === undefined) {
      const fromEnv = lookup(key);
      if (fromEnv !== undefined) result[key] = fromEnv;
    } else {
      result[key] = scalarText(entry);
    }
  }
  return result;
}

function keyValues(value: unknown, field: string, separator: string): Record<string, string> {
  const result: Record<string, string> = {};
  if (value === null || value === undefined) return result;
  if (Array.isArray(value)) {
    for (const entry of value) {
      const text = String(entry);
      const at = text.indexOf(separator);
      if (at > 0) result[text.slice(0, at)] = text.slice(at + 1);
      else result[text] = '';
    }
    return result;
  }
  if (!isRecord(value)) throw new ShapeError(`\`${field}\` must be a mapping or a list`);
  for (const [key, entry] of Object.entries(value)) result[key] = entry === null ? '' : scalarText(entry);
  return result;
}

/** `host:ip`, `host=ip` or `{host: ip}`, all as compose prints them: `host=ip`. */
function extraHosts(value: unknown): string[] {
  if (isRecord(value)) {
    return Object.entries(value).flatMap(([host, ip]) =>
      Array.isArray(ip) ? ip.map((one) => `${host}=${String(one)}`) : [`${host}=${String(ip)}`],
    );
  }
  return stringList(value, 'build.extra_hosts').map((entry) => {
    const eq = entry.indexOf('=');
    if (eq > 0) return entry;
    const colon = entry.indexOf(':');
    return colon > 0 ? `${entry.slice(0, colon)}=${entry.slice(colon + 1)}` : entry;
  });
}

function buildSecrets(value: unknown): { source: string; target?: string }[] {
  if (!Array.isArray(value)) throw new ShapeError('`build.secrets` must be a list');
  return value.map((entry) => {
    if (typeof entry === 'string') return { source: entry };
    if (!isRecord(entry) || typeof entry.source !== 'string') {
      throw new ShapeError('each of `build.secrets` is a name or has a `source`');
    }
    const out: { source: string; target?: string } = { source: entry.source };
    if (typeof entry.target === 'string') out.target = entry.target;
    return out;
  });
}

export function canonicalSecrets(secrets: Record<string, unknown>, dir: string): Raw {
  const out: Raw = {};
  for (const [name, value] of Object.entries(secrets)) {
    if (!isRecord(value)) continue;
    const secret: ComposeSecret = {};
    if (typeof value.file === 'string') secret.file = path.resolve(dir, value.file);
    if (typeof value.environment === 'string') secret.environment = value.environment;
    out[name] = secret;
  }
  return out;
}

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
};

/** `shm_size` as compose prints it: a byte count (`1g` is 1073741824). */
function bytes(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(Math.trunc(value));
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(String(value));
  const unit = match ? UNITS[(match[2] ?? '').toLowerCase()] : undefined;
  if (!match || unit === undefined)
    throw new ShapeError(`\`build.shm_size\` is not a size: ${String(value)}`);
  return String(Math.trunc(Number(match[1]) * unit));
}

function boolean(value: unknown, field: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new ShapeError(`\`${field}\` must be true or false`);
}

function scalar(value: unknown, field: string): string {
  if (value === null || value === undefined || typeof value === 'object') {
    throw new ShapeError(`\`${field}\` must be a string`);
  }
  return scalarText(value);
}

function scalarText(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

function stringList(value: unknown, field: string): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) throw new ShapeError(`\`${field}\` must be a list`);
  return value.map(String);
}

export function listOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.map(String) : [];
}

export function finalService(raw: Raw): ComposeServiceModel {
  const service: ComposeServiceModel = {};
  if (typeof raw.image === 'string') service.image = raw.image;
  if (Array.isArray(raw.profiles)) service.profiles = raw.profiles.map(String);
  if (isRecord(raw.build)) {
    const build = { ...raw.build } as unknown as ComposeBuild;
    if (typeof build.context !== 'string') build.context = '.';
    if (build.dockerfile_inline === undefined && build.dockerfile === undefined)
      build.dockerfile = 'Dockerfile';
    // Compose keeps extra hosts as a map by host name, and prints them in that order.
    if (build.extra_hosts) build.extra_hosts = [...build.extra_hosts].sort();
    service.build = build;
  }
  Object.assign(service, runOf(raw));
  return service;
}
