/** The fake Actions cache of the store tests: what @actions/cache does, in a temporary folder. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CacheClient } from '../../src/store/actions-cache.js';

/** An in-memory Actions cache: entries are copies of the saved folder; restore by prefix, newest first. */
export class FakeCache implements CacheClient {
  entries: { key: string; dir: string }[] = [];
  failRestore?: Error;
  failSave?: Error;
  isAvailable = true;
  calls: string[] = [];
  private readonly store = mkdtempSync(path.join(os.tmpdir(), 'ib-cache-'));

  available(): boolean {
    return this.isAvailable;
  }
  async save(paths: string[], key: string): Promise<void> {
    this.calls.push(`save ${key}`);
    if (this.failSave) throw this.failSave;
    if (this.entries.some((e) => e.key === key))
      throw new Error(`Unable to reserve cache with key ${key}, another job may be creating this cache.`);
    const dir = path.join(this.store, String(this.entries.length));
    cpSync(paths[0]!, dir, { recursive: true });
    this.entries.push({ key, dir });
  }
  async restore(paths: string[], primaryKey: string, restoreKeys: string[]): Promise<string | undefined> {
    this.calls.push(`restore ${primaryKey} [${restoreKeys.join(', ')}]`);
    if (this.failRestore) throw this.failRestore;
    const exact = this.entries.find((e) => e.key === primaryKey);
    const hit =
      exact ?? [...this.entries].reverse().find((e) => restoreKeys.some((k) => e.key.startsWith(k)));
    if (!hit) return undefined;
    rmSync(paths[0]!, { recursive: true, force: true });
    cpSync(hit.dir, paths[0]!, { recursive: true });
    return hit.key;
  }
}
