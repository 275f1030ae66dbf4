/**
 * The build cache for a run: which backend, the builder it needs, the `--cache-from`/`--cache-to`
 * arguments per service, and what to do after each build and at the end (e.g. save a local cache).
 * A cache that cannot be read or written is a warning: builds go on without it.
 *
 * Backends (docs/cache.md): `gha` (GitHub Actions cache, per-service scope), `local` (a rotated
 * folder per service, kept by @actions/cache on GitHub or in ~/.cache elsewhere), `registry`
 * (a cache image per service), `inline` (cache metadata in the image, imported from the service's
 * previous image), `none`. `auto` picks gha on GitHub with a cache service and buildx, local with a
 * builder that can export cache, else inline.
 */
import type { Builder } from '../build/builder.js';
import type { Docker } from '../docker/exec.js';
import { oneLine } from '../util/errors.js';
import type { Log } from '../util/log.js';
import { cacheArgs, isRemoteRef, previousTag, type ResolvedBackend } from './args.js';
import { ensureContainerBuilder, inspectBuilder } from './builder.js';
import { actionsCache } from '../store/actions-cache.js';
import { LocalCache, actionsStore, localRoot, type DirStore } from './local.js';
import {
  BACKENDS,
  CONTAINER_BUILDER,
  ghaEnvProblem,
  planCache,
  type CachePlan,
  type NamedBuilder,
} from './plan.js';

export { BACKENDS as CACHE_BACKENDS } from './plan.js';
export type CacheBackend = (typeof BACKENDS)[number];

export interface CacheOptions {
  /** The backend asked for, as the user wrote it; an unknown name is a warning and means `auto`. */
  backend: string;
  /** Prefix of per-service scopes and keys, e.g. `image-budget`. */
  scopePrefix: string;
  /** `registry` backend: the cache image reference. */
  registryRef?: string;
  /** A buildx builder to use (remote, Kubernetes, ...). */
  builderName?: string;
  /** Folder for local caches, outside the repository. */
  workDir: string;
  env: Record<string, string | undefined>;
  /** The services about to be built: the `local` backend restores their folders up front. */
  services?: string[];
  /** `local` backend: the folder holding one cache folder per service (default: see docs/cache.md). */
  localDir?: string;
  /** `local` backend: where folders are kept between runs (default: @actions/cache on GitHub, none elsewhere). */
  store?: DirStore;
}

/** What the cache did for one service: copied into `BuildResult.cache`. */
export interface CacheReport {
  backend: string;
  warning?: string;
}

export interface CacheSession {
  /** The backend in use after `auto` was resolved. */
  backend: Exclude<CacheBackend, 'auto'>;
  /** The builder to build with (a docker-container builder may replace the default one). */
  builder: Builder;
  /** Extra build arguments for one service. */
  argsFor(service: string, tag: string): string[];
  /** After one service's build (success or not). */
  afterBuild(service: string, succeeded: boolean): Promise<void>;
  /** After every build: save what must be saved. */
  finish(): Promise<void>;
  /** The backend and any warning for one service, for the report (call after `afterBuild`). */
  reportFor(service: string): CacheReport;
  /**
   * A failed build's error: true (and a warning recorded) when the cache made it fail, so the
   * caller builds once more without cache arguments; false for any other failure.
   */
  failedBecauseOfCache(service: string, buildError: string): boolean;
}

/**
 * BuildKit fails a build when it cannot set up or write its cache export (a cache service that
 * refuses the token, a registry that refuses the push, a folder that cannot be written), although
 * the image itself built. Only messages that name the cache count.
 */
const CACHE_FAILURE =
  /failed to (configure|create) [\w-]+ cache (exporter|importer)|failed to export (remote )?cache|error (writing|exporting) cache|failed to (write|push) cache (manifest|blob)/i;

export function isCacheFailure(buildError: string): boolean {
  return CACHE_FAILURE.test(buildError);
}

export async function openCache(
  docker: Docker,
  builder: Builder,
  options: CacheOptions,
  log: Log,
): Promise<CacheSession> {
  const named = options.builderName ? await inspectNamed(docker, builder, options.builderName) : undefined;
  const plan = planCache({
    requested: options.backend,
    builder,
    env: options.env,
    ...(named ? { named } : {}),
    ...(options.registryRef ? { registryRef: options.registryRef } : {}),
  });
  const runWarnings = [...plan.warnings];
  const picked = await pickBuilder(docker, builder, plan, named, log);
  if (picked.warning) runWarnings.push(picked.warning);
  let backend = picked.backend;
  const warnings = serviceWarnings(log);
  let local: LocalCache | undefined;
  if (backend === 'local') {
    const opened = await openLocal(options, warnings);
    runWarnings.push(...opened.warnings);
    local = opened.local;
    if (!local) backend = 'inline';
  }
  const existingImages = backend === 'inline' ? await listImages(docker) : new Set<string>();

  for (const line of runWarnings) log.warning(line);
  log.info(
    `cache: ${backend} (${backend === plan.backend ? plan.reason : `fell back from ${plan.backend}`})`,
  );
  return cacheSession({
    docker,
    log,
    options,
    backend,
    builder: picked.builder,
    ...(local ? { local } : {}),
    existingImages,
    runWarnings,
    warnings,
  });
}

/** What `docker buildx inspect` says of the builder the user named; without buildx, nothing is asked. */
async function inspectNamed(docker: Docker, builder: Builder, name: string): Promise<NamedBuilder> {
  return builder.kind === 'buildx' ? await inspectBuilder(docker, name) : { name, exists: false };
}

/**
 * The builder the plan says to build with: the one found, the named one, or the docker-container
 * builder made (or reused) for the backend; inline cache and a warning when it cannot be made.
 */
async function pickBuilder(
  docker: Docker,
  builder: Builder,
  plan: CachePlan,
  named: NamedBuilder | undefined,
  log: Log,
): Promise<{ builder: Builder; backend: ResolvedBackend; warning?: string }> {
  if (plan.builder === 'named' && named) {
    const driver = named.driver ? { driver: named.driver } : {};
    return { builder: { ...builder, name: named.name, ...driver }, backend: plan.backend };
  }
  if (plan.builder !== 'create') return { builder, backend: plan.backend };
  try {
    const created = await ensureContainerBuilder(docker, builder, CONTAINER_BUILDER);
    log.info(
      `cache: using the docker-container builder "${CONTAINER_BUILDER}" (the ${builder.driver ?? 'current'} driver cannot export ${plan.backend} cache)`,
    );
    return { builder: created, backend: plan.backend };
  } catch (error) {
    return {
      builder,
      backend: 'inline',
      warning: `cannot create a docker-container builder for ${plan.backend} cache (${oneLine(error)}): using inline cache instead`,
    };
  }
}

/** The warnings about one service: logged as they come, and kept for its report. */
interface ServiceWarnings {
  add(service: string, line: string | undefined): void;
  of(service: string): string[];
}

function serviceWarnings(log: Log): ServiceWarnings {
  const byService = new Map<string, string[]>();
  return {
    add(service, line) {
      if (!line) return;
      log.warning(line);
      byService.set(service, [...(byService.get(service) ?? []), line]);
    },
    of: (service) => byService.get(service) ?? [],
  };
}

/**
 * The `local` backend's folders, kept between runs by the store (given, or @actions/cache when its
 * service is there) and restored for the services about to be built. No folders when they cannot be
 * written: the caller falls back to inline. `warnings` are for the whole run.
 */
async function openLocal(
  options: CacheOptions,
  perService: ServiceWarnings,
): Promise<{ local?: LocalCache; warnings: string[] }> {
  const warnings: string[] = [];
  const withStore = options.store !== undefined || !ghaEnvProblem(options.env);
  let store: DirStore | undefined = options.store;
  if (!store && withStore) {
    try {
      store = actionsStore(actionsCache(options.env));
    } catch (error) {
      warnings.push(
        `@actions/cache unavailable (${oneLine(error)}): the local cache is not kept between runs`,
      );
    }
  }
  const root = options.localDir ?? localRoot(options.env, options.scopePrefix, withStore, options.workDir);
  const runKey = `${options.env.GITHUB_RUN_ID ?? 'local'}-${options.env.GITHUB_RUN_ATTEMPT ?? '1'}`;
  const local = new LocalCache(root, options.scopePrefix, runKey, store);
  const problem = local.checkWritable();
  if (problem) return { warnings: [...warnings, `${problem}: using inline cache instead`] };
  if (store && !options.services) {
    warnings.push('local cache not restored: the services to build were not given to the cache');
  } else if (options.services) {
    for (const [service, line] of await local.restore(options.services)) perService.add(service, line);
  }
  return { local, warnings };
}

/** What a session works with, once the backend and builder are settled. */
interface SessionParts {
  docker: Docker;
  log: Log;
  options: CacheOptions;
  backend: ResolvedBackend;
  builder: Builder;
  /** The `local` backend's folders. */
  local?: LocalCache;
  /** The images the engine has (`inline` backend): a previous image is imported only when there. */
  existingImages: Set<string>;
  /** Recorded for every service. */
  runWarnings: string[];
  warnings: ServiceWarnings;
}

function cacheSession(parts: SessionParts): CacheSession {
  const { docker, log, options, backend, builder, local, existingImages, runWarnings, warnings } = parts;
  const previous = new Map<string, { tag: string; previous: string }>();
  return {
    backend,
    builder,
    argsFor(service, tag) {
      const base = { backend, service, tag, scopePrefix: options.scopePrefix } as const;
      if (backend === 'local' && local) {
        const dirs = local.dirsFor(service);
        warnings.add(service, dirs.warning);
        return cacheArgs({ ...base, local: { to: dirs.to, ...(dirs.from ? { from: dirs.from } : {}) } });
      }
      if (backend === 'inline') {
        const from = previousTag(tag, options.scopePrefix, service);
        previous.set(service, { tag, previous: from });
        const imported = inlineImport(builder, from, existingImages);
        warnings.add(service, imported.warning);
        return cacheArgs({ ...base, ...(imported.usable ? { inlineFrom: from } : {}) });
      }
      return cacheArgs({ ...base, ...(options.registryRef ? { registryRef: options.registryRef } : {}) });
    },
    async afterBuild(service, succeeded) {
      if (local) warnings.add(service, await local.afterBuild(service, succeeded));
      const inline = previous.get(service);
      if (backend === 'inline' && inline && succeeded) {
        // Keep this build as the service's previous image for the next run's --cache-from.
        const tagged = await docker.run(['tag', inline.tag, inline.previous]);
        if (tagged.code !== 0)
          warnings.add(
            service,
            `inline cache: cannot tag ${inline.previous} (${tagged.stderr.trim().split('\n')[0] ?? ''})`,
          );
        else existingImages.add(inline.previous);
      }
    },
    async finish() {
      if (local) for (const line of await local.finish()) log.warning(line);
    },
    failedBecauseOfCache(service, buildError) {
      if (backend === 'none' || !isCacheFailure(buildError)) return false;
      const reason = buildError.slice(buildError.search(CACHE_FAILURE)).split('\n')[0] ?? '';
      warnings.add(service, `cache ${backend} failed (${reason.slice(0, 200)}): built again without cache`);
      return true;
    },
    reportFor(service) {
      const lines = [...runWarnings, ...warnings.of(service)];
      return lines.length > 0 ? { backend, warning: lines.join('; ') } : { backend };
    },
  };
}

/**
 * Whether the `inline` backend imports the service's previous image `from`: one in a registry
 * always; a local one only when the engine has it and the builder can read the engine's images
 * (a container builder cannot: the warning says so).
 */
export function inlineImport(
  builder: Builder,
  from: string,
  existingImages: ReadonlySet<string>,
): { usable: boolean; warning?: string } {
  const containerBuilder =
    builder.kind === 'buildx' && builder.driver !== undefined && builder.driver !== 'docker';
  const usable = isRemoteRef(from) || (!containerBuilder && existingImages.has(from));
  if (!containerBuilder || isRemoteRef(from)) return { usable };
  return {
    usable,
    warning: `inline cache: the ${builder.driver} builder cannot read local images, so ${from} is not imported (push it to a registry, or use gha/local)`,
  };
}

async function listImages(docker: Docker): Promise<Set<string>> {
  const result = await docker.run(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
  if (result.code !== 0) return new Set();
  return new Set(
    result.stdout
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.includes('<none>')),
  );
}

export type { ResolvedBackend } from './args.js';
export type { DirStore } from './local.js';
