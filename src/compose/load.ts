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
import { isUserError, problem, problemOf, UserError, type Problem } from '../util/errors.js';
import { relativePath } from '../util/paths.js';
import { readTextBounded } from '../util/read-file.js';
import { parseDotEnv } from './dotenv.js';
import type { Lookup } from './interpolate.js';
import {
  BAD,
  canonicalSecrets,
  canonicalService,
  finalService,
  listOf,
  ShapeError,
  type Raw,
  type Scope,
} from './canonical.js';
import { isRecord, merge, strip } from './merge.js';
import type { ComposeModel, ComposeProject, ComposeSecret } from './model.js';
import { parseYaml, YamlLimitError } from './yaml.js';

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

interface FileServices {
  services: Map<string, Raw>;
  secrets: Record<string, unknown>;
  lines: Map<string, number>;
  keyLines: Map<string, Record<string, number>>;
  name?: string;
  raw: Raw;
}

/** The service names Compose accepts. */
const SERVICE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

class Loader {
  readonly errors: Problem[] = [];
  readonly warnings: string[] = [];
  readonly origins: ComposeProject['origins'] = {};
  /** Key lines of each service, in its origin file (where `origins` points). */
  readonly keyLines: Record<string, Record<string, number>> = {};
  readonly serviceErrors: Record<string, Problem> = {};
  private readonly parsed = new Map<string, FileServices | undefined>();
  readonly files: string[] = [];
  /** A file was refused before or while parsing (a cap, a path outside the repository). */
  refused = false;

  constructor(readonly root: string) {}

  show(file: string): string {
    return relativePath(this.root, file);
  }

  /** Reads and parses one file once; undefined (and one error line) when it cannot be. */
  read(file: string, lookup: Lookup): FileServices | undefined {
    if (this.parsed.has(file)) return this.parsed.get(file);
    let result: FileServices | undefined;
    try {
      let text: string;
      try {
        text = readTextBounded(file, { root: this.root });
      } catch (error) {
        this.refused = true; // outside the repository, not a regular file, over the cap
        throw error;
      }
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
        if (!SERVICE_NAME.test(name)) {
          // Compose refuses it too; the name is not quoted, it may hold anything.
          const line = yaml.serviceLines.get(name);
          this.errors.push(
            problem(
              'a service name holds only letters, digits, `.`, `_` and `-`: service skipped',
              this.show(file),
              line,
            ),
          );
          continue;
        }
        services.set(name, isRecord(value) ? value : value === null ? {} : { [BAD]: true });
      }
      result = {
        services,
        secrets: isRecord(raw.secrets) ? raw.secrets : {},
        lines: yaml.serviceLines,
        keyLines: yaml.keyLines,
        raw,
      };
      if (typeof raw.name === 'string') result.name = raw.name;
      this.files.push(file);
    } catch (error) {
      if (!isUserError(error)) throw error;
      if (error instanceof YamlLimitError) this.refused = true;
      this.errors.push(problemOf(error));
    }
    this.parsed.set(file, result);
    return result;
  }

  /** A problem of one service, at its line: `service "<name>"` and `rest` (which begins with `:` or a space). */
  about(file: string, name: string, lines: Map<string, number>, rest: string): Problem {
    return problem(`service "${name}"${rest}`, this.show(file), lines.get(name));
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
          this.errors.push(
            problem(`service "${key}" is defined twice (included and declared)`, this.show(file)),
          );
          continue;
        }
        services[key] = value;
      }
      secrets = merge(secrets, included.secrets) as Raw;
      for (const key of loaded.services.keys()) {
        const resolved = this.service(file, key, scope, [], included.services);
        if (isProblem(resolved)) this.serviceErrors[key] ??= resolved;
        if (resolved === undefined || isProblem(resolved)) continue;
        if (key in included.services) {
          this.errors.push(
            this.about(file, key, loaded.lines, ' conflicts with the service of the same name it includes'),
          );
          continue;
        }
        services[key] = key in services ? merge(services[key], resolved) : withContext(resolved, scope.dir);
        if (!(key in this.origins)) this.keyLines[key] = loaded.keyLines.get(key) ?? {};
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
      this.errors.push(problem('`include` must be a list', this.show(file)));
      return result;
    }
    const here = path.dirname(file);
    for (const entry of entries) {
      const spec = typeof entry === 'string' ? { path: entry } : isRecord(entry) ? entry : {};
      const paths = listOf(spec.path).map((p) => path.resolve(here, p));
      if (paths.length === 0) {
        this.errors.push(problem('an `include` entry has no path', this.show(file)));
        continue;
      }
      const loop = paths.find((p) => p === file || chain.includes(p));
      if (loop) {
        this.errors.push(
          problem(
            `include loop: ${[...chain, file, loop].map((f) => this.show(f)).join(' -> ')}`,
            this.show(file),
          ),
        );
        continue;
      }
      const missing = paths.find((p) => !existsSync(p));
      if (missing) {
        this.errors.push(problem(`included file ${this.show(missing)} not found`, this.show(file)));
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
          this.errors.push(problem(`service "${key}" is included twice`, this.show(file)));
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
        this.errors.push(problemOf(error));
      }
    }
    return outer;
  }

  /** One service with its `extends` resolved, in the canonical form, or the problem that stops it. */
  private service(
    file: string,
    name: string,
    scope: Scope,
    chain: string[],
    included: Raw,
  ): Raw | Problem | undefined {
    const loaded = this.read(file, scope.lookup);
    const raw = loaded?.services.get(name);
    if (!loaded || !raw) return undefined;
    const where = (rest: string) => this.about(file, name, loaded.lines, rest);
    if (raw[BAD]) {
      return where(' must be a mapping');
    }
    let own: Raw;
    try {
      own = canonicalService(raw, scope);
    } catch (error) {
      if (!(error instanceof ShapeError)) throw error;
      return where(`: ${error.message}`);
    }
    const extend = raw.extends;
    if (extend === undefined || extend === null) return own;
    const spec = typeof extend === 'string' ? { service: extend } : isRecord(extend) ? extend : {};
    if (typeof spec.service !== 'string') {
      return where(': `extends` needs a service name');
    }
    const baseFile = typeof spec.file === 'string' ? path.resolve(path.dirname(file), spec.file) : file;
    const key = `${baseFile}#${spec.service}`;
    if (chain.includes(key) || key === `${file}#${name}`) {
      const names = [...chain, `${file}#${name}`, key].map((k) => {
        const [f, s] = k.split('#');
        return `${this.show(f ?? '')} ${s ?? ''}`;
      });
      return where(`: extends loop: ${names.join(' -> ')}`);
    }
    if (baseFile !== file && !existsSync(baseFile)) {
      return where(`: extends file ${this.show(baseFile)} not found`);
    }
    const baseLoaded = this.read(baseFile, scope.lookup);
    if (!baseLoaded) {
      return where(`: extends a service of ${this.show(baseFile)}, which cannot be read`);
    }
    if (!baseLoaded.services.has(spec.service)) {
      const fromInclude = baseFile === file ? included[spec.service] : undefined;
      if (fromInclude) return merge(fromInclude, own) as Raw;
      return where(` extends "${spec.service}", which ${this.show(baseFile)} does not define`);
    }
    // Paths of a service from another file are relative to that file.
    const baseScope = baseFile === file ? scope : { ...scope, dir: path.dirname(baseFile) };
    const base = this.service(baseFile, spec.service, baseScope, [...chain, `${file}#${name}`], {});
    if (isProblem(base)) return base; // names the file and service where it went wrong
    if (!base) return where(': its `extends` failed');
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
    name: lookup('COMPOSE_PROJECT_NAME') || project.name || projectName(dir),
    services: {},
    secrets: {},
  };
  for (const [name, value] of Object.entries(project.services)) {
    model.services[name] = finalService(strip(value) as Raw);
  }
  if (Object.keys(model.services).length === 0 && loader.errors.length === 0 && loader.files.length > 0) {
    loader.errors.push(
      problem(
        'no `services:` section: is this a compose file?',
        loader.files.map((f) => loader.show(f)).join(', '),
      ),
    );
  }
  for (const [name, value] of Object.entries(strip(project.secrets) as Raw)) {
    if (isRecord(value)) model.secrets[name] = value as ComposeSecret;
  }
  return {
    model,
    files: loader.files,
    origins: loader.origins,
    keyLines: loader.keyLines,
    serviceErrors: loader.serviceErrors,
    errors: loader.errors,
    warnings: loader.warnings,
    source: 'parser',
    ...(loader.refused ? { refused: true } : {}),
  };
}

/** The name compose gives a project from its folder: lower case, only `a-z0-9_-`. */
export function projectName(dir: string): string {
  return path
    .basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '');
}

function line(lines: Map<string, number>, name: string): { line?: number } {
  const found = lines.get(name);
  return found === undefined ? {} : { line: found };
}

function isProblem(value: Raw | Problem | undefined): value is Problem {
  return value !== undefined && typeof (value as Problem).message === 'string' && !(BAD in value);
}
