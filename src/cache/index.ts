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
import { cacheArgs, isRemoteRef, previousTag } from './args.js';
import { ensureContainerBuilder, inspectBuilder } from './builder.js';
import { actionsCache } from '../store/actions-cache.js';
import { LocalCache, actionsStore, localRoot, type DirStore } from './local.js';
import { BACKENDS, CONTAINER_BUILDER, ghaEnvProblem, planCache, type NamedBuilder } from './plan.js';

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
  let named: NamedBuilder | undefined;
  if (options.builderName) {
    named =
      builder.kind === 'buildx'
        ? await inspectBuilder(docker, options.builderName)
        : { name: options.builderName, exists: false };
  }
  const plan = planCache({
    requested: options.backend,
    builder,
    env: options.env,
    ...(named ? { named } : {}),
    ...(options.registryRef ? { registryRef: options.registryRef } : {}),
  });
  const runWarnings = [...plan.warnings];
  let backend = plan.backend;
  let chosen: Builder = builder;
  if (plan.builder === 'named' && named)
    chosen = { ...builder, name: named.name, ...(named.driver ? { driver: named.driver } : {}) };
  if (plan.builder === 'create') {
    try {
      chosen = await ensureContainerBuilder(docker, builder, CONTAINER_BUILDER);
      log.info(
        `cache: using the docker-container builder "${CONTAINER_BUILDER}" (the ${builder.driver ?? 'current'} driver cannot export ${backend} cache)`,
      );
    } catch (error) {
      runWarnings.push(
        `cannot create a docker-container builder for ${backend} cache (${oneLine(error)}): using inline cache instead`,
      );
      backend = 'inline';
    }
  }

  let local: LocalCache | undefined;
  const serviceWarnings = new Map<string, string[]>();
  const warn = (service: string, line: string | undefined): void => {
    if (!line) return;
    log.warning(line);
    serviceWarnings.set(service, [...(serviceWarnings.get(service) ?? []), line]);
  };
  if (backend === 'local') {
    const withStore = options.store !== undefined || !ghaEnvProblem(options.env);
    let store: DirStore | undefined = options.store;
    if (!store && withStore) {
      try {
        store = actionsStore(actionsCache(options.env));
      } catch (error) {
        runWarnings.push(
          `@actions/cache unavailable (${oneLine(error)}): the local cache is not kept between runs`,
        );
      }
    }
    const root = options.localDir ?? localRoot(options.env, options.scopePrefix, withStore, options.workDir);
    const runKey = `${options.env.GITHUB_RUN_ID ?? 'local'}-${options.env.GITHUB_RUN_ATTEMPT ?? '1'}`;
    local = new LocalCache(root, options.scopePrefix, runKey, store);
    const problem = local.checkWritable();
    if (problem) {
      runWarnings.push(`${problem}: using inline cache instead`);
      local = undefined;
      backend = 'inline';
    } else if (store && !options.services) {
      runWarnings.push('local cache not restored: the services to build were not given to the cache');
    } else if (options.services) {
      for (const [service, line] of await local.restore(options.services)) warn(service, line);
    }
  }

  let existingImages = new Set<string>();
  if (backend === 'inline') existingImages = await listImages(docker);

  for (const line of runWarnings) log.warning(line);
  log.info(
    `cache: ${backend} (${backend === plan.backend ? plan.reason : `fell back from ${plan.backend}`})`,
  );

  const previous = new Map<string, { tag: string; previous: string }>();
  return {
    backend,
    builder: chosen,
    argsFor(service, tag) {
      const base = { backend, service, tag, scopePrefix: options.scopePrefix } as const;
      if (backend === 'local' && local) {
        const dirs = local.dirsFor(service);
        warn(service, dirs.warning);
        return cacheArgs({ ...base, local: { to: dirs.to, ...(dirs.from ? { from: dirs.from } : {}) } });
      }
      if (backend === 'inline') {
        const from = previousTag(tag, options.scopePrefix, service);
        previous.set(service, { tag, previous: from });
        const containerBuilder =
          chosen.kind === 'buildx' && chosen.driver !== undefined && chosen.driver !== 'docker';
        const usable = isRemoteRef(from) || (!containerBuilder && existingImages.has(from));
        if (containerBuilder && !isRemoteRef(from)) {
          warn(
            service,
            `inline cache: the ${chosen.driver} builder cannot read local images, so ${from} is not imported (push it to a registry, or use gha/local)`,
          );
        }
        return cacheArgs({ ...base, ...(usable ? { inlineFrom: from } : {}) });
      }
      return cacheArgs({ ...base, ...(options.registryRef ? { registryRef: options.registryRef } : {}) });
    },
    async afterBuild(service, succeeded) {
      if (local) warn(service, await local.afterBuild(service, succeeded));
      const inline = previous.get(service);
      if (backend === 'inline' && inline && succeeded) {
        // Keep this build as the service's previous image for the next run's --cache-from.
        const tagged = await docker.run(['tag', inline.tag, inline.previous]);
        if (tagged.code !== 0)
          warn(
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
      warn(service, `cache ${backend} failed (${reason.slice(0, 200)}): built again without cache`);
      return true;
    },
    reportFor(service) {
      const lines = [...runWarnings, ...(serviceWarnings.get(service) ?? [])];
      return lines.length > 0 ? { backend, warning: lines.join('; ') } : { backend };
    },
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
