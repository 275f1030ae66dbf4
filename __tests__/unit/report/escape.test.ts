import { describe, expect, test } from 'vitest';
import { codeBlock, commentMarker, escapeMarkdown, safeUrl } from '../../../src/report/escape.js';

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
