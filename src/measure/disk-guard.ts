/**
 * Watches the free space of the filesystem that holds the engine's data root.
 *
 * - `startDiskGuard`: one build; records the peak bytes it used and calls `onLow` (once) when free
 *   space falls below `minFreeBytes`.
 * - `RunDiskGuard`: the whole run, with builds side by side. When free space falls below the limit
 *   it stops the build that is growing, not every build: `buildsToStop` (pure) says which from the
 *   samples (free bytes, and which builds had a BuildKit step running in each interval). Each fall
 *   between two samples is charged to the builds that were running a step then, in equal shares;
 *   the build with the largest charge is stopped, and with it any whose charge comes near (80%).
 *   Two builds whose steps ran through the same whole fall cannot be told apart that way: then the
 *   one whose step started just as the disk began to fall (up to 1 s before: a container starts
 *   before it writes) is stopped when the others' steps had already run while it did not fall;
 *   else all of them. A fall while no step ran, a disk under
 *   the limit with no fall seen, or a disk under half the limit stops every running build. After a
 *   stop the guard goes on: if the disk keeps falling (a wrong guess, or a second build growing),
 *   the next decision looks only at the samples since the stop; space the stopped build is still
 *   releasing (no fall) stops nothing more.
 */
import { statfsSync } from 'node:fs';

export interface StatFs {
  bavail: number | bigint;
  bsize: number | bigint;
}

export interface DiskGuardOptions {
  /** A path on the filesystem to watch (the engine's data root). */
  path: string;
  /** Below this many free bytes, `onLow` is called (once). No limit when absent. */
  minFreeBytes?: number;
  /** Sampling period (default 250 ms). */
  intervalMs?: number;
  onLow?: (freeBytes: number) => void;
  /** Injected for tests; `fs.statfsSync` by default. */
  statfs?: (path: string) => StatFs;
}

export interface DiskGuardResult {
  /** Free bytes at the start minus the lowest free bytes seen: the most the build took at once. */
  peakUsedBytes: number;
  /** The lowest free bytes seen. */
  minFreeBytes: number;
}

export interface DiskGuard {
  /** Stops sampling (takes one last sample) and returns what was seen. */
  stop(): DiskGuardResult;
}

/** Free bytes available to unprivileged users (what a build can actually write). */
export function freeBytes(path: string, statfs: (path: string) => StatFs = statfsSync): number {
  const stats = statfs(path);
  return Number(stats.bavail) * Number(stats.bsize);
}

export function startDiskGuard(options: DiskGuardOptions): DiskGuard {
  const statfs = options.statfs ?? ((path: string) => statfsSync(path));
  const start = freeBytes(options.path, statfs);
  let lowest = start;
  let warned = false;
  let stopped = false;

  const sample = (): void => {
    let free: number;
    try {
      free = freeBytes(options.path, statfs);
    } catch {
      return; // the folder may come and go with the engine; keep the last figures
    }
    if (free < lowest) lowest = free;
    if (!warned && !stopped && options.minFreeBytes !== undefined && free < options.minFreeBytes) {
      warned = true;
      options.onLow?.(free);
    }
  };
  sample();
  const timer = setInterval(sample, Math.max(10, options.intervalMs ?? 250));
  timer.unref();

  return {
    stop(): DiskGuardResult {
      if (!stopped) {
        stopped = true;
        clearInterval(timer);
        sample();
      }
      return { peakUsedBytes: Math.max(0, start - lowest), minFreeBytes: lowest };
    },
  };
}

export interface WaitForFreeOptions {
  path: string;
  minFreeBytes: number;
  /** Give up after this long (default 20 s). */
  timeoutMs?: number;
  intervalMs?: number;
  statfs?: (path: string) => StatFs;
  /** Sleeps; injected for tests. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Waits until the disk has at least `minFreeBytes` free, or the timeout passes; resolves with the
 * free bytes last seen. An engine releases a stopped build's space a few seconds after the stop
 * (BuildKit removes the cancelled step's snapshot asynchronously on the containerd store), so the
 * next build waits for it instead of starting on a disk that is still full.
 */
export async function waitForFree(options: WaitForFreeOptions): Promise<number> {
  const statfs = options.statfs ?? ((path: string) => statfsSync(path));
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const interval = Math.max(10, options.intervalMs ?? 250);
  const deadline = (options.timeoutMs ?? 20_000) / interval;
  let free = freeBytes(options.path, statfs);
  for (let waited = 0; free < options.minFreeBytes && waited < deadline; waited += 1) {
    await sleep(interval);
    free = freeBytes(options.path, statfs);
  }
  return free;
}

/** What the run-wide guard saw at one sampling: the free bytes, and which builds ran a step since the last one. */
export interface GuardSample {
  at: number;
  free: number;
  /** Builds that had a BuildKit step running at some point since the previous sample. */
  active: readonly string[];
}

/** A build still running, as the decision sees it. */
export interface GuardBuild {
  service: string;
  /** When its latest started step that is still running started; undefined when none runs. */
  stepStartedAt?: number;
}

export interface StopDecision {
  /** The builds to stop (empty: none). */
  stop: string[];
  /** True when the growing build was told apart; false when every candidate is stopped. */
  told: boolean;
}

/** A fall smaller than this between two samples is noise (logs, other processes). */
export const FALL_NOISE_BYTES = 256 * 1024;
/** How long a step may run before it writes (its container starts first). */
export const ONSET_LAG_MS = 1000;
/** A build whose charge is at least this share of the largest one is stopped as well. */
export const NEAR_SHARE = 0.8;

/**
 * Which of the running builds to stop when the disk is under the limit (see the top of the file).
 * @param samples oldest first: those of the window since the last stop (or the run's start).
 * @param everStopped whether the guard already stopped a build: then a disk that does not fall any
 *   more stops nothing (the stopped build is releasing its space).
 * @param underFloor the disk is under half the limit: no time to tell, every build stops.
 */
export function buildsToStop(
  samples: readonly GuardSample[],
  running: readonly GuardBuild[],
  { everStopped = false, underFloor = false }: { everStopped?: boolean; underFloor?: boolean } = {},
): StopDecision {
  const names = running.map((b) => b.service);
  const all = { stop: names, told: names.length === 1 };
  if (names.length === 0) return { stop: [], told: false };
  if (underFloor) return all;
  const charge = new Map(names.map((name) => [name, 0]));
  const falls: boolean[] = [false];
  let total = 0;
  for (let i = 1; i < samples.length; i += 1) {
    const drop = samples[i - 1]!.free - samples[i]!.free;
    falls.push(drop > FALL_NOISE_BYTES);
    if (drop <= FALL_NOISE_BYTES) continue;
    total += drop;
    const active = samples[i]!.active.filter((name) => charge.has(name));
    // A fall while no step of a running build ran is anyone's: every build gets a share.
    const who = active.length > 0 ? active : names;
    for (const name of who) charge.set(name, (charge.get(name) ?? 0) + drop / who.length);
  }
  if (total === 0) return everStopped ? { stop: [], told: false } : all;
  const top = Math.max(...charge.values());
  const near = names.filter((name) => (charge.get(name) ?? 0) >= top * NEAR_SHARE);
  if (near.length === 1) return { stop: near, told: true };
  // The current fall began in the interval (t0, t1] (falls[first]). A step may take a moment to
  // write (its container starts first): one that started up to ONSET_LAG_MS before t0 is fresh, and
  // the disk must not have fallen in that time; the others' steps started before it.
  let first = falls.lastIndexOf(true);
  while (first > 1 && falls[first - 1]) first -= 1;
  const t0 = samples[first - 1]?.at ?? 0;
  const t1 = samples[first]?.at ?? 0;
  const seenFlat =
    first > 1 &&
    samples[0]!.at <= t0 - ONSET_LAG_MS &&
    samples.every((sample, i) => i >= first || i === 0 || !falls[i] || sample.at <= t0 - ONSET_LAG_MS);
  if (seenFlat) {
    const startOf = new Map(running.map((b) => [b.service, b.stepStartedAt]));
    const began = (name: string, test: (at: number) => boolean): boolean => {
      const at = startOf.get(name);
      return at !== undefined && test(at);
    };
    const fresh = near.filter((name) => began(name, (at) => at >= t0 - ONSET_LAG_MS && at <= t1));
    const earlier = near.filter((name) => began(name, (at) => at < t0 - ONSET_LAG_MS));
    if (fresh.length === 1 && earlier.length === near.length - 1) return { stop: fresh, told: true };
  }
  return { stop: near, told: near.length < names.length };
}

export interface RunDiskGuardOptions {
  /** A path on the filesystem to watch (the engine's data root). */
  path: string;
  minFreeBytes: number;
  /** Sampling period (default 250 ms). */
  intervalMs?: number;
  /** How far back a decision looks (default 60 s). */
  windowMs?: number;
  /** Injected for tests; `fs.statfsSync` by default. */
  statfs?: (path: string) => StatFs;
  /** The clock of the samples, the same as the progress events' `at` (default `performance.now()`). */
  now?: () => number;
  /** No timer when false (tests call `sample()`); default true. */
  timer?: boolean;
}

/** What the guard reads of a progress event: a step's start and end, a build's end. */
export interface GuardEvent {
  kind: string;
  service: string;
  /** The step's BuildKit vertex id. */
  id?: number;
  at: number;
}

/** Why a build was stopped: the free bytes then, and whether it was told to be the growing one. */
export interface GuardStop {
  freeBytes: number;
  told: boolean;
}

interface Tracked {
  service: string;
  onStop: (why: GuardStop) => void;
  startFree: number;
  lowest: number;
  /** Running steps: BuildKit vertex id -> when it started. */
  open: Map<number, number>;
  touched: boolean;
  stopped: boolean;
}

/** The disk guard of a whole run: builds come and go (`track`), their steps arrive as progress events. */
export class RunDiskGuard {
  private readonly builds = new Map<string, Tracked>();
  private samples: GuardSample[] = [];
  private everStopped = false;
  private lastFree: number;
  private readonly timer: ReturnType<typeof setInterval> | undefined;
  private readonly statfs: (path: string) => StatFs;
  private readonly now: () => number;

  constructor(private readonly options: RunDiskGuardOptions) {
    this.statfs = options.statfs ?? ((p: string) => statfsSync(p));
    this.now = options.now ?? (() => performance.now());
    this.lastFree = freeBytes(options.path, this.statfs);
    this.samples.push({ at: this.now(), free: this.lastFree, active: [] });
    if (options.timer !== false) {
      this.timer = setInterval(() => this.sample(), Math.max(10, options.intervalMs ?? 250));
      this.timer.unref();
    }
  }

  /** Watches one build until `end`; `onStop` is called (once) when the guard stops it. */
  track(service: string, onStop: (why: GuardStop) => void): { end(): DiskGuardResult } {
    const tracked: Tracked = {
      service,
      onStop,
      startFree: this.lastFree,
      lowest: this.lastFree,
      open: new Map(),
      touched: false,
      stopped: false,
    };
    this.builds.set(service, tracked);
    return {
      end: () => {
        if (this.builds.get(service) === tracked) {
          this.sample();
          this.builds.delete(service);
        }
        return {
          peakUsedBytes: Math.max(0, tracked.startFree - tracked.lowest),
          minFreeBytes: tracked.lowest,
        };
      },
    };
  }

  /** A build's steps, from the progress events (build/progress.ts's `ProgressEvent`, by its shape). */
  observe(event: GuardEvent): void {
    const tracked = this.builds.get(event.service);
    if (!tracked) return;
    if (event.kind === 'step-started' && event.id !== undefined) {
      tracked.open.set(event.id, event.at);
      tracked.touched = true;
    } else if (event.kind === 'step-finished' && event.id !== undefined) tracked.open.delete(event.id);
    else if (event.kind === 'build-finished') tracked.open.clear();
  }

  /** One sampling (the timer calls it): records, and stops builds when the disk is under the limit. */
  sample(): void {
    let free: number;
    try {
      free = freeBytes(this.options.path, this.statfs);
    } catch {
      return; // the folder may come and go with the engine; keep the last figures
    }
    const at = this.now();
    this.lastFree = free;
    const running = [...this.builds.values()].filter((b) => !b.stopped);
    const active = running.filter((b) => b.open.size > 0 || b.touched).map((b) => b.service);
    for (const build of this.builds.values()) {
      build.touched = false;
      if (free < build.lowest) build.lowest = free;
    }
    const windowStart = at - (this.options.windowMs ?? 60_000);
    this.samples.push({ at, free, active });
    while (this.samples.length > 2 && this.samples[0]!.at < windowStart) this.samples.shift();
    if (free >= this.options.minFreeBytes || running.length === 0) return;
    const decision = buildsToStop(
      this.samples,
      running.map((b) => {
        const started = [...b.open.values()];
        return started.length > 0
          ? { service: b.service, stepStartedAt: Math.max(...started) }
          : { service: b.service };
      }),
      { everStopped: this.everStopped, underFloor: free < this.options.minFreeBytes / 2 },
    );
    if (decision.stop.length === 0) return;
    this.everStopped = true;
    this.samples = [{ at, free, active: [] }];
    for (const name of decision.stop) {
      const build = this.builds.get(name);
      if (!build || build.stopped) continue;
      build.stopped = true;
      build.onStop({ freeBytes: free, told: decision.told });
    }
  }

  /** Stops sampling. */
  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }
}
