import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { addWorktree, git, mergeBase, removeWorktree, shortSha } from '../../../src/util/git.js';

const tmp = (name: string) => mkdtempSync(path.join(os.tmpdir(), `ib-git-${name}-`));

/** A repository with `main` (two commits) and `feature` branched from the first. */
let repo: string;
let first: string;
beforeAll(async () => {
  repo = tmp('repo');
  const run = (...args: string[]) => git(args, repo);
  await run('init', '-q', '-b', 'main');
  await run('config', 'user.email', 't@example.com');
  await run('config', 'user.name', 't');
  writeFileSync(path.join(repo, 'a.txt'), 'one\n');
  await run('add', '.');
  await run('commit', '-q', '-m', 'one');
  first = await run('rev-parse', 'HEAD');
  writeFileSync(path.join(repo, 'a.txt'), 'two\n');
  await run('commit', '-q', '-am', 'two');
  await run('checkout', '-q', '-b', 'feature', first);
  writeFileSync(path.join(repo, 'b.txt'), 'feature\n');
  await run('add', '.');
  await run('commit', '-q', '-m', 'feature');
});

describe('util/git', () => {
  test('shortSha: 12 characters of HEAD in a checkout, undefined elsewhere', async () => {
    expect(await shortSha(repo)).toBe((await git(['rev-parse', 'HEAD'], repo)).slice(0, 12));
    expect(await shortSha(tmp('plain'))).toBeUndefined();
  });

  test('mergeBase: the fork point with a local branch (no origin to fetch from)', async () => {
    expect(await mergeBase(repo, 'main')).toBe(first);
  });

  test('mergeBase: a branch that does not exist says how to check out', async () => {
    await expect(mergeBase(repo, 'nope')).rejects.toThrow(
      'no merge base of HEAD and nope: check out with fetch-depth: 0',
    );
  });

  test('addWorktree checks out the commit; removeWorktree removes it and never throws', async () => {
    const folder = path.join(tmp('wt'), 'checkout');
    await addWorktree(repo, folder, first);
    expect(readFileSync(path.join(folder, 'a.txt'), 'utf8')).toBe('one\n');
    await removeWorktree(repo, folder);
    expect(existsSync(folder)).toBe(false);
    await expect(removeWorktree(repo, folder)).resolves.toBeUndefined();
  });

  test('git: a failing command rejects with git’s message', async () => {
    await expect(git(['rev-parse', 'no-such-ref'], repo)).rejects.toThrow(/no-such-ref/);
  });
});
