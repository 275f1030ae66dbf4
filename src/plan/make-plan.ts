/**
 * The plan of one run: the compose project's services (and, once loaded, those the config file
 * adds), narrowed to the selected names. The model comes from Compose v2's `docker compose config`
 * when the docker CLI has it (`discoverPlan`), else from our parser (`makePlan`, also the
 * synchronous path of `lint`). Mistakes become values: file-level ones in `errors`, a service's own
 * on that service.
 */
import path from 'node:path';
import { composeConfig, composeV2Version } from './compose-v2.js';
import { COMPOSE_FILE_NAMES, findComposeFiles, splitProfiles, withDotEnvSettings } from '../compose/files.js';
import { loadProject } from '../compose/load.js';
import type { ComposeProject } from '../compose/model.js';
import { emptyConfig, type Config } from '../config/schema.js';
import type { Docker } from '../docker/exec.js';
import { isUserError, problem, type Problem } from '../util/errors.js';
import { relativePath } from '../util/paths.js';
import { applyConfig } from './apply-config.js';
import type { Plan, ServicePlan } from './model.js';
import { planServices } from './services.js';

export interface PlanInput {
  root: string;
  /** Compose files or folders relative to root: a list, or one string with commas or newlines. */
  compose?: string | string[];
  services?: string[];
  /** Active profiles (`--profile`, the `profiles` input); `COMPOSE_PROFILES` when absent. */
  profiles?: string[];
}

type Env = Record<string, string | undefined>;

/** The plan from our own parser (no docker needed). */
export function makePlan(input: PlanInput, env: Env = process.env, config: Config = emptyConfig()): Plan {
  return assemble(input, env, config, (root, files) => loadProject({ root, files, env }));
}

/**
 * The plan from Compose v2 when `docker compose version` says it is there, else from our parser.
 * When Compose refuses the project, its one line is kept and our parser's reading (which skips
 * only the broken part) gives the services, so the others still build.
 */
export async function discoverPlan(
  input: PlanInput,
  env: Env,
  config: Config,
  docker: Docker,
): Promise<Plan> {
  const root = path.resolve(input.root);
  env = withDotEnvSettings(root, env);
  let files: string[] = [];
  const missing: Problem[] = [];
  try {
    files = findComposeFiles(root, input.compose, env, missing);
  } catch (error) {
    if (!isUserError(error)) throw error;
  }
  // A missing file: Compose would refuse the whole project; ours names it and reads the others.
  if (files.length === 0 || missing.length > 0) return makePlan(input, env, config);
  // Detection and Compose's config at once; our parser meanwhile, in this process: it checks the
  // caps and paths before Compose's reading is used, and names the lines in messages.
  const abort = new AbortController();
  const compose = Promise.all([
    composeV2Version(docker, env),
    composeConfig(docker, { root, files, env, signal: abort.signal }).catch((error: unknown) => {
      if (isUserError(error)) return { error: error.toProblem() };
      throw error;
    }),
  ]);
  const ours = loadProject({ root, files, env });
  if (ours.refused) abort.abort();
  const [version, result] = await compose;
  // Without Compose v2, or with a file we refuse (Compose reads it without our caps): ours.
  if (!version || ours.refused) return assemble(input, env, config, () => ours);
  if ('error' in result) {
    if (ours.errors.length === 0 && Object.keys(ours.serviceErrors).length === 0)
      ours.errors.push(result.error);
    return assemble(input, env, config, () => ours);
  }
  return assemble(input, env, config, () => ({
    ...result,
    origins: ours.origins,
    ...(ours.keyLines ? { keyLines: ours.keyLines } : {}),
  }));
}

/** The plan from a project already loaded (by either path): what both paths share. */
export function planFromProject(input: PlanInput, env: Env, config: Config, project: ComposeProject): Plan {
  return assemble(input, env, config, () => project);
}

function assemble(
  input: PlanInput,
  env: Env,
  config: Config,
  load: (root: string, files: string[]) => ComposeProject,
): Plan {
  const root = path.resolve(input.root);
  env = withDotEnvSettings(root, env);
  let plan: Plan = { root, services: [], known: [], errors: [], warnings: [] };
  const profiles = input.profiles?.length ? input.profiles : splitProfiles(env.COMPOSE_PROFILES);
  if (profiles.length > 0) plan.profiles = profiles;
  const configBuilds = Object.values(config.services).some(
    (s) => s.context !== undefined || s.dockerfile !== undefined,
  );
  try {
    const files = findComposeFiles(root, input.compose, env, plan.errors);
    if (files.length > 0) {
      plan.composeFile = files[0];
      plan.composeFiles = files;
      const project = load(root, files);
      plan.composeSource = project.source;
      plan.errors.push(...project.errors);
      const { services, warnings } = planServices({ root, project, profiles });
      plan.services = services;
      plan.warnings = [...project.warnings, ...warnings];
    } else if (!configBuilds && plan.errors.length === 0) {
      plan.errors.push(
        problem(
          `no ${COMPOSE_FILE_NAMES.join(', ')} found, and no services with a context in the config file`,
          input.root,
        ),
      );
    }
  } catch (error) {
    if (!isUserError(error)) throw error;
    plan.errors.push(error.toProblem());
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
  const file = plan.composeFile ? relativePath(plan.root, plan.composeFile) : undefined;
  const errors = unknown.map((name) =>
    problem(`no service named "${name}" (known: ${[...known].join(', ') || 'none'})`, file),
  );
  const wanted = new Set(names);
  return {
    ...plan,
    // A service named on purpose is built even when its profile is off, as `docker compose build NAME` does.
    services: plan.services
      .filter((s) => wanted.has(s.name))
      .map((s) => (s.notBuilt?.startsWith('profile ') ? withoutNotBuilt(s) : s)),
    // They still run on the host: its memory sums count them (src/deploy/).
    unselected: plan.services.filter((s) => !wanted.has(s.name)),
    errors: [...plan.errors, ...errors],
  };
}

function withoutNotBuilt(service: ServicePlan): ServicePlan {
  const { notBuilt: _notBuilt, ...rest } = service;
  return rest;
}

/** Services that have something to build, no error of their own, and an active profile. */
export function buildable(service: ServicePlan): boolean {
  return service.build !== undefined && service.error === undefined && service.notBuilt === undefined;
}
