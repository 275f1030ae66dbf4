import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Builder } from '../../../src/build/builder.js';
import { inlineImport, openCache, type CacheOptions } from '../../../src/cache/index.js';
import { answeringDocker, recordingLog } from '../../support/answering-docker.js';

const legacy: Builder = { kind: 'docker', version: '20.10.24', serverVersion: '20.10.24' };
const buildxDocker: Builder = {
  kind: 'buildx',
  version: 'v0.19.3',
  serverVersion: '27.5.1',
  driver: 'docker',
};
const gh = { GITHUB_ACTIONS: 'true', ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_CACHE_URL: 'https://cache/' };

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'ib-session-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

function options(extra: Partial<CacheOptions>): CacheOptions {
  return { backend: 'auto', scopePrefix: 'image-budget', workDir: tmp, env: { HOME: tmp }, ...extra };
}

describe('openCache', () => {
  test('1: gha with the docker driver creates, bootstraps and builds with the image-budget builder', async () => {
    const { docker, calls } = answeringDocker({
      'buildx inspect image-budget': { code: 1, stderr: 'ERROR: no builder "image-budget" found' },
      'buildx inspect --bootstrap image-budget': { stdout: 'Name: image-budget\nDriver: docker-container\n' },
    });
    const log = recordingLog();
    const session = await openCache(docker, buildxDocker, options({ backend: 'gha', env: gh }), log);
    expect(calls).toEqual([
      'buildx inspect image-budget',
      'buildx create --name image-budget --driver docker-container',
      'buildx inspect --bootstrap image-budget',
    ]);
    expect(session.backend).toBe('gha');
    expect(session.builder).toMatchObject({
      kind: 'buildx',
      driver: 'docker-container',
      name: 'image-budget',
    });
    expect(session.argsFor('api', 'x/api:1')).toEqual([
      '--cache-from',
      'type=gha,scope=image-budget-api',
      '--cache-to',
      'type=gha,scope=image-budget-api,mode=max,ignore-error=true',
    ]);
    expect(session.reportFor('api')).toEqual({ backend: 'gha' });
  });

  test('2: an existing image-budget builder is reused, not created again', async () => {
    const { docker, calls } = answeringDocker({
      'buildx inspect*': { stdout: 'Name: image-budget\nDriver: docker-container\n' },
    });
    const session = await openCache(
      docker,
      buildxDocker,
      options({ backend: 'auto', env: gh }),
      recordingLog(),
    );
    expect(calls).toEqual(['buildx inspect image-budget', 'buildx inspect --bootstrap image-budget']);
    expect(session.backend).toBe('gha');
  });

  test('3: a builder that cannot be created falls back to inline, recorded for every service', async () => {
    const { docker } = answeringDocker({
      'buildx inspect image-budget': { code: 1 },
      'buildx create --name image-budget --driver docker-container': {
        code: 1,
        stderr: 'ERROR: permission denied\n',
      },
    });
    const log = recordingLog();
    const session = await openCache(docker, buildxDocker, options({ backend: 'gha', env: gh }), log);
    expect(session.backend).toBe('inline');
    expect(session.builder).toEqual(buildxDocker);
    const warning =
      'cannot create a docker-container builder for gha cache (`docker buildx create --name image-budget --driver docker-container` failed: permission denied): using inline cache instead';
    expect(log.lines).toContain(`warning ${warning}`);
    expect(session.reportFor('web')).toEqual({ backend: 'inline', warning });
  });

  test('4: legacy docker with gha: inline with one warning; the previous image is imported and re-tagged', async () => {
    const { docker, calls } = answeringDocker({
      'image ls --format {{.Repository}}:{{.Tag}}': {
        stdout: 'image-budget/api:image-budget-api-cache\nimage-budget/api:old\n',
      },
    });
    const log = recordingLog();
    const session = await openCache(docker, legacy, options({ backend: 'gha', env: gh }), log);
    expect(session.backend).toBe('inline');
    expect(session.argsFor('api', 'image-budget/api:abc')).toEqual([
      '--build-arg',
      'BUILDKIT_INLINE_CACHE=1',
      '--cache-from',
      'image-budget/api:image-budget-api-cache',
    ]);
    // no previous image for web: no --cache-from (no pointless registry lookup)
    expect(session.argsFor('web', 'image-budget/web:abc')).toEqual([
      '--build-arg',
      'BUILDKIT_INLINE_CACHE=1',
    ]);
    await session.afterBuild('api', true);
    await session.afterBuild('web', false);
    expect(calls.filter((c) => c.startsWith('tag'))).toEqual([
      'tag image-budget/api:abc image-budget/api:image-budget-api-cache',
    ]);
    expect(session.reportFor('api').warning).toMatch(/^cache "gha" needs docker buildx/);
    expect(log.lines.filter((l) => l.startsWith('warning'))).toHaveLength(1);
    expect(log.lines).toContain('info cache: inline (gha needs buildx)');
  });

  test('5: a named builder that does not exist: one warning, the builds go on', async () => {
    const { docker } = answeringDocker({
      'buildx inspect k8s': { code: 1, stderr: 'no builder "k8s" found' },
    });
    const session = await openCache(
      docker,
      buildxDocker,
      options({ backend: 'none', builderName: 'k8s' }),
      recordingLog(),
    );
    expect(session.backend).toBe('none');
    expect(session.builder).toEqual(buildxDocker);
    expect(session.argsFor('api', 'a:1')).toEqual([]);
    expect(session.reportFor('api').warning).toMatch(/buildx builder "k8s" not found/);
  });

  test('6: a named remote builder is used for gha as it is', async () => {
    const { docker, calls } = answeringDocker({
      'buildx inspect remote': { stdout: 'Name: remote\nDriver: remote\n' },
    });
    const session = await openCache(
      docker,
      buildxDocker,
      options({ backend: 'gha', builderName: 'remote', env: gh }),
      recordingLog(),
    );
    expect(calls).toEqual(['buildx inspect remote']);
    expect(session.builder).toMatchObject({ name: 'remote', driver: 'remote' });
    expect(session.backend).toBe('gha');
  });

  test('7: local on a container builder with a fake store: restore up front, rotate, save at the end', async () => {
    const { docker } = answeringDocker({
      'buildx inspect --bootstrap image-budget': { stdout: 'Driver: docker-container\n' },
    });
    const calls: string[] = [];
    const store = {
      restore: async (dir: string, key: string) => (
        calls.push(`restore ${path.basename(dir)} ${key}`),
        undefined
      ),
      save: async (dir: string, key: string) => void calls.push(`save ${path.basename(dir)} ${key}`),
    };
    const session = await openCache(
      docker,
      buildxDocker,
      options({
        backend: 'local',
        services: ['api'],
        store,
        localDir: path.join(tmp, 'c'),
        env: { GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '2' },
      }),
      recordingLog(),
    );
    expect(session.backend).toBe('local');
    expect(session.argsFor('api', 'a:1')).toEqual([
      '--cache-to',
      `type=local,dest=${path.join(tmp, 'c', 'api.new')},mode=max,ignore-error=true`,
    ]);
    await session.afterBuild('api', true);
    await session.finish();
    expect(calls).toEqual(['restore api image-budget-api@42-2']);
    expect(session.reportFor('api').warning).toMatch(/exported no local cache/);
  });

  test('8: local with an unwritable folder falls back to inline', async () => {
    const { docker } = answeringDocker({
      'buildx inspect --bootstrap image-budget': { stdout: 'Driver: docker-container\n' },
    });
    const file = path.join(tmp, 'file');
    await import('node:fs').then((fs) => fs.writeFileSync(file, ''));
    const session = await openCache(
      docker,
      buildxDocker,
      options({ backend: 'local', localDir: file }),
      recordingLog(),
    );
    expect(session.backend).toBe('inline');
    expect(session.reportFor('x').warning).toMatch(
      /local cache folder .* is not writable .*: using inline cache instead/,
    );
  });

  test('9: registry without a ref: no cache, one line', async () => {
    const { docker } = answeringDocker({});
    const session = await openCache(docker, buildxDocker, options({ backend: 'registry' }), recordingLog());
    expect(session.backend).toBe('none');
    expect(session.argsFor('api', 'a:1')).toEqual([]);
    expect(session.reportFor('api').warning).toMatch(/needs a cache image reference/);
  });

  test('10: inline on a docker-container builder does not import a local-only image', async () => {
    const { docker } = answeringDocker({ 'buildx inspect ctr': { stdout: 'Driver: docker-container\n' } });
    const session = await openCache(
      docker,
      buildxDocker,
      options({ backend: 'inline', builderName: 'ctr' }),
      recordingLog(),
    );
    expect(session.argsFor('api', 'image-budget/api:1')).toEqual(['--build-arg', 'BUILDKIT_INLINE_CACHE=1']);
    expect(session.argsFor('web', 'ghcr.io/a/web:1')).toEqual([
      '--build-arg',
      'BUILDKIT_INLINE_CACHE=1',
      '--cache-from',
      'ghcr.io/a/web:image-budget-web-cache',
    ]);
    expect(session.reportFor('api').warning).toMatch(/cannot read local images/);
    expect(session.reportFor('web').warning).toBeUndefined();
  });
});

describe('inlineImport: whether inline cache imports the previous image', () => {
  const container: Builder = { ...buildxDocker, driver: 'docker-container' };
  const local = 'image-budget/api:image-budget-api-cache';
  const remote = 'ghcr.io/a/api:image-budget-api-cache';
  const has = new Set([local]);
  test.each<[number, Builder, string, Set<string>, boolean, RegExp | undefined]>([
    [1, legacy, local, has, true, undefined],
    [2, legacy, local, new Set(), false, undefined],
    [3, buildxDocker, local, has, true, undefined],
    [4, legacy, remote, new Set(), true, undefined],
    [5, container, remote, new Set(), true, undefined],
    [
      6,
      container,
      local,
      has,
      false,
      /^inline cache: the docker-container builder cannot read local images, so image-budget\/api:image-budget-api-cache is not imported/,
    ],
  ])('%i: %o from %s', (_n, builder, from, existing, usable, warning) => {
    const imported = inlineImport(builder, from, existing);
    expect(imported.usable).toBe(usable);
    if (warning) expect(imported.warning).toMatch(warning);
    else expect(imported.warning).toBeUndefined();
  });
});

describe('a build that the cache made fail', () => {
  // BuildKit 0.13's words (captured on the modern engine with a runtime token that is not a JWT).
  const configure =
    'build failed: failed to solve: failed to configure gha cache exporter: token contains an invalid number of segments';
  test.each([
    [1, configure, true],
    [2, 'failed to solve: failed to configure registry cache importer: unauthorized', true],
    [3, 'ERROR: failed to export remote cache: failed to push cache manifest', true],
    [4, 'step "RUN pip install torch" failed: exit code: 1', false],
    [5, 'failed to solve: process "/bin/sh -c cp cache.db /x" did not complete successfully', false],
  ])('%i: %s -> %s', async (_n, message, cacheFailure) => {
    const session = await openCache(
      answeringDocker({}).docker,
      buildxDocker,
      options({ backend: 'registry', registryRef: 'r/c' }),
      recordingLog(),
    );
    expect(session.failedBecauseOfCache('api', message)).toBe(cacheFailure);
    if (cacheFailure)
      expect(session.reportFor('api').warning).toMatch(
        /^cache registry failed \(failed .*\): built again without cache$/,
      );
    else expect(session.reportFor('api').warning).toBeUndefined();
  });

  test('6: with no cache there is nothing to blame', async () => {
    const session = await openCache(
      answeringDocker({}).docker,
      buildxDocker,
      options({ backend: 'none' }),
      recordingLog(),
    );
    expect(session.failedBecauseOfCache('api', configure)).toBe(false);
  });
});
