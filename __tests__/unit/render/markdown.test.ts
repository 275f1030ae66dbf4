import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { judge } from '../../../src/budget/judge.js';
import { emptyConfig } from '../../../src/config/schema.js';
import { diffReports } from '../../../src/report/diff.js';
import { markAgainst } from '../../../src/report/marks.js';
import { commentMarker } from '../../../src/render/escape.js';
import { GITHUB_COMMENT_LIMIT, layersThatGrew, renderMarkdown } from '../../../src/render/markdown.js';
import { problems } from './gfm.js';
import type { Report } from '../../../src/report/model.js';
import { MB, report, service } from '../report/fixtures.js';
import { exitVerdict } from '../../../src/budget/verdict.js';
import { instructionText } from '../../../src/measure/history.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Compare with __golden__/<name>.md. `UPDATE_GOLDEN=1` writes it; a missing golden is written only
 * outside CI (a first run on a laptop): in CI (`CI` set) it fails, so a deleted golden cannot pass.
 */
function golden(name: string, text: string): void {
  const file = path.join(here, '__golden__', `${name}.md`);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
  else if (!existsSync(file)) {
    if (process.env.CI) throw new Error(`golden file ${name}.md is missing (run with UPDATE_GOLDEN=1)`);
    writeFileSync(file, text);
  }
  expect(text).toBe(readFileSync(file, 'utf8'));
}

const marker = commentMarker('ci/image-budget');
const runUrl = 'https://github.com/acme/shop/actions/runs/42';

const base = report([
  service('api', 250, {
    dockerfile: 'api/Dockerfile',
    image: {
      id: 'a',
      size: 250 * MB,
      layers: 10,
      compressedSize: 90 * MB,
      wastedBytes: 1 * MB,
      largestLayers: [
        { size: 100 * MB, createdBy: '/bin/sh -c pip install -r requirements.txt', line: 7 },
        { size: 79.5 * MB, createdBy: 'COPY . /app # buildkit', line: 9 },
        { size: 40 * MB, createdBy: 'RUN /bin/sh -c apt-get update' },
      ],
    },
    build: { status: 'success', durationMs: 60_000, peakDiskBytes: 2_000 * MB },
  }),
  service('worker', 1000),
  service('legacy', 400),
  service('db', undefined, { imageRef: 'postgres:16' }),
]);

function headReport(): Report {
  const head = report([
    service('api', 300, {
      dockerfile: 'api/Dockerfile',
      image: {
        id: 'a',
        size: 300 * MB,
        layers: 12,
        compressedSize: 110 * MB,
        wastedBytes: 31 * MB,
        largestLayers: [
          { size: 180 * MB, createdBy: 'RUN pip install -r requirements.txt', line: 8 },
          { size: 80 * MB, createdBy: 'COPY . /app', line: 10 },
          {
            size: 30 * MB,
            createdBy:
              'RUN |1 TORCH=cpu /bin/sh -c pip install torch --index-url https://download.pytorch.org/whl/cpu',
            line: 5,
          },
        ],
      },
      build: {
        status: 'success',
        durationMs: 95_000,
        peakDiskBytes: 3_100 * MB,
        steps: [
          { name: '[api 3/5] RUN pip install -r requirements.txt', durationMs: 70_000, cached: false },
          { name: '[api 1/5] FROM python:3.12-slim', durationMs: 2_000, cached: true },
        ],
      },
      findings: [
        {
          rule: 'pip-no-cache-dir',
          severity: 'warning',
          file: 'api/Dockerfile',
          line: 7,
          message: 'pip keeps its cache in the image',
          fix: 'add --no-cache-dir',
        },
      ],
    }),
    service('worker', 1000.2),
    service('ml', 3000, {
      findings: [
        {
          rule: 'cuda-torch',
          severity: 'error',
          file: 'ml/Dockerfile',
          line: 4,
          message: 'torch pulls CUDA wheels (2.5GB) but the service has no GPU',
        },
      ],
    }),
    service('db', undefined, { imageRef: 'postgres:16' }),
    service('broken', undefined, {
      dockerfile: 'broken/Dockerfile',
      build: {
        status: 'failed',
        durationMs: 4_000,
        exitCode: 1,
        logTail: [
          '#5 [2/3] RUN make',
          '#5 ERROR: make: *** No rule to make target',
          'ERROR: failed to solve',
        ],
      },
      error: { message: 'RUN make failed (exit 2)', file: 'broken/Dockerfile', line: 3 },
    }),
  ]);
  return judge(
    head,
    {
      ...emptyConfig(),
      file: '.github/image-budget.yml',
      services: { api: { maxSize: 280 * MB } },
      defaults: { maxGrowth: { percent: 50 } },
    },
    {},
    base,
  ).report;
}

describe('renderMarkdown (golden files)', () => {
  test('a pull request with deltas, new/removed services, a violation, a failed build and lint findings', () => {
    const head = headReport();
    const diff = diffReports(base, head, 1 * MB);
    golden(
      'pr-with-diff',
      renderMarkdown(head, exitVerdict(head, 'error'), {
        diff,
        marker,
        runUrl,
        baselineNote: 'Compared with the main baseline of 2025-01-01 (abc1234).',
      }),
    );
  });

  test('first run: no baseline, the table still shows sizes', () => {
    const head = headReport();
    const diff = diffReports(undefined, head);
    golden(
      'first-run',
      renderMarkdown(head, exitVerdict(head, 'error'), {
        diff,
        marker,
        runUrl,
        baselineNote: 'No baseline for main yet: one is saved by a push to main (or save-baseline: true).',
      }),
    );
  });

  test('a passing run without marker or run link (step summary)', () => {
    const head = report([service('api', 120), service('web', 45.5)]);
    golden(
      'passing-summary',
      renderMarkdown(head, exitVerdict(head, 'error'), {
        diff: diffReports(report([service('api', 120), service('web', 40)]), head),
      }),
    );
  });

  test('hostile strings from the repository are escaped', () => {
    const names = [
      '<img src=x onerror=alert(1)>',
      '@everyone',
      '[x](http://evil)',
      'a|b`c`',
      '<!-- image-budget:ci/image-budget -->',
    ];
    const head = report(
      names.map((name, i) =>
        service(name, i === 0 ? undefined : 10 + i, {
          findings: [
            {
              rule: '<b>rule</b>',
              severity: 'warning',
              file: '[f](javascript:alert(1))',
              line: 1,
              message: '@admin please see https://evil.example/#1 </details>',
            },
          ],
          ...(i === 0 && {
            build: {
              status: 'failed',
              durationMs: 1,
              exitCode: 1,
              logTail: ['```', '</details><img src=x>', '@everyone'],
            },
          }),
        }),
      ),
      { errors: [{ message: 'service "<script>" @everyone', file: 'compose.yml', line: 1 }] },
    );
    const text = renderMarkdown(head, exitVerdict(head, 'error'), {
      marker,
      runUrl: 'javascript:alert(1)',
      baselineNote: '@everyone <b>x</b>',
    });
    golden('hostile', text);
    // Only our own tags and the marker remain as HTML.
    const outsideCode = text.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, '');
    const tags = [...outsideCode.matchAll(/<\/?([a-z]+)[^>]*>/gi)].map((m) => m[1]!.toLowerCase());
    expect(new Set(tags)).toEqual(new Set(['details', 'summary', 'sub']));
    expect(outsideCode).not.toMatch(/@(everyone|admin)/);
    expect(text).not.toMatch(/(?<!\\)\]\((http|javascript)/);
    expect(text.match(/<!-- image-budget:/g)).toHaveLength(1);
  });
});

/**
 * The pull request of issue 13: the base breaks budgets in `rag` and `voice`; the PR fixes `rag`,
 * leaves `voice` as it was and breaks `api`. Findings: one the PR brought, one it fixed, one that
 * was there. Judged and marked as the pipeline does (judge each, then `markAgainst`).
 */
export function markedPullRequest(): { head: Report; diff: ReturnType<typeof diffReports> } {
  const config = {
    ...emptyConfig(),
    file: '.github/image-budget.yml',
    defaults: { maxSize: 250 * MB },
  };
  const torchFix =
    'install the CPU build: add `--index-url https://download.pytorch.org/whl/cpu`, or run `pip install torch --index-url https://download.pytorch.org/whl/cpu`';
  const layers = (torch: number) => [
    {
      size: torch * MB,
      createdBy: 'RUN /bin/sh -c pip install torch # buildkit',
      line: 4,
    },
    { size: 20 * MB, createdBy: 'COPY . /app # buildkit', line: 9 },
  ];
  const baseRaw = report([
    service('api', 200, {
      dockerfile: 'api/Dockerfile',
      image: {
        id: 'a',
        size: 200 * MB,
        layers: 8,
        compressedSize: 70 * MB,
        wastedBytes: 0,
        largestLayers: layers(120),
      },
      build: { status: 'success', durationMs: 80_000, peakDiskBytes: 900 * MB },
      findings: [
        {
          rule: 'apt-no-clean',
          severity: 'warning',
          file: 'api/Dockerfile',
          line: 3,
          message: 'apt lists are left in the layer',
          fix: 'end the RUN with `rm -rf /var/lib/apt/lists/*`',
        },
      ],
    }),
    service('rag', 263, {
      dockerfile: 'rag/Dockerfile',
      findings: [
        {
          rule: 'model-download-in-build',
          severity: 'warning',
          file: 'rag/Dockerfile',
          line: 12,
          message: 'a model is downloaded during the build (sentence-transformers, 90MB)',
        },
      ],
    }),
    service('voice', 900, { dockerfile: 'voice/Dockerfile' }),
    service('web', 45),
  ]);
  const headRaw = report([
    service('api', 2_600, {
      dockerfile: 'api/Dockerfile',
      image: {
        id: 'a2',
        size: 2_600 * MB,
        layers: 8,
        compressedSize: 1_150 * MB,
        wastedBytes: 31 * MB,
        largestLayers: layers(2_520),
      },
      build: { status: 'success', durationMs: 412_000, peakDiskBytes: 7_400 * MB },
      findings: [
        {
          rule: 'apt-no-clean',
          severity: 'warning',
          file: 'api/Dockerfile',
          line: 5,
          message: 'apt lists are left in the layer',
          fix: 'end the RUN with `rm -rf /var/lib/apt/lists/*`',
        },
        {
          rule: 'cuda-torch',
          severity: 'error',
          file: 'api/Dockerfile',
          line: 4,
          message: 'torch pulls CUDA wheels (2.5GB) but the service has no GPU',
          fix: torchFix,
        },
      ],
    }),
    service('rag', 104, { dockerfile: 'rag/Dockerfile' }),
    service('voice', 900.4, { dockerfile: 'voice/Dockerfile' }),
    service('web', 45),
  ]);
  const base = judge(baseRaw, config).report;
  const judged = judge(headRaw, config, {}, base).report;
  const head = markAgainst(base, judged);
  return { head, diff: diffReports(base, head) };
}

describe('renderMarkdown with marks (a pull request against its baseline)', () => {
  test('leads with what the PR introduced and fixed, collapses what was there (golden)', () => {
    const { head, diff } = markedPullRequest();
    const text = renderMarkdown(head, exitVerdict(head, 'error'), {
      diff,
      marker,
      runUrl,
      baselineNote: 'Compared with the main baseline of 2025-01-01 (abc1234).',
    });
    golden('pr-marked', text);
    const changed = text.indexOf('#### What this pull request changed');
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThan(text.indexOf('| Service |'));
    // The new violation and finding first, the fixed ones after, the existing ones collapsed.
    const introduced = text.slice(changed, text.indexOf('**Fixed:**'));
    expect(introduced).toContain('**new** api: size 2.6GB');
    expect(introduced).toContain('**new** **cuda-torch**');
    expect(introduced).not.toContain('voice');
    expect(introduced).not.toContain('apt-no-clean');
    const fixed = text.slice(text.indexOf('**Fixed:**'), text.indexOf('| Service |'));
    expect(fixed).toContain('rag: size 263MB');
    expect(fixed).toContain('model-download-in-build');
    const existing = text.slice(text.indexOf('<details><summary>Already there'));
    expect(existing).toContain('voice: size 900MB');
    expect(existing).toContain('apt-no-clean');
  });

  test('without marks (no baseline) the layout has no pull request section', () => {
    const { head } = markedPullRequest();
    const unmarked: Report = {
      ...head,
      fixed: undefined,
      violations: head.violations.map(({ mark: _m, ...v }) => v),
      services: head.services.map((s) => ({
        ...s,
        findings: s.findings.map(({ mark: _m, ...f }) => f),
        violations: s.violations.map(({ mark: _m, ...v }) => v),
      })),
    };
    delete unmarked.fixed;
    const text = renderMarkdown(unmarked, exitVerdict(unmarked, 'error'));
    expect(text).not.toContain('What this pull request changed');
    expect(text).toContain('#### Budget violations (2)');
    expect(text).toContain('<details><summary>Lint: 1 error, 1 warning</summary>');
  });
});

describe('renderMarkdown length', () => {
  const many = report(
    Array.from({ length: 3000 }, (_, i) =>
      service(`service-${String(i).padStart(4, '0')}`, 100 + i, {
        findings: [
          {
            rule: 'apt-no-clean',
            severity: 'warning',
            file: `s${i}/Dockerfile`,
            line: 3,
            message: 'apt lists are left in the layer'.repeat(3),
          },
        ],
      }),
    ),
  );

  test('stays under the comment limit, closes open blocks and says it was truncated', () => {
    const text = renderMarkdown(many, exitVerdict(many, 'error'), {
      diff: diffReports(many, many),
      marker,
      runUrl,
    });
    expect(text.length).toBeLessThanOrEqual(65_000);
    expect(text.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(text.startsWith(marker)).toBe(true);
    expect(text).toContain('✂️ Truncated');
    expect(text.trimEnd().endsWith(`<sub>[View the run](${runUrl}) · image-budget v0.1.0</sub>`)).toBe(true);
    expect((text.match(/<details>/g) ?? []).length).toBe((text.match(/<\/details>/g) ?? []).length);
  });

  test('a small maxLength (golden)', () => {
    const small = report(many.services.slice(0, 40));
    golden(
      'truncated',
      renderMarkdown(small, exitVerdict(small, 'error'), { marker, runUrl, maxLength: 2500 }),
    );
  });

  test('truncation inside a code block closes the fence', () => {
    const head = report([
      service('broken', undefined, {
        build: {
          status: 'failed',
          durationMs: 1,
          logTail: Array.from({ length: 25 }, (_, i) => `log line ${i} `.repeat(10)),
        },
      }),
    ]);
    const text = renderMarkdown(head, exitVerdict(head, 'error'), { maxLength: 1800 });
    expect(text.length).toBeLessThanOrEqual(1800);
    expect((text.match(/^```/gm) ?? []).length % 2).toBe(0);
    expect((text.match(/<details>/g) ?? []).length).toBe((text.match(/<\/details>/g) ?? []).length);
  });
});

describe('renderMarkdown slowest steps', () => {
  test('lists executed steps slowest first, not cached ones nor instant ones', () => {
    const head = report([
      service('api', 100, {
        build: {
          status: 'success',
          durationMs: 95_000,
          steps: [
            { name: '[1/3] FROM docker.io/library/python:3.11-slim', durationMs: 0, cached: false },
            { name: '[2/3] RUN pip install torch', durationMs: 90_000, cached: false },
            { name: '[3/3] COPY app/ app/', durationMs: 1_200, cached: false },
            { name: '[0/3] RUN apt-get update', durationMs: 30_000, cached: true },
          ],
        },
      }),
    ]);
    const section =
      renderMarkdown(head, exitVerdict(head, 'error'))
        .split('Slowest build steps')[1]
        ?.split('</details>')[0] ?? '';
    const rows = section.split('\n').filter((l) => l.startsWith('| api'));
    expect(rows).toEqual([
      '| api | 1m30s | `[2/3] RUN pip install torch` |',
      '| api | 1.2s | `[3/3] COPY app/ app/` |',
    ]);
  });
});

describe('issue 16: truncation keeps the failing services and never splits a character', () => {
  test('the one failing service of 3000, last in the report, is in the truncated comment', () => {
    const services = Array.from({ length: 3000 }, (_, i) =>
      service(`svc-${String(i).padStart(4, '0')}`, 100),
    );
    services.push(
      service('the-broken-one', undefined, { build: { status: 'failed', durationMs: 1, exitCode: 2 } }),
    );
    const text = renderMarkdown(report(services), exitVerdict(report(services), 'error'), { marker });
    expect(text).toContain('✂️ Truncated');
    expect(text).toContain('| the-broken-one |');
    expect(text.indexOf('the-broken-one')).toBeLessThan(text.indexOf('svc-0000'));
  });

  test('a tiny maxLength cuts between characters, never inside an emoji', () => {
    const head = report([service('😀'.repeat(50), 100)]);
    for (const max of [60, 61, 62, 63, 200, 201]) {
      const text = renderMarkdown(head, exitVerdict(head, 'error'), { marker, maxLength: max });
      expect(text.length).toBeLessThanOrEqual(max);
      expect(text).not.toMatch(/\p{Cs}/u);
    }
  });
});

describe('docs/comment.md', () => {
  const page = readFileSync(path.join(here, '../../../docs/comment.md'), 'utf8');

  test('its example is what the renderer draws for the marked pull request', () => {
    const shown = [...page.matchAll(/^````markdown\n([\s\S]*?)^````$/gm)].map((m) => m[1]!);
    expect(shown).toHaveLength(1);
    const { head, diff } = markedPullRequest();
    const text = renderMarkdown(head, exitVerdict(head, 'error'), {
      diff,
      marker,
      runUrl,
      baselineNote: 'Compared with the main baseline of 2025-01-01 (abc1234).',
    });
    expect(shown[0]).toBe(text);
  });
});

describe('what grew: layers matched by their instruction', () => {
  test.each([
    ['/bin/sh -c #(nop)  COPY dir:abc in /app ', 'COPY dir:abc in /app'],
    ['/bin/sh -c apt-get update &&   apt-get install -y gcc', 'RUN apt-get update && apt-get install -y gcc'],
    ['RUN /bin/sh -c pip install torch # buildkit', 'RUN pip install torch'],
    ['RUN |2 A=1 B=two /bin/sh -c make', 'RUN make'],
    ['COPY . /app # buildkit', 'COPY . /app'],
  ])('instructionText(%j) = %j', (createdBy, text) => {
    expect(instructionText(createdBy)).toBe(text);
  });

  const l = (mb: number, createdBy: string, line?: number) => ({
    size: mb * MB,
    createdBy,
    ...(line !== undefined ? { line } : {}),
  });

  test('largest growth first, at most three, under the threshold left out, new layers whole', () => {
    const base = [
      l(100, 'RUN /bin/sh -c pip install torch # buildkit'),
      l(50, 'COPY . /app'),
      l(10, 'RUN apt-get update'),
    ];
    const head = [
      l(2500, 'RUN pip install torch', 4),
      l(50.5, 'COPY . /app # buildkit', 9),
      l(300, 'RUN pip install transformers', 6),
      l(30, 'RUN apt-get update', 2),
      l(25, 'RUN curl -O https://x.y/model.bin', 7),
    ];
    const grew = layersThatGrew(base, head, 1 * MB);
    expect(grew.map((g) => [g.layer.line, g.growth / MB, g.added])).toEqual([
      [4, 2400, false],
      [6, 300, true],
      [7, 25, true],
    ]);
  });

  test('a repeated instruction is matched in order, and a layer that shrank is not listed', () => {
    const base = [l(40, 'COPY . .'), l(20, 'COPY . .'), l(90, 'RUN make')];
    const head = [l(45, 'COPY . .', 1), l(26, 'COPY . .', 2), l(80, 'RUN make', 3)];
    expect(layersThatGrew(base, head, 1 * MB).map((g) => [g.layer.line, g.growth / MB])).toEqual([
      [2, 6],
      [1, 5],
    ]);
  });

  test('the comment names the Dockerfile line and the instruction of each layer that grew', () => {
    const head = headReport();
    const text = renderMarkdown(head, exitVerdict(head, 'error'), { diff: diffReports(base, head, 1 * MB) });
    const section = text.slice(text.indexOf('<details><summary>api: +50MB'));
    expect(section.slice(0, section.indexOf('</details>'))).toContain(
      '- **+80MB** to 180MB · api/Dockerfile:8 · `RUN pip install -r requirements.txt`',
    );
    expect(section).toContain('| Peak build disk | 2GB | 3.1GB | +1.1GB |');
    expect(section).toContain('| Wasted | 1MB | 31MB | +30MB |');
  });

  test('the main table has five columns and no unchanged row', () => {
    const head = headReport();
    const text = renderMarkdown(head, exitVerdict(head, 'error'), { diff: diffReports(base, head, 1 * MB) });
    const table = text.split('\n\n').find((b) => b.startsWith('| Service | Size | Δ'))!;
    expect(table.split('\n')[0]).toBe('| Service | Size | Δ | Pull Δ | Build Δ |');
    expect(table).not.toContain('| worker |');
    expect(text).toContain('<details><summary>1 service unchanged, 1 service not compared</summary>');
  });
});

describe('truncation counts only our own blocks', () => {
  test('`<details>` quoted in code spans does not open a block to close', () => {
    const head = report(
      Array.from({ length: 20 }, (_, i) =>
        service(`svc-${i}`, 10, {
          findings: Array.from({ length: 3 }, () => ({
            rule: 'r',
            severity: 'warning' as const,
            file: 'Dockerfile',
            message: 'quotes `<details><summary>` and `</details>` and `<details>`',
            fix: 'remove `<details>`',
          })),
        }),
      ),
    );
    for (const maxLength of [2500, 4000, 6000]) {
      const text = renderMarkdown(head, exitVerdict(head, 'error'), { marker, maxLength });
      expect(text.length).toBeLessThanOrEqual(maxLength);
      expect(text).toContain('✂️ Truncated');
      const ours = text.split('\n');
      expect(ours.filter((line) => line.startsWith('<details>')).length).toBe(
        ours.filter((line) => line === '</details>').length,
      );
      expect(problems(text, { links: 0 })).toEqual([]);
    }
  });
});

test('fail-on new without a baseline says so under the headline', () => {
  const head = report([service('api', 300, { violations: [] })]);
  const withNote = renderMarkdown(head, exitVerdict(head, 'new'));
  expect(withNote.split('\n').slice(0, 4)).toContain(
    '> no baseline: fail-on new judged every violation as new',
  );
  expect(renderMarkdown(head, exitVerdict(head, 'error'))).not.toContain('no baseline: fail-on new');
});
