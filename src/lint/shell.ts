/**
 * Just enough POSIX shell to find the commands in a `RUN`: words with quotes removed (and their
 * offsets in the source), split into simple commands on `&& || ; | & ( )` and newlines.
 * Expansions (`$(...)`, backticks, `${...}`) stay inside their word verbatim.
 */

export interface Word {
  value: string;
  start: number;
  end: number;
}

export interface ShellParse {
  commands: Word[][];
  /** Offset of a quote that is never closed. */
  unterminated?: { offset: number; quote: string };
}

const OPERATOR_CHARS = new Set(['&', '|', ';', '(', ')', '\n']);

export function splitShell(src: string): ShellParse {
  const commands: Word[][] = [];
  let current: Word[] = [];
  let value = '';
  let start = -1;
  let unterminated: ShellParse['unterminated'];
  const n = src.length;

  const endWord = (end: number): void => {
    if (start >= 0) current.push({ value, start, end });
    value = '';
    start = -1;
  };
  const endCommand = (): void => {
    if (current.length) commands.push(current);
    current = [];
  };
  const begin = (i: number): void => {
    if (start < 0) start = i;
  };
  /** Skip a balanced `$( ... )`, returning the index after it. */
  const skipParen = (i: number): number => {
    let depth = 0;
    for (let j = i; j < n; j++) {
      const c = src[j];
      if (c === '\\') j++;
      else if (c === "'") {
        const k = src.indexOf("'", j + 1);
        j = k < 0 ? n : k;
      } else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return j + 1;
    }
    return n;
  };

  let i = 0;
  while (i < n) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      endWord(i);
      i++;
    } else if (c === '#' && start < 0) {
      const nl = src.indexOf('\n', i);
      i = nl < 0 ? n : nl;
    } else if (OPERATOR_CHARS.has(c)) {
      endWord(i);
      // `2>&1`, `>&2`: a redirection, not an operator.
      if (c === '&' && (src[i - 1] === '>' || src[i + 1] === '>')) {
        begin(i);
        value += c;
        i++;
        continue;
      }
      endCommand();
      i += src[i + 1] === c && (c === '&' || c === '|' || c === ';') ? 2 : 1;
    } else if (c === '>' || c === '<') {
      // Redirections are words of their own: `>`, `>>`, `<<EOF`, `2>`.
      if (start >= 0 && !/^\d+$/.test(value)) endWord(i);
      begin(i);
      while (i < n && (src[i] === '>' || src[i] === '<' || src[i] === '&' || src[i] === '-'))
        value += src[i++];
      endWord(i);
    } else if (c === "'") {
      begin(i);
      const k = src.indexOf("'", i + 1);
      if (k < 0) {
        unterminated ??= { offset: i, quote: "'" };
        value += src.slice(i + 1);
        i = n;
      } else {
        value += src.slice(i + 1, k);
        i = k + 1;
      }
    } else if (c === '"') {
      begin(i);
      let j = i + 1;
      let closed = false;
      while (j < n) {
        const d = src[j]!;
        if (d === '\\' && j + 1 < n) {
          const e = src[j + 1]!;
          value += e === '"' || e === '\\' || e === '$' || e === '`' ? e : d + e;
          j += 2;
        } else if (d === '"') {
          closed = true;
          j++;
          break;
        } else if (d === '$' && src[j + 1] === '(') {
          const k = skipParen(j + 1);
          value += src.slice(j, k);
          j = k;
        } else {
          value += d;
          j++;
        }
      }
      if (!closed) unterminated ??= { offset: i, quote: '"' };
      i = j;
    } else if (c === '\\') {
      begin(i);
      if (i + 1 < n && src[i + 1] !== '\n') value += src[i + 1];
      i += 2;
    } else if (c === '$' && src[i + 1] === '(') {
      begin(i);
      const k = skipParen(i + 1);
      value += src.slice(i, k);
      i = k;
    } else if (c === '`') {
      begin(i);
      const k = src.indexOf('`', i + 1);
      const e = k < 0 ? n : k + 1;
      value += src.slice(i, e);
      i = e;
    } else if (c === '$' && src[i + 1] === '{') {
      begin(i);
      const k = src.indexOf('}', i);
      const e = k < 0 ? n : k + 1;
      value += src.slice(i, e);
      i = e;
    } else {
      begin(i);
      value += c;
      i++;
    }
  }
  endWord(n);
  endCommand();
  const out: ShellParse = { commands };
  if (unterminated) out.unterminated = unterminated;
  return out;
}

/** Split a JSON exec form into one command (no shell). */
export function execCommand(argv: string[], offset: number): Word[] {
  return argv.map((value) => ({ value, start: offset, end: offset }));
}
