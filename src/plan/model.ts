/**
 * The plan: what to lint and build, found from the compose file and/or .github/image-budget.yml.
 * Paths here are absolute (inside the process); the report turns them relative to `root`.
 */
import type { Problem } from '../util/errors.js';

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
  /** compose `additional_contexts`: name -> absolute path, `docker-image://ref`, URL, or `service:NAME`. */
  additionalContexts?: Record<string, string>;
  /** compose `build.secrets` with their top-level source: a file or an environment variable (never its value). */
  secrets?: BuildSecret[];
  /** compose `build.ssh`: `default` or `id=path`. */
  ssh?: string[];
  /** compose `build.platforms`. */
  platforms?: string[];
  labels?: Record<string, string>;
  /** Bytes, as a decimal string. */
  shmSize?: string;
  /** `host=ip`. */
  extraHosts?: string[];
  pull?: boolean;
  noCache?: boolean;
  /** compose `cache_from`/`cache_to`, passed besides the cache step's own. */
  cacheFrom?: string[];
  cacheTo?: string[];
}

export interface BuildSecret {
  /** The id the Dockerfile mounts (`RUN --mount=type=secret,id=...`). */
  id: string;
  /** Absolute path of the secret's file. */
  file?: string;
  /** Name of the environment variable that holds it. */
  env?: string;
}

export interface ServicePlan {
  name: string;
  /** Absent for services with only `image:`. */
  build?: BuildSpec;
  /** The compose `image:` reference. */
  image?: string;
  /** Declared GPU in config: CUDA wheels and bases are expected, not flagged. */
  gpu?: boolean;
  /** Services whose images this build uses (`additional_contexts: service:NAME`, `FROM` of their tag). */
  buildAfter?: string[];
  /** Why the service is listed but not built, e.g. `profile dev`. */
  notBuilt?: string;
  /** A mistake that stops this service alone (missing Dockerfile or context), one line naming the file. */
  error?: Problem;
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
  /** Absolute path of the (first) compose file, if one was used. */
  composeFile?: string;
  /** Every compose file read, absolute, in order. */
  composeFiles?: string[];
  /** Which path read them: Compose v2's `docker compose config`, or our parser. */
  composeSource?: 'compose-v2' | 'parser';
  /** Active compose profiles. */
  profiles?: string[];
  services: ServicePlan[];
  /** Every service name found, before a `services` selection narrowed `services`. */
  known: string[];
  /** The services a `services` selection left out: they still run on the host (src/deploy/). */
  unselected?: ServicePlan[];
  /** Mistakes that belong to no single service (unknown name in `services`, broken compose file). */
  errors: Problem[];
  /** Problems that stop nothing (a profile no service uses). */
  warnings?: string[];
}
