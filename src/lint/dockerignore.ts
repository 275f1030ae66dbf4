/** .dockerignore patterns, as BuildKit reads them: last match wins, `!` re-includes, `**` spans folders. */

export interface IgnorePattern {
  re: RegExp;
  negate: boolean;
}

export function parseDockerignore(text: string): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    let line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1).trim();
    line = line
      .replace(/^\.\/+/, '')
      .replace(/^\/+/, '')
      .replace(/\/+$/, '');
    if (!line || line === '.') {
      if (!negate) out.push({ re: /^.*$/, negate });
      continue;
    }
    out.push({ re: new RegExp(`^${toRegex(line)}$`), negate });
  }
  return out;
}

function toRegex(p: string): string {
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*') {
      if (p[i + 1] === '*') {
        i++;
        if (p[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = p.indexOf(']', i);
      if (end < 0) re += '\\[';
      else {
        re += p
          .slice(i, end + 1)
          .replace(/^\[!/, '[^')
          .replace(/\\/g, '\\\\');
        i = end;
      }
    } else if (c === '\\' && i + 1 < p.length) re += `\\${p[++i]}`;
    else re += /[.+^${}()|\]\\]/.test(c) ? `\\${c}` : c;
  }
  return re;
}

/** Whether a context path (POSIX, relative) is excluded: a pattern matching it or any parent folder. */
export function isIgnored(patterns: IgnorePattern[], relPath: string): boolean {
  let ignored = false;
  const parts = relPath.split('/');
  for (const p of patterns) {
    let prefix = '';
    for (let i = 0; i < parts.length; i++) {
      prefix = i === 0 ? parts[0]! : `${prefix}/${parts[i]}`;
      if (p.re.test(prefix)) {
        // A negation re-includes only when it matches the path itself or a parent being re-included.
        ignored = !p.negate;
        break;
      }
    }
  }
  return ignored;
}
