/**
 * Text fitted to a terminal's columns, for the CLI's renderers (terminal.ts, findings.ts). Widths
 * are counted in code points, not bytes or UTF-16 units. Wrapping never breaks inside a word, a URL
 * or a code span (`pip install … --index-url https://…`): a word too long for the line goes on a line
 * of its own, so what a user copies from the terminal is whole. Pure.
 */

/** Columns a text takes, in code points. */
export function columns(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** `text` padded with spaces to `width` columns (code points, not UTF-16 units). */
export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - columns(text)));
}

/** `text` cut to at most `max` columns, ending in `…` when cut. */
export function truncateEnd(text: string, max: number): string {
  if (columns(text) <= max) return text;
  if (max <= 0) return '';
  return `${[...text].slice(0, max - 1).join('')}…`;
}

/** `text` cut to at most `max` columns from the left, starting with `…` when cut (paths keep their end). */
export function truncateStart(text: string, max: number): string {
  if (columns(text) <= max) return text;
  if (max <= 0) return '';
  const points = [...text];
  return `…${points.slice(points.length - (max - 1)).join('')}`;
}

/**
 * The words of a text: split at white space, except that a code span (from a backtick to the next)
 * is part of one word with its spaces, so a command is never split across lines.
 */
export function words(text: string): string[] {
  const result: string[] = [];
  let word = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end > i) {
        word += text.slice(i, end + 1);
        i = end;
        continue;
      }
    }
    if (/\s/.test(c)) {
      if (word) result.push(word);
      word = '';
    } else {
      word += c;
    }
  }
  if (word) result.push(word);
  return result;
}

/**
 * `text` wrapped at word boundaries to `width` columns: the first line starts with `first`, the
 * next ones with `rest` (a hanging indent). A word that does not fit after `first` starts the next
 * line; a word too long for a line at `rest` goes on a line of its own at column 0, and is longer
 * than `width` only when it is longer by itself (it is never broken).
 */
export function wrap(text: string, width: number, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  const flush = (): void => {
    lines.push(line.trimEnd());
    line = rest;
    empty = true;
  };
  for (const word of words(text)) {
    const need = columns(word) + (empty ? 0 : 1);
    if (columns(line) + need <= width) {
      line += empty ? word : ` ${word}`;
      empty = false;
      continue;
    }
    // The line so far is full; a prefix that says something ("fix:") stays on its own line.
    if (!empty || line.trim() !== '') flush();
    if (columns(line) + columns(word) <= width) {
      line += word;
      empty = false;
      continue;
    }
    lines.push(word);
  }
  if (!empty || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}
