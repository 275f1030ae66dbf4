import path from 'node:path';

/** `file` relative to `root` with POSIX separators, as every report and message shows paths. */
export function relativePath(root: string, file: string): string {
  const relative = path.relative(root, file);
  if (relative === '') return '.';
  return relative.split(path.sep).join('/');
}
