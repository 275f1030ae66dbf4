/**
 * The docker command line for one service's build: a pure function of the service's build spec,
 * the builder and the options, so every variant is table-tested without an engine. Every compose
 * build option reaches BuildKit as `docker compose build` passes it: target, args, additional
 * contexts, secrets (a file path or an environment variable's name, never a value), ssh, network,
 * platforms, labels, shm_size, extra_hosts, pull, no_cache, and compose's cache_from/cache_to
 * beside the cache step's own.
 */
import type { BuildSpec } from '../plan/model.js';
import type { Builder } from './builder.js';

export interface BuildCommandOptions {
  tag: string;
  /** File the image id is written to. */
  iidFile: string;
  /** Network for RUN steps (`host`, `none`), overriding the service's own. */
  network?: string;
  /** Extra `--cache-from`/`--cache-to`/... arguments chosen by the cache step. */
  cacheArgs?: string[];
  /** The tag each service's image gets in this run, for `additional_contexts: service:NAME`. */
  serviceTag?: (service: string) => string;
}

export interface BuildCommand {
  args: string[];
  env: Record<string, string>;
  /** Text for stdin: the inline Dockerfile, when there is one. */
  input?: string;
}

export function buildCommand(builder: Builder, spec: BuildSpec, options: BuildCommandOptions): BuildCommand {
  const buildx = builder.kind === 'buildx';
  const args = buildx ? ['buildx', 'build'] : ['build'];
  if (buildx && builder.name) args.push('--builder', builder.name);
  args.push('--progress=plain', '--tag', options.tag, '--iidfile', options.iidFile);
  if (buildx) args.push('--load');
  if (spec.dockerfileInline !== undefined) args.push('--file', '-');
  else if (spec.dockerfile) args.push('--file', spec.dockerfile);
  if (spec.target) args.push('--target', spec.target);
  for (const [key, value] of Object.entries(spec.args)) args.push('--build-arg', `${key}=${value}`);
  const network = options.network ?? spec.network;
  if (network) args.push('--network', network);
  for (const [name, value] of Object.entries(spec.additionalContexts ?? {})) {
    args.push('--build-context', `${name}=${contextSource(value, options)}`);
  }
  for (const secret of spec.secrets ?? []) {
    const source = secret.file !== undefined ? `src=${secret.file}` : `env=${secret.env ?? secret.id}`;
    args.push('--secret', `id=${secret.id},${source}`);
  }
  for (const ssh of spec.ssh ?? []) args.push('--ssh', ssh);
  if (spec.platforms?.length) args.push('--platform', spec.platforms.join(','));
  for (const [key, value] of Object.entries(spec.labels ?? {})) args.push('--label', `${key}=${value}`);
  if (spec.shmSize !== undefined) args.push('--shm-size', spec.shmSize);
  for (const host of spec.extraHosts ?? []) args.push('--add-host', host.replace('=', ':'));
  if (spec.pull) args.push('--pull');
  if (spec.noCache) args.push('--no-cache');
  for (const from of spec.cacheFrom ?? []) args.push('--cache-from', from);
  if (buildx) for (const to of spec.cacheTo ?? []) args.push('--cache-to', to);
  args.push(...(options.cacheArgs ?? []));
  args.push(spec.context);

  const env: Record<string, string> = builder.kind === 'docker' ? { DOCKER_BUILDKIT: '1' } : {};
  const command: BuildCommand = { args, env };
  if (spec.dockerfileInline !== undefined) command.input = spec.dockerfileInline;
  return command;
}

/** `service:NAME` is that service's image in this run; paths and `docker-image://` stay. */
function contextSource(value: string, options: BuildCommandOptions): string {
  if (!value.startsWith('service:')) return value;
  const service = value.slice('service:'.length);
  if (!options.serviceTag) throw new Error(`bug: no image tag given for service ${service}`);
  return `docker-image://${options.serviceTag(service)}`;
}

/**
 * Why this builder cannot build the spec as compose would, in one line, or undefined. The
 * daemon's built-in BuildKit (`docker build` before 23) has no named contexts, no cache export and
 * one platform at a time.
 */
export function unsupportedOptions(builder: Builder, spec: BuildSpec): string | undefined {
  if (builder.kind === 'buildx') return undefined;
  const missing: string[] = [];
  if (Object.keys(spec.additionalContexts ?? {}).length > 0) missing.push('additional_contexts');
  if ((spec.platforms?.length ?? 0) > 1) missing.push('several platforms');
  if ((spec.cacheTo?.length ?? 0) > 0) missing.push('cache_to');
  if (missing.length === 0) return undefined;
  return `${missing.join(', ')} need buildx; \`docker build\` ${builder.version} cannot build them`;
}

/**
 * The platforms of a build that the engine's builder cannot build (`docker buildx inspect` lists
 * what it can), as one line, or undefined when all can be built.
 */
export function unbuildablePlatforms(spec: BuildSpec, enginePlatforms: string[]): string | undefined {
  if (!spec.platforms?.length || enginePlatforms.length === 0) return undefined;
  const normal = (p: string): string => p.trim().toLowerCase().replace(/\/v8$/, '').replace(/\/$/, '');
  const known = new Set(enginePlatforms.map(normal));
  const missing = spec.platforms.filter((p) => !known.has(normal(p)));
  if (missing.length === 0) return undefined;
  return `platform ${missing.join(', ')} cannot be built by this engine (it builds ${enginePlatforms.join(', ')})`;
}
