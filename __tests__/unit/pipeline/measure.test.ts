/**
 * measureImage's failures: the engine's (a `UserError`) said as the user's one line, as before; our
 * bugs said as internal errors with their stack in the debug log, never as the user's.
 */
import { describe, expect, it } from 'vitest';
import type { Docker } from '../../../src/docker/exec.js';
import { measureImage } from '../../../src/pipeline/measure.js';
import type { BuildSpec } from '../../../src/plan/model.js';
import type { ServiceReport } from '../../../src/report/model.js';
import { answeringDocker, recordingLog } from '../../support/answering-docker.js';

const ID = 'sha256:0123456789abcdef';
const INSPECT = `image inspect --format {{json .}} -- ${ID}`;
const spec: BuildSpec = { context: '/repo', args: {} };
const entryOf = (): ServiceReport => ({ name: 'api', built: false, findings: [], violations: [] });
/** A log that also keeps the debug lines (a bug's stack). */
const debugLog = () => {
  const log = recordingLog();
  return Object.assign(log, { debug: (m: string) => log.lines.push(`debug ${m}`) });
};

describe('measureImage', () => {
  it("says the engine's failure to inspect as the user's one line", async () => {
    const { docker } = answeringDocker({
      [INSPECT]: { code: 1, stderr: 'Error response from daemon: boom\n' },
    });
    const entry = entryOf();
    const log = debugLog();
    await measureImage(entry, ID, 'api:ci', spec, { analyze: true }, { docker, log });
    expect(entry.error).toEqual({ message: `cannot inspect image ${ID}: boom` });
    expect(log.lines).toEqual([`error api: cannot inspect image ${ID}: boom`]);
  });

  it('says a bug while inspecting as an internal error, its stack in the debug log', async () => {
    const { docker } = answeringDocker({ [INSPECT]: { stdout: '{not json' } });
    const entry = entryOf();
    const log = debugLog();
    await measureImage(entry, ID, 'api:ci', spec, { analyze: true }, { docker, log });
    expect(entry.error?.message).toMatch(
      /^internal error in the inspection of api:ci: .*JSON.*; please report it$/,
    );
    expect(entry.error?.file).toBeUndefined();
    expect(log.lines[0]).toBe(`error api: ${entry.error!.message}`);
    expect(log.lines[1]).toMatch(/^debug SyntaxError: .*\n\s+at /);
  });

  const inspected = { stdout: JSON.stringify({ Id: ID, Size: 1000, RootFS: { Layers: ['sha256:aa'] } }) };

  it("says the analysis's UserError as a warning, as before", async () => {
    const { docker } = answeringDocker({ [INSPECT]: inspected });
    const entry = entryOf();
    const log = debugLog();
    const signal = AbortSignal.abort();
    await measureImage(entry, ID, 'api:ci', spec, { analyze: true, signal }, { docker, log });
    expect(entry.built).toBe(true);
    expect(entry.warnings).toEqual([`image analysis failed: analysis of ${ID} aborted`]);
    expect(log.lines).toEqual([`warning api: image analysis failed: analysis of ${ID} aborted`]);
  });

  it('says a bug in the analysis as an internal error, its stack in the debug log; the inspection stands', async () => {
    const { docker: answering } = answeringDocker({ [INSPECT]: inspected });
    const docker = Object.assign(Object.create(answering) as Docker, {
      run: answering.run,
      stream: () => {
        throw new TypeError('boom');
      },
    });
    const entry = entryOf();
    const log = debugLog();
    await measureImage(entry, ID, 'api:ci', spec, { analyze: true }, { docker, log });
    expect(entry.image?.size).toBe(1000);
    expect(entry.warnings).toEqual([
      'internal error in the image analysis of api:ci: boom; please report it',
    ]);
    expect(log.lines[0]).toBe(
      'warning api: internal error in the image analysis of api:ci: boom; please report it',
    );
    expect(log.lines.some((line) => /^debug TypeError: boom\n\s+at /.test(line))).toBe(true);
  });
});
