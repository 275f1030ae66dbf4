/**
 * The CLI's progress on stderr. On a terminal: a block of live lines (one per running build with its
 * current step and elapsed time, one per running analysis) redrawn in place with ANSI cursor moves,
 * at most 4 times a second, each line cut to the terminal's width; other output (warnings, finished
 * builds) is printed above the block. Elsewhere (a pipe, a CI log): one line per finished step,
 * build and analysis. What the lines say is render/progress.ts; this only decides when to write.
 */
import type { ProgressEvent } from '../build/progress.js';
import {
  EMPTY_PROGRESS,
  finishedLine,
  liveLines,
  progressState,
  type ProgressState,
} from '../render/progress.js';
import { printable } from '../util/log.js';

export interface ProgressDisplayOptions {
  /** Writes to stderr as it is: the cursor moves must pass. */
  write: (text: string) => void;
  /** The terminal's width when stderr is a terminal; undefined (or absent) means finished lines only. */
  columns?: (() => number | undefined) | undefined;
  /** Clock of the elapsed times, the same as the events' `at` (default `performance.now()`). */
  now?: () => number;
  /** Between two redraws (default 250 ms: 4 a second). */
  intervalMs?: number;
}

export interface ProgressDisplay {
  onProgress(event: ProgressEvent): void;
  /** Any other text for stderr: printed above the live lines, which are then drawn again. */
  print(text: string): void;
  /** Draws the live lines now, if something changed (the timer does it by itself). */
  redraw(): void;
  /** Clears the live lines and stops the timer. */
  stop(): void;
}

/** Cursor up `n` lines, to the first column, and erase from there to the end of the screen. */
const up = (n: number): string => (n > 0 ? `\x1b[${n}A\r\x1b[J` : '');

export function progressDisplay(options: ProgressDisplayOptions): ProgressDisplay {
  const now = options.now ?? (() => performance.now());
  const write = options.write;
  const terminal = options.columns?.() !== undefined;
  if (!terminal) {
    return {
      onProgress: (event) => {
        const line = finishedLine(event);
        if (line) write(`${printable(line)}\n`);
      },
      print: (text) => write(printable(text)),
      redraw: () => undefined,
      stop: () => undefined,
    };
  }

  let state: ProgressState = EMPTY_PROGRESS;
  let drawn = 0;
  let shown = '';
  let timer: ReturnType<typeof setInterval> | undefined;

  const block = (): string => {
    // One column short of the edge: a line that fills the last column wraps on some terminals.
    const width = Math.max(20, (options.columns?.() ?? 80) - 1);
    const lines = liveLines(state, now(), width).map((line) => printable(line));
    return lines.map((line) => `${line}\n`).join('');
  };
  const redraw = (): void => {
    const text = block();
    if (text === shown) return;
    write(`${up(drawn)}${text}`);
    shown = text;
    drawn = text === '' ? 0 : text.split('\n').length - 1;
  };
  const running = (): boolean => state.builds.length > 0 || state.analyses.length > 0;
  const tick = (): void => {
    redraw();
    if (!running() && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
  const print = (text: string): void => {
    write(`${up(drawn)}${printable(text)}`);
    drawn = 0;
    shown = '';
    redraw();
  };

  return {
    onProgress: (event) => {
      state = progressState(state, event);
      // A finished build or analysis stays on screen, above the live lines; steps do not.
      if (event.kind === 'build-finished' || event.kind === 'analysis-finished') {
        const line = finishedLine(event);
        if (line) print(`${line}\n`);
      }
      if (running() && timer === undefined) {
        timer = setInterval(tick, Math.max(50, options.intervalMs ?? 250));
        timer.unref?.();
      }
      if (!running()) redraw();
    },
    print,
    redraw,
    stop: () => {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      if (drawn > 0) write(up(drawn));
      drawn = 0;
      shown = '';
    },
  };
}
