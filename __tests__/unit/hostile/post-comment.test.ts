/**
 * postComment with untrusted numbers and events (issue 16: `git.pullRequest` as a string or a
 * fraction reached the API; on a `push` event a report naming a PR was posted without the head
 * check; a malformed GITHUB_API_URL ended in a stack). Each case: one warning line, no request that
 * should not be made, nothing thrown.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { postComment, type CommentRequest } from '../../../src/action/comment.js';
import { startFakeGitHub, type FakeGitHub } from '../../support/fake-github.js';

let gh: FakeGitHub;
let out: string[];

beforeAll(async () => {
  gh = await startFakeGitHub();
});
afterAll(() => gh.stop());
beforeEach(() => {
  gh.reset();
  out = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

const SHA = 'a'.repeat(40);

function request(overrides: Partial<CommentRequest> = {}, env: Record<string, string> = {}): CommentRequest {
  return {
    token: 't',
    repository: { owner: 'acme', repo: 'shop' },
    pullRequest: 7,
    mode: 'always',
    changed: true,
    failed: false,
    body: (marker) => `${marker}\nhello`,
    env: { GITHUB_API_URL: gh.url, GITHUB_EVENT_NAME: 'pull_request', ...env },
    client: { baseUrl: env.GITHUB_API_URL ?? gh.url, throttle: false, retryAfterBaseValue: 1 },
    ...overrides,
  };
}

const warnings = () => out.filter((l) => l.startsWith('::warning::')).map((l) => l.trim());

describe('postComment refuses what an untrusted report or event could make it do', () => {
  test.each([
    ['a string', '7'],
    ['a fraction', 7.5],
    ['zero', 0],
    ['negative', -3],
    ['NaN', Number.NaN],
    ['huge', 2 ** 60],
  ])('pull request number %s: no request at all', async (_name, n) => {
    await postComment(request({ pullRequest: n as number }));
    expect(gh.requests).toHaveLength(0);
    expect(warnings()).toEqual([
      '::warning::not commenting: the pull request number is not a positive integer',
    ]);
  });

  test('push event, report naming a PR whose head is another commit: not posted', async () => {
    gh.pulls.set('acme/shop#7', { number: 7, head: { sha: 'b'.repeat(40) } });
    await postComment(request({}, { GITHUB_EVENT_NAME: 'push', GITHUB_SHA: SHA }));
    expect(gh.calls('POST')).toHaveLength(0);
    expect(warnings()).toEqual([
      `::warning::not commenting: pull request #7's head is bbbbbbbbbbbb, not the reported commit aaaaaaaaaaaa`,
    ]);
  });

  test('push event, the PR head is the run commit: posted', async () => {
    gh.pulls.set('acme/shop#7', { number: 7, head: { sha: SHA } });
    await postComment(request({}, { GITHUB_EVENT_NAME: 'push', GITHUB_SHA: SHA }));
    expect(gh.calls('POST')).toHaveLength(1);
    expect(warnings()).toEqual([]);
  });

  test('an event without a commit to check: not posted', async () => {
    await postComment(request({}, { GITHUB_EVENT_NAME: 'schedule' }));
    expect(gh.requests).toHaveLength(0);
    expect(warnings()[0]).toMatch(
      /^::warning::not commenting: a schedule event does not name a pull request/,
    );
  });

  test('the PR cannot be read for the head check: the real cause, not "cannot write"', async () => {
    await postComment(request({ requireHeadSha: SHA }));
    expect(warnings()).toEqual([
      '::warning::not commenting: cannot read pull request #7 (HTTP 404: Not Found)',
    ]);
  });

  test.each(['not a url', 'ftp://x', 'http://[::1'])(
    'GITHUB_API_URL %j: one warning, no stack',
    async (url) => {
      await postComment(request({ client: { baseUrl: url } }));
      expect(warnings()).toHaveLength(1);
      expect(warnings()[0]).toMatch(/^::warning::GITHUB_API_URL .*: the PR comment was not posted/);
    },
  );

  test('a timeout on every try: one warning and the job goes on', async () => {
    gh.inject('GET', /\/comments$/, 200, { times: 10, hang: true });
    await postComment(request({ client: { baseUrl: gh.url, timeoutMs: 100, retryAfterBaseValue: 1 } }));
    expect(warnings()).toEqual([
      '::warning::could not list the comments of pull request #7 (GitHub did not answer in time (request timeout)); the comment was skipped; the table is in the step summary',
    ]);
  });
});
