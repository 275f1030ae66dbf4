/**
 * Watches the free space of the filesystem that holds the engine's data root while a build runs:
 * records the peak bytes the build used and calls `onLow` (once) when free space falls below
 * `minFreeBytes`, so the caller can abort the build before the disk fills.
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
