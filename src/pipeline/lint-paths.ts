/**
 * `image-budget lint [paths...]`: lint Dockerfiles without building. A folder holding a compose file
 * is linted as the services it declares (their real contexts, targets and config); any other
 * Dockerfile found under the paths is linted with its own folder as the context.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, problemsOf } from '../config/load.js';
import { emptyConfig, type Config } from '../config/schema.js';
import { findDockerfiles, lint, type LintConfig, type LintTarget } from '../lint/index.js';
import { makePlan } from '../plan/make-plan.js';
import type { Finding } from '../report/model.js';
import { isUserError, problem, type Problem } from '../util/errors.js';
import { relativePath } from '../util/paths.js';
import { internalErrorLine } from './internal-error.js';
import { lintConfigFor } from './lint.js';

export interface LintPathsResult {
  findings: Finding[];
  /** Dockerfiles linted, relative to `cwd`. */
  files: string[];
  /** Problems with the paths or config (not findings), each naming its file and line where known. */
  errors: Problem[];
}

export function lintPaths(paths: string[], cwd: string, configPath?: string): LintPathsResult {
  const result: LintPathsResult = { findings: [], files: [], errors: [] };
  const covered = new Set<string>();
  let config = emptyConfig();
  try {
    config = loadConfig(configPath, cwd);
  } catch (error) {
    const lines = problemsOf(error);
    if (!lines) throw error;
    result.errors.push(...lines);
  }
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    if (!exists(absolute)) {
      result.errors.push(problem('no such file or folder', given));
      continue;
    }
    if (isDirectory(absolute)) lintComposeServices(absolute, cwd, config, result, covered);
  }
  for (const dockerfile of findDockerfiles(paths.map((p) => path.resolve(cwd, p)).filter(exists))) {
    if (covered.has(dockerfile)) continue;
    covered.add(dockerfile);
    result.files.push(relativePath(cwd, dockerfile));
    lintInto(result, { root: cwd, context: path.dirname(dockerfile), dockerfile }, lintConfigFor('', config));
  }
  return result;
}

/**
 * The services of a compose file in `dir`, linted as `check` would lint them. The compose file's
 * mistakes and a service that cannot be linted (its context or Dockerfile missing) are problems,
 * as `check` reports them, their files named from `cwd`.
 */
function lintComposeServices(
  dir: string,
  cwd: string,
  config: Config,
  result: LintPathsResult,
  covered: Set<string>,
): void {
  let plan;
  try {
    plan = makePlan({ root: dir }, process.env, config);
  } catch (error) {
    if (!isUserError(error)) throw error;
    result.errors.push(fromCwd(error.toProblem(), dir, cwd));
    return;
  }
  // A folder without a compose file is no mistake here: its Dockerfiles are linted on their own.
  if (!plan.composeFile) return;
  result.errors.push(...plan.errors.map((p) => fromCwd(p, dir, cwd)));
  for (const service of plan.services) {
    if (service.error) result.errors.push(fromCwd(service.error, dir, cwd));
    const build = service.build;
    if (!build?.dockerfile || service.error || covered.has(build.dockerfile)) continue;
    covered.add(build.dockerfile);
    result.files.push(relativePath(cwd, build.dockerfile));
    lintInto(
      result,
      {
        service: service.name,
        root: cwd,
        context: build.context,
        dockerfile: build.dockerfile,
        ...(build.target ? { target: build.target } : {}),
        ...(service.gpu ? { gpu: true } : {}),
      },
      lintConfigFor(service.name, config),
    );
  }
}

/** A problem whose file is named from the compose folder `dir`, named from `cwd` instead. */
function fromCwd(p: Problem, dir: string, cwd: string): Problem {
  return p.file ? { ...p, file: relativePath(cwd, path.resolve(dir, p.file)) } : p;
}

/** The findings of one Dockerfile; a bug of ours is a problem of its own, never a finding. */
function lintInto(result: LintPathsResult, target: LintTarget, config: LintConfig): void {
  const { findings, bugs } = lint(target, config);
  result.findings.push(...findings);
  for (const bug of bugs)
    result.errors.push(problem(internalErrorLine(`the lint of ${bug.file} (${bug.where})`, bug.error)));
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

function isDirectory(file: string): boolean {
  return statSync(file).isDirectory();
}
