/**
 * The comment as GitHub renders it (micromark + GFM, then an HTML DOM), with random hostile strings
 * in every string field of a report: no element, link or image we did not emit, no mention or
 * reference, no broken table, balanced `<details>`, and the fix commands byte for byte in `<code>`.
 * Seeded, so a failure names its seed and reproduces.
 */
import { describe, expect, test } from 'vitest';
import { diffReports } from '../../../src/report/diff.js';
import { markAgainst } from '../../../src/report/marks.js';
import { cleanText, commentMarker } from '../../../src/render/escape.js';
import { renderMarkdown } from '../../../src/render/markdown.js';
import type { Report } from '../../../src/report/model.js';
import { readReport } from '../../../src/report/read.js';
import { codeTexts, firstCells, problems } from './gfm.js';
import { exitVerdict } from '../../../src/budget/verdict.js';

/** mulberry32: a small seeded generator. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '<img src=x onerror=alert(1)>',
  '<details>',
  '</details>',
  '<summary>',
  '<a href="https://evil.example">x</a>',
  '<script>alert(1)</script>',
  '<!--',
  '-->',
  '<!-- image-budget:ci/job -->',
  '<sub>',
  '@team',
  '@everyone',
  'a@b.com',
  'mailto:x@y.z',
  '#123',
  'GH-42',
  'gh-7',
  'org/repo#9',
  'https://evil.example/p?q=1',
  'http://x.y',
  'www.evil.com',
  '![i](https://evil.example/t.png)',
  '[l](javascript:alert(1))',
  '[ref]: https://evil.example',
  '[^1]',
  '|',
  '||',
  '\\|',
  '`',
  '``',
  '```',
  '~~~',
  '*',
  '**',
  '_',
  '__',
  '~~',
  '$',
  '$$',
  '\\',
  '>',
  '- ',
  '1. ',
  '+ ',
  '# ',
  '    ',
  '\n',
  '\r\n',
  '\r',
  '\t',
  '\u0000',
  '\u001b[31m',
  '\u009b',
  '\u200b',
  '\ufeff',
  '\u2060',
  '\u202e',
  '\u2066',
  '\u{e0041}',
  '\ud800',
  '\udfff',
  '😀',
  '&#64;',
  '&lt;b&gt;',
  '&amp;',
  ':+1:',
  '===',
  '---',
  'é',
  'x',
  ' ',
  'a',
  '0',
];

function randomString(next: () => number, maxPieces = 8): string {
  const n = 1 + Math.floor(next() * maxPieces);
  let s = '';
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(next() * PIECES.length)]!;
  return s;
}

/** A command as a fix hint quotes it (no backtick at its ends, no surrounding space, one line). */
function randomCommand(next: () => number): string {
  for (;;) {
    const c = cleanText(randomString(next, 5)).trim();
    if (c && !c.startsWith('`') && !c.endsWith('`') && c.length < 120) return c;
  }
}

/** Quote `code` in markdown as a careful author would: a fence longer than any run inside. */
function quote(code: string): string {
  const longest = Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${/^[` ]|[` ]$/.test(code) ? ` ${code} ` : code}${fence}`;
}

/** A report with every field filled; `s()` gives each string. */
function fullReport(s: () => string, fix: string, names: string[], scale = 1): Report {
  const services = names.map((name, i) => ({
    name,
    built: i !== 3,
    ...(i === 3 ? { imageRef: s() } : {}),
    dockerfile: s(),
    context: s(),
    target: s(),
    gpu: false,
    ...(i !== 3
      ? {
          build: {
            status: i === 1 ? ('failed' as const) : ('success' as const),
            durationMs: 1500 * (i + 1),
            builder: s(),
            ...(i === 1 ? { exitCode: 1, logTail: [s(), s(), s()] } : {}),
            logFile: s(),
            steps: [
              { name: s(), durationMs: 900, cached: false },
              { name: s(), durationMs: 10, cached: true },
            ],
            cachedSteps: 1,
            executedSteps: 1,
            cache: { backend: s(), warning: s() },
            peakDiskBytes: Math.round(1000 * scale),
          },
          ...(i !== 1
            ? {
                image: {
                  id: s(),
                  tag: s(),
                  size: Math.round(100_000_000 * (i + 1) * scale),
                  layers: 5,
                  compressedSize: Math.round(40_000_000 * scale),
                  largestLayers: [
                    { size: Math.round(50_000_000 * scale), createdBy: s(), line: 3 },
                    { size: 20_000_000, createdBy: s() },
                  ],
                  wastedBytes: Math.round(10 * scale),
                  wastedFiles: [{ path: s(), size: 10, addedIn: 1, removedIn: 2 }],
                },
              }
            : {}),
        }
      : {}),
    findings: [
      {
        rule: s(),
        severity: 'error' as const,
        file: s(),
        line: 3,
        message: s(),
        fix,
        source: 'lint' as const,
      },
      { rule: s(), severity: 'warning' as const, file: s(), message: s() },
    ],
    violations:
      i === 0
        ? [
            {
              service: s(),
              budget: s(),
              limit: 1,
              actual: 2,
              unit: 'bytes' as const,
              severity: 'error' as const,
              message: s(),
            },
          ]
        : [],
    ...(i === 2 ? { error: s() } : {}),
    warnings: [s()],
  }));
  const raw = {
    schemaVersion: 1,
    tool: { name: 'image-budget', version: s() },
    createdAt: s(),
    composeFile: s(),
    configFile: s(),
    git: { sha: s(), ref: s(), baseRef: s(), pullRequest: 5 },
    engine: { builder: s(), version: s() },
    durationMs: 10,
    services,
    violations: [
      {
        service: s(),
        budget: s(),
        limit: 1,
        actual: 2,
        unit: 'percent',
        severity: 'warning',
        message: s(),
      },
    ],
    errors: [s(), s()],
  };
  // Through the reader, as a fork's artifact would come.
  return readReport(JSON.stringify(raw), 'fork.json');
}

const CASES = 150;
const marker = commentMarker('ci/job');
const runUrl = 'https://github.com/acme/shop/actions/runs/1';

describe('the comment as GitHub renders it, with hostile strings in every field', () => {
  test.each(Array.from({ length: CASES }, (_, i) => [i + 1]))('seed %i', (seed) => {
    const next = rng(seed);
    const s = () => randomString(next);
    const command = randomCommand(next);
    const fix = `${s()} ${quote(command)} ${s()}`.replace(/`/g, (m, offset: number, all: string) =>
      // Backticks of the random prose around the command would pair with it: keep them apart.
      offset < all.indexOf(quote(command)) || offset >= all.indexOf(quote(command)) + quote(command).length
        ? "'"
        : m,
    );
    const names = Array.from({ length: 5 }, (_v, i) => `${randomString(next, 3)}-${i}`);
    const base = fullReport(s, fix, names.slice(0, 3), 0.8);
    // Every other seed marks the findings and violations against the base (the pull request layout).
    const unmarked = fullReport(s, fix, names);
    const head = seed % 2 === 0 ? markAgainst(base, unmarked) : unmarked;
    const md = renderMarkdown(head, exitVerdict(head, 'error'), {
      diff: diffReports(base, head),
      marker,
      runUrl,
      baselineNote: s(),
      title: s(),
    });
    expect(problems(md, { links: 1 }), md).toEqual([]);
    // No pipe shifted a cell: every service's row starts with its (cleaned) name.
    // The narrow table puts a status icon before the name of a failing service.
    const cells = firstCells(md).map((c) => c.replace(/\u200b/g, '').replace(/^(?:💥|❌|⚠️) /u, ''));
    for (const name of head.services.map((x) => x.name)) {
      const shown = cleanText(name, { maxLength: 60 }).replace(/^\s+/, '').trimEnd();
      expect(
        cells.map((c) => c.trim()),
        md,
      ).toContain(shown);
    }
    // The command, byte for byte, in a <code>.
    expect(codeTexts(md), md).toContain(command);
  });

  test('the same strings with no run link: no link at all', () => {
    const next = rng(7);
    const s = () => randomString(next);
    const head = fullReport(s, s(), ['a', 'b', 'c', 'd', 'e']);
    expect(
      problems(renderMarkdown(head, exitVerdict(head, 'error'), { runUrl: 'javascript:alert(1)' }), {
        links: 0,
      }),
    ).toEqual([]);
  });

  test('the checks can fail: raw strings are caught', () => {
    const kinds = (md: string, links = 0) => problems(md, { links }).map((p) => p.split(':')[0]);
    expect(kinds('<img src=x> @team #1 GH-2 https://x.y www.a.b\n\n<details>')).toEqual([
      'an element we did not emit',
      '2 links, expected 0',
      'a mention in the text',
      'an issue reference in the text',
      'a GH- reference in the text',
      'a URL in the text',
      'a www. autolink in the text',
      'unbalanced <details>',
      'a <details> without its <summary>',
    ]);
    expect(kinds('| a | b |\n| - | - |\n| [x](https://e) | ![i](https://e/i.png) |')).toEqual([
      'an element we did not emit',
      '1 links, expected 0',
    ]);
    expect(kinds('`a\u200bb` x\u2060y')).toEqual([
      'an invisible character left raw in the markdown',
      'an invisible character inserted into code',
    ]);
    expect(kinds('| a | b |\n| - | - |\n| x \\\\| y | z |')).toEqual([
      'a table row with 4 separators, its header has 3',
    ]);
    expect(firstCells('| a | b |\n| - | - |\n| x\\\\| y | z |')).toEqual(['x\\']);
  });
});
