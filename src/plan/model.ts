/**
 * The plan: what to lint and build, found from the compose file and/or .github/image-budget.yml.
 * Paths here are absolute (inside the process); the report turns them relative to `root`.
 */

export interface BuildSpec {
  /** Absolute path of the build context. */
  context: string;
  /** Absolute path of the Dockerfile; absent when `dockerfileInline` is given. */
  dockerfile?: string;
  /** Dockerfile text given inline (compose `dockerfile_inline`). */
  dockerfileInline?: string;
  target?: string;
  args: Record<string, string>;
  /** Network for RUN steps (compose `build.network`), e.g. `host`. */
  network?: string;
}

export interface ServicePlan {
  name: string;
  /** Absent for services with only `image:`. */
  build?: BuildSpec;
  /** The compose `image:` reference. */
  image?: string;
  /** Declared GPU in config: CUDA wheels and bases are expected, not flagged. */
  gpu?: boolean;
  /** A mistake that stops this service alone (missing Dockerfile or context), one line naming the file. */
  error?: string;
  /** How compose runs it (memory, healthcheck, restart: read by src/deploy/), for a compose service. */
  deploy?: DeploySpec;
}

/** A compose service's own mapping as compose reads it, with the line of each key path in its file. */
export interface DeploySpec {
  /** The compose file, relative to the repository root, and the service's line in it. */
  file: string;
  line: number;
  fields: Record<string, unknown>;
  /** Line of each key path, e.g. `healthcheck.test`, `deploy.resources.limits.memory`. */
  lines: Record<string, number>;
}

export interface Plan {
  /** Absolute path of the repository root; report paths are relative to it. */
  root: string;
  /** Absolute path of the compose file, if one was used. */
  composeFile?: string;
  services: ServicePlan[];
  /** Every service name found, before a `services` selection narrowed `services`. */
  known: string[];
  /** The services a `services` selection left out: they still run on the host (src/deploy/). */
  unselected?: ServicePlan[];
  /** Mistakes that belong to no single service (unknown name in `services`, broken compose file). */
  errors: string[];
}
