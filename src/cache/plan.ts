/**
 * Which cache backend and which builder a run uses: a pure decision from the backend asked for,
 * the builder found, the named builder (if any) and the environment. Every fallback is one warning
 * line; nothing here fails a build.
 */
import type { Builder } from '../build/builder.js';
import type { ResolvedBackend } from './args.js';

export const BACKENDS = ['auto', 'gha', 'local', 'registry', 'inline', 'none'] as const;
type RequestedBackend = (typeof BACKENDS)[number];

/** What `docker buildx inspect <name>` said about the builder named by the user. */
export interface NamedBuilder {
  name: string;
  exists: boolean;
  driver?: string;
}

export interface CachePlanInput {
  /** The backend as the user wrote it (may be unknown). */
  requested: string;
  /** The builder detectBuilder found. */
  builder: Builder;
  /** The builder named by the `builder` input, inspected. */
  named?: NamedBuilder;
  registryRef?: string;
  env: Record<string, string | undefined>;
}

export interface CachePlan {
  backend: ResolvedBackend;
  /**
   * The builder to build with: the one found, the named one, or `create` a docker-container
   * builder (named `image-budget`) because the backend must export cache and the found one cannot.
   */
  builder: 'detected' | 'named' | 'create';
  /** Why this backend: said in the log. */
  reason: string;
  /** One line each; recorded for every service. */
  warnings: string[];
}

/** The name of the docker-container builder image-budget creates (and reuses) when it needs one. */
export const CONTAINER_BUILDER = 'image-budget';

export function planCache(input: CachePlanInput): CachePlan {
  const known = knownBackend(input.requested);
  const start = startingBuilder(input.builder, input.named);
  const ghaProblem = ghaEnvProblem(input.env);
  const chosen =
    known.requested === 'auto'
      ? autoBackend(start, ghaProblem)
      : { backend: known.requested, reason: `${known.requested}: asked for` };
  const usable = usableBackend(chosen, start, input, ghaProblem);
  const warnings = [known.warning, start.warning, usable.warning].filter((line) => line !== undefined);
  return { backend: usable.backend, builder: usable.builder, reason: usable.reason, warnings };
}

/** The backend asked for, `auto` (and a warning) when it is not one of BACKENDS. */
function knownBackend(written: string): { requested: RequestedBackend; warning?: string } {
  const requested = written.trim().toLowerCase();
  if ((BACKENDS as readonly string[]).includes(requested))
    return { requested: requested as RequestedBackend };
  return {
    requested: 'auto',
    warning: `unknown cache backend "${written}" (expected one of ${BACKENDS.join(', ')}): using auto`,
  };
}

/** The builder a run starts from, and what it can do for a cache. */
export interface StartingBuilder {
  /** The named builder when it can be used, else the one found. */
  source: 'detected' | 'named';
  driver: string | undefined;
  buildx: boolean;
  containerdStore: boolean;
  /** It can export cache to gha, local or registry. */
  canExport: boolean;
  /** A docker-container builder may replace it (only the default one, never one the user named). */
  canCreate: boolean;
  /** Why the named builder is not used. */
  warning?: string;
}

export function startingBuilder(builder: Builder, named: NamedBuilder | undefined): StartingBuilder {
  let source: 'detected' | 'named' = 'detected';
  let driver = builder.driver;
  let warning: string | undefined;
  const buildx = builder.kind === 'buildx';
  if (named) {
    if (!buildx) {
      warning = `builder "${named.name}" ignored: the docker CLI has no buildx plugin, so it builds with the daemon's BuildKit`;
    } else if (!named.exists) {
      warning = `buildx builder "${named.name}" not found (see \`docker buildx ls\`): using the current builder`;
    } else {
      source = 'named';
      driver = named.driver;
    }
  }
  // The daemon's built-in BuildKit cannot export cache to gha/local/registry; neither can buildx's
  // `docker` driver on the classic image store. On the containerd image store the engine's own
  // `docker` builder can (a named docker-driver builder may talk to another engine: not assumed).
  const containerdStore = builder.imageStore === 'containerd';
  const canExport =
    buildx && driver !== undefined && (driver !== 'docker' || (source === 'detected' && containerdStore));
  const canCreate = buildx && source === 'detected';
  return { source, driver, buildx, containerdStore, canExport, canCreate, ...(warning ? { warning } : {}) };
}

/** What `auto` means with this builder and environment: gha, else local, else inline. */
function autoBackend(start: StartingBuilder, ghaProblem: string | undefined): ChosenBackend {
  const { buildx, canExport, canCreate, driver } = start;
  if (!ghaProblem && buildx && (canExport || canCreate))
    return {
      backend: 'gha',
      reason: 'auto: GitHub Actions cache service available and buildx can export to it',
    };
  if (buildx && canExport)
    return {
      backend: 'local',
      reason: `auto: no GitHub Actions cache service (${ghaProblem ?? 'n/a'}); the ${driver} builder${driver === 'docker' ? ' (containerd image store)' : ''} exports to a local folder`,
    };
  return {
    backend: 'inline',
    reason: !buildx
      ? "auto: no buildx plugin, the daemon's built-in BuildKit only supports inline cache"
      : `auto: no GitHub Actions cache service (${ghaProblem ?? 'n/a'}) and the ${driver ?? 'unknown'} driver cannot export cache`,
  };
}

/** A backend and why: said in the log. */
interface ChosenBackend {
  backend: ResolvedBackend;
  reason: string;
}

/** The plan but for its one warning, if any. */
type UsableBackend = Omit<CachePlan, 'warnings'> & { warning?: string };

/** The backend chosen when the builder and environment can serve it, else its fallback and why. */
function usableBackend(
  { backend, reason }: ChosenBackend,
  start: StartingBuilder,
  input: CachePlanInput,
  ghaProblem: string | undefined,
): UsableBackend {
  const { source, driver, buildx, containerdStore, canExport, canCreate } = start;
  if (backend === 'inline' && buildx && containerdStore && canExport) {
    // BuildKit on the containerd store resolves `--cache-from <image>` in a registry only, never
    // in the local store, so the previous image's inline cache is never imported there.
    const warning =
      'cache "inline" is not imported from local images on the containerd image store (BuildKit looks the image up in a registry): using local cache instead';
    return { backend: 'local', builder: source, reason: 'inline on the containerd store', warning };
  }
  if (backend !== 'gha' && backend !== 'local' && backend !== 'registry')
    return { backend, builder: source, reason };
  if (backend === 'registry' && !input.registryRef) {
    const warning =
      'cache "registry" needs a cache image reference (input `cache-registry-ref`): building without cache';
    return { backend: 'none', builder: source, reason: 'registry without a ref', warning };
  }
  if (!buildx) {
    const warning = `cache "${backend}" needs docker buildx, and this docker CLI has none (daemon's built-in BuildKit): using inline cache instead`;
    return { backend: 'inline', builder: source, reason: `${backend} needs buildx`, warning };
  }
  if (backend === 'gha' && ghaProblem) {
    const warning = `cache "gha" needs the GitHub Actions cache service: ${ghaProblem}. Run image-budget as the Action, or expose the variables to a CLI step (crazy-max/ghaction-github-runtime): using inline cache instead`;
    return { backend: 'inline', builder: source, reason: 'gha without the cache service', warning };
  }
  if (canExport) return { backend, builder: source, reason };
  if (canCreate) return { backend, builder: 'create', reason };
  const warning = `cache "${backend}" cannot be exported by builder "${input.named?.name ?? ''}" (${driver ?? 'unknown'} driver): use a docker-container builder; using inline cache instead`;
  return { backend: 'inline', builder: source, reason: `${backend}: builder cannot export`, warning };
}

/**
 * Why the GitHub Actions cache service cannot be used, or undefined when it can: buildx's gha
 * backend reads ACTIONS_RUNTIME_TOKEN and ACTIONS_CACHE_URL (cache v1) or ACTIONS_RESULTS_URL
 * (cache v2), which the runner gives to JavaScript actions but not to `run:` steps.
 */
export function ghaEnvProblem(env: Record<string, string | undefined>): string | undefined {
  const missing: string[] = [];
  if (!env.ACTIONS_RUNTIME_TOKEN) missing.push('ACTIONS_RUNTIME_TOKEN');
  const v2 = Boolean(env.ACTIONS_CACHE_SERVICE_V2);
  if (v2 && !env.ACTIONS_RESULTS_URL) missing.push('ACTIONS_RESULTS_URL (cache service v2)');
  if (!v2 && !env.ACTIONS_CACHE_URL && !env.ACTIONS_RESULTS_URL)
    missing.push('ACTIONS_CACHE_URL or ACTIONS_RESULTS_URL');
  if (missing.length === 0) return undefined;
  const where = env.GITHUB_ACTIONS === 'true' ? 'on GitHub Actions, ' : 'not on GitHub Actions: ';
  return `${where}${missing.join(' and ')} not set`;
}
