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
