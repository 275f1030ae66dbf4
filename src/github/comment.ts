/**
 * One sticky comment per workflow and job on a pull request: found by its hidden marker across every
 * page of the issue's comments, updated in place, created once.
 *
 * A comment is ours only when its author is the token's identity: `github-actions[bot]` for the
 * workflow's GITHUB_TOKEN, or the login of a PAT's user (`GET /user`, looked up once per client).
 * Anyone can post a comment that starts with the marker; such a forgery is never edited, the bot
 * posts its own. If GitHub refuses the edit of ours (403), a new comment is posted instead.
 *
 * `mode`:
 * - `always`: create or update;
 * - `on-change`: create only when `changed` (the diff shows something); an existing comment is always
 *   updated so it never shows stale numbers;
 * - `on-failure`: create only when `failed`; an existing comment is always updated (so a fixed PR
 *   turns it green);
 * - `never`: do nothing.
 *
 * A fault of the API (403/404 from a read-only token on a fork's PR, a 5xx that outlived the
 * retries, a rate limit past its wait, a timeout, an answer that is not JSON) is returned as a
 * one-line `warning` naming the real cause, never thrown: the comment is a convenience, the step
 * summary still has the table, and the verdict stands.
 */
import { describeApiFault, expectShape, type GitHubClient } from './octokit.js';

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
  /**
   * Only comments by this login count as ours. Default: the token's identity (`tokenIdentity`).
   */
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

/** The login of the workflow's GITHUB_TOKEN. */
export const ACTIONS_BOT = 'github-actions[bot]';

/**
 * Whether a comment is ours: its author is `author` (the token's identity) and its body starts with
 * the marker (quotes of it start with `>`).
 */
export function isOurComment(comment: CommentLike, marker: string, author: string): boolean {
  if (comment.user?.login !== author) return false;
  return (comment.body ?? '').trimStart().startsWith(marker);
}

const identities = new WeakMap<GitHubClient, Promise<string>>();

/**
 * The login comments made with this client's token carry: a PAT's user (`GET /user`), or
 * `github-actions[bot]` when the token is an installation token (`GET /user` answers 403) or the
 * answer is unusable. Looked up once per client.
 */
export function tokenIdentity(octokit: GitHubClient): Promise<string> {
  let found = identities.get(octokit);
  if (!found) {
    found = octokit
      .request('GET /user')
      .then(({ data }) => {
        const login = (data as { login?: unknown } | undefined)?.login;
        return typeof login === 'string' && login !== '' ? login : ACTIONS_BOT;
      })
      .catch((error: unknown) => {
        const fault = describeApiFault(error);
        // GITHUB_TOKEN cannot read /user (403, "Resource not accessible by integration").
        if (fault?.kind === 'http' && (fault.status === 403 || fault.status === 404 || fault.status === 401))
          return ACTIONS_BOT;
        throw error;
      });
    identities.set(octokit, found);
  }
  return found;
}

const isCommentList = (d: unknown): d is CommentLike[] =>
  Array.isArray(d) &&
  d.every((c) => !!c && typeof c === 'object' && typeof (c as CommentLike).id === 'number');
const isComment = (d: unknown): d is CommentLike & { html_url: string } =>
  !!d && typeof d === 'object' && typeof (d as CommentLike).id === 'number';

/** The most pages of comments read (100 a page): a server that always says "next" cannot loop. */
export const MAX_COMMENT_PAGES = 100;

/** Find our comment on every page of the issue's comments (100 a page); the first match wins. */
export async function findStickyComment(
  octokit: GitHubClient,
  params: { owner: string; repo: string; issueNumber: number; marker: string; author: string },
): Promise<CommentLike | undefined> {
  for (let page = 1; page <= MAX_COMMENT_PAGES; page++) {
    const { data } = await octokit.rest.issues.listComments({
      owner: params.owner,
      repo: params.repo,
      issue_number: params.issueNumber,
      per_page: 100,
      page,
    });
    const comments = expectShape(data as unknown, isCommentList, 'the list of comments');
    const found = comments.find((c) => isOurComment(c, params.marker, params.author));
    if (found) return found;
    if (comments.length < 100) return undefined;
  }
  return undefined;
}

/** Create or update the sticky comment according to `mode`. Never throws for HTTP errors. */
export async function upsertStickyComment(options: UpsertCommentOptions): Promise<UpsertCommentResult> {
  const { octokit, owner, repo, issueNumber, marker, mode } = options;
  if (mode === 'never') return { action: 'skipped', reason: 'comment: never' };
  const body = options.body.includes(marker) ? options.body : `${marker}\n${options.body}`;
  let step: Step = 'identify the token for';
  try {
    const author = options.author ?? (await tokenIdentity(octokit));
    step = 'list the comments of';
    const existing = await findStickyComment(octokit, { owner, repo, issueNumber, marker, author });
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
      try {
        const { data } = await octokit.rest.issues.updateComment({
          owner,
          repo,
          comment_id: existing.id,
          body,
        });
        const updated = expectShape(data as unknown, isComment, 'the comment update');
        return { action: 'updated', id: updated.id, url: updated.html_url };
      } catch (error) {
        // GitHub refused the edit: post a comment of our own rather than leave the old one standing.
        if (describeApiFault(error)?.status !== 403) throw error;
        step = 'comment on';
      }
    } else {
      if (mode === 'on-change' && !options.changed) {
        return { action: 'skipped', reason: 'comment: on-change, and nothing changed' };
      }
      if (mode === 'on-failure' && !options.failed) {
        return { action: 'skipped', reason: 'comment: on-failure, and the run passed' };
      }
    }
    step = 'comment on';
    const { data } = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: issueNumber,
      body,
    });
    const created = expectShape(data as unknown, isComment, 'the new comment');
    return { action: 'created', id: created.id, url: created.html_url };
  } catch (error) {
    const warning = commentWarning(error, step, issueNumber);
    if (warning === undefined) throw error;
    return { action: 'skipped', warning };
  }
}

type Step = 'identify the token for' | 'list the comments of' | 'update the comment on' | 'comment on';

/**
 * One line naming the real cause: a read that failed is not "the token cannot write", a rate limit
 * or a timeout is neither. `undefined` for a bug (rethrown with its stack).
 */
export function commentWarning(error: unknown, step: Step, issueNumber: number): string | undefined {
  const fault = describeApiFault(error);
  if (!fault) return undefined;
  const what = `could not ${step} pull request #${issueNumber} (${fault.line})`;
  const tail = 'the comment was skipped; the table is in the step summary';
  const write = step === 'update the comment on' || step === 'comment on';
  if (fault.kind === 'rate-limit') return `${what}: GitHub's rate limit outlasted the wait; ${tail}`;
  if (fault.kind === 'timeout' || fault.kind === 'network' || fault.kind === 'malformed')
    return `${what}; ${tail}`;
  if (write && (fault.status === 403 || fault.status === 404)) {
    return `${what}: the token cannot write to it (a fork's pull request, or missing \`permissions: pull-requests: write\`); ${tail}`;
  }
  if (!write && (fault.status === 403 || fault.status === 404 || fault.status === 401)) {
    return `${what}: the token cannot read the pull request (wrong repository or number, or no access); ${tail}`;
  }
  return `${what}; ${tail}`;
}
