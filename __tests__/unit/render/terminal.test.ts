/** The CLI's table: fits 100 columns (or a narrower terminal, not under 60) unless --wide. */
import { describe, expect, test } from 'vitest';
import { markAgainst } from '../../../src/report/marks.js';
import type { Finding, Report, Violation } from '../../../src/report/model.js';
import { renderTerminal, terminalWidth, timeLine } from '../../../src/render/terminal.js';
import { MB, report, service } from '../report/fixtures.js';
import { problemLine } from '../../../src/util/errors.js';

/** Columns a line takes, in code points. */
const cols = (line: string): number => [...line].length;
const widest = (text: string): number => Math.max(...text.split('\n').map(cols));

const TORCH_FIX =
  'install CPU torch first (`pip install torch --index-url https://download.pytorch.org/whl/cpu`) or add `--extra-index-url https://download.pytorch.org/whl/cpu` to this install';
const LONG_URL = `https://example.com/${'very-long-path-segment/'.repeat(3)}index.html`;

function finding(i: number, extra: Partial<Finding> = {}): Finding {
  return {
    rule: i % 2 ? 'cuda-torch' : 'pip-cache',
    severity: i % 3 ? 'warning' : 'error',
    file: `services/${'deeply-nested-folder/'.repeat(i % 4)}svc-${i}/requirements.txt`,
    line: 3 + i,
    column: 1,
    message:
      `torch from PyPI is the CUDA build: 2.5GB of CUDA libraries that a CPU host never loads, in ` +
      `layer ${i}; see ${LONG_URL} for the whole story of why the wheel is so large on Linux`,
    fix: TORCH_FIX,
    ...extra,
  };
}

function violation(name: string, extra: Partial<Violation> = {}): Violation {
  return {
    service: name,
    budget: 'max-size',
    limit: 250 * MB,
    actual: 263 * MB,
    unit: 'bytes',
    severity: 'error',
    message: `${name}: size 263MB, over max-size 250MB (set in .github/image-budget.yml line 12, services.${name}.max-size)`,
    ...extra,
  };
}

/** Many services, long names, long findings, a failed build with long log lines, an image-only service. */
function bigReport(): Report {
  const services = Array.from({ length: 12 }, (_, i) => {
    const name = i % 3 === 0 ? `service-with-a-really-long-descriptive-name-${i}` : `svc${i}`;
    return service(name, 100 + i * 37.5, {
      image: {
        id: `sha256:${i}`,
        tag: `registry.example.com/some-team/image-budget/${name}:0123456789abcdef`,
        size: (100 + i * 37.5) * MB,
        compressedSize: (40 + i) * MB,
        layers: 10 + i,
        wastedBytes: i * 3 * MB,
      },
      build: {
        status: 'success',
        durationMs: 61_000 + i * 1000,
        steps: [],
        executedSteps: 12,
        cachedSteps: 130,
      },
      findings: [finding(i), finding(i + 1)],
      violations: i % 4 === 0 ? [violation(name)] : [],
    });
  });
  services.push(
    service('broken-build-of-a-service-with-a-long-name', undefined, {
      build: {
        status: 'failed',
        durationMs: 3200,
        exitCode: 1,
        logTail: Array.from(
          { length: 25 },
          (_, i) => `#8 0.${i} ${'compiling a very long module name with flags '.repeat(4)}line ${i}`,
        ),
        logFile: '/tmp/image-budget/1733-42/builds/broken-build-of-a-service-with-a-long-name.build.log',
      },
      error: {
        message: 'step "[3/3] RUN make -j8 all install" failed: exit code: 2',
        file: 'services/broken/Dockerfile',
        line: 3,
      },
    }),
    service('db', undefined, {
      imageRef: 'docker.io/library/postgres:16.4-alpine3.20@sha256:0123456789abcdef',
    }),
  );
  return report(services, {
    durationMs: 41_000,
    phases: { lintMs: 300, buildsMs: 35_000, analysisMs: 12_000 },
    errors: [
      {
        message: 'service "ghost" in .github/image-budget.yml is not in the compose file',
        file: 'compose.yaml',
        line: 40,
      },
    ],
  });
}

describe('renderTerminal fits the width', () => {
  test.each([100, 80, 60])('every line of a big report is at most %i columns', (width) => {
    const text = renderTerminal(bigReport(), { width });
    // Only a word that is longer than the line by itself (a URL, a command, a path) may pass it,
    // on a line of its own: never at 100 columns in this report.
    const over = text.split('\n').filter((line) => cols(line) > width);
    if (width === 100) expect(over).toEqual([]);
    for (const line of over) expect(line).toMatch(/^(\S+|\(?`[^`]+`\)?)$/);
    // Nothing is lost that a user must copy: the fix command and the URL are whole, on one line.
    expect(text).toContain('`pip install torch --index-url https://download.pytorch.org/whl/cpu`');
    expect(text).toContain(LONG_URL);
    expect(text).toContain(
      '/tmp/image-budget/1733-42/builds/broken-build-of-a-service-with-a-long-name.build.log',
    );
  });

  test('--wide keeps every text whole, one line each, with the long headers and the image tags', () => {
    const big = bigReport();
    const text = renderTerminal(big, { wide: true, width: 60 });
    expect(widest(text)).toBeGreaterThan(200);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(
      /^SERVICE +STATUS +SIZE +COMPRESSED +LAYERS +WASTED +BUILD +STEPS RUN\/CACHED +FINDINGS +IMAGE$/,
    );
    for (const f of big.services.flatMap((s) => s.findings)) {
      expect(lines.some((l) => l.includes(f.message))).toBe(true);
      expect(lines.some((l) => l.endsWith(`fix: ${f.fix!}`))).toBe(true);
    }
    expect(text).toContain('registry.example.com/some-team/image-budget/svc1:0123456789abcdef');
    expect(text).toContain(`✗ ${problemLine(big.errors[0]!)}`);
    expect(text).not.toContain('…');
  });

  test('the fitted table: short headers, a legend, long names cut with an ellipsis', () => {
    const text = renderTerminal(bigReport(), { width: 100 });
    const [header] = text.split('\n');
    expect(header).toMatch(/^SERVICE +STATUS +SIZE +PULL +LAYERS +WASTED +BUILD +STEPS +FINDINGS$/);
    expect(text).toMatch(/^service-with-a-\S*… /m);
    expect(text).toContain(
      'PULL: compressed size; STEPS: run/cached; FINDINGS: Errors, Warnings; --wide: image tags, full text',
    );
    // An image-only service names its image in STATUS, cut to fit.
    expect(text).toMatch(/^db +image docker\.io\/libr…$/m);
  });

  test('at 60 columns, columns are dropped (the legend names them) rather than lines overflowing', () => {
    const text = renderTerminal(bigReport(), { width: 60 });
    const [header] = text.split('\n');
    expect(header).not.toContain('LAYERS');
    expect(header).toMatch(/^SERVICE +STATUS +SIZE/);
    expect(text.replace(/\n {2}/g, ' ')).toMatch(/--wide: LAYERS(, [A-Z]+)*, image tags, full text/);
  });

  test('a finding wraps at word boundaries with a hanging indent, the fix after it', () => {
    const f = finding(1);
    const text = renderTerminal(report([service('api', 100, { findings: [f] })]), { width: 100 });
    const lines = text.split('\n');
    const first = lines.findIndex((l) => l.startsWith(`${f.file}:4:1`));
    expect(lines[first]).toMatch(/requirements\.txt:4:1 +warning +cuda-torch +torch from PyPI/);
    expect(lines[first + 1]).toMatch(/^ {4}\S/);
    const fix = lines.findIndex((l) => l.startsWith('    fix: '));
    expect(fix).toBeGreaterThan(first);
    // The fix's next line hangs under its text; the words, put back together, are the fix.
    const fixText = [
      lines[fix]!.slice('    fix: '.length),
      ...lines.slice(fix + 1).filter((l) => l.startsWith('         ')),
    ]
      .map((l) => l.trim())
      .join(' ');
    expect(fixText.startsWith(f.fix!)).toBe(true);
    // The message, too: no word was broken.
    const message = [lines[first]!.replace(/^.*?cuda-torch {2}/, ''), ...lines.slice(first + 1, fix)]
      .map((l) => l.trim())
      .join(' ');
    expect(message).toBe(f.message);
  });

  test('a URL longer than the line goes on a line of its own, whole', () => {
    const url = `https://example.com/${'x'.repeat(120)}`;
    const text = renderTerminal(
      report([
        service('api', 100, { findings: [finding(0, { message: `see ${url} now`, fix: undefined })] }),
      ]),
      { width: 80 },
    );
    expect(text.split('\n')).toContain(url);
  });
});

describe('a failed build', () => {
  test('shows its last 20 log lines and its log path, indented under its row', () => {
    const tail = Array.from({ length: 25 }, (_, i) => `log line ${i}`);
    const r = report([
      service('api', undefined, {
        build: {
          status: 'failed',
          durationMs: 1000,
          exitCode: 2,
          logTail: tail,
          logFile: '/tmp/ib/api.build.log',
        },
        error: { message: 'step "[2/2] RUN make" failed: exit code: 2', file: 'api/Dockerfile', line: 3 },
      }),
      service('worker', 50),
    ]);
    const lines = renderTerminal(r).split('\n');
    const row = lines.findIndex((l) => l.startsWith('api '));
    expect(lines.slice(row + 1, row + 22)).toEqual([
      ...tail.slice(5).map((l) => `    ${l}`),
      '    log: /tmp/ib/api.build.log',
    ]);
    expect(lines[row + 22]).toMatch(/^worker /);
    expect(lines).toContain('✗ api/Dockerfile:3: step "[2/2] RUN make" failed: exit code: 2');
  });

  test.each([false, true])('control characters in names and messages never pass (wide: %s)', (wide) => {
    const evil = 'x\u001b[2J\u009b1m\nforged line\tand\u202e tab';
    const r = report(
      [
        service(`svc${evil}`, 10, {
          findings: [finding(1, { message: evil, fix: evil, file: `a${evil}/Dockerfile` })],
          violations: [violation('svc', { message: evil })],
          warnings: [evil],
        }),
      ],
      { errors: [{ message: evil }] },
    );
    const text = renderTerminal(r, { wide });
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(text.split('\n').filter((l) => l.startsWith('forged'))).toEqual([]);
  });

  test('control characters in a log line never reach the terminal', () => {
    const r = report([
      service('api', undefined, {
        build: { status: 'failed', durationMs: 1, logTail: ['\u001b]0;pwned\u0007 \u001b[2J\tx'] },
      }),
    ]);
    const text = renderTerminal(r);
    expect(text).toContain('    ?]0;pwned? ?[2J x');
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});

describe('against a baseline', () => {
  const base = report([
    service('api', 263, { violations: [violation('api')] }),
    service('voice', 900, {
      violations: [
        violation('voice', { actual: 900 * MB, message: 'voice: size 900MB, over max-size 250MB' }),
      ],
      findings: [finding(1, { file: 'voice/requirements.txt' })],
    }),
    service('rag', 100),
  ]);
  const head = markAgainst(
    base,
    report(
      [
        service('api', 104),
        service('voice', 900, {
          violations: [
            violation('voice', { actual: 900 * MB, message: 'voice: size 900MB, over max-size 250MB' }),
          ],
          findings: [finding(1, { file: 'voice/requirements.txt', line: 40 })],
        }),
        service('rag', 300, {
          violations: [violation('rag', { message: 'rag: size 300MB, over max-size 250MB' })],
          findings: [finding(2, { file: 'rag/Dockerfile' })],
        }),
      ],
      { durationMs: 1000 },
    ),
  );

  test('marks each violation and finding, lists what was fixed, and counts the marks in one line', () => {
    const text = renderTerminal(head, { baseline: 'base.json' });
    expect(text).toContain('✗ [new] rag: size 300MB, over max-size 250MB');
    expect(text).toContain('✗ [existing] voice: size 900MB, over max-size 250MB');
    expect(text).toMatch(/rag\/Dockerfile:5:1 +warning +pip-cache +\[new\] +torch/);
    expect(text).toMatch(/voice\/requirements\.txt:40:1 +warning +cuda-torch +\[existing\] +torch/);
    expect(text).toContain('✓ [fixed] api: size 263MB, over max-size 250MB');
    expect(text).toContain(
      'baseline base.json: budgets 1 new, 0 worse, 1 fixed, 1 existing; findings 1 new, 0 fixed, 1 existing',
    );
  });

  test('without a baseline there are no marks and no summary', () => {
    const text = renderTerminal(bigReport());
    expect(text).not.toMatch(/\[(new|existing|fixed|worse)\]/);
    expect(text).not.toContain('baseline');
  });
});

describe('phase times', () => {
  test.each([
    [
      { durationMs: 41_000, phases: { lintMs: 300, buildsMs: 35_000, analysisMs: 12_000 } },
      'time: 41s (lint 300ms, builds 35s, analysis 12s)',
    ],
    [{ durationMs: 900, phases: { lintMs: 40 } }, 'time: 900ms (lint 40ms)'],
    [
      { durationMs: 2500, phases: { lintMs: 40, buildsMs: 2000, analysisMs: 0, baselineMs: 12 } },
      'time: 2.5s (lint 40ms, builds 2s, baseline 12ms)',
    ],
    [{ durationMs: 100 }, 'time: 100ms'],
  ] as const)('%j → %s', (extra, line) => {
    const r = report([service('api', 10)], extra);
    expect(timeLine(r)).toBe(line);
    expect(renderTerminal(r).trimEnd().split('\n').at(-1)).toBe(line);
  });

  test('a report without its duration has no time line', () => {
    expect(timeLine(report([]))).toBeUndefined();
  });
});

describe('terminalWidth', () => {
  test.each([
    [undefined, 100],
    [200, 100],
    [100, 100],
    [80, 80],
    [60, 60],
    [40, 60],
    [0, 100],
    [Number.NaN, 100],
  ])('a terminal of %s columns → %i', (columns, width) => {
    expect(terminalWidth(columns)).toBe(width);
  });
});
