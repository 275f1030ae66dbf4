/**
 * The example platform through the whole pipeline (the CLI's `check`) on the engine the global setup
 * started: every service builds with BuildKit, the good backend stays small, the bloated audio
 * service does not, and the sizes are the uncompressed ones on either image store (on the
 * containerd store `docker image inspect` reports the compressed content instead).
 */
import { describe, expect, it } from 'vitest';
import { cli, type CliIo } from '../../src/cli/main.js';
import type { Report } from '../../src/report/model.js';
import { copyExample } from '../support/example.js';

const MB = 1000 * 1000;
const modern = process.env.IMAGE_BUDGET_ENGINE === 'modern';

describe('examples/platform on the real engine', () => {
  it('gets the engine environment from the global setup', () => {
    expect(process.env.DOCKER_HOST).toMatch(/^unix:\/\//);
    // legacy: Debian 12's docker.io client; modern: Debian 13's, unpacked into the engine's folder
    const dir = process.env.IMAGE_BUDGET_ENGINE_DIR ?? '/tmp/image-budget-engine';
    expect(process.env.IMAGE_BUDGET_DOCKER).toBe(
      modern ? `${dir}-modern/root/usr/bin/docker` : '/usr/bin/docker',
    );
    expect(process.env.DOCKER_CONFIG).toBeTruthy();
    expect(process.env.IMAGE_BUDGET_NETWORK).toBe('host');
    expect(process.env.IMAGE_BUDGET_ENGINE_DATA_ROOT).toBeTruthy();
  });

  it('builds every service; sizes are uncompressed on either image store', async () => {
    let stdout = '';
    const dir = copyExample();
    const io: CliIo = { stdout: (t) => (stdout += t), stderr: () => undefined, env: process.env, cwd: dir };
    const code = await cli(['check', '.', '--json', '--fail-on', 'never'], io);
    const report = JSON.parse(stdout) as Report;
    expect(code).toBe(0);
    expect(report.engine).toMatchObject(
      modern
        ? { builder: 'buildx', imageStore: 'containerd', driver: 'docker' }
        : { builder: 'docker', imageStore: 'classic' },
    );
    const byName = Object.fromEntries(report.services.map((s) => [s.name, s]));
    for (const name of ['backend', 'classifier', 'rag', 'audio', 'frontend']) {
      expect(byName[name]?.build?.status, name).toBe('success');
      expect(byName[name]?.image?.sizeSource, name).toBe(modern ? 'layers' : undefined);
      // compressed is below uncompressed for these images (text, code, fake libraries)
      expect(byName[name]?.image?.compressedSize, name).toBeLessThan(byName[name]?.image?.size ?? 0);
    }
    // The same figures on both engines (the e2e tests pin them in the rendered table too).
    expect(byName.backend?.image?.size).toBeGreaterThan(19.2 * MB);
    expect(byName.backend?.image?.size).toBeLessThan(19.5 * MB);
    expect(byName.audio?.image?.size).toBeGreaterThan(590 * MB);
    expect(byName.audio?.image?.size).toBeLessThan(600 * MB);
    expect(byName.postgres?.built).toBe(false);
  });
});
