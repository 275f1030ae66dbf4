/**
 * Findings for a terminal: `file:line  severity  rule  [mark]  message`, then the fix hint, then a
 * count. By default every line fits `width` columns (100): the message and the fix wrap at word
 * boundaries with a hanging indent, never inside a URL or a code span; a location too long for its
 * column keeps its end (`…/Dockerfile:12`). `wide` prints each finding on one line, as written.
 */
import type { Finding } from '../report/model.js';
import { messageWithConfirmation } from './confirmation.js';
import { columns, padEnd, truncateEnd, truncateStart, wrap } from './wrap.js';

export const DEFAULT_WIDTH = 100;

export interface TextOptions {
  /** Columns to fit (default 100). */
  width?: number;
  /** Everything on one line, unabbreviated, whatever the width. */
  wide?: boolean;
}

/** The indent of a wrapped message's next lines and of the fix line. */
const HANG = '    ';

export function renderFindingsText(findings: Finding[], options: TextOptions = {}): string {
  if (!findings.length) return 'No lint findings.\n';
  const lines = findingLines(findings, options);
  const count = (s: string): number => findings.filter((f) => f.severity === s).length;
  const parts = [`${count('error')} error(s)`, `${count('warning')} warning(s)`];
  if (count('note')) parts.push(`${count('note')} note(s)`);
  lines.push('', parts.join(', '));
  return `${lines.join('\n')}\n`;
}

/** The lines of the findings themselves, without the count. */
export function findingLines(findings: Finding[], options: TextOptions = {}): string[] {
  const width = options.width ?? DEFAULT_WIDTH;
  const where = findings.map(
    (f) => `${f.file}${f.line ? `:${f.line}` : ''}${f.column ? `:${f.column}` : ''}`,
  );
  // The location column: as wide as the longest location, at most 60 (40 when fitted).
  const whereWidth = Math.min(options.wide ? 60 : 40, Math.max(...where.map(columns)));
  // Severity, rule and mark follow the location; at least 20 columns of the message fit after them.
  const heads = findings.map(
    (f) => `  ${f.severity.padEnd(7)}  ${truncateEnd(f.rule, 40)}  ${f.mark ? `[${f.mark}]  ` : ''}`,
  );
  const roomFor = (head: string): number => Math.max(12, width - columns(head) - 20);
  // One location column for all (a longer location pushes its own line only); cut from the left
  // (`…/Dockerfile:12`) only when the line could not hold it.
  const column = Math.min(whereWidth, ...heads.map(roomFor));
  const lines: string[] = [];
  findings.forEach((f, i) => {
    const mark = f.mark ? `[${f.mark}]  ` : '';
    if (options.wide) {
      lines.push(
        `${padEnd(where[i]!, whereWidth)}  ${f.severity.padEnd(7)}  ${f.rule}  ${mark}${messageWithConfirmation(f)}`,
      );
      if (f.fix) lines.push(`${' '.repeat(whereWidth + 2)}fix: ${f.fix}`);
      return;
    }
    const head = heads[i]!;
    const first = `${padEnd(truncateStart(where[i]!, roomFor(head)), column)}${head}`;
    lines.push(...wrap(messageWithConfirmation(f), width, first, HANG));
    if (f.fix) lines.push(...wrap(f.fix, width, `${HANG}fix: `, `${HANG}     `));
  });
  return lines;
}
