/** The built image's HEALTHCHECK, read from `docker image inspect` (a script stands in for docker). */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { Docker } from '../../../src/docker/exec.js';
import { inspectImage } from '../../../src/docker/image.js';

function fakeDocker(json: object): Docker {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ib-docker-'));
  const file = path.join(dir, 'docker');
  writeFileSync(file, `#!/bin/sh\ncat <<'EOF'\n${JSON.stringify(json)}\nEOF\n`);
  chmodSync(file, 0o755);
  return new Docker(file);
}

describe('inspectImage: Config.Healthcheck', () => {
  test.each([
    [
      { Healthcheck: { Test: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'] } },
      ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'],
    ],
    [{ Healthcheck: { Test: ['NONE'] } }, ['NONE']],
    [{ Healthcheck: null }, undefined],
    [{}, undefined],
  ])('%j', async (config, healthcheck) => {
    const docker = fakeDocker({ Id: 'sha256:abc', Size: 10, RootFS: { Layers: ['a'] }, Config: config });
    const { image } = await inspectImage(docker, 'x');
    expect(image.healthcheck).toEqual(healthcheck);
  });
});
