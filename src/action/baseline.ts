/**
 * The base branch's report for a pull request: restored from the Actions cache (the newest saved by
 * a push to the base branch) or, with `baseline: build`, built from a git worktree of the merge base
 * with the same engine and cache. Never throws: a miss is a note under the table, a failure a warning.
 *
 * The base build is a baseline, nothing more: its whole log is one collapsed group, its violations and
 * findings are never annotations (the caller's `buildAt` logs its errors as plain lines), and a base
 * service that fails to build is one warning (`baseline: rag failed to build at the merge base`).
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import type { BaselineSource } from '../pipeline/request.js';
import type { Report } from '../report/model.js';
import type { TrendRun } from '../report/trend.js';
import type { CacheClient } from '../store/actions-cache.js';
import { restoreBaseline } from '../store/baseline.js';
import { oneLine } from '../util/errors.js';
import { addWorktree, mergeBase, removeWorktree } from '../util/git.js';
import type { Log } from '../util/log.js';

export type { BaselineSource } from '../pipeline/request.js';

export interface BaselineResult {
  report?: Report;
  note: string;
  /** The size history saved with the restored baseline. */
  history?: TrendRun[];
}

export interface BaselineRequest {
  source: BaselineSource;
  baseRef: string;
  /** The repository checkout (GITHUB_WORKSPACE). */
  workspace: string;
  cache: CacheClient;
  /** Runs the same pipeline on another checkout (for `build`). */
  buildAt: (checkout: string) => Promise<Report>;
  workDir: string;
  log: Log;
}

export async function resolveBaseline(request: BaselineRequest): Promise<BaselineResult> {
  if (request.source === 'none') return { note: 'No baseline: baseline is none.' };
  const restored = await restoreBaseline({ cache: request.cache, branch: request.baseRef });
  if (restored.warning) request.log.warning(restored.warning);
  if (restored.report)
    return {
      report: restored.report,
      note: restored.note,
      ...(restored.history ? { history: restored.history } : {}),
    };
  if (request.source !== 'build') return { note: restored.note };
  return buildMergeBase(request);
}

async function buildMergeBase(request: BaselineRequest): Promise<BaselineResult> {
  mkdirSync(request.workDir, { recursive: true });
  // A fresh path for `git worktree add`, which wants to create the folder itself.
  const worktree = path.join(mkdtempSync(path.join(request.workDir, 'base-')), 'checkout');
  try {
    const base = await mergeBase(request.workspace, request.baseRef);
    await addWorktree(request.workspace, worktree, base);
    const report = await request.log.group(
      `Baseline: building ${request.baseRef} at ${base.slice(0, 12)} (merge base)`,
      () => request.buildAt(worktree),
    );
    for (const line of baseFailures(report)) request.log.warning(line);
    return {
      report,
      note: `Baseline built from the merge base with ${request.baseRef} (${base.slice(0, 12)}).`,
    };
  } catch (error) {
    request.log.warning(`baseline: build failed: ${oneLine(error)}`);
    return { note: `No baseline: building the merge base with ${request.baseRef} failed (see the log).` };
  } finally {
    await removeWorktree(request.workspace, worktree);
  }
}

/** One warning line per service of the base that failed to build there. */
export function baseFailures(report: Report): string[] {
  return report.services
    .filter((s) => s.build?.status === 'failed')
    .map((s) => `baseline: ${s.name} failed to build at the merge base`);
}
