/**
 * The pull-request flow end to end: dist/index.js run twice as the runner runs it, on the real
 * engine, against a fake GitHub API on 127.0.0.1. One comment is created, then updated in place; its
 * table matches the report; the bloated audio service breaks its budget and fails the job.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { copyExample } from '../support/example.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { runAction } from '../support/run-action.js';

const PR = 7;
const event = {
  name: 'pull_request',
  payload: {
    number: PR,
    repository: { name: 'platform', owner: { login: 'acme' }, default_branch: 'main' },
    pull_request: {
      number: PR,
      base: { ref: 'main', sha: 'a'.repeat(40), repo: { full_name: 'acme/platform' } },
      head: { ref: 'feature', sha: 'b'.repeat(40), repo: { full_name: 'acme/platform' } },
    },
  },
};

describe('a pull request', () => {
  let github: FakeGitHub;
  const workspace = copyExample();
  const run = () =>
    runAction({
      workspace,
      inputs: {
        docker: process.env.IMAGE_BUDGET_DOCKER ?? 'docker',
        network: 'host',
        sarif: 'image-budget.sarif',
      },
      env: { GITHUB_API_URL: github.url, GITHUB_WORKFLOW: 'images', GITHUB_JOB: 'budget' },
      event,
    });

  beforeAll(async () => {
    github = await startFakeGitHub();
  });
  afterAll(async () => {
    await github.stop();
  });

  test('two runs leave exactly one comment, updated in place, matching the report; the budget fails the job', async () => {
    const first = await run();
    expect(first.code, first.stdout).toBe(1);
    expect(first.stdout).toMatch(/::error::image-budget failed: 1 budget violation, 3 lint errors/);
    const comments = github.list('acme', 'platform', PR);
    expect(comments).toHaveLength(1);
    const firstId = comments[0]?.id;

    const second = await run();
    expect(second.code).toBe(1);
    const after = github.list('acme', 'platform', PR);
    expect(after).toHaveLength(1);
    expect(after[0]?.id).toBe(firstId);

    const body = after[0]?.body ?? '';
    expect(body.startsWith('<!-- image-budget:images/budget -->')).toBe(true);
    const report = JSON.parse(readFileSync(second.outputs.report ?? '', 'utf8')) as Report;
    expect(report.git?.pullRequest).toBe(PR);
    for (const service of report.services.filter((s) => s.built)) {
      const row = body.split('\n').find((line) => line.startsWith('|') && line.includes(service.name));
      expect(row, service.name).toBeDefined();
    }
    expect(body).toContain('max-size');
    expect(body).toMatch(/audio/);
    expect(body).toContain('No baseline');
    expect(second.summary).toContain('audio');
  });

  test('annotations point at the files and lines, and SARIF is written', async () => {
    const result = await run();
    expect(result.stdout).toMatch(
      /::error title=image-budget%3A cuda-torch,file=audio\/requirements\.txt,line=5,/,
    );
    // The weights that line 24's script downloads are reported once: the lint's finding on the
    // script's line, confirmed by the image (issue 12), not again as model-weights-in-image.
    expect(result.stdout).toMatch(
      /::error title=image-budget%3A model-download-in-build,file=audio\/scripts\/download_models\.py,line=7,[^\n]*::[^\n]*%0AConfirmed by the image: /,
    );
    expect(result.stdout).not.toMatch(/model-weights-in-image,file=audio\/Dockerfile,line=24,/);
    const sarif = JSON.parse(readFileSync(result.outputs.sarif ?? '', 'utf8')) as {
      version: string;
      runs: { results: unknown[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]?.results.length).toBeGreaterThan(5);
  });

  test('a token that cannot write is a warning, not a failure of its own', async () => {
    github.inject('POST', /\/issues\/\d+\/comments$/, 403, 5, 'Resource not accessible by integration');
    github.inject('PATCH', /\/issues\/comments\/\d+$/, 403, 5, 'Resource not accessible by integration');
    const result = await run();
    expect(result.stdout).toMatch(/::warning::.*403|::warning::.*not accessible/i);
    expect(result.stdout).toContain('::error::image-budget failed: 1 budget violation');
    expect(result.summary).toContain('audio');
  });
});
