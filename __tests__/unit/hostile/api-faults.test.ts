/**
 * The API with limits (issue 16, finding 7), against the fake API on 127.0.0.1: a request that is
 * never answered times out, retries stop at 3, rate limits are waited for at most 60 s in all, and
 * malformed answers or a malformed GITHUB_API_URL are one line, never a stack.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { upsertStickyComment } from '../../../src/github/comment.js';
import { apiBaseUrl, createGitHubClient, type ClientOptions } from '../../../src/github/octokit.js';
import { commentMarker } from '../../../src/render/escape.js';
import { isUserError } from '../../../src/util/errors.js';
import { startFakeGitHub, type FakeGitHub } from '../../support/fake-github.js';

let gh: FakeGitHub;
const marker = commentMarker('ci/job');

beforeAll(async () => {
  gh = await startFakeGitHub();
});
afterAll(() => gh.stop());
beforeEach(() => gh.reset());

function upsert(client: ClientOptions = {}) {
  return upsertStickyComment({
    octokit: createGitHubClient('t', {
      baseUrl: gh.url,
      throttle: true,
      retryAfterBaseValue: 1,
      ...client,
    }),
    owner: 'acme',
    repo: 'shop',
    issueNumber: 7,
    marker,
    body: `${marker}\nhello`,
    mode: 'always',
    changed: true,
    failed: false,
  });
}

const resetIn = (seconds: number) => ({
  'x-ratelimit-remaining': '0',
  'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + seconds),
});

describe('API faults are one-line warnings naming the cause; the job goes on', () => {
  test('a server that never answers: each request times out, at most 3 retries', async () => {
    gh.inject('GET', /\/comments$/, 200, { times: 10, hang: true });
    const started = Date.now();
    const result = await upsert({ timeoutMs: 150 });
    expect(result.action).toBe('skipped');
    expect(result.warning).toMatch(
      /^could not list the comments of pull request #7 \(GitHub did not answer in time \(request timeout\)\); the comment was skipped/,
    );
    expect(gh.calls('GET', /\/comments$/)).toHaveLength(4);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test.each([
    ['invalid JSON', '{"id": 1, '],
    ['HTML', '<html>bad gateway</html>'],
    ['a JSON object where a list belongs', '{"message": "ok"}'],
    ['a list of strings', '["a", "b"]'],
  ])('a 200 with %s while listing', async (_name, raw) => {
    gh.inject('GET', /\/comments$/, 200, { raw });
    const result = await upsert();
    expect(result).toMatchObject({ action: 'skipped' });
    expect(result.warning).toBe(
      "could not list the comments of pull request #7 (GitHub's answer to the list of comments is not the JSON expected); the comment was skipped; the table is in the step summary",
    );
  });

  test('a 201 with invalid JSON for the new comment', async () => {
    gh.inject('POST', /\/comments$/, 201, { raw: 'not json' });
    const result = await upsert();
    expect(result.warning).toMatch(
      /^could not comment on pull request #7 \(GitHub's answer to the new comment/,
    );
  });

  test('a primary rate limit that resets soon is waited for, then the comment is posted', async () => {
    gh.inject('GET', /\/comments$/, 403, { message: 'API rate limit exceeded', headers: resetIn(1) });
    const result = await upsert();
    expect(result.action).toBe('created');
  });

  test('a rate limit past the 60 s budget: given up at once, the warning says rate limit', async () => {
    gh.inject('GET', /\/comments$/, 403, { message: 'API rate limit exceeded', headers: resetIn(3600) });
    const started = Date.now();
    const result = await upsert({ retryAfterBaseValue: 1000 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.warning).toMatch(
      /^could not list the comments of pull request #7 \(GitHub's rate limit \(HTTP 403: API rate limit exceeded[^)]*\)\): GitHub's rate limit outlasted the wait/,
    );
    expect(result.warning).not.toMatch(/cannot write/);
  });

  test('rate-limit waits add up to at most the budget over the client', async () => {
    gh.inject('GET', /\/comments$/, 429, { times: 5, message: 'rate limit', headers: resetIn(30) });
    const notices: string[] = [];
    const result = await upsert({
      maxRateLimitWaitSeconds: 40,
      rateLimitRetries: 5,
      log: (m) => notices.push(m),
    });
    expect(result.action).toBe('skipped');
    // 30 s (well, ~31 in units of 1 ms here) once; a second wait would pass 40.
    expect(notices.filter((n) => n.includes('retrying'))).toHaveLength(1);
    expect(notices.at(-1)).toMatch(/giving up \(the wait would pass 40s\)/);
  });

  test('a 403 on a read is not "cannot write"', async () => {
    gh.inject('GET', /\/comments$/, 403, 1, 'Must have admin rights');
    const result = await upsert();
    expect(result.warning).toMatch(
      /could not list the comments of .*: the token cannot read the pull request/,
    );
  });

  test('a server that closes the connection: network error, retried, then one line', async () => {
    const result = await upsertStickyComment({
      octokit: createGitHubClient('t', {
        baseUrl: 'http://127.0.0.1:9',
        retryAfterBaseValue: 1,
        throttle: false,
      }),
      owner: 'acme',
      repo: 'shop',
      issueNumber: 7,
      marker,
      body: 'x',
      mode: 'always',
      changed: true,
      failed: false,
    });
    expect(result.warning).toMatch(/^could not identify the token for pull request #7 \(cannot reach GitHub/);
    expect(result.warning).not.toContain('\n');
  });
});

describe('GITHUB_API_URL', () => {
  test.each([
    ['not a url', /^GITHUB_API_URL is not a URL \("not a url"\)$/],
    ['ftp://x', /^GITHUB_API_URL must be an http\(s\) URL, not ftp:$/],
    ['http://[::1', /^GITHUB_API_URL is not a URL/],
  ])('%j is one line', (url, message) => {
    try {
      apiBaseUrl(url);
      expect.unreachable();
    } catch (error) {
      expect(isUserError(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
  });

  test('a good one loses its trailing slash; an empty one is the public API', () => {
    expect(apiBaseUrl('https://ghe.example/api/v3/')).toBe('https://ghe.example/api/v3');
    expect(apiBaseUrl(' ')).toBe('https://api.github.com');
  });
});
