/** docs/pull-requests.md: its workflow and config examples are read as it says, its quoted lines are the code's. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { baseFailures } from '../../../src/action/baseline.js';
import { exitVerdict, NO_BASELINE_NOTE } from '../../../src/budget/verdict.js';
import { parseConfig } from '../../../src/config/load.js';
import { INPUT_NAMES, parseRequest, type RawRequest } from '../../../src/pipeline/request.js';
import type { Mark, Report, Violation } from '../../../src/report/model.js';
import { report, service } from '../report/fixtures.js';

const root = path.resolve(import.meta.dirname, '../../..');
const page = readFileSync(path.join(root, 'docs/pull-requests.md'), 'utf8');
const yamlBlocks = [...page.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);

interface Workflow {
  jobs: Record<string, { steps: { uses?: string; with?: Record<string, string | number> }[] }>;
}

const over = (name: string, mark: Mark): Violation => ({
  service: name,
  budget: 'max-size',
  limit: 1,
  actual: 2,
  unit: 'bytes',
  severity: 'error',
  message: `${name}: over`,
  mark,
});
const marked = (violations: Violation[]): Report =>
  report(
    violations.map((v) => service(v.service, 10, { violations: [v] })),
    { fixed: { findings: [], violations: [] } },
  );

describe('docs/pull-requests.md', () => {
  test('has the two YAML examples this test reads, and no other code block', () => {
    expect(yamlBlocks).toHaveLength(2);
    expect([...page.matchAll(/^```/gm)]).toHaveLength(4);
  });

  test('its workflow runs image-budget with fail-on new and a built baseline, on the whole history', () => {
    const workflow = parse(yamlBlocks[0]!) as Workflow;
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const checkout = steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkout?.with?.['fetch-depth']).toBe(0);
    const inputs = steps.find((s) => s.uses?.startsWith('image-budget/image-budget@'))?.with ?? {};
    for (const name of Object.keys(inputs)) expect(INPUT_NAMES).toContain(name);
    const request = parseRequest(inputs as RawRequest);
    expect(request).toMatchObject({ 'fail-on': 'new', baseline: 'build', sarif: 'image-budget.sarif' });
  });

  test('its config example is a config the loader takes, with fail-on new', () => {
    const config = parseConfig(yamlBlocks[1]!, '.github/image-budget.yml');
    expect(config.failOn).toBe('new');
    expect(config.defaults.maxSize).toBe(1e9);
  });

  test('the lines it quotes are the ones the code writes', () => {
    const quoted = [
      exitVerdict(marked([over('voice', 'existing')]), 'new').summary,
      `failed: ${exitVerdict(marked([over('api', 'new'), over('voice', 'existing')]), 'new').reasons.join(', ')}`,
      NO_BASELINE_NOTE,
      ...baseFailures(report([service('rag', undefined, { build: { status: 'failed', durationMs: 1 } })])),
    ];
    expect(quoted).toEqual([
      'passed (fail-on: new): 1 existing budget violation',
      'failed: 1 new budget violation (1 existing)',
      'no baseline: fail-on new judged every violation as new',
      'baseline: rag failed to build at the merge base',
    ]);
    for (const line of quoted) expect(page.replace(/\n\s*/g, ' ')).toContain(`\`${line}\``);
  });
});
