import { describe, expect, test } from 'vitest';
import { stepLineFinder } from '../../../src/build/step-lines.js';
import { parseDockerfile, targetStage } from '../../../src/dockerfile/index.js';

const DOCKERFILE = `# syntax=docker/dockerfile:1
FROM ibme/busybox:1 AS Base
RUN echo hello && \\
    dd if=/dev/zero of=/big bs=1M count=5
COPY a.txt /a.txt

FROM base
RUN rm /big
RUN exit 3
RUN <<EOF
echo one
EOF
`;

describe('stepLineFinder', () => {
  const lineOf = stepLineFinder(parseDockerfile(DOCKERFILE));
  test.each([
    ['[base 1/3] FROM docker.io/ibme/busybox:1', 2],
    ['[base 2/3] RUN echo hello &&   dd if=/dev/zero of=/big bs=1M count=5', 3],
    ['[base 3/3] COPY a.txt /a.txt', 5],
    ['[stage-0 3/3] COPY a.txt /a.txt', 5],
    ['[stage-1 1/3] RUN rm /big', 8],
    ['[stage-1 2/3] RUN exit 3', 9],
    ['[stage-1 3/3] RUN <<EOF (echo one)', 10],
    ['[stage-1 2/3] RUN not in the file', undefined],
    ['[stage-1 2/3] RUN <<EOFX', undefined],
    ['[nostage 1/1] RUN rm /big', undefined],
  ])('%s -> line %s', (name, line) => {
    expect(lineOf(name)).toBe(line);
  });

  test('single-stage names without a stage match the last stage', () => {
    expect(stepLineFinder(parseDockerfile('FROM a\nRUN x\nFROM b\nRUN x\n'))('[2/2] RUN x')).toBe(4);
  });

  test('text that is not a Dockerfile, or no model at all, maps nothing, without throwing', () => {
    expect(stepLineFinder(parseDockerfile('\u0000\u0001 garbage'))('[1/1] RUN x')).toBeUndefined();
    expect(stepLineFinder(undefined)('[1/1] RUN x')).toBeUndefined();
  });
});

describe('the stage a build produces, in the model the steps are matched in', () => {
  const fold = (text: string): string => text.replace(/\s+/g, ' ').trim();
  const df = parseDockerfile(DOCKERFILE);

  test('the target stage, FROM first, continuations joined', () => {
    expect(targetStage(df, 'base')?.instrs.map((i) => [i.line, fold(`${i.keyword} ${i.text}`)])).toEqual([
      [2, 'FROM ibme/busybox:1 AS Base'],
      [3, 'RUN echo hello && dd if=/dev/zero of=/big bs=1M count=5'],
      [5, 'COPY a.txt /a.txt'],
    ]);
  });

  test('the last stage without a target', () => {
    expect(targetStage(df)?.instrs.map((i) => i.line)).toEqual([7, 8, 9, 10]);
  });
});
