/**
 * The one way image-budget talks to the GitHub API, with limits: octokit (core, REST methods,
 * pagination) with the retry plugin (5xx, network errors and timeouts are retried with backoff, at
 * most 3 times; 4xx are not), the throttling plugin (rate limits wait, at most 60 s in all, then give
 * up), and a per-request timeout (30 s). The proxy of the runner (`HTTPS_PROXY`) is honoured as in
 * @actions/github.
 *
 * Built from @octokit/core rather than @actions/github's `getOctokit`: that module parses the event
 * payload and the `GITHUB_API_URL` when it is loaded, so a malformed one ended the job with a stack
 * trace before any code of ours ran. Here a malformed `GITHUB_API_URL` is a `UserError` (one line),
 * and every fault of the API (an HTTP error, a timeout, an answer that is not the JSON expected) is
 * turned into one line by `describeApiFault`.
 */
import { HttpClient } from '@actions/http-client';
import { Octokit } from '@octokit/core';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import { restEndpointMethods } from '@octokit/plugin-rest-endpoint-methods';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { fetch as undiciFetch, type Dispatcher } from 'undici';
import { UserError } from '../util/errors.js';

const GitHubOctokit = Octokit.plugin(restEndpointMethods, paginateRest, retry, throttling);
export type GitHubClient = InstanceType<typeof GitHubOctokit>;

/** Default per-request timeout. */
export const REQUEST_TIMEOUT_MS = 30_000;
/** Default longest wait for rate limits, over the client's whole life. */
export const MAX_RATE_LIMIT_WAIT_S = 60;

export interface ClientOptions {
  /** Default: `GITHUB_API_URL`, else https://api.github.com. */
  baseUrl?: string;
  /** Retries of a failing request (5xx, network, timeout). Default 3, at most 3. */
  retries?: number;
  /** Milliseconds multiplied by (retry count)² between retries. Default 1000 (tests use less). */
  retryAfterBaseValue?: number;
  /** How many times a rate-limited request is retried. Default 2. */
  rateLimitRetries?: number;
  /** The most seconds spent waiting for rate limits, in all. Default 60. */
  maxRateLimitWaitSeconds?: number;
  /** Per-request timeout in milliseconds. Default 30,000. */
  timeoutMs?: number;
  /**
   * Queue requests under GitHub's rate-limit rules (writes at most one a second, comments one every
   * three). Default true; tests of many comments turn it off to run fast.
   */
  throttle?: boolean;
  /** Where rate-limit notices go (default: nowhere; the action passes `core.warning`). */
  log?: (message: string) => void;
}

/** The API base URL, checked: http(s) only. A malformed one is a one-line UserError. */
export function apiBaseUrl(given?: string): string {
  const raw = (given ?? process.env.GITHUB_API_URL ?? '').trim() || 'https://api.github.com';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UserError(`GITHUB_API_URL is not a URL (${JSON.stringify(raw.slice(0, 100))})`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UserError(`GITHUB_API_URL must be an http(s) URL, not ${url.protocol}`);
  return raw.replace(/\/+$/, '');
}

/** An authenticated client. `token` is the workflow's GITHUB_TOKEN (or a PAT). */
export function createGitHubClient(token: string, options: ClientOptions = {}): GitHubClient {
  const baseUrl = apiBaseUrl(options.baseUrl);
  const maxRateRetries = options.rateLimitRetries ?? 2;
  const maxWait = options.maxRateLimitWaitSeconds ?? MAX_RATE_LIMIT_WAIT_S;
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const log = options.log ?? (() => undefined);
  let waited = 0;
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _o: unknown, retryCount: number) => {
      const again = retryCount < maxRateRetries && waited + retryAfter <= maxWait;
      if (again) waited += retryAfter;
      log(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}: ${again ? `retrying in ${retryAfter}s` : `giving up (the wait would pass ${maxWait}s)`}`,
      );
      return again;
    };
  let dispatcher: Dispatcher | undefined;
  try {
    dispatcher = new HttpClient().getAgentDispatcher(baseUrl) as Dispatcher | undefined;
  } catch {
    dispatcher = undefined; // A malformed proxy variable: go direct, as if there were none.
  }
  const timedFetch = (url: string, init: Record<string, unknown> = {}) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal as AbortSignal, timeout]) : timeout;
    return undiciFetch(url, { ...init, signal, ...(dispatcher ? { dispatcher } : {}) });
  };
  return new GitHubOctokit({
    auth: token,
    baseUrl,
    userAgent: 'image-budget',
    request: { fetch: timedFetch },
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    retry: {
      retries: Math.min(3, Math.max(0, options.retries ?? 3)),
      // 429 too: rate limits are the throttling's, within its wait budget.
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
      ...(options.retryAfterBaseValue !== undefined && { retryAfterBaseValue: options.retryAfterBaseValue }),
    },
    throttle: {
      enabled: options.throttle ?? true,
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      ...(options.retryAfterBaseValue !== undefined && { retryAfterBaseValue: options.retryAfterBaseValue }),
    },
  });
}

/** An answer that is not what the endpoint documents (a 200 with HTML, a list that is not a list). */
export class MalformedAnswerError extends Error {
  override readonly name = 'MalformedAnswerError';
}

/** `data` when `check` accepts it, else a MalformedAnswerError naming `what`. */
export function expectShape<T>(data: unknown, check: (d: unknown) => d is T, what: string): T {
  if (check(data)) return data;
  throw new MalformedAnswerError(`GitHub's answer to ${what} is not the JSON expected`);
}

interface FaultLike {
  name?: unknown;
  status?: unknown;
  message?: unknown;
  cause?: unknown;
  response?: { headers?: Record<string, unknown>; data?: unknown };
}

/**
 * What went wrong talking to GitHub, in one line, and of what kind; `undefined` when `error` is not
 * a fault of the API or the network (a bug: the caller rethrows it with its stack).
 */
export function describeApiFault(
  error: unknown,
):
  | { kind: 'http' | 'rate-limit' | 'timeout' | 'network' | 'malformed'; status?: number; line: string }
  | undefined {
  if (error instanceof MalformedAnswerError) return { kind: 'malformed', line: error.message };
  if (!error || typeof error !== 'object') return undefined;
  const e = error as FaultLike;
  const cause = e.cause as FaultLike | undefined;
  const message = typeof e.message === 'string' ? e.message.split('\n')[0]!.slice(0, 300) : '';
  if (
    e.name === 'TimeoutError' ||
    cause?.name === 'TimeoutError' ||
    (e.name === 'AbortError' && /timeout/i.test(message))
  ) {
    return { kind: 'timeout', line: 'GitHub did not answer in time (request timeout)' };
  }
  if (typeof e.status !== 'number') return undefined;
  const status = e.status;
  if (status === 500 && cause && typeof cause === 'object' && e.name === 'HttpError' && !e.response) {
    return { kind: 'network', status, line: `cannot reach GitHub (${message || 'network error'})` };
  }
  const headers = e.response?.headers ?? {};
  if (
    (status === 403 || status === 429) &&
    (headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(message))
  ) {
    return { kind: 'rate-limit', status, line: `GitHub's rate limit (HTTP ${status}: ${message})` };
  }
  return { kind: 'http', status, line: `HTTP ${status}: ${message}` };
}
