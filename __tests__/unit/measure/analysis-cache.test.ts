import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { AnalysisCache, defaultAnalysisCacheDir } from '../../../src/measure/analysis-cache.js';
import type { ImageAnalysis } from '../../../src/measure/analyze.js';

const analysis: ImageAnalysis = {
  layers: [{ size: 10, createdBy: 'RUN x' }],
  compressedSize: 7,
  uncompressedSize: 10,
  wastedBytes: 3,
  wastedFiles: [],
  findings: [],
};

describe('AnalysisCache', () => {
  test('keeps an analysis by image id and Dockerfile steps', () => {
    const cache = new AnalysisCache(path.join(mkdtempSync(path.join(tmpdir(), 'ib-ac-')), 'nested'));
    const key = cache.key('sha256:1', { steps: [{ line: 1, instruction: 'FROM a' }] });
    expect(cache.get(key)).toBeUndefined();
    cache.set(key, analysis);
    expect(cache.get(key)).toEqual(analysis);
    expect(cache.key('sha256:1', { steps: [{ line: 2, instruction: 'FROM a' }] })).not.toBe(key);
    expect(cache.key('sha256:2', { steps: [{ line: 1, instruction: 'FROM a' }] })).not.toBe(key);
  });

  test('a corrupt entry is a miss; an unwritable folder is ignored', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ib-ac-'));
    const cache = new AnalysisCache(dir);
    const key = cache.key('sha256:1', {});
    writeFileSync(path.join(dir, `${key}.json`), '{not json');
    expect(cache.get(key)).toBeUndefined();
    const file = path.join(dir, 'a-file');
    writeFileSync(file, '');
    chmodSync(file, 0o400);
    expect(() => new AnalysisCache(path.join(file, 'below')).set(key, analysis)).not.toThrow();
  });

  test('lives under XDG_CACHE_HOME when set', () => {
    expect(defaultAnalysisCacheDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/image-budget/analysis');
  });
});
