/**
 * The layers of src/, top to bottom: THE one place the order is defined (docs/architecture.md shows
 * it, and a test checks the page says the same). A file may import files of its own folder and of
 * folders in lower layers only; folders of one layer are peers and do not import each other.
 * `(root)` is src/index.ts. A folder's subfolders (lint/rules) belong to it.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['(root)'], // the bundle's entry
  ['action', 'cli'], // the two shells: inputs or flags in, outputs and exit code out
  ['pipeline', 'render'], // one run, top to bottom; the report drawn as markdown, SARIF, text, annotations
  ['cache', 'budget', 'deploy'], // build cache backends; budgets and the verdict; deploy fit
  ['lint', 'measure', 'build'], // the three things done to a service
  ['plan'], // the services to build
  ['dockerfile'], // the one Dockerfile model: parsed once per run, read by lint, build, measure, deploy
  ['docker', 'store', 'compose', 'github'], // the edges: engine, Actions cache, compose file, GitHub API
  ['report'], // the one model: types, reading, merging, diffing, formats
  ['config'], // the user's settings: schema, units, loading
  ['rules'], // the one registry of rule ids (data only)
  ['util'], // errors, paths, bounded reads, git, lists
];

/**
 * Imports that break the layering today, each with the work that removes it (issue 15). Only these
 * may: a new one fails the test, and so does an entry here that no longer exists (delete it then).
 */
export const ALLOWED_UPWARD: readonly { from: string; to: string; why: string }[] = [];

/** Import loops between files that exist today, each its sorted files joined by ` <-> `. */
export const ALLOWED_CYCLES: readonly { files: string; why: string }[] = [];

/**
 * Side effects behind one small module each: a package (or a prefix ending in `/`) may be imported
 * only by the files (or folders ending in `/`) listed for it.
 */
export const DOORS: readonly { module: string; only: readonly string[]; why: string }[] = [
  { module: 'node:child_process', only: ['docker/exec.ts', 'util/git.ts'], why: 'docker and git only' },
  { module: 'child_process', only: [], why: 'written node:child_process' },
  { module: '@actions/core', only: ['action/'], why: 'the Action shell; the rest logs through util/log' },
  { module: '@actions/github', only: ['github/octokit.ts'], why: 'one GitHub client' },
  { module: '@octokit/', only: ['github/octokit.ts'], why: 'one GitHub client' },
  { module: '@actions/cache', only: ['store/actions-cache.ts'], why: 'one cache adapter' },
];

/** Imports through a door from elsewhere that exist today, with the work that removes each. */
export const ALLOWED_DOORS: readonly { from: string; module: string; why: string }[] = [];
