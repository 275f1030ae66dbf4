/**
 * The compose model (from Compose v2 or our parser, the same shape) turned into service plans:
 * absolute paths checked to exist and to stay inside the repository, every build option in the
 * plan's names, services of inactive profiles listed as not built, and each build's dependencies
 * on other services' images (`buildAfter`). Pure but for the path checks.
 */
import path from 'node:path';
import type { ComposeBuild, ComposeModel, ComposeProject, ComposeServiceModel } from '../compose/model.js';
import { relativePath } from '../util/paths.js';
import { checkBuildPaths } from './check-paths.js';
import { RUN_KEYS } from '../compose/run.js';
import type { BuildSecret, BuildSpec, DeploySpec, ServicePlan } from './model.js';
import { buildOrder } from './build-order.js';
import { isUserError, problem, UserError, type Problem } from '../util/errors.js';

export interface ServicesInput {
  root: string;
  project: ComposeProject;
  /** Active profiles; `*` turns on every one. */
  profiles: string[];
}

export function planServices(input: ServicesInput): { services: ServicePlan[]; warnings: string[] } {
  const { root, project, profiles } = input;
  const { model } = project;
  const active = new Set(profiles);
  const services = Object.entries(model.services).map(([name, service]) => {
    const origin = project.origins[name];
    const file = origin?.file ?? (project.files.map((f) => relativePath(root, f)).join(', ') || undefined);
    const where = (message: string) => problem(`service "${name}": ${message}`, file, origin?.line);
    const plan = toPlan(name, service, model, root, where);
    plan.deploy = deploySpec(name, service, project, root);
    const off = inactiveProfile(service, active);
    if (off !== undefined && !plan.error) plan.notBuilt = `profile ${off}`;
    const error = project.serviceErrors[name];
    if (error) plan.error = error;
    return plan;
  });
  // A service that failed to load still has a line, never silently dropped.
  for (const [name, error] of Object.entries(project.serviceErrors)) {
    if (!(name in model.services)) services.push({ name, error });
  }
  const used = new Set(Object.values(model.services).flatMap((service) => service.profiles ?? []));
  const warnings = profiles
    .filter((profile) => profile !== '*' && !used.has(profile))
    .map(
      (profile) =>
        `${project.files.map((f) => relativePath(root, f)).join(', ')}: profile "${profile}" is used by no service`,
    );
  return { services: buildOrder(services, model, root), warnings };
}

/**
 * How compose runs the service (src/deploy/ reads it), the same from either path: the fields are
 * the model's, the lines our parser's (Compose v2 prints none).
 */
function deploySpec(
  name: string,
  service: ComposeServiceModel,
  project: ComposeProject,
  root: string,
): DeploySpec {
  const origin = project.origins[name];
  const file = origin?.file ?? relativePath(root, project.files[0] ?? path.join(root, 'compose.yaml'));
  const fields: Record<string, unknown> = {};
  for (const key of RUN_KEYS) if (service[key] !== undefined) fields[key] = service[key];
  return { file, line: origin?.line ?? 1, fields, lines: { ...project.keyLines?.[name] } };
}

/** The first profile of a service that no active profile turns on, or undefined when it is on. */
function inactiveProfile(service: ComposeServiceModel, active: Set<string>): string | undefined {
  const own = service.profiles ?? [];
  if (own.length === 0 || active.has('*') || own.some((p) => active.has(p))) return undefined;
  return own[0];
}

function toPlan(
  name: string,
  service: ComposeServiceModel,
  model: ComposeModel,
  root: string,
  where: (message: string) => Problem,
): ServicePlan {
  const plan: ServicePlan = { name };
  if (service.image) plan.image = service.image;
  if (!service.build) return plan;
  const { build } = service;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(build.context) || build.context.startsWith('git@')) {
    return {
      ...plan,
      error: where(`remote build context ${build.context} is not supported; use a local folder`),
    };
  }
  if (build.dockerfile_inline !== undefined && build.dockerfile !== undefined) {
    return {
      ...plan,
      error: where('`build.dockerfile` and `build.dockerfile_inline` cannot both be set'),
    };
  }
  let secrets: BuildSecret[] | undefined;
  try {
    secrets = buildSecrets(build, model);
  } catch (error) {
    if (!isUserError(error)) throw error; // a bug of ours is not the user's service error
    return { ...plan, error: where(error.message) };
  }
  plan.build = buildSpec(build, secrets);
  const error = checkBuildPaths(root, where, plan.build);
  return error ? { ...plan, error } : plan;
}

function buildSpec(build: ComposeBuild, secrets: BuildSecret[] | undefined): BuildSpec {
  const context = path.resolve(build.context);
  const spec: BuildSpec = { context, args: { ...build.args } };
  if (build.dockerfile_inline !== undefined) spec.dockerfileInline = build.dockerfile_inline;
  else spec.dockerfile = path.resolve(context, build.dockerfile ?? 'Dockerfile');
  if (build.target) spec.target = build.target;
  if (build.network) spec.network = build.network;
  if (build.additional_contexts && Object.keys(build.additional_contexts).length > 0) {
    spec.additionalContexts = { ...build.additional_contexts };
  }
  if (secrets && secrets.length > 0) spec.secrets = secrets;
  if (build.ssh?.length) spec.ssh = [...build.ssh];
  if (build.platforms?.length) spec.platforms = [...build.platforms];
  if (build.labels && Object.keys(build.labels).length > 0) spec.labels = { ...build.labels };
  if (build.shm_size !== undefined) spec.shmSize = build.shm_size;
  if (build.extra_hosts?.length) spec.extraHosts = [...build.extra_hosts];
  if (build.pull !== undefined) spec.pull = build.pull;
  if (build.no_cache !== undefined) spec.noCache = build.no_cache;
  if (build.cache_from?.length) spec.cacheFrom = [...build.cache_from];
  if (build.cache_to?.length) spec.cacheTo = [...build.cache_to];
  return spec;
}

/** Each build secret with its top-level source; the id is its `target`, else its name. */
function buildSecrets(build: ComposeBuild, model: ComposeModel): BuildSecret[] | undefined {
  if (!build.secrets) return undefined;
  return build.secrets.map((entry) => {
    const source = model.secrets[entry.source];
    if (!source)
      throw new UserError(`build secret "${entry.source}" is not declared under top-level \`secrets:\``);
    const secret: BuildSecret = { id: entry.target ?? entry.source };
    if (source.file !== undefined) secret.file = source.file;
    else if (source.environment !== undefined) secret.env = source.environment;
    else throw new UserError(`secret "${entry.source}" needs a \`file\` or an \`environment\` source`);
    return secret;
  });
}
