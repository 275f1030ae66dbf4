import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { chooseBuilder, driverOf, imageStoreOf, parseVersions } from '../../../src/build/builder.js';
import { REPO_ROOT } from '../../support/example.js';
import { UserError } from '../../../src/util/errors.js';

describe('chooseBuilder', () => {
  test.each([
    [1, { client: '28.2.2', server: '27.5.1', buildx: 'v0.19.3' }, 'buildx'],
    [2, { client: '20.10.24', server: '20.10.24' }, 'docker'],
    [3, { client: '20.10.24', server: '20.10.24', buildx: 'v0.8.2' }, 'buildx'],
  ])('%i: %j -> %s', (_n, versions, kind) => {
    expect(chooseBuilder(versions, 'docker').kind).toBe(kind);
  });

  test.each([
    [
      1,
      { client: '28.2.2', serverError: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock' },
      /no Docker engine answers: Cannot connect/,
    ],
    [2, {}, /no Docker engine answers\. Start one/],
    [
      3,
      { client: '28.2.2', server: '20.10.24' },
      /`\/usr\/local\/bin\/docker` \(28\.2\.2\) has no buildx plugin/,
    ],
    [4, { server: '20.10.24' }, /unknown version/],
  ])('%i: no builder is one clear UserError', (_n, versions, message) => {
    let thrown: unknown;
    try {
      chooseBuilder(versions, '/usr/local/bin/docker');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UserError);
    expect((thrown as Error).message).toMatch(message);
  });
});

/** Captured from the two engines of `script/engine` (see __fixtures__/cli/README.md). */
function captured(
  engine: 'legacy' | 'modern',
  file: string,
): { code: number; stdout: string; stderr: string } {
  const text = readFileSync(path.join(REPO_ROOT, '__fixtures__/cli', engine, file), 'utf8');
  const match = /\nexit (\d+)\n?$/.exec(text);
  const body = match ? text.slice(0, match.index + 1) : text;
  const code = match ? Number(match[1]) : 0;
  return { code, stdout: code === 0 ? body : '', stderr: code === 0 ? '' : body };
}

describe('detection from the real CLIs output (captured fixtures)', () => {
  test.each([
    // engine, builder kind, client, server, buildx, platform, image store, buildx driver
    [
      1,
      'legacy',
      'docker',
      '20.10.24+dfsg1',
      '20.10.24+dfsg1',
      undefined,
      'linux/amd64',
      'classic',
      undefined,
    ],
    [
      2,
      'modern',
      'buildx',
      '26.1.5+dfsg1',
      '26.1.5+dfsg1',
      '0.13.1+ds1',
      'linux/amd64',
      'containerd',
      'docker',
    ],
  ] as const)(
    '%i: %s engine -> %s builder',
    (_n, engine, kind, client, server, buildx, platform, store, driver) => {
      const versions = parseVersions(
        captured(engine, 'buildx-version.txt'),
        captured(engine, 'version.json'),
      );
      expect(versions).toMatchObject({ client, server, platform });
      expect(versions.buildx).toBe(buildx);
      expect(chooseBuilder(versions, 'docker').kind).toBe(kind);
      expect(imageStoreOf(captured(engine, 'info-driver-status.json').stdout)).toBe(store);
      const inspect = captured(engine, 'buildx-inspect.txt');
      expect(inspect.code === 0 ? driverOf(inspect.stdout) : undefined).toBe(driver);
    },
  );

  test.each([
    [1, '', 'classic'],
    [2, 'template parsing error', 'classic'],
    [3, '[["driver-type","io.containerd.snapshotter.v1"]]', 'containerd'],
    [4, '[["Backing Filesystem","extfs"],["Supports d_type","true"]]', 'classic'],
  ])('%i: imageStoreOf(%j) is %s', (_n, text, store) => {
    expect(imageStoreOf(text)).toBe(store);
  });

  test('a server that does not answer gives its error line, no server version', () => {
    const versions = parseVersions(
      { code: 1, stdout: '' },
      {
        stdout: '{"Client":{"Version":"26.1.5"},"Server":null}',
        stderr:
          'Cannot connect to the Docker daemon at unix:///nowhere.sock. Is the docker daemon running?\n',
      },
    );
    expect(versions.server).toBeUndefined();
    expect(versions.serverError).toMatch(/^Cannot connect to the Docker daemon/);
  });
});
