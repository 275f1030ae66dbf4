import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CacheClient } from '../../../src/store/actions-cache.js';
import { analysisKey, prune, restoreAnalyses, saveAnalyses } from '../../../src/store/analyses.js';

function folder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ib-analyses-'));
  mkdirSync(path.join(dir, 'layers'));
  for (const file of ['layers/a.json', 'layers/b.json', 'img.json'])
    writeFileSync(path.join(dir, file), '{}');
  return dir;
}

function fakeCache(fail?: 'restore' | 'save', available = true) {
  const calls: string[] = [];
  const client: CacheClient = {
    available: () => available,
    restore: (paths, key, prefixes) => {
      calls.push(`restore ${key} ${prefixes.join(',')}`);
      return fail === 'restore'
        ? Promise.reject(new Error('service down'))
        : Promise.resolve(`${prefixes[0]}41`);
    },
    save: (paths, key) => {
      calls.push(`save ${key}`);
      return fail === 'save' ? Promise.reject(new Error('key taken')) : Promise.resolve();
    },
  };
  return { client, calls };
}

describe('layer analyses between runs', () => {
  it.each([
    [1, 'image-budget', 42, undefined, 'image-budget-analysis-image-budget-42'],
    [2, 'image-budget', 42, '1', 'image-budget-analysis-image-budget-42'],
    [3, 'image-budget', 42, '2', 'image-budget-analysis-image-budget-42-2'],
    [4, 'a b,c', 7, undefined, 'image-budget-analysis-a-b-c-7'],
  ])('%i: key of scope %j, run %i, attempt %j', (_n, scope, run, attempt, key) => {
    expect(analysisKey(scope, run, attempt)).toBe(key);
  });

  it('restores the newest by prefix, prunes what the run did not use, saves under the run key', async () => {
    const dir = folder();
    const { client, calls } = fakeCache();
    const place = { cache: client, dir, scope: 'image-budget' };
    expect(await restoreAnalyses(place, 42)).toEqual({ key: 'image-budget-analysis-image-budget-41' });
    const saved = await saveAnalyses(place, ['layers/a.json'], 42);
    expect(saved).toEqual({ saved: true, removed: 2 });
    expect(existsSync(path.join(dir, 'layers/a.json'))).toBe(true);
    expect(existsSync(path.join(dir, 'layers/b.json'))).toBe(false);
    expect(calls).toEqual([
      'restore image-budget-analysis-image-budget-42 image-budget-analysis-image-budget-',
      'save image-budget-analysis-image-budget-42',
    ]);
  });

  it.each(['restore', 'save'] as const)(
    'a cache that fails to %s is a warning, never a throw',
    async (fail) => {
      const place = { cache: fakeCache(fail).client, dir: folder(), scope: 's' };
      const result =
        fail === 'restore' ? await restoreAnalyses(place, 1) : await saveAnalyses(place, ['img.json'], 1);
      expect(result.warning).toMatch(
        fail === 'restore' ? /not restored.*service down/ : /not saved.*key taken/,
      );
    },
  );

  it('does nothing outside GitHub Actions, or when nothing was used', async () => {
    const off = { cache: fakeCache(undefined, false).client, dir: folder(), scope: 's' };
    expect(await restoreAnalyses(off, 1)).toEqual({});
    expect(await saveAnalyses(off, ['img.json'], 1)).toEqual({ saved: false, removed: 0 });
    const on = { cache: fakeCache().client, dir: folder(), scope: 's' };
    expect(await saveAnalyses(on, [], 1)).toEqual({ saved: false, removed: 0 });
  });

  it('prune of a missing folder removes nothing', () => {
    expect(prune('/nonexistent/ib', new Set())).toBe(0);
  });
});
