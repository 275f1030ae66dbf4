/**
 * Markdown as GitHub renders it, for tests: micromark with the GFM extensions (tables, autolink
 * literals, strikethrough, tag filter, footnotes, task lists), raw HTML passed through as GitHub's
 * sanitizer would see it, then parsed into a DOM with htmlparser2. The checks name what GitHub would
 * show that we did not emit: an element, a link or image, a mention or reference, a broken table.
 */
import { DomUtils, parseDocument } from 'htmlparser2';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';

type Document = ReturnType<typeof parseDocument>;
type Element = ReturnType<typeof DomUtils.getElementsByTagName>[number];

export function toHtml(markdown: string): string {
  return micromark(markdown, {
    allowDangerousHtml: true,
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()],
  });
}

export function renderGfm(markdown: string): Document {
  return parseDocument(toHtml(markdown), { decodeEntities: true });
}

/** Elements the comment's layout uses; anything else came from a string. */
export const OUR_ELEMENTS = new Set([
  'h3',
  'h4',
  'p',
  'strong',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'ul',
  'li',
  'details',
  'summary',
  'pre',
  'code',
  'blockquote',
  'sub',
  'a',
]);

export function elements(doc: Document): Element[] {
  return DomUtils.findAll(() => true, doc.children);
}

export function textOf(node: Element | Document): string {
  return DomUtils.textContent(node);
}

/** Text outside `<code>` / `<pre>`: where GitHub looks for mentions and references. */
export function proseText(doc: Document): string {
  const parts: string[] = [];
  const walk = (nodes: Document['children']) => {
    for (const n of nodes) {
      if (n.type === 'text') parts.push(n.data);
      else if ('children' in n && n.type === 'tag' && n.name !== 'code' && n.name !== 'pre')
        walk(n.children as Document['children']);
    }
  };
  walk(doc.children);
  return parts.join('\n');
}

/** What GitHub would turn into a mention, an issue/PR reference or an autolink. */
export const LIVE_TEXT: [string, RegExp][] = [
  ['a mention', /@[\p{L}\p{N}_]/u],
  ['an issue reference', /#\d/],
  ['a GH- reference', /\bGH-\d/i],
  ['a URL', /:\/\//],
  ['a www. autolink', /\bwww\./i],
];

/** Problems found in a rendered comment, empty when it is clean. */
export function problems(markdown: string, opts: { links: number }): string[] {
  const found: string[] = [];
  const html = toHtml(markdown);
  const doc = parseDocument(html, { decodeEntities: true });
  const all = elements(doc);
  for (const el of all)
    if (!OUR_ELEMENTS.has(el.name)) found.push(`an element we did not emit: <${el.name}>`);
  const links = all.filter((el) => el.name === 'a');
  if (links.length !== opts.links) found.push(`${links.length} links, expected ${opts.links}`);
  const prose = proseText(doc);
  for (const [what, re] of LIVE_TEXT) {
    const m = re.exec(prose);
    if (m)
      found.push(
        `${what} in the text: ${JSON.stringify(prose.slice(Math.max(0, m.index - 20), m.index + 20))}`,
      );
  }
  // Every row of a table has as many cell separators as its header: a pipe that is not escaped
  // (preceded by an even number of backslashes) would split a cell.
  const separators = (line: string) => [...line.matchAll(/(?<!\\)(?:\\\\)*\|/g)].length;
  let header: number | undefined;
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    // Lines of a fenced code block are text, not table rows.
    const f = /^(`{3,})/.exec(line)?.[1];
    if (f !== undefined && (fence === undefined || (f.length >= fence.length && line.trim() === f))) {
      fence = fence === undefined ? f : undefined;
      header = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    if (!line.startsWith('|')) {
      header = undefined;
      continue;
    }
    if (header === undefined) header = separators(line);
    else if (separators(line) !== header)
      found.push(`a table row with ${separators(line)} separators, its header has ${header}`);
  }
  // Raw HTML passes through as is; in code and text `<` is escaped: every tag in the HTML is raw.
  const open = (html.match(/<details>/g) ?? []).length;
  const close = (html.match(/<\/details>/g) ?? []).length;
  if (open !== close) found.push(`unbalanced <details>: ${open} opened, ${close} closed`);
  for (const d of all.filter((el) => el.name === 'details')) {
    const first = d.children.find((c) => c.type === 'tag');
    if (!first || (first as Element).name !== 'summary') found.push('a <details> without its <summary>');
  }
  if (/[\u200b\ufeff\u2060\u202e]/.test(markdown))
    found.push('an invisible character left raw in the markdown');
  for (const code of all.filter((el) => el.name === 'code')) {
    if (/\u200b|&#8203;/.test(textOf(code))) found.push('an invisible character inserted into code');
  }
  return found;
}

/** Texts of the `<code>` elements. */
export function codeTexts(markdown: string): string[] {
  const doc = renderGfm(markdown);
  return elements(doc)
    .filter((el) => el.name === 'code')
    .map((el) => textOf(el));
}

/** The first-column texts of the body rows of every table. */
export function firstCells(markdown: string): string[] {
  const doc = renderGfm(markdown);
  return elements(doc)
    .filter((el) => el.name === 'tbody')
    .flatMap((tbody) => DomUtils.getElementsByTagName('tr', tbody.children, false))
    .map((tr) => textOf(DomUtils.getElementsByTagName('td', tr.children, false)[0] ?? tr));
}
