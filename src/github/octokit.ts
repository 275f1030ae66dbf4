/**
 * The one way image-budget talks to the GitHub API: octokit from @actions/github with the retry plugin
 * (5xx and network errors are retried with backoff; 4xx are not) and the throttling plugin (primary and
 * secondary rate limits wait and retry a few times). The API base URL is read from `GITHUB_API_URL`
 * when the client is created (GitHub Enterprise Server, the test suite's fake API).
 */
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

export type GitHubClient = ReturnType<typeof getOctokit>;

export interface ClientOptions {
  /** Default: `GITHUB_API_URL`, else https://api.github.com. */
  baseUrl?: string;
  /** Retries of a failing request (5xx, network). Default 3. */
  retries?: number;
  /** Milliseconds multiplied by (retry count)² between retries. Default 1000 (tests use less). */
  retryAfterBaseValue?: number;
  /** How many times a rate-limited request is retried. Default 2. */
  rateLimitRetries?: number;
  /**
   * Queue requests under GitHub's rate-limit rules (writes at most one a second, comments one every
   * three). Default true; tests of many comments turn it off to run fast.
   */
  throttle?: boolean;
  /** Where rate-limit notices go (default: nowhere; the action passes `core.warning`). */
  log?: (message: string) => void;
}

/** An authenticated client. `token` is the workflow's GITHUB_TOKEN (or a PAT). */
export function createGitHubClient(token: string, options: ClientOptions = {}): GitHubClient {
  const baseUrl = (options.baseUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com').replace(
    /\/+$/,
    '',
  );
  const maxRateRetries = options.rateLimitRetries ?? 2;
  const log = options.log ?? (() => undefined);
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _o: unknown, retryCount: number) => {
      const again = retryCount < maxRateRetries;
      log(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}: ${again ? `retrying in ${retryAfter}s` : 'giving up'}`,
      );
      return again;
    };
  return getOctokit(
    token,
    {
      baseUrl,
      retry: {
        retries: options.retries ?? 3,
        ...(options.retryAfterBaseValue !== undefined && {
          retryAfterBaseValue: options.retryAfterBaseValue,
        }),
      },
      throttle: {
        enabled: options.throttle ?? true,
        onRateLimit: onLimit('primary'),
        onSecondaryRateLimit: onLimit('secondary'),
        ...(options.retryAfterBaseValue !== undefined && {
          retryAfterBaseValue: options.retryAfterBaseValue,
        }),
      },
    },
    retry,
    throttling,
  );
}
