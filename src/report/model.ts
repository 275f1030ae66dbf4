/**
 * The report: the one model that flows through image-budget.
 *
 * Built by the build step, enriched by measurements and lint, judged by budgets, rendered to the
 * terminal, the step summary, the PR comment and SARIF, stored as the baseline, merged across shards.
 * Documented in docs/report.md. Sizes are bytes, durations milliseconds, paths relative to the
 * repository root (POSIX separators). Fields are only ever added; a reader must tolerate unknown ones.
 */
import type { Problem } from '../util/errors.js';

export const SCHEMA_VERSION = 2 as const;

/** This tool's version, written into every report and SARIF log. */
export const TOOL_VERSION = '0.1.0';

export type Severity = 'error' | 'warning' | 'note';

/** A user's mistake as a value: `{ message, file?, line? }` (util/errors.ts writes it as one line). */
export type { Problem } from '../util/errors.js';

/**
 * How a finding or a violation compares with the baseline (report/marks.ts): `new` (not in the
 * baseline), `worse` (a violation in both whose amount grew), `existing` (in both, not worse), or
 * `fixed` (in the baseline, gone now: only in `Report.fixed`). Absent without a baseline.
 */
export type Mark = 'new' | 'worse' | 'fixed' | 'existing';

/** A problem found in a Dockerfile (lint) or in a built image (inspection). */
export interface Finding {
  /** Kebab-case rule id a user can read, e.g. `cuda-torch`. */
  rule: string;
  severity: Severity;
  /** Path relative to the repository root. */
  file: string;
  line?: number;
  endLine?: number;
  column?: number;
  endColumn?: number;
  message: string;
  /** One-line hint on how to fix it. */
  fix?: string;
  /** Where the finding came from: the Dockerfile, the built image, or the compose file (deploy fit). */
  source?: 'lint' | 'image' | 'compose';
  /** Compared with the baseline; absent without one. */
  mark?: Mark;
  /**
   * What the built image holds of it. On an image finding (`source: 'image'`), its own measure; on a
   * lint finding, the image finding about the same thing, merged into it (pipeline/confirm.ts): the
   * lint's finding confirmed by the image, reported once.
   */
  imageEvidence?: ImageEvidence;
}

/** Bytes the image analysis found in a layer (docs/report.md). */
export interface ImageEvidence {
  /** The image rule that found them, e.g. `model-weights-in-image`. */
  rule: string;
  /** Bytes of them in the layer (added up when several image findings confirm one lint finding). */
  bytes: number;
  /** How many files (added up too). */
  files: number;
  /** The folder that holds them (`/root/.cache/pip`, the folder the largest files share), or the file. */
  path: string;
  /** The layer, 1-based, bottom first (as the messages count). */
  layer: number;
}

/** A budget that a measurement exceeded. */
export interface Violation {
  /** The service, or `total` for repository-wide budgets. */
  service: string;
  /** The budget's key, e.g. `max-size`. */
  budget: string;
  limit: number;
  actual: number;
  /** `bytes`, `ms`, `count` or `percent`. */
  unit: 'bytes' | 'ms' | 'count' | 'percent';
  severity: Severity;
  message: string;
  /** Compared with the baseline; absent without one. */
  mark?: Mark;
  /** Where the limit was set: the config file's line, or an input / flag. */
  limitSource?: LimitSource;
}

/** Where a budget's limit comes from (docs/config.md's precedence table). */
export interface LimitSource {
  /** `service`: the config file's `services.<name>`; `defaults`: its `defaults`; `input`: an Action input or CLI flag. */
  from: 'service' | 'defaults' | 'input';
  /** The config file and the line of the key, for `service` and `defaults`. */
  file?: string;
  line?: number;
}

export type BuildStatus = 'success' | 'failed' | 'skipped' | 'aborted';

export interface BuildStep {
  /** The instruction as BuildKit names it, e.g. `[stage 2/5] RUN pip install -r requirements.txt`. */
  name: string;
  /** Dockerfile line of the instruction, where known. */
  line?: number;
  durationMs: number;
  cached: boolean;
}

export interface BuildResult {
  status: BuildStatus;
  durationMs: number;
  /** `buildx` or `docker` (the daemon's built-in BuildKit). */
  builder?: string;
  exitCode?: number;
  /** The last lines of the build log (failures only). */
  logTail?: string[];
  /** Path of the full build log, where it was kept. */
  logFile?: string;
  /** Every step, in the order BuildKit reported them. */
  steps?: BuildStep[];
  /** Steps served from cache versus executed. */
  cachedSteps?: number;
  executedSteps?: number;
  cache?: { backend: string; warning?: string };
  /** Peak bytes of the engine's disk used while this build ran. */
  peakDiskBytes?: number;
}

export interface LayerInfo {
  /** Uncompressed bytes. */
  size: number;
  /** The instruction that created it (image history). */
  createdBy: string;
  /** gzip bytes, where measured. */
  compressedSize?: number;
  /** The Dockerfile line of the instruction that created it, where it maps to one. */
  line?: number;
}

export interface WastedFile {
  path: string;
  size: number;
  /** Index of the layer that added it and the layer that overwrote or removed it. */
  addedIn: number;
  removedIn: number;
}

export interface ImageResult {
  id: string;
  /** The tag the image was built with. */
  tag?: string;
  /**
   * Uncompressed size in bytes: the sum of the layers' contents, as the classic image store's
   * `docker image inspect` reports it, on every image store (see `sizeSource`).
   */
  size: number;
  /**
   * Where `size` comes from: `engine` (`docker image inspect`, classic store), `layers` (the layers
   * read by the analysis, containerd store), `snapshots` (containerd store without the analysis:
   * the snapshots' disk usage from `docker image history`, block-rounded, typically 0-2% above).
   * Absent in reports before 0.2: `engine`.
   */
  sizeSource?: 'engine' | 'layers' | 'snapshots';
  /** Layer count (rootfs layers). */
  layers: number;
  /** The image config's `Healthcheck.Test` (`["CMD-SHELL", "curl -f ..."]`, `["NONE"]`), when it has one. */
  healthcheck?: string[];
  /** Bytes a registry stores and a deployment pulls (gzip of each layer). */
  compressedSize?: number;
  /** The largest layers, largest first. */
  largestLayers?: LayerInfo[];
  /** Bytes of files overwritten or deleted by a later layer. */
  wastedBytes?: number;
  /** Time the layer analysis of this image took (0 when it came whole from the cache). */
  analysisMs?: number;
  /** Layers whose analysis came from the per-layer cache (kept by content digest), not read again. */
  reusedLayers?: number;
  wastedFiles?: WastedFile[];
}

export interface ServiceReport {
  name: string;
  /** False for services with only `image:` (postgres, redis): listed, not built. */
  built: boolean;
  /** Why a service with a build is listed but not built, e.g. `profile dev` (an inactive compose profile). */
  notBuilt?: string;
  /** The `image:` reference of a service that is not built. */
  imageRef?: string;
  /**
   * Why the image of an image-only service has no size (`image` absent), in one line: e.g. `redis:7
   * is not on the engine (pull-images: true pulls it)`. Measured, it has `image` and no build.
   */
  sizeUnknown?: string;
  /** Paths relative to the repository root. */
  dockerfile?: string;
  context?: string;
  target?: string;
  gpu?: boolean;
  build?: BuildResult;
  image?: ImageResult;
  findings: Finding[];
  violations: Violation[];
  /** The user's mistake that stopped this service, as a value: its file and line where known. */
  error?: Problem;
  /** Problems that did not stop the service (an image analysis that failed, a cache not read). */
  warnings?: string[];
  /** How the service runs on the host, from the compose file (docs/deploy.md); absent without compose. */
  deploy?: ServiceDeploy;
}

/** Where the healthcheck that runs comes from; `disabled`: turned off on purpose; `none`: there is none. */
export type HealthcheckSource = 'compose' | 'dockerfile' | 'image' | 'disabled' | 'none';

/** A service's deploy fit: memory in bytes (per container), its healthcheck, whether it runs once. */
export interface ServiceDeploy {
  memoryLimit?: number;
  memoryReservation?: number;
  /** Containers at once (`deploy.replicas`, `scale`); absent: 1. */
  replicas?: number;
  healthcheck: HealthcheckSource;
  /** Runs once and exits (`restart: "no"`, ...): no healthcheck expected. */
  oneShot?: boolean;
}

/** The host the services share (`host-memory`): its memory and the sums over every service, in bytes. */
export interface HostFit {
  memory: number;
  /** Sum of the limits (times replicas) of the services that have one. */
  limits: number;
  reservations: number;
  /** Services with no memory limit: the sum of the limits is then unknowable. */
  unlimited: string[];
}

export interface Totals {
  services: number;
  built: number;
  failed: number;
  /** Sum of uncompressed sizes of the images built, and of the image-only services' images measured. */
  size: number;
  compressedSize?: number;
  /** Sum of the builds' wall times. */
  buildDurationMs: number;
  findings: { error: number; warning: number; note: number };
  violations: number;
}

export interface Report {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: 'image-budget'; version: string };
  createdAt: string;
  /** Where the services were found, relative to the repository root. */
  composeFile?: string;
  configFile?: string;
  git?: { sha?: string; ref?: string; baseRef?: string; pullRequest?: number };
  engine?: {
    builder: string;
    version?: string;
    /** `classic` (graph driver) or `containerd` (the containerd image store). */
    imageStore?: 'classic' | 'containerd';
    /** The buildx driver, when buildx built. */
    driver?: string;
  };
  /** The whole run's wall time. */
  durationMs?: number;
  /** The host's memory and what the services take of it, when `host-memory` is set. */
  host?: HostFit;
  /**
   * Wall time of each phase. Builds run side by side and each image's analysis starts when its
   * build ends, so `buildsMs` (first build start to last measurement end) overlaps `analysisMs`
   * (the analyses' own times, added up).
   */
  phases?: {
    lintMs?: number;
    buildsMs?: number;
    analysisMs?: number;
    baselineMs?: number;
    commentMs?: number;
  };
  services: ServiceReport[];
  totals: Totals;
  /** Repository-wide budget violations (e.g. total size). */
  violations: Violation[];
  /** Problems that belong to no single service: a broken compose file, an unknown service name. */
  errors: Problem[];
  /** What the baseline had and this run no longer has (report/marks.ts); absent without a baseline. */
  fixed?: { findings: (Finding & { service: string })[]; violations: Violation[] };
}
