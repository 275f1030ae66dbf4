/**
 * One run, top to bottom: read the config, plan the services, lint every Dockerfile, build and
 * measure each service, judge the budgets, and hand back the report. Every user mistake lands in the
 * report as a value; one service's failure never hides the others'. Exit codes are the callers'.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { judgeWallTime } from '../budget/host.js';
import { detectBuilderOnce, forgetBuilder } from '../build/builder.js';
import { judge, wallTimeSource, withLimitSource } from '../budget/judge.js';
import { loadConfig, problemsOf } from '../config/load.js';
import { emptyConfig, type Config } from '../config/schema.js';
import { discoverPlan } from '../plan/make-plan.js';
import type { Plan } from '../plan/model.js';
import { DEFAULT_NOISE_THRESHOLD } from '../report/diff.js';
import { markAgainst } from '../report/marks.js';
import { computeTotals } from '../report/totals.js';
import { newReport } from './assemble.js';
import type { Report } from '../report/model.js';
import { isUserError, problemLine, type Problem } from '../util/errors.js';
import { buildAll } from './build.js';
import { assessDeploy } from './deploy.js';
import { readDockerfiles } from './dockerfiles.js';
import { measureImageOnly } from './image-only.js';
import { storeReadersRemoved } from '../measure/layer-store.js';
import type { PipelineDeps } from './deps.js';
import { applyRuleSettings, confirmLint, lintPlan } from './lint.js';
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
  try {
    return await runSteps(options, deps);
  } finally {
    forgetBuilder(deps.docker);
    await storeReadersRemoved(); // the analysis's reader containers, removed in the background
  }
}

async function runSteps(options: RunOptions, deps: PipelineDeps): Promise<PipelineResult> {
  const started = performance.now();
  const { config, errors: configErrors, configFile } = readConfig(options);
  // The builder is asked for while the compose files are read and the Dockerfiles linted (a broken
  // config stops the run before any of it).
  if (!options.lintOnly && configErrors.length === 0) void detectBuilderOnce(deps.docker);
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
  const secrets = announcePlan(plan, deps);
  let report = newReport(plan, new Date());
  if (configFile) report.configFile = configFile;
  report.errors.unshift(...configErrors);
  for (const error of report.errors) deps.log.error(problemLine(error));
  for (const service of report.services) if (service.error) deps.log.error(problemLine(service.error));
  if (configErrors.length > 0) {
    const judged = redact(stopped(report, configErrors.length, started, deps), secrets);
    return { report: judged, config, analysisFiles: [] };
  }

  const lintStarted = performance.now();
  // Each Dockerfile is read and parsed once: the lint, the build and the measure get the model.
  const dockerfiles = readDockerfiles(plan, report, deps);
  const lintSteps = await lintPlan(plan, report, config, deps, dockerfiles);
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
      dockerfiles,
    ));
    await measureImageOnly(plan, report, { pull: options.pullImages ?? false }, deps);
    phases.buildsMs = Math.round(performance.now() - buildsStarted);
    if (!options.keepLogs) removeBuildLogs(report, options.workDir);
    phases.analysisMs = report.services.reduce((sum, s) => sum + (s.image?.analysisMs ?? 0), 0);
  }
  const hostMemory = options.budgets?.hostMemory ?? config.host?.memory;
  assessDeploy(plan, report, config, hostMemory, deps, dockerfiles);
  applyRuleSettings(report, config);
  confirmLint(report, lintSteps, dockerfiles);

  report = redact(judgeBudgets(report, config, options, plan.known, deps), secrets);
  report.durationMs = Math.round(performance.now() - started);
  const wallTime = withLimitSource(
    judgeWallTime(report, options.budgets?.maxWallTime ?? config.maxWallTime),
    wallTimeSource(config, options.budgets),
  );
  for (const violation of wallTime) deps.log.error(violation.message);
  report.violations.push(...wallTime);
  if (options.baseline) report = marked(report, options.baseline, options, config);
  report.totals = computeTotals(report.services, report.violations);
  report.phases = phases;
  return { report, config, analysisFiles };
}

/**
 * The report with every finding and violation marked new, worse or existing against the baseline,
 * and what the baseline had and this run does not in `fixed` (report/marks.ts). The noise threshold
 * is the input's or flag's, else the config file's, else the default (as the diff's).
 */
function marked(report: Report, baseline: Report, options: RunOptions, config: Config): Report {
  return markAgainst(
    baseline,
    report,
    options.noiseThreshold ?? config.noiseThreshold ?? DEFAULT_NOISE_THRESHOLD,
  );
}

/**
 * The build logs hold the build args and the build output in clear: they are removed once the run
 * is measured (the report keeps each failure's last lines), unless `keepLogs` says otherwise.
 */
function removeBuildLogs(report: Report, workDir: string): void {
  rmSync(path.join(workDir, 'builds'), { recursive: true, force: true });
  for (const service of report.services) if (service.build) delete service.build.logFile;
}

/**
 * The config file, or, when it is broken, the empty config and every one of its mistakes (each with
 * its line): the run then stops before lint and builds (`stopped`).
 */
function readConfig(options: RunOptions): { config: Config; errors: Problem[]; configFile?: string } {
  try {
    const config = loadConfig(options.config, options.root);
    return { config, errors: [], ...(config.file ? { configFile: config.file } : {}) };
  } catch (error) {
    const lines = problemsOf(error);
    if (!lines) throw error;
    const file = isUserError(error) ? error.file : undefined;
    return { config: emptyConfig(), errors: lines, ...(file ? { configFile: file } : {}) };
  }
}

/** Logs the plan's warnings and where its services were read, masks its secrets, returns them. */
function announcePlan(plan: Plan, deps: PipelineDeps): string[] {
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
  return secrets;
}

/**
 * A broken config file stops the run before lint and builds: budgets and rule settings that are
 * wrong would judge every build wrongly, and a build can take half an hour. The report lists the
 * services (not built), the config's errors and the plan's; the verdict fails on them.
 */
function stopped(report: Report, count: number, started: number, deps: PipelineDeps): Report {
  deps.log.error(
    `the config file has ${count === 1 ? 'an error' : `${count} errors`}: nothing was linted or built; fix ${count === 1 ? 'it' : 'them'} and run again`,
  );
  for (const service of report.services) {
    if (!service.notBuilt && !service.error && !service.imageRef)
      service.notBuilt = 'the config file has errors';
  }
  report.totals = computeTotals(report.services, report.violations);
  report.durationMs = Math.round(performance.now() - started);
  return report;
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
  for (const note of judged.notes) deps.log.warning(note);
  for (const error of judged.errors) deps.log.error(problemLine(error));
  for (const violation of judged.violations) deps.log.error(violation.message);
  judged.report.totals = computeTotals(judged.report.services, judged.report.violations);
  return judged.report;
}
