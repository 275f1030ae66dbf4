/**
 * Parity: for every project of the corpus (__fixtures__/compose), the plan our parser makes equals
 * the plan made from Compose v2's own `docker compose config --format json`, captured in
 * <case>/expected.json by script/capture-compose.
 */
import { describe, expect, test } from 'vitest';
import { corpusCases, planOfCompose, planOfParser, comparable } from '../../support/compose-corpus.js';

describe('our parser plans the corpus as Compose v2 does', () => {
  const cases = corpusCases();

  test('the corpus has at least 30 projects, each captured', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    for (const entry of cases) expect(entry.expected, entry.name).toBeDefined();
  });

  test.each(cases.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
    const ours = planOfParser(entry);
    const theirs = planOfCompose(entry, entry.expected);
    expect(ours.errors).toEqual([]);
    expect(comparable(ours)).toEqual(comparable(theirs));
  });
});
