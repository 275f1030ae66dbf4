import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { ProgressEvent } from '../../../src/build/progress.js';
import { progressDisplay } from '../../../src/cli/progress.js';

// The cursor moves the display writes: up, erase below, carriage return.
// eslint-disable-next-line no-control-regex
const CURSOR = /\u001b\[\d*[AJ]|\r/g;

const EVENTS: ProgressEvent[] = [
  { kind: 'build-started', service: 'api', at: 0 },
  { kind: 'step-started', service: 'api', id: 5, name: '[1/2] RUN pip install torch', line: 2, at: 100 },
  {
    kind: 'step-finished',
    service: 'api',
    id: 5,
    name: '[1/2] RUN pip install torch',
    line: 2,
    status: 'done',
    durationMs: 12_300,
    at: 12_400,
  },
  { kind: 'step-started', service: 'api', id: 6, name: 'exporting to image', at: 12_400 },
  {
    kind: 'step-finished',
    service: 'api',
    id: 6,
    name: 'exporting to image',
    status: 'done',
    durationMs: 500,
    at: 12_900,
  },
  { kind: 'build-finished', service: 'api', status: 'success', durationMs: 13_000, at: 13_000 },
  { kind: 'analysis-started', service: 'api', at: 13_000 },
  { kind: 'analysis-finished', service: 'api', ok: true, durationMs: 3_200, at: 16_200 },
];

describe('without a terminal: one line per finished step, build and analysis', () => {
  test('the lines, in order, and nothing else', () => {
    let out = '';
    const display = progressDisplay({ write: (t) => (out += t) });
    for (const event of EVENTS) display.onProgress(event);
    display.print('warning: \u001b[31mred\n');
    display.stop();
    expect(out).toBe(
      'api: step 1/2 RUN pip install torch 12s\napi: built in 13s\napi: analysed in 3.2s\nwarning: ?[31mred\n',
    );
  });

  test('a columns function that says "no terminal" means the same', () => {
    let out = '';
    const display = progressDisplay({ write: (t) => (out += t), columns: () => undefined });
    for (const event of EVENTS) display.onProgress(event);
    expect(out).not.toContain('\u001b');
  });
});

describe('on a terminal: live lines redrawn in place, at most 4 times a second', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  test('draws, moves up and redraws; finished builds stay above; stop clears the block', () => {
    let clock = 0;
    const writes: string[] = [];
    const display = progressDisplay({ write: (t) => writes.push(t), columns: () => 30, now: () => clock });
    display.onProgress(EVENTS[0]!);
    display.onProgress({ kind: 'build-started', service: 'web', at: 0 });
    display.onProgress(EVENTS[1]!);
    expect(writes).toEqual([]); // the first draw waits for the timer
    clock = 250;
    vi.advanceTimersByTime(250);
    expect(writes).toEqual(['api  step 1/2 RUN pip in…  0s\nweb  starting  0s\n']);
    // Nothing changed on screen: no write at all.
    clock = 500;
    vi.advanceTimersByTime(250);
    expect(writes).toHaveLength(1);
    // A second later the times change: up two lines, erase, draw again.
    clock = 1_250;
    vi.advanceTimersByTime(750);
    expect(writes.at(-1)).toBe('\u001b[2A\r\u001b[Japi  step 1/2 RUN pip in…  1s\nweb  starting  1s\n');
    // Many events between two ticks: one redraw at the tick, never one per event.
    const before = writes.length;
    for (let i = 0; i < 50; i += 1)
      display.onProgress({
        kind: 'step-started',
        service: 'web',
        id: 100 + i,
        name: `[${i}/50] RUN x`,
        at: clock,
      });
    expect(writes.length).toBe(before);
    clock = 1_500;
    vi.advanceTimersByTime(250);
    expect(writes.length).toBe(before + 1);
    // A finished build: the block is erased, the line printed, the block drawn below it.
    display.onProgress({
      kind: 'build-finished',
      service: 'web',
      status: 'failed',
      durationMs: 1_500,
      at: clock,
    });
    expect(writes.slice(before + 1).join('')).toBe(
      '\u001b[2A\r\u001b[Jweb: failed after 1.5s\napi  step 1/2 RUN pip in…  1s\n',
    );
    // Other output goes above the block too.
    display.print('warning: cache miss\n');
    expect(writes.at(-1)).toBe('api  step 1/2 RUN pip in…  1s\n');
    expect(writes.at(-2)).toBe('\u001b[1A\r\u001b[Jwarning: cache miss\n');
    display.stop();
    expect(writes.at(-1)).toBe('\u001b[1A\r\u001b[J');
    // Every drawn line fits the width (one column short of it).
    for (const text of writes)
      for (const line of text.replace(CURSOR, '').split('\n')) expect(line.length).toBeLessThan(30);
  });

  test('the timer stops when nothing runs, and redraws are at most 4 a second', () => {
    let clock = 0;
    let draws = 0;
    const display = progressDisplay({ write: () => void (draws += 1), columns: () => 80, now: () => clock });
    display.onProgress(EVENTS[0]!);
    for (let ms = 0; ms < 10_000; ms += 10) {
      clock = ms;
      display.onProgress({
        kind: 'step-started',
        service: 'api',
        id: ms,
        name: `[1/1] RUN step ${ms}`,
        at: ms,
      });
      vi.advanceTimersByTime(10);
    }
    expect(draws).toBeLessThanOrEqual(41);
    expect(draws).toBeGreaterThanOrEqual(39);
    display.onProgress(EVENTS[5]!);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(250);
    expect(vi.getTimerCount()).toBe(0);
    display.stop();
  });
});
