/** Findings for a terminal: `file:line  severity  rule  message`, then the fix hint, then a count. */
import type { Finding } from '../report/model.js';

export function renderFindingsText(findings: Finding[]): string {
  if (!findings.length) return 'No lint findings.\n';
  const where = findings.map(
    (f) => `${f.file}${f.line ? `:${f.line}` : ''}${f.column ? `:${f.column}` : ''}`,
  );
  const width = Math.min(60, Math.max(...where.map((w) => w.length)));
  const sevWidth = 7;
  const lines: string[] = [];
  findings.forEach((f, i) => {
    lines.push(`${where[i]!.padEnd(width)}  ${f.severity.padEnd(sevWidth)}  ${f.rule}  ${f.message}`);
    if (f.fix) lines.push(`${' '.repeat(width + 2)}fix: ${f.fix}`);
  });
  const count = (s: string): number => findings.filter((f) => f.severity === s).length;
  const parts = [`${count('error')} error(s)`, `${count('warning')} warning(s)`];
  if (count('note')) parts.push(`${count('note')} note(s)`);
  lines.push('', parts.join(', '));
  return `${lines.join('\n')}\n`;
}
