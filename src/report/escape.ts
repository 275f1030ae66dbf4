/**
 * Escaping for GitHub-flavoured markdown. Every string that comes from the repository or the report
 * (service names, paths, messages, Dockerfile text, build logs, rule ids, image references) goes
 * through one of these before it reaches a comment or the step summary, so that a pull request cannot
 * inject markdown, HTML, links, images, @mentions or issue references.
 *
 * - `escapeMarkdown` for inline text (paragraphs, list items, table cells, `<summary>`):
 *   HTML special characters become entities; markdown punctuation that can start emphasis, code, links,
 *   math or tables is backslash-escaped (including `|`, so it is safe in table cells; a leading `-`, `+`
 *   or `1.` too); `#` and `@` before a word, `://` and `www.` get a zero-width
 *   space (`&#8203;`) so GitHub does not turn them into mentions, issue links or autolinks; line breaks
 *   and control characters become spaces; bidirectional-override characters are dropped.
 * - `codeBlock` for multi-line text shown verbatim (logs, Dockerfile lines): a fenced block whose fence
 *   is longer than any backtick run inside, where nothing is interpreted.
 */

const ZWSP = '&#8203;';

// Bidirectional overrides and isolates (Trojan Source), and other invisible formatting characters.
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** One pass over the text so that nothing is escaped twice. */
const SPECIAL = /:\/\/|www\.|@(?=[\p{L}\p{N}_])|[&<>"\\`*_[\]#|~$]/giu;

/**
 * Escape repository-controlled text for inline markdown.
 * @param maxLength cut the text (before escaping) to this many characters, ending with `…`.
 */
export function escapeMarkdown(text: string, maxLength?: number): string {
  let t = String(text)
    .replace(BIDI, '')
    .replace(/\r\n?|\n|\t/g, ' ')
    .replace(CONTROL, ' ');
  if (maxLength !== undefined && t.length > maxLength) t = `${t.slice(0, Math.max(0, maxLength - 1))}…`;
  let out = t.replace(SPECIAL, (m) => {
    if (m === '://') return `:${ZWSP}//`;
    if (m.toLowerCase() === 'www.') return `${m.slice(0, 3)}${ZWSP}.`;
    if (m === '@') return `@${ZWSP}`;
    const html = HTML[m];
    if (html) return html;
    if (m === '#') return `\\#${ZWSP}`;
    return `\\${m}`;
  });
  // `1. x`, `1) x`, `- x`, `+ x` at the start would start a list inside a list item or table cell.
  out = out.replace(/^(\d+)([.)])/, '$1\\$2').replace(/^([-+])/, '\\$1');
  return out;
}

/**
 * A fenced code block showing `text` verbatim. Lines are kept; control and bidi characters are
 * replaced; the fence is longer than any backtick run in the text so the text cannot close it.
 * @param lang the info string; only `[a-z0-9-]` is kept.
 */
export function codeBlock(text: string, lang = ''): string {
  const body = String(text)
    .replace(BIDI, '')
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, (c) => (c === '\t' ? c : ' '));
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang.replace(/[^a-z0-9-]/gi, '')}\n${body}\n${fence}`;
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
