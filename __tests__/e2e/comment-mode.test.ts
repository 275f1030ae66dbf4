/**
 * `mode: comment`, the workflow_run half of the fork-safe pattern, run as the runner runs it against
 * the fake GitHub API: the report of an earlier run is commented on its pull request, and a report
 * that names a pull request whose head is another commit is refused.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { runAction } from '../support/run-action.js';

const HEAD = 'c'.repeat(40);

function reportFile(
  pullRequest: number,
  name = '<img src=x onerror=alert(1)>',
  dir = mkdtempSync(path.join(tmpdir(), 'ib-artifact-')),
): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'report.json');
  writeFileSync(
    file,
    JSON.stringify({
      schemaVersion: 1,
      tool: { name: 'image-budget', version: '0.1.0' },
      createdAt: '2026-11-21T22:00:00.000Z',
      git: { sha: HEAD, baseRef: 'main', pullRequest },
      services: [
        {
          name,
          built: true,
          image: { id: 'sha256:1', size: 123_000_000, layers: 4 },
          build: { status: 'success', durationMs: 1000 },
          findings: [],
          violations: [],
        },
      ],
      totals: {
        services: 1,
        built: 1,
        failed: 0,
        size: 123_000_000,
        buildDurationMs: 1000,
        findings: { error: 0, warning: 0, note: 0 },
        violations: 0,
      },
      violations: [],
      errors: [],
    }),
  );
  return file;
}

// A workflow_run from a fork: GitHub lists no pull request in it.
const event = {
  name: 'workflow_run',
  payload: {
    repository: { name: 'platform', owner: { login: 'acme' }, default_branch: 'main' },
    workflow_run: {
      id: 99,
      event: 'pull_request',
      conclusion: 'failure',
      head_sha: HEAD,
      head_branch: 'feature',
      pull_requests: [],
    },
  },
};

describe('mode: comment', () => {
  let github: FakeGitHub;
  beforeAll(async () => {
    github = await startFakeGitHub();
    github.pulls.set('acme/platform#7', { number: 7, head: { sha: HEAD } });
    github.pulls.set('acme/platform#8', { number: 8, head: { sha: 'd'.repeat(40) } });
  });
  afterAll(async () => {
    await github.stop();
  });

  const run = (report: string) =>
    runAction({
      workspace: path.dirname(report),
      inputs: { mode: 'comment', report },
      env: { GITHUB_API_URL: github.url, GITHUB_WORKFLOW: 'images', GITHUB_JOB: 'budget' },
      event,
    });

  test('comments the report on its pull request, escaped, without building or failing', async () => {
    const result = await run(reportFile(7));
    expect(result.code, result.stdout).toBe(0);
    const [comment, ...more] = github.list('acme', 'platform', 7);
    expect(more).toEqual([]);
    expect(comment?.body).toContain('123MB');
    expect(comment?.body).not.toContain('<img');
    expect(comment?.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  test('refuses a report that names another pull request', async () => {
    const result = await run(reportFile(8));
    expect(result.code).toBe(0);
    expect(github.list('acme', 'platform', 8)).toEqual([]);
    expect(result.stdout).toMatch(
      /::warning::not commenting: pull request #8's head is dddddddddddd, not the reported commit cccccccccccc/,
    );
  });

  test('the shards of a matrix, one folder per artifact, are merged into one comment', async () => {
    const artifacts = mkdtempSync(path.join(tmpdir(), 'ib-shards-'));
    reportFile(9, 'api', path.join(artifacts, 'image-budget-api'));
    reportFile(9, 'worker', path.join(artifacts, 'image-budget-worker'));
    github.pulls.set('acme/platform#9', { number: 9, head: { sha: HEAD } });
    const result = await run(artifacts);
    expect(result.code, result.stdout).toBe(0);
    const [comment, ...more] = github.list('acme', 'platform', 9);
    expect(more).toEqual([]);
    const rows = (comment?.body ?? '').split('\n').filter((l) => /^\| (api|worker) \|/.test(l));
    expect(rows).toHaveLength(2);
    expect(comment?.body).toContain('246MB');
  });

  test('without the report input: one clear error', async () => {
    const result = await runAction({ workspace: tmpdir(), inputs: { mode: 'comment' }, event });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('::error::mode: comment needs the report input');
  });
});
