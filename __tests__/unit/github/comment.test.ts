import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../../support/fake-github.js';
import { createGitHubClient } from '../../../src/github/octokit.js';
import { upsertStickyComment, type UpsertCommentOptions } from '../../../src/github/comment.js';
import { commentMarker } from '../../../src/render/escape.js';

let gh: FakeGitHub;
let savedApiUrl: string | undefined;
const marker = commentMarker('ci/image-budget');
const owner = 'acme';
const repo = 'shop';

beforeAll(async () => {
  gh = await startFakeGitHub();
  savedApiUrl = process.env.GITHUB_API_URL;
  process.env.GITHUB_API_URL = gh.url;
});
afterAll(async () => {
  if (savedApiUrl === undefined) delete process.env.GITHUB_API_URL;
  else process.env.GITHUB_API_URL = savedApiUrl;
  await gh.stop();
});
beforeEach(() => gh.reset());

function options(overrides: Partial<UpsertCommentOptions> = {}): UpsertCommentOptions {
  return {
    // The base URL comes from GITHUB_API_URL, as in the action.
    octokit: createGitHubClient('test-token', { retryAfterBaseValue: 5 }),
    owner,
    repo,
    issueNumber: 7,
    marker,
    body: `${marker}\n### image-budget\nrun 1`,
    mode: 'always',
    changed: true,
    failed: false,
    ...overrides,
  };
}

describe('upsertStickyComment against a fake GitHub API', () => {
  test('the first run creates one comment, the second updates the same one', async () => {
    const first = await upsertStickyComment(options());
    expect(first.action).toBe('created');
    expect(gh.list(owner, repo, 7)).toHaveLength(1);
    expect(gh.requests[0]?.authorization).toBe('token test-token');

    const second = await upsertStickyComment(options({ body: `${marker}\n### image-budget\nrun 2` }));
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    const comments = gh.list(owner, repo, 7);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('run 2');
    expect(gh.calls('POST')).toHaveLength(1);
    expect(gh.calls('PATCH', new RegExp(`/issues/comments/${first.id}$`))).toHaveLength(1);
  });

  test('an identical body is not sent again', async () => {
    await upsertStickyComment(options());
    const again = await upsertStickyComment(options());
    expect(again.action).toBe('skipped');
    expect(gh.calls('PATCH')).toHaveLength(0);
  });

  test('a marker on page 3 of the comments is found and updated', async () => {
    gh.seed(
      owner,
      repo,
      7,
      Array.from({ length: 230 }, (_, i) => `chatter ${i}`),
    );
    const [ours] = gh.seed(owner, repo, 7, [`${marker}\nold table`], 'github-actions[bot]');
    gh.seed(owner, repo, 7, ['later chatter']);
    const result = await upsertStickyComment(options());
    expect(result).toMatchObject({ action: 'updated', id: ours!.id });
    const pages = gh.calls('GET', /\/comments$/).map((r) => r.query.page ?? '1');
    expect(pages).toEqual(['1', '2', '3']);
    expect(gh.calls('POST')).toHaveLength(0);
    expect(gh.list(owner, repo, 7)).toHaveLength(232);
  });

  test('a quote of the marker, or a comment of another job, is not ours', async () => {
    gh.seed(owner, repo, 7, [`> ${marker}\n> quoted`, `${commentMarker('other-job')}\nother`]);
    const result = await upsertStickyComment(options());
    expect(result.action).toBe('created');
    expect(gh.list(owner, repo, 7)).toHaveLength(3);
  });

  test('a 403 (read-only token on a fork) is a warning, not a throw', async () => {
    gh.inject('POST', /\/issues\/7\/comments$/, 403, 1, 'Resource not accessible by integration');
    const result = await upsertStickyComment(options());
    expect(result.action).toBe('skipped');
    expect(result.warning).toMatch(/HTTP 403: Resource not accessible by integration/);
    expect(result.warning).toMatch(/pull-requests: write/);
    expect(gh.calls('POST')).toHaveLength(1); // 403 is not retried
  });

  test('a 404 while listing is a warning', async () => {
    gh.inject('GET', /\/comments$/, 404, 1, 'Not Found');
    const result = await upsertStickyComment(options());
    expect(result).toMatchObject({ action: 'skipped' });
    expect(result.warning).toMatch(/could not list the comments of pull request #7 \(HTTP 404/);
  });

  test('a 5xx is retried and then succeeds', async () => {
    gh.inject('GET', /\/comments$/, 502, 2);
    gh.inject('POST', /\/comments$/, 500, 1);
    const result = await upsertStickyComment(options());
    expect(result.action).toBe('created');
    expect(gh.calls('GET', /\/comments$/)).toHaveLength(3);
    expect(gh.calls('POST')).toHaveLength(2);
    expect(gh.list(owner, repo, 7)).toHaveLength(1);
  });

  test('a 5xx that outlives the retries is a warning', async () => {
    gh.inject('GET', /\/comments$/, 503, 10);
    const result = await upsertStickyComment(
      options({ octokit: createGitHubClient('t', { retries: 2, retryAfterBaseValue: 1 }) }),
    );
    expect(result.action).toBe('skipped');
    expect(result.warning).toMatch(/HTTP 503/);
    expect(gh.calls('GET', /\/comments$/)).toHaveLength(3);
  });

  test.each([
    { mode: 'never', changed: true, failed: true, existing: false, action: 'skipped' },
    { mode: 'on-change', changed: false, failed: false, existing: false, action: 'skipped' },
    { mode: 'on-change', changed: true, failed: false, existing: false, action: 'created' },
    { mode: 'on-change', changed: false, failed: false, existing: true, action: 'updated' },
    { mode: 'on-failure', changed: true, failed: false, existing: false, action: 'skipped' },
    { mode: 'on-failure', changed: false, failed: true, existing: false, action: 'created' },
    { mode: 'on-failure', changed: false, failed: false, existing: true, action: 'updated' },
    { mode: 'always', changed: false, failed: false, existing: false, action: 'created' },
  ] as const)('mode $mode, changed $changed, failed $failed, existing $existing → $action', async (c) => {
    if (c.existing) gh.seed(owner, repo, 7, [`${marker}\nold`], 'github-actions[bot]');
    const octokit = createGitHubClient('t', { throttle: false });
    const result = await upsertStickyComment(
      options({ octokit, mode: c.mode, changed: c.changed, failed: c.failed }),
    );
    expect(result.action).toBe(c.action);
    if (c.mode === 'never') expect(gh.requests).toHaveLength(0);
  });

  test('a body without the marker gets it prepended', async () => {
    await upsertStickyComment(options({ body: 'no marker here' }));
    expect(gh.list(owner, repo, 7)[0]?.body.startsWith(marker)).toBe(true);
  });

  test('a forged comment with our marker by someone else is never edited: we post our own', async () => {
    const [forged] = gh.seed(owner, repo, 7, [`${marker}\n### ✅ all budgets passed`], 'mallory');
    const result = await upsertStickyComment(options());
    expect(result.action).toBe('created');
    expect(gh.calls('PATCH')).toHaveLength(0);
    const comments = gh.list(owner, repo, 7);
    expect(comments.map((c) => c.user.login)).toEqual(['mallory', 'github-actions[bot]']);
    expect(comments[0]).toEqual(forged);
    // The next run updates ours, still not the forgery.
    const next = await upsertStickyComment(options({ body: `${marker}\nrun 2` }));
    expect(next).toMatchObject({ action: 'updated', id: comments[1]!.id });
    expect(gh.list(owner, repo, 7)[0]!.body).toContain('all budgets passed');
  });

  test('with a PAT, the token user (GET /user, looked up once) is the author that counts', async () => {
    gh.tokenLogin = 'octocat';
    gh.login = 'octocat';
    gh.seed(owner, repo, 7, [`${marker}\nby the bot`], 'github-actions[bot]');
    const [mine] = gh.seed(owner, repo, 7, [`${marker}\nby octocat`], 'octocat');
    const octokit = createGitHubClient('pat', { throttle: false });
    expect(await upsertStickyComment(options({ octokit }))).toMatchObject({
      action: 'updated',
      id: mine!.id,
    });
    await upsertStickyComment(options({ octokit, body: `${marker}\nrun 3` }));
    expect(gh.calls('GET', /^\/user$/)).toHaveLength(1);
    expect(gh.list(owner, repo, 7)[0]!.body).toBe(`${marker}\nby the bot`);
  });

  test('GitHub allows the edit of ours: updated in place', async () => {
    const [ours] = gh.seed(owner, repo, 7, [`${marker}\nold`], 'github-actions[bot]');
    const result = await upsertStickyComment(options());
    expect(result).toMatchObject({ action: 'updated', id: ours!.id });
    expect(gh.calls('PATCH')).toHaveLength(1);
    expect(gh.calls('POST')).toHaveLength(0);
  });

  test('GitHub refuses the edit of ours (403): a new comment is posted instead', async () => {
    const [ours] = gh.seed(owner, repo, 7, [`${marker}\nold`], 'github-actions[bot]');
    gh.inject('PATCH', /\/issues\/comments\/\d+$/, 403, 1, 'Resource not accessible by integration');
    const result = await upsertStickyComment(options());
    expect(result.action).toBe('created');
    expect(result.id).not.toBe(ours!.id);
    expect(gh.calls('PATCH')).toHaveLength(1);
    expect(gh.list(owner, repo, 7)).toHaveLength(2);
  });

  test('the edit and the new comment both refused: one warning that says the token cannot write', async () => {
    gh.seed(owner, repo, 7, [`${marker}\nold`], 'github-actions[bot]');
    gh.inject('PATCH', /\/issues\/comments\/\d+$/, 403, 1, 'Resource not accessible by integration');
    gh.inject('POST', /\/comments$/, 403, 1, 'Resource not accessible by integration');
    const result = await upsertStickyComment(options());
    expect(result.action).toBe('skipped');
    expect(result.warning).toMatch(
      /^could not comment on pull request #7 \(HTTP 403: .*the token cannot write/,
    );
  });
});
