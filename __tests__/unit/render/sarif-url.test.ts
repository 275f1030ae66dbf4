import { describe, expect, test } from 'vitest';
import { TOOL_VERSION } from '../../../src/report/model.js';
import { DEFAULT_DOCS_BASE, toSarif } from '../../../src/render/sarif.js';

describe('SARIF rule help links (issue 15: the docs URL was a placeholder)', () => {
  test('by default, the rule pages of the tag of this version', () => {
    expect(DEFAULT_DOCS_BASE).toBe(`https://github.com/image-budget/image-budget/blob/v${TOOL_VERSION}/`);
    const log = toSarif([], TOOL_VERSION) as {
      runs: { tool: { driver: { informationUri: string; rules: { id: string; helpUri?: string }[] } } }[];
    };
    const driver = log.runs[0]!.tool.driver;
    expect(driver.informationUri).toBe('https://github.com/image-budget/image-budget');
    const cuda = driver.rules.find((r) => r.id === 'cuda-torch');
    expect(cuda?.helpUri).toBe(`${DEFAULT_DOCS_BASE}docs/rules/cuda-torch.md`);
  });

  test('the action passes the repository and ref it runs from', () => {
    const log = toSarif([], '1.0.0', 'https://github.com/acme/image-budget/blob/v2') as {
      runs: { tool: { driver: { rules: { id: string; helpUri?: string }[] } } }[];
    };
    const cuda = log.runs[0]!.tool.driver.rules.find((r) => r.id === 'cuda-torch');
    expect(cuda?.helpUri).toBe('https://github.com/acme/image-budget/blob/v2/docs/rules/cuda-torch.md');
  });
});
