/**
 * The one adapter over @actions/cache (loaded when first used, so the CLI never pays for it). Every
 * folder image-budget keeps between workflow runs goes through a `CacheClient`: the baselines
 * (store/baseline.ts) and the `local` BuildKit cache folders (cache/local.ts). Tests pass a fake.
 */

/** The cache operations image-budget needs. Entries are immutable: a key is saved once. */
export interface CacheClient {
  /** Restore `paths` from the entry `primaryKey`, else the newest whose key starts with one of `restoreKeys`; the key restored, or undefined on a miss. */
  restore(paths: string[], primaryKey: string, restoreKeys: string[]): Promise<string | undefined>;
  /** Save `paths` under `key`. Throws when the service did not save them (key taken, service down). */
  save(paths: string[], key: string): Promise<void>;
  /** False outside GitHub Actions (no cache service). */
  available(): boolean;
}

/** The real cache: @actions/cache, with the runner's environment (`env`) telling whether it is there. */
export function actionsCache(env: Record<string, string | undefined> = process.env): CacheClient {
  return {
    async restore(paths, primaryKey, restoreKeys) {
      const cache = await import('@actions/cache');
      return cache.restoreCache(paths, primaryKey, restoreKeys);
    },
    async save(paths, key) {
      const cache = await import('@actions/cache');
      // @actions/cache warns and returns -1 instead of throwing for most failures.
      const id = await cache.saveCache(paths, key);
      if (id === -1) throw new Error(`the cache service did not save ${key} (see the lines above)`);
    },
    available() {
      return Boolean(env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL);
    },
  };
}
