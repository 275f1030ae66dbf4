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
  /** The operator that ended each command (`&&`, `;;`, `)`, `\n`…; '' at the end of the text). */
  ops: string[];
  /** Offset of a quote that is never closed. */
  unterminated?: { offset: number; quote: string };
}

const OPERATOR_CHARS = new Set(['&', '|', ';', '(', ')', '\n']);

/** The splitter's state: the words of the command being read, and the word being built. */
class Splitter {
  readonly commands: Word[][] = [];
  readonly ops: string[] = [];
  private current: Word[] = [];
  private value = '';
  private start = -1;
  unterminated: ShellParse['unterminated'];
  i = 0;

  constructor(private readonly src: string) {}

  endWord(end: number): void {
    if (this.start >= 0) this.current.push({ value: this.value, start: this.start, end });
    this.value = '';
    this.start = -1;
  }

  endCommand(op = ''): void {
    if (this.current.length) {
      this.commands.push(this.current);
      this.ops.push(op);
    }
    this.current = [];
  }

  /** Append `text` to the word that starts at `at` (or continues). */
  add(at: number, text: string): void {
    if (this.start < 0) this.start = at;
    this.value += text;
  }

  get inWord(): boolean {
    return this.start >= 0;
  }

  get word(): string {
    return this.value;
  }

  /** Skip a balanced `$( ... )` that opens at `i`, returning the index after it. */
  skipParen(i: number): number {
    const { src } = this;
    let depth = 0;
    for (let j = i; j < src.length; j++) {
      const c = src[j];
      if (c === '\\') j++;
      else if (c === "'") {
        const k = src.indexOf("'", j + 1);
        j = k < 0 ? src.length : k;
      } else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return j + 1;
    }
    return src.length;
  }

  /** `'...'`: verbatim up to the next quote. */
  single(): void {
    const { src, i } = this;
    const k = src.indexOf("'", i + 1);
    if (k < 0) {
      this.unterminated ??= { offset: i, quote: "'" };
      this.add(i, src.slice(i + 1));
      this.i = src.length;
    } else {
      this.add(i, src.slice(i + 1, k));
      this.i = k + 1;
    }
  }

  /** `"..."`: backslash escapes `" \\ $ \``; `$( )` kept whole. */
  double(): void {
    const { src } = this;
    const open = this.i;
    this.add(open, '');
    let j = open + 1;
    let closed = false;
    while (j < src.length) {
      const d = src[j]!;
      if (d === '\\' && j + 1 < src.length) {
        const e = src[j + 1]!;
        this.add(open, e === '"' || e === '\\' || e === '$' || e === '`' ? e : d + e);
        j += 2;
      } else if (d === '"') {
        closed = true;
        j++;
        break;
      } else if (d === '$' && src[j + 1] === '(') {
        const k = this.skipParen(j + 1);
        this.add(open, src.slice(j, k));
        j = k;
      } else {
        this.add(open, d);
        j++;
      }
    }
    if (!closed) this.unterminated ??= { offset: open, quote: '"' };
    this.i = j;
  }

  /** `&& || ; | & ( )` and newlines end the command; `2>&1` is a redirection. */
  operator(c: string): void {
    const { src, i } = this;
    this.endWord(i);
    if (c === '&' && (src[i - 1] === '>' || src[i + 1] === '>')) {
      this.add(i, c);
      this.i++;
      return;
    }
    const double = src[i + 1] === c && (c === '&' || c === '|' || c === ';');
    this.endCommand(double ? c + c : c);
    this.i += double ? 2 : 1;
  }

  /** Redirections are words of their own: `>`, `>>`, `<<EOF`, `2>`. */
  redirect(): void {
    const { src } = this;
    if (this.inWord && !/^\d+$/.test(this.word)) this.endWord(this.i);
    const at = this.i;
    let op = '';
    while (this.i < src.length && '><&-'.includes(src[this.i]!)) op += src[this.i++];
    this.add(at, op);
    this.endWord(this.i);
  }

  /** `$(...)`, backticks and `${...}` stay inside their word verbatim. */
  expansion(c: string): boolean {
    const { src, i } = this;
    let e: number;
    if (c === '$' && src[i + 1] === '(') e = this.skipParen(i + 1);
    else if (c === '`') {
      const k = src.indexOf('`', i + 1);
      e = k < 0 ? src.length : k + 1;
    } else if (c === '$' && src[i + 1] === '{') {
      const k = src.indexOf('}', i);
      e = k < 0 ? src.length : k + 1;
    } else return false;
    this.add(i, src.slice(i, e));
    this.i = e;
    return true;
  }

  step(): void {
    const { src, i } = this;
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      this.endWord(i);
      this.i++;
    } else if (c === '#' && !this.inWord) {
      const nl = src.indexOf('\n', i);
      this.i = nl < 0 ? src.length : nl;
    } else if (OPERATOR_CHARS.has(c)) this.operator(c);
    else if (c === '>' || c === '<') this.redirect();
    else if (c === "'") this.single();
    else if (c === '"') this.double();
    else if (c === '\\') {
      this.add(i, i + 1 < src.length && src[i + 1] !== '\n' ? src[i + 1]! : '');
      this.i += 2;
    } else if (!this.expansion(c)) {
      this.add(i, c);
      this.i++;
    }
  }
}

export function splitShell(src: string): ShellParse {
  const s = new Splitter(src);
  while (s.i < src.length) s.step();
  s.endWord(src.length);
  s.endCommand();
  const out: ShellParse = { commands: s.commands, ops: s.ops };
  if (s.unterminated) out.unterminated = s.unterminated;
  return out;
}
