import { describe, expect, test } from 'vitest';
import { RULE_IMPLS } from '../../../../src/lint/rules/index.js';
import { RULE_REGISTRY } from '../../../../src/rules/registry.js';

describe('the lint rules', () => {
  test('every lint rule module is listed once, and every listed lint rule has a module', () => {
    const modules = RULE_IMPLS.map((r) => r.meta.id);
    expect(new Set(modules).size).toBe(modules.length);
    expect(modules.sort()).toEqual(
      RULE_REGISTRY.filter((r) => r.kind === 'lint')
        .map((r) => r.id)
        .sort(),
    );
  });
});
