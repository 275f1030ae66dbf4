/**
 * Report files to read (`mode: comment`, `image-budget merge`): files or folders (every `*.json` below a folder, as
 * actions/download-artifact lays out one folder per artifact), merged into one when there are
 * several, the shards of a matrix. Each file is read with a byte cap and checked by `readReport`.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { mergeReports } from './merge.js';
import type { Report } from './model.js';
import { readReport } from './read.js';
import { UserError } from '../util/errors.js';
import { readTextBounded } from '../util/read-file.js';

/** A report file larger than this is refused (a real one with thousands of services is a few MiB). */
export const MAX_REPORT_BYTES = 32 * 1024 * 1024;

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

/** Bounded (a byte cap counted while reading), regular files only; errors name the file, quote nothing. */
export function readText(file: string, label: string): string {
  try {
    return readTextBounded(file, { maxBytes: MAX_REPORT_BYTES, display: label });
  } catch (error) {
    if (error instanceof UserError) throw new UserError(`cannot read the report: ${error.message}`, label);
    throw error;
  }
}
