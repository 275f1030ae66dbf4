import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readEvent } from '../../../src/github/event.js';
import { UserError } from '../../../src/util/errors.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ib-event-'));
function payloadFile(content: unknown): string {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}
const repository = { full_name: 'acme/shop', default_branch: 'main' };

describe('readEvent', () => {
  test('pull_request: number, base, head, same repository', () => {
    const file = payloadFile({
      number: 7,
      repository,
      pull_request: {
        number: 7,
        base: { ref: 'main', sha: 'b'.repeat(40), repo: { full_name: 'acme/shop' } },
        head: { ref: 'feature', sha: 'h'.repeat(40), repo: { full_name: 'acme/shop' } },
      },
    });
    expect(readEvent({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: file })).toEqual({
      kind: 'pull_request',
      eventName: 'pull_request',
      repository: { owner: 'acme', repo: 'shop' },
      number: 7,
      baseRef: 'main',
      baseSha: 'b'.repeat(40),
      headRef: 'feature',
      headSha: 'h'.repeat(40),
      fromFork: false,
    });
  });

  test('pull_request from a fork', () => {
    const file = payloadFile({
      repository,
      pull_request: {
        number: 8,
        base: { ref: 'main', repo: { full_name: 'acme/shop' } },
        head: { ref: 'main', sha: 'f'.repeat(40), repo: { full_name: 'someone/shop' } },
      },
    });
    expect(readEvent({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: file })).toMatchObject({
      fromFork: true,
      number: 8,
    });
  });

  test.each([
    ['main', true],
    ['feature', false],
  ])('push to %s: default branch %s', (branch, isDefault) => {
    const file = payloadFile({ ref: `refs/heads/${branch}`, after: 'a'.repeat(40), repository });
    expect(readEvent({ GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: file })).toEqual({
      kind: 'push',
      eventName: 'push',
      repository: { owner: 'acme', repo: 'shop' },
      ref: `refs/heads/${branch}`,
      branch,
      sha: 'a'.repeat(40),
      defaultBranch: 'main',
      isDefaultBranch: isDefault,
    });
  });

  test('workflow_run: the triggering run and its pull request', () => {
    const file = payloadFile({
      repository,
      workflow_run: {
        id: 99,
        event: 'pull_request',
        conclusion: 'success',
        head_sha: 'c'.repeat(40),
        head_branch: 'feature',
        pull_requests: [{ number: 7 }],
      },
    });
    expect(readEvent({ GITHUB_EVENT_NAME: 'workflow_run', GITHUB_EVENT_PATH: file })).toEqual({
      kind: 'workflow_run',
      eventName: 'workflow_run',
      repository: { owner: 'acme', repo: 'shop' },
      runId: 99,
      triggeringEvent: 'pull_request',
      conclusion: 'success',
      headSha: 'c'.repeat(40),
      headBranch: 'feature',
      pullRequestNumber: 7,
      defaultBranch: 'main',
    });
  });

  test('other events', () => {
    const file = payloadFile({ repository });
    expect(
      readEvent({
        GITHUB_EVENT_NAME: 'workflow_dispatch',
        GITHUB_EVENT_PATH: file,
        GITHUB_SHA: 'd',
        GITHUB_REF: 'refs/heads/main',
      }),
    ).toEqual({
      kind: 'other',
      eventName: 'workflow_dispatch',
      repository: { owner: 'acme', repo: 'shop' },
      sha: 'd',
      ref: 'refs/heads/main',
      defaultBranch: 'main',
    });
  });

  test.each([
    ['no event name', {}, /^GITHUB_EVENT_NAME is not set/],
    [
      'no payload path',
      { GITHUB_EVENT_NAME: 'pull_request' },
      /^GITHUB_EVENT_PATH is not set: no event payload for the pull_request event$/,
    ],
    [
      'missing file',
      { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: path.join(dir, 'nope.json') },
      /nope\.json: cannot read the event payload: file not found$/,
    ],
    [
      'not JSON',
      { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: payloadFile('{oops') },
      /: the event payload is not valid JSON$/,
    ],
    [
      'PR without pull_request',
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: payloadFile({ repository }) },
      /: the pull_request event payload has no pull_request$/,
    ],
    [
      'PR without base ref',
      {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: payloadFile({ repository, pull_request: { number: 1, head: { sha: 'x' } } }),
      },
      /has no pull_request\.base\.ref$/,
    ],
  ])('%s → one line', (_name, env, expected) => {
    try {
      readEvent(env);
      throw new Error('expected a UserError');
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      const line = (error as UserError).toLine();
      expect(line).toMatch(expected);
      expect(line).not.toContain('\n');
    }
  });
});
