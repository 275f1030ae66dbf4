/**
 * Report files to read (`mode: comment`, `image-budget merge`): files or folders (every `*.json` below a folder, as
 * actions/download-artifact lays out one folder per artifact), merged into one when there are
 * several, the shards of a matrix.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { mergeReports } from './merge.js';
import type { Report } from './model.js';
import { readReport } from './read.js';
import { UserError } from '../util/errors.js';

export function readReportFiles(paths: string[], workspace: string): Report {
  const files = paths.flatMap((given) => jsonFiles(path.resolve(workspace, given), given));
  if (files.length === 0) throw new UserError(`no report found in ${paths.join(', ')}`);
  return mergeReports(files.map(({ file, label }) => readReport(readText(file, label), label)));
}

function jsonFiles(absolute: string, label: string): { file: string; label: string }[] {
  let stats;
  try {
    stats = statSync(absolute);
  } catch {
    throw new UserError('cannot read the report: no such file or folder', label);
  }
  if (!stats.isDirectory()) return [{ file: absolute, label }];
  return readdirSync(absolute, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({
      file: path.join(absolute, name),
      label: path.posix.join(label, name.split(path.sep).join('/')),
    }));
}

function readText(file: string, label: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read the report: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, label);
  }
}
