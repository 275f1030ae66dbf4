/**
 * The Action. Two modes:
 * - `run` (default): resolve the baseline, run the pipeline, publish (report, outputs, summary,
 *   annotations, SARIF), comment on the pull request, save the baseline on the default branch, and
 *   fail the job (the step's gate, `step.fail`) when the verdict says so;
 * - `comment`: post the comment for a report made by an earlier run (the workflow_run half of the
 *   fork-safe two-workflow pattern).
 * With the CLI, the only place that turns results into an exit code. Whatever is thrown ends red.
 */
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as core from '@actions/core';
import { exitVerdict, type Verdict } from '../budget/verdict.js';
import { loadConfig } from '../config/load.js';
import { emptyConfig, type Config } from '../config/schema.js';
import { Docker } from '../docker/exec.js';
import { readEvent, type GitHubEvent, type PullRequestEvent } from '../github/event.js';
import { judging, rootOf, runOptions, type Request } from '../pipeline/request.js';
import type { PipelineDeps } from '../pipeline/deps.js';
import type { RunOptions } from '../pipeline/options.js';
import { runPipeline, type PipelineResult } from '../pipeline/run.js';
import { restoreAnalyses, saveAnalyses } from '../store/analyses.js';
import { diffReports } from '../report/diff.js';
import type { Report } from '../report/model.js';
import { readReportFiles } from '../report/read-files.js';
import { actionsCache } from '../store/actions-cache.js';
import { historyForSave, saveBaseline } from '../store/baseline.js';
import type { TrendRun } from '../report/trend.js';
import { isUserError, oneLine, UserError } from '../util/errors.js';
import { actionsLog, commandSafe, type Log } from '../util/log.js';
import { resolveBaseline, type BaselineResult } from './baseline.js';
import { postComment } from './comment.js';
import { readInputs } from './inputs.js';
import { markdownFor, publish, type PublishContext } from './publish.js';
import { step } from './step-annotations.js';
import { finishedLine } from '../render/progress.js';

interface Context {
  request: Request;
  env: Record<string, string | undefined>;
  /** The checkout (GITHUB_WORKSPACE). */
  workspace: string;
  /** The folder with the compose file: the working directory inside the checkout. */
  root: string;
  /** Temporary files, outside the checkout. */
  workDir: string;
  event: GitHubEvent | undefined;
}

/**
 * Runs the Action when `moduleUrl` (the bundle's `import.meta.url`) is the script node was started
 * with (`node dist/index.js`, as the runner does); does nothing when the bundle is imported (the CLI).
 */
export function runWhenEntry(moduleUrl: string, entry = process.argv[1]): Promise<void> | undefined {
  if (!entry) return undefined;
  try {
    if (realpathSync(entry) !== realpathSync(fileURLToPath(moduleUrl))) return undefined;
  } catch {
    return undefined;
  }
  return run();
}

/** Runs the Action with the runner's environment; never rejects: every failure ends in `setFailed`. */
export async function run(): Promise<void> {
  step.reset();
  try {
    const env = process.env;
    const request = readInputs();
    const workspace = path.resolve(env.GITHUB_WORKSPACE ?? process.cwd());
    const context: Context = {
      request,
      env,
      workspace,
      root: rootOf(request, workspace),
      workDir: path.join(env.RUNNER_TEMP ?? tmpdir(), 'image-budget'),
      event: readEventOrWarn(env),
    };
    if (request.mode === 'comment') await commentOnly(context);
    else await runAndReport(context);
  } catch (error) {
    step.fail(failureMessage(error));
  }
}

/**
 * The job's failure line for anything thrown: a user's mistake is its one line; a bug keeps its stack;
 * a thrown non-Error (a string, undefined) is named as such. Never empty, so never a green job.
 */
export function failureMessage(error: unknown): string {
  if (isUserError(error)) return oneLine(error);
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return `image-budget failed: a non-Error was thrown: ${String(error)}`;
}

async function runAndReport(context: Context): Promise<void> {
  const { request, env, event } = context;
  const options = runOptions(request, {
    base: context.workspace,
    sha: env.GITHUB_SHA?.slice(0, 12) || 'local',
    workDir: context.workDir,
  });
  const deps: PipelineDeps = { docker: new Docker(request.docker), log: pipelineLog, env };
  const pullRequest = event?.kind === 'pull_request' ? event : undefined;

  const baselineStarted = performance.now();
  const baseline = pullRequest ? await baselineOf(pullRequest, context, options, deps) : undefined;
  const baselineMs = Math.round(performance.now() - baselineStarted);
  const { report, config } = await runWithAnalyses(context, options, deps, baseline?.report);
  report.git = gitOf(env, event);
  if (pullRequest) report.phases = { ...report.phases, baselineMs };

  const { failOn, noiseThreshold } = judging(request, config);
  const verdict = exitVerdict(report, failOn);
  const diff = pullRequest ? diffReports(baseline?.report, report, noiseThreshold) : undefined;
  const branch = baselineBranch(event, env);
  const saving = (event?.kind === 'push' && event.isDefaultBranch) || request['save-baseline'];
  // A saved baseline carries the runs before it: those of the newest baseline of its branch.
  const history = saving && branch ? await historyToSave(report, branch, env) : undefined;
  const trend = history ?? baseline?.history;
  const shown: Shown = {
    report,
    verdict,
    env,
    ...(diff ? { diff } : {}),
    ...(baseline ? { baselineNote: baseline.note } : {}),
    ...(trend ? { trend } : {}),
  };
  const unwritten = await publishRun(shown, context);
  if (pullRequest) await commentOnPullRequest(pullRequest, shown, context);
  if (saving) await saveAsBaseline(report, branch, env, history);
  endStep(verdict, unwritten);
}

/** What the summary and the comment show of a run. */
type Shown = Pick<PublishContext, 'report' | 'verdict' | 'diff' | 'baselineNote' | 'env' | 'trend'>;

/** The pull request's baseline (action/baseline.ts); built, when it must be, at its base without analysis. */
function baselineOf(
  pullRequest: PullRequestEvent,
  context: Context,
  options: RunOptions,
  deps: PipelineDeps,
): Promise<BaselineResult> {
  const { request } = context;
  return resolveBaseline({
    source: request.baseline,
    baseRef: pullRequest.baseRef,
    workspace: context.workspace,
    cache: actionsCache(context.env),
    workDir: context.workDir,
    log: actionLog,
    buildAt: async (checkout) =>
      (
        await runPipeline(
          { ...options, root: rootOf(request, checkout), sha: 'baseline', analyze: false },
          { ...deps, log: baselineLog },
        )
      ).report,
  });
}

/**
 * The pipeline's run, with the layer analyses of earlier runs: a fresh runner has an empty ~/.cache,
 * so they are restored from the Actions cache before the run and saved to it after.
 */
async function runWithAnalyses(
  context: Context,
  options: RunOptions,
  deps: PipelineDeps,
  baseline: Report | undefined,
): Promise<PipelineResult> {
  const { request, env } = context;
  const analyses = {
    cache: actionsCache(env),
    dir: path.join(env.RUNNER_TEMP || context.workDir, 'image-budget-analysis'),
    scope: request['cache-scope'],
  };
  const restored = request['lint-only'] ? {} : await restoreAnalyses(analyses, env.GITHUB_RUN_ID ?? 'local');
  if (restored.warning) actionLog.warning(restored.warning);
  if (restored.key) actionLog.info(`Layer analyses restored from the Actions cache (${restored.key})`);
  const result = await runPipeline(
    {
      ...options,
      // One line per finished step, build and analysis, as they end (each build's log stays one group).
      onProgress: (event) => {
        const line = finishedLine(event);
        if (line) actionLog.info(line);
      },
      ...(analyses.cache.available() ? { analysisCacheDir: analyses.dir } : {}),
      ...(baseline ? { baseline } : {}),
    },
    deps,
  );
  const kept = await saveAnalyses(
    analyses,
    result.analysisFiles,
    env.GITHUB_RUN_ID ?? 'local',
    env.GITHUB_RUN_ATTEMPT,
  );
  if (kept.warning) actionLog.warning(kept.warning);
  return result;
}

/** The report file, outputs, annotations, SARIF and summary written; each part not written is one error. */
async function publishRun(shown: Shown, context: Context): Promise<string[]> {
  const { request } = context;
  const unwritten = await publish({
    ...shown,
    reportFile: path.resolve(context.workspace, request.report ?? path.join(context.workDir, 'report.json')),
    ...(request.sarif ? { sarifFile: path.resolve(context.workspace, request.sarif) } : {}),
    root: context.root,
    workspace: context.workspace,
  });
  for (const line of unwritten) step.error(`not written: ${line}`);
  return unwritten;
}

/** The sticky comment on the run's pull request (action/comment.ts), and the time it took. */
async function commentOnPullRequest(
  pullRequest: PullRequestEvent,
  shown: Shown,
  { request, env }: Context,
): Promise<void> {
  const commentStarted = performance.now();
  await postComment({
    ...(request['github-token'] ? { token: request['github-token'] } : {}),
    repository: pullRequest.repository,
    pullRequest: pullRequest.number,
    mode: request.comment,
    changed: shown.diff?.changed ?? true,
    failed: shown.verdict.failed,
    body: (marker) => markdownFor(shown, marker),
    env,
  });
  core.info(`Comment step: ${((performance.now() - commentStarted) / 1000).toFixed(1)} s`);
}

/** The step's end: failed by the verdict, or by a part not written; else the verdict's line. */
function endStep(verdict: Verdict, unwritten: string[]): void {
  if (verdict.failed) step.fail(`image-budget ${verdict.summary}`);
  else if (unwritten.length > 0)
    step.fail(`image-budget ${verdict.summary}, but ${unwritten.length} output(s) were not written`);
  else actionLog.info(`image-budget ${verdict.summary}`);
}

/** `mode: comment`: the report of an earlier run (an artifact), commented on its pull request. */
async function commentOnly(context: Context): Promise<void> {
  const { request, env, event } = context;
  if (!request.report)
    throw new UserError('mode: comment needs the report input: the report file of the run to comment on');
  const report = readReportFiles(
    request.report
      .split(/[\n,]/)
      .map((p) => p.trim())
      .filter(Boolean),
    context.workspace,
  );
  const fromEvent =
    event?.kind === 'workflow_run'
      ? event.pullRequestNumber
      : event?.kind === 'pull_request'
        ? event.number
        : undefined;
  const number = fromEvent ?? report.git?.pullRequest;
  // Judged as the run job judged it: the same inputs, then the config file when the repository is checked out.
  const { failOn, noiseThreshold } = judging(request, configOrWarn(request, context.root));
  const verdict = exitVerdict(report, failOn);
  let baseline: BaselineResult | undefined;
  if (report.git?.baseRef) {
    baseline = await resolveBaseline({
      source: request.baseline === 'build' ? 'cache' : request.baseline,
      baseRef: report.git.baseRef,
      workspace: context.workspace,
      cache: actionsCache(env),
      workDir: context.workDir,
      log: actionLog,
      buildAt: () => Promise.reject(new Error('mode: comment does not build')),
    });
  }
  const diff = diffReports(baseline?.report, report, noiseThreshold);
  const shown = {
    report,
    verdict,
    env,
    diff,
    ...(baseline ? { baselineNote: baseline.note } : {}),
    ...(baseline?.history ? { trend: baseline.history } : {}),
  };
  if (env.GITHUB_STEP_SUMMARY) {
    // A summary that cannot be written is one warning; the comment is still posted.
    await core.summary
      .addRaw(markdownFor(shown), true)
      .write()
      .catch((error: unknown) => step.warning(`step summary not written: ${oneLine(error)}`));
  }
  if (!number || !event || event.kind === 'other') {
    step.warning(
      'mode: comment: no pull request found in the workflow_run event or the report: nothing to comment on',
    );
    return;
  }
  await postComment({
    ...(request['github-token'] ? { token: request['github-token'] } : {}),
    repository: event.repository,
    pullRequest: number,
    mode: request.comment,
    changed: diff.changed,
    failed: verdict.failed,
    body: (marker) => markdownFor(shown, marker),
    env,
    // The number came from the (untrusted) report: its pull request must be the run's commit.
    ...(fromEvent === undefined && event.kind === 'workflow_run' ? { requireHeadSha: event.headSha } : {}),
  });
}

/**
 * The config file in comment mode: read when the workflow checked the repository out, else none (the
 * inputs and defaults decide). A broken file is a warning here: the run job already reported it.
 */
function configOrWarn(request: Request, root: string): Config {
  try {
    return loadConfig(request.config, root);
  } catch (error) {
    if (!isUserError(error)) throw error;
    step.warning(`${oneLine(error)}; judged without the config file`);
    return emptyConfig();
  }
}

/** A missing or broken event payload is one warning: the run goes on without PR features. */
function readEventOrWarn(env: Record<string, string | undefined>): GitHubEvent | undefined {
  try {
    return readEvent(env);
  } catch (error) {
    if (!isUserError(error)) throw error;
    step.warning(`${oneLine(error)}; no PR comment or baseline this run`);
    return undefined;
  }
}

function gitOf(env: Record<string, string | undefined>, event: GitHubEvent | undefined): Report['git'] {
  const git: NonNullable<Report['git']> = {};
  if (env.GITHUB_SHA) git.sha = env.GITHUB_SHA;
  if (env.GITHUB_REF) git.ref = env.GITHUB_REF;
  if (event?.kind === 'pull_request') {
    git.baseRef = event.baseRef;
    git.pullRequest = event.number;
  }
  return git;
}

function baselineBranch(
  event: GitHubEvent | undefined,
  env: Record<string, string | undefined>,
): string | undefined {
  return (
    (event?.kind === 'push' ? event.branch : undefined) ??
    (event?.kind === 'pull_request' ? event.headRef : undefined) ??
    env.GITHUB_REF_NAME
  );
}

/** The history of the branch's newest baseline with this run appended (store/history.ts). */
async function historyToSave(
  report: Report,
  branch: string,
  env: Record<string, string | undefined>,
): Promise<TrendRun[]> {
  const { runs, warning } = await historyForSave(actionsCache(env), branch, report);
  if (warning) step.warning(warning);
  return runs;
}

async function saveAsBaseline(
  report: Report,
  branch: string | undefined,
  env: Record<string, string | undefined>,
  history: TrendRun[] | undefined,
): Promise<void> {
  if (!branch) {
    step.warning('save-baseline: no branch name for this run; baseline not saved');
    return;
  }
  const saved = await saveBaseline({
    cache: actionsCache(env),
    report,
    branch,
    runId: env.GITHUB_RUN_ID ?? Date.now(),
    ...(env.GITHUB_RUN_ATTEMPT ? { runAttempt: env.GITHUB_RUN_ATTEMPT } : {}),
    ...(history ? { history } : {}),
  });
  if (saved.warning) step.warning(saved.warning);
  else actionLog.info(`Baseline saved for ${branch} (cache key ${saved.key})`);
}

/**
 * The job log: build output inside one collapsible group per service, lines command-safe; warnings
 * through the step's gate (at most 10 annotations of each level).
 */
const actionLog: Log = { ...actionsLog(core), warning: (message) => step.warning(message) };

/**
 * The pipeline's log for this run: its errors are the report's (run errors, failed builds, service
 * errors, violations), which `publish` annotates ranked and within GitHub's limits; here they are
 * plain lines, where they happen.
 */
const pipelineLog: Log = { ...actionLog, error: (message) => core.info(commandSafe(`error: ${message}`)) };

/**
 * The baseline build's log: a baseline, nothing more. Its errors and warnings are plain lines (never
 * annotations), and its output has no groups of its own: the whole build is one collapsed group
 * (action/baseline.ts).
 */
const baselineLog: Log = {
  ...actionLog,
  warning: (message) => core.info(commandSafe(`baseline: warning: ${message}`)),
  error: (message) => core.info(commandSafe(`baseline: error: ${message}`)),
  group: (_name, fn) => fn(),
};
