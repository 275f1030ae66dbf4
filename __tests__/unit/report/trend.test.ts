// @vitest-environment jsdom
/**
 * The size trend: two baselines saved on the default branch (through the fake Actions cache of the
 * store tests) give a pull request's comment a two-point trend, a Mermaid `xychart-beta` that
 * Mermaid's own parser (the `mermaid` package, whose sanitizer needs a DOM: jsdom here) accepts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { diffReports } from '../../../src/report/diff.js';
import { renderMarkdown } from '../../../src/render/markdown.js';
import { appendRun, type TrendRun } from '../../../src/report/trend.js';
import { trendChart, trendMarkdown, trendText } from '../../../src/render/trend.js';
import { historyForSave, restoreBaseline, saveBaseline } from '../../../src/store/baseline.js';
import { HISTORY_FILE, historyText, readHistory } from '../../../src/store/history.js';
import { FakeCache } from '../../support/fake-cache.js';
import { report, service } from './fixtures.js';
import { exitVerdict } from '../../../src/budget/verdict.js';

type Mermaid = { parse: (text: string) => Promise<unknown> };
let mermaid: Mermaid;
beforeAll(async () => {
  mermaid = (await import('mermaid')).default as unknown as Mermaid;
});

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'ib-trend-'));

/** The mermaid block of a markdown text. */
function mermaidBlock(markdown: string): string {
  const block = /^```mermaid\n([\s\S]*?)\n```$/m.exec(markdown);
  if (!block) throw new Error('no mermaid block');
  return block[1]!;
}

const run = (sha: string, sizes: Record<string, number>, date = '2026-11-30T10:00:00.000Z'): TrendRun => ({
  sha,
  date,
  services: Object.fromEntries(Object.entries(sizes).map(([name, mb]) => [name, { size: mb * 1e6 }])),
});

describe('size trend', () => {
  test('two baselines saved on main give the pull request a two-point trend', async () => {
    const cache = new FakeCache();
    const shas = ['aaaaaaa1111', 'bbbbbbb2222'];
    const sizes = [
      { api: 100, web: 50 },
      { api: 120, web: 50 },
    ];
    for (const [i, sha] of shas.entries()) {
      const saved = report([service('api', sizes[i]!.api), service('web', sizes[i]!.web)], {
        git: { sha },
        createdAt: `2026-11-${29 + i}T10:00:00.000Z`,
      });
      const { runs, warning } = await historyForSave(cache, 'main', saved, tmp());
      expect(warning).toBeUndefined();
      expect(runs).toHaveLength(i + 1);
      const result = await saveBaseline({
        cache,
        report: saved,
        branch: 'main',
        runId: 10 + i,
        dir: tmp(),
        history: runs,
      });
      expect(result.saved).toBe(true);
    }

    const restored = await restoreBaseline({ cache, branch: 'main', dir: tmp() });
    expect(restored.history?.map((r) => [r.sha, r.services.api?.size])).toEqual([
      ['aaaaaaa1111', 100e6],
      ['bbbbbbb2222', 120e6],
    ]);
    const head = report([service('api', 150), service('web', 50)], { git: { sha: 'ccccccc3333' } });
    const markdown = renderMarkdown(head, exitVerdict(head, 'error'), {
      diff: diffReports(restored.report, head),
      trend: restored.history!,
    });
    expect(markdown).toContain('#### Size trend: the total and api, last 2 runs of the default branch');
    const chart = mermaidBlock(markdown);
    expect(chart.split('\n')).toEqual([
      'xychart-beta',
      '  title "Image sizes (MB)"',
      '  x-axis ["aaaaaaa", "bbbbbbb"]',
      '  y-axis "MB" 0 --> 188',
      '  line "total" [150, 170]',
      '  line "api" [100, 120]',
    ]);
    await expect(mermaid.parse(chart)).resolves.toMatchObject({ diagramType: 'xychart' });
    // The numbers, collapsed, for readers without Mermaid.
    expect(markdown).toContain('<details><summary>Trend numbers</summary>');
    expect(markdown).toContain('| aaaaaaa | 2026-11-29 | 150MB |  | 2m00s | 100MB |');
    expect(markdown).toContain('| bbbbbbb | 2026-11-30 | 170MB |  | 2m00s | 120MB |');
  });

  test('a baseline from before histories starts the trend with its own run', async () => {
    const cache = new FakeCache();
    const old = report([service('api', 90)], { git: { sha: 'fffffff0000' } });
    await saveBaseline({ cache, report: old, branch: 'main', runId: 1, dir: tmp() });
    const next = report([service('api', 95)], { git: { sha: 'eeeeeee0000' } });
    const { runs } = await historyForSave(cache, 'main', next, tmp());
    expect(runs.map((r) => r.sha)).toEqual(['fffffff0000', 'eeeeeee0000']);
  });

  test('at most 30 runs are kept, the oldest dropped', () => {
    let runs: TrendRun[] = [];
    for (let i = 0; i < 35; i++) runs = appendRun(runs, run(`sha${i}`, { api: i }));
    expect(runs).toHaveLength(30);
    expect(runs[0]?.sha).toBe('sha5');
  });

  test('hostile service names and shas cannot break out of the chart or the table', async () => {
    const runs = [
      run('"] \n```\n<img src=x>', { 'a"b]\n`x`': 1, '@team #1 <b>': 2 }),
      run('x', { 'a"b]\n`x`': 3, '@team #1 <b>': 4 }),
    ];
    const markdown = trendMarkdown(runs)!;
    const chart = mermaidBlock(markdown);
    await expect(mermaid.parse(chart)).resolves.toMatchObject({ diagramType: 'xychart' });
    expect(chart).not.toMatch(/[<`@#]/);
    expect(markdown).not.toContain('<img');
    expect(markdown).not.toContain('<b>');
    expect(markdown).toContain('@&#8203;team');
  });

  test('a chart Mermaid rejects is caught by this test (the parser is real)', async () => {
    await expect(mermaid.parse(`${trendChart([run('a', { x: 1 })], [])}\n  line [1, "x"]`)).rejects.toThrow(
      /Parse error/,
    );
  });

  test('one run is no trend; the terminal prints every run', () => {
    expect(trendMarkdown([run('a', { api: 1 })])).toBeUndefined();
    expect(trendText([run('aaaaaaa1', { api: 100, web: 5 }), run('bbbbbbb2', { api: 120, web: 5 })])).toBe(
      [
        'RUN      DATE        TOTAL  COMPRESSED  BUILD  API    WEB',
        'aaaaaaa  2026-11-30  105MB                     100MB  5MB',
        'bbbbbbb  2026-11-30  125MB                     120MB  5MB',
        '',
      ].join('\n'),
    );
  });
});

describe('readHistory', () => {
  test('a history file round-trips; a broken one is a warning and no runs', () => {
    const runs = [run('a', { api: 1 })];
    expect(readHistory(historyText(runs), HISTORY_FILE)).toEqual({ runs });
    expect(readHistory('{', 'h.json')).toEqual({
      runs: [],
      warning: 'h.json: not JSON: the trend starts again',
    });
    expect(
      readHistory('{"version":1,"runs":[{"date":"x","services":{"api":{"size":-1}}}]}', 'h.json'),
    ).toEqual({
      runs: [],
      warning: 'h.json: not a history file at runs.0.services.api.size: the trend starts again',
    });
  });

  test('image-budget history prints a saved history file', async () => {
    const { cli } = await import('../../../src/cli/main.js');
    const dir = tmp();
    writeFileSync(
      path.join(dir, HISTORY_FILE),
      historyText([run('aaaaaaa1', { api: 100 }), run('bbbbbbb2', { api: 80 })]),
    );
    let out = '';
    const io = { stdout: (t: string) => void (out += t), stderr: () => undefined, env: {}, cwd: dir };
    expect(await cli(['history', '.'], io)).toBe(0);
    expect(out).toContain('bbbbbbb  2026-11-30  80MB');
    expect(await cli(['history'], io)).toBe(2); // no Actions cache outside a workflow
  });
});
