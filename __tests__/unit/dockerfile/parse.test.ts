import { describe, expect, it } from 'vitest';
import {
  finalChain,
  flag,
  locate,
  mounts,
  parseDockerfile,
  reachableStages,
  stageNames,
  targetStage,
} from '../../../src/dockerfile/index.js';

const MULTI = [
  'ARG BASE=python:3.12-slim', // 1
  'FROM ${BASE} AS Build', // 2
  'RUN --mount=type=cache,target=/root/.cache/pip \\', // 3
  '    # a comment inside the continuation', // 4
  '    pip install -r requirements.txt', // 5
  'FROM build AS test', // 6
  'RUN pytest', // 7
  'FROM busybox', // 8
  'COPY --from=build --chown=app /app /app', // 9
  'CMD ["python", "-m", "app"]', // 10
  'RUN <<EOF', // 11
  'echo one', // 12
  'EOF', // 13
  '',
].join('\n');

describe('parseDockerfile: stages', () => {
  const df = parseDockerfile(MULTI);

  it('gives each stage its index, lowercased name, base image (global ARGs substituted) and parent', () => {
    expect(df.stages.map((s) => [s.index, s.name, s.image, s.parent])).toEqual([
      [0, 'build', 'python:3.12-slim', undefined],
      [1, 'test', 'build', 0],
      [2, undefined, 'busybox', undefined],
    ]);
    expect(df.globalArgs).toEqual(new Map([['BASE', 'python:3.12-slim']]));
    expect(df.problems).toEqual([]);
  });

  it('puts FROM first in each stage, also as `from`', () => {
    for (const stage of df.stages) expect(stage.instrs[0]).toBe(stage.from);
    expect(df.stages[2]!.instrs.map((i) => [i.keyword, i.line, i.stage])).toEqual([
      ['FROM', 8, 2],
      ['COPY', 9, 2],
      ['CMD', 10, 2],
      ['RUN', 11, 2],
    ]);
  });

  it.each([
    [undefined, 2],
    ['build', 0],
    ['BUILD', 0],
    ['test', 1],
    ['missing', 2],
  ])('the stage a build of target %s produces is %s', (target, index) => {
    expect(targetStage(df, target)?.index).toBe(index);
  });

  it("names stages as BuildKit's step names do", () => {
    expect(df.stages.map(stageNames)).toEqual([['stage-0', 'build'], ['stage-1', 'test'], ['stage-2']]);
  });

  it('follows FROM <stage> for the chain and COPY --from for the reachable stages', () => {
    expect(finalChain(df, 1)).toEqual([0, 1]);
    expect(finalChain(df, 2)).toEqual([2]);
    expect(reachableStages(df, 2)).toEqual([0, 2]);
  });
});

describe('parseDockerfile: instructions', () => {
  const df = parseDockerfile(MULTI);
  const run = df.stages[0]!.instrs[1]!;

  it('joins continuations, drops comment lines inside, and keeps the line range', () => {
    expect([run.keyword, run.line, run.endLine]).toEqual(['RUN', 3, 5]);
    expect(run.body.replace(/\s+/g, ' ')).toBe('pip install -r requirements.txt');
    expect(run.text).not.toContain('comment');
  });

  it('maps an offset of the joined text back to its physical line and column', () => {
    const at = run.text.indexOf('pip install');
    expect(locate(run.segs, at)).toEqual({ line: 5, column: 5 });
  });

  it('parses leading flags and mount options', () => {
    expect(mounts(run)).toEqual([{ type: 'cache', target: '/root/.cache/pip' }]);
    const copy = df.stages[2]!.instrs[1]!;
    expect(copy.flags).toEqual([
      { name: 'from', value: 'build' },
      { name: 'chown', value: 'app' },
    ]);
    expect(flag(copy, 'from')?.value).toBe('build');
    expect(copy.body).toBe('/app /app');
  });

  it('decodes the exec form', () => {
    const cmd = df.stages[2]!.instrs[2]!;
    expect(cmd.json).toEqual(['python', '-m', 'app']);
    expect(run.json).toBeNull();
  });

  it('splits heredoc bodies out of the arguments', () => {
    const heredoc = df.stages[2]!.instrs[3]!;
    expect(heredoc.text).toBe('<<EOF');
    expect(heredoc.heredocs.map((h) => [h.name, h.content, h.terminated, h.line])).toEqual([
      ['EOF', 'echo one\n', true, 11],
    ]);
  });
});

describe('parseDockerfile: what is not a Dockerfile is a problem with its line, never a throw', () => {
  it.each([
    ['', [{ line: 1, message: 'empty Dockerfile: no instructions' }]],
    ['# only a comment\n', [{ line: 1, message: 'empty Dockerfile: no instructions' }]],
    ['ARG A=1\n', [{ line: 1, message: 'no `FROM` instruction' }]],
    ['RUN x\nFROM a\n', [{ line: 1, message: '`RUN` before the first `FROM`' }]],
    ['FROM a\nFOO bar\n', [{ line: 2, message: 'unknown instruction `FOO`' }]],
    ['FROM a\nRUN <<EOF\necho\n', [{ line: 2, message: 'heredoc `<<EOF` is never closed (no `EOF` line)' }]],
    ['\u0000\u0001 garbage', [{ line: 1, message: 'unknown instruction `\u0000\u0001`' }]],
  ])('%j', (text, problems) => {
    expect(parseDockerfile(text).problems).toEqual(problems);
  });

  it('drops a byte order mark and honours the escape directive', () => {
    const df = parseDockerfile('\ufeff# escape=`\nFROM a\nRUN echo one `\n  two\n');
    expect(df.escape).toBe('`');
    expect(df.stages[0]!.instrs[1]!.body.replace(/\s+/g, ' ')).toBe('echo one two');
    expect(df.lines[0]).toBe('# escape=`');
  });
});
