/**
 * The hostile-input suite (issue 16): bad reports, configs, event payloads and report files, table
 * driven. Each case must end in one line naming the file (and field or line), with no stack trace,
 * no quote of the file's contents, within its time limit and under 300 MB; hostile strings that are
 * valid input must render with every other service still reported.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { readEvent } from '../../../src/github/event.js';
import { parseRequest } from '../../../src/pipeline/request.js';
import { renderMarkdown } from '../../../src/render/markdown.js';
import type { Report } from '../../../src/report/model.js';
import { readReport } from '../../../src/report/read.js';
import { readReportFiles } from '../../../src/report/read-files.js';
import { isUserError } from '../../../src/util/errors.js';
import { elements, firstCells, problems, renderGfm } from '../render/gfm.js';
import { report, service } from '../report/fixtures.js';
import { exitVerdict } from '../../../src/budget/verdict.js';
import { problemLine } from '../../../src/util/errors.js';

const MB = 1024 * 1024;

/** Run `fn`, which must throw a UserError; returns its one line after checking the limits. */
function oneLineError(fn: () => unknown, limitMs = 2000): string {
  const heap = process.memoryUsage().heapUsed;
  const started = performance.now();
  let line: string | undefined;
  try {
    fn();
  } catch (error) {
    if (!isUserError(error)) throw error; // a bug: fails the test with its stack
    line = error.toLine();
  }
  expect(performance.now() - started).toBeLessThan(limitMs);
  expect(process.memoryUsage().heapUsed - heap).toBeLessThan(300 * MB);
  expect(line, 'expected a UserError').toBeDefined();
  expect(line).not.toContain('\n');
  expect(line).not.toMatch(/\bat .*:\d+:\d+/);
  return line!;
}

const good = report([service('api', 100), service('worker', 200)]);
const goodJson = JSON.parse(JSON.stringify(good)) as Record<string, unknown> & {
  services: Record<string, unknown>[];
};

/** The good report with `edit` applied to a copy. */
function withEdit(edit: (r: typeof goodJson) => void): string {
  const copy = JSON.parse(JSON.stringify(goodJson)) as typeof goodJson;
  edit(copy);
  return JSON.stringify(copy);
}
const svc = (r: typeof goodJson, i = 0) => r.services[i] as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The one line a bad report ends in: the reader's error when the report as a whole is refused, or,
 * when one service entry is bad, that service's error; then the other service still reports, whole,
 * and the comment shows both.
 */
function reportOutcome(text: string): string {
  let read: Report | undefined;
  let thrown: string | undefined;
  const heap = process.memoryUsage().heapUsed;
  const started = performance.now();
  try {
    read = readReport(text, 'r.json');
  } catch (error) {
    if (!isUserError(error)) throw error;
    thrown = error.toLine();
  }
  expect(performance.now() - started).toBeLessThan(2000);
  expect(process.memoryUsage().heapUsed - heap).toBeLessThan(300 * MB);
  const found = read?.services.find((s) => s.error)?.error;
  const line = thrown ?? (found ? problemLine(found) : undefined);
  expect(line, 'expected an error line').toBeDefined();
  expect(line).not.toContain('\n');
  if (read) {
    const others = read.services.filter((s) => !s.error);
    expect(others.map((s) => [s.name, s.image?.size])).toEqual([['worker', 200_000_000]]);
    const md = renderMarkdown(read, exitVerdict(read, 'error'));
    expect(problems(md, { links: 0 })).toEqual([]);
    expect(firstCells(md)).toContain('worker');
  }
  return line!;
}

const SECRET_CONTENT = 'root:$6$shadowhash:19000:0:99999:7:::';

describe('reports: one line naming the file and the field, nothing of the file quoted', () => {
  test.each<[string, string, RegExp]>([
    ['empty file', '', /^r\.json: not a valid report: corrupt JSON$/],
    ['a file of /etc/shadow', SECRET_CONTENT, /^r\.json: not a valid report: corrupt JSON$/],
    ['truncated JSON', JSON.stringify(good).slice(0, 50), /corrupt JSON$/],
    ['a JSON string', '"report"', /expected a JSON object$/],
    ['a JSON number', '42', /expected a JSON object$/],
    ['null', 'null', /expected a JSON object$/],
    ['an array', '[{"schemaVersion":1}]', /expected a JSON object$/],
    ['no schemaVersion', '{"services":[]}', /no schemaVersion$/],
    ['schemaVersion as a string', withEdit((r) => (r.schemaVersion = '1')), /no schemaVersion$/],
    ['schemaVersion 1.5', withEdit((r) => (r.schemaVersion = 1.5)), /no schemaVersion$/],
    [
      'schemaVersion 1e308',
      withEdit((r) => (r.schemaVersion = 1e308)),
      /is newer than this image-budget reads/,
    ],
    ['schemaVersion -1', withEdit((r) => (r.schemaVersion = -1)), /is too old to read/],
    [
      'services missing',
      withEdit((r) => delete (r as Record<string, unknown>).services),
      /services: expected array$/,
    ],
    [
      'services an object',
      withEdit((r) => ((r as Record<string, unknown>).services = {})),
      /services: expected array$/,
    ],
    ['a service null', withEdit((r) => (r.services[0] = null as never)), /services\[0\]: expected object$/],
    ['service name empty', withEdit((r) => (svc(r).name = '')), /services\[0\]\.name: too small/],
    [
      'service name 10k characters',
      withEdit((r) => (svc(r).name = 'x'.repeat(10_000))),
      /services\[0\]\.name: too big \(at most 512 characters\)$/,
    ],
    ['service name a number', withEdit((r) => (svc(r).name = 7)), /services\[0\]\.name: expected string$/],
    ['built "false"', withEdit((r) => (svc(r).built = 'false')), /services\[0\]\.built: expected boolean$/],
    [
      'build.status unknown',
      withEdit((r) => (svc(r).build.status = 'passed ✅')),
      /services\[0\]\.build\.status: not one of the allowed values$/,
    ],
    [
      'durationMs negative',
      withEdit((r) => (svc(r).build.durationMs = -1)),
      /services\[0\]\.build\.durationMs: too small/,
    ],
    [
      'durationMs 1e999 (Infinity)',
      JSON.stringify(good).replace('"durationMs":60000', '"durationMs":1e999'),
      /services\[0\]\.build\.durationMs: expected number$/,
    ],
    [
      'durationMs a string',
      withEdit((r) => (svc(r).build.durationMs = '60s')),
      /durationMs: expected number$/,
    ],
    [
      'image.size a fraction',
      withEdit((r) => (svc(r).image.size = 1.5)),
      /services\[0\]\.image\.size: expected int$/,
    ],
    ['image.size negative', withEdit((r) => (svc(r).image.size = -100)), /image\.size: too small/],
    ['image.size past 2^53', withEdit((r) => (svc(r).image.size = 2 ** 60)), /image\.size: /],
    [
      'image.size markdown',
      withEdit((r) => (svc(r).image.size = '1GB ✅ passed')),
      /image\.size: expected number$/,
    ],
    [
      'image.layers a string',
      withEdit((r) => (svc(r).image.layers = '<img>')),
      /image\.layers: expected number$/,
    ],
    [
      'logTail a string',
      withEdit((r) => (svc(r).build.logTail = '</details>')),
      /build\.logTail: expected array$/,
    ],
    [
      'logTail of 50,000 lines',
      withEdit((r) => (svc(r).build.logTail = Array(50_000).fill('x'))),
      /build\.logTail: too big \(at most 20000 items\)$/,
    ],
    [
      'steps with a string duration',
      withEdit((r) => (svc(r).build.steps = [{ name: 's', durationMs: '1', cached: false }])),
      /build\.steps\[0\]\.durationMs: expected number$/,
    ],
    [
      'finding severity critical',
      withEdit((r) => (svc(r).findings = [{ rule: 'x', severity: 'critical', file: 'f', message: 'm' }])),
      /findings\[0\]\.severity: not one of the allowed values$/,
    ],
    [
      'finding line 0',
      withEdit(
        (r) => (svc(r).findings = [{ rule: 'x', severity: 'note', file: 'f', message: 'm', line: 0 }]),
      ),
      /findings\[0\]\.line: too small/,
    ],
    [
      'finding line "3) @team"',
      withEdit(
        (r) =>
          (svc(r).findings = [{ rule: 'x', severity: 'note', file: 'f', message: 'm', line: '3) @team' }]),
      ),
      /findings\[0\]\.line: expected number$/,
    ],
    [
      'finding fix a number',
      withEdit((r) => (svc(r).findings = [{ rule: 'x', severity: 'note', file: 'f', message: 'm', fix: 1 }])),
      /findings\[0\]\.fix: expected string$/,
    ],
    [
      'violation unit parsecs',
      withEdit(
        (r) =>
          (r.violations = [
            {
              service: 's',
              budget: 'b',
              limit: 1,
              actual: 2,
              unit: 'parsecs',
              severity: 'error',
              message: 'm',
            },
          ]),
      ),
      /violations\[0\]\.unit: not one of the allowed values$/,
    ],
    [
      'violation limit null',
      withEdit(
        (r) =>
          (r.violations = [
            {
              service: 's',
              budget: 'b',
              limit: null,
              actual: 2,
              unit: 'bytes',
              severity: 'error',
              message: 'm',
            },
          ]),
      ),
      /violations\[0\]\.limit: expected number$/,
    ],
    ['errors of numbers', withEdit((r) => (r.errors = [1, 2])), /errors\[0\]: expected object$/],
    [
      'git.pullRequest "7"',
      withEdit((r) => (r.git = { pullRequest: '7' })),
      /git\.pullRequest: expected number$/,
    ],
    [
      'git.pullRequest 7.5',
      withEdit((r) => (r.git = { pullRequest: 7.5 })),
      /git\.pullRequest: expected int$/,
    ],
    ['git.pullRequest -1', withEdit((r) => (r.git = { pullRequest: -1 })), /git\.pullRequest: too small/],
    [
      'git.pullRequest 2^40',
      withEdit((r) => (r.git = { pullRequest: 2 ** 40 })),
      /git\.pullRequest: too big/,
    ],
    [
      'a message of 100k characters',
      withEdit((r) => (svc(r).error = { message: 'x'.repeat(100_000) })),
      /services\[0\]\.error\.message: too big/,
    ],
    [
      'two services of one name',
      withEdit((r) => (svc(r, 1).name = 'api')),
      /services\[1\]: a service of that name comes earlier$/,
    ],
    [
      '11,000 services',
      withEdit(
        (r) => (r.services = Array.from({ length: 11_000 }, (_, i) => ({ name: `s${i}`, built: false }))),
      ),
      /services: too big \(at most 10000 items\)$/,
    ],
    [
      'findings nested 10,000 deep',
      JSON.stringify(good).replace('"findings":[]', `"findings":${'['.repeat(10_000)}${']'.repeat(10_000)}`),
      /findings\[0\]: expected object$/,
    ],
  ])('%s', (_name, text, expected) => {
    const line = reportOutcome(text);
    expect(line).toMatch(/^r\.json: /);
    expect(line).toMatch(expected);
    expect(line).not.toContain('shadowhash');
  });

  test('unknown fields, __proto__ included, are dropped and pollute nothing', () => {
    const text = JSON.stringify(good).replace('{', '{"__proto__":{"polluted":true},"extra":"<img>",');
    const read = readReport(text, 'r.json') as unknown as Record<string, unknown>;
    expect(read).not.toHaveProperty('extra');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
  });

  test('tool.name other than ours is read as ours; totals are recomputed, never trusted', () => {
    const text = withEdit((r) => {
      r.tool = { name: '<b>evil</b>', version: '1' };
      r.totals = { size: '9 PB ✅', buildDurationMs: 1, services: 0 };
    });
    const read = readReport(text, 'r.json');
    expect(read.tool.name).toBe('image-budget');
    expect(read.totals.size).toBe(300_000_000);
  });
});

describe('report files (mode: comment, merge): bounded, regular, nothing quoted', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ib-reports-'));
  writeFileSync(path.join(dir, 'shadow'), SECRET_CONTENT);
  symlinkSync('/dev/zero', path.join(dir, 'zero.json'));
  symlinkSync(path.join(dir, 'shadow'), path.join(dir, 'link.json'));
  mkdirSync(path.join(dir, 'folder.json'));
  writeFileSync(path.join(dir, 'big.json'), Buffer.alloc(33 * MB, 0x20));
  test.each<[string, string, RegExp]>([
    ['/dev/zero behind a symlink', 'zero.json', /^zero\.json: cannot read the report: is not a regular file/],
    ['a symlink to a non-report', 'link.json', /^link\.json: not a valid report: corrupt JSON$/],
    ['a missing file', 'nope.json', /^nope\.json: cannot read the report: no such file or folder$/],
    [
      'a file over 32 MiB',
      'big.json',
      /^big\.json: cannot read the report: is larger than 32 MiB: not read$/,
    ],
    ['an empty folder', 'folder.json', /^no report found in folder\.json$/],
  ])('%s', (_name, file, expected) => {
    const line = oneLineError(() => readReportFiles([file], dir), 5000);
    expect(line).toMatch(expected);
    expect(line).not.toContain('shadowhash');
  });
});

describe('configs: unsafe custom patterns are refused with one line', () => {
  const config = (regex: string) =>
    `lint:\n  patterns:\n    - id: no-x\n      regex: ${JSON.stringify(regex)}\n      message: m\n`;
  test.each([
    ['^(a+)+$'],
    ['(x+x+)+y'],
    ['(\\w+\\s?)*$'],
    ['^(([a-z])+.)+[A-Z]([a-z])+$'],
    ['(a*)*b'],
    ['((ab)*)+c'],
  ])('%s', (regex) => {
    const line = oneLineError(() => parseConfig(config(regex), '.github/image-budget.yml'));
    expect(line).toBe(
      '.github/image-budget.yml:4: lint.patterns[0].regex: may take exponential time on some lines (nested repetition such as (a+)+): write it without a repeated group that repeats',
    );
  });

  test.each([['^RUN\\s+curl.*\\|\\s*sh'], ['^FROM\\s+\\S+:latest'], ['pip install (?!--no-cache-dir)']])(
    'a safe one is kept: %s',
    (regex) => {
      expect(parseConfig(config(regex), 'c.yml').lint.patterns[0]!.regex).toBe(regex);
    },
  );
});

describe('event payloads: one line, nothing quoted', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ib-event-'));
  const file = (name: string, text: string | Buffer) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  symlinkSync('/dev/zero', path.join(dir, 'zero.json'));
  const repo = { full_name: 'acme/shop', default_branch: 'main' };
  test.each<[string, string, string, RegExp]>([
    ['not JSON', 'pull_request', file('a.json', SECRET_CONTENT), /: the event payload is not valid JSON$/],
    ['empty', 'push', file('b.json', ''), /: the event payload is not valid JSON$/],
    ['a JSON array', 'push', file('c.json', '[]'), /: the event payload is not a JSON object$/],
    ['null', 'push', file('d.json', 'null'), /: the event payload is not a JSON object$/],
    [
      '/dev/zero',
      'push',
      path.join(dir, 'zero.json'),
      /: cannot read the event payload: is not a regular file/,
    ],
    ['a folder', 'push', dir, /: cannot read the event payload: is a folder, not a file$/],
    [
      'no pull_request',
      'pull_request',
      file('e.json', JSON.stringify({ repository: repo })),
      /has no pull_request$/,
    ],
    [
      'number as a string',
      'pull_request',
      file(
        'f.json',
        JSON.stringify({
          repository: repo,
          pull_request: { number: '7', base: { ref: 'main' }, head: { sha: 'a' } },
        }),
      ),
      /has no pull_request\.number$/,
    ],
    [
      'number a fraction',
      'pull_request',
      file(
        'g.json',
        JSON.stringify({
          repository: repo,
          pull_request: { number: 7.5, base: { ref: 'main' }, head: { sha: 'a' } },
        }),
      ),
      /has no pull_request\.number$/,
    ],
    [
      'no head sha',
      'pull_request',
      file(
        'h.json',
        JSON.stringify({ repository: repo, pull_request: { number: 7, base: { ref: 'main' }, head: {} } }),
      ),
      /has no pull_request\.head\.sha$/,
    ],
    [
      'workflow_run without id',
      'workflow_run',
      file('i.json', JSON.stringify({ repository: repo, workflow_run: { head_sha: 'a' } })),
      /has no workflow_run\.id$/,
    ],
    [
      'a repository name with three parts',
      'push',
      file('j.json', JSON.stringify({ repository: { full_name: 'a/b/c' }, ref: 'refs/heads/x', after: 'a' })),
      /has no repository$/,
    ],
  ])('%s', (_name, eventName, eventPath, expected) => {
    const line = oneLineError(() =>
      readEvent({ GITHUB_EVENT_NAME: eventName, GITHUB_EVENT_PATH: eventPath }),
    );
    expect(line).toMatch(expected);
    expect(line).not.toContain('shadowhash');
  });
});

describe('hostile strings in one field: the comment stays clean and the other services report', () => {
  const PAYLOADS = [
    '0)\n\n### ✅ all budgets passed',
    '<img src=https://evil.example/t.png>',
    '</details></details></details>',
    '<details><summary>x',
    '[phish](https://evil.example)',
    '![t](https://evil.example/t.png)',
    '@org/team please approve',
    'closes #1 and GH-2',
    'a | b | c | d | e | f | g | h',
    '```\n</details>\n```',
    '\u202eevil\u2066',
    '\u200b@\u200bteam\ufeff\u2060',
    '\ud83d', // a lone high surrogate
    '😀'.repeat(400),
    '<!-- image-budget:ci/job -->',
    'javascript:alert(1)',
    '\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007',
    '$$\\begin{x}$$',
    '[^1]\n\n[^1]: https://evil.example',
    '    indented code',
  ];
  const fields: [string, (s: string) => Parameters<typeof service>[2]][] = [
    ['error', (s) => ({ error: { message: s } })],
    ['a finding message', (s) => ({ findings: [{ rule: 'r', severity: 'error', file: 'f', message: s }] })],
    [
      'a finding fix',
      (s) => ({ findings: [{ rule: 'r', severity: 'error', file: 'f', message: 'm', fix: s }] }),
    ],
    ['a log line', (s) => ({ build: { status: 'failed', durationMs: 1, exitCode: 2, logTail: [s] } })],
    [
      'a layer',
      (s) => ({ image: { id: 'i', size: 5e8, layers: 1, largestLayers: [{ size: 5e8, createdBy: s }] } }),
    ],
  ];
  const cases = fields.flatMap(([field, make]) => PAYLOADS.map((p) => [field, p, make] as const));
  test.each(cases)('%s: %j', (_field, payload, make) => {
    const head = readReport(
      JSON.stringify(
        report([service('api', 100), service('evil', 200, make(payload)), service('worker', 300)]),
      ),
      'fork.json',
    );
    const md = renderMarkdown(head, exitVerdict(head, 'error'), {
      runUrl: 'https://github.com/a/b/actions/runs/1',
    });
    expect(problems(md, { links: 1 })).toEqual([]);
    // One heading, ours (a forged one inside a code block is shown as code).
    expect(elements(renderGfm(md)).filter((e) => e.name === 'h3')).toHaveLength(1);
    expect(firstCells(md).filter((c) => c !== 'Total')).toEqual(
      expect.arrayContaining(['api', 'evil', 'worker']),
    );
    expect(md.length).toBeLessThan(65_000);
    // No lone surrogate in the body sent to the API.
    expect(md).not.toMatch(/\p{Cs}/u);
  });
});

describe('action inputs: one line naming the input', () => {
  test.each<[Record<string, string>, RegExp]>([
    [{ 'fail-on': 'sometimes' }, /^input fail-on: "sometimes" is not one of error, warning, new, never$/],
    [
      { comment: 'sometimes' },
      /^input comment: "sometimes" is not one of always, on-change, on-failure, never$/,
    ],
    [{ mode: 'delete' }, /^input mode: "delete" is not one of run, comment$/],
    [{ 'max-size': 'abc' }, /^input max-size: "abc" is not a size/],
    [{ 'max-size': '-5MB' }, /^input max-size: "-5MB" is negative/],
    [{ 'max-size': '1'.repeat(310) }, /^input max-size: "1+" is too large/],
    [{ 'max-build-time': '10 parsecs' }, /^input max-build-time: "10 parsecs" is not a duration/],
    [{ 'max-growth': '%%' }, /^input max-growth: "%%" is not a percentage/],
    [{ 'noise-threshold': '-1' }, /^input noise-threshold: "-1" is negative/],
    [{ 'min-free-disk': '1e400' }, /^input min-free-disk: "1e400" is not a size/],
    [{ 'lint-only': 'maybe' }, /^input lint-only: "maybe" is not a boolean/],
    [{ analyze: 'yes please' }, /^input analyze: "yes please" is not a boolean/],
    [{ parallel: '0' }, /^input parallel: "0" is not a whole number from 1 to 9999$/],
    [{ parallel: 'many' }, /^input parallel: "many" is not a whole number/],
  ])('%j', (raw, expected) => {
    expect(oneLineError(() => parseRequest(raw))).toMatch(expected);
  });
});
