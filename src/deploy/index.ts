/**
 * Deploy fit of one service, from the compose file (and the Dockerfile, and the built image when
 * there is one): its memory, where its healthcheck comes from, and the findings on the compose lines.
 * Pure: the pipeline hands in the texts and the image's facts (src/pipeline/deploy.ts). The host's
 * sums are a budget (src/budget/host.ts). See docs/deploy.md.
 */
import type { ParsedDockerfile } from '../dockerfile/index.js';
import type { DeploySpec } from '../plan/model.js';
import type { Finding, HealthcheckSource, ServiceDeploy } from '../report/model.js';
import { formatBytes } from '../report/format.js';
import { ruleIds } from '../rules/registry.js';
import {
  composeHealthcheck,
  dockerfileHealthcheck,
  hasProgram,
  imageHealthcheck,
  isOneShot,
  testProgram,
} from './healthcheck.js';
import { finding, memoryOf } from './memory.js';

export { parseComposeBytes } from './memory.js';

/** The rules of deploy fit (the registry's `deploy` kind), each with its docs page. */
export const DEPLOY_RULES: readonly string[] = ruleIds('deploy');

/** What a missing healthcheck is for a service: the config's `healthcheck:` setting. */
export type HealthcheckSetting = 'error' | 'warning' | 'off';

export interface ServiceFacts {
  name: string;
  spec: DeploySpec;
  /** Every compose service's spec (for `depends_on` conditions). */
  all: readonly DeploySpec[];
  /** The run's model of the Dockerfile, for its HEALTHCHECK (read before any build). */
  dockerfileModel?: ParsedDockerfile;
  /** The Dockerfile as the report names it, and the build target. */
  dockerfile?: string;
  target?: string;
  /** `image:` only, nothing built: its image's own HEALTHCHECK is not read. */
  imageOnly: boolean;
  /** The built image's `Config.Healthcheck.Test`, when built. */
  imageTest?: string[];
  /** The built image's files, when its layers were read: the tool of a compose test is looked up there. */
  imageFiles?: ReadonlySet<string>;
}

export interface DeploySettings {
  /** The host's memory, bytes: a service without a limit is then a warning. */
  hostMemory?: number;
  /** Missing healthcheck: `warning` unless the config says otherwise. */
  healthcheck: HealthcheckSetting;
}

export function assessService(
  facts: ServiceFacts,
  settings: DeploySettings,
): { deploy: ServiceDeploy; findings: Finding[] } {
  const { spec } = facts;
  const { memory, findings } = memoryOf(spec);
  const compose = composeHealthcheck(spec);
  const fromFile =
    facts.dockerfileModel !== undefined
      ? dockerfileHealthcheck(facts.dockerfileModel, facts.target)
      : undefined;
  const fromImage = imageHealthcheck(facts.imageTest);
  const oneShot = isOneShot(facts.name, spec, facts.all);

  let source: HealthcheckSource = 'none';
  if (compose?.disabled) source = 'disabled';
  else if (compose?.test) source = 'compose';
  else if (fromImage) source = fromImage;
  else if (fromFile) source = fromFile.disabled ? 'disabled' : 'dockerfile';

  const deploy: ServiceDeploy = { healthcheck: source };
  if (memory.limit !== undefined) deploy.memoryLimit = memory.limit;
  if (memory.reservation !== undefined) deploy.memoryReservation = memory.reservation;
  if (memory.replicas !== 1) deploy.replicas = memory.replicas;
  if (oneShot) deploy.oneShot = true;

  if (settings.hostMemory !== undefined && memory.limit === undefined && memory.replicas > 0) {
    findings.push(
      finding(
        spec,
        'no-memory-limit',
        'warning',
        undefined,
        `${facts.name} has no memory limit: on a ${formatBytes(settings.hostMemory)} host the sum of the limits is unknowable, and this service can take all of it`,
        { fix: 'set deploy.resources.limits.memory (and reservations.memory)' },
      ),
    );
  }
  if (source === 'none' && !oneShot && settings.healthcheck !== 'off') {
    const where = facts.imageOnly
      ? 'in compose (the image of an image-only service is not read)'
      : facts.imageTest !== undefined || facts.dockerfileModel === undefined
        ? 'in compose or in its image'
        : `in compose or in its Dockerfile${facts.dockerfile ? ` (${facts.dockerfile})` : ''}`;
    findings.push(
      finding(
        spec,
        'no-healthcheck',
        settings.healthcheck,
        undefined,
        `${facts.name} has no healthcheck ${where}`,
        {
          fix: 'add a compose healthcheck (or a HEALTHCHECK to the Dockerfile); a one-shot job: restart: "no"',
        },
      ),
    );
  }
  const program = compose?.test && !compose.disabled ? testProgram(compose.test) : undefined;
  if (program && facts.imageFiles && !hasProgram(program, facts.imageFiles)) {
    findings.push(
      finding(
        spec,
        'healthcheck-tool-missing',
        'warning',
        spec.lines['healthcheck.test'] !== undefined ? 'healthcheck.test' : 'healthcheck',
        `${facts.name}: the healthcheck runs ${program}, which the image does not have: the check always fails`,
        { fix: `install ${program} in the image, or test with a tool it has` },
      ),
    );
  }
  return { deploy, findings };
}
