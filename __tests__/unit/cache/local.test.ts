import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  LocalCache,
  layoutProblem,
  localRoot,
  pruneBlobs,
  referencedBlobs,
  seedBlobs,
  type DirStore,
} from '../../../src/cache/local.js';

/** A store that keeps folders as copies of their files, keyed like the GitHub cache. */
class FakeStore implements DirStore {
  readonly entries = new Map<string, Record<string, string>>();
  readonly calls: string[] = [];
  failSave = false;
  async restore(dir: string, key: string, restoreKeys: string[]): Promise<string | undefined> {
    this.calls.push(`restore ${key} [${restoreKeys.join(',')}]`);
    const hit = this.entries.has(key)
      ? key
      : [...this.entries.keys()].reverse().find((k) => restoreKeys.some((p) => k.startsWith(p)));
    if (!hit) return undefined;
    for (const [file, text] of Object.entries(this.entries.get(hit) ?? {})) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    return hit;
  }
  async save(dir: string, key: string): Promise<void> {
    this.calls.push(`save ${key}`);
    if (this.failSave) throw new Error('Unable to reserve cache with key');
    if (this.entries.has(key)) throw new Error(`key ${key} exists`);
    this.entries.set(key, readTree(dir));
  }
}

function readTree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) Object.assign(out, readTree(dir, rel));
    else out[rel] = readFileSync(path.join(dir, rel), 'utf8');
  }
  return out;
}

/** What BuildKit writes to a `type=local` destination: an OCI layout. */
function exportLayout(dir: string, blob: string): void {
  mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(path.join(dir, 'blobs', 'sha256', blob), blob);
  writeFileSync(
    path.join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, manifests: [{ digest: `sha256:${blob}` }] }),
  );
}

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'ib-local-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

describe('LocalCache rotation', () => {
  test('1: two runs on GitHub: restore by prefix, import old, export new, swap, save an immutable key', async () => {
    const store = new FakeStore();
    // run 1: cold
    const run1 = new LocalCache(path.join(tmp, 'run1'), 'image-budget', '100-1', store);
    expect(run1.checkWritable()).toBeUndefined();
    expect(await run1.restore(['backend', 'api'])).toEqual(new Map());
    const d1 = run1.dirsFor('backend');
    expect(d1).toEqual({ to: path.join(tmp, 'run1', 'backend.new') });
    exportLayout(d1.to, 'aaa');
    await run1.afterBuild('backend', true);
    expect(readdirSync(path.join(tmp, 'run1'))).toEqual(['backend']);
    await run1.finish();
    expect([...store.entries.keys()]).toEqual(['image-budget-backend@100-1']);

    // run 2: a fresh runner restores by prefix, the new export replaces the old folder (no growth)
    const root = path.join(tmp, 'run2');
    const run2 = new LocalCache(root, 'image-budget', '101-1', store);
    await run2.restore(['backend']);
    const d2 = run2.dirsFor('backend');
    expect(d2).toEqual({ from: path.join(root, 'backend'), to: path.join(root, 'backend.new') });
    exportLayout(d2.to, 'bbb');
    await run2.afterBuild('backend', true);
    expect(readdirSync(path.join(root, 'backend', 'blobs', 'sha256'))).toEqual(['bbb']);
    await run2.finish();
    expect(store.calls).toEqual([
      'restore image-budget-backend@100-1 [image-budget-backend@]',
      'restore image-budget-api@100-1 [image-budget-api@]',
      'save image-budget-backend@100-1',
      'restore image-budget-backend@101-1 [image-budget-backend@]',
      'save image-budget-backend@101-1',
    ]);
  });

  test('2: restore prefixes never collide between api and api-v2', async () => {
    const store = new FakeStore();
    store.entries.set('image-budget-api-v2@5-1', { 'index.json': '{}' });
    const cache = new LocalCache(tmp, 'image-budget', '6-1', store);
    await cache.restore(['api']);
    expect(existsSync(path.join(tmp, 'api'))).toBe(false);
  });

  test('3: a failed build keeps the previous folder and drops the partial export', async () => {
    const cache = new LocalCache(tmp, 'p', 'local-1');
    exportLayout(path.join(tmp, 'web'), 'old');
    const dirs = cache.dirsFor('web');
    exportLayout(dirs.to, 'partial');
    expect(await cache.afterBuild('web', false)).toBeUndefined();
    expect(readdirSync(path.join(tmp, 'web', 'blobs', 'sha256'))).toEqual(['old']);
    expect(existsSync(dirs.to)).toBe(false);
  });

  test('4: a build that exported nothing keeps the previous folder, with a warning', async () => {
    const cache = new LocalCache(tmp, 'p', 'local-1');
    exportLayout(path.join(tmp, 'web'), 'old');
    cache.dirsFor('web');
    expect(await cache.afterBuild('web', true)).toMatch(/exported no local cache: the previous one is kept/);
    expect(readdirSync(path.join(tmp, 'web', 'blobs', 'sha256'))).toEqual(['old']);
  });

  test('5: a stale .new folder from a killed run is removed before the build', () => {
    const cache = new LocalCache(tmp, 'p', 'local-1');
    exportLayout(path.join(tmp, 'web.new'), 'stale');
    cache.dirsFor('web');
    expect(existsSync(path.join(tmp, 'web.new'))).toBe(false);
  });

  test('6: without a store nothing is saved (the folder persists by itself)', async () => {
    const cache = new LocalCache(tmp, 'p', 'local-1');
    const dirs = cache.dirsFor('web');
    exportLayout(dirs.to, 'x');
    await cache.afterBuild('web', true);
    expect(await cache.finish()).toEqual([]);
    expect(existsSync(path.join(tmp, 'web', 'index.json'))).toBe(true);
  });

  test('7: a failing save is one warning line', async () => {
    const store = new FakeStore();
    store.failSave = true;
    const cache = new LocalCache(tmp, 'p', '7-1', store);
    exportLayout(cache.dirsFor('web').to, 'x');
    await cache.afterBuild('web', true);
    expect(await cache.finish()).toEqual(['local cache of web not saved (Unable to reserve cache with key)']);
  });

  test('8: a failing restore is one warning line for that service', async () => {
    const store = new FakeStore();
    store.restore = async () => {
      throw new Error('socket hang up');
    };
    const cache = new LocalCache(tmp, 'p', '8-1', store);
    expect([...(await cache.restore(['web']))]).toEqual([
      ['web', 'local cache of web not restored (socket hang up): building without it'],
    ]);
  });
});

describe('corrupt and unwritable folders', () => {
  test.each([
    [1, (dir: string) => mkdirSync(dir), /no index.json/],
    [
      2,
      (dir: string) => (mkdirSync(dir), writeFileSync(path.join(dir, 'index.json'), '{"manif')),
      /index.json is not JSON/,
    ],
    [
      3,
      (dir: string) => (mkdirSync(dir), writeFileSync(path.join(dir, 'index.json'), '{"manifests":[]}')),
      /index.json lists no manifests/,
    ],
    [
      4,
      (dir: string) => (mkdirSync(dir), writeFileSync(path.join(dir, 'index.json'), '{"manifests":[{}]}')),
      /no blobs folder/,
    ],
  ])('%i: corrupt folder is ignored with one warning', (_n, corrupt, reason) => {
    const cache = new LocalCache(tmp, 'p', 'local-1');
    corrupt(path.join(tmp, 'web'));
    expect(layoutProblem(path.join(tmp, 'web'))).toMatch(reason);
    const dirs = cache.dirsFor('web');
    expect(dirs.from).toBeUndefined();
    expect(dirs.warning).toMatch(
      new RegExp(
        `local cache .*web is corrupt \\(${reason.source}\\): ignored, this build writes a fresh one`,
      ),
    );
  });

  test('5: an unwritable root is one warning', () => {
    if (process.getuid?.() === 0) return; // root writes anywhere
    const ro = path.join(tmp, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    expect(new LocalCache(path.join(ro, 'cache'), 'p', 'x').checkWritable()).toMatch(
      /^local cache folder .*ro\/cache is not writable \(EACCES/,
    );
  });

  test('6: a root that is a file is one warning', () => {
    writeFileSync(path.join(tmp, 'file'), '');
    expect(new LocalCache(path.join(tmp, 'file'), 'p', 'x').checkWritable()).toMatch(/is not writable/);
  });
});

describe('localRoot', () => {
  test.each([
    [1, { XDG_CACHE_HOME: '/x' }, false, '/x/image-budget/buildx/image-budget'],
    [2, { HOME: '/home/me' }, false, '/home/me/.cache/image-budget/buildx/image-budget'],
    [3, { RUNNER_TEMP: '/rt', XDG_CACHE_HOME: '/x' }, true, '/rt/image-budget-cache/image-budget'],
    [4, {}, true, '/work/cache/image-budget-cache/image-budget'],
  ])('%i: %o store=%s -> %s', (_n, env, withStore, expected) => {
    expect(localRoot(env, 'image-budget', withStore, '/work/cache')).toBe(expected);
  });
});

/** An OCI layout as BuildKit's `type=local` cache export writes it: index.json -> an index blob -> layers and the cache config. */
function writeCacheLayout(dir: string, layers: string[], extra: string[] = []): Record<string, string> {
  const blobs = path.join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const digest = (text: string): string => createHash('sha256').update(text).digest('hex');
  const put = (text: string): string => {
    const hex = digest(text);
    writeFileSync(path.join(blobs, hex), text);
    return hex;
  };
  const layerDigests = layers.map(put);
  const config = put(JSON.stringify({ layers: layerDigests.map((d) => ({ blob: `sha256:${d}` })) }));
  const index = put(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        ...layerDigests.map((d) => ({
          mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
          digest: `sha256:${d}`,
        })),
        { mediaType: 'application/vnd.buildkit.cacheconfig.v0', digest: `sha256:${config}` },
      ],
    }),
  );
  for (const text of extra) put(text);
  writeFileSync(
    path.join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: `sha256:${index}` }],
    }),
  );
  writeFileSync(path.join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  return { index, config, ...Object.fromEntries(layers.map((text, i) => [text, layerDigests[i]!])) };
}

const blobsOf = (dir: string): string[] => readdirSync(path.join(dir, 'blobs', 'sha256')).sort();

describe('the rotation carries the previous blobs over and prunes the unreferenced ones', () => {
  test('1: the new folder starts with hard links to the previous blobs (same inode, no copy)', () => {
    const cache = new LocalCache(tmp, 'p', 'local-1');
    const old = writeCacheLayout(path.join(tmp, 'api'), ['base layer', 'deps layer', 'app v1']);
    const dirs = cache.dirsFor('api');
    expect(dirs).toEqual({ from: path.join(tmp, 'api'), to: path.join(tmp, 'api.new') });
    expect(blobsOf(dirs.to)).toEqual(blobsOf(path.join(tmp, 'api')));
    for (const hex of Object.values(old)) {
      const a = statSync(path.join(tmp, 'api', 'blobs', 'sha256', hex));
      const b = statSync(path.join(dirs.to, 'blobs', 'sha256', hex));
      expect(b.ino).toBe(a.ino);
      expect(b.nlink).toBe(2);
    }
    // index.json is BuildKit's to write: not carried over.
    expect(existsSync(path.join(dirs.to, 'index.json'))).toBe(false);
  });

  test('2: after the export, every blob the new index reaches is kept and only the others go', async () => {
    const cache = new LocalCache(tmp, 'p', 'local-1');
    const old = writeCacheLayout(path.join(tmp, 'api'), ['base layer', 'deps layer', 'app v1']);
    const dirs = cache.dirsFor('api');
    // BuildKit writes the changed layer and a new index over the carried blobs.
    const fresh = writeCacheLayout(dirs.to, ['base layer', 'deps layer', 'app v2']);
    const reached = referencedBlobs(dirs.to);
    expect(reached && [...reached].sort()).toEqual(
      Object.values(fresh)
        .map((hex) => `sha256/${hex}`)
        .sort(),
    );
    expect(await cache.afterBuild('api', true)).toBeUndefined();
    const kept = blobsOf(path.join(tmp, 'api'));
    expect(kept).toEqual(Object.values(fresh).sort());
    for (const gone of [old['app v1'], old.index, old.config]) expect(kept).not.toContain(gone);
    // The unchanged layers are the very files of the previous run.
    expect(kept).toContain(old['base layer']);
  });

  test.each([
    [
      1,
      'a manifest blob is missing',
      (dir: string, d: Record<string, string>) => rmSync(path.join(dir, 'blobs', 'sha256', d.index!)),
    ],
    [
      2,
      'a manifest blob is not JSON',
      (dir: string, d: Record<string, string>) =>
        writeFileSync(path.join(dir, 'blobs', 'sha256', d.index!), '{'),
    ],
    [
      3,
      'a digest is malformed',
      (dir: string) => writeFileSync(path.join(dir, 'index.json'), '{"manifests":[{"digest":"nope"}]}'),
    ],
  ])('3.%i: nothing is pruned when %s', (_n, _why, breakIt) => {
    const dir = path.join(tmp, 'api');
    const written = writeCacheLayout(dir, ['a', 'b'], ['orphan']);
    breakIt(dir, written);
    const before = blobsOf(dir);
    expect(referencedBlobs(dir)).toBeUndefined();
    expect(pruneBlobs(dir)).toEqual([]);
    expect(blobsOf(dir)).toEqual(before);
  });

  test('4: an orphan blob is pruned, the rest stays', () => {
    const dir = path.join(tmp, 'api');
    const written = writeCacheLayout(dir, ['a', 'b'], ['orphan']);
    const orphan = createHash('sha256').update('orphan').digest('hex');
    expect(pruneBlobs(dir)).toEqual([`sha256/${orphan}`]);
    expect(blobsOf(dir)).toEqual(Object.values(written).sort());
  });

  test('5: blobs that cannot be linked are copied', () => {
    const from = path.join(tmp, 'api');
    writeCacheLayout(from, ['a']);
    const to = path.join(tmp, 'api.new');
    // A link onto an existing name fails with EEXIST, which is not a reason to copy: a warning.
    mkdirSync(path.join(to, 'blobs', 'sha256'), { recursive: true });
    const first = blobsOf(from)[0]!;
    writeFileSync(path.join(to, 'blobs', 'sha256', first), 'x');
    expect(seedBlobs(from, to)).toMatch(
      /its blobs were not carried over \(EEXIST.*this build exports them all again$/,
    );
    expect(existsSync(to)).toBe(false);
  });
});
