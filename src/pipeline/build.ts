/**
 * The build step: find a BuildKit builder, open the cache, then build and measure the services side
 * by side (all at once unless `parallel` caps it; a service that uses another's image waits for
 * it), each under the disk guard. Each service's log is kept apart and printed as one group when
 * it ends, never interleaved. A failed build is recorded and the others go on.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { unbuildablePlatforms, unsupportedOptions } from '../build/argv.js';
import { builderPlatforms } from '../build/platforms.js';
import { detectBuilderOnce, type Builder } from '../build/builder.js';
import { buildService, type BuildServiceOptions, type ServiceBuild } from '../build/run-build.js';
import type { ProgressEvent } from '../build/progress.js';
import { openCache, type CacheOptions, type CacheSession } from '../cache/index.js';
import { AnalysisCache, defaultAnalysisCacheDir } from '../measure/analysis-cache.js';
import { RunDiskGuard, waitForFree, type DiskGuardResult, type GuardStop } from '../measure/disk-guard.js';
import { formatBytes } from '../report/format.js';
import type { BuildSpec, Plan, ServicePlan } from '../plan/model.js';
import { buildable } from '../plan/make-plan.js';
import type { Report, ServiceReport } from '../report/model.js';
import { isUserError, problem, problemLine } from '../util/errors.js';
import { relativePath } from '../util/paths.js';
import type { ParsedDockerfile } from '../dockerfile/index.js';
import type { Docker } from '../docker/exec.js';
import { entryFor, type PipelineDeps } from './deps.js';
import type { RunDockerfiles } from './dockerfiles.js';
import { measureImage } from './measure.js';
import { imageTag, type RunOptions } from './options.js';
import { schedule } from './schedule.js';
import type { Log } from '../util/log.js';

/** What the build step leaves besides the report: the analysis cache files it used. */
export interface BuildOutcome {
  analysisFiles: string[];
}

export async function buildAll(
  plan: Plan,
  report: Report,
  options: RunOptions,
  deps: PipelineDeps,
  dockerfiles: RunDockerfiles = new Map(),
): Promise<BuildOutcome> {
  const toBuild = plan.services.filter(buildable);
  if (toBuild.length === 0) return { analysisFiles: [] };
  const builder = await builderOrSkipAll(toBuild, report, deps);
  if (!builder) return { analysisFiles: [] };
  const cache = await openCache(deps.docker, builder, cacheOptions(options, toBuild, deps), deps.log);
  report.engine = engineOf(cache.builder);
  deps.log.info(`Building with ${describe(cache.builder)}, cache: ${cache.backend}`);
  const run = await runShared(cache, toBuild, options, deps);
  const byName = new Map(toBuild.map((service) => [service.name, service]));
  const limit = options.parallel ?? toBuild.length;
  await schedule(
    toBuild.map((service) => service.name),
    async (name) => {
      const entry = entryFor(report.services, name);
      const shared = { ...run, dockerfile: dockerfiles.get(name)?.model };
      await inGroup(`Build ${name}`, limit === 1, deps.log, (log) =>
        buildOne(byName.get(name)!, entry, shared, plan, options, { ...deps, log }),
      );
      return entry.build?.status === 'success' && entry.error === undefined;
    },
    {
      limit,
      after: new Map(toBuild.map((service) => [service.name, service.buildAfter ?? []])),
      onBlocked: (name, dependency) => {
        const entry = entryFor(report.services, name);
        entry.build = { status: 'skipped', durationMs: 0 };
        entry.error = problem(`not built: it uses the image of ${dependency}, which did not build`);
        deps.log.error(`${name}: ${problemLine(entry.error)}`);
      },
    },
  );
  run.guard?.close();
  await cache.finish();
  return { analysisFiles: run.analyses.used() };
}

/** The run's BuildKit builder; none is a run error, and every service to build is skipped. */
async function builderOrSkipAll(
  toBuild: ServicePlan[],
  report: Report,
  deps: PipelineDeps,
): Promise<Builder | undefined> {
  try {
    return await detectBuilderOnce(deps.docker);
  } catch (error) {
    if (!isUserError(error)) throw error;
    report.errors.push(error.toProblem());
    deps.log.error(error.toLine());
    for (const service of toBuild) {
      const entry = entryFor(report.services, service.name);
      entry.build = { status: 'skipped', durationMs: 0 };
      entry.error = problem('not built: no BuildKit builder (see above)');
    }
    return undefined;
  }
}

/** The report's account of the engine that built. */
function engineOf(builder: Builder): Report['engine'] {
  return {
    builder: builder.kind,
    version: builder.serverVersion,
    imageStore: builder.imageStore ?? 'classic',
    ...(builder.driver ? { driver: builder.driver } : {}),
  };
}

/** What the builds of this run share, but each service's Dockerfile. */
async function runShared(
  cache: CacheSession,
  toBuild: ServicePlan[],
  options: RunOptions,
  deps: PipelineDeps,
): Promise<Omit<RunShared, 'dockerfile'>> {
  const dataRoot = options.minFreeDisk !== undefined ? await engineDataRoot(deps) : undefined;
  const platforms = toBuild.some((s) => s.build?.platforms?.length)
    ? await builderPlatforms(deps.docker, cache.builder)
    : [];
  const analyses = new AnalysisCache(options.analysisCacheDir ?? defaultAnalysisCacheDir(deps.env));
  // One guard for the whole run: it stops the build that grows, not all of them (measure/disk-guard.ts).
  const guard =
    dataRoot && options.minFreeDisk !== undefined
      ? new RunDiskGuard({ path: dataRoot, minFreeBytes: options.minFreeDisk })
      : undefined;
  return { cache, analyses, dataRoot, platforms, guard };
}

/**
 * Runs one service's build inside its own group of `log`: straight into it when the builds run one
 * at a time, else into a buffer printed as one group when the build ends, never interleaved.
 */
async function inGroup(
  name: string,
  serial: boolean,
  log: Log,
  fn: (log: Log) => Promise<void>,
): Promise<void> {
  if (serial) return log.group(name, () => fn(log));
  const buffered = bufferedLog(log);
  await fn(buffered.log);
  await log.group(name, async () => buffered.replay(log));
}

/** A log that keeps one service's lines, to be printed as one group when the service ends. */
function bufferedLog(base: Log): { log: Log; replay: (to: Log) => void } {
  const lines: { level: 'info' | 'warning' | 'error'; message: string }[] = [];
  const log: Log = {
    info: (message) => void lines.push({ level: 'info', message }),
    warning: (message) => void lines.push({ level: 'warning', message }),
    error: (message) => void lines.push({ level: 'error', message }),
    ...(base.debug ? { debug: (message: string) => base.debug?.(message) } : {}),
    group: (_name, fn) => fn(),
    ...(base.mask ? { mask: (value: string) => base.mask?.(value) } : {}),
  };
  return {
    log,
    replay: (to) => {
      for (const line of lines) to[line.level](line.message);
    },
  };
}

/** What every service's build shares within one run. */
interface RunShared {
  cache: CacheSession;
  analyses: AnalysisCache;
  /** The engine's data root, when the disk guard is on. */
  dataRoot: string | undefined;
  /** What the builder can build, when a service asks for platforms (empty: unknown). */
  platforms: string[];
  /** The run's model of this service's Dockerfile (none: unreadable). */
  dockerfile: ParsedDockerfile | undefined;
  /** The run's disk guard, when min-free-disk is set and the data root is on this machine. */
  guard: RunDiskGuard | undefined;
}

/** One service built (or skipped, saying why), its result written to `entry`, its image measured. */
async function buildOne(
  service: ServicePlan,
  entry: ServiceReport,
  shared: RunShared,
  plan: Plan,
  options: RunOptions,
  deps: PipelineDeps,
): Promise<void> {
  const spec = service.build;
  if (!spec) return;
  const { cache, dockerfile } = shared;
  const unsupported = unsupportedOptions(cache.builder, spec) ?? unbuildablePlatforms(spec, shared.platforms);
  if (unsupported) {
    entry.build = { status: 'skipped', durationMs: 0 };
    entry.error = problem(`service "${service.name}": ${unsupported}`);
    deps.log.error(problemLine(entry.error));
    return;
  }
  const tag = imageTag(options.tag, service.name, options.sha);
  const lowDisk = await lowDiskBefore(shared.dataRoot, options.minFreeDisk);
  const dockerfileLabel = spec.dockerfile
    ? relativePath(plan.root, spec.dockerfile)
    : `${service.name} (inline Dockerfile)`;
  if (lowDisk !== undefined) {
    entry.build = { status: 'skipped', durationMs: 0 };
    entry.error = problem(
      `not built: the engine's disk had ${formatBytes(lowDisk)} free, under min-free-disk ${formatBytes(options.minFreeDisk ?? 0)}`,
      dockerfileLabel,
    );
    deps.log.error(`${service.name}: ${problemLine(entry.error)}`);
    return;
  }
  const abort = new AbortController();
  const watch = watchDisk(shared.guard, service.name, abort, options.onProgress);
  const result = await buildWithCache(deps.docker, cache, service.name, spec, {
    tag,
    ...(dockerfile ? { dockerfile } : {}),
    workDir: path.join(options.workDir, 'builds'),
    dockerfileLabel,
    serviceTag: (other) => imageTag(options.tag, other, options.sha),
    ...(service.image ? { composeImage: service.image } : {}),
    signal: abort.signal,
    ...(options.network ? { network: options.network } : {}),
    onLine: (line) => deps.log.info(line),
    ...(watch.onProgress ? { onProgress: watch.onProgress } : {}),
  });
  const disk = watch.end();
  await cache.afterBuild(service.name, result.build.status === 'success');
  entry.build = { ...result.build, cache: cache.reportFor(service.name) };
  if (disk) entry.build.peakDiskBytes = disk.peakUsedBytes;
  const stopped = watch.stopped();
  if (stopped !== undefined) {
    entry.error = problem(stoppedLine(stopped, options.minFreeDisk ?? 0), dockerfileLabel);
    deps.log.error(`${service.name}: ${problemLine(entry.error)}`);
    return;
  }
  if (result.error) {
    entry.error = result.error;
    deps.log.error(`${service.name}: ${problemLine(result.error)}`);
    return;
  }
  if (result.imageId) await measureBuilt(entry, result.imageId, tag, spec, shared, options, deps);
}

/** The service built with the run's cache arguments (`options.cacheArgs` is the cache's). */
async function buildWithCache(
  docker: Docker,
  cache: CacheSession,
  name: string,
  spec: BuildSpec,
  options: BuildServiceOptions,
): Promise<ServiceBuild> {
  const build = (cacheArgs: string[]) =>
    buildService(docker, cache.builder, name, spec, { ...options, cacheArgs });
  const result = await build(cache.argsFor(name, options.tag));
  // A cache that cannot be written is a warning, never the service's failure: build once more without it.
  if (
    result.build.status === 'failed' &&
    result.error &&
    !options.signal?.aborted &&
    cache.failedBecauseOfCache(name, result.error.message)
  )
    return build([]);
  return result;
}

/**
 * The engine's free bytes when they are under min-free-disk before a build starts, else none. A build
 * stopped just before may still be releasing its space: wait for it, not on a full disk.
 */
async function lowDiskBefore(
  dataRoot: string | undefined,
  minFree: number | undefined,
): Promise<number | undefined> {
  if (!dataRoot || minFree === undefined) return undefined;
  const free = await waitForFree({ path: dataRoot, minFreeBytes: minFree });
  return free < minFree ? free : undefined;
}

/** The disk guard's watch over one build: it sees the build's progress, and stops it by `abort`. */
interface DiskWatch {
  /** The build's progress listener: the guard's, then the run's. */
  onProgress: ((event: ProgressEvent) => void) | undefined;
  /** Why the guard stopped the build, if it did. */
  stopped(): GuardStop | undefined;
  /** The end of the watch: the build's peak disk use (none: no guard). */
  end(): DiskGuardResult | undefined;
}

function watchDisk(
  guard: RunDiskGuard | undefined,
  service: string,
  abort: AbortController,
  onProgress: ((event: ProgressEvent) => void) | undefined,
): DiskWatch {
  if (!guard) return { onProgress, stopped: () => undefined, end: () => undefined };
  let stopped: GuardStop | undefined;
  const watch = guard.track(service, (why) => {
    stopped = why;
    abort.abort();
  });
  return {
    onProgress: (event) => {
      guard.observe(event);
      onProgress?.(event);
    },
    stopped: () => stopped,
    end: () => watch.end(),
  };
}

/** The built image measured, between the `analysis-started` and `analysis-finished` progress events. */
async function measureBuilt(
  entry: ServiceReport,
  imageId: string,
  tag: string,
  spec: BuildSpec,
  { analyses, cache, dockerfile }: RunShared,
  options: RunOptions,
  deps: PipelineDeps,
): Promise<void> {
  const analysisStarted = performance.now();
  options.onProgress?.({ kind: 'analysis-started', service: entry.name, at: analysisStarted });
  await measureImage(
    entry,
    imageId,
    tag,
    spec,
    {
      analyze: options.analyze ?? true,
      cache: analyses,
      ...(dockerfile ? { dockerfile } : {}),
      ...(cache.builder.imageStore ? { imageStore: cache.builder.imageStore } : {}),
    },
    deps,
  );
  const at = performance.now();
  options.onProgress?.({
    kind: 'analysis-finished',
    service: entry.name,
    ok: entry.error === undefined,
    durationMs: Math.round(at - analysisStarted),
    at,
  });
}

/** Why the disk guard stopped a build: it was the one growing, or which one was could not be told. */
function stoppedLine(why: GuardStop, minFree: number): string {
  const free = `${formatBytes(why.freeBytes)} free`;
  return why.told
    ? `build stopped: the disk fell under min-free-disk ${formatBytes(minFree)} while it was growing (${free})`
    : `build stopped: the disk fell under min-free-disk ${formatBytes(minFree)} (${free}) and which build was growing could not be told: every running build was stopped`;
}

/** Where the engine keeps its data, when it is on this machine's disk; else the guard cannot watch it. */
async function engineDataRoot(deps: PipelineDeps): Promise<string | undefined> {
  const env = deps.env ?? process.env;
  if (env.IMAGE_BUDGET_ENGINE_DATA_ROOT) return env.IMAGE_BUDGET_ENGINE_DATA_ROOT;
  const info = await deps.docker.run(['info', '--format', '{{.DockerRootDir}}']);
  const dir = info.stdout.trim();
  try {
    const { statfsSync } = await import('node:fs');
    statfsSync(dir);
    return dir;
  } catch {
    deps.log.warning(
      `min-free-disk: the engine's data root ${dir || '(unknown)'} is not on this machine; the disk guard is off`,
    );
    return undefined;
  }
}

function cacheOptions(options: RunOptions, toBuild: ServicePlan[], deps: PipelineDeps): CacheOptions {
  return {
    services: toBuild.map((s) => s.name),
    backend: options.cache ?? 'auto',
    scopePrefix: options.cacheScope ?? 'image-budget',
    workDir: path.join(options.workDir, 'cache'),
    env: deps.env ?? process.env,
    ...(options.cacheRegistryRef ? { registryRef: options.cacheRegistryRef } : {}),
    ...(options.builder ? { builderName: options.builder } : {}),
  };
}

function describe(builder: Builder): string {
  if (builder.kind === 'docker') return `docker ${builder.version} (built-in BuildKit)`;
  return `docker buildx ${builder.version}${builder.driver ? ` (${builder.driver} driver)` : ''}`;
}

/**
 * The build logs of the builds that did not fail removed, with their `logFile` (they hold the build
 * args in clear); a failed or stopped build keeps its log for its user to read, and `logFile` says
 * where. For a run that kept every log (`keepLogs`), as `image-budget check` does.
 */
export function keepFailedBuildLogs(report: Report): void {
  for (const service of report.services) {
    const build = service.build;
    if (!build?.logFile || build.status === 'failed' || build.status === 'aborted') continue;
    rmSync(build.logFile, { force: true });
    delete build.logFile;
  }
}
