import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  isDockerfileStep,
  ProgressReader,
  splitStepName,
  type ProgressEvent,
} from '../../../src/build/progress.js';
import { buildService } from '../../../src/build/run-build.js';
import type { Docker, ExecOptions } from '../../../src/docker/exec.js';
import type { BuildSpec } from '../../../src/plan/model.js';
import { parseDockerfile } from '../../../src/dockerfile/index.js';
import { REPO_ROOT } from '../../support/example.js';

// Output of `DOCKER_BUILDKIT=1 docker build --progress=plain` (docker 20.10), trimmed.
const LOG = `#1 [internal] load build definition from Dockerfile
#1 sha256:6d83644b1327a9627b8cb9413dc5bb6ba00218b3bc2b4acb14b2df524ae0e1a6
#1 transferring dockerfile: 174B done
#1 DONE 0.0s

#4 [base 1/3] FROM docker.io/ibme/busybox:1
#4 DONE 0.0s

#5 [base 2/3] RUN echo hello &&   dd if=/dev/zero of=/big bs=1M count=5
#5 0.038 hello
#5 0.039 5+0 records in
#5 DONE 2.4s

#7 [base 3/3] COPY a.txt /a.txt
#7 CACHED

#8 [stage-1 1/2] RUN rm /big
#8 DONE 0.1s

#9 [stage-1 2/2] RUN exit 3
#9 ERROR: executor failed running [/bin/sh -c exit 3]: exit code: 3
------
 > [stage-1 2/2] RUN exit 3:
------
executor failed running [/bin/sh -c exit 3]: exit code: 3`;

describe('ProgressReader', () => {
  const reader = new ProgressReader();
  for (const line of LOG.split('\n')) reader.push(line);

  test('keeps the Dockerfile steps with durations and cache hits, not internal vertices', () => {
    expect(reader.steps().map((v) => [v.name, v.durationMs, v.cached, v.status])).toEqual([
      ['[base 1/3] FROM docker.io/ibme/busybox:1', 0, false, 'done'],
      ['[base 2/3] RUN echo hello &&   dd if=/dev/zero of=/big bs=1M count=5', 2400, false, 'done'],
      ['[base 3/3] COPY a.txt /a.txt', 0, true, 'cached'],
      ['[stage-1 1/2] RUN rm /big', 100, false, 'done'],
      ['[stage-1 2/2] RUN exit 3', 0, false, 'error'],
    ]);
  });

  test('finds the failed vertex and its error', () => {
    expect(reader.failed()?.error).toBe('executor failed running [/bin/sh -c exit 3]: exit code: 3');
  });

  test('the first name wins over status lines', () => {
    expect(reader.all()[0]?.name).toBe('[internal] load build definition from Dockerfile');
  });
});

describe('step names', () => {
  test.each([
    ['[2/3] RUN make', true],
    ['[builder 2/3] RUN make', true],
    ['[internal] load .dockerignore', false],
    ['exporting to image', false],
  ])('%s is a Dockerfile step: %s', (name, expected) => {
    expect(isDockerfileStep(name)).toBe(expected);
  });

  test('split into stage and instruction', () => {
    expect(splitStepName('[builder 2/3] RUN make')).toEqual({ stage: 'builder', instruction: 'RUN make' });
    expect(splitStepName('[2/3] RUN make')).toEqual({ instruction: 'RUN make' });
  });
});

describe('ProgressReader on the captured plain progress of both engines', () => {
  const captured = (engine: string): string[] =>
    readFileSync(path.join(REPO_ROOT, '__fixtures__/cli', engine, 'build-plain-progress.txt'), 'utf8').split(
      '\n',
    );

  test.each([
    // engine, the error text BuildKit of that engine gives the failed step
    ['legacy', 'executor failed running [/bin/sh -c exit 3]: exit code: 3'],
    ['modern', 'process "/bin/sh -c exit 3" did not complete successfully: exit code: 3'],
  ])('%s: steps, cache hits, durations and the failure', (engine, error) => {
    const reader = new ProgressReader();
    for (const line of captured(engine)) reader.push(line);
    const steps = reader.steps().map((v) => [v.name.replace(/ FROM .*/, ' FROM …'), v.status]);
    expect(steps).toEqual([
      ['[base 1/2] FROM …', 'done'],
      ['[base 2/2] RUN echo one > /one', 'cached'],
      ['[stage-1 1/3] COPY f.txt /f.txt', 'done'],
      ['[stage-1 2/3] RUN sleep 1 && echo two > /two', 'done'],
      ['[stage-1 3/3] RUN exit 3', 'error'],
    ]);
    expect(reader.steps()[3]!.durationMs).toBeGreaterThanOrEqual(1000);
    expect(reader.failed()?.error).toBe(error);
  });
});

describe('buildService streams progress events from the captured plain progress', () => {
  const DOCKERFILE_FIXTURE =
    'FROM busybox AS base\nRUN echo one > /one\n\nFROM base\nCOPY f.txt /f.txt\nRUN sleep 1 && echo two > /two\nRUN exit 3\n';

  test.each(['legacy', 'modern'])('%s: build, every step in order, the failure, the end', async (engine) => {
    const lines = readFileSync(
      path.join(REPO_ROOT, '__fixtures__/cli', engine, 'build-plain-progress.txt'),
      'utf8',
    ).split('\n');
    // A docker CLI that replays the captured output, line by line, as the build runs.
    const docker = {
      run: async (_args: string[], options: ExecOptions = {}) => {
        for (const line of lines) options.onLine?.(line, 'stderr');
        return { code: 1, stdout: '', stderr: lines.join('\n'), durationMs: 1500, aborted: false };
      },
    } as unknown as Docker;
    const events: ProgressEvent[] = [];
    let clock = 0;
    const workDir = mkdtempSync(path.join(os.tmpdir(), 'ib-progress-'));
    try {
      const result = await buildService(
        docker,
        { kind: engine === 'modern' ? 'buildx' : 'docker', version: '1', serverVersion: '1' },
        'api',
        { context: '/repo', dockerfile: '/repo/Dockerfile', args: {} } satisfies BuildSpec,
        {
          tag: 'api:test',
          workDir,
          dockerfileLabel: 'Dockerfile',
          dockerfile: parseDockerfile(DOCKERFILE_FIXTURE),
          onProgress: (event) => events.push(event),
          now: () => (clock += 10),
        },
      );
      expect(result.build.status).toBe('failed');
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
    const steps = events
      .filter((e) => e.kind === 'step-started' || e.kind === 'step-finished')
      .filter((e) => isDockerfileStep(e.name))
      .map((e) =>
        e.kind === 'step-started'
          ? `start ${e.name.replace(/ FROM .*/, ' FROM …')} ${e.line ?? '-'}`
          : `${e.status} ${e.name.replace(/ FROM .*/, ' FROM …')}`,
      );
    expect(steps).toEqual([
      'start [base 1/2] FROM … 1',
      'done [base 1/2] FROM …',
      'start [base 2/2] RUN echo one > /one 2',
      'cached [base 2/2] RUN echo one > /one',
      'start [stage-1 1/3] COPY f.txt /f.txt 5',
      'done [stage-1 1/3] COPY f.txt /f.txt',
      'start [stage-1 2/3] RUN sleep 1 && echo two > /two 6',
      'done [stage-1 2/3] RUN sleep 1 && echo two > /two',
      'start [stage-1 3/3] RUN exit 3 7',
      'error [stage-1 3/3] RUN exit 3',
    ]);
    expect(events[0]).toEqual({ kind: 'build-started', service: 'api', at: 10 });
    expect(events.at(-1)).toMatchObject({
      kind: 'build-finished',
      service: 'api',
      status: 'failed',
      durationMs: 1500,
    });
    // The times only grow; every step that started ended (none is left running); buildx's `#0` is no step.
    const times = events.map((e) => e.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const open = new Set<string>();
    for (const e of events) {
      if (e.kind === 'step-started') open.add(`${e.id}`);
      if (e.kind === 'step-finished') expect(open.delete(`${e.id}`)).toBe(true);
    }
    expect([...open]).toEqual([]);
    expect(events.some((e) => e.kind === 'step-started' && e.name.startsWith('building with'))).toBe(false);
    const slept = events.find((e) => e.kind === 'step-finished' && e.name.includes('sleep 1'));
    expect(slept?.kind === 'step-finished' && slept.durationMs).toBeGreaterThanOrEqual(1000);
  });

  test('a vertex is started once however often BuildKit prints its name again', () => {
    const changes: string[] = [];
    const reader = new ProgressReader(({ change, vertex }) => changes.push(`${change} #${vertex.id}`));
    for (const line of [
      '#5 [1/2] RUN a',
      '#6 [2/2] RUN b',
      '#5 0.1 output of a',
      '#5 [1/2] RUN a',
      '#5 DONE 1.0s',
      '#6 DONE 2.0s',
      '#6 DONE 2.0s',
    ])
      reader.push(line);
    expect(changes).toEqual(
      ['start #5', 'start #6', 'finished #5', 'finished #6'].map((c) => c.replace('start ', 'started ')),
    );
  });
});
