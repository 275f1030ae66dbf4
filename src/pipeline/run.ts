/**
 * One run, top to bottom: read the config, plan the services, lint every Dockerfile, build and
 * measure each service, judge the budgets, and hand back the report. Every user mistake lands in the
 * report as a value; one service's failure never hides the others'. Exit codes are the callers'.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { judgeWallTime } from '../budget/host.js';
import { judge } from '../budget/judge.js';
import { loadConfig } from '../config/load.js';
import { emptyConfig, type Config } from '../config/schema.js';
import { discoverPlan } from '../plan/make-plan.js';
import { computeTotals } from '../report/totals.js';
import { newReport } from './assemble.js';
import type { Report } from '../report/model.js';
import { isUserError, oneLine } from '../util/errors.js';
import { buildAll } from './build.js';
import { assessDeploy } from './deploy.js';
import { measureImageOnly } from './image-only.js';
import type { PipelineDeps } from './deps.js';
import { applyRuleSettings, lintPlan } from './lint.js';
import type { RunOptions } from './options.js';
import { redact, secretValues } from './secrets.js';

export type { PipelineDeps } from './deps.js';

export interface PipelineResult {
  report: Report;
  config: Config;
  /** Files of the analysis cache folder this run read or wrote (what a saved copy must keep). */
  analysisFiles: string[];
}

export async function runPipeline(options: RunOptions, deps: PipelineDeps): Promise<PipelineResult> {
  const started = performance.now();
  const { config, error: configError } = readConfig(options);
  const plan = await discoverPlan(
    {
      root: options.root,
      ...(options.compose ? { compose: options.compose } : {}),
      ...(options.services ? { services: options.services } : {}),
      ...(options.profiles ? { profiles: options.profiles } : {}),
    },
    deps.env ?? process.env,
    config,
    deps.docker,
  );
  for (const warning of plan.warnings ?? []) deps.log.warning(warning);
  if (plan.composeSource) {
    const reader =
      plan.composeSource === 'compose-v2'
        ? 'docker compose config (Compose v2)'
        : 'our compose parser (no Compose v2)';
    deps.log.info(`Services read by ${reader}`);
  }
  const secrets = secretValues(plan);
  for (const secret of secrets) deps.log.mask?.(secret);
  // Build secrets from the environment: BuildKit reads the value, nothing of ours prints it; mask it anyway.
  for (const secret of plan.services.flatMap((service) => service.build?.secrets ?? [])) {
    const value = secret.env ? (deps.env ?? process.env)[secret.env] : undefined;
    if (value) deps.log.mask?.(value);
  }
  let report = newReport(plan, new Date());
  if (config.file) report.configFile = config.file;
  if (configError) report.errors.unshift(configError);
  for (const error of report.errors) deps.log.error(error);
  for (const service of report.services) if (service.error) deps.log.error(service.error);

  const lintStarted = performance.now();
  await lintPlan(plan, report, config, deps);
  const phases: NonNullable<Report['phases']> = { lintMs: Math.round(performance.now() - lintStarted) };
  let analysisFiles: string[] = [];
  if (!options.lintOnly) {
    const buildsStarted = performance.now();
    // The input or flag wins over the config file's min-free-disk.
    ({ analysisFiles } = await buildAll(
      plan,
      report,
      { ...options, minFreeDisk: options.minFreeDisk ?? config.minFreeDisk },
      deps,
    ));
    await measureImageOnly(plan, report, { pull: options.pullImages ?? false }, deps);
    phases.buildsMs = Math.round(performance.now() - buildsStarted);
    if (!options.keepLogs) removeBuildLogs(report, options.workDir);
    phases.analysisMs = report.services.reduce((sum, s) => sum + (s.image?.analysisMs ?? 0), 0);
  }
  const hostMemory = options.budgets?.hostMemory ?? config.host?.memory;
  assessDeploy(plan, report, config, hostMemory, deps);
  applyRuleSettings(report, config);

  report = redact(judgeBudgets(report, config, options, plan.known, deps), secrets);
  report.durationMs = Math.round(performance.now() - started);
  const wallTime = judgeWallTime(report, options.budgets?.maxWallTime ?? config.maxWallTime);
  for (const violation of wallTime) deps.log.error(violation.message);
  report.violations.push(...wallTime);
  report.totals = computeTotals(report.services, report.violations);
  report.phases = phases;
  return { report, config, analysisFiles };
}

/**
 * The build logs hold the build args and the build output in clear: they are removed once the run
 * is measured (the report keeps each failure's last lines), unless `keepLogs` says otherwise.
 */
function removeBuildLogs(report: Report, workDir: string): void {
  rmSync(path.join(workDir, 'builds'), { recursive: true, force: true });
  for (const service of report.services) if (service.build) delete service.build.logFile;
}

/** The config file, or the empty config and one error line when it is broken (the run goes on). */
function readConfig(options: RunOptions): { config: Config; error?: string } {
  try {
    return { config: loadConfig(options.config, options.root) };
  } catch (error) {
    if (!isUserError(error)) throw error;
    return { config: emptyConfig(), error: oneLine(error) };
  }
}

function judgeBudgets(
  report: Report,
  config: Config,
  options: RunOptions,
  known: string[],
  deps: PipelineDeps,
): Report {
  report.totals = computeTotals(report.services, report.violations);
  const judged = judge(report, config, options.budgets ?? {}, options.baseline, known);
  for (const line of judged.errors) deps.log.error(line);
  for (const violation of judged.violations) deps.log.error(violation.message);
  judged.report.totals = computeTotals(judged.report.services, judged.report.violations);
  return judged.report;
}
