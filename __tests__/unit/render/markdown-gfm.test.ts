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
import { DomUtils } from 'htmlparser2';
import { codeTexts, firstCells, problems, proseText, renderGfm } from './gfm.js';
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
        imageEvidence: { rule: s(), bytes: 420_000_000, path: s(), files: 1, layer: 2 },
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

/**
 * Issue 13: a fix command copied out of the rendered comment runs as written. The comment is
 * rendered by micromark with GitHub's extensions, the text of each `<code>` taken out of the HTML,
 * and the command must be one of them byte for byte.
 */
describe('fix commands survive copy and paste through a GFM renderer', () => {
  const TORCH = 'pip install torch --index-url https://download.pytorch.org/whl/cpu';
  const BACKTICKS = 'docker build --build-arg REV=`git rev-parse HEAD` .';
  const MENTION = 'npm install @org/pkg@1.2.3 # pins #12, see GH-1 and owner/repo#1';
  const HOSTILE =
    '<img src=x onerror=alert(1)> [see](javascript:alert(1)) ping @org/team about #1 and GH-7 and owner/repo#2 ![t](https://evil.example/t.png) </details>';

  function pasteReport(): Report {
    const finding = (rule: string, fix: string, message = HOSTILE) => ({
      rule,
      severity: 'error' as const,
      file: 'api/Dockerfile',
      line: 4,
      message,
      fix,
    });
    const raw = {
      schemaVersion: 1,
      tool: { name: 'image-budget', version: '0.1.0' },
      createdAt: '2025-01-02T03:04:05.000Z',
      services: [
        {
          name: 'api',
          built: true,
          dockerfile: 'api/Dockerfile',
          build: {
            status: 'success',
            durationMs: 1000,
            steps: [{ name: `RUN ${TORCH}`, durationMs: 900, cached: false }],
          },
          image: {
            id: 'sha256:a',
            size: 1000,
            layers: 1,
            largestLayers: [{ size: 1000, createdBy: `RUN ${MENTION} | tee log`, line: 4 }],
          },
          findings: [
            // A command quoted the markdown way, a bare URL, a command whose text has backticks
            // (quoted with a longer run), and one with @ and #.
            finding('cuda-torch', `install the CPU build: \`${TORCH}\``),
            finding('torch-url', 'use https://download.pytorch.org/whl/cpu instead.'),
            finding('backticks', `run \`\`${BACKTICKS}\`\` first`),
            finding('mention', `run \`${MENTION}\``, `the build ran \`${MENTION}\``),
          ],
          violations: [
            {
              service: 'api',
              budget: 'max-size',
              limit: 1,
              actual: 2,
              unit: 'bytes',
              severity: 'error',
              message: `api: ${HOSTILE}`,
            },
          ],
          error: `api/Dockerfile:4: \`${TORCH}\` failed; ${HOSTILE}`,
        },
      ],
      violations: [],
      errors: [HOSTILE],
    };
    return readReport(JSON.stringify(raw), 'paste.json');
  }

  const head = pasteReport();
  const md = renderMarkdown(head, exitVerdict(head, 'error'), { marker, runUrl });
  const codes = codeTexts(md);

  test.each([
    ['a command in a code span', TORCH],
    ['a bare URL', 'https://download.pytorch.org/whl/cpu'],
    ['a command with backticks', BACKTICKS],
    ['a command with @ and #', MENTION],
    ['a build step in a table cell', `RUN ${TORCH}`],
    ['a layer instruction with a pipe in a table cell', `RUN ${MENTION} | tee log`],
  ])('%s: %j', (_what, command) => {
    expect(codes, md).toContain(command);
  });

  test('nothing invisible in the markdown, the hostile texts harmless outside code', () => {
    expect(problems(md, { links: 1 }), md).toEqual([]);
    expect(md).not.toContain('https:&#8203;//download');
    const prose = proseText(renderGfm(md));
    expect(prose).toContain('<img src=x onerror=alert(1)>'); // shown as text, not an element
    expect(prose).not.toMatch(/@org\/team|(?<!\w)#1\b|GH-7|owner\/repo#2/);
  });

  test('the same with the baseline marks (the pull request section)', () => {
    const marked = markAgainst({ ...head, services: [] }, head);
    const text = renderMarkdown(marked, exitVerdict(marked, 'error'), { marker, runUrl });
    expect(text).toContain('#### What this pull request changed');
    expect(problems(text, { links: 1 }), text).toEqual([]);
    for (const command of [TORCH, BACKTICKS, MENTION]) expect(codeTexts(text)).toContain(command);
  });

  test('the check can fail: a URL with a zero-width space is not the command', () => {
    expect(codeTexts('`https:\u200b//x`')).not.toContain('https://x');
    expect(codeTexts('`a` `b`')).toEqual(['a', 'b']);
  });
});

/** Issue 12: a lint finding the image confirms says so in one short clause, the path byte for byte. */
describe('a finding the image confirms', () => {
  const PATH = '/root/.cache/huggingface/<img src=x>`@team`#1';
  const confirmed = (source: 'lint' | 'image'): Report =>
    readReport(
      JSON.stringify({
        schemaVersion: 2,
        tool: { name: 'image-budget', version: '0.1.0' },
        createdAt: '2026-12-02T00:00:00.000Z',
        services: [
          {
            name: 'ml',
            built: true,
            dockerfile: 'ml/Dockerfile',
            findings: [
              {
                rule: 'model-download-in-build',
                severity: 'warning',
                file: 'ml/Dockerfile',
                line: 12,
                message: '`hf_hub_download(...)` downloads model weights in the build',
                fix: 'download at start-up',
                source,
                imageEvidence: {
                  rule: 'model-weights-in-image',
                  bytes: 420_000_000,
                  path: PATH,
                  files: 1,
                  layer: 5,
                },
              },
            ],
            violations: [],
          },
        ],
        violations: [],
        errors: [],
      }),
      'head.json',
    );

  test('is one finding that reads "confirmed by the image: 420MB in <path>", the path in code', () => {
    const head = confirmed('lint');
    const md = renderMarkdown(head, exitVerdict(head, 'error'), { marker });
    expect(problems(md, { links: 0 }), md).toEqual([]);
    const doc = renderGfm(md);
    const items = DomUtils.getElementsByTagName('li', doc).map((li) => DomUtils.textContent(li));
    const mine = items.filter((text) => text.includes('model-download-in-build'));
    expect(mine.length, md).toBeGreaterThan(0);
    for (const text of mine) expect(text).toContain(`(confirmed by the image: 420MB in ${PATH})`);
    expect(codeTexts(md)).toContain(PATH);
  });

  test("an image finding's own evidence is not repeated: its message says it", () => {
    const head = confirmed('image');
    const md = renderMarkdown(head, exitVerdict(head, 'error'), { marker });
    expect(md).not.toContain('confirmed by the image');
  });
});
