/**
 * The one way image-budget runs git: the git CLI in a given folder, through `execFile` (no shell).
 * The few git facts and operations a run needs are here; nothing else spawns git.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Runs `git <args>` in `cwd`; its stdout, trimmed. Throws when git fails or is missing. */
export async function git(args: readonly string[], cwd: string): Promise<string> {
  const { stdout } = await execFileAsync('git', [...args], { cwd, maxBuffer: 16 << 20 });
  return stdout.trim();
}

/** The 12-character sha of HEAD; undefined when the folder is not a checkout (or git is missing). */
export async function shortSha(dir: string): Promise<string | undefined> {
  try {
    return (await git(['rev-parse', '--short=12', 'HEAD'], dir)) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The merge base of HEAD and `baseRef` (a branch name). The branch is fetched first (a shallow
 * clone may not have it; a failed fetch is not an error), then `origin/<baseRef>` and `<baseRef>` are
 * tried in turn.
 * @throws Error when neither has a merge base with HEAD.
 */
export async function mergeBase(workspace: string, baseRef: string): Promise<string> {
  const remote = `origin/${baseRef}`;
  await git(
    ['fetch', '--no-tags', '--depth=50', 'origin', `+refs/heads/${baseRef}:refs/remotes/${remote}`],
    workspace,
  ).catch(() => undefined);
  for (const ref of [remote, baseRef]) {
    const sha = await git(['merge-base', 'HEAD', ref], workspace).catch(() => '');
    if (sha) return sha;
  }
  throw new Error(`no merge base of HEAD and ${baseRef}: check out with fetch-depth: 0`);
}

/** `git worktree add --detach <folder> <commit>`: a second checkout of `commit` (folder must not exist). */
export async function addWorktree(workspace: string, folder: string, commit: string): Promise<void> {
  await git(['worktree', 'add', '--detach', folder, commit], workspace);
}

/** Removes a worktree made by `addWorktree`; never throws (it may not have been made). */
export async function removeWorktree(workspace: string, folder: string): Promise<void> {
  await git(['worktree', 'remove', '--force', folder], workspace).catch(() => undefined);
}
