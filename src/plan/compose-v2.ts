/**
 * Compose's own model, when the docker CLI has Compose v2: `docker compose version` tells, and
 * `docker compose config --format json` with the same files (`-f`, in order), project directory
 * and env files gives the merged model (override files, extends, include, interpolation). Every
 * profile is turned on (`--profile '*'`) so that services of inactive profiles are listed too;
 * the plan decides which are built. Runs through the one docker wrapper.
 */
import path from 'node:path';
import type { Docker } from '../docker/exec.js';
import { relativePath } from '../util/paths.js';
import { fromComposeJson, type ComposeProject } from '../compose/model.js';
import { problem, type Problem } from '../util/errors.js';

/** The Compose v2 version (`2.26.1`), or undefined when `docker compose` is not Compose v2. */
export async function composeV2Version(
  docker: Docker,
  env?: Record<string, string | undefined>,
): Promise<string | undefined> {
  try {
    const result = await docker.run(['compose', 'version', '--short'], env ? { env } : {});
    const version = result.stdout.trim().replace(/^v/, '');
    return result.code === 0 && /^2\.\d+/.test(version) ? version : undefined;
  } catch {
    return undefined; // no docker CLI at all: the parser path says what it can
  }
}

export interface ComposeConfigInput {
  root: string;
  /** Absolute, in order. */
  files: string[];
  projectDirectory?: string;
  envFiles?: string[];
  env?: Record<string, string | undefined>;
  /** Aborting kills `docker compose config`. */
  signal?: AbortSignal;
}

/** The argv of `docker compose ... config --format json` for these files (pure, for tests). */
export function composeConfigArgs(input: ComposeConfigInput): string[] {
  const args = ['compose'];
  for (const file of input.files) args.push('-f', file);
  args.push('--project-directory', input.projectDirectory ?? path.dirname(input.files[0] ?? input.root));
  for (const file of input.envFiles ?? []) args.push('--env-file', file);
  args.push('--profile', '*', 'config', '--format', 'json');
  return args;
}

/** The project as Compose reads it, or one line (naming the files) when Compose refuses it. */
export async function composeConfig(
  docker: Docker,
  input: ComposeConfigInput,
): Promise<ComposeProject | { error: Problem }> {
  const env = { ...input.env, COMPOSE_PROFILES: undefined, COMPOSE_FILE: undefined };
  const result = await docker.run(composeConfigArgs(input), {
    env,
    cwd: input.root,
    ...(input.signal ? { signal: input.signal } : {}),
  });
  const files = input.files.map((file) => relativePath(input.root, file));
  if (result.aborted) return { error: problem('docker compose config was stopped', files.join(', ')) };
  if (result.code !== 0) return { error: composeError(result.stderr, input.root, files) };
  let json: unknown;
  try {
    json = JSON.parse(result.stdout);
  } catch {
    return { error: problem('docker compose config printed no JSON', files.join(', ')) };
  }
  return {
    model: fromComposeJson(json),
    files: input.files,
    origins: {},
    serviceErrors: {},
    errors: [],
    warnings: [],
    source: 'compose-v2',
  };
}

/** Compose's message in one line, absolute paths made relative, prefixed by the files when it names none. */
export function composeError(stderr: string, root: string, files: string[]): Problem {
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^(WARN|time=)/.test(line));
  const message = (lines[lines.length - 1] ?? 'docker compose config failed')
    .split(`${root}/`)
    .join('')
    .replace(/^(open|stat) (\S+): no such file or directory$/, '$2: file not found');
  // Compose names the file (and line) first when it knows them: keep them as the problem's own.
  const at = /^([^\s:]+\.(?:ya?ml|json|env))(?::(\d+))?(?::\d+)?: (.+)$/.exec(message);
  if (at) return problem(at[3] ?? message, at[1], at[2] ? Number(at[2]) : undefined);
  if (files.some((f) => message.includes(f))) return problem(message);
  return problem(message, files.join(', '));
}
