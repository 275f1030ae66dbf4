/**
 * The baseline: the default branch's report, saved with the Actions cache and restored by pull requests
 * to compare against.
 *
 * Keys: `image-budget-baseline-<branch>-<runId>` (cache entries are immutable, so each run saves its
 * own), restored by the prefix `image-budget-baseline-<branch>-`, which the cache resolves to the newest
 * entry. Every cache failure (service down, not in Actions, key taken, corrupt entry) is a returned
 * warning, never a throw. The cache calls go through `CacheClient` (store/actions-cache.ts), so tests use a fake.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readReport } from '../report/read.js';
import type { Report } from '../report/model.js';
import { oneLine } from '../util/errors.js';
import type { CacheClient } from './actions-cache.js';
import { trendRunOf, type TrendRun } from '../report/trend.js';
import { HISTORY_FILE, historyText, MAX_HISTORY_BYTES, nextHistory, readHistory } from './history.js';
import { readTextBounded } from '../util/read-file.js';

export type { CacheClient } from './actions-cache.js';

export const BASELINE_KEY_PREFIX = 'image-budget-baseline-';
const FILE_NAME = 'image-budget-baseline.json';

/** `image-budget-baseline-<branch>-` (commas, which cache keys cannot hold, become `_`). */
export function baselineKeyPrefix(branch: string): string {
  return `${BASELINE_KEY_PREFIX}${branch.replace(/,/g, '_')}-`;
}

/** `image-budget-baseline-<branch>-<runId>[-<attempt>]`. */
export function baselineKey(branch: string, runId: string | number, attempt?: string | number): string {
  return `${baselineKeyPrefix(branch)}${runId}${attempt !== undefined && String(attempt) !== '1' ? `-${attempt}` : ''}`;
}

/**
 * The folder the baseline file goes through. The cache keys entries by their paths too, so saving and
 * restoring must use the same one: `$RUNNER_TEMP/image-budget-baseline` by default.
 */
export function defaultBaselineDir(): string {
  return path.join(process.env.RUNNER_TEMP ?? os.tmpdir(), 'image-budget-baseline');
}

export interface SaveBaselineOptions {
  cache: CacheClient;
  report: Report;
  branch: string;
  runId: string | number;
  /** `GITHUB_RUN_ATTEMPT`: a re-run saves under its own key. */
  runAttempt?: string | number;
  dir?: string;
  /** The size history this baseline carries (store/history.ts), this run last. */
  history?: TrendRun[];
}

export interface SaveBaselineResult {
  saved: boolean;
  key: string;
  warning?: string;
}

/** Save `report` as the baseline of `branch`. Never throws: failures are a `warning`. */
export async function saveBaseline(options: SaveBaselineOptions): Promise<SaveBaselineResult> {
  const key = baselineKey(options.branch, options.runId, options.runAttempt);
  const dir = options.dir ?? defaultBaselineDir();
  if (!options.cache.available()) {
    return {
      saved: false,
      key,
      warning: `baseline not saved: the Actions cache is not available here (key ${key})`,
    };
  }
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, FILE_NAME), `${JSON.stringify(options.report, null, 2)}\n`);
    rmSync(path.join(dir, HISTORY_FILE), { force: true });
    if (options.history) writeFileSync(path.join(dir, HISTORY_FILE), historyText(options.history));
    await options.cache.save([dir], key);
    return { saved: true, key };
  } catch (error) {
    return { saved: false, key, warning: `baseline not saved (cache key ${key}): ${oneLine(error)}` };
  }
}

export interface RestoreBaselineOptions {
  cache: CacheClient;
  /** The branch whose baseline to restore: the pull request's base branch. */
  branch: string;
  dir?: string;
}

export interface RestoreBaselineResult {
  report?: Report;
  /** The cache key restored. */
  key?: string;
  /** One line for the comment: where the baseline came from, or why there is none. */
  note: string;
  /** A failure the caller should log as a warning (cache outage, unreadable baseline). */
  warning?: string;
  /** The size history saved with it, oldest first; absent when it had none. */
  history?: TrendRun[];
}

/** Restore the newest baseline of `branch`. Never throws: a miss is a `note`, a failure a `warning`. */
export async function restoreBaseline(options: RestoreBaselineOptions): Promise<RestoreBaselineResult> {
  const prefix = baselineKeyPrefix(options.branch);
  const dir = options.dir ?? defaultBaselineDir();
  const none = `No baseline for ${options.branch} yet: one is saved by a push to ${options.branch} (or save-baseline: true).`;
  if (!options.cache.available()) {
    return { note: `No baseline: the Actions cache is not available here.` };
  }
  let key: string | undefined;
  try {
    rmSync(path.join(dir, FILE_NAME), { force: true });
    rmSync(path.join(dir, HISTORY_FILE), { force: true });
    key = await options.cache.restore([dir], prefix, [prefix]);
  } catch (error) {
    const warning = `baseline not restored (cache prefix ${prefix}): ${oneLine(error)}`;
    return { note: `No baseline: the cache could not be read.`, warning };
  }
  if (!key) return { note: none };
  let text: string;
  try {
    text = readFileSync(path.join(dir, FILE_NAME), 'utf8');
  } catch (error) {
    return {
      key,
      note: 'No baseline: the cached baseline had no report.',
      warning: `baseline ${key}: ${oneLine(error)}`,
    };
  }
  try {
    const report = readReport(text, `baseline ${key}`);
    const when = report.createdAt ? ` of ${report.createdAt.slice(0, 10)}` : '';
    const sha = report.git?.sha ? ` (${report.git.sha.slice(0, 7)})` : '';
    const restored: RestoreBaselineResult = {
      report,
      key,
      note: `Compared with the ${options.branch} baseline${when}${sha}.`,
    };
    const history = restoreHistory(dir, key);
    if (history.runs) restored.history = history.runs;
    if (history.warning) restored.warning = history.warning;
    return restored;
  } catch (error) {
    return { key, note: 'No baseline: the cached baseline could not be read.', warning: oneLine(error) };
  }
}

/** The history file beside a restored baseline: none is no history; a bad one is a warning. */
function restoreHistory(dir: string, key: string): { runs?: TrendRun[]; warning?: string } {
  const file = path.join(dir, HISTORY_FILE);
  let text: string;
  try {
    text = readTextBounded(file, { root: dir, maxBytes: MAX_HISTORY_BYTES });
  } catch {
    return {};
  }
  return readHistory(text, `baseline ${key}: ${HISTORY_FILE}`);
}

/**
 * The history to save with `report` as the baseline of `branch`: the runs of the branch's newest
 * baseline (restored into `dir`, by default the folder baselines are saved from, since the cache
 * keys entries by their paths too; one from before histories counts as its own run), then this one.
 * Never throws: a cache failure is a warning and the history starts again.
 */
export async function historyForSave(
  cache: CacheClient,
  branch: string,
  report: Report,
  dir?: string,
): Promise<{ runs: TrendRun[]; warning?: string }> {
  if (!cache.available()) return { runs: nextHistory([], report) };
  const previous = await restoreBaseline({ cache, branch, ...(dir ? { dir } : {}) });
  const runs = previous.history ?? (previous.report ? [trendRunOf(previous.report)] : []);
  return { runs: nextHistory(runs, report), ...(previous.warning ? { warning: previous.warning } : {}) };
}
