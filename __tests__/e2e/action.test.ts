/**
 * dist/index.js run as the runner runs it, on the real engine: the example's services are built,
 * the step summary and the outputs are written, budgets fail the job.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { copyExample } from '../support/example.js';
import { runAction } from '../support/run-action.js';

describe('the Action on the example repository', () => {
  const workspace = copyExample();

  test('builds every service, writes the summary, the report and the outputs', async () => {
    const run = await runAction({
      workspace,
      inputs: {
        docker: process.env.IMAGE_BUDGET_DOCKER ?? 'docker',
        network: 'host',
        comment: 'never',
        'fail-on': 'never',
      },
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('image-budget passed (fail-on: never): 1 budget violation, 3 lint errors');
    const report = JSON.parse(readFileSync(run.outputs.report ?? '', 'utf8')) as Report;
    const built = report.services.filter((s) => s.built).map((s) => s.name);
    expect(built.sort()).toEqual(['audio', 'backend', 'classifier', 'frontend', 'rag']);
    expect(report.services.filter((s) => s.imageRef).map((s) => s.name)).toEqual(['postgres', 'redis']);
    expect(Number(run.outputs['total-size'])).toBe(report.totals.size);
    expect(report.totals.size).toBeGreaterThan(300_000_000);
    expect(run.outputs.failed).toBe('0');
    for (const name of built) expect(run.summary).toContain(name);
    expect(run.stdout).toContain('::group::Build audio');
  });

  test('the max-size input over the config defaults: the service over it fails the job, one line naming it', async () => {
    const run = await runAction({
      workspace,
      inputs: {
        docker: process.env.IMAGE_BUDGET_DOCKER ?? 'docker',
        network: 'host',
        comment: 'never',
        'max-size': '10MB',
        services: 'backend,frontend',
      },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /::error title=image-budget%3A max-size[^:]*::backend: size 19\.\dMB, over max-size 10MB/,
    );
    expect(run.stdout).not.toMatch(/::error[^\n]*::frontend: size/);
    expect(run.stdout).not.toContain('budget for a service that does not exist');
    expect(run.stdout).toContain('::error::image-budget failed: 1 budget violation');
    expect(run.outputs.violations).toBe('1');
  });

  test('a bad input is one clear line, no stack', async () => {
    const run = await runAction({ workspace, inputs: { 'max-size': '5 GB', comment: 'never' } });
    expect(run.code).toBe(1);
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(errors).toEqual([
      '::error::input max-size: "5 GB" is ambiguous: write 5GB (5 × 1000^3) or 5GiB (5 × 1024^3)',
    ]);
  });
});
