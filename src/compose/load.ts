/**
 * Our own reading of a compose project, for engines without Compose v2: the files in order with
 * compose's merge rules (mappings merge, sequences append, scalars are replaced,
 * `!reset` removes, `!override` replaces), `extends` (same file or another, paths relative to the
 * file that declares them), `include` (path, project_directory, env_file), the `.env` file (or the
 * env files given) for interpolation, and profiles as a field of each service. The result has the
 * shape of `docker compose config --format json` (see model.ts). Only reads files, bounded and
 * inside the repository; every mistake is one line naming the file, and the rest still loads.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isUserError, oneLine, UserError } from '../util/errors.js';
import { relativePath } from '../util/paths.js';
import { readTextBounded } from '../util/read-file.js';
import { parseDotEnv } from './dotenv.js';
import type { Lookup } from './interpolate.js';
import type {
  ComposeBuild,
  ComposeModel,
  ComposeProject,
  ComposeSecret,
  ComposeServiceModel,
} from './model.js';
import { Override, parseYaml, Reset } from './yaml.js';

export interface LoadInput {
  /** The repository root (absolute): every file read must stay inside it. */
  root: string;
  /** The compose files, absolute, in order (at least one). */
  files: string[];
  /** The project directory (absolute); the first file's folder by default. */
  projectDirectory?: string;
  /** Env files for interpolation (absolute); `.env` in the project directory by default. */
  envFiles?: string[];
  env: Record<string, string | undefined>;
}

type Raw = Record<string, unknown>;

interface Scope {
  /** Folder relative paths are resolved from. */
  dir: string;
  lookup: Lookup;
}

interface FileServices {
  services: Map<string, Raw>;
  secrets: Record<string, unknown>;
  lines: Map<string, number>;
  name?: string;
  raw: Raw;
}

class Loader {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  readonly origins: ComposeProject['origins'] = {};
  readonly serviceErrors: Record<string, string> = {};
  private readonly parsed = new Map<string, FileServices | undefined>();
  readonly files: string[] = [];

  constructor(readonly root: string) {}

  show(file: string): string {
    return relativePath(this.root, file);
  }

  /** Reads and parses one file once; undefined (and one error line) when it cannot be. */
  read(file: string, lookup: Lookup): FileServices | undefined {
    if (this.parsed.has(file)) return this.parsed.get(file);
    let result: FileServices | undefined;
    try {
      const text = readTextBounded(file, { root: this.root });
      const yaml = parseYaml(text, this.show(file), lookup);
      const raw = isRecord(yaml.value) ? yaml.value : {};
      if (yaml.value !== null && !isRecord(yaml.value)) {
        throw new UserError('a compose file must be a mapping', this.show(file));
      }
      const services = new Map<string, Raw>();
      if (raw.services !== undefined && raw.services !== null && !isRecord(raw.services)) {
        throw new UserError('`services:` must be a mapping of service names', this.show(file));
      }
      for (const [name, value] of Object.entries(isRecord(raw.services) ? raw.services : {})) {
        services.set(name, isRecord(value) ? value : value === null ? {} : { [BAD]: true });
      }
      result = { services, secrets: isRecord(raw.secrets) ? raw.secrets : {}, lines: yaml.serviceLines, raw };
      if (typeof raw.name === 'string') result.name = raw.name;
      this.files.push(file);
    } catch (error) {
      if (!isUserError(error)) throw error;
      this.errors.push(oneLine(error));
    }
    this.parsed.set(file, result);
    return result;
  }

  where(file: string, name: string, lines: Map<string, number>): string {
    const line = lines.get(name);
    return `${this.show(file)}${line ? `:${line}` : ''}: service "${name}"`;
  }

  /**
   * The services and secrets of a list of files merged in order (a project, or an include).
   * `scope.dir` is the project directory; `chain` the include chain, for loops.
   */
  project(files: string[], scope: Scope, chain: string[]): { services: Raw; secrets: Raw; name?: string } {
    const services: Raw = {};
    let secrets: Raw = {};
    let name: string | undefined;
    for (const file of files) {
      const loaded = this.read(file, scope.lookup);
      if (!loaded) continue;
      if (loaded.name !== undefined) name = loaded.name;
      const included = this.includes(file, loaded, scope, chain);
      for (const [key, value] of Object.entries(included.services)) {
        if (key in services) {
          this.errors.push(`${this.show(file)}: service "${key}" is defined twice (included and declared)`);
          continue;
        }
        services[key] = value;
      }
      secrets = merge(secrets, included.secrets) as Raw;
      for (const key of loaded.services.keys()) {
        const resolved = this.service(file, key, scope, [], included.services);
        if (typeof resolved === 'string') this.serviceErrors[key] ??= resolved;
        if (typeof resolved !== 'object') continue;
        if (key in included.services) {
          this.errors.push(
            `${this.where(file, key, loaded.lines)} conflicts with the service of the same name it includes`,
          );
          continue;
        }
        services[key] = key in services ? merge(services[key], resolved) : withContext(resolved, scope.dir);
        this.origins[key] ??= { file: this.show(file), ...line(loaded.lines, key) };
      }
      secrets = merge(secrets, canonicalSecrets(loaded.secrets, scope.dir)) as Raw;
    }
    return { services, secrets, ...(name !== undefined ? { name } : {}) };
  }

  /** `include:` entries of one file, each a project of its own (its folder, its env file). */
  private includes(
    file: string,
    loaded: FileServices,
    scope: Scope,
    chain: string[],
  ): { services: Raw; secrets: Raw } {
    const result = { services: {} as Raw, secrets: {} as Raw };
    const entries = loaded.raw.include;
    if (entries === undefined || entries === null) return result;
    if (!Array.isArray(entries)) {
      this.errors.push(`${this.show(file)}: \`include\` must be a list`);
      return result;
    }
    const here = path.dirname(file);
    for (const entry of entries) {
      const spec = typeof entry === 'string' ? { path: entry } : isRecord(entry) ? entry : {};
      const paths = listOf(spec.path).map((p) => path.resolve(here, p));
      if (paths.length === 0) {
        this.errors.push(`${this.show(file)}: an \`include\` entry has no path`);
        continue;
      }
      const loop = paths.find((p) => p === file || chain.includes(p));
      if (loop) {
        this.errors.push(
          `${this.show(file)}: include loop: ${[...chain, file, loop].map((f) => this.show(f)).join(' -> ')}`,
        );
        continue;
      }
      const missing = paths.find((p) => !existsSync(p));
      if (missing) {
        this.errors.push(`${this.show(file)}: included file ${this.show(missing)} not found`);
        continue;
      }
      const dir =
        typeof spec.project_directory === 'string'
          ? path.resolve(here, spec.project_directory)
          : path.dirname(paths[0] ?? file);
      const envFiles = listOf(spec.env_file).map((p) => path.resolve(here, p));
      const lookup = this.lookup(
        envFiles.length > 0 ? envFiles : [path.join(dir, '.env')],
        envFiles.length > 0,
        scope,
      );
      const sub = this.project(paths, { dir, lookup }, [...chain, file]);
      for (const [key, value] of Object.entries(sub.services)) {
        if (key in result.services)
          this.errors.push(`${this.show(file)}: service "${key}" is included twice`);
        else result.services[key] = value;
      }
      result.secrets = merge(result.secrets, sub.secrets) as Raw;
    }
    return result;
  }

  /** An env lookup: the process environment first, then the env files (later files win). */
  lookup(
    envFiles: string[],
    required: boolean,
    parent?: Scope,
    env?: Record<string, string | undefined>,
  ): Lookup {
    const values: Record<string, string> = {};
    const base = parent?.lookup;
    const outer: Lookup = (name) => env?.[name] ?? base?.(name) ?? values[name];
    for (const file of envFiles) {
      if (!required && !existsSync(file)) continue;
      try {
        Object.assign(values, parseDotEnv(readTextBounded(file, { root: this.root }), outer));
      } catch (error) {
        if (!isUserError(error)) throw error;
        this.errors.push(oneLine(error));
      }
    }
    return outer;
  }

  /** One service with its `extends` resolved, in the canonical form; a string is its one-line error. */
  private service(
    file: string,
    name: string,
    scope: Scope,
    chain: string[],
    included: Raw,
  ): Raw | string | undefined {
    const loaded = this.read(file, scope.lookup);
    const raw = loaded?.services.get(name);
    if (!loaded || !raw) return undefined;
    const where = this.where(file, name, loaded.lines);
    if (raw[BAD]) {
      return `${where} must be a mapping`;
    }
    let own: Raw;
    try {
      own = canonicalService(raw, scope);
    } catch (error) {
      if (!(error instanceof ShapeError)) throw error;
      return `${where}: ${error.message}`;
    }
    const extend = raw.extends;
    if (extend === undefined || extend === null) return own;
    const spec = typeof extend === 'string' ? { service: extend } : isRecord(extend) ? extend : {};
    if (typeof spec.service !== 'string') {
      return `${where}: \`extends\` needs a service name`;
    }
    const baseFile = typeof spec.file === 'string' ? path.resolve(path.dirname(file), spec.file) : file;
    const key = `${baseFile}#${spec.service}`;
    if (chain.includes(key) || key === `${file}#${name}`) {
      const names = [...chain, `${file}#${name}`, key].map((k) => {
        const [f, s] = k.split('#');
        return `${this.show(f ?? '')} ${s ?? ''}`;
      });
      return `${where}: extends loop: ${names.join(' -> ')}`;
    }
    if (baseFile !== file && !existsSync(baseFile)) {
      return `${where}: extends file ${this.show(baseFile)} not found`;
    }
    const baseLoaded = this.read(baseFile, scope.lookup);
    if (!baseLoaded) {
      return `${where}: extends a service of ${this.show(baseFile)}, which cannot be read`;
    }
    if (!baseLoaded.services.has(spec.service)) {
      const fromInclude = baseFile === file ? included[spec.service] : undefined;
      if (fromInclude) return merge(fromInclude, own) as Raw;
      return `${where} extends "${spec.service}", which ${this.show(baseFile)} does not define`;
    }
    // Paths of a service from another file are relative to that file.
    const baseScope = baseFile === file ? scope : { ...scope, dir: path.dirname(baseFile) };
    const base = this.service(baseFile, spec.service, baseScope, [...chain, `${file}#${name}`], {});
    if (typeof base === 'string') return base; // names the file and service where it went wrong
    if (!base) return `${where}: its \`extends\` failed`;
    return merge(withContext(base, baseScope.dir), own) as Raw;
  }
}

/** A build without `context` (where the service first appears) builds the project directory. */
function withContext(service: Raw, dir: string): Raw {
  const build = service.build;
  if (!isRecord(build) || 'context' in build) return service;
  return { ...service, build: { context: dir, ...build } };
}

/** Loads a project with our parser. File-level mistakes are in `errors`; the rest still loads. */
export function loadProject(input: LoadInput): ComposeProject {
  const loader = new Loader(input.root);
  const first = input.files[0] ?? path.join(input.root, 'compose.yaml');
  const dir = input.projectDirectory ?? path.dirname(first);
  const envFiles = input.envFiles && input.envFiles.length > 0 ? input.envFiles : [path.join(dir, '.env')];
  const lookup = loader.lookup(envFiles, Boolean(input.envFiles?.length), undefined, input.env);
  const project = loader.project(input.files, { dir, lookup }, []);
  const model: ComposeModel = {
    name: project.name ?? projectName(dir),
    services: {},
    secrets: {},
  };
  for (const [name, value] of Object.entries(project.services)) {
    model.services[name] = finalService(strip(value) as Raw);
  }
  if (Object.keys(model.services).length === 0 && loader.errors.length === 0 && loader.files.length > 0) {
    loader.errors.push(
      `${loader.files.map((f) => loader.show(f)).join(', ')}: no \`services:\` section: is this a compose file?`,
    );
  }
  for (const [name, value] of Object.entries(strip(project.secrets) as Raw)) {
    if (isRecord(value)) model.secrets[name] = value as ComposeSecret;
  }
  return {
    model,
    files: loader.files,
    origins: loader.origins,
    serviceErrors: loader.serviceErrors,
    errors: loader.errors,
    warnings: loader.warnings,
    source: 'parser',
  };
}

/** The name compose gives a project from its folder: lower case, only `a-z0-9_-`. */
export function projectName(dir: string): string {
  return path
    .basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '');
}

// ---- the canonical form: every short syntax expanded, paths absolute, before merging ----

const BAD = '\u0000not a mapping';

class ShapeError extends Error {}

function canonicalService(raw: Raw, scope: Scope): Raw {
  const out: Raw = {};
  if ('image' in raw) out.image = keep(raw.image, (v) => scalar(v, 'image'));
  if ('profiles' in raw) out.profiles = keep(raw.profiles, (v) => stringList(v, 'profiles'));
  if ('build' in raw && raw.build !== null) out.build = keep(raw.build, (v) => canonicalBuild(v, scope));
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

function canonicalSecrets(secrets: Record<string, unknown>, dir: string): Raw {
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

function listOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.map(String) : [];
}

// ---- merging, as the compose specification's merge rules say ----

/** Sequences Compose 2.26 merges without repeats; every other sequence is appended as it is. */
const UNIQUE_SEQUENCES = new Set(['tags', 'profiles', 'extra_hosts']);

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
  if (Array.isArray(base) && Array.isArray(over)) {
    const all = [...base, ...over.map(strip)];
    return key !== undefined && UNIQUE_SEQUENCES.has(key) ? unique(all) : all;
  }
  return strip(over);
}

/** Drops the merge tags once nothing is left to merge: `!reset` removes, `!override` is its value. */
function strip(value: unknown): unknown {
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

function finalService(raw: Raw): ComposeServiceModel {
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
  return service;
}

function line(lines: Map<string, number>, name: string): { line?: number } {
  const found = lines.get(name);
  return found === undefined ? {} : { line: found };
}

function isRecord(value: unknown): value is Raw {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Reset) &&
    !(value instanceof Override)
  );
}
