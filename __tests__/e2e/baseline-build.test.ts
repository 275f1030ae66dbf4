/**
 * `baseline: build` end to end: a pull request whose base branch has no saved baseline gets one built
 * from a git worktree of the merge base, with the same engine; the summary shows the delta. The
 * checkout itself is left as it was.
 */
import { appendFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { copyExample } from '../support/example.js';
import { runAction } from '../support/run-action.js';
import { git } from '../support/git.js';

describe('baseline: build', () => {
  test('builds the merge base when no baseline is saved, and shows the growth', async () => {
    const workspace = copyExample();
    git(workspace, 'init', '-q', '-b', 'main');
    git(workspace, 'add', '-A');
    git(workspace, 'commit', '-q', '-m', 'base');
    git(workspace, 'checkout', '-q', '-b', 'feature');
    appendFileSync(`${workspace}/backend/Dockerfile`, 'RUN head -c 12000000 /dev/urandom > /tmp/blob\n');
    git(workspace, 'commit', '-q', '-am', 'grow the backend by 12MB');

    const result = await runAction({
      workspace,
      inputs: {
        docker: process.env.IMAGE_BUDGET_DOCKER ?? 'docker',
        network: 'host',
        services: 'backend,frontend',
        baseline: 'build',
        comment: 'never',
        'max-growth': '5MB',
      },
      event: {
        name: 'pull_request',
        payload: {
          number: 3,
          repository: { name: 'platform', owner: { login: 'acme' } },
          pull_request: {
            number: 3,
            base: { ref: 'main' },
            head: { ref: 'feature', sha: git(workspace, 'rev-parse', 'HEAD').trim() },
          },
        },
      },
    });
    expect(result.summary, result.stdout).toContain('Baseline built from the merge base with main');
    // The narrow table: the head's size and the delta; the base's size is in the service's details.
    const backendRow = result.summary.split('\n').find((l) => /^\| \S+ backend \|/.test(l));
    expect(backendRow, result.summary).toMatch(/^\| ❌ backend \| 31\.3MB \| \*\*\+12MB\*\* \+62% \| .* \|$/);
    expect(result.summary).toContain('19.3MB');
    expect(result.summary).toMatch(/backend: grew \+12(\.\d)?MB .*over max-growth 5MB/);
    expect(result.stdout).toMatch(
      /::error title=image-budget%3A max-growth \(new\)[^:]*::backend: grew \+12(\.\d)?MB .*over max-growth 5MB/,
    );
    expect(result.code).toBe(1);
    expect(git(workspace, 'status', '--porcelain')).toBe('');
    expect(git(workspace, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
  });
});
