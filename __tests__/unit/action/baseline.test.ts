/**
 * `baseline: build`: the merge base is built in a git worktree, inside one collapsed group of the log;
 * a base service that failed to build there is one warning; the checkout is left as it was.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { resolveBaseline } from '../../../src/action/baseline.js';
import type { Log } from '../../../src/util/log.js';
import { FakeCache } from '../../support/fake-cache.js';
import { writeRepo } from '../../support/repo.js';
import { report, service } from '../report/fixtures.js';
import { git } from '../../support/git.js';

function recordingLog(): { log: Log; lines: string[] } {
  const lines: string[] = [];
  let depth = 0;
  const at = (kind: string) => (m: string) => lines.push(`${'  '.repeat(depth)}${kind} ${m}`);
  return {
    lines,
    log: {
      info: at('info'),
      warning: at('warning'),
      error: at('error'),
      group: async (name, fn) => {
        lines.push(`group ${name}`);
        depth += 1;
        try {
          return await fn();
        } finally {
          depth -= 1;
          lines.push('endgroup');
        }
      },
    },
  };
}

describe('resolveBaseline with baseline: build', () => {
  test('builds the merge base inside one group; a base service that failed is one warning after it', async () => {
    const workspace = writeRepo({ 'compose.yaml': 'services: {}\n' });
    git(workspace, 'init', '-q', '-b', 'main');
    git(workspace, 'add', '-A');
    git(workspace, 'commit', '-q', '-m', 'base');
    git(workspace, 'checkout', '-q', '-b', 'feature');
    const cache = new FakeCache();
    const { log, lines } = recordingLog();
    const built = report([
      service('api', 10),
      service('rag', undefined, {
        build: { status: 'failed', durationMs: 1 },
        error: { message: 'RUN failed', file: 'rag/Dockerfile', line: 2 },
      }),
    ]);
    const result = await resolveBaseline({
      source: 'build',
      baseRef: 'main',
      workspace,
      cache,
      workDir: mkdtempSync(path.join(tmpdir(), 'ib-work-')),
      log,
      buildAt: async (checkout) => {
        log.info(`building ${path.basename(checkout)}`);
        return built;
      },
    });
    expect(result.report).toBe(built);
    expect(result.note).toMatch(/^Baseline built from the merge base with main \([0-9a-f]{12}\)\.$/);
    expect(lines).toEqual([
      expect.stringMatching(/^group Baseline: building main at [0-9a-f]{12} \(merge base\)$/),
      '  info building checkout',
      'endgroup',
      'warning baseline: rag failed to build at the merge base',
    ]);
    expect(git(workspace, 'status', '--porcelain')).toBe('');
    expect(git(workspace, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
  });
});
