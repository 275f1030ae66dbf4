/**
 * .dockerignore matching as Docker does it (last match wins, `!` re-includes, `**` spans
 * folders), by @balena/dockerignore, a port of Docker's own matcher.
 */
import dockerignore, { type Ignore } from '@balena/dockerignore';

export type IgnorePatterns = Ignore;

export function parseDockerignore(text: string): IgnorePatterns {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() && !l.trim().startsWith('#'));
  // The package is CommonJS with `factory.default = factory`; Docker matches case-sensitively on Linux.
  return dockerignore.default({ ignorecase: false }).add(lines);
}

/** Whether a context path (POSIX, relative) is excluded. */
export function isIgnored(patterns: IgnorePatterns | undefined, relPath: string): boolean {
  return patterns ? patterns.ignores(relPath) : false;
}
