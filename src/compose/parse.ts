/**
 * Parses a compose file's text into its services: pure, no file access.
 * Follows the compose specification for `build:` (short string form and long form) and interpolates
 * `${VAR}` in values as compose does. YAML errors and a file without `services` are a `UserError`
 * naming the file and line; a malformed service is recorded on that service alone.
 */
import { isMap, isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { UserError } from '../util/errors.js';
import { interpolate, InterpolationError, type Lookup } from './interpolate.js';

/**
 * Big compose files repeat one anchor in every service (`<<: *common`); yaml's default limit (100)
 * is for hostile files. This allows thousands of services and still stops a billion-laughs file.
 */
const MAX_ALIAS_COUNT = 10_000;

export interface ComposeBuild {
  /** As written, relative to the compose file's folder (or absolute). */
  context: string;
  dockerfile?: string;
  dockerfileInline?: string;
  target?: string;
  args: Record<string, string>;
  /** compose `build.network`, e.g. `host`. */
  network?: string;
}

export interface ComposeService {
  name: string;
  /** Line of the service's key in the compose file. */
  line: number;
  image?: string;
  build?: ComposeBuild;
  /** A mistake in this service's definition. */
  error?: string;
  /** The service's mapping as read (interpolated), and the line of each key path in it (`deploy.resources`). */
  fields?: Record<string, unknown>;
  lines?: Record<string, number>;
}

export function parseCompose(text: string, file: string, lookup: Lookup): ComposeService[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true, merge: true });
  const [yamlError] = doc.errors;
  if (yamlError) {
    const line = yamlError.linePos?.[0]?.line;
    throw new UserError(`invalid YAML: ${firstLine(yamlError.message)}`, file, line);
  }
  interpolateValues(doc, file, lineCounter, lookup);

  const services = doc.get('services', true);
  if (services === undefined || services === null) {
    throw new UserError('no `services:` section: is this a compose file?', file);
  }
  if (!isMap(services)) {
    throw new UserError(
      '`services:` must be a mapping of service names',
      file,
      lineOf(services, lineCounter),
    );
  }
  // One conversion of the whole document: resolving aliases node by node rescans the document each time.
  const values = servicesAsJs(doc, file, lineOf(services, lineCounter));
  return services.items.map((pair) => {
    const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const line = lineOf(pair.key, lineCounter) ?? 1;
    const service = readService(name, line, values.get(name) ?? {}, file, lookup);
    const fields = values.get(name);
    if (isRecord(fields)) Object.assign(service, { fields, lines: keyLines(pair.value, lineCounter) });
    return service;
  });
}

function servicesAsJs(doc: Document, file: string, line: number | undefined): Map<string, unknown> {
  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT, mapAsMap: true });
  } catch (error) {
    if (error instanceof ReferenceError)
      throw new UserError('too many YAML aliases expand here; refusing to expand', file, line);
    throw error;
  }
  const services = js instanceof Map ? js.get('services') : undefined;
  const values = new Map<string, unknown>();
  if (services instanceof Map) for (const [key, value] of services) values.set(String(key), toPlain(value));
  return values;
}

/** `mapAsMap` keeps keys as written (a service named `1` stays `1`); the rest of the code reads objects. */
function toPlain(value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toPlain(v)]));
  if (Array.isArray(value)) return value.map(toPlain);
  return value;
}

function readService(
  name: string,
  line: number,
  value: unknown,
  file: string,
  lookup: Lookup,
): ComposeService {
  const where = `${file}:${line}: service "${name}"`;
  if (!isRecord(value)) return { name, line, error: `${where} must be a mapping` };
  const service: ComposeService = { name, line };
  if (typeof value.image === 'string') service.image = value.image;
  if (value.build === undefined || value.build === null) return service;
  try {
    service.build = readBuild(value.build, lookup);
  } catch (error) {
    service.error = `${where}: ${(error as Error).message}`;
  }
  return service;
}

function readBuild(build: unknown, lookup: Lookup): ComposeBuild {
  if (typeof build === 'string') return { context: build, args: {} };
  if (!isRecord(build)) throw new Error('`build` must be a path or a mapping');
  const result: ComposeBuild = {
    context: optionalString(build, 'context') ?? '.',
    args: readArgs(build.args, lookup),
  };
  const dockerfile = optionalString(build, 'dockerfile');
  const inline = optionalString(build, 'dockerfile_inline');
  if (dockerfile !== undefined && inline !== undefined) {
    throw new Error('`build.dockerfile` and `build.dockerfile_inline` cannot both be set');
  }
  if (dockerfile !== undefined) result.dockerfile = dockerfile;
  if (inline !== undefined) result.dockerfileInline = inline;
  const target = optionalString(build, 'target');
  if (target !== undefined) result.target = target;
  const network = optionalString(build, 'network');
  if (network !== undefined) result.network = network;
  return result;
}

/** `args` as a map (`KEY: value`, `KEY:` for the environment's value) or a list (`KEY=value`, `KEY`). */
function readArgs(args: unknown, lookup: Lookup): Record<string, string> {
  const result: Record<string, string> = {};
  if (args === undefined || args === null) return result;
  if (Array.isArray(args)) {
    for (const entry of args) {
      const text = String(entry);
      const eq = text.indexOf('=');
      if (eq > 0) result[text.slice(0, eq)] = text.slice(eq + 1);
      else setFromEnvironment(result, text, lookup);
    }
    return result;
  }
  if (!isRecord(args)) throw new Error('`build.args` must be a mapping or a list');
  for (const [key, value] of Object.entries(args)) {
    if (value === null || value === undefined) {
      setFromEnvironment(result, key, lookup);
    } else {
      result[key] = String(value);
    }
  }
  return result;
}

/** A bare `KEY` takes the environment's value, and is left out when the environment has none. */
function setFromEnvironment(args: Record<string, string>, key: string, lookup: Lookup): void {
  const value = lookup(key);
  if (value !== undefined) args[key] = value;
}

/** Interpolates every scalar value (never keys), as compose does; errors name the line. */
function interpolateValues(doc: Document, file: string, lineCounter: LineCounter, lookup: Lookup): void {
  visit(doc, {
    Scalar(key, node) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('$')) return;
      try {
        node.value = interpolate(node.value, lookup);
      } catch (error) {
        if (!(error instanceof InterpolationError)) throw error;
        throw new UserError(error.message, file, lineOf(node, lineCounter));
      }
    },
  });
}

function optionalString(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') throw new Error(`\`build.${key}\` must be a string`);
  return String(value);
}

/** The line of every key path under `node` (`healthcheck.test`), as deep as compose's resource keys go. */
function keyLines(node: unknown, lineCounter: LineCounter, prefix = '', depth = 0): Record<string, number> {
  const lines: Record<string, number> = {};
  if (!isMap(node) || depth > 4) return lines;
  for (const pair of node.items) {
    if (!isScalar(pair.key)) continue;
    const key = `${prefix}${String(pair.key.value)}`;
    const line = lineOf(pair.key, lineCounter);
    if (line !== undefined) lines[key] = line;
    Object.assign(lines, keyLines(pair.value, lineCounter, `${key}.`, depth + 1));
  }
  return lines;
}

function lineOf(node: unknown, lineCounter: LineCounter): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? lineCounter.linePos(range[0]).line : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? text;
}
