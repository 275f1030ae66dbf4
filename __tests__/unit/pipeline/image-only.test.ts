/**
 * Image-only services measured from what the real engines print (captured in
 * __fixtures__/measure/: `docker image inspect` of an image that is there, the errors for one that is
 * not and for a pull that fails, `docker image history` sizes, `docker info`'s driver status).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Docker, ExecResult } from '../../../src/docker/exec.js';
import { newReport } from '../../../src/pipeline/assemble.js';
import { measureImageOnly } from '../../../src/pipeline/image-only.js';
import type { Plan } from '../../../src/plan/model.js';
import { readReport } from '../../../src/report/read.js';
import { computeTotals } from '../../../src/report/totals.js';
import { UserError } from '../../../src/util/errors.js';
import { answeringDocker, recordingLog } from '../../support/answering-docker.js';

/** A docker CLI that answers from captured output by command line; any other call fails. */
const strictDocker = (answers: Record<string, Partial<ExecResult>>) =>
  answeringDocker(answers, { strict: true });

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../__fixtures__/measure');
const read = (...parts: string[]): string => readFileSync(path.join(fixtures, ...parts), 'utf8');
/** A captured stderr file: the text, then its `exit N` line. */
const failed = (file: string): Partial<ExecResult> => {
  const text = read(file);
  return { code: Number(/exit (\d+)\s*$/.exec(text)![1]), stderr: text.replace(/exit \d+\s*$/, '') };
};

const plan = (services: Plan['services']): Plan => ({ root: '/repo', services, known: [], errors: [] });
const inspect = (ref: string) => `image inspect --format {{json .}} -- ${ref}`;
const history = (ref: string) => `image history --human=false --format {{.Size}} -- ${ref}`;
const INFO = 'info --format {{json .DriverStatus}}';

describe.each(['legacy', 'modern'] as const)('image-only services on the %s engine', (engine) => {
  const inspected = JSON.parse(read('waste-bad', engine, 'inspect.json')) as { Id: string; Size: number };
  const base = {
    [INFO]: { stdout: read('image-only', engine, 'info-driver-status.json') },
    [inspect('redis:7')]: { stdout: read('waste-bad', engine, 'inspect.json') },
    [history('redis:7')]: { stdout: read('image-only', engine, 'history-sizes.txt') },
    [inspect('postgres:16')]: failed(`image-only/${engine}/inspect-missing.stderr`),
  };
  const services: Plan['services'] = [
    { name: 'api', build: { context: '/repo', dockerfile: '/repo/Dockerfile' } as never },
    { name: 'cache', image: 'redis:7' },
    { name: 'db', image: 'postgres:16' },
    { name: 'dev-tools', image: 'redis:7', notBuilt: 'profile dev' },
  ];

  it('sizes an image the engine has, says why for one it has not, and totals the deployment', async () => {
    const { docker, calls } = strictDocker(base);
    const report = newReport(plan(services), new Date(0));
    const log = recordingLog();
    await measureImageOnly(plan(services), report, { pull: false }, { docker, log });

    const [api, cache, db, devTools] = report.services;
    // Classic store: inspect's Size. Containerd store: the snapshots' usage (inspect's is compressed).
    const size = engine === 'modern' ? 46_714_880 : inspected.Size;
    expect(cache!.image).toEqual({
      id: inspected.Id,
      size,
      layers: 8,
      ...(engine === 'modern' ? { sizeSource: 'snapshots' } : {}),
    });
    expect(cache!.built).toBe(false);
    expect(cache).not.toHaveProperty('sizeUnknown');
    expect(db!.image).toBeUndefined();
    expect(db!.sizeUnknown).toBe('postgres:16 is not on the engine (pull-images: true pulls it)');
    expect(api!.image).toBeUndefined(); // built services are the build's to measure
    expect(devTools!.image).toBeUndefined(); // an inactive profile is not deployed
    expect(devTools).not.toHaveProperty('sizeUnknown');
    expect(calls.filter((call) => call.startsWith('pull'))).toEqual([]);
    expect(log.lines.filter((line) => line.startsWith('error') || line.startsWith('warning'))).toEqual([]);

    expect(computeTotals(report.services, []).size).toBe(size);
    // The reason survives the report's reader (a baseline, a fork's upload).
    const reread = readReport(JSON.stringify(report), 'report.json');
    expect(reread.services[2]!.sizeUnknown).toBe(db!.sizeUnknown);
  });

  it('pulls first with pull-images; a failed pull is a warning on that service, never an error', async () => {
    const { docker, calls } = strictDocker({
      ...base,
      'pull --quiet -- redis:7': { stdout: 'docker.io/library/redis:7\n' },
      'pull --quiet -- postgres:16': failed(`image-only/${engine}/pull-refused.stderr`),
    });
    const report = newReport(plan(services), new Date(0));
    const log = recordingLog();
    await measureImageOnly(plan(services), report, { pull: true }, { docker, log });
    const [, cache, db] = report.services;
    expect(calls.filter((call) => call.startsWith('pull')).sort()).toEqual([
      'pull --quiet -- postgres:16',
      'pull --quiet -- redis:7',
    ]);
    expect(cache!.image?.id).toBe(inspected.Id);
    expect(cache!.warnings).toBeUndefined();
    expect(db!.warnings).toEqual([
      expect.stringMatching(/^pull of postgres:16 failed: .*connection refused$/),
    ]);
    expect(db!.warnings![0]).not.toMatch(/Error response from daemon/);
    expect(db!.sizeUnknown).toBe('postgres:16 is not on the engine (the pull failed)');
    expect(db!.error).toBeUndefined();
    expect(log.lines.filter((line) => line.startsWith('error'))).toEqual([]);
    expect(log.lines).toContainEqual(expect.stringMatching(/^warning db: pull of postgres:16 failed/));
  });
});

describe('image-only services, edge cases', () => {
  const inspected = read('waste-bad', 'legacy', 'inspect.json');
  const id = (JSON.parse(inspected) as { Id: string }).Id;

  it('an image that a built service or an earlier service has counts once', async () => {
    const { docker } = strictDocker({
      [inspect('app:latest')]: { stdout: inspected },
      [inspect('redis')]: { stdout: inspected },
    });
    const services: Plan['services'] = [
      { name: 'api', build: { context: '/repo' } as never, image: 'app:latest' },
      { name: 'worker', image: 'app:latest' },
      { name: 'other', image: 'redis' },
    ];
    const report = newReport(plan(services), new Date(0));
    report.engine = { builder: 'docker', imageStore: 'classic' };
    report.services[0]!.built = true;
    report.services[0]!.image = { id, size: 5, layers: 1 };
    await measureImageOnly(plan(services), report, { pull: false }, { docker, log: recordingLog() });
    expect(report.services[1]!.sizeUnknown).toBe('the same image as service api, counted there');
    expect(report.services[2]!.sizeUnknown).toBe('the same image as service api, counted there');
    expect(computeTotals(report.services, []).size).toBe(5);
  });

  it('a reference is never read as a flag, and an odd one is one line from docker', async () => {
    const { docker, calls } = strictDocker({
      [inspect('--help')]: { code: 1, stderr: 'invalid reference format\n' },
    });
    const services: Plan['services'] = [{ name: 'odd', image: '--help' }];
    const report = newReport(plan(services), new Date(0));
    report.engine = { builder: 'docker', imageStore: 'classic' };
    await measureImageOnly(plan(services), report, { pull: false }, { docker, log: recordingLog() });
    expect(calls).toEqual(['image inspect --format {{json .}} -- --help']);
    expect(report.services[0]!.sizeUnknown).toBe('--help cannot be inspected: invalid reference format');
  });

  it('a pull that gets no answer is stopped: a warning naming the wait, and the run goes on', async () => {
    const calls: string[] = [];
    const docker = {
      binary: 'docker',
      run: (args: string[], options: { signal?: AbortSignal } = {}) => {
        calls.push(args.join(' '));
        if (args[0] !== 'pull')
          return Promise.resolve({ code: 1, stdout: '', stderr: 'Error: No such image: x\n' });
        // A registry that never answers: the call ends only when its signal aborts it.
        return new Promise((resolve) =>
          options.signal?.addEventListener('abort', () =>
            resolve({ code: 143, stdout: '', stderr: '', durationMs: 50, aborted: true }),
          ),
        );
      },
    } as unknown as Docker;
    const services: Plan['services'] = [{ name: 'db', image: 'registry.invalid/postgres:16' }];
    const report = newReport(plan(services), new Date(0));
    report.engine = { builder: 'docker', imageStore: 'classic' };
    await measureImageOnly(
      plan(services),
      report,
      { pull: true, pullTimeoutMs: 50 },
      { docker, log: recordingLog() },
    );
    expect(calls[0]).toBe('pull --quiet -- registry.invalid/postgres:16');
    expect(report.services[0]!.warnings).toEqual([
      'pull of registry.invalid/postgres:16 failed: no answer in 50ms',
    ]);
    expect(report.services[0]!.sizeUnknown).toBe(
      'registry.invalid/postgres:16 is not on the engine (the pull failed)',
    );
  });

  it('no docker CLI: every size unknown, for that one reason', async () => {
    const docker = {
      binary: 'nope',
      run: async () => {
        throw new UserError('the docker CLI "nope" was not found');
      },
    } as unknown as Docker;
    const services: Plan['services'] = [
      { name: 'a', image: 'redis:7' },
      { name: 'b', image: 'postgres:16' },
    ];
    const report = newReport(plan(services), new Date(0));
    await measureImageOnly(plan(services), report, { pull: true }, { docker, log: recordingLog() });
    expect(report.services.map((s) => s.sizeUnknown)).toEqual([
      'the docker CLI "nope" was not found',
      'the docker CLI "nope" was not found',
    ]);
  });

  it('nothing to measure: no docker call at all', async () => {
    const { docker, calls } = strictDocker({});
    const services: Plan['services'] = [{ name: 'api', build: { context: '/repo' } as never }];
    await measureImageOnly(
      plan(services),
      newReport(plan(services), new Date(0)),
      { pull: true },
      {
        docker,
        log: recordingLog(),
      },
    );
    expect(calls).toEqual([]);
  });
});
