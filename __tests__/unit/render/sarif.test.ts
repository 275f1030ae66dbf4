import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { describe, expect, test } from 'vitest';
import { lintTarget } from '../../../src/lint/index.js';
import { toSarif } from '../../../src/render/sarif.js';
import type { Finding } from '../../../src/report/model.js';

const require = createRequire(import.meta.url);
// The SARIF 2.1.0 JSON schema as shipped by @microsoft/jest-sarif (draft-04).
const schema = JSON.parse(
  readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
) as object;
const draft4 = require('ajv/lib/refs/json-schema-draft-04.json') as object;

function validator(): (data: unknown) => { ok: boolean; errors: string } {
  const ajv = new Ajv({ schemaId: 'id', allErrors: true, unknownFormats: 'ignore' } as ConstructorParameters<
    typeof Ajv
  >[0]);
  ajv.addMetaSchema(draft4);
  const validate = ajv.compile(schema);
  return (data) => ({ ok: validate(data) as boolean, errors: ajv.errorsText(validate.errors) });
}

const corpus = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../__fixtures__/lint');

describe('toSarif', () => {
  const validate = validator();

  test('an empty run validates against the SARIF 2.1.0 schema', () => {
    const r = validate(toSarif([], '0.1.0'));
    expect(r.errors).toBe('No errors');
    expect(r.ok).toBe(true);
  });

  test('the findings of the whole corpus validate, with rules, helpUri and regions', () => {
    const findings: Finding[] = [];
    for (const name of [
      'seeds-audio-incident',
      'dockerignore-incomplete',
      'bad-include-cycle',
      'secrets-in-arg-env',
      'bad-binary',
    ]) {
      const dir = path.join(corpus, name);
      findings.push(...lintTarget({ root: corpus, context: dir, dockerfile: path.join(dir, 'Dockerfile') }));
    }
    findings.push({
      rule: 'no-apt-upgrade',
      severity: 'error',
      file: 'svc/Dockerfile',
      line: 3,
      message: 'custom',
    });
    const log = toSarif(findings, '1.2.3') as {
      version: string;
      runs: {
        tool: { driver: { rules: { id: string; helpUri?: string }[] } };
        results: {
          ruleId: string;
          ruleIndex: number;
          locations: { physicalLocation: { region: { startLine: number } } }[];
        }[];
      }[];
    };
    const r = validate(log);
    expect(r.errors).toBe('No errors');
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0]!;
    expect(run.results).toHaveLength(findings.length);
    const cuda = run.tool.driver.rules.find((x) => x.id === 'cuda-torch')!;
    expect(cuda.helpUri).toMatch(/docs\/rules\/cuda-torch\.md$/);
    for (const res of run.results) {
      expect(run.tool.driver.rules[res.ruleIndex]!.id).toBe(res.ruleId);
      expect(res.locations[0]!.physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
    }
  });

  test('a deploy finding on the compose file names its registered rule, with its docs page', () => {
    const finding: Finding = {
      rule: 'no-healthcheck',
      severity: 'warning',
      file: 'compose.yaml',
      line: 48,
      message: 'whatsapp-agent has no healthcheck',
      source: 'compose',
    };
    const log = toSarif([finding], '1.2.3') as {
      runs: {
        tool: { driver: { rules: { id: string; helpUri?: string; shortDescription: { text: string } }[] } };
        results: { ruleIndex: number }[];
      }[];
    };
    expect(validate(log).ok).toBe(true);
    const run = log.runs[0]!;
    const rule = run.tool.driver.rules[run.results[0]!.ruleIndex]!;
    expect(rule.id).toBe('no-healthcheck');
    expect(rule.helpUri).toMatch(/docs\/rules\/no-healthcheck\.md$/);
    expect(rule.shortDescription.text).not.toMatch(/^Custom pattern/);
  });

  test('a broken log is rejected (the validator is live)', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: {} }] }).ok).toBe(false);
  });
});
