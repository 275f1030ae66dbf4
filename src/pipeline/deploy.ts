/**
 * The deploy-fit step: every compose service's memory and healthcheck (src/deploy/), from the compose
 * file, the run's model of the Dockerfile and, after a build, the image's config and programs. Runs
 * with `--lint-only` too: all of it but the image's facts needs no build.
 */
import { assessService, type HealthcheckSetting } from '../deploy/index.js';
import type { Config } from '../config/schema.js';
import { hostFit } from '../budget/host.js';
import { memoryOf } from '../deploy/memory.js';
import type { DeploySpec, Plan, ServicePlan } from '../plan/model.js';
import type { Report, ServiceDeploy, ServiceReport } from '../report/model.js';
import { entryFor, type PipelineDeps } from './deps.js';
import type { RunDockerfiles } from './dockerfiles.js';

/** The programs of each measured image (paths in PATH folders), set by the measure step; not reported. */
export const imagePrograms = new WeakMap<ServiceReport, readonly string[]>();

export function assessDeploy(
  plan: Plan,
  report: Report,
  config: Config,
  hostMemory: number | undefined,
  deps: PipelineDeps,
  dockerfiles: RunDockerfiles = new Map(),
): void {
  // A service of a profile that is off does not run: it takes no memory and needs no healthcheck.
  const runs = (s: ServicePlan): s is ServicePlan & { deploy: DeploySpec } =>
    s.deploy !== undefined && !s.notBuilt?.startsWith('profile ');
  const everyService = [...plan.services, ...(plan.unselected ?? [])];
  const all = everyService.filter(runs).map((s) => s.deploy);
  for (const service of plan.services) {
    if (!runs(service)) continue;
    const entry = entryFor(report.services, service.name);
    const build = service.build;
    // A service in error has no Dockerfile of its own to trust, bar an inline one.
    const dockerfileModel =
      build?.dockerfileInline !== undefined || !service.error
        ? dockerfiles.get(service.name)?.model
        : undefined;
    const programs = imagePrograms.get(entry);
    const { deploy, findings } = assessService(
      {
        name: service.name,
        spec: service.deploy,
        all,
        imageOnly: !build,
        ...(dockerfileModel ? { dockerfileModel } : {}),
        ...(entry.dockerfile ? { dockerfile: entry.dockerfile } : {}),
        ...(build?.target ? { target: build.target } : {}),
        ...(entry.built && entry.image ? { imageTest: entry.image.healthcheck ?? [] } : {}),
        ...(programs ? { imageFiles: new Set(programs) } : {}),
      },
      {
        ...(hostMemory !== undefined ? { hostMemory } : {}),
        healthcheck: healthcheckSetting(service.name, config),
      },
    );
    entry.deploy = deploy;
    entry.findings.push(...findings);
    for (const f of findings)
      deps.log.info(`${f.file}:${f.line ?? 1}: ${f.severity} ${f.rule}: ${f.message}`);
  }
  // The host's sums count every compose service: a shard of a matrix judges the whole host.
  const others = (plan.unselected ?? [])
    .filter(runs)
    .map((s) => ({ name: s.name, deploy: unselectedDeploy(s.deploy) }));
  const host = hostFit([...report.services, ...others], hostMemory);
  if (host) report.host = host;
}

/** The memory of a service this run does not judge otherwise. */
function unselectedDeploy(spec: DeploySpec): ServiceDeploy {
  const { memory } = memoryOf(spec);
  const deploy: ServiceDeploy = { healthcheck: 'none' };
  if (memory.limit !== undefined) deploy.memoryLimit = memory.limit;
  if (memory.reservation !== undefined) deploy.memoryReservation = memory.reservation;
  if (memory.replicas !== 1) deploy.replicas = memory.replicas;
  return deploy;
}

function healthcheckSetting(service: string, config: Config): HealthcheckSetting {
  const own = Object.hasOwn(config.services, service) ? config.services[service] : undefined;
  return own?.healthcheck ?? 'warning';
}
