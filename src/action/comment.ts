/**
 * The sticky PR comment: one per workflow and job (a hidden marker), created once and updated in
 * place. Whatever goes wrong (no token, a read-only token on a fork's pull request, a malformed
 * `GITHUB_API_URL`, an API that times out or rate-limits past its wait) is one warning line naming
 * the cause: the comment is skipped, the table stays in the summary, and the verdict stands.
 *
 * The pull request number may come from an untrusted report (`mode: comment`): it must be a positive
 * integer, and unless the event itself names the pull request, its head must be the commit the run
 * is about (`requireHeadSha`, or on any event other than `pull_request`/`workflow_run`, the run's
 * `GITHUB_SHA`), so a report cannot point the bot at another pull request.
 */
import * as core from '@actions/core';
import { upsertStickyComment, type CommentMode } from '../github/comment.js';
import { createGitHubClient, describeApiFault, type GitHubClient } from '../github/octokit.js';
import type { RepoRef } from '../github/event.js';
import { commentMarker } from '../render/escape.js';
import { isUserError, oneLine } from '../util/errors.js';
import { commandSafe } from '../util/log.js';

export interface CommentRequest {
  token?: string;
  repository: RepoRef;
  pullRequest: number;
  mode: CommentMode;
  changed: boolean;
  failed: boolean;
  /**
   * Comment only if the pull request's head is this commit: a report from a fork's artifact names
   * its own pull request, and must not be able to name another one.
   */
  requireHeadSha?: string;
  /** Renders the body with the marker as its first line. */
  body: (marker: string) => string;
  env: Record<string, string | undefined>;
  /** Client settings for tests (timeouts, retries); the defaults are the limits of `github/octokit`. */
  client?: Parameters<typeof createGitHubClient>[1];
}

/** Events whose payload names the pull request itself (its number is not the report's word). */
const EVENTS_NAMING_THE_PR = new Set(['pull_request', 'pull_request_target', 'workflow_run']);

export async function postComment(request: CommentRequest): Promise<void> {
  if (request.mode === 'never') return;
  if (!request.token) {
    core.warning('no github-token: the PR comment was not posted (the table is in the step summary)');
    return;
  }
  const number = request.pullRequest as unknown;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number <= 0) {
    core.warning('not commenting: the pull request number is not a positive integer');
    return;
  }
  const marker = commentMarker(
    `${request.env.GITHUB_WORKFLOW ?? 'workflow'}/${request.env.GITHUB_JOB ?? 'job'}`,
  );
  let octokit: GitHubClient;
  try {
    octokit = createGitHubClient(request.token, {
      log: (message) => core.warning(message),
      ...request.client,
    });
  } catch (error) {
    if (!isUserError(error)) throw error;
    core.warning(`${oneLine(error)}: the PR comment was not posted (the table is in the step summary)`);
    return;
  }
  const eventName = request.env.GITHUB_EVENT_NAME ?? '';
  const head =
    request.requireHeadSha ??
    (EVENTS_NAMING_THE_PR.has(eventName) ? undefined : (request.env.GITHUB_SHA ?? ''));
  if (head !== undefined) {
    if (!head) {
      core.warning(
        `not commenting: a ${eventName || 'run'} event does not name a pull request, and there is no commit to check the report's against`,
      );
      return;
    }
    if (!(await headIs(request, octokit, head))) return;
  }
  const result = await upsertStickyComment({
    octokit,
    owner: request.repository.owner,
    repo: request.repository.repo,
    issueNumber: request.pullRequest,
    marker,
    body: request.body(marker),
    mode: request.mode,
    changed: request.changed,
    failed: request.failed,
  });
  if (result.warning) core.warning(result.warning);
  else core.info(commandSafe(`PR comment ${result.action}${result.url ? `: ${result.url}` : ''}`));
  core.setOutput('comment-url', result.url ?? '');
}

async function headIs(request: CommentRequest, octokit: GitHubClient, sha: string): Promise<boolean> {
  const { owner, repo } = request.repository;
  try {
    const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: request.pullRequest });
    const actual = (data as { head?: { sha?: unknown } } | undefined)?.head?.sha;
    if (typeof actual !== 'string') {
      core.warning(
        `not commenting: GitHub's answer for pull request #${request.pullRequest} is not the JSON expected`,
      );
      return false;
    }
    if (actual === sha) return true;
    core.warning(
      `not commenting: pull request #${request.pullRequest}'s head is ${actual.slice(0, 12)}, not the reported commit ${sha.slice(0, 12)}`,
    );
  } catch (error) {
    const fault = describeApiFault(error);
    if (!fault) throw error;
    core.warning(`not commenting: cannot read pull request #${request.pullRequest} (${fault.line})`);
  }
  return false;
}
