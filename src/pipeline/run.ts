/**
 * One run, top to bottom: plan the services, find a BuildKit builder, build each service one after
 * another, measure each image, and assemble the report. Every user mistake lands in the report as a
 * value; one service's failure never hides the others'. Exit codes are decided by the callers.
 */
import path from 'node:path';
import { detectBuilder, type Builder } from '../build/builder.js';
import { buildService } from '../build/run-build.js';
import { openCache, type CacheSession } from '../cache/index.js';
import type { Docker } from '../docker/exec.js';
import { inspectImage } from '../docker/image.js';
import { judge } from '../budget/judge.js';
import { loadConfig } from '../config/load.js';
import { emptyConfig, type Config } from '../config/schema.js';
import type { Plan, ServicePlan } from '../plan/model.js';
import { buildable, makePlan } from '../plan/make-plan.js';
import { computeTotals, newReport } from '../report/assemble.js';
import type { Report, ServiceReport } from '../report/model.js';
import { isUserError, oneLine } from '../util/errors.js';
import type { Log } from '../util/log.js';
import { relativePath } from '../util/paths.js';
import { imageTag, type RunOptions } from './options.js';

export interface PipelineDeps {
  docker: Docker;
  log: Log;
  env?: Record<string, string | undefined>;
}

export interface PipelineResult {
  report: Report;
  config: Config;
}

export async function runPipeline(options: RunOptions, deps: PipelineDeps): Promise<PipelineResult> {
  const started = performance.now();
  const { config, error: configError } = readConfig(options);
  const plan = makePlan(
    { root: options.root, ...(options.compose ? { compose: options.compose } : {}), ...(options.services ? { services: options.services } : {}) },
    deps.env,
    config,
  );
  let report = newReport(plan, new Date());
  if (config.file) report.configFile = config.file;
  if (configError) report.errors.unshift(configError);
  for (const error of plan.errors) deps.log.error(error);
  for (const service of report.services) if (service.error) deps.log.error(service.error);

  if (!options.lintOnly) await buildAll(plan, report, options, deps);

  report = judgeBudgets(report, config, options, deps);
  report.durationMs = Math.round(performance.now() - started);
  return { report, config };
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

function judgeBudgets(report: Report, config: Config, options: RunOptions, deps: PipelineDeps): Report {
  report.totals = computeTotals(report.services, report.violations);
  const judged = judge(report, config, options.budgets ?? {}, options.baseline);
  for (const line of judged.errors) deps.log.error(line);
  for (const violation of judged.violations) deps.log.error(violation.message);
  judged.report.totals = computeTotals(judged.report.services, judged.report.violations);
  return judged.report;
}

async function buildAll(plan: Plan, report: Report, options: RunOptions, deps: PipelineDeps): Promise<void> {
  const toBuild = plan.services.filter(buildable);
  if (toBuild.length === 0) return;
  let builder: Builder;
  try {
    builder = await detectBuilder(deps.docker);
  } catch (error) {
    if (!isUserError(error)) throw error;
    const line = oneLine(error);
    report.errors.push(line);
    deps.log.error(line);
    for (const service of toBuild) markSkipped(entryOf(report, service), 'not built: no BuildKit builder (see above)');
    return;
  }
  const cache = await openCache(deps.docker, builder, cacheOptions(options, deps), deps.log);
  report.engine = { builder: cache.builder.kind, version: cache.builder.serverVersion };
  deps.log.info(`Building with ${describe(cache.builder)}, cache: ${cache.backend}`);
  for (const service of toBuild) {
    await deps.log.group(`Build ${service.name}`, () => buildOne(service, entryOf(report, service), cache, plan, options, deps));
  }
  await cache.finish();
}

function cacheOptions(options: RunOptions, deps: PipelineDeps) {
  return {
    backend: options.cache ?? 'auto',
    scopePrefix: options.cacheScope ?? 'image-budget',
    workDir: path.join(options.workDir, 'cache'),
    env: deps.env ?? process.env,
    ...(options.cacheRegistryRef ? { registryRef: options.cacheRegistryRef } : {}),
    ...(options.builder ? { builderName: options.builder } : {}),
  };
}

function describe(builder: Builder): string {
  if (builder.kind === 'docker') return `docker ${builder.version} (built-in BuildKit)`;
  return `docker buildx ${builder.version}${builder.driver ? ` (${builder.driver} driver)` : ''}`;
}

async function buildOne(
  service: ServicePlan,
  entry: ServiceReport,
  cache: CacheSession,
  plan: Plan,
  options: RunOptions,
  deps: PipelineDeps,
): Promise<void> {
  const spec = service.build;
  if (!spec) return;
  const tag = imageTag(options.tag, service.name, options.sha);
  const result = await buildService(deps.docker, cache.builder, service.name, spec, {
    tag,
    cacheArgs: cache.argsFor(service.name, tag),
    workDir: path.join(options.workDir, 'builds'),
    dockerfileLabel: spec.dockerfile ? relativePath(plan.root, spec.dockerfile) : `${service.name} (inline Dockerfile)`,
    ...(options.network ? { network: options.network } : {}),
    onLine: (line) => deps.log.info(line),
  });
  entry.build = { ...result.build, cache: { backend: cache.backend } };
  await cache.afterBuild(service.name, result.build.status === 'success');
  if (result.error) {
    entry.error = result.error;
    deps.log.error(`${service.name}: ${result.error}`);
    return;
  }
  if (!result.imageId) return;
  try {
    entry.image = { ...(await inspectImage(deps.docker, result.imageId)), tag };
    entry.built = true;
  } catch (error) {
    entry.error = `${service.name}: ${oneLine(error)}`;
    deps.log.error(entry.error);
  }
}

function entryOf(report: Report, service: ServicePlan): ServiceReport {
  const entry = report.services.find((s) => s.name === service.name);
  if (!entry) throw new Error(`bug: no report entry for service ${service.name}`);
  return entry;
}

function markSkipped(entry: ServiceReport, reason: string): void {
  entry.build = { status: 'skipped', durationMs: 0 };
  entry.error = reason;
}
