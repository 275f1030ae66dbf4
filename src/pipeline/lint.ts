/**
 * The lint step: every service with a Dockerfile is linted before any build, with the config file's
 * rule settings (per service over global) and custom patterns. Findings go on the service's entry.
 */
import type { Config } from '../config/schema.js';
import { lintTarget, type LintConfig, type LintTarget } from '../lint/index.js';
import type { Plan, ServicePlan } from '../plan/model.js';
import type { Report } from '../report/model.js';
import { entryFor, type PipelineDeps } from './deps.js';

export async function lintPlan(
  plan: Plan,
  report: Report,
  config: Config,
  deps: PipelineDeps,
): Promise<void> {
  const services = plan.services.filter(
    (s) => s.build && (s.build.dockerfile || s.build.dockerfileInline !== undefined),
  );
  if (services.length === 0) return;
  await deps.log.group('Lint Dockerfiles', async () => {
    for (const service of services) {
      const findings = lintTarget(lintTargetOf(service, plan.root), lintConfigFor(service.name, config));
      entryFor(report.services, service.name).findings.push(...findings);
      for (const f of findings)
        deps.log.info(`${f.file}:${f.line ?? 1}: ${f.severity} ${f.rule}: ${f.message}`);
    }
  });
}

function lintTargetOf(service: ServicePlan, root: string): LintTarget {
  const build = service.build;
  if (!build) throw new Error(`bug: lint of ${service.name} without a build`);
  const target: LintTarget = { service: service.name, root, context: build.context };
  if (build.dockerfile) target.dockerfile = build.dockerfile;
  if (build.dockerfileInline !== undefined) target.dockerfileText = build.dockerfileInline;
  if (build.target) target.target = build.target;
  if (service.gpu) target.gpu = true;
  return target;
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
