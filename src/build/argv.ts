/**
 * The docker command line for one service's build: a pure function of the service's build spec,
 * the builder and the options, so every variant is table-tested without an engine.
 */
import type { BuildSpec } from '../plan/model.js';
import type { Builder } from './builder.js';

export interface BuildCommandOptions {
  tag: string;
  /** File the image id is written to. */
  iidFile: string;
  /** Network for RUN steps (`host`, `none`), overriding the service's own. */
  network?: string;
  /** Extra `--cache-from`/`--cache-to`/... arguments chosen by the cache step. */
  cacheArgs?: string[];
}

export interface BuildCommand {
  args: string[];
  env: Record<string, string>;
  /** Text for stdin: the inline Dockerfile, when there is one. */
  input?: string;
}

export function buildCommand(builder: Builder, spec: BuildSpec, options: BuildCommandOptions): BuildCommand {
  const args = builder.kind === 'buildx' ? ['buildx', 'build'] : ['build'];
  if (builder.kind === 'buildx' && builder.name) args.push('--builder', builder.name);
  args.push('--progress=plain', '--tag', options.tag, '--iidfile', options.iidFile);
  if (builder.kind === 'buildx') args.push('--load');
  if (spec.dockerfileInline !== undefined) args.push('--file', '-');
  else if (spec.dockerfile) args.push('--file', spec.dockerfile);
  if (spec.target) args.push('--target', spec.target);
  for (const [key, value] of Object.entries(spec.args)) args.push('--build-arg', `${key}=${value}`);
  const network = options.network ?? spec.network;
  if (network) args.push('--network', network);
  args.push(...(options.cacheArgs ?? []));
  args.push(spec.context);

  const env: Record<string, string> = builder.kind === 'docker' ? { DOCKER_BUILDKIT: '1' } : {};
  const command: BuildCommand = { args, env };
  if (spec.dockerfileInline !== undefined) command.input = spec.dockerfileInline;
  return command;
}
