/** docs/compose.md: every example is a file of the parity corpus, so Compose itself has checked it. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { CORPUS } from '../../support/compose-corpus.js';

const docs = readFileSync(path.resolve(import.meta.dirname, '../../../docs/compose.md'), 'utf8');
const examples = [...docs.matchAll(/<!-- corpus: (\S+)(?: (\S+))? -->\s*```yaml\n([\s\S]*?)```/g)].map(
  (match) => [match[1] ?? '', match[2] ?? 'compose.yaml', match[3] ?? ''] as const,
);

describe('docs/compose.md', () => {
  test('has examples, and every yaml block is one of them', () => {
    expect(examples.length).toBeGreaterThan(0);
    expect(examples).toHaveLength(docs.match(/```yaml/g)?.length ?? 0);
  });

  test.each(examples)('the example %s/%s is the corpus file', (name, file, text) => {
    expect(text).toBe(readFileSync(path.join(CORPUS, name, file), 'utf8'));
  });
});
