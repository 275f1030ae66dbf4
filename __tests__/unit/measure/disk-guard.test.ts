import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  buildsToStop,
  RunDiskGuard,
  startDiskGuard,
  waitForFree,
  type GuardBuild,
  type GuardSample,
} from '../../../src/measure/disk-guard.js';

/** A disk whose free blocks follow `free`, one value per statfs call (the last one repeats). */
function disk(free: number[]) {
  let calls = 0;
  return {
    statfs: () => ({ bavail: free[Math.min(calls++, free.length - 1)]!, bsize: 1 }),
    calls: () => calls,
  };
}

describe('waitForFree', () => {
  it.each([
    // free bytes seen one after another, threshold, what it resolves with, statfs calls
    [1, [100], 50, 100, 1],
    [2, [10, 20, 60, 70], 50, 60, 3],
    [3, [10], 50, 10, 5], // gives up after timeoutMs / intervalMs waits
  ])('%i: %j against %i free -> %i', async (_n, free, min, expected, calls) => {
    const fake = disk(free);
    const slept: number[] = [];
    const result = await waitForFree({
      path: '/',
      minFreeBytes: min,
      timeoutMs: 1000,
      intervalMs: 250,
      statfs: fake.statfs,
      sleep: (ms) => {
        slept.push(ms);
        return Promise.resolve();
      },
    });
    expect(result).toBe(expected);
    expect(fake.calls()).toBe(calls);
    expect(slept.every((ms) => ms === 250)).toBe(true);
  });
});

const MB = 1024 * 1024;

/** Samples every 250 ms from free bytes in MB and the builds that ran a step in each interval. */
function samples(...points: [number, string[]][]): GuardSample[] {
  return points.map(([free, active], i) => ({ at: i * 250, free: free * MB, active }));
}

/** `n` samples of a disk that does not fall. */
const flat = (n: number, free: number, active: string[]): [number, string[]][] =>
  Array.from({ length: n }, () => [free, active]);

describe('buildsToStop: which builds the fall is charged to', () => {
  it.each<
    [
      number,
      string,
      GuardSample[],
      GuardBuild[],
      { everStopped?: boolean; underFloor?: boolean },
      string[],
      boolean,
    ]
  >([
    [
      1,
      'the only build running a step while the disk fell',
      samples([1000, []], [990, ['hog', 'small']], [900, ['hog']], [800, ['hog']], [700, ['hog']]),
      [
        { service: 'hog', stepStartedAt: 100 },
        { service: 'small', stepStartedAt: 100 },
      ],
      {},
      ['hog'],
      true,
    ],
    [
      2,
      'a build that runs through the fall but also while the disk stays flat is spared',
      samples(
        [1000, ['slow']],
        [1000, ['slow']],
        [900, ['slow', 'hog']],
        [800, ['hog']],
        [700, ['slow', 'hog']],
      ),
      [
        { service: 'slow', stepStartedAt: 0 },
        { service: 'hog', stepStartedAt: 400 },
      ],
      {},
      ['hog'],
      true,
    ],
    [
      3,
      'two steps through the same whole fall: the one that started as the disk began to fall',
      samples(
        ...flat(7, 1000, ['slow']),
        [900, ['slow', 'hog']],
        [800, ['slow', 'hog']],
        [700, ['slow', 'hog']],
      ),
      // The fall began in (1500, 1750]; hog's step started 100 ms before it (its container starting).
      [
        { service: 'slow', stepStartedAt: 50 },
        { service: 'hog', stepStartedAt: 1400 },
      ],
      {},
      ['hog'],
      true,
    ],
    [
      4,
      'two steps that started together with the fall: both (it cannot tell)',
      samples([1000, []], [1000, []], [900, ['a', 'b']], [800, ['a', 'b']], [700, ['a', 'b']]),
      [
        { service: 'a', stepStartedAt: 300 },
        { service: 'b', stepStartedAt: 320 },
      ],
      {},
      ['a', 'b'],
      false,
    ],
    [
      15,
      'the disk fell (no step ran) a moment before the fresh step started: no clean onset, both',
      samples(
        ...flat(4, 1000, ['slow']),
        [900, []],
        ...flat(1, 900, ['slow']),
        [800, ['slow', 'hog']],
        [700, ['slow', 'hog']],
      ),
      [
        { service: 'slow', stepStartedAt: 0 },
        { service: 'hog', stepStartedAt: 1400 },
      ],
      {},
      ['slow', 'hog'],
      false,
    ],
    [
      5,
      'the fall began before the window: no onset to compare, both',
      samples([1000, ['a', 'b']], [900, ['a', 'b']], [800, ['a', 'b']]),
      [
        { service: 'a', stepStartedAt: -5000 },
        { service: 'b', stepStartedAt: 100 },
      ],
      {},
      ['a', 'b'],
      false,
    ],
    [
      6,
      'two of three near each other: those two, the third stands',
      samples([1000, []], [900, ['a', 'b']], [800, ['a', 'b']], [800, ['c']]),
      [{ service: 'a' }, { service: 'b' }, { service: 'c', stepStartedAt: 600 }],
      {},
      ['a', 'b'],
      true,
    ],
    [
      7,
      'a fall while no step ran is everyone’s',
      samples([1000, []], [800, []], [600, []]),
      [{ service: 'a' }, { service: 'b' }],
      {},
      ['a', 'b'],
      false,
    ],
    [
      8,
      'under the limit with no fall seen, before any stop: all',
      samples([100, ['a']], [100, ['a']]),
      [{ service: 'a' }, { service: 'b' }],
      {},
      ['a', 'b'],
      false,
    ],
    [
      9,
      'after a stop, a disk that does not fall (the stopped build releasing) stops nothing',
      samples([100, ['b']], [100, ['b']], [101, ['b']]),
      [{ service: 'b', stepStartedAt: 0 }],
      { everStopped: true },
      [],
      false,
    ],
    [
      10,
      'after a stop, a disk that keeps falling stops the build still growing',
      samples([100, ['b', 'c']], [90, ['b']], [80, ['b']]),
      [{ service: 'b', stepStartedAt: 0 }, { service: 'c' }],
      { everStopped: true },
      ['b'],
      true,
    ],
    [
      11,
      'under half the limit: no time to tell, all',
      samples([1000, []], [900, ['a']], [10, ['a']]),
      [{ service: 'a' }, { service: 'b' }],
      { underFloor: true },
      ['a', 'b'],
      false,
    ],
    [
      12,
      'falls under the noise (logs, other processes) are not growth',
      samples([1000, ['a']], [999.9, ['a']], [999.8, ['a']]),
      [{ service: 'a' }, { service: 'b' }],
      { everStopped: true },
      [],
      false,
    ],
    [13, 'nothing running: nothing to stop', samples([1000, []], [10, []]), [], {}, [], false],
    [
      14,
      'one build running: it, and that is telling',
      samples([1000, []], [1000, []]),
      [{ service: 'a' }],
      {},
      ['a'],
      true,
    ],
  ])('%i: %s', (_n, _what, seen, running, flags, stop, told) => {
    expect(buildsToStop(seen, running, flags)).toEqual({ stop, told });
  });
});

describe('RunDiskGuard: a fake disk and clock, builds side by side', () => {
  /** A disk whose free bytes the test sets; a clock the test moves. */
  function setup(minFreeMb: number) {
    let free = 1000 * MB;
    let clock = 0;
    const guard = new RunDiskGuard({
      path: '/',
      minFreeBytes: minFreeMb * MB,
      statfs: () => ({ bavail: free, bsize: 1 }),
      now: () => clock,
      timer: false,
    });
    const stopped: string[] = [];
    const track = (service: string) =>
      guard.track(service, (why) =>
        stopped.push(`${service} ${why.told ? 'told' : 'untold'} ${why.freeBytes / MB}`),
      );
    const tick = (freeMb: number) => {
      clock += 250;
      free = freeMb * MB;
      guard.sample();
    };
    // Progress events as build/progress.ts emits them, trimmed to what the guard reads.
    const step = (service: string, id: number, kind: 'step-started' | 'step-finished' = 'step-started') =>
      guard.observe({ kind, service, id, at: clock });
    return { guard, stopped, track, tick, step, now: () => clock };
  }

  it('stops the growing one of two parallel builds, once; the other goes on and keeps its peak', () => {
    const g = setup(500);
    const slow = g.track('slow');
    const hog = g.track('hog');
    g.step('slow', 1);
    for (let i = 0; i < 6; i += 1) g.tick(1000);
    g.step('hog', 7);
    g.tick(900);
    g.tick(700);
    expect(g.stopped).toEqual([]);
    g.tick(450);
    expect(g.stopped).toEqual(['hog told 450']);
    // The stopped build releases its space slowly: nothing more is stopped.
    g.tick(450);
    g.tick(460);
    g.tick(600);
    expect(g.stopped).toEqual(['hog told 450']);
    expect(hog.end()).toEqual({ peakUsedBytes: 550 * MB, minFreeBytes: 450 * MB });
    g.step('slow', 1, 'step-finished');
    expect(slow.end().minFreeBytes).toBe(450 * MB);
    g.guard.close();
  });

  it('two builds whose steps began together with the fall are both stopped (it cannot tell)', () => {
    const g = setup(500);
    g.track('a');
    g.track('b');
    g.tick(1000);
    g.step('a', 1);
    g.step('b', 2);
    g.tick(900);
    g.tick(800);
    g.tick(490);
    expect(g.stopped).toEqual(['a untold 490', 'b untold 490']);
  });

  it('a wrong guess is put right on the next samples: the disk keeps falling, the grower stops too', () => {
    const g = setup(500);
    g.track('quiet-first'); // its step starts early and writes only later
    g.track('sleeper');
    g.step('quiet-first', 1);
    for (let i = 0; i < 6; i += 1) g.tick(1000);
    g.step('sleeper', 2); // starts just as the other begins to write: the onset points at it
    g.tick(800);
    g.tick(490);
    expect(g.stopped).toEqual(['sleeper told 490']);
    g.tick(400);
    expect(g.stopped).toEqual(['sleeper told 490', 'quiet-first told 400']);
  });

  it('a build that ended is not a candidate', () => {
    const g = setup(500);
    const done = g.track('done');
    g.track('hog');
    g.step('done', 1);
    g.tick(1000);
    g.step('done', 1, 'step-finished');
    done.end();
    g.step('hog', 2);
    g.tick(800);
    g.tick(480);
    expect(g.stopped).toEqual(['hog told 480']);
  });

  it('an unreadable disk keeps the last figures and stops nothing', () => {
    let calls = 0;
    const guard = new RunDiskGuard({
      path: '/gone',
      minFreeBytes: 10,
      statfs: () => {
        calls += 1;
        if (calls > 1) throw new Error('ENOENT');
        return { bavail: 100, bsize: 1 };
      },
      timer: false,
    });
    const watch = guard.track('a', () => expect.fail('stopped'));
    guard.sample();
    expect(watch.end()).toEqual({ peakUsedBytes: 0, minFreeBytes: 100 });
  });
});

describe('startDiskGuard', () => {
  it('records the peak and calls onLow once, below the threshold', async () => {
    const free = [1000, 900, 700, 400, 300, 800];
    let calls = 0;
    const lows: number[] = [];
    const guard = startDiskGuard({
      path: '/data',
      minFreeBytes: 500,
      intervalMs: 10,
      onLow: (bytes) => lows.push(bytes),
      statfs: () => ({ bavail: BigInt(free[Math.min(calls++, free.length - 1)]!), bsize: 1n }),
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(guard.stop()).toEqual({ peakUsedBytes: 700, minFreeBytes: 300 });
    expect(lows).toEqual([400]);
  });

  it('never calls onLow without a threshold, and survives a failing statfs', async () => {
    let calls = 0;
    const guard = startDiskGuard({
      path: '/data',
      intervalMs: 10,
      onLow: () => {
        throw new Error('not expected');
      },
      statfs: () => {
        calls += 1;
        if (calls > 2) throw new Error('ENOENT');
        return { bavail: 100, bsize: 4096 };
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(guard.stop()).toEqual({ peakUsedBytes: 0, minFreeBytes: 409_600 });
  });

  it('reads the real filesystem by default', () => {
    const result = startDiskGuard({ path: tmpdir(), onLow: () => undefined }).stop();
    expect(result.minFreeBytes).toBeGreaterThan(0);
  });
});
