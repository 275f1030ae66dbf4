/**
 * The lint step: every service with a Dockerfile is linted before any build, from the run's one
 * parse of it, with the config file's rule settings (per service over global) and custom patterns.
 * Findings go on the service's entry; a bug of ours is an internal error there, never a finding.
 * Then, once the images are measured, the image findings that confirm a lint finding are merged
 * into it (`confirmLint`).
 */

/** The Dockerfile line of the instruction each lint finding belongs to (the lint's `steps`), every service's. */
export type LintSteps = ReadonlyMap<Finding, number>;
import type { Config } from '../config/schema.js';
import { targetStage } from '../dockerfile/index.js';
import { lint, type LintConfig, type LintTarget } from '../lint/index.js';
import type { Plan, ServicePlan } from '../plan/model.js';
import type { Finding, Report } from '../report/model.js';
import { confirmByImage } from './confirm.js';
import { relativePath } from '../util/paths.js';
import { entryFor, type PipelineDeps } from './deps.js';
import type { RunDockerfiles } from './dockerfiles.js';
import { reportInternalError } from './internal-error.js';

export async function lintPlan(
  plan: Plan,
  report: Report,
  config: Config,
  deps: PipelineDeps,
  dockerfiles: RunDockerfiles = new Map(),
): Promise<LintSteps> {
  const steps = new Map<Finding, number>();
  const services = plan.services.filter(
    (s) => s.build && (s.build.dockerfile || s.build.dockerfileInline !== undefined),
  );
  if (services.length === 0) return steps;
  await deps.log.group('Lint Dockerfiles', async () => {
    for (const service of services) {
      const entry = entryFor(report.services, service.name);
      const target = lintTargetOf(service, plan.root);
      let result;
      try {
        result = lint(target, lintConfigFor(service.name, config), dockerfiles.get(service.name));
      } catch (error) {
        reportInternalError(entry, `the lint of ${fileOf(target, service)}`, error, deps);
        continue;
      }
      for (const bug of result.bugs)
        reportInternalError(entry, `the lint of ${bug.file} (${bug.where})`, bug.error, deps);
      entry.findings.push(...result.findings);
      for (const [finding, line] of result.steps) steps.set(finding, line);
      for (const f of result.findings)
        deps.log.info(`${f.file}:${f.line ?? 1}: ${f.severity} ${f.rule}: ${f.message}`);
    }
  });
  return steps;
}

/**
 * Every service's image findings merged into the lint findings they confirm (pipeline/confirm.ts):
 * run after the rule settings, so that a rule turned off neither confirms nor is confirmed.
 */
export function confirmLint(report: Report, steps: LintSteps, dockerfiles: RunDockerfiles): void {
  for (const service of report.services) {
    if (!service.dockerfile || !service.findings.some((f) => f.source === 'image')) continue;
    const model = dockerfiles.get(service.name)?.model;
    const stage = model ? targetStage(model, service.target) : undefined;
    service.findings = confirmByImage(service.findings, {
      dockerfile: service.dockerfile,
      steps,
      ...(stage ? { finalStage: stage.instrs.map((instr) => instr.line) } : {}),
      ...(model ? { instructions: model.stages.flatMap((s) => s.instrs) } : {}),
    });
  }
}

function lintTargetOf(service: ServicePlan, root: string): LintTarget {
  const build = service.build;
  if (!build) throw new Error(`bug: lint of ${service.name} without a build`);
  const target: LintTarget = { service: service.name, root, context: build.context };
  if (build.dockerfile) target.dockerfile = build.dockerfile;
  if (build.dockerfileInline !== undefined) target.dockerfileText = build.dockerfileInline;
  if (build.target) target.target = build.target;
  if (service.gpu) target.gpu = true;
  if (Object.keys(build.args).length) target.buildArgs = build.args;
  return target;
}

function fileOf(target: LintTarget, service: ServicePlan): string {
  return target.dockerfile
    ? relativePath(target.root, target.dockerfile)
    : `${service.name} (inline Dockerfile)`;
}

/** Global rule settings, then the service's own; custom patterns apply everywhere. */
export function lintConfigFor(service: string, config: Config): LintConfig {
  const own = Object.hasOwn(config.services, service) ? config.services[service]?.lint?.rules : undefined;
  return { rules: { ...config.lint.rules, ...(own ?? {}) }, patterns: config.lint.patterns };
}

/**
 * The config's rule settings applied to the findings made outside the lint (from image layers, and
 * deploy fit's on the compose file): `off` drops them, `error`/`warning` sets their severity, as the
 * lint does for its own.
 */
export function applyRuleSettings(report: Report, config: Config): void {
  for (const service of report.services) {
    const rules = lintConfigFor(service.name, config).rules ?? {};
    service.findings = service.findings.flatMap((finding) => {
      const setting =
        finding.source === 'image' || finding.source === 'compose' ? rules[finding.rule] : undefined;
      if (setting === undefined) return [finding];
      return setting === 'off' ? [] : [{ ...finding, severity: setting }];
    });
  }
}
