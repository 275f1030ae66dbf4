/**
 * Which cache backend and which builder a run uses: a pure decision from the backend asked for,
 * the builder found, the named builder (if any) and the environment. Every fallback is one warning
 * line; nothing here fails a build.
 */
import type { Builder } from '../build/builder.js';
import type { ResolvedBackend } from './args.js';

export const BACKENDS = ['auto', 'gha', 'local', 'registry', 'inline', 'none'] as const;

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
  const warnings: string[] = [];
  let requested = input.requested.trim().toLowerCase();
  if (!(BACKENDS as readonly string[]).includes(requested)) {
    warnings.push(
      `unknown cache backend "${input.requested}" (expected one of ${BACKENDS.join(', ')}): using auto`,
    );
    requested = 'auto';
  }

  // The builder to start from: the named one when it can be used, else the one found.
  let source: 'detected' | 'named' = 'detected';
  let driver = input.builder.driver;
  const buildx = input.builder.kind === 'buildx';
  if (input.named) {
    if (!buildx) {
      warnings.push(
        `builder "${input.named.name}" ignored: the docker CLI has no buildx plugin, so it builds with the daemon's BuildKit`,
      );
    } else if (!input.named.exists) {
      warnings.push(
        `buildx builder "${input.named.name}" not found (see \`docker buildx ls\`): using the current builder`,
      );
    } else {
      source = 'named';
      driver = input.named.driver;
    }
  }
  // The daemon's built-in BuildKit cannot export cache to gha/local/registry; neither can buildx's
  // `docker` driver on the classic image store. On the containerd image store the engine's own
  // `docker` builder can (a named docker-driver builder may talk to another engine: not assumed).
  const containerdStore = input.builder.imageStore === 'containerd';
  const canExport =
    buildx && driver !== undefined && (driver !== 'docker' || (source === 'detected' && containerdStore));
  // A builder the user named is never replaced; the default one is, when a backend needs it.
  const canCreate = buildx && source === 'detected';
  const ghaProblem = ghaEnvProblem(input.env);

  let backend: ResolvedBackend;
  let reason: string;
  if (requested === 'auto') {
    if (!ghaProblem && buildx && (canExport || canCreate)) {
      backend = 'gha';
      reason = 'auto: GitHub Actions cache service available and buildx can export to it';
    } else if (buildx && canExport) {
      backend = 'local';
      reason = `auto: no GitHub Actions cache service (${ghaProblem ?? 'n/a'}); the ${driver} builder${driver === 'docker' ? ' (containerd image store)' : ''} exports to a local folder`;
    } else {
      backend = 'inline';
      reason = !buildx
        ? "auto: no buildx plugin, the daemon's built-in BuildKit only supports inline cache"
        : `auto: no GitHub Actions cache service (${ghaProblem ?? 'n/a'}) and the ${driver ?? 'unknown'} driver cannot export cache`;
    }
  } else {
    backend = requested as ResolvedBackend;
    reason = `${backend}: asked for`;
  }

  if (backend === 'inline' && buildx && containerdStore && canExport) {
    // BuildKit on the containerd store resolves `--cache-from <image>` in a registry only, never
    // in the local store, so the previous image's inline cache is never imported there.
    warnings.push(
      'cache "inline" is not imported from local images on the containerd image store (BuildKit looks the image up in a registry): using local cache instead',
    );
    return { backend: 'local', builder: source, reason: 'inline on the containerd store', warnings };
  }

  if (backend === 'gha' || backend === 'local' || backend === 'registry') {
    if (backend === 'registry' && !input.registryRef) {
      warnings.push(
        'cache "registry" needs a cache image reference (input `cache-registry-ref`): building without cache',
      );
      return { backend: 'none', builder: source, reason: 'registry without a ref', warnings };
    }
    if (!buildx) {
      warnings.push(
        `cache "${backend}" needs docker buildx, and this docker CLI has none (daemon's built-in BuildKit): using inline cache instead`,
      );
      return { backend: 'inline', builder: source, reason: `${backend} needs buildx`, warnings };
    }
    if (backend === 'gha' && ghaProblem) {
      warnings.push(
        `cache "gha" needs the GitHub Actions cache service: ${ghaProblem}. Run image-budget as the Action, or expose the variables to a CLI step (crazy-max/ghaction-github-runtime): using inline cache instead`,
      );
      return { backend: 'inline', builder: source, reason: 'gha without the cache service', warnings };
    }
    if (!canExport) {
      if (canCreate) return { backend, builder: 'create', reason, warnings };
      warnings.push(
        `cache "${backend}" cannot be exported by builder "${input.named?.name ?? ''}" (${driver ?? 'unknown'} driver): use a docker-container builder; using inline cache instead`,
      );
      return { backend: 'inline', builder: source, reason: `${backend}: builder cannot export`, warnings };
    }
  }
  return { backend, builder: source, reason, warnings };
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
