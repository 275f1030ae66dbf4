import { describe, expect, test } from 'vitest';
import {
  codeBlock,
  codeSpan,
  commentMarker,
  escapeMarkdown,
  markdownWithCode,
  mermaidLabel,
  safeUrl,
  truncate,
} from '../../../src/render/escape.js';

describe('escapeMarkdown', () => {
  test.each([
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['@everyone', '@&#8203;everyone'],
    ['ping @org/team', 'ping @&#8203;org/team'],
    ['[x](http://evil)', '\\[x\\](http:&#8203;//evil)'],
    ['![img](https://evil/p.png)', '!\\[img\\](https:&#8203;//evil/p.png)'],
    ['www.evil.com', 'www&#8203;.evil.com'],
    ['a|b', 'a\\|b'],
    ['`code`', '\\`code\\`'],
    ['**bold** _it_ ~~s~~', '\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~'],
    ['fixes #12 and org/repo#3', 'fixes \\#&#8203;12 and org/repo\\#&#8203;3'],
    ['# heading', '\\#&#8203; heading'],
    ['- item', '\\- item'],
    ['1. item', '1\\. item'],
    ['$x^2$', '\\$x^2\\$'],
    ['line1\nline2\r\n\tx', 'line1 line2  x'],
    ['<!-- image-budget:ci -->', '&lt;!-- image-budget:ci --&gt;'],
    ['a & b "q"', 'a &amp; b &quot;q&quot;'],
    ['back\\slash', 'back\\\\slash'],
    ['rtl\u202eevil', 'rtlevil'],
    ['api-worker', 'api-worker'],
  ])('%j → %j', (input, output) => {
    expect(escapeMarkdown(input)).toBe(output);
  });

  test('maxLength cuts before escaping', () => {
    expect(escapeMarkdown('abcdefghij', 5)).toBe('abcd…');
  });
});

describe('codeBlock', () => {
  test('the fence is longer than any backtick run inside', () => {
    expect(codeBlock('a ``` b\n````x', 'text')).toBe('`````text\na ``` b\n````x\n`````');
    expect(codeBlock('plain', 'te xt<')).toBe('```text\nplain\n```');
  });
});

describe('commentMarker and safeUrl', () => {
  test.each([
    ['ci/build', '<!-- image-budget:ci/build -->'],
    ['x --> <script>', '<!-- image-budget:x-script- -->'],
    ['', '<!-- image-budget:default -->'],
  ])('marker %j', (id, marker) => expect(commentMarker(id)).toBe(marker));

  test.each([
    ['https://github.com/acme/shop/actions/runs/1', 'https://github.com/acme/shop/actions/runs/1'],
    ['javascript:alert(1)', undefined],
    ['https://x/a) [y](z', undefined],
  ])('url %j', (url, out) => expect(safeUrl(url)).toBe(out));
});

describe('issue 16: invisible characters, references, surrogates, code', () => {
  test.each([
    ['zero\u200bwidth', 'zerowidth'],
    ['\ufeffbom', 'bom'],
    ['word\u2060joiner', 'wordjoiner'],
    ['tag\u{e0041}\u{e0042}s', 'tags'],
    ['soft\u00adhyphen', 'softhyphen'],
    ['see GH-123', 'see GH&#8203;-123'],
    ['gh-7 and GH-x', 'gh&#8203;-7 and GH-x'],
    ['lone \ud800 high', 'lone \ufffd high'],
    ['@\u200bteam', '@&#8203;team'],
  ])('%j → %j', (input, output) => expect(escapeMarkdown(input)).toBe(output));

  test('a cut never leaves half of a surrogate pair', () => {
    const text = `${'a'.repeat(9)}😀😀`;
    for (let max = 1; max <= text.length; max++) {
      expect(truncate(text, max)).not.toMatch(/\p{Cs}/u);
      expect(escapeMarkdown(text, max)).not.toMatch(/\p{Cs}/u);
      expect(truncate(text, max).length).toBeLessThanOrEqual(max);
    }
  });

  test.each([
    ['pip install --no-cache-dir', '`pip install --no-cache-dir`'],
    ['a`b', '``a`b``'],
    ['`x`', '`` `x` ``'],
    [' lead', '`  lead `'],
    ['x\u200by', '`xy`'],
  ])('codeSpan(%j) → %j', (input, output) => expect(codeSpan(input)).toBe(output));

  test.each([
    ['add `--no-cache-dir`, or not', 'add `--no-cache-dir`, or not'],
    ['use https://download.pytorch.org/whl/cpu.', 'use `https://download.pytorch.org/whl/cpu`.'],
    ['run `` a`b `` then @team', 'run ``a`b`` then @&#8203;team'],
    ['an unclosed ` tick', 'an unclosed \\` tick'],
    ['`<img src=x>` and <b>', '`<img src=x>` and &lt;b&gt;'],
  ])('markdownWithCode(%j) → %j', (input, output) => expect(markdownWithCode(input)).toBe(output));
});

describe('codeSpan and markdownWithCode in a table cell', () => {
  test.each([
    ['a|b', '`a\\|b`'],
    ['a\\|b', '`a\\\\\\|b`'],
    ['x || y', '`x \\|\\| y`'],
    ['no pipe', '`no pipe`'],
  ])('%j → %j', (input, output) => {
    expect(codeSpan(input, undefined, { cell: true })).toBe(output);
  });

  test('outside a cell a pipe stays as it is', () => {
    expect(codeSpan('a|b')).toBe('`a|b`');
  });

  test('markdownWithCode passes the cell option to its code spans, prose is escaped as ever', () => {
    expect(markdownWithCode('run `a | b` or see https://x.y/a|b', undefined, { cell: true })).toBe(
      'run `a \\| b` or see `https://x.y/a\\|b`',
    );
  });

  test('a URL in prose ends before < or >', () => {
    expect(markdownWithCode('see https://x.y/p<img src=x>')).toBe('see `https://x.y/p`&lt;img src=x&gt;');
  });
});

describe('mermaidLabel', () => {
  test.each([
    ['api-1.2', 'api-1.2'],
    ['a"]\n--> b', 'a-- --- b'],
    ['rtl\u202eevil', 'rtlevil'],
    ['', '-'],
    ['x'.repeat(50), `${'x'.repeat(39)}-`],
  ])('%j → %j', (input, output) => {
    expect(mermaidLabel(input)).toBe(output);
  });
});
