import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { baselineKey, restoreBaseline, saveBaseline } from '../../../src/store/baseline.js';
import { FakeCache } from '../../support/fake-cache.js';
import { report, service } from '../report/fixtures.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'ib-baseline-'));

describe('baseline store', () => {
  test('keys are per branch and run; restore by prefix gets the newest', async () => {
    const cache = new FakeCache();
    const dir = tmp();
    expect(baselineKey('main', 100)).toBe('image-budget-baseline-main-100');
    expect(baselineKey('main', 100, 2)).toBe('image-budget-baseline-main-100-2');
    await saveBaseline({ cache, report: report([service('api', 100)]), branch: 'main', runId: 100, dir });
    await saveBaseline({ cache, report: report([service('api', 120)]), branch: 'main', runId: 101, dir });
    await saveBaseline({ cache, report: report([service('api', 999)]), branch: 'release', runId: 102, dir });
    const restored = await restoreBaseline({ cache, branch: 'main', dir: tmp() });
    expect(restored.key).toBe('image-budget-baseline-main-101');
    expect(restored.report?.services[0]?.image?.size).toBe(120_000_000);
    expect(restored.note).toBe('Compared with the main baseline of 2025-01-02.');
    expect(restored.warning).toBeUndefined();
    expect(cache.calls).toContain('restore image-budget-baseline-main- [image-budget-baseline-main-]');
  });

  test('no baseline yet is a note, not a warning', async () => {
    const restored = await restoreBaseline({ cache: new FakeCache(), branch: 'main', dir: tmp() });
    expect(restored).toEqual({
      note: 'No baseline for main yet: one is saved by a push to main (or save-baseline: true).',
    });
  });

  test('a cache outage is a warning on restore and on save', async () => {
    const cache = new FakeCache();
    cache.failRestore = new Error('Cache service responded with 503');
    cache.failSave = new Error('Cache service responded with 503');
    const restored = await restoreBaseline({ cache, branch: 'main', dir: tmp() });
    expect(restored.report).toBeUndefined();
    expect(restored.warning).toBe(
      'baseline not restored (cache prefix image-budget-baseline-main-): Cache service responded with 503',
    );
    const saved = await saveBaseline({ cache, report: report([]), branch: 'main', runId: 1, dir: tmp() });
    expect(saved).toEqual({
      saved: false,
      key: 'image-budget-baseline-main-1',
      warning:
        'baseline not saved (cache key image-budget-baseline-main-1): Cache service responded with 503',
    });
  });

  test('a key already taken is a warning', async () => {
    const cache = new FakeCache();
    await saveBaseline({ cache, report: report([]), branch: 'main', runId: 1, dir: tmp() });
    const again = await saveBaseline({ cache, report: report([]), branch: 'main', runId: 1, dir: tmp() });
    expect(again.saved).toBe(false);
    expect(again.warning).toMatch(/Unable to reserve cache/);
  });

  test('outside Actions (no cache service): a warning on save, a note on restore', async () => {
    const cache = new FakeCache();
    cache.isAvailable = false;
    expect(
      (await saveBaseline({ cache, report: report([]), branch: 'main', runId: 1, dir: tmp() })).warning,
    ).toMatch(/not available/);
    expect(await restoreBaseline({ cache, branch: 'main', dir: tmp() })).toEqual({
      note: 'No baseline: the Actions cache is not available here.',
    });
    expect(cache.calls).toEqual([]);
  });

  test('a corrupt or older-schema baseline is a warning with one line', async () => {
    const cache = new FakeCache();
    const dir = tmp();
    await saveBaseline({
      cache,
      report: { ...report([]), schemaVersion: 0 as 2 },
      branch: 'main',
      runId: 5,
      dir,
    });
    const restored = await restoreBaseline({ cache, branch: 'main', dir: tmp() });
    expect(restored.report).toBeUndefined();
    expect(restored.note).toBe('No baseline: the cached baseline could not be read.');
    expect(restored.warning).toMatch(
      /^baseline image-budget-baseline-main-5: report schemaVersion 0 is too old to read/,
    );
  });
});
