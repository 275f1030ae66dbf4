/**
 * The one escaping module for everything image-budget renders from a report: the PR comment, the
 * step summary (both markdown) and the annotations (plain text). Every string that comes from the
 * repository or from a report (service names, paths, messages, fixes, Dockerfile text, build logs,
 * rule ids, image references) goes through one of these, whatever field it came from, so that a pull
 * request or a fork's uploaded report cannot inject markdown, HTML, links, images, @mentions or
 * issue references.
 *
 * - `cleanText`: the base of all the others. Invisible and bidirectional formatting characters
 *   (U+200B, U+FEFF, U+2060, U+202E, tag characters: every Unicode `Cf`) are removed, control
 *   characters become spaces, a lone surrogate becomes U+FFFD, and a cut (`maxLength`) never splits a
 *   surrogate pair.
 * - `escapeMarkdown` for inline text (paragraphs, list items, table cells, `<summary>`): HTML special
 *   characters become entities; markdown punctuation that can start emphasis, code, links, math or
 *   tables is backslash-escaped (`|` too, so it is safe in table cells; a leading `-`, `+` or `1.`
 *   too); `#` and `@` before a word, `GH-` before a number, `://` and `www.` get a zero-width space
 *   (`&#8203;`, which we emit ourselves) so GitHub does not turn them into mentions, issue links or
 *   autolinks; line breaks become spaces.
 * - `codeSpan` / `markdownWithCode` for commands and URLs (fix hints, messages, instructions): in a
 *   code span whose backtick fence is longer than any run inside, byte for byte, nothing invisible
 *   inserted (GitHub links no mention, reference or URL inside code, and shows HTML there as text).
 *   With `{ cell: true }` they are safe in a table cell: a `|` inside code is written `\|`, which
 *   GitHub shows as `|` (a backslash right before a `|` cannot be shown exactly there: it is doubled).
 * - `mermaidLabel` for a label in a Mermaid chart (not markdown): safe characters only.
 * - `codeBlock` for multi-line text shown verbatim (logs): a fenced block whose fence is longer than
 *   any backtick run inside, where nothing is interpreted.
 * - `annotationText` for annotations (GitHub shows them as plain text; `@actions/core` escapes the
 *   workflow-command syntax).
 */

const ZWSP = '&#8203;';

// Every format character (Unicode category Cf): zero-width spaces and joiners, U+FEFF, U+2060 and
// the other invisible operators, soft hyphen, bidirectional overrides and isolates (Trojan Source),
// and the tag characters (U+E0000 block) that smuggle invisible ASCII.
const INVISIBLE = /\p{Cf}/gu;
// A surrogate code unit not part of a pair (the `u` flag matches only unpaired ones).
const LONE_SURROGATE = /\p{Cs}/gu;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_OR_BREAK = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** One pass over the text so that nothing is escaped twice. */
const SPECIAL = /:\/\/|www\.|@(?=[\p{L}\p{N}_])|\bGH-(?=\d)|[&<>"\\`*_[\]#|~$]/giu;

export interface CleanOptions {
  /** Cut to this many characters (UTF-16 units), ending with `…`; never inside a surrogate pair. */
  maxLength?: number;
  /** Keep line breaks (`\n`, a `\r\n` becomes `\n`) and tabs; default: they become spaces. */
  multiline?: boolean;
}

/**
 * `text` cut to at most `max` UTF-16 units (the last one `…` when cut), never leaving half of a
 * surrogate pair.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** Untrusted text with nothing invisible, no control character, no lone surrogate (see above). */
export function cleanText(text: unknown, options: CleanOptions = {}): string {
  let t = (typeof text === 'string' ? text : String(text ?? ''))
    .replace(INVISIBLE, '')
    .replace(LONE_SURROGATE, '\ufffd');
  t = options.multiline
    ? t.replace(/\r\n?/g, '\n').replace(CONTROL, ' ')
    : t.replace(/\r\n/g, ' ').replace(CONTROL_OR_BREAK, ' ');
  return options.maxLength !== undefined ? truncate(t, options.maxLength) : t;
}

/**
 * Escape repository-controlled text for inline markdown.
 * @param maxLength cut the text (before escaping) to this many characters, ending with `…`.
 */
export function escapeMarkdown(text: unknown, maxLength?: number): string {
  const t = cleanText(text, maxLength !== undefined ? { maxLength } : {}).trim();
  let out = t.replace(SPECIAL, (m) => {
    if (m === '://') return `:${ZWSP}//`;
    if (m.toLowerCase() === 'www.') return `${m.slice(0, 3)}${ZWSP}.`;
    if (m === '@') return `@${ZWSP}`;
    if (m.toUpperCase() === 'GH-') return `${m.slice(0, 2)}${ZWSP}-`;
    const html = HTML[m];
    if (html) return html;
    if (m === '#') return `\\#${ZWSP}`;
    return `\\${m}`;
  });
  // `1. x`, `1) x`, `- x`, `+ x` at the start would start a list inside a list item or table cell.
  out = out.replace(/^(\d+)([.)])/, '$1\\$2').replace(/^([-+])/, '\\$1');
  return out;
}

/** Where inline text goes: `cell` for a table cell (a `|` must not end the cell). */
export interface InlineOptions {
  cell?: boolean;
}

/**
 * An inline code span showing `text` byte for byte (after `cleanText`): the backtick fence is longer
 * than any run inside; a space pads each side when the text starts or ends with a backtick or a space
 * (CommonMark strips exactly one on each side). In a table cell (`cell`), a `|` is written `\|`.
 */
export function codeSpan(text: unknown, maxLength?: number, options: InlineOptions = {}): string {
  const body = cleanText(text, maxLength !== undefined ? { maxLength } : {});
  if (body === '') return '';
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(body) && /[^ ]/.test(body) ? ' ' : '';
  // In a cell, GFM splits at a `|` unless a backslash escapes it, also inside code, and shows `\|`
  // there as `|`; backslashes right before it are doubled so that none of them escapes the other.
  const inner = options.cell ? body.replace(/(\\*)\|/g, (_m, b: string) => `${b}${b}\\|`) : body;
  return `${fence}${pad}${inner}${pad}${fence}`;
}

/** A URL in prose (up to a space, a backtick or `<`/`>`): copied as is from a code span, never a live link. */
const URL_IN_TEXT = /\b(?:https?|ftp):\/\/[^\s`<>]+|\bwww\.[^\s`<>]+/giu;

/**
 * Prose that quotes code the markdown way (a fix hint: ``add `--no-cache-dir` ``): each backtick
 * span and each URL becomes a `codeSpan` (so it can be copied byte for byte), the rest is
 * `escapeMarkdown`. In a table cell with `{ cell: true }`.
 */
export function markdownWithCode(text: unknown, maxLength?: number, options: InlineOptions = {}): string {
  const t = cleanText(text, maxLength !== undefined ? { maxLength } : {});
  const out: string[] = [];
  let prose = '';
  const flushProse = () => {
    if (!prose) return;
    let last = 0;
    for (const m of prose.matchAll(URL_IN_TEXT)) {
      // A sentence's full stop or closing bracket is not part of the URL.
      const url = m[0].replace(/[.,;:!?)\]'"]+$/, '');
      out.push(escapeInline(prose.slice(last, m.index)), codeSpan(url, undefined, options));
      last = m.index + url.length;
    }
    out.push(escapeInline(prose.slice(last)));
    prose = '';
  };
  let i = 0;
  while (i < t.length) {
    if (t[i] !== '`') {
      prose += t[i];
      i++;
      continue;
    }
    const run = /^`+/.exec(t.slice(i))![0];
    const close = findRun(t, i + run.length, run.length);
    if (close < 0) {
      prose += run;
      i += run.length;
      continue;
    }
    flushProse();
    let code = t.slice(i + run.length, close);
    // CommonMark: one space is stripped from each side when both are there.
    if (/^ [\s\S]* $/.test(code) && /[^ ]/.test(code)) code = code.slice(1, -1);
    out.push(codeSpan(code, undefined, options));
    i = close + run.length;
  }
  flushProse();
  return out.join('');
}

/** `escapeMarkdown` for a piece in the middle of a line: a leading space is kept (as one). */
function escapeInline(text: string): string {
  const body = escapeMarkdown(text);
  if (!body) return /\s/.test(text) ? ' ' : '';
  return `${/^\s/.test(text) ? ' ' : ''}${body}${/\s$/.test(text) ? ' ' : ''}`;
}

/** Index of the next run of exactly `length` backticks at or after `from`, or -1. */
function findRun(text: string, from: number, length: number): number {
  const re = /`+/g;
  re.lastIndex = from;
  for (let m = re.exec(text); m; m = re.exec(text)) if (m[0].length === length) return m.index;
  return -1;
}

/**
 * A fenced code block showing `text` verbatim. Lines are kept; control and invisible characters are
 * dropped or replaced; the fence is longer than any backtick run in the text so the text cannot close
 * it.
 * @param lang the info string; only `[a-z0-9-]` is kept.
 */
export function codeBlock(text: unknown, lang = ''): string {
  const body = cleanText(text, { multiline: true });
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang.replace(/[^a-z0-9-]/gi, '')}\n${body}\n${fence}`;
}

/**
 * Text for an annotation (message or title): clean (see `cleanText`), lines kept for messages,
 * bounded. GitHub shows annotations as plain text; `@actions/core` escapes `%`, CR and LF.
 */
export function annotationText(text: unknown, maxLength = 4000, multiline = true): string {
  return cleanText(text, { maxLength, multiline });
}

/**
 * The hidden marker that identifies image-budget's sticky comment: `<!-- image-budget:<id> -->`.
 * The id (usually workflow and job) keeps only `[A-Za-z0-9._/:-]`, so it can never close the comment.
 */
export function commentMarker(id: string): string {
  const safe = String(id)
    .replace(/[^A-Za-z0-9._/:-]/g, '-')
    .replace(/-{2,}/g, '-');
  return `<!-- image-budget:${safe || 'default'} -->`;
}

/** A link target we produce ourselves (the run URL): only http(s) with no spaces, quotes or brackets. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return /^https?:\/\/[^\s()<>"'`[\]\\]+$/.test(url) ? url : undefined;
}

/** A label in a Mermaid chart (not markdown): letters, digits, spaces and `._:/+-` only, cut short. */
export function mermaidLabel(text: unknown, max = 40): string {
  const safe = cleanText(text)
    .replace(/[^A-Za-z0-9 ._:/+-]/g, '-')
    .trim();
  return safe.length > max ? `${safe.slice(0, max - 1)}-` : safe || '-';
}
