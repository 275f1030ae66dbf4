/**
 * The pull request view end to end (issue 13's "Done when"): dist/index.js run as the runner runs it,
 * with `baseline: build`, on the real engine, against the fake GitHub API. The base branch breaks the
 * size budget in two services (rag, voice) and fails to build a third (worker). The first PR commit
 * fixes rag and worker: under `fail-on: new` it passes, since voice's violation predates it. The
 * second breaks api and adds twelve lint errors: it fails, and the step stays within GitHub's 10
 * error annotations. The fixed service is never annotated; the base build is one collapsed group.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { writeRepo } from '../support/repo.js';
import { runAction, type ActionRun } from '../support/run-action.js';
import { git } from '../support/git.js';

const FROM = 'FROM image-budget/busybox:offline';
/** 2MB of random bytes over the 1.99MB base: over the 3MB budget. */
const BLOB = 'RUN head -c 2000000 /dev/urandom > /blob';
const dockerfile = (...lines: string[]) => `${[FROM, ...lines].join('\n')}\n`;

/** The lines of the step's log that are annotations. */
const annotations = (run: ActionRun, level = 'error|warning|notice') =>
  run.stdout.split('\n').filter((line) => new RegExp(`^::(${level})[ :]`).test(line));

const PR = 11;

describe('a pull request against a base that already breaks its budgets', () => {
  let github: FakeGitHub;
  const workspace = writeRepo({
    'compose.yaml': [
      'services:',
      ...['api', 'rag', 'voice', 'worker'].flatMap((s) => [`  ${s}:`, `    build: ./${s}`]),
      '',
    ].join('\n'),
    '.github/image-budget.yml': 'defaults:\n  max-size: 3MB\nlint:\n  rules:\n    no-healthcheck: off\n',
    'api/Dockerfile': dockerfile('RUN echo api > /name'),
    'rag/Dockerfile': dockerfile(BLOB),
    'voice/Dockerfile': dockerfile(BLOB),
    'worker/Dockerfile': dockerfile('RUN exit 3'),
  });
  git(workspace, 'init', '-q', '-b', 'main');
  git(workspace, 'add', '-A');
  git(workspace, 'commit', '-q', '-m', 'base: rag and voice over budget, worker broken');
  git(workspace, 'checkout', '-q', '-b', 'feature');

  const commit = (files: Record<string, string>, message: string) => {
    for (const [file, text] of Object.entries(files)) writeFileSync(path.join(workspace, file), text);
    git(workspace, 'commit', '-q', '-am', message);
  };
  const run = () =>
    runAction({
      workspace,
      inputs: {
        docker: process.env.IMAGE_BUDGET_DOCKER ?? 'docker',
        network: 'host',
        baseline: 'build',
        'fail-on': 'new',
        sarif: 'image-budget.sarif',
      },
      env: { GITHUB_API_URL: github.url, GITHUB_WORKFLOW: 'images', GITHUB_JOB: 'budget' },
      event: {
        name: 'pull_request',
        payload: {
          number: PR,
          repository: { name: 'platform', owner: { login: 'acme' }, default_branch: 'main' },
          pull_request: {
            number: PR,
            base: { ref: 'main', repo: { full_name: 'acme/platform' } },
            head: {
              ref: 'feature',
              sha: git(workspace, 'rev-parse', 'HEAD').trim(),
              repo: { full_name: 'acme/platform' },
            },
          },
        },
      },
    });
  const reportOf = (result: ActionRun) =>
    JSON.parse(readFileSync(result.outputs.report ?? '', 'utf8')) as Report;
  const violationMarks = (report: Report) =>
    Object.fromEntries(report.services.flatMap((s) => s.violations.map((v) => [s.name, v.mark])));

  beforeAll(async () => {
    github = await startFakeGitHub();
  });
  afterAll(async () => {
    await github.stop();
  });

  test('a PR that fixes rag and worker passes under fail-on new: voice was over budget before it', async () => {
    commit(
      { 'rag/Dockerfile': dockerfile('RUN echo rag > /name'), 'worker/Dockerfile': dockerfile('RUN true') },
      'fix rag and worker',
    );
    const result = await run();
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('image-budget passed (fail-on: new): 1 existing budget violation');

    const report = reportOf(result);
    expect(violationMarks(report)).toEqual({ voice: 'existing' });
    expect(report.fixed?.violations.map((v) => v.service)).toEqual(['rag']);

    // The fixed service is named by no annotation; the base's results are not the PR's.
    expect(annotations(result).filter((line) => /\brag\b/.test(line))).toEqual([]);
    expect(annotations(result, 'warning')).toContain(
      '::warning::baseline: worker failed to build at the merge base',
    );
    expect(annotations(result, 'error')).toEqual([
      expect.stringMatching(/^::error title=image-budget%3A max-size \(existing\)[^:]*::voice: size /),
    ]);

    // The whole base build is one collapsed group, with no group of its own inside.
    const groups = result.stdout.split('\n').filter((l) => l.startsWith('::group::Baseline'));
    expect(groups).toHaveLength(1);
    const inside = result.stdout.slice(result.stdout.indexOf(groups[0]!) + groups[0]!.length);
    const group = inside.slice(0, inside.indexOf('::endgroup::'));
    expect(group).toContain('exit 3');
    expect(group).not.toMatch(/^::(group|error|warning)/m);
    expect(github.list('acme', 'platform', PR)).toHaveLength(1);
  });

  test('a PR that breaks api and adds twelve lint errors fails, within 10 error annotations', async () => {
    const secrets = Array.from({ length: 12 }, (_, i) => `ARG TOKEN_${i + 1}`);
    commit({ 'api/Dockerfile': dockerfile(...secrets, BLOB) }, 'grow api, pass secrets as build args');
    const result = await run();
    expect(result.code, result.stdout).toBe(1);
    expect(result.stdout).toContain(
      '::error::image-budget failed: 1 new budget violation (1 existing), 12 new lint errors',
    );

    const report = reportOf(result);
    expect(violationMarks(report)).toEqual({ api: 'new', voice: 'existing' });
    const errors = annotations(result, 'error');
    expect(errors).toHaveLength(10);
    // The new violation first; the existing one did not fit.
    expect(errors[0]).toMatch(/^::error title=image-budget%3A max-size \(new\)[^:]*::api: size /);
    expect(errors.filter((l) => l.includes('voice'))).toEqual([]);
    expect(errors.filter((l) => l.includes('secret-in-build-arg (new)'))).toHaveLength(8);
    expect(annotations(result, 'notice')).toEqual([
      expect.stringMatching(
        /^::notice title=[^:]*::image-budget: 5 errors not annotated .*the step summary and the SARIF file have every finding$/,
      ),
    ]);
    expect(annotations(result).filter((line) => /\brag\b/.test(line))).toEqual([]);
  });
});
