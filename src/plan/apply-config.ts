/**
 * Lays the config file's `services:` over the compose services: a service the config names with a
 * `context` or `dockerfile` is built from there (added when compose lacks it); `target`, `args` and
 * `gpu` refine a compose service. Config paths are relative to the repository root.
 */
import path from 'node:path';
import type { Config, ServiceConfig } from '../config/schema.js';
import { checkBuildPaths } from './check-paths.js';
import type { BuildSpec, Plan, ServicePlan } from './model.js';
import { problem } from '../util/errors.js';

export function applyConfig(plan: Plan, config: Config): Plan {
  const services = plan.services.map((service) =>
    overlay(service, config.services[service.name], plan.root, config),
  );
  const known = new Set(services.map((s) => s.name));
  for (const [name, entry] of Object.entries(config.services)) {
    if (known.has(name) || (entry.context === undefined && entry.dockerfile === undefined)) continue;
    services.push(overlay({ name }, entry, plan.root, config));
  }
  return { ...plan, services };
}

function overlay(
  service: ServicePlan,
  entry: ServiceConfig | undefined,
  root: string,
  config: Config,
): ServicePlan {
  if (!entry) return service;
  const result: ServicePlan = { ...service };
  if (entry.gpu !== undefined) result.gpu = entry.gpu;
  const declaresBuild = entry.context !== undefined || entry.dockerfile !== undefined;
  if (!result.build && !declaresBuild) return result;
  const context =
    entry.context !== undefined ? path.resolve(root, entry.context) : (result.build?.context ?? root);
  const build: BuildSpec = { ...(result.build ?? { args: {} }), context };
  if (entry.dockerfile !== undefined) {
    build.dockerfile = path.resolve(root, entry.dockerfile);
    delete build.dockerfileInline;
  } else if (!build.dockerfile && build.dockerfileInline === undefined) {
    build.dockerfile = path.join(context, 'Dockerfile');
  }
  if (entry.target !== undefined) build.target = entry.target;
  if (entry.args) build.args = { ...build.args, ...entry.args };
  result.build = build;
  if (declaresBuild) {
    const error = checkBuildPaths(
      root,
      (message) => problem(`services.${service.name}: ${message}`, config.file),
      build,
    );
    if (error) result.error = error;
    else delete result.error;
  }
  return result;
}
