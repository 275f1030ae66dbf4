import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { ProgressEvent } from '../../../src/build/progress.js';
import {
  EMPTY_PROGRESS,
  finishedLine,
  liveLines,
  progressOf,
  progressState,
  stepLabel,
} from '../../../src/render/progress.js';
import { REPO_ROOT } from '../../support/example.js';

const started = (service: string, at: number): ProgressEvent => ({ kind: 'build-started', service, at });
const step = (service: string, id: number, name: string, at: number): ProgressEvent => ({
  kind: 'step-started',
  service,
  id,
  name,
  at,
});
const stepDone = (
  service: string,
  id: number,
  name: string,
  at: number,
  status: 'done' | 'cached' | 'error' | 'canceled' = 'done',
  durationMs = 0,
): ProgressEvent => ({ kind: 'step-finished', service, id, name, status, durationMs, at });

describe('liveLines: the state after some events, drawn at a fixed time', () => {
  test.each<[number, string, ProgressEvent[], number, number, string[]]>([
    [1, 'nothing running', [], 5_000, 80, []],
    [2, 'a build before its first step', [started('api', 0)], 2_400, 80, ['api  starting  2s']],
    [
      3,
      'two builds, each on its latest step, names padded to the longest',
      [
        started('api', 0),
        started('classifier', 1_000),
        step('api', 5, '[base 2/3] RUN pip install -r requirements.txt', 1_500),
        step('classifier', 3, '[1/2] FROM python:3.12-slim', 2_000),
        step('classifier', 4, '[2/2] COPY . /app', 3_000),
      ],
      12_900,
      80,
      [
        'api         base step 2/3 RUN pip install -r requirements.txt  12s',
        'classifier  step 2/2 COPY . /app  11s',
      ],
    ],
    [
      4,
      'a finished step gives the line back to the one still running',
      [
        started('api', 0),
        step('api', 5, '[1/3] RUN a', 100),
        step('api', 6, '[2/3] RUN b', 200),
        stepDone('api', 6, '[2/3] RUN b', 300),
      ],
      1_000,
      80,
      ['api  step 1/3 RUN a  1s'],
    ],
    [
      5,
      "BuildKit's own vertices show as they are",
      [started('web', 0), step('web', 9, 'exporting to image', 65_000)],
      65_000,
      80,
      ['web  exporting to image  1m05s'],
    ],
    [
      6,
      'a finished build is gone, its analysis shows',
      [
        started('api', 0),
        { kind: 'build-finished', service: 'api', status: 'success', durationMs: 4_000, at: 4_000 },
        { kind: 'analysis-started', service: 'api', at: 4_000 },
      ],
      7_500,
      80,
      ['api  analysing the layers  3s'],
    ],
    [
      7,
      'an ended analysis is gone',
      [
        { kind: 'analysis-started', service: 'api', at: 0 },
        { kind: 'analysis-finished', service: 'api', ok: true, durationMs: 10, at: 10 },
      ],
      20,
      80,
      [],
    ],
    [
      8,
      'a long step is cut to the width, the time stays',
      [started('api', 0), step('api', 5, `[1/1] RUN ${'x'.repeat(200)}`, 0)],
      3_000,
      40,
      [`api  step 1/1 RUN ${'x'.repeat(17)}…  3s`],
    ],
    [
      9,
      'control characters and escapes from a Dockerfile never reach the terminal',
      [started('api', 0), step('api', 5, '[1/1] RUN echo \u001b[2J\rgone\u202e', 0)],
      0,
      80,
      ['api  step 1/1 RUN echo [2J gone  0s'],
    ],
  ])('%i: %s', (_n, _what, events, now, width, expected) => {
    const lines = liveLines(progressOf(events), now, width);
    expect(lines).toEqual(expected);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
  });

  test('folding leaves the earlier state untouched', () => {
    const before = progressOf([started('api', 0)]);
    const after = progressState(before, step('api', 1, '[1/1] RUN a', 1));
    expect(before.builds[0]?.steps).toEqual([]);
    expect(after.builds[0]?.steps.map((s) => s.name)).toEqual(['[1/1] RUN a']);
    expect(progressState(EMPTY_PROGRESS, step('ghost', 1, 'x', 0))).toEqual(EMPTY_PROGRESS);
  });
});

describe('finishedLine: one line per finished step, build and analysis', () => {
  test.each<[number, ProgressEvent, string | undefined]>([
    [
      1,
      stepDone('api', 4, '[4/9] RUN pip install -r requirements.txt', 0, 'done', 12_300),
      'api: step 4/9 RUN pip install -r requirements.txt 12s',
    ],
    [2, stepDone('api', 4, '[base 2/9] COPY . /app', 0, 'cached'), 'api: base step 2/9 COPY . /app cached'],
    [
      3,
      stepDone('api', 4, '[3/9] RUN exit 3', 0, 'error', 300),
      'api: step 3/9 RUN exit 3 failed after 300ms',
    ],
    [4, stepDone('api', 4, '[3/9] RUN sleep 9', 0, 'canceled'), 'api: step 3/9 RUN sleep 9 cancelled'],
    [5, stepDone('api', 4, '[internal] load build context', 0), undefined],
    [6, stepDone('api', 4, 'exporting to image', 0), undefined],
    [
      7,
      { kind: 'build-finished', service: 'api', status: 'success', durationMs: 41_000, at: 0 },
      'api: built in 41s',
    ],
    [
      8,
      { kind: 'build-finished', service: 'api', status: 'failed', durationMs: 2_500, at: 0 },
      'api: failed after 2.5s',
    ],
    [
      9,
      { kind: 'build-finished', service: 'api', status: 'aborted', durationMs: 65_000, at: 0 },
      'api: stopped after 1m05s',
    ],
    [
      10,
      { kind: 'analysis-finished', service: 'api', ok: true, durationMs: 3_200, at: 0 },
      'api: analysed in 3.2s',
    ],
    [
      11,
      { kind: 'analysis-finished', service: 'api', ok: false, durationMs: 800, at: 0 },
      'api: analysis failed after 800ms',
    ],
    [12, started('api', 0), undefined],
    [13, step('api', 1, '[1/1] RUN a', 0), undefined],
    [14, { kind: 'analysis-started', service: 'api', at: 0 }, undefined],
    [
      15,
      stepDone('a\u001b]0;pwned\u0007pi', 4, '[1/1] RUN a\nb', 0, 'cached'),
      'a ]0;pwned pi: step 1/1 RUN a b cached',
    ],
    [
      16,
      stepDone('api', 4, `[1/1] RUN ${'y'.repeat(300)}`, 0, 'cached'),
      `api: step 1/1 RUN ${'y'.repeat(86)}… cached`,
    ],
  ])('%i', (_n, event, expected) => {
    expect(finishedLine(event)).toBe(expected);
  });
});

describe('stepLabel', () => {
  test.each([
    ['[2/3] RUN make', 'step 2/3 RUN make'],
    ['[stage-1 2/3] RUN make', 'stage-1 step 2/3 RUN make'],
    [
      '[internal] load metadata for docker.io/library/python:3.12',
      '[internal] load metadata for docker.io/library/python:3.12',
    ],
    ['', 'a step'],
  ])('%s -> %s', (name, label) => expect(stepLabel(name)).toBe(label));
});

describe('docs/measure.md', () => {
  test('the finished-lines shown under "Progress" are what finishedLine prints', () => {
    const page = readFileSync(path.join(REPO_ROOT, 'docs/measure.md'), 'utf8');
    const section = page.slice(page.indexOf('## Progress'));
    const shown = /```text\n([\s\S]*?)```/.exec(section)?.[1]?.trimEnd().split('\n');
    const events: ProgressEvent[] = [
      stepDone('api', 4, '[4/9] RUN pip install -r requirements.txt', 0, 'done', 12_300),
      stepDone('api', 5, '[5/9] COPY . /app', 0, 'cached'),
      { kind: 'build-finished', service: 'api', status: 'success', durationMs: 41_000, at: 0 },
      { kind: 'analysis-finished', service: 'api', ok: true, durationMs: 3_200, at: 0 },
    ];
    expect(shown).toEqual(events.map((e) => finishedLine(e)));
  });
});
