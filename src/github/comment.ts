/**
 * One sticky comment per workflow and job on a pull request: found by its hidden marker across every
 * page of the issue's comments, updated in place, created once.
 *
 * `mode`:
 * - `always`: create or update;
 * - `on-change`: create only when `changed` (the diff shows something); an existing comment is always
 *   updated so it never shows stale numbers;
 * - `on-failure`: create only when `failed`; an existing comment is always updated (so a fixed PR
 *   turns it green);
 * - `never`: do nothing.
 *
 * An HTTP error (403/404 from a read-only token on a fork's PR, a 5xx that outlived the retries, a
 * rate limit) is returned as a one-line `warning`, never thrown: the comment is a convenience, the
 * step summary still has the table.
 */
import type { GitHubClient } from './octokit.js';

export type CommentMode = 'always' | 'on-change' | 'on-failure' | 'never';

export interface UpsertCommentOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  /** The pull request (or issue) number. */
  issueNumber: number;
  /** The hidden marker (`commentMarker(id)`); the body must contain it. */
  marker: string;
  body: string;
  mode: CommentMode;
  /** The diff shows a change (used by `on-change`). */
  changed: boolean;
  /** The run fails (used by `on-failure`). */
  failed: boolean;
  /** Only comments by this login count as ours (e.g. `github-actions[bot]`); default: any author. */
  author?: string;
}

export interface UpsertCommentResult {
  action: 'created' | 'updated' | 'skipped';
  /** The comment's id, when one exists. */
  id?: number;
  /** The comment's URL, when known. */
  url?: string;
  /** Why nothing was posted, or what went wrong (one line). */
  reason?: string;
  /** A failure the caller should log as a warning (the job goes on). */
  warning?: string;
}

interface CommentLike {
  id: number;
  body?: string | null;
  html_url?: string;
  user?: { login?: string } | null;
}

/** Whether a comment is ours: its body starts with the marker (quotes of it start with `>`). */
export function isOurComment(comment: CommentLike, marker: string, author?: string): boolean {
  if (author && comment.user?.login !== author) return false;
  return (comment.body ?? '').trimStart().startsWith(marker);
}

/** Find our comment on every page of the issue's comments (100 a page); the first match wins. */
export async function findStickyComment(
  octokit: GitHubClient,
  params: { owner: string; repo: string; issueNumber: number; marker: string; author?: string },
): Promise<CommentLike | undefined> {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: params.owner,
    repo: params.repo,
    issue_number: params.issueNumber,
    per_page: 100,
  });
  for await (const page of pages) {
    const found = page.data.find((c) => isOurComment(c, params.marker, params.author));
    if (found) return found;
  }
  return undefined;
}

/** Create or update the sticky comment according to `mode`. Never throws for HTTP errors. */
export async function upsertStickyComment(options: UpsertCommentOptions): Promise<UpsertCommentResult> {
  const { octokit, owner, repo, issueNumber, marker, mode } = options;
  if (mode === 'never') return { action: 'skipped', reason: 'comment: never' };
  const body = options.body.includes(marker) ? options.body : `${marker}\n${options.body}`;
  let step = 'list the comments of';
  try {
    const existing = await findStickyComment(octokit, {
      owner,
      repo,
      issueNumber,
      marker,
      author: options.author,
    });
    if (existing) {
      if ((existing.body ?? '') === body) {
        return {
          action: 'skipped',
          id: existing.id,
          ...(existing.html_url && { url: existing.html_url }),
          reason: 'the comment is up to date',
        };
      }
      step = 'update the comment on';
      const { data } = await octokit.rest.issues.updateComment({
        owner,
        repo,
        comment_id: existing.id,
        body,
      });
      return { action: 'updated', id: data.id, url: data.html_url };
    }
    if (mode === 'on-change' && !options.changed) {
      return { action: 'skipped', reason: 'comment: on-change, and nothing changed' };
    }
    if (mode === 'on-failure' && !options.failed) {
      return { action: 'skipped', reason: 'comment: on-failure, and the run passed' };
    }
    step = 'comment on';
    const { data } = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: issueNumber,
      body,
    });
    return { action: 'created', id: data.id, url: data.html_url };
  } catch (error) {
    const status = httpStatus(error);
    if (status === undefined) throw error;
    return { action: 'skipped', warning: commentWarning(status, error as Error, step, issueNumber) };
  }
}

function httpStatus(error: unknown): number | undefined {
  if (error && typeof error === 'object' && 'status' in error && typeof error.status === 'number')
    return error.status;
  return undefined;
}

function commentWarning(status: number, error: Error, step: string, issueNumber: number): string {
  const what = `could not ${step} pull request #${issueNumber} (HTTP ${status}: ${error.message.split('\n')[0]})`;
  if (status === 403 || status === 404) {
    return `${what}: the token cannot write to it (a fork's pull request, or missing \`permissions: pull-requests: write\`); the table is in the step summary`;
  }
  return `${what}; the table is in the step summary`;
}
