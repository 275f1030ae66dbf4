import { describe, expect, it } from 'vitest';
import { parseDockerfile, targetStage } from '../../../src/dockerfile/index.js';
import {
  instructionsOf,
  parseHistoryRows,
  recordedInstruction,
  matchSteps,
} from '../../../src/measure/history.js';

describe('history', () => {
  it('parses rows newest first into oldest first, with sizes', () => {
    const rows = parseHistoryRows(
      [
        '{"CreatedBy":"CMD [\\"python3\\"]","Size":"0"}',
        '{"CreatedBy":"RUN /bin/sh -c make # buildkit","Size":"9456145"}',
        '{"CreatedBy":"","Size":"1.5MB"}',
      ].join('\n'),
    );
    expect(rows).toEqual([
      { createdBy: '', size: 1_500_000 },
      { createdBy: 'RUN /bin/sh -c make # buildkit', size: 9_456_145 },
      { createdBy: 'CMD ["python3"]', size: 0 },
    ]);
  });

  const config = [
    { createdBy: '/bin/sh -c #(nop) ADD file:x in /', emptyLayer: false },
    { createdBy: '/bin/sh -c #(nop)  CMD ["sh"]', emptyLayer: true },
    { createdBy: 'WORKDIR /app', emptyLayer: true },
    { createdBy: 'COPY requirements.txt . # buildkit', emptyLayer: false },
    {
      createdBy: 'RUN |1 TORCH=cpu /bin/sh -c pip install -r requirements.txt # buildkit',
      emptyLayer: false,
    },
    { createdBy: 'ENV A=b', emptyLayer: true },
    { createdBy: 'RUN /bin/sh -c rm -rf /root/.cache # buildkit', emptyLayer: false },
    { createdBy: 'CMD ["python", "-m", "app"]', emptyLayer: true },
  ];

  it('maps layers to history entries, skipping empty layers', () => {
    const instructions = instructionsOf(4, config, []);
    expect(instructions.filter((entry) => entry.layer !== undefined).map((entry) => entry.layer)).toEqual([
      0, 1, 2, 3,
    ]);
    expect(instructions[4]!.layer).toBe(2);
  });

  const DOCKERFILE = [
    'FROM python:3.12 AS build', // 1
    'RUN make', // 2
    '',
    'FROM python:3.12-slim', // 4
    'ARG TORCH=cpu', // 5
    'WORKDIR /app', // 6
    'COPY --chown=app requirements.txt .', // 7
    'RUN --mount=type=cache,target=/root/.cache \\', // 8
    '  pip install -r requirements.txt',
    'ENV A=b', // 10
    'RUN rm -rf /root/.cache', // 11
    'CMD ["python", "-m", "app"]', // 12
  ].join('\n');

  it('matches instructions to the lines of the model; the entries before the stage are the base image', () => {
    const stage = targetStage(parseDockerfile(DOCKERFILE))!.instrs;
    expect(matchSteps(instructionsOf(4, config, []), stage)).toEqual({
      lines: [undefined, undefined, 6, 7, 8, 10, 11, 12],
      base: { fromLine: 4, entries: 2 },
    });
  });

  it('gives no line at all without a model, and no base lines when an instruction is not found', () => {
    expect(matchSteps(instructionsOf(4, config, []), undefined)).toEqual({ lines: Array(8).fill(undefined) });
    const changed = targetStage(parseDockerfile(DOCKERFILE.replace('rm -rf /root/.cache', 'true')))!.instrs;
    expect(matchSteps(instructionsOf(4, config, []), changed)).toEqual({
      lines: [undefined, undefined, 6, 7, 8, 10, undefined, 12],
    });
  });

  it.each([
    ['/bin/sh -c #(nop)  ENV A=b', { keyword: 'ENV', args: 'A=b' }],
    ['/bin/sh -c apt-get update', { keyword: 'RUN', args: 'apt-get update' }],
    ['RUN |2 A=1 B=2 /bin/sh -c make  all # buildkit', { keyword: 'RUN', args: 'make all' }],
    ['COPY --chown=app a b # buildkit', { keyword: 'COPY', args: 'a b' }],
    ['CMD ["python", "-m", "x"]', { keyword: 'CMD', args: 'python -m x' }],
    ['', { keyword: '', args: '' }],
  ])('reads the record %j', (createdBy, expected) => {
    expect(recordedInstruction(createdBy)).toEqual(expected);
  });
});
