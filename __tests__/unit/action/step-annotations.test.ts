/** The step's gate: at most 10 annotations of each level; the rest are plain log lines, none lost. */
import { afterEach, describe, expect, test } from 'vitest';
import { StepAnnotations, type StepCore } from '../../../src/action/step-annotations.js';

function recorder(): { out: StepCore; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    out: {
      error: (m) => lines.push(`error ${m}`),
      warning: (m) => lines.push(`warning ${m}`),
      notice: (m) => lines.push(`notice ${m}`),
      info: (m) => lines.push(`info ${m}`),
    },
  };
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('StepAnnotations', () => {
  test('past the limit a level writes plain lines; the room says what is left; reset starts again', () => {
    const { out, lines } = recorder();
    const step = new StepAnnotations(out, 2);
    for (const n of [1, 2, 3]) step.warning(`w${n}`);
    step.error('e1');
    expect(lines).toEqual(['warning w1', 'warning w2', 'info warning: w3', 'error e1']);
    expect(step.room()).toEqual({ error: 1, warning: 0, notice: 2 });
    step.reset();
    expect(step.room()).toEqual({ error: 2, warning: 2, notice: 2 });
  });

  test('fail sets the exit code, as an annotation while one is left, else as a plain line', () => {
    const { out, lines } = recorder();
    const step = new StepAnnotations(out, 1);
    step.fail('first');
    step.fail('second\n::error::forged');
    expect(process.exitCode).toBe(1);
    expect(lines).toEqual(['error first', 'info error: second%0A::error::forged']);
  });
});
