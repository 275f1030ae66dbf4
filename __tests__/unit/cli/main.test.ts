/**
 * The CLI in this process, without an engine: lint-only runs, lint and usage errors, and `check`
 * against a fake docker CLI (support/fake-docker.ts): a failed build's log, --baseline, --sarif,
 * the width and the phases' times.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkOptions, cli, readBaseline } from '../../../src/cli/main.js';
import { parseRequest } from '../../../src/pipeline/request.js';
import type { Report } from '../../../src/report/model.js';
import { captureIo } from '../../support/cli-io.js';
import { fakeDocker } from '../../support/fake-docker.js';
import { writeRepo } from '../../support/repo.js';
import { report, service } from '../report/fixtures.js';

const plainIo = (cwd: string) => captureIo(cwd);

/** One service whose Dockerfile is missing: a service error, without an engine. */
const brokenRepo = (files: Record<string, string> = {}) =>
  writeRepo({ 'compose.yaml': 'services:\n  api:\n    build: ./api\n', ...files });

describe('cli check', () => {
  test.each([
    [
      ['--fail-on', 'sometimes'],
      'image-budget: --fail-on: "sometimes" is not one of error, warning, new, never',
    ],
    [['--max-size', '5 GB'], 'image-budget: --max-size: "5 GB" is ambiguous'],
    [['--min-free-disk', `1${'0'.repeat(309)}GB`], 'is too large: a size must be at most 9PB'],
  ])('%j is a usage error (exit 2), one line', async (flags, message) => {
    const run = plainIo(brokenRepo());
    expect(await cli(['check', '.', '--lint-only', ...flags], run)).toBe(2);
    expect(run.err).toContain(message);
    expect(run.err.split('\n')).toHaveLength(3); // the line, the --help hint, the final newline
  });

  test("the config's fail-on decides, and the flag wins over it", async () => {
    const dir = brokenRepo({ '.github/image-budget.yml': 'fail-on: never\n' });
    const lenient = plainIo(dir);
    expect(await cli(['check', '--lint-only'], lenient)).toBe(0);
    expect(lenient.out).toContain('passed (fail-on: never): 1 service error');
    expect(await cli(['check', '--lint-only', '--fail-on', 'error'], plainIo(dir))).toBe(1);
  });

  test('--max-growth "50MB or 10%" is accepted', async () => {
    const run = plainIo(brokenRepo());
    expect(
      await cli(['check', '--lint-only', '--fail-on', 'never', '--max-growth', '50MB or 10%'], run),
    ).toBe(0);
    expect(run.err).not.toContain('max-growth');
  });

  test('--json prints the report', async () => {
    const run = plainIo(brokenRepo());
    expect(await cli(['check', '--lint-only', '--json'], run)).toBe(1);
    expect((JSON.parse(run.out) as { services: { name: string }[] }).services[0]?.name).toBe('api');
  });
});

describe('cli lint', () => {
  test('fits the terminal unless --wide', async () => {
    const dir = writeRepo({ 'api/Dockerfile': 'FROM python:3.12\nRUN pip install torch\n' });
    const narrow = Object.assign(plainIo(dir), { columns: 72 });
    expect(await cli(['lint', 'api', 'missing'], narrow)).toBe(1);
    const lines = narrow.out.split('\n');
    for (const line of lines) if ([...line].length > 72) expect(line).toMatch(/^(\S+|\(?`[^`]+`\)?[.,;]?)$/);
    expect(lines).toContain('✗ missing: no such file or folder');
    const wide = Object.assign(plainIo(dir), { columns: 72 });
    await cli(['lint', 'api', '--wide'], wide);
    expect(Math.max(...wide.out.split('\n').map((l) => [...l].length))).toBeGreaterThan(100);
  });

  test('--json prints the errors as the report does: message, and the file (and line) where known', async () => {
    const dir = writeRepo({ 'api/Dockerfile': 'FROM python:3.12-slim\n' });
    const run = plainIo(dir);
    expect(await cli(['lint', 'api/Dockerfile', 'missing', '--json'], run)).toBe(1);
    expect(JSON.parse(run.out)).toEqual({
      files: ['api/Dockerfile'],
      findings: [],
      errors: [{ file: 'missing', message: 'no such file or folder' }],
    });
  });

  test('--fail-on is checked by the same function as check’s', async () => {
    const run = plainIo(brokenRepo());
    expect(await cli(['lint', '--fail-on', 'loud'], run)).toBe(2);
    expect(run.err).toContain('image-budget: --fail-on: "loud" is not one of error, warning, new, never');
  });
});

const MB = 1_000_000;

const repo = () =>
  writeRepo({
    'compose.yaml': 'services:\n  api:\n    build: ./api\n  broken:\n    build: ./broken\n',
    'api/Dockerfile': 'FROM scratch\nCOPY app /app\n',
    'api/app': 'x\n',
    'broken/Dockerfile': 'FROM scratch\nRUN make\n',
  });

/** Flags every run here takes: the fake docker, no cache backend, no layer analysis. */
const engine = (docker: string) => ['--docker', docker, '--cache', 'none', '--no-analyze'];

function io(cwd: string, columns?: number) {
  const run = captureIo(cwd, { XDG_CACHE_HOME: mkdtempSync(path.join(tmpdir(), 'ib-xdg-')) });
  return columns === undefined ? run : Object.assign(run, { columns });
}

describe('a failed build', () => {
  test('prints its last 20 log lines and its kept log under its row; the good build’s log is removed', async () => {
    const dir = repo();
    const run = io(dir);
    const docker = fakeDocker({ fail: ['broken'], failLines: 30 });
    expect(await cli(['check', ...engine(docker), '--report', 'report.json'], run)).toBe(1);
    const lines = run.out.split('\n');
    const row = lines.findIndex((l) => /^broken +failed/.test(l));
    const tail = lines.slice(row + 1, row + 21);
    expect(tail[0]).toBe('    #7 0.12 broken log line 12');
    expect(tail[18]).toBe('    #7 0.30 broken log line 30');
    expect(tail[19]).toBe('    ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 7');
    const logLine = lines[row + 21]!;
    expect(logLine).toMatch(/^ {4}log: \/.*broken\.build\.log$/);
    const logFile = logLine.replace(/^ {4}log: /, '');
    expect(readFileSync(logFile, 'utf8')).toContain('broken log line 1\n');

    const written = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as Report;
    const byName = Object.fromEntries(written.services.map((s) => [s.name, s]));
    expect(byName.broken?.build?.logTail).toHaveLength(20);
    expect(byName.broken?.build?.logFile).toBe(logFile);
    expect(byName.api?.build?.status).toBe('success');
    expect(byName.api?.build?.logFile).toBeUndefined();
    expect(existsSync(path.join(path.dirname(logFile), 'api.build.log'))).toBe(false);
  });

  test('--keep-logs keeps the good build’s log too', async () => {
    const run = io(repo());
    await cli(['check', ...engine(fakeDocker({ fail: ['broken'] })), '--keep-logs', '--json'], run);
    const api = (JSON.parse(run.out) as Report).services.find((s) => s.name === 'api');
    expect(api?.build?.logFile).toBeTruthy();
    expect(existsSync(api!.build!.logFile!)).toBe(true);
  });
});

describe('check --baseline', () => {
  /** The base run's report, from the same CLI, with api at 100MB. */
  async function baseFile(dir: string, extra: string[] = []): Promise<string> {
    const base = io(dir);
    await cli(
      ['check', ...engine(fakeDocker({ sizes: { api: 100 * MB }, fail: ['broken'] })), '--json', ...extra],
      base,
    );
    const file = path.join(dir, 'base.json');
    writeFileSync(file, base.out);
    return file;
  }

  test('judges --max-growth against it and marks what is new, existing and fixed', async () => {
    const dir = repo();
    await baseFile(dir);
    const docker = fakeDocker({ sizes: { api: 180 * MB } });
    const run = io(dir);
    const code = await cli(
      ['check', ...engine(docker), '--baseline', 'base.json', '--max-growth', '50MB'],
      run,
    );
    expect(code).toBe(1);
    expect(run.out).toContain('✗ [new] api: grew +80MB (100MB → 180MB), over max-growth 50MB');
    expect(run.out).toMatch(
      /^baseline base\.json: budgets 1 new, 0 worse, 0 fixed, 0 existing; findings \d+ new, \d+ fixed, \d+ existing$/m,
    );
    expect(run.out).toMatch(/^time: \S+ \(lint \S+, builds \S+, baseline \S+\)$/m);
  });

  test('the JSON report carries the marks and the fixed list', async () => {
    const dir = repo();
    await baseFile(dir);
    const run = io(dir);
    await cli(
      [
        'check',
        ...engine(fakeDocker({ sizes: { api: 180 * MB } })),
        '--baseline',
        'base.json',
        '--max-growth',
        '50MB',
        '--json',
      ],
      run,
    );
    const marked = JSON.parse(run.out) as Report;
    const api = marked.services.find((s) => s.name === 'api');
    expect(api?.violations.map((v) => [v.budget, v.mark])).toEqual([['max-growth', 'new']]);
    expect(marked.fixed).toBeDefined();
    expect(marked.phases?.baselineMs).toBeGreaterThanOrEqual(0);
    expect(run.out).not.toContain('time:');
  });

  test.each([
    ['missing.json', undefined, 'image-budget: missing.json: cannot read the report: file not found'],
    [
      'bad.json',
      '{"schemaVersion": 1, "services": "x"',
      'image-budget: bad.json: not a valid report: corrupt JSON',
    ],
    ['folder', 'mkdir', 'image-budget: folder: cannot read the report: is a folder, not a file'],
  ])('%s is one usage line naming it (exit 2), before anything is built', async (file, text, message) => {
    const dir = repo();
    if (text === 'mkdir') mkdirSync(path.join(dir, file));
    else if (text !== undefined) writeFileSync(path.join(dir, file), text);
    const run = io(dir);
    // A docker that is not there: a build would be a crash, not this line.
    expect(await cli(['check', '--docker', '/nonexistent/docker', '--baseline', file], run)).toBe(2);
    expect(run.err.split('\n')).toEqual([message, 'Run `image-budget --help` for usage.', '']);
    expect(run.out).toBe('');
  });
});

describe('check --sarif', () => {
  test('writes the findings as SARIF, paths relative to where the command runs', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'ib-sarif-'));
    const dir = path.join(parent, 'platform');
    cpSync(repo(), dir, { recursive: true });
    writeFileSync(path.join(dir, 'api/Dockerfile'), 'FROM python:3.12\nRUN pip install torch\n');
    const run = io(parent);
    await cli(['check', 'platform', '--lint-only', '--sarif', 'out/check.sarif'], run);
    const sarif = JSON.parse(readFileSync(path.join(parent, 'out/check.sarif'), 'utf8')) as {
      version: string;
      runs: {
        results: {
          ruleId: string;
          locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
        }[];
      }[];
    };
    expect(sarif.version).toBe('2.1.0');
    const uris = sarif.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris.length).toBeGreaterThan(0);
    expect(uris).toContain('platform/api/Dockerfile');
  });
});

describe('the output width', () => {
  test.each([
    [undefined, 100],
    [70, 70],
    [30, 60],
  ])('a terminal of %s columns: every line fits %i', async (columns, width) => {
    const dir = writeRepo({
      'compose.yaml': `services:\n  ${'a-service-with-a-name-far-longer-than-any-column-should-be'}:\n    build: ./api\n`,
      'api/Dockerfile':
        'FROM python:3.12\nRUN pip install torch sentence-transformers && python -c "from sentence_transformers import SentenceTransformer; SentenceTransformer(\'all-MiniLM-L6-v2\')"\n',
    });
    const run = io(dir, columns);
    await cli(['check', '--lint-only'], run);
    const lines = run.out.split('\n');
    const over = lines.filter((l) => [...l].length > width);
    // Only a word longer than the line by itself (a URL, a command) may pass it, on its own line.
    for (const line of over) expect(line).toMatch(/^(\S+|\(?`[^`]+`\)?[.,;]?)$/);
    expect(lines.length).toBeGreaterThan(5);
  });

  test('--wide: every finding on one line, whatever the terminal', async () => {
    const dir = writeRepo({
      'compose.yaml': 'services:\n  api:\n    build: ./api\n',
      'api/Dockerfile': 'FROM python:3.12\nRUN pip install torch\n',
    });
    const narrow = io(dir, 60);
    const wide = io(dir, 60);
    await cli(['check', '--lint-only'], narrow);
    await cli(['check', '--lint-only', '--wide'], wide);
    expect(Math.max(...wide.out.split('\n').map((l) => [...l].length))).toBeGreaterThan(100);
    expect(wide.out.split('\n').length).toBeLessThan(narrow.out.split('\n').length);
  });
});

describe('checkOptions', () => {
  test('hands the baseline report to the pipeline, and keeps every log for check to sort', () => {
    const baseline = report([service('api', 100)]);
    const place = { base: '/repo', sha: 'abc', workDir: '/tmp/w' };
    const options = checkOptions(parseRequest({ 'max-growth': '10%' }), place, baseline);
    expect(options.baseline).toBe(baseline);
    expect(options.keepLogs).toBe(true);
    expect(options.budgets?.maxGrowth).toBeDefined();
    expect(checkOptions(parseRequest({}), place)).not.toHaveProperty('baseline');
  });

  test('readBaseline reads and checks a report file', () => {
    const dir = writeRepo({ 'base.json': JSON.stringify(report([service('api', 100)])) });
    expect(readBaseline('base.json', dir).services[0]?.name).toBe('api');
  });
});
