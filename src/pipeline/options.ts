import type { InputBudgets } from '../budget/judge.js';
import type { ProgressEvent } from '../build/progress.js';
import type { Report } from '../report/model.js';

/**
 * Everything one run needs, made once by `runOptions` (src/pipeline/request.ts) from the request that
 * the Action's inputs or the CLI's flags were read into. The pipeline never reads inputs or flags itself.
 */
export interface RunOptions {
  /** Absolute path of the repository root. */
  root: string;
  /** Compose files or folders, relative to root, in order (comma or newline separated in one
   * string); `COMPOSE_FILE`, else the default file and its override, when absent. */
  compose?: string;
  /** Active compose profiles; `COMPOSE_PROFILES` when absent. */
  profiles?: string[];
  /** Config file, relative to root; `.github/image-budget.yml` when present. */
  config?: string;
  /** Build only these services (names from compose or config). */
  services?: string[];
  /** Tag pattern with `{service}` and `{sha}`, e.g. `image-budget/{service}:{sha}`. */
  tag: string;
  /** Short commit sha for the tag, or `local`. */
  sha: string;
  /** Network for RUN steps, e.g. `host`. */
  network?: string;
  /** The docker CLI to run. */
  docker: string;
  /** Folder for build logs and temporary files, outside the repository. */
  workDir: string;
  /** Lint only: stop before building. */
  lintOnly?: boolean;
  /** Build cache backend as given; `auto` picks the best the engine and environment support (an
   * unknown name is a warning, and means `auto`). */
  cache?: string;
  /** Prefix of the per-service cache scopes. */
  cacheScope?: string;
  /** `registry` cache: the cache image reference. */
  cacheRegistryRef?: string;
  /** A buildx builder to use instead of the current one. */
  builder?: string;
  /** Budgets from inputs or flags, over the config file's defaults. */
  budgets?: InputBudgets;
  /** The base branch's report, for growth budgets and the new/worse/fixed/existing marks. */
  baseline?: Report;
  /** Size changes under this many bytes are noise (a violation is `worse` only beyond it). */
  noiseThreshold?: number;
  /** Stop a build when the engine's disk has fewer free bytes than this. */
  minFreeDisk?: number;
  /** Analyse image layers (compressed size, waste, contents); default true. */
  analyze?: boolean;
  /** Most builds at once (default: every service at once); 1 builds one after another. */
  parallel?: number;
  /** Keep the build logs after the run (by default they are removed: they hold the build args). */
  keepLogs?: boolean;
  /** Pull the images of image-only services before measuring them (a failed pull is a warning). */
  pullImages?: boolean;
  /** Where analyses are kept by image id; default `~/.cache/image-budget/analysis`. */
  analysisCacheDir?: string;
  /** Hears each build, step and analysis start and end as they happen (a progress display). */
  onProgress?: (event: ProgressEvent) => void;
}

export const DEFAULT_TAG = 'image-budget/{service}:{sha}';

/** The tag of one service's image: the pattern with `{service}` and `{sha}` filled in. */
export function imageTag(pattern: string, service: string, sha: string): string {
  const safeService = service.toLowerCase().replace(/[^a-z0-9_.-]/g, '-');
  const safeSha = sha.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 128);
  return pattern.replaceAll('{service}', safeService).replaceAll('{sha}', safeSha);
}
