/**
 * The sticky PR comment: one per workflow and job (a hidden marker), created once and updated in
 * place. A token that cannot write (fork pull requests) is a warning; the table stays in the summary.
 */
import * as core from '@actions/core';
import { upsertStickyComment, type CommentMode } from '../github/comment.js';
import { createGitHubClient } from '../github/octokit.js';
import type { RepoRef } from '../github/event.js';
import { commentMarker } from '../report/escape.js';

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
}

export async function postComment(request: CommentRequest): Promise<void> {
  if (request.mode === 'never') return;
  if (!request.token) {
    core.warning('no github-token: the PR comment was not posted (the table is in the step summary)');
    return;
  }
  const marker = commentMarker(
    `${request.env.GITHUB_WORKFLOW ?? 'workflow'}/${request.env.GITHUB_JOB ?? 'job'}`,
  );
  const octokit = createGitHubClient(request.token, { log: (message) => core.warning(message) });
  if (request.requireHeadSha && !(await headIs(request, octokit, request.requireHeadSha))) return;
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
  else core.info(`PR comment ${result.action}${result.url ? `: ${result.url}` : ''}`);
  core.setOutput('comment-url', result.url ?? '');
}

async function headIs(
  request: CommentRequest,
  octokit: ReturnType<typeof createGitHubClient>,
  sha: string,
): Promise<boolean> {
  const { owner, repo } = request.repository;
  try {
    const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: request.pullRequest });
    if (data.head.sha === sha) return true;
    core.warning(
      `not commenting: pull request #${request.pullRequest}'s head is ${data.head.sha.slice(0, 12)}, not the reported commit ${sha.slice(0, 12)}`,
    );
  } catch (error) {
    core.warning(
      `not commenting: cannot read pull request #${request.pullRequest}: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  return false;
}
