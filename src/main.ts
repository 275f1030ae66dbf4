/**
 * The Action. Two modes:
 * - `run` (default): resolve the baseline, run the pipeline, publish (report, outputs, summary,
 *   annotations, SARIF), comment on the pull request, save the baseline on the default branch, and
 *   fail the job through `core.setFailed` when the verdict says so;
 * - `comment`: post the comment for a report made by an earlier run (the workflow_run half of the
 *   fork-safe two-workflow pattern).
 * With the CLI, the only place that turns results into an exit code. Whatever is thrown ends red.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { parseInputBudgets } from './budget/judge.js';
import { exitVerdict } from './budget/verdict.js';
import { parseSizeOption } from './config/units.js';
import { Docker } from './docker/exec.js';
import { readEvent, type GitHubEvent } from './github/event.js';
import { resolveBaseline, type BaselineResult } from './action/baseline.js';
import { postComment } from './action/comment.js';
import { readInputs, type ActionInputs } from './action/inputs.js';
import { markdownFor, publish } from './action/publish.js';
import { DEFAULT_TAG, type RunOptions } from './pipeline/options.js';
import { runPipeline } from './pipeline/run.js';
import { diffReports, DEFAULT_NOISE_THRESHOLD } from './report/diff.js';
import type { Report } from './report/model.js';
import { readReportFiles } from './report/read-files.js';
import { actionsCache, saveBaseline } from './store/baseline.js';
import { isUserError, oneLine, UserError } from './util/errors.js';
import type { Log } from './util/log.js';

interface Context {
  inputs: ActionInputs;
  env: Record<string, string | undefined>;
  /** The checkout (GITHUB_WORKSPACE). */
  workspace: string;
  /** The folder with the compose file: the working directory inside the checkout. */
  root: string;
  /** Temporary files, outside the checkout. */
  workDir: string;
  event: GitHubEvent | undefined;
}

export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    const env = process.env;
    const workspace = path.resolve(env.GITHUB_WORKSPACE ?? process.cwd());
    const context: Context = {
      inputs,
      env,
      workspace,
      root: path.resolve(workspace, inputs.workingDirectory),
      workDir: path.join(env.RUNNER_TEMP ?? tmpdir(), 'image-budget'),
      event: readEventOrWarn(env),
    };
    if (inputs.mode === 'comment') await commentOnly(context);
    else await runAndReport(context);
  } catch (error) {
    // A user's mistake is one line; a bug keeps its stack. Nothing thrown ends the job green.
    if (isUserError(error)) core.setFailed(oneLine(error));
    else if (error instanceof Error) core.setFailed(error.stack ?? error.message);
    else core.setFailed(`image-budget failed: ${String(error)}`);
  }
}

async function runAndReport(context: Context): Promise<void> {
  const { inputs, env, event } = context;
  const options = runOptions(context);
  const deps = { docker: new Docker(inputs.docker), log: actionLog, env };
  const pullRequest = event?.kind === 'pull_request' ? event : undefined;

  let baseline: BaselineResult | undefined;
  if (pullRequest) {
    baseline = await resolveBaseline({
      source: inputs.baseline,
      baseRef: pullRequest.baseRef,
      workspace: context.workspace,
      cache: actionsCache(),
      workDir: context.workDir,
      log: actionLog,
      buildAt: async (checkout) =>
        (
          await runPipeline(
            {
              ...options,
              root: path.resolve(checkout, inputs.workingDirectory),
              sha: 'baseline',
              analyze: false,
            },
            { ...deps, log: { ...actionLog, group: (_name, fn) => fn() } },
          )
        ).report,
    });
  }
  const { report, config } = await runPipeline(
    { ...options, ...(baseline?.report ? { baseline: baseline.report } : {}) },
    deps,
  );
  report.git = gitOf(env, event);

  const verdict = exitVerdict(report, inputs.failOn ?? config.failOn ?? 'error');
  const noise =
    parseSizeOption('input noise-threshold', inputs.noiseThreshold) ??
    config.noiseThreshold ??
    DEFAULT_NOISE_THRESHOLD;
  const diff = pullRequest ? diffReports(baseline?.report, report, noise) : undefined;
  const shown = {
    report,
    verdict,
    env,
    ...(diff ? { diff } : {}),
    ...(baseline ? { baselineNote: baseline.note } : {}),
  };
  await publish({
    ...shown,
    reportFile: path.resolve(context.workspace, inputs.report ?? path.join(context.workDir, 'report.json')),
    ...(inputs.sarif ? { sarifFile: path.resolve(context.workspace, inputs.sarif) } : {}),
    root: context.root,
    workspace: context.workspace,
  });
  if (pullRequest) {
    await postComment({
      ...(inputs.githubToken ? { token: inputs.githubToken } : {}),
      repository: pullRequest.repository,
      pullRequest: pullRequest.number,
      mode: inputs.comment,
      changed: diff?.changed ?? true,
      failed: verdict.failed,
      body: (marker) => markdownFor(shown, marker),
      env,
    });
  }
  if ((event?.kind === 'push' && event.isDefaultBranch) || inputs.saveBaseline)
    await saveAsBaseline(report, event, env);

  if (verdict.failed) core.setFailed(`image-budget ${verdict.summary}`);
  else core.info(`image-budget ${verdict.summary}`);
}

/** `mode: comment`: the report of an earlier run (an artifact), commented on its pull request. */
async function commentOnly(context: Context): Promise<void> {
  const { inputs, env, event } = context;
  if (!inputs.report)
    throw new UserError('mode: comment needs the report input: the report file of the run to comment on');
  const report = readReportFiles(
    inputs.report
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
  const verdict = exitVerdict(report, inputs.failOn ?? 'error');
  let baseline: BaselineResult | undefined;
  if (report.git?.baseRef) {
    baseline = await resolveBaseline({
      source: inputs.baseline === 'build' ? 'cache' : inputs.baseline,
      baseRef: report.git.baseRef,
      workspace: context.workspace,
      cache: actionsCache(),
      workDir: context.workDir,
      log: actionLog,
      buildAt: () => Promise.reject(new Error('mode: comment does not build')),
    });
  }
  const noise = parseSizeOption('input noise-threshold', inputs.noiseThreshold) ?? DEFAULT_NOISE_THRESHOLD;
  const diff = diffReports(baseline?.report, report, noise);
  const shown = { report, verdict, env, diff, ...(baseline ? { baselineNote: baseline.note } : {}) };
  if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdownFor(shown), true).write();
  if (!number || !event || event.kind === 'other') {
    core.warning(
      'mode: comment: no pull request found in the workflow_run event or the report: nothing to comment on',
    );
    return;
  }
  await postComment({
    ...(inputs.githubToken ? { token: inputs.githubToken } : {}),
    repository: event.repository,
    pullRequest: number,
    mode: inputs.comment,
    changed: diff.changed,
    failed: verdict.failed,
    body: (marker) => markdownFor(shown, marker),
    env,
    // The number came from the (untrusted) report: its pull request must be the run's commit.
    ...(fromEvent === undefined && event.kind === 'workflow_run' ? { requireHeadSha: event.headSha } : {}),
  });
}

function runOptions(context: Context): RunOptions {
  const { inputs, env } = context;
  const options: RunOptions = {
    root: context.root,
    tag: inputs.tag ?? DEFAULT_TAG,
    sha: env.GITHUB_SHA?.slice(0, 12) || 'local',
    docker: inputs.docker,
    workDir: context.workDir,
    lintOnly: inputs.lintOnly,
    cache: inputs.cache,
    analyze: inputs.analyze,
    budgets: parseInputBudgets({
      maxSize: inputs.maxSize,
      maxTotalSize: inputs.maxTotalSize,
      maxBuildTime: inputs.maxBuildTime,
      maxGrowth: inputs.maxGrowth,
    }),
  };
  const minFreeDisk = parseSizeOption('input min-free-disk', inputs.minFreeDisk);
  if (minFreeDisk !== undefined) options.minFreeDisk = minFreeDisk;
  if (inputs.compose) options.compose = inputs.compose;
  if (inputs.config) options.config = inputs.config;
  if (inputs.services) options.services = inputs.services;
  if (inputs.profiles) options.profiles = inputs.profiles;
  if (inputs.network) options.network = inputs.network;
  if (inputs.cacheScope) options.cacheScope = inputs.cacheScope;
  if (inputs.cacheRegistryRef) options.cacheRegistryRef = inputs.cacheRegistryRef;
  if (inputs.builder) options.builder = inputs.builder;
  return options;
}

/** A missing or broken event payload is one warning: the run goes on without PR features. */
function readEventOrWarn(env: Record<string, string | undefined>): GitHubEvent | undefined {
  try {
    return readEvent(env);
  } catch (error) {
    if (!isUserError(error)) throw error;
    core.warning(`${oneLine(error)}; no PR comment or baseline this run`);
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

async function saveAsBaseline(
  report: Report,
  event: GitHubEvent | undefined,
  env: Record<string, string | undefined>,
): Promise<void> {
  const branch =
    (event?.kind === 'push' ? event.branch : undefined) ??
    (event?.kind === 'pull_request' ? event.headRef : undefined) ??
    env.GITHUB_REF_NAME;
  if (!branch) {
    core.warning('save-baseline: no branch name for this run; baseline not saved');
    return;
  }
  const saved = await saveBaseline({
    cache: actionsCache(),
    report,
    branch,
    runId: env.GITHUB_RUN_ID ?? Date.now(),
    ...(env.GITHUB_RUN_ATTEMPT ? { runAttempt: env.GITHUB_RUN_ATTEMPT } : {}),
  });
  if (saved.warning) core.warning(saved.warning);
  else core.info(`Baseline saved for ${branch} (cache key ${saved.key})`);
}

/** The job log: build output inside one collapsible group per service. */
const actionLog: Log = {
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  error: (message) => core.error(message),
  group: (name, fn) => core.group(name, fn),
  mask: (value) => core.setSecret(value),
};
