/**
 * The compose model both paths produce: the part of `docker compose config --format json` that a
 * build needs, with compose's own key names. `fromComposeJson` reads compose's output into it; our
 * parser (load.ts) writes it directly. Paths are absolute, as compose prints them.
 */
import { runOf, type ComposeRun } from './run.js';
import type { Problem } from '../util/errors.js';

export interface ComposeBuild {
  /** Absolute path (or a remote URL, kept as written). */
  context: string;
  /** Relative to the context (or absolute), as written; absent with `dockerfile_inline`. */
  dockerfile?: string;
  dockerfile_inline?: string;
  target?: string;
  /** Values after interpolation; a bare `KEY` without a value in the environment is left out. */
  args?: Record<string, string>;
  /** name -> absolute path, `docker-image://ref`, `service:NAME`, or a URL. */
  additional_contexts?: Record<string, string>;
  secrets?: { source: string; target?: string }[];
  /** `default` or `id=path`. */
  ssh?: string[];
  network?: string;
  platforms?: string[];
  labels?: Record<string, string>;
  /** Bytes, as a decimal string. */
  shm_size?: string;
  /** `host=ip`. */
  extra_hosts?: string[];
  pull?: boolean;
  no_cache?: boolean;
  cache_from?: string[];
  cache_to?: string[];
  tags?: string[];
}

/** A service: what it builds, and how it runs (the keys deploy fit reads, see run.ts). */
export interface ComposeServiceModel extends ComposeRun {
  build?: ComposeBuild;
  image?: string;
  profiles?: string[];
}

export interface ComposeSecret {
  /** Absolute path. */
  file?: string;
  /** Name of the environment variable holding the value. */
  environment?: string;
}

export interface ComposeModel {
  /** The project name compose derives (the project folder's name, lower-cased), or `name:`. */
  name?: string;
  services: Record<string, ComposeServiceModel>;
  secrets: Record<string, ComposeSecret>;
}

/** Where a service was declared, for messages that name the file and line. */
export interface ServiceOrigin {
  /** Relative to the repository root. */
  file: string;
  line?: number;
}

/** A loaded project: the model, and what went wrong on the way (one line each). */
export interface ComposeProject {
  model: ComposeModel;
  /** The compose files read, absolute, in order. */
  files: string[];
  origins: Record<string, ServiceOrigin>;
  /**
   * Line of each key path of a service (`healthcheck.test`, `deploy.resources.limits.memory`) in
   * its origin file. Only our parser knows lines: the Compose v2 path takes them from it.
   */
  keyLines?: Record<string, Record<string, number>>;
  /** A mistake that belongs to one service (an `extends` of a missing service). */
  serviceErrors: Record<string, Problem>;
  /** File-level mistakes: the other files and services still count. */
  errors: Problem[];
  warnings: string[];
  /** Which path made the model. */
  source: 'compose-v2' | 'parser';
  /** Our parser refused a file (a cap on size, nesting or aliases; a path outside the repository):
   * Compose must not be given it either. */
  refused?: boolean;
}

/** Reads `docker compose config --format json` output into the model (unknown keys ignored). */
export function fromComposeJson(json: unknown): ComposeModel {
  const root = record(unescapeDollars(json));
  const model: ComposeModel = { services: {}, secrets: {} };
  if (typeof root.name === 'string') model.name = root.name;
  for (const [name, value] of Object.entries(record(root.services))) {
    const service = record(value);
    const entry: ComposeServiceModel = {};
    if (typeof service.image === 'string') entry.image = service.image;
    const profiles = strings(service.profiles);
    if (profiles) entry.profiles = profiles;
    if (service.build !== undefined && service.build !== null)
      entry.build = buildFromJson(record(service.build));
    Object.assign(entry, runOf(service));
    model.services[name] = entry;
  }
  for (const [name, value] of Object.entries(record(root.secrets))) {
    const secret = record(value);
    const entry: ComposeSecret = {};
    if (typeof secret.file === 'string') entry.file = secret.file;
    if (typeof secret.environment === 'string') entry.environment = secret.environment;
    model.secrets[name] = entry;
  }
  return model;
}

function buildFromJson(build: Record<string, unknown>): ComposeBuild {
  const result: ComposeBuild = { context: typeof build.context === 'string' ? build.context : '.' };
  for (const key of ['dockerfile', 'dockerfile_inline', 'target', 'network', 'shm_size'] as const) {
    const value = build[key];
    if (typeof value === 'string' || typeof value === 'number') result[key] = String(value);
  }
  for (const key of ['args', 'additional_contexts', 'labels'] as const) {
    const value = stringMap(build[key]);
    if (value) result[key] = value;
  }
  for (const key of ['ssh', 'platforms', 'extra_hosts', 'cache_from', 'cache_to', 'tags'] as const) {
    const value = strings(build[key]);
    if (value) result[key] = value;
  }
  if (typeof build.pull === 'boolean') result.pull = build.pull;
  if (typeof build.no_cache === 'boolean') result.no_cache = build.no_cache;
  if (Array.isArray(build.secrets)) {
    result.secrets = build.secrets.map((entry) => {
      const secret = record(entry);
      const out: { source: string; target?: string } = { source: String(secret.source) };
      if (typeof secret.target === 'string') out.target = secret.target;
      return out;
    });
  }
  return result;
}

/** `docker compose config` prints `$` as `$$` (its output is a compose file again): the values are `$`. */
function unescapeDollars(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('$$', '$');
  if (Array.isArray(value)) return value.map(unescapeDollars);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, unescapeDollars(entry)]));
  }
  return value;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.map(String) : undefined;
}

function stringMap(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) if (entry !== null) out[key] = String(entry);
  return out;
}
