/**
 * What triggered the run, from `GITHUB_EVENT_NAME` and the payload at `GITHUB_EVENT_PATH`: a pull
 * request (number, base and head), a push (branch, and whether it is the default branch), or a
 * `workflow_run` (the two-workflow pattern for forks: the run that built the report, and its PR).
 * A missing or invalid payload is a `UserError` with one line that quotes nothing of the file; the
 * payload is read with a byte cap.
 */
import { UserError } from '../util/errors.js';
import { readTextBounded } from '../util/read-file.js';

/** An event payload larger than this is refused (GitHub's are a few hundred KiB at most). */
export const MAX_EVENT_BYTES = 16 * 1024 * 1024;

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface PullRequestEvent {
  kind: 'pull_request';
  /** `pull_request` or `pull_request_target`. */
  eventName: string;
  repository: RepoRef;
  number: number;
  /** The base branch name (`main`). */
  baseRef: string;
  baseSha?: string;
  headRef: string;
  headSha: string;
  /** The head branch lives in another repository (a fork): the token is read-only. */
  fromFork: boolean;
}

export interface PushEvent {
  kind: 'push';
  eventName: 'push';
  repository: RepoRef;
  /** Full ref, `refs/heads/main`. */
  ref: string;
  /** Branch name, when the ref is a branch. */
  branch?: string;
  sha: string;
  defaultBranch?: string;
  /** A push to the repository's default branch: the time to save a baseline. */
  isDefaultBranch: boolean;
}

export interface WorkflowRunEvent {
  kind: 'workflow_run';
  eventName: 'workflow_run';
  repository: RepoRef;
  /** The run that triggered this one (it uploaded the report artifact). */
  runId: number;
  /** The triggering run's event, e.g. `pull_request`. */
  triggeringEvent: string;
  conclusion?: string;
  headSha: string;
  headBranch?: string;
  /** The pull request of the triggering run, when GitHub lists one (not for forks: see headSha). */
  pullRequestNumber?: number;
  defaultBranch?: string;
}

export interface OtherEvent {
  kind: 'other';
  eventName: string;
  repository?: RepoRef;
  sha?: string;
  ref?: string;
  defaultBranch?: string;
}

export type GitHubEvent = PullRequestEvent | PushEvent | WorkflowRunEvent | OtherEvent;

type Json = Record<string, unknown>;

const obj = (v: unknown): Json | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const int = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isInteger(v) ? v : undefined;

/**
 * Read the event of this run.
 * @param env the environment (default `process.env`): GITHUB_EVENT_NAME, GITHUB_EVENT_PATH,
 *   GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_REF.
 * @throws UserError when the payload is missing, not JSON, or lacks what the event needs.
 */
export function readEvent(env: NodeJS.ProcessEnv = process.env): GitHubEvent {
  const eventName = env.GITHUB_EVENT_NAME;
  const file = env.GITHUB_EVENT_PATH;
  if (!eventName) throw new UserError('GITHUB_EVENT_NAME is not set: is this running in GitHub Actions?');
  if (!file) throw new UserError(`GITHUB_EVENT_PATH is not set: no event payload for the ${eventName} event`);
  let text: string;
  try {
    text = readTextBounded(file, { maxBytes: MAX_EVENT_BYTES });
  } catch (error) {
    if (error instanceof UserError)
      throw new UserError(`cannot read the event payload: ${error.message}`, file);
    throw error;
  }
  let payload: Json | undefined;
  try {
    payload = obj(JSON.parse(text));
  } catch {
    // The parser's message quotes the text: say only that it is not JSON.
    throw new UserError('the event payload is not valid JSON', file);
  }
  if (!payload) throw new UserError('the event payload is not a JSON object', file);
  return parseEvent(eventName, payload, env, file);
}

/** Interpret a payload already parsed (see `readEvent`); `file` names it in errors. */
export function parseEvent(
  eventName: string,
  payload: Json,
  env: NodeJS.ProcessEnv = {},
  file = 'event payload',
): GitHubEvent {
  const common: Common = {
    repository: repoOf(payload, env),
    defaultBranch: str(obj(payload.repository)?.default_branch),
    need: (value, what) => {
      if (value === undefined) throw new UserError(`the ${eventName} event payload has no ${what}`, file);
      return value;
    },
  };
  if (eventName === 'pull_request' || eventName === 'pull_request_target')
    return pullRequestEvent(eventName, payload, common);
  if (eventName === 'push') return pushEvent(payload, env, common);
  if (eventName === 'workflow_run') return workflowRunEvent(payload, common);
  return otherEvent(eventName, env, common);
}

/** What every kind of event reads alike: its repository, the default branch, and a field it needs. */
interface Common {
  repository: RepoRef | undefined;
  defaultBranch: string | undefined;
  /** The value, or a `UserError` naming the missing field. */
  need: <T>(value: T | undefined, what: string) => T;
}

function pullRequestEvent(eventName: string, payload: Json, { repository, need }: Common): PullRequestEvent {
  const pr = need(obj(payload.pull_request), 'pull_request');
  const base = obj(pr.base);
  const head = obj(pr.head);
  const baseRepo = str(obj(base?.repo)?.full_name);
  const headRepo = str(obj(head?.repo)?.full_name);
  const event: PullRequestEvent = {
    kind: 'pull_request',
    eventName,
    repository: need(repository, 'repository'),
    number: need(int(pr.number) ?? int(payload.number), 'pull_request.number'),
    baseRef: need(str(base?.ref), 'pull_request.base.ref'),
    headRef: str(head?.ref) ?? '',
    headSha: need(str(head?.sha), 'pull_request.head.sha'),
    // A deleted fork has no head repo: treat it as a fork.
    fromFork: headRepo === undefined || (baseRepo !== undefined && headRepo !== baseRepo),
  };
  const baseSha = str(base?.sha);
  if (baseSha) event.baseSha = baseSha;
  return event;
}

function pushEvent(
  payload: Json,
  env: NodeJS.ProcessEnv,
  { repository, defaultBranch, need }: Common,
): PushEvent {
  const ref = need(str(payload.ref) ?? env.GITHUB_REF, 'ref');
  const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
  const event: PushEvent = {
    kind: 'push',
    eventName: 'push',
    repository: need(repository, 'repository'),
    ref,
    sha: need(str(payload.after) ?? env.GITHUB_SHA, 'after (head commit)'),
    isDefaultBranch: branch !== undefined && defaultBranch !== undefined && branch === defaultBranch,
  };
  if (branch) event.branch = branch;
  if (defaultBranch) event.defaultBranch = defaultBranch;
  return event;
}

function workflowRunEvent(payload: Json, { repository, defaultBranch, need }: Common): WorkflowRunEvent {
  const run = need(obj(payload.workflow_run), 'workflow_run');
  const prs = Array.isArray(run.pull_requests) ? run.pull_requests : [];
  const event: WorkflowRunEvent = {
    kind: 'workflow_run',
    eventName: 'workflow_run',
    repository: need(repository, 'repository'),
    runId: need(int(run.id), 'workflow_run.id'),
    triggeringEvent: str(run.event) ?? '',
    headSha: need(str(run.head_sha), 'workflow_run.head_sha'),
  };
  const conclusion = str(run.conclusion);
  if (conclusion) event.conclusion = conclusion;
  const headBranch = str(run.head_branch);
  if (headBranch) event.headBranch = headBranch;
  const prNumber = int(obj(prs[0])?.number);
  if (prNumber !== undefined) event.pullRequestNumber = prNumber;
  if (defaultBranch) event.defaultBranch = defaultBranch;
  return event;
}

/** Any other event: what the environment and the payload tell of the repository and the commit. */
function otherEvent(
  eventName: string,
  env: NodeJS.ProcessEnv,
  { repository, defaultBranch }: Common,
): OtherEvent {
  const other: OtherEvent = { kind: 'other', eventName };
  if (repository) other.repository = repository;
  if (env.GITHUB_SHA) other.sha = env.GITHUB_SHA;
  if (env.GITHUB_REF) other.ref = env.GITHUB_REF;
  if (defaultBranch) other.defaultBranch = defaultBranch;
  return other;
}

function repoOf(payload: Json, env: NodeJS.ProcessEnv): RepoRef | undefined {
  const full = str(obj(payload.repository)?.full_name) ?? env.GITHUB_REPOSITORY;
  if (!full) return undefined;
  const [owner, repo, ...rest] = full.split('/');
  if (!owner || !repo || rest.length > 0) return undefined;
  return { owner, repo };
}
