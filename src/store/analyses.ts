/**
 * The layer analyses between workflow runs: on GitHub every run starts on a fresh runner with an
 * empty ~/.cache, so the analysis folder is restored before the builds and saved after them with the
 * Actions cache. Keys: `image-budget-analysis-<scope>-<runId>[-<attempt>]` (entries are immutable),
 * restored by the prefix `image-budget-analysis-<scope>-`, which the cache resolves to the newest.
 * Before saving, files this run did not use are removed, so the entry holds what the last run read
 * and does not grow without bound. Every cache failure is a returned warning, never a throw.
 */
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { oneLine } from '../util/errors.js';
import type { CacheClient } from './actions-cache.js';

export const ANALYSIS_KEY_PREFIX = 'image-budget-analysis-';

export function analysisKeyPrefix(scope: string): string {
  return `${ANALYSIS_KEY_PREFIX}${scope.replace(/[^A-Za-z0-9_.-]/g, '-')}-`;
}

export function analysisKey(scope: string, runId: string | number, attempt?: string | number): string {
  return `${analysisKeyPrefix(scope)}${runId}${attempt !== undefined && String(attempt) !== '1' ? `-${attempt}` : ''}`;
}

export interface AnalysesPlace {
  cache: CacheClient;
  /** The analysis folder (the same path for restore and save: the cache keys entries by path too). */
  dir: string;
  scope: string;
}

/** Restores the newest saved analyses into `dir`; returns the key restored, or a warning. */
export async function restoreAnalyses(
  place: AnalysesPlace,
  runId: string | number,
): Promise<{ key?: string; warning?: string }> {
  if (!place.cache.available()) return {};
  try {
    const key = await place.cache.restore([place.dir], analysisKey(place.scope, runId), [
      analysisKeyPrefix(place.scope),
    ]);
    return key ? { key } : {};
  } catch (error) {
    return { warning: `layer analyses not restored from the Actions cache: ${oneLine(error)}` };
  }
}

/** Removes what this run did not use, then saves the folder; returns a warning on failure. */
export async function saveAnalyses(
  place: AnalysesPlace,
  used: readonly string[],
  runId: string | number,
  attempt?: string | number,
): Promise<{ saved: boolean; removed: number; warning?: string }> {
  if (!place.cache.available() || used.length === 0) return { saved: false, removed: 0 };
  const removed = prune(place.dir, new Set(used));
  try {
    await place.cache.save([place.dir], analysisKey(place.scope, runId, attempt));
    return { saved: true, removed };
  } catch (error) {
    return {
      saved: false,
      removed,
      warning: `layer analyses not saved to the Actions cache: ${oneLine(error)}`,
    };
  }
}

/** Deletes every file under `dir` whose relative path is not in `keep`; returns how many. */
export function prune(dir: string, keep: ReadonlySet<string>): number {
  let removed = 0;
  let entries;
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (keep.has(path.relative(dir, file).split(path.sep).join('/'))) continue;
    rmSync(file, { force: true });
    removed += 1;
  }
  return removed;
}
