/** The checks every service's build paths get, wherever they were declared: context, Dockerfile. */
import { existsSync, statSync } from 'node:fs';
import type { BuildSpec } from './model.js';
import { relativePath } from '../util/paths.js';

/** One line naming what is missing, or undefined when the build can start. `where` prefixes it. */
export function checkBuildPaths(root: string, where: string, build: BuildSpec): string | undefined {
  if (!isDirectory(build.context))
    return `${where}: build context ${relativePath(root, build.context)} does not exist`;
  if (build.dockerfileInline === undefined && build.dockerfile && !existsSync(build.dockerfile)) {
    return `${where}: Dockerfile ${relativePath(root, build.dockerfile)} not found`;
  }
  return undefined;
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
