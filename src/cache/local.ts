/**
 * The `local` backend: one BuildKit cache folder per service (`type=local`), kept between runs.
 *
 * BuildKit adds to a `type=local` destination and never removes anything from it, so exporting
 * into the folder it imported from grows without bound. Instead each build imports from
 * `<service>` and exports to a fresh `<service>.new`, which replaces `<service>` after the build:
 * the folder only ever holds what the last build used. So that the export does not write the whole
 * cache again, `<service>.new` starts with the previous folder's blobs hard-linked in (blobs are
 * content-addressed and never rewritten; copied when a link cannot be made): BuildKit skips a blob
 * the destination already has. After the export, the blobs that no manifest of the new index.json
 * reaches are removed. Between runs on GitHub the folders are
 * restored and saved through a `DirStore` (@actions/cache, immutable keys with the run id,
 * restored by prefix); elsewhere they live in a persistent folder and need no store.
 */
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { actionsCache, type CacheClient } from '../store/actions-cache.js';
import { oneLine } from '../util/errors.js';
import { safeName } from './args.js';

/** Where folders are kept between runs: @actions/cache on GitHub, a fake in tests. */
export interface DirStore {
  /** Restores `dir`; returns the key restored (exact or by prefix), or undefined on a miss. */
  restore(dir: string, key: string, restoreKeys: string[]): Promise<string | undefined>;
  /** Saves `dir` under `key` (immutable: a key is never overwritten). */
  save(dir: string, key: string): Promise<void>;
}

export interface LocalDirs {
  /** Folder to import from; absent when there is none or it is unusable. */
  from?: string;
  /** Fresh folder to export to. */
  to: string;
  warning?: string;
}

export class LocalCache {
  private readonly dirty = new Set<string>();

  /**
   * @param root folder holding one sub-folder per service.
   * @param prefix scope prefix of the store's keys.
   * @param runKey unique per run (run id and attempt): keys are immutable, so each run saves a new one.
   * @param store absent outside GitHub: `root` itself persists.
   */
  constructor(
    readonly root: string,
    private readonly prefix: string,
    private readonly runKey: string,
    private readonly store?: DirStore,
  ) {}

  /** A warning when the root folder cannot be created or written, else undefined. */
  checkWritable(): string | undefined {
    try {
      mkdirSync(this.root, { recursive: true });
      const probe = path.join(this.root, `.write-probe-${process.pid}`);
      writeFileSync(probe, '');
      rmSync(probe, { force: true });
      return undefined;
    } catch (error) {
      return `local cache folder ${this.root} is not writable (${oneLine(error)})`;
    }
  }

  dirOf(service: string): string {
    return path.join(this.root, safeName(service));
  }

  keyOf(service: string): string {
    return `${this.restorePrefixOf(service)}${this.runKey}`;
  }

  /** `@` cannot appear in a compose service name, so `api@` never matches `api-v2@...`. */
  restorePrefixOf(service: string): string {
    return `${safeName(this.prefix)}-${safeName(service)}@`;
  }

  /** Restores each service's folder from the store; returns one warning per failure. */
  async restore(services: string[]): Promise<Map<string, string>> {
    const warnings = new Map<string, string>();
    if (!this.store) return warnings;
    for (const service of services) {
      const dir = this.dirOf(service);
      try {
        await this.store.restore(dir, this.keyOf(service), [this.restorePrefixOf(service)]);
      } catch (error) {
        warnings.set(
          service,
          `local cache of ${service} not restored (${oneLine(error)}): building without it`,
        );
      }
    }
    return warnings;
  }

  /** The folders of one build. Removes a stale `.new` folder; ignores a corrupt cache folder. */
  dirsFor(service: string): LocalDirs {
    const dir = this.dirOf(service);
    const to = `${dir}.new`;
    rmSync(to, { recursive: true, force: true });
    if (!existsSync(dir)) return { to };
    const problem = layoutProblem(dir);
    if (!problem) {
      const warning = seedBlobs(dir, to);
      return warning ? { from: dir, to, warning } : { from: dir, to };
    }
    return {
      to,
      warning: `local cache ${dir} is corrupt (${problem}): ignored, this build writes a fresh one`,
    };
  }

  /** Swaps the new folder in after a successful build; returns a warning when it could not. */
  async afterBuild(service: string, succeeded: boolean): Promise<string | undefined> {
    const dir = this.dirOf(service);
    const fresh = `${dir}.new`;
    if (!succeeded) {
      await rm(fresh, { recursive: true, force: true });
      return undefined;
    }
    if (layoutProblem(fresh)) {
      await rm(fresh, { recursive: true, force: true });
      return `the build of ${service} exported no local cache: the previous one is kept`;
    }
    try {
      pruneBlobs(fresh);
      await rm(dir, { recursive: true, force: true });
      await rename(fresh, dir);
      this.dirty.add(service);
      return undefined;
    } catch (error) {
      return `local cache of ${service} not replaced (${oneLine(error)})`;
    }
  }

  /** Saves the folders that changed; returns one warning per failure. */
  async finish(): Promise<string[]> {
    if (!this.store) return [];
    const warnings: string[] = [];
    for (const service of this.dirty) {
      try {
        await this.store.save(this.dirOf(service), this.keyOf(service));
      } catch (error) {
        warnings.push(`local cache of ${service} not saved (${oneLine(error)})`);
      }
    }
    this.dirty.clear();
    return warnings;
  }
}

/** Why `dir` is not a usable OCI layout written by BuildKit, or undefined when it is. */
export function layoutProblem(dir: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(dir, 'index.json'), 'utf8');
  } catch {
    return 'no index.json';
  }
  try {
    const index = JSON.parse(text) as { manifests?: unknown };
    if (!Array.isArray(index.manifests) || index.manifests.length === 0)
      return 'index.json lists no manifests';
  } catch {
    return 'index.json is not JSON';
  }
  if (!existsSync(path.join(dir, 'blobs'))) return 'no blobs folder';
  return undefined;
}

/**
 * Puts every blob of `from` into `to` (hard links, else copies), so that exporting into `to` writes
 * only the blobs that changed. Returns a warning when it could not (the export then writes them all).
 */
export function seedBlobs(from: string, to: string): string | undefined {
  try {
    for (const algorithm of readdirSync(path.join(from, 'blobs'), { withFileTypes: true })) {
      if (!algorithm.isDirectory()) continue;
      const source = path.join(from, 'blobs', algorithm.name);
      const target = path.join(to, 'blobs', algorithm.name);
      mkdirSync(target, { recursive: true });
      for (const blob of readdirSync(source, { withFileTypes: true })) {
        if (!blob.isFile()) continue;
        try {
          linkSync(path.join(source, blob.name), path.join(target, blob.name));
        } catch (error) {
          // Another filesystem (EXDEV) or no links allowed (EPERM): a copy does the same job.
          if (!isCode(error, 'EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP')) throw error;
          copyFileSync(path.join(source, blob.name), path.join(target, blob.name));
        }
      }
    }
    return undefined;
  } catch (error) {
    rmSync(to, { recursive: true, force: true });
    return `local cache ${from}: its blobs were not carried over (${oneLine(error)}): this build exports them all again`;
  }
}

const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
]);
/** A manifest or index blob is read to follow its references; a bigger one is not a manifest. */
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

interface Descriptor {
  mediaType?: unknown;
  digest?: unknown;
}

/**
 * The blobs (`algorithm/hex`) that `dir/index.json` reaches through its manifests and indexes, or
 * undefined when one of them cannot be read (nothing may then be pruned).
 */
export function referencedBlobs(dir: string): Set<string> | undefined {
  const seen = new Set<string>();
  const queue: Descriptor[] = [];
  const follow = (doc: unknown): void => {
    if (typeof doc !== 'object' || doc === null) return;
    const { manifests, layers, config } = doc as { manifests?: unknown; layers?: unknown; config?: unknown };
    for (const list of [manifests, layers])
      if (Array.isArray(list))
        queue.push(...(list.filter((d) => typeof d === 'object' && d) as Descriptor[]));
    if (typeof config === 'object' && config) queue.push(config as Descriptor);
  };
  try {
    follow(JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')));
    for (let descriptor = queue.shift(); descriptor; descriptor = queue.shift()) {
      const match =
        typeof descriptor.digest === 'string'
          ? /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([A-Za-z0-9=_-]+)$/.exec(descriptor.digest)
          : null;
      if (!match) return undefined;
      const blob = `${match[1]}/${match[2]}`;
      if (seen.has(blob)) continue;
      seen.add(blob);
      if (typeof descriptor.mediaType === 'string' && INDEX_TYPES.has(descriptor.mediaType)) {
        const file = path.join(dir, 'blobs', match[1]!, match[2]!);
        if (statSync(file).size > MAX_MANIFEST_BYTES) return undefined;
        follow(JSON.parse(readFileSync(file, 'utf8')));
      }
    }
  } catch {
    return undefined;
  }
  return seen;
}

/** Removes the blobs of `dir` that its index.json does not reach; keeps all when it cannot tell. */
export function pruneBlobs(dir: string): string[] {
  const keep = referencedBlobs(dir);
  if (!keep) return [];
  const removed: string[] = [];
  for (const algorithm of readdirSync(path.join(dir, 'blobs'), { withFileTypes: true })) {
    if (!algorithm.isDirectory()) continue;
    for (const blob of readdirSync(path.join(dir, 'blobs', algorithm.name))) {
      const name = `${algorithm.name}/${blob}`;
      if (keep.has(name)) continue;
      rmSync(path.join(dir, 'blobs', algorithm.name, blob), { force: true });
      removed.push(name);
    }
  }
  return removed.sort();
}

function isCode(error: unknown, ...codes: string[]): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && codes.includes(code);
}

/**
 * The root of the local caches. On GitHub (a store is used) a path that is the same in every run,
 * as @actions/cache requires; elsewhere `$XDG_CACHE_HOME/image-budget` or `~/.cache/image-budget`,
 * which persists and is never inside the user's repository.
 */
export function localRoot(
  env: Record<string, string | undefined>,
  prefix: string,
  withStore: boolean,
  workDir: string,
): string {
  if (withStore) return path.join(env.RUNNER_TEMP || workDir, 'image-budget-cache', safeName(prefix));
  const base = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache');
  return path.join(base, 'image-budget', 'buildx', safeName(prefix));
}

/** The one @actions/cache adapter (store/actions-cache.ts) as a `DirStore`. */
export function actionsStore(client: CacheClient = actionsCache()): DirStore {
  return {
    restore: (dir, key, restoreKeys) => client.restore([dir], key, restoreKeys),
    save: (dir, key) => client.save([dir], key),
  };
}
