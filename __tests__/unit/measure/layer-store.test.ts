/**
 * Where an engine keeps an image's layers (src/measure/layer-store.ts), from what the two engines of
 * script/engine printed (__fixtures__/cli/).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chainIds, parseEngineStore, storeLayout, storeMounts } from '../../../src/measure/layer-store.js';
import { storeInspectionOf } from '../../../src/docker/image.js';
import { REPO_ROOT } from '../../support/example.js';

const fixture = (engine: string, name: string): string =>
  path.join(REPO_ROOT, '__fixtures__/cli', engine, name);
const text = (engine: string, name: string): string => readFileSync(fixture(engine, name), 'utf8');

describe('what the engine says of its store', () => {
  it.each([
    ['legacy', { root: '/tmp/image-budget-engine/data', driver: 'overlay2' }],
    ['modern', { root: '/tmp/image-budget-engine-modern/data', driver: 'overlayfs' }],
  ])('1.%# docker info of the %s engine', (engine, expected) => {
    expect(parseEngineStore(text(engine, 'info-store.txt'))).toEqual(expected);
  });

  it.each([
    ['', undefined],
    ['["relative/path","overlay2"]', undefined],
    ['["/var/lib/docker"]', undefined],
    ['not json', undefined],
    ['"/var/lib/docker" "overlay2"', undefined],
    ['["/var/lib/docker/","vfs"]', { root: '/var/lib/docker', driver: 'vfs' }],
    ['["/srv/docker data","overlay2"]', { root: '/srv/docker data', driver: 'overlay2' }],
  ])('2.%# docker info %j', (stdout, expected) => {
    expect(parseEngineStore(stdout)).toEqual(expected);
  });

  it.each([
    [{ root: '/var/lib/docker', driver: 'overlay2' }, ['/var/lib/docker']],
    [
      { root: '/var/lib/docker', driver: 'overlayfs' },
      [
        '/var/lib/docker/containerd/daemon/io.containerd.content.v1.content',
        '/var/lib/containerd/io.containerd.content.v1.content',
      ],
    ],
    [{ root: '/var/lib/docker', driver: 'vfs' }, []],
    [{ root: '/var/lib/docker', driver: 'btrfs' }, []],
    [{ root: '/srv/a,b', driver: 'overlay2' }, []],
    [{ root: '/srv/"a"', driver: 'overlayfs' }, []],
  ])('3.%# the folders to mount for %j', (engine, expected) => {
    expect(storeMounts(engine)).toEqual(expected);
  });
});

describe('where an image is', () => {
  const legacy = storeInspectionOf(JSON.parse(text('legacy', 'image-inspect-store.json')))!;
  const modern = storeInspectionOf(JSON.parse(text('modern', 'image-inspect-store.json')))!;

  it('reads the legacy engine’s inspect: three layers, the overlay folders', () => {
    expect(legacy.driver).toBe('overlay2');
    expect(legacy.diffIds).toHaveLength(3);
    expect(legacy.lowerDirs).toHaveLength(2);
    expect(legacy.upperDir).toMatch(/\/overlay2\/[a-f0-9]{64}\/diff$/);
    expect(legacy.platform).toEqual({ os: 'linux', architecture: 'amd64' });
  });

  it('maps each layer to its own folder, bottom first (the upper folder is the top layer)', () => {
    const layout = storeLayout(legacy, { root: '/tmp/image-budget-engine/data', driver: 'overlay2' }, 'm');
    expect(layout).toEqual({
      kind: 'overlay2',
      mount: 'm',
      layerDirs: [
        ...legacy.lowerDirs.map((dir) => dir.replace('/tmp/image-budget-engine/data/', '')).reverse(),
        legacy.upperDir!.replace('/tmp/image-budget-engine/data/', ''),
      ],
    });
  });

  it.each([
    ['a folder outside the root', { ...legacy, upperDir: '/elsewhere/overlay2/x/diff' }],
    ['a folder that climbs out', { ...legacy, upperDir: '/tmp/image-budget-engine/data/../x/diff' }],
    ['one folder short', { ...legacy, lowerDirs: legacy.lowerDirs.slice(1) }],
    ['no upper folder', { ...legacy, upperDir: undefined }],
    ['another driver', { ...legacy, driver: 'vfs' }],
  ])('reads nothing in place for %s', (_what, inspection) => {
    expect(
      storeLayout(inspection, { root: '/tmp/image-budget-engine/data', driver: 'overlay2' }, 'm'),
    ).toBeUndefined();
  });

  it('reads the modern engine’s inspect: the containerd store, no overlay folders', () => {
    expect(modern.driver).toBe('overlayfs');
    expect(modern.upperDir).toBeUndefined();
    expect(storeLayout(modern, { root: '/x', driver: 'overlayfs' }, 'm')).toEqual({
      kind: 'containerd',
      mount: 'm',
    });
  });

  it.each([[null], [[]], [[{ Id: 'abc' }]], [[{ Id: `sha256:${'a'.repeat(64)}` }]]])(
    'an inspect it cannot use: %j',
    (inspected) => {
      expect(storeInspectionOf(inspected)).toBeUndefined();
    },
  );

  it('names the layers as the layer database does (the folders found on the legacy engine)', () => {
    // chain ids of the captured image, whose folders exist in the legacy engine's layerdb
    expect(chainIds(legacy.diffIds)).toEqual([
      legacy.diffIds[0],
      'sha256:f6584cb49aef20891e018fea9bffffcdf65ab99a486eb10234d60b1cb9070cfe',
      'sha256:89a46084155a8b878c279cd1688964d938295a275519073f5fcaf42823cdf8f2',
    ]);
  });
});
