/**
 * The plan of one run: the compose file's services (and, once loaded, those the config file adds),
 * narrowed to the selected names. Mistakes become values: file-level ones in `errors`, a service's
 * own on that service.
 */
import path from 'node:path';
import { COMPOSE_FILE_NAMES, discoverServices, findComposeFile } from '../compose/discover.js';
import { emptyConfig, type Config } from '../config/schema.js';
import { applyConfig } from './apply-config.js';
import { oneLine, isUserError } from '../util/errors.js';
import { relativePath } from '../util/paths.js';
import type { Plan, ServicePlan } from './model.js';

export interface PlanInput {
  root: string;
  compose?: string;
  services?: string[];
}

export function makePlan(
  input: PlanInput,
  env: Record<string, string | undefined> = process.env,
  config: Config = emptyConfig(),
): Plan {
  const root = path.resolve(input.root);
  let plan: Plan = { root, services: [], known: [], errors: [] };
  const configBuilds = Object.values(config.services).some(
    (s) => s.context !== undefined || s.dockerfile !== undefined,
  );
  try {
    const composeFile = findComposeFile(root, input.compose);
    if (composeFile) {
      plan.composeFile = composeFile;
      plan.services = discoverServices(root, composeFile, env);
    } else if (!configBuilds) {
      plan.errors.push(
        `${input.root}: no ${COMPOSE_FILE_NAMES.join(', ')} found, and no services with a context in the config file`,
      );
    }
  } catch (error) {
    if (!isUserError(error)) throw error;
    plan.errors.push(oneLine(error));
  }
  plan = applyConfig(plan, config);
  plan.known = plan.services.map((service) => service.name);
  return select(plan, input.services);
}

/** Keeps the named services; an unknown name is an error that lists the known ones. */
export function select(plan: Plan, names: string[] | undefined): Plan {
  if (!names || names.length === 0) return plan;
  const known = new Set(plan.services.map((service) => service.name));
  const unknown = names.filter((name) => !known.has(name));
  const where = plan.composeFile ? relativePath(plan.root, plan.composeFile) : 'services';
  const errors = unknown.map(
    (name) => `${where}: no service named "${name}" (known: ${[...known].join(', ') || 'none'})`,
  );
  const wanted = new Set(names);
  return {
    ...plan,
    services: plan.services.filter((s) => wanted.has(s.name)),
    unselected: plan.services.filter((s) => !wanted.has(s.name)),
    errors: [...plan.errors, ...errors],
  };
}

/** Services that have something to build and no error of their own. */
export function buildable(service: ServicePlan): boolean {
  return service.build !== undefined && service.error === undefined;
}
