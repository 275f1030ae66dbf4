import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type LintConfig, type LintTarget, lintTarget } from '../../../src/lint/index.js';
import type { Finding } from '../../../src/report/model.js';

/** Write files into a fresh folder and lint its Dockerfile. */
export function lintFiles(
  files: Record<string, string | Buffer>,
  opts: Partial<LintTarget> = {},
  config?: LintConfig,
): Finding[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'ib-lint-'));
  for (const [name, content] of Object.entries(files)) {
    const p = path.join(dir, name);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return lintTarget({ root: dir, context: dir, dockerfile: path.join(dir, 'Dockerfile'), ...opts }, config);
}

export function keys(findings: Finding[]): string[] {
  return findings.map((f) => `${f.file === 'Dockerfile' ? '' : `${f.file}:`}${f.line} ${f.rule}`).sort();
}

export const S = 'FROM python:3.11-slim\n';

/** A spec row: name, the files (Dockerfile first), the findings expected as `line rule` (or `file:line rule`). */
export type Row = [string, Record<string, string>, string[]];

/** Name each row as hadolint's specs do: what the rule catches, and what it does not. */
export function spec(rows: Row[]): Row[] {
  return rows.map(([name, files, want]) => [
    `${want.length ? 'catches' : 'does not catch'}: ${name}`,
    files,
    want,
  ]);
}
