import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { RULE_REGISTRY, ruleMeta } from '../../../src/rules/registry.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const index = readFileSync(path.join(repo, 'docs/rules/README.md'), 'utf8');

describe('the rule registry', () => {
  test('an id no rule declared is a bug, not a silent default', () => {
    expect(() => ruleMeta('no-such-rule')).toThrow(/not in the registry/);
  });

  test.each(RULE_REGISTRY.map((r) => [r.id, r]))(
    '%s has a page with a bad example, a good example and the fix, and the index gives its severity',
    (id, r) => {
      const text = readFileSync(path.join(repo, r.docs), 'utf8');
      expect(text).toMatch(new RegExp(`^# ${id}\\n`));
      for (const h of ['## Bad', '## Good', '## Fix']) expect(text).toContain(h);
      expect(index).toContain(`| [${id}](${id}.md) | ${r.severity} |`);
    },
  );
});
