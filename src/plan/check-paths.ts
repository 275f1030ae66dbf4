/**
 * The checks every service's build paths get, wherever they were declared: the context and the
 * Dockerfile exist and, with symlinks followed, stay inside the repository.
 */
import { existsSync, statSync } from 'node:fs';
import type { BuildSpec } from './model.js';
import { isUserError, type Problem } from '../util/errors.js';
import { relativePath } from '../util/paths.js';
import { resolveInside } from '../util/read-file.js';

/** What is missing, or undefined when the build can start; `where` makes the problem (file, line, subject). */
export function checkBuildPaths(
  root: string,
  where: (message: string) => Problem,
  build: BuildSpec,
): Problem | undefined {
  const outside = outsideRoot(root, build.context, 'build context');
  if (outside) return where(outside);
  if (!isDirectory(build.context))
    return where(`build context ${relativePath(root, build.context)} does not exist`);
  if (build.dockerfileInline === undefined && build.dockerfile) {
    const dockerfileOutside = outsideRoot(root, build.dockerfile, 'Dockerfile');
    if (dockerfileOutside) return where(dockerfileOutside);
    if (!existsSync(build.dockerfile))
      return where(`Dockerfile ${relativePath(root, build.dockerfile)} not found`);
  }
  for (const [name, value] of Object.entries(build.additionalContexts ?? {})) {
    if (!value.startsWith('/')) continue;
    const contextOutside = outsideRoot(root, value, `additional context "${name}"`);
    if (contextOutside) return where(contextOutside);
  }
  return undefined;
}

/** `build context ../x points outside the repository`, or undefined when it stays inside. */
function outsideRoot(root: string, file: string, what: string): string | undefined {
  try {
    resolveInside(root, file);
    return undefined;
  } catch (error) {
    if (!isUserError(error)) throw error;
    return `${what} ${relativePath(root, file)} points outside the repository`;
  }
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
