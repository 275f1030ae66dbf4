/**
 * The build cache for a run: which backend, the builder it needs, the `--cache-from`/`--cache-to`
 * arguments per service, and what to do after each build and at the end (e.g. save a local cache).
 * A cache that cannot be read or written is a warning: builds go on without it.
 */
import type { Builder } from '../build/builder.js';
import type { Docker } from '../docker/exec.js';
import type { Log } from '../util/log.js';

export type CacheBackend = 'auto' | 'gha' | 'local' | 'registry' | 'inline' | 'none';

export interface CacheOptions {
  backend: CacheBackend;
  /** Prefix of per-service scopes and keys, e.g. `image-budget`. */
  scopePrefix: string;
  /** `registry` backend: the cache image reference. */
  registryRef?: string;
  /** A buildx builder to use (remote, Kubernetes, ...). */
  builderName?: string;
  /** Folder for local caches, outside the repository. */
  workDir: string;
  env: Record<string, string | undefined>;
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
}

export async function openCache(
  _docker: Docker,
  builder: Builder,
  _options: CacheOptions,
  _log: Log,
): Promise<CacheSession> {
  return {
    backend: 'none',
    builder,
    argsFor: () => [],
    afterBuild: async () => undefined,
    finish: async () => undefined,
  };
}
