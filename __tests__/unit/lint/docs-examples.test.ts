import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { RULE_REGISTRY } from '../../../src/rules/registry.js';
import { lintFiles } from './helpers.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The first ```dockerfile block under a `## <heading>`. */
function example(text: string, heading: string): string | undefined {
  const at = text.indexOf(`## ${heading}\n`);
  if (at < 0) return undefined;
  const next = text.indexOf('\n## ', at + 4);
  const section = text.slice(at, next < 0 ? undefined : next);
  return /```dockerfile\n([\s\S]*?)```/.exec(section)?.[1];
}

const rows = RULE_REGISTRY.filter((r) => r.kind === 'lint').map((r) => {
  const text = readFileSync(path.join(repo, r.docs), 'utf8');
  return [r.id, example(text, 'Bad'), example(text, 'Good')] as const;
});

/** A fragment gets a slim base in front, so that the page's own point is the only thing judged. */
const dockerfile = (snippet: string): string =>
  /^\s*(?:#.*\n|ARG .*\n)*\s*FROM /i.test(snippet) ? snippet : `FROM python:3.12-slim\n${snippet}`;

describe('docs/rules examples', () => {
  test.each(rows.filter(([, bad]) => bad))('the Bad example of %s is caught', (id, bad) => {
    const rules = lintFiles({ Dockerfile: dockerfile(bad!) }).map((f) => f.rule);
    expect(rules).toContain(id);
  });
  test.each(rows.filter(([, , good]) => good))('the Good example of %s is not', (id, _bad, good) => {
    const rules = lintFiles({ Dockerfile: dockerfile(good!) }).map((f) => f.rule);
    expect(rules).not.toContain(id);
  });
});
