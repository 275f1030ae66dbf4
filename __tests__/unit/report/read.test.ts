import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readReport } from '../../../src/report/read.js';
import { UserError } from '../../../src/util/errors.js';
import { report, service } from './fixtures.js';
import { problemLine } from '../../../src/util/errors.js';

const good = report([service('api', 100)]);

function lineOf(text: string): string {
  try {
    readReport(text, 'baseline.json');
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as UserError).toLine();
  }
  throw new Error('expected a UserError');
}

describe('readReport', () => {
  test('reads a current report as written', () => {
    expect(readReport(JSON.stringify(good), 'head.json')).toEqual(good);
  });

  test("keeps deploy fit: each service's memory and healthcheck, the host, compose findings", () => {
    const api = service('api', 100);
    const withDeploy = {
      ...good,
      host: { memory: 2 * 1024 ** 3, limits: 256 * 1024 ** 2, reservations: 0, unlimited: ['db'] },
      services: [
        {
          ...api,
          image: { ...api.image!, healthcheck: ['CMD-SHELL', 'curl -f http://localhost/'] },
          deploy: { memoryLimit: 256 * 1024 ** 2, replicas: 2, healthcheck: 'image', oneShot: true },
          findings: [
            {
              rule: 'no-healthcheck',
              severity: 'warning',
              file: 'compose.yaml',
              line: 3,
              message: 'api has no healthcheck',
              source: 'compose',
            },
          ],
        },
      ],
    };
    const { totals: _totals, ...read } = readReport(JSON.stringify(withDeploy), 'base.json');
    const { totals: _written, ...written } = withDeploy;
    expect(read).toEqual(written);
  });

  test('drops unknown fields and fills what an older writer left out', () => {
    const { totals: _t, violations: _v, errors: _e, ...rest } = good;
    const trimmed = {
      ...rest,
      extra: { future: true },
      services: [{ ...good.services[0], findings: undefined }],
    };
    const read = readReport(JSON.stringify(trimmed), 'base.json') as unknown as Record<string, unknown>;
    expect(read).not.toHaveProperty('extra');
    expect(read.violations).toEqual([]);
    expect(read.errors).toEqual([]);
    expect(read.totals).toMatchObject({ services: 1, size: 100_000_000 });
  });

  test.each([
    ['corrupt JSON', '{"schemaVersion": 1, ', /^baseline\.json: not a valid report: corrupt JSON$/],
    ['not an object', '[1, 2]', /^baseline\.json: not a valid report: expected a JSON object$/],
    ['no version', '{"services": []}', /^baseline\.json: not a valid report: no schemaVersion$/],
    [
      'older schema',
      JSON.stringify({ ...good, schemaVersion: 0 }),
      /^baseline\.json: report schemaVersion 0 is too old to read \(oldest: 1\)/,
    ],
    [
      'newer schema',
      JSON.stringify({ ...good, schemaVersion: 9 }),
      /^baseline\.json: report schemaVersion 9 is newer than this image-budget reads \(2\): upgrade image-budget$/,
    ],
    [
      'bad top-level field',
      JSON.stringify({ ...good, errors: [1] }),
      /^baseline\.json: not a valid report: errors\[0\]: expected object$/,
    ],
    [
      'duplicate service',
      JSON.stringify({ ...good, services: [good.services[0], good.services[0]] }),
      /^baseline\.json: not a valid report: services\[1\]: a service of that name comes earlier$/,
    ],
  ])('%s → one line', (_name, text, expected) => {
    const line = lineOf(text);
    expect(line).toMatch(expected);
    expect(line).not.toContain('\n');
  });

  test('a bad service entry becomes that service with one error line; the others are read', () => {
    const text = JSON.stringify({
      ...good,
      services: [
        { name: 'api', built: true, image: { id: 'x', size: 'big', layers: 1 } },
        good.services[0]!.name === 'api' ? { ...good.services[0], name: 'web' } : good.services[0],
      ],
    });
    const read = readReport(text, 'baseline.json');
    expect(read.services[0]).toEqual({
      name: 'api',
      built: false,
      findings: [],
      violations: [],
      error: {
        message: 'not a valid report entry: services[0].image.size: expected number',
        file: 'baseline.json',
      },
    });
    expect(read.services[1]).toMatchObject({ name: 'web', built: true, image: { size: 100_000_000 } });
    expect(read.totals).toMatchObject({ services: 2, failed: 1, size: 100_000_000 });
  });
});

test('a version-1 report (errors as lines) is read as version 2: each line kept whole as the message', () => {
  const v1 = {
    ...good,
    schemaVersion: 1,
    errors: ['compose.yaml:3: service "api" must be a mapping'],
    services: [{ ...good.services[0], error: 'api/Dockerfile: not found' }],
  };
  const read = readReport(JSON.stringify(v1), 'old.json');
  expect(read.schemaVersion).toBe(2);
  expect(read.errors).toEqual([{ message: 'compose.yaml:3: service "api" must be a mapping' }]);
  expect(read.services[0]!.error).toEqual({ message: 'api/Dockerfile: not found' });
  expect(problemLine(read.services[0]!.error!)).toBe('api/Dockerfile: not found');
});

describe("a finding's imageEvidence (the image confirming the lint)", () => {
  const evidence = {
    rule: 'model-weights-in-image',
    bytes: 420_000_000,
    files: 3,
    path: '/root/.cache/huggingface',
    layer: 5,
  };
  const withFinding = (imageEvidence: unknown) =>
    JSON.stringify({
      ...good,
      services: [
        {
          ...good.services[0],
          findings: [
            {
              rule: 'model-download-in-build',
              severity: 'warning',
              file: 'Dockerfile',
              line: 7,
              message: 'm',
              imageEvidence,
            },
          ],
        },
      ],
    });

  test('is read as written', () => {
    expect(readReport(withFinding(evidence), 'base.json').services[0]!.findings[0]!.imageEvidence).toEqual(
      evidence,
    );
  });

  test.each([
    ['negative bytes', { ...evidence, bytes: -1 }, 'bytes'],
    ['bytes not a number', { ...evidence, bytes: '420MB' }, 'bytes'],
    ['layer 0', { ...evidence, layer: 0 }, 'layer'],
    ['no path', { rule: evidence.rule, bytes: 1, files: 1, layer: 1 }, 'path'],
    ['files not a whole number', { ...evidence, files: 1.5 }, 'files'],
    ['a path too long', { ...evidence, path: 'x'.repeat(5000) }, 'path'],
  ])('%s: the service is kept with one error line naming the field', (_name, bad, field) => {
    const read = readReport(withFinding(bad), 'base.json');
    expect(read.services[0]!.findings).toEqual([]);
    expect(read.services[0]!.error?.message).toMatch(
      new RegExp(`^not a valid report entry: services\\[0\\]\\.findings\\[0\\]\\.imageEvidence\\.${field}: `),
    );
  });
});

test("docs/report.md's example is a report the strict reader reads whole, its imageEvidence too", () => {
  const page = readFileSync(path.resolve(import.meta.dirname, '../../../docs/report.md'), 'utf8');
  const example = /## Example \(abridged\)\n+```json\n([\s\S]*?)```/.exec(page)?.[1];
  expect(example).toBeDefined();
  const read = readReport(example!, 'docs/report.md');
  expect(read.services[0]!.error).toBeUndefined();
  expect(read.services[0]!.findings[0]!.imageEvidence).toEqual({
    rule: 'cuda-libraries-in-image',
    bytes: 4_210_000_000,
    files: 87,
    path: '/usr/local/lib/python3.11/site-packages/nvidia',
    layer: 6,
  });
});
