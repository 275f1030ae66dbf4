/**
 * The analysis per layer on the real engine: an image with a 60 MB layer and a small app layer is
 * analysed cold, then a one-line change to the app rebuilds only the top layer, and the analysis
 * with the layer cache reads only that layer (read in place, or skipped over in `docker save`) while
 * giving the same sizes, waste and findings as a full analysis of the new image.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Docker } from '../../src/docker/exec.js';
import { AnalysisCache } from '../../src/measure/analysis-cache.js';
import { analyzeImage } from '../../src/measure/analyze.js';

const work = mkdtempSync(path.join(tmpdir(), 'ib-layer-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const docker = new Docker(process.env.IMAGE_BUDGET_DOCKER ?? 'docker', { DOCKER_BUILDKIT: '1' });

async function build(tag: string, app: string, nonce: string): Promise<void> {
  const context = path.join(work, 'context');
  rmSync(context, { recursive: true, force: true });
  await import('node:fs').then((fs) => fs.mkdirSync(context, { recursive: true }));
  writeFileSync(
    path.join(context, 'Dockerfile'),
    [
      'FROM image-budget/busybox:offline',
      `RUN echo ${nonce} > /nonce && head -c 60000000 /dev/urandom > /model.safetensors && head -c 5000000 /dev/zero > /tmp/scratch && rm /tmp/scratch`,
      'COPY app.py /app/app.py',
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(context, 'app.py'), app);
  const result = await docker.run(['build', '--network=host', '-t', tag, context]);
  if (result.code !== 0) throw new Error(`build failed:\n${result.stderr.slice(-2000)}`);
}

describe.each(['store', 'save'] as const)('the layer analysis cache, layers read by %s', (read) => {
  it('a rerun after a one-line change reads only the changed layer', async () => {
    const nonce = randomUUID().slice(0, 8);
    const cache = new AnalysisCache(path.join(work, `cache-${read}`));
    await build(`ib-layer-cache/${nonce}:one`, 'print("one")\n', nonce);
    const started = performance.now();
    const cold = await analyzeImage(docker, `ib-layer-cache/${nonce}:one`, { layers: cache.layers(), read });
    const coldMs = performance.now() - started;
    expect(cold.reusedLayers).toBe(0);

    await build(`ib-layer-cache/${nonce}:two`, 'print("one")\nprint("two")\n', nonce);
    const rerunStarted = performance.now();
    const rerun = await analyzeImage(docker, `ib-layer-cache/${nonce}:two`, { layers: cache.layers(), read });
    const rerunMs = performance.now() - rerunStarted;
    const full = await analyzeImage(docker, `ib-layer-cache/${nonce}:two`, { read });
    console.log(
      `layer cache (${process.env.IMAGE_BUDGET_ENGINE}, ${read}): cold ${coldMs.toFixed(0)} ms, rerun after a one-line change ${rerunMs.toFixed(0)} ms (${rerun.reusedLayers} of ${rerun.layers.length} layers reused)`,
    );
    expect(rerun.layers).toHaveLength(3);
    expect(rerun.reusedLayers).toBe(2); // the base and the 60 MB layer: only the COPY is read
    const { reusedLayers: _a, ...fromCache } = rerun;
    const { reusedLayers: _b, ...fromScratch } = full;
    expect(fromCache).toEqual(fromScratch);
    expect(rerun.findings.some((f) => f.rule === 'model-weights-in-image')).toBe(true);
    expect(rerun.wastedBytes).toBe(0); // the 5 MB file is created and removed in the same RUN
  });
});
