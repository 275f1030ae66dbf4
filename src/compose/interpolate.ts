/**
 * Variable interpolation as Docker Compose does it in values:
 * `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`,
 * `${VAR:+alt}`, `${VAR+alt}`, and `$$` for a literal `$`. Defaults may nest (`${A:-${B}}`).
 */

export type Lookup = (name: string) => string | undefined;

export class InterpolationError extends Error {}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export function interpolate(text: string, lookup: Lookup): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch !== '$') {
      out += ch;
      i += 1;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      const end = closingBrace(text, i + 2);
      if (end < 0) throw new InterpolationError(`unterminated variable in "${text}"`);
      out += expand(text.slice(i + 2, end), lookup);
      i = end + 1;
    } else {
      const name = NAME.exec(text.slice(i + 1))?.[0];
      if (name) {
        out += lookup(name) ?? '';
        i += 1 + name.length;
      } else {
        out += '$';
        i += 1;
      }
    }
  }
  return out;
}

/** Index of the `}` closing a `${` whose body starts at `start`, minding nested `${...}`. */
function closingBrace(text: string, start: number): number {
  let depth = 1;
  for (let i = start; i < text.length; i += 1) {
    if (text[i] === '$' && text[i + 1] === '{') {
      depth += 1;
      i += 1;
    } else if (text[i] === '}') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Expands the body of `${...}`. */
function expand(body: string, lookup: Lookup): string {
  const name = NAME.exec(body)?.[0];
  if (!name) throw new InterpolationError(`invalid variable name in "\${${body}}"`);
  const rest = body.slice(name.length);
  const value = lookup(name);
  if (rest === '') return value ?? '';
  const operator = /^(:-|-|:\?|\?|:\+|\+)/.exec(rest)?.[0];
  if (!operator) throw new InterpolationError(`invalid interpolation format for "\${${body}}"`);
  const word = rest.slice(operator.length);
  const unsetOrEmpty = value === undefined || value === '';
  switch (operator) {
    case ':-':
      return unsetOrEmpty ? interpolate(word, lookup) : value;
    case '-':
      return value === undefined ? interpolate(word, lookup) : value;
    case ':?':
      if (unsetOrEmpty) throw new InterpolationError(`required variable ${name} is missing a value: ${word}`);
      return value;
    case '?':
      if (value === undefined)
        throw new InterpolationError(`required variable ${name} is missing a value: ${word}`);
      return value;
    case ':+':
      return unsetOrEmpty ? '' : interpolate(word, lookup);
    default: // '+'
      return value === undefined ? '' : interpolate(word, lookup);
  }
}
