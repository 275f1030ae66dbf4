/**
 * docs/config.md's examples mean what the text says (that each is a config the loader takes is
 * checked with every other page's, in __tests__/unit/docs/examples.test.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';

const docs = readFileSync(path.resolve(import.meta.dirname, '../../../docs/config.md'), 'utf8');
const blocks = [...docs.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);

describe('docs/config.md', () => {
  test('has the examples this test reads', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  test('each max-growth form means what its comment says', () => {
    const lines = blocks
      .find((b) => b.startsWith('max-growth:'))!
      .trim()
      .split('\n');
    const growth = lines.map(
      (line) => parseConfig(`defaults:\n  ${line}\n`, 'docs/config.md').defaults.maxGrowth,
    );
    expect(growth).toEqual([
      { bytes: 50_000_000 },
      { percent: 10 },
      { bytes: 50_000_000, percent: 10 },
      { bytes: 50_000_000, percent: 10 },
    ]);
  });
});
