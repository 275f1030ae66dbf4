import { locate } from '../dockerfile.js';
import type { Cmd, Loc } from './facts.js';

/** Where word `index` of a command sits (physical line and column). */
export function locOfWord(cmd: Cmd, index = 0): Loc {
  const w = cmd.words[index] ?? cmd.words[0];
  if (!w) {
    const at: Loc = { file: cmd.source.file, line: cmd.source.anchor, anchor: cmd.source.anchor };
    if (cmd.branch !== undefined) at.branch = cmd.branch;
    return at;
  }
  const p = locate(cmd.source.segs, cmd.source.shift + w.start);
  const loc: Loc = { file: cmd.source.file, line: p.line, column: p.column, anchor: cmd.source.anchor };
  if (w.end > w.start) {
    const e = locate(cmd.source.segs, cmd.source.shift + w.end);
    if (e.line === p.line) loc.endColumn = e.column;
  }
  if (cmd.branch !== undefined) loc.branch = cmd.branch;
  return loc;
}
