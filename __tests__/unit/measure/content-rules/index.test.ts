import { describe, expect, it } from 'vitest';
import { CONTENT_RULES, contentRule, contentRuleOf } from '../../../../src/measure/content-rules/index.js';
import { WASTE_RULE } from '../../../../src/measure/waste-findings.js';
import { ruleIds, ruleMeta } from '../../../../src/rules/registry.js';

describe('the content rules', () => {
  it('are the registry image rules, but the waste rule', () => {
    expect(CONTENT_RULES.map((rule) => rule.id).sort()).toEqual(
      ruleIds('image')
        .filter((id) => id !== WASTE_RULE)
        .sort(),
    );
  });

  it.each(CONTENT_RULES.map((rule) => [rule.id, rule] as const))('%s is found by its id', (id, rule) => {
    expect(contentRule(id)).toBe(rule);
    expect(ruleMeta(id).kind).toBe('image');
  });

  it.each(CONTENT_RULES.map((rule) => [rule.id, rule] as const))(
    '%s confirms only lint rules of the registry',
    (_id, rule) => {
      for (const lint of rule.confirms) expect(ruleMeta(lint).kind, lint).toBe('lint');
    },
  );

  it('a rule id that is no content rule has none', () => {
    expect(contentRuleOf(WASTE_RULE)).toBeUndefined();
    expect(contentRuleOf('model-download-in-build')).toBeUndefined();
  });
});
