import { describe, expect, it } from 'vitest';
import { waitForFree } from '../../../src/measure/disk-guard.js';

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
