/**
 * Finds the compose file of a repository, reads it (with the `.env` beside it, as compose does) and
 * turns its services into service plans with absolute, checked paths. Only reads files.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { checkBuildPaths } from '../plan/check-paths.js';
import type { ServicePlan } from '../plan/model.js';
import { UserError } from '../util/errors.js';
import { relativePath } from '../util/paths.js';
import { parseDotEnv } from './dotenv.js';
import { parseCompose, type ComposeService } from './parse.js';

/** The names compose looks for, in its order of preference. */
export const COMPOSE_FILE_NAMES = [
  'compose.yaml',
  'compose.yml',
  'docker-compose.yaml',
  'docker-compose.yml',
];

/**
 * The compose file to use: `given` (relative to `root`) when set, which must exist; else the first of
 * the usual names in `root`; else undefined (services may come from the config file alone).
 */
export function findComposeFile(root: string, given?: string): string | undefined {
  if (given) {
    const file = path.resolve(root, given);
    if (!existsSync(file)) throw new UserError('compose file not found', relativePath(root, file));
    if (statSync(file).isDirectory()) return findComposeFile(file) ?? missingIn(root, file);
    return file;
  }
  return COMPOSE_FILE_NAMES.map((name) => path.join(root, name)).find((file) => existsSync(file));
}

function missingIn(root: string, dir: string): never {
  throw new UserError(`no ${COMPOSE_FILE_NAMES.join(', ')} in this folder`, relativePath(root, dir));
}

/** Reads the compose file and returns its services as plans, paths resolved and checked. */
export function discoverServices(
  root: string,
  composeFile: string,
  env: Record<string, string | undefined> = process.env,
): ServicePlan[] {
  const display = relativePath(root, composeFile);
  const text = readText(composeFile, display);
  const dotEnvFile = path.join(path.dirname(composeFile), '.env');
  const dotEnv = existsSync(dotEnvFile)
    ? parseDotEnv(readText(dotEnvFile, relativePath(root, dotEnvFile)))
    : {};
  const lookup = (name: string): string | undefined => env[name] ?? dotEnv[name];
  return parseCompose(text, display, lookup).map((service) => toPlan(service, root, composeFile));
}

function toPlan(service: ComposeService, root: string, composeFile: string): ServicePlan {
  const plan: ServicePlan = { name: service.name };
  if (service.image) plan.image = service.image;
  if (service.fields) {
    const file = relativePath(root, composeFile);
    plan.deploy = { file, line: service.line, fields: service.fields, lines: service.lines ?? {} };
  }
  if (service.error) return { ...plan, error: service.error };
  if (!service.build) return plan;

  const where = `${relativePath(root, composeFile)}:${service.line}: service "${service.name}"`;
  const { build } = service;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(build.context) || build.context.startsWith('git@')) {
    return {
      ...plan,
      error: `${where}: remote build context ${build.context} is not supported; use a local folder`,
    };
  }
  const context = path.resolve(path.dirname(composeFile), build.context);
  plan.build = { context, args: build.args };
  if (build.target) plan.build.target = build.target;
  if (build.network) plan.build.network = build.network;
  if (build.dockerfileInline !== undefined) plan.build.dockerfileInline = build.dockerfileInline;
  else plan.build.dockerfile = path.resolve(context, build.dockerfile ?? 'Dockerfile');
  const error = checkBuildPaths(root, where, plan.build);
  return error ? { ...plan, error } : plan;
}

function readText(file: string, display: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, display);
  }
}
