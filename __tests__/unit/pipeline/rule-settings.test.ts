import { describe, expect, test } from 'vitest';
import { emptyConfig } from '../../../src/config/schema.js';
import { applyRuleSettings } from '../../../src/pipeline/lint.js';
import type { Finding, Report } from '../../../src/report/model.js';

const finding = (rule: string, source: 'lint' | 'image' | 'compose'): Finding => ({
  rule,
  severity: 'warning',
  file: 'Dockerfile',
  line: 3,
  message: rule,
  source,
});

describe('applyRuleSettings', () => {
  test('deploy findings on the compose file take the settings too', () => {
    const report = {
      services: [
        {
          name: 'api',
          findings: [finding('no-memory-limit', 'compose'), finding('no-healthcheck', 'compose')],
        },
      ],
    } as unknown as Report;
    const config = {
      ...emptyConfig(),
      lint: {
        rules: { 'no-memory-limit': 'off' as const, 'no-healthcheck': 'error' as const },
        patterns: [],
      },
    };
    applyRuleSettings(report, config);
    expect(report.services[0]?.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['no-healthcheck', 'error'],
    ]);
  });

  test('off drops image findings, a severity replaces theirs, per service over global; lint findings untouched', () => {
    const report = {
      services: [
        {
          name: 'api',
          findings: [
            finding('model-weights-in-image', 'image'),
            finding('compiler-in-image', 'image'),
            finding('model-weights-in-image', 'lint'),
          ],
        },
        {
          name: 'worker',
          findings: [finding('model-weights-in-image', 'image'), finding('git-folder-in-image', 'image')],
        },
      ],
    } as unknown as Report;
    const config = {
      ...emptyConfig(),
      lint: {
        rules: { 'model-weights-in-image': 'off' as const, 'compiler-in-image': 'error' as const },
        patterns: [],
      },
      services: { worker: { lint: { rules: { 'model-weights-in-image': 'warning' as const } } } },
    };
    applyRuleSettings(report, config);
    expect(report.services[0]?.findings.map((f) => [f.rule, f.severity, f.source])).toEqual([
      ['compiler-in-image', 'error', 'image'],
      ['model-weights-in-image', 'warning', 'lint'],
    ]);
    expect(report.services[1]?.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['model-weights-in-image', 'warning'],
      ['git-folder-in-image', 'warning'],
    ]);
  });
});
