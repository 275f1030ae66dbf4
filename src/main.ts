/**
 * The Action: read the inputs once, run the pipeline, publish (report file, step summary, outputs),
 * and fail the job through `core.setFailed` when the verdict says so. The only place, with the CLI,
 * that turns results into an exit code. Anything thrown ends the job red, whatever was thrown.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { parseInputBudgets } from './budget/judge.js';
import { exitVerdict, type Verdict } from './budget/verdict.js';
import { Docker } from './docker/exec.js';
import { readInputs, type ActionInputs } from './action/inputs.js';
import { DEFAULT_TAG, type RunOptions } from './pipeline/options.js';
import { runPipeline } from './pipeline/run.js';
import { renderMarkdown } from './report/markdown.js';
import type { Report } from './report/model.js';
import { isUserError, oneLine } from './util/errors.js';
import type { Log } from './util/log.js';

export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    const env = process.env;
    const root = path.resolve(env.GITHUB_WORKSPACE ?? process.cwd(), inputs.workingDirectory);
    const workDir = path.join(env.RUNNER_TEMP ?? tmpdir(), 'image-budget');
    const options = runOptions(inputs, root, workDir, env);
    const { report, config } = await runPipeline(options, { docker: new Docker(inputs.docker), log: actionLog, env });
    const verdict = exitVerdict(report, inputs.failOn ?? config.failOn ?? 'error');
    await publish(report, verdict, inputs, workDir, env);
    if (verdict.failed) core.setFailed(`image-budget ${verdict.summary}`);
    else core.info(`image-budget ${verdict.summary}`);
  } catch (error) {
    // A user's mistake is one line; a bug keeps its stack. Nothing thrown ends the job green.
    if (isUserError(error)) core.setFailed(oneLine(error));
    else if (error instanceof Error) core.setFailed(error.stack ?? error.message);
    else core.setFailed(`image-budget failed: ${String(error)}`);
  }
}

function runOptions(
  inputs: ActionInputs,
  root: string,
  workDir: string,
  env: Record<string, string | undefined>,
): RunOptions {
  const options: RunOptions = {
    root,
    tag: inputs.tag ?? DEFAULT_TAG,
    sha: env.GITHUB_SHA?.slice(0, 12) || 'local',
    docker: inputs.docker,
    workDir,
    lintOnly: inputs.lintOnly,
    cache: inputs.cache,
    budgets: parseInputBudgets({
      maxSize: inputs.maxSize,
      maxTotalSize: inputs.maxTotalSize,
      maxBuildTime: inputs.maxBuildTime,
      maxGrowth: inputs.maxGrowth,
    }),
  };
  if (inputs.compose) options.compose = inputs.compose;
  if (inputs.config) options.config = inputs.config;
  if (inputs.services) options.services = inputs.services;
  if (inputs.network) options.network = inputs.network;
  if (inputs.cacheScope) options.cacheScope = inputs.cacheScope;
  if (inputs.cacheRegistryRef) options.cacheRegistryRef = inputs.cacheRegistryRef;
  if (inputs.builder) options.builder = inputs.builder;
  return options;
}

/** The report file, the step summary and the outputs; each is written even when another fails. */
async function publish(
  report: Report,
  verdict: Verdict,
  inputs: ActionInputs,
  workDir: string,
  env: Record<string, string | undefined>,
): Promise<void> {
  const reportFile = path.resolve(inputs.report ?? path.join(workDir, 'report.json'));
  mkdirSync(path.dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  core.setOutput('report', reportFile);
  core.setOutput('total-size', String(report.totals.size));
  core.setOutput('failed', String(report.totals.failed));
  core.setOutput('violations', String(report.totals.violations));

  const markdown = renderMarkdown(report, { verdict, ...runUrl(env) });
  if (env.GITHUB_STEP_SUMMARY) {
    await core.summary.addRaw(markdown, true).write();
  } else {
    core.warning('GITHUB_STEP_SUMMARY is not set: no step summary written');
  }
}

function runUrl(env: Record<string, string | undefined>): { runUrl?: string } {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: id } = env;
  return server && repo && id ? { runUrl: `${server}/${repo}/actions/runs/${id}` } : {};
}

/** The job log: build output inside one collapsible group per service. */
const actionLog: Log = {
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  error: (message) => core.error(message),
  group: (name, fn) => core.group(name, fn),
};
