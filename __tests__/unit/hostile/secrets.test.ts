/**
 * Issue 16, findings 2 and 3: redaction rewrote the serialized report (keys and literals included,
 * names matched by substring), and secrets under common names reached the comment.
 */
import { describe, expect, test } from 'vitest';
import type { Plan } from '../../../src/plan/model.js';
import { redact, secretValues } from '../../../src/pipeline/secrets.js';
import { renderMarkdown } from '../../../src/render/markdown.js';
import { readReport } from '../../../src/report/read.js';
import { isSecretName, secretsInValue } from '../../../src/util/secrets.js';
import { report, service } from '../report/fixtures.js';
import { exitVerdict } from '../../../src/budget/verdict.js';

function planWith(args: Record<string, string>): Plan {
  return {
    root: '/repo',
    known: ['api'],
    errors: [],
    services: [{ name: 'api', build: { context: '/repo/api', args } }],
  };
}

/** A report whose strings quote the build args as BuildKit's history does. */
function reportQuoting(args: Record<string, string>) {
  const line = `RUN |${Object.keys(args).length} ${Object.entries(args)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')} /bin/sh -c make`;
  return report([
    service('api', 100, {
      image: { id: 'sha256:a', size: 1e8, layers: 3, largestLayers: [{ size: 1e8, createdBy: line }] },
      findings: [{ rule: 'apt-no-clean', severity: 'error', file: 'api/Dockerfile', message: line }],
    }),
    service('db', undefined, { imageRef: 'postgres:16' }),
  ]);
}

describe('secret names (one list, shared with the lint rule)', () => {
  test.each([
    ['GH_PAT', true],
    ['DB_PASS', true],
    ['DB_PASSWORD', true],
    ['PYPI_CREDS', true],
    ['SENTRY_DSN', true],
    ['NPM_AUTH', true],
    ['API_KEY', true],
    ['AWS_SECRET_ACCESS_KEY', true],
    ['HF_TOKEN', true],
    ['hfToken', true],
    ['TOKEN', true],
    ['AUTHOR', false],
    ['TOKENIZERS_PARALLELISM', false],
    ['KEYBOARD_LAYOUT', false],
    ['PASSENGER_MODE', false],
    ['DSNAME', false],
    ['HF_TOKEN_FILE', false],
    ['PUBLIC_KEY', false],
    ['GPG_KEY', false],
    ['PWD', false],
    ['PYTHON_VERSION', false],
  ])('%s → %s', (name, secret) => expect(isSecretName(name)).toBe(secret));
});

describe('secret values found by their shape', () => {
  test.each([
    ['ghp_' + 'a'.repeat(36), ['ghp_' + 'a'.repeat(36)]],
    ['github_pat_' + 'B'.repeat(30), ['github_pat_' + 'B'.repeat(30)]],
    ['glpat-' + 'c'.repeat(20), ['glpat-' + 'c'.repeat(20)]],
    ['AKIAABCDEFGHIJKLMNOP', ['AKIAABCDEFGHIJKLMNOP']],
    ['sk-' + 'd'.repeat(40), ['sk-' + 'd'.repeat(40)]],
    ['postgres://u:pw@db:5432/app', ['pw']],
    ['https://user:s3cr3t@example.com/x', ['s3cr3t']],
    ['https://user:${PASSWORD}@example.com/x', []],
    [
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
    ],
    ['sk-learn', []],
    ['https://example.com/path', []],
    ['false', []],
  ])('%s', (value, found) => expect(secretsInValue(value)).toEqual(found));
});

describe('redaction on values, never on text', () => {
  test.each([
    ['TOKENIZERS_PARALLELISM: false (not a secret)', { TOKENIZERS_PARALLELISM: 'false' }],
    ['a secret named arg that is a boolean', { DEBUG_TOKEN: 'true', AUTH_ENABLED: 'false' }],
    ['a secret named arg that is a number', { CACHE_KEY: '1', DB_PASS: '42' }],
    ['a secret "error" (an enum value and a key name)', { X_SECRET: 'error' }],
    ['a secret "success"', { X_SECRET: 'success' }],
    ['a secret "built"', { X_SECRET: 'built' }],
    ['a secret "services"', { X_SECRET: 'services' }],
    ['a secret "null"', { X_SECRET: 'null' }],
    ['a secret with JSON in it', { X_SECRET: '","built":true,"x":"' }],
  ])('%s: the report keeps its shape and still reads', (_name, args) => {
    const r = reportQuoting(args);
    const redacted = redact(r, secretValues(planWith(args)));
    const again = readReport(JSON.stringify(redacted), 'report.json');
    expect(again.services.map((s) => [s.name, s.built, s.findings[0]?.severity])).toEqual([
      ['api', true, 'error'],
      ['db', false, undefined],
    ]);
    expect(Object.keys(redacted)).toEqual(Object.keys(r));
    expect(redacted.services[0]!.image!.size).toBe(1e8);
  });

  const ghp = `ghp_${'x'.repeat(36)}`;
  test.each([
    ['GH_PAT', ghp, ghp],
    ['DB_PASS', 'hunter22', 'hunter22'],
    ['PYPI_CREDS', 'pypi-user:pw-longer', 'pypi-user:pw-longer'],
    ['SENTRY_DSN', 'https://abc123@o1.ingest.sentry.io/5', 'https://abc123@o1.ingest.sentry.io/5'],
    ['DATABASE_URL', 'postgres://u:pw@db:5432/app', ':pw@'],
    ['SOME_SETTING', ghp, ghp],
  ])('%s: its value never reaches the report or the comment', (name, value, leak) => {
    const args = { [name]: value, PYTHON_VERSION: '3.12' };
    const redacted = redact(reportQuoting(args), secretValues(planWith(args)));
    const md = renderMarkdown(redacted, exitVerdict(redacted, 'error'));
    expect(JSON.stringify(redacted)).not.toContain(leak);
    expect(md).not.toContain(leak);
    expect(JSON.stringify(redacted)).toContain('PYTHON_VERSION=3.12');
  });

  test('every secret is masked (the log), the whole URL and its parts', () => {
    expect(
      secretValues(
        planWith({
          GH_PAT: ghp,
          DATABASE_URL: 'postgres://u:longpassword@db/app',
          TOKENIZERS_PARALLELISM: 'false',
          AUTHOR: 'Jane Doe',
          DB_PASS: 'no',
        }),
      ),
    ).toEqual([ghp, 'postgres://u:longpassword@db/app', 'longpassword']);
  });
});
