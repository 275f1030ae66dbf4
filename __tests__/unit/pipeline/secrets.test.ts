import { describe, expect, test } from 'vitest';
import type { Plan } from '../../../src/plan/model.js';
import { redact, secretValues } from '../../../src/pipeline/secrets.js';

const plan: Plan = {
  root: '/repo',
  known: ['api', 'worker'],
  errors: [],
  services: [
    {
      name: 'api',
      build: { context: '/repo/api', args: { HF_TOKEN: 'hf_abcdef123', PYTHON: '3.11', API_KEY: 'k"q\\z' } },
    },
    {
      name: 'worker',
      build: {
        context: '/repo/w',
        args: { DB_PASSWORD: 'hunter22', SECRET_FLAG: '1', NPM_AUTH_TOKEN: 'hf_abcdef123' },
      },
    },
    { name: 'db', image: 'postgres:16' },
  ],
};

describe('secrets', () => {
  test('values of secret-looking build args, deduplicated, longest first; short ones and others left', () => {
    expect(secretValues(plan)).toEqual(['hf_abcdef123', 'hunter22', 'k"q\\z']);
  });

  test('redacted everywhere in the report, JSON escapes included', () => {
    const report = {
      layers: [{ createdBy: 'RUN |2 HF_TOKEN=hf_abcdef123 API_KEY=k"q\\z /bin/sh -c make' }],
      log: ['password hunter22 used'],
      python: '3.11',
    };
    expect(redact(report, secretValues(plan))).toEqual({
      layers: [{ createdBy: 'RUN |2 HF_TOKEN=*** API_KEY=*** /bin/sh -c make' }],
      log: ['password *** used'],
      python: '3.11',
    });
  });
});
