/**
 * The Action's main in this process, driven the way the runner drives it: INPUT_* variables (with
 * action.yml's defaults), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, an event payload. Only lint-only
 * runs and comment mode: nothing here needs a Docker engine or the GitHub API.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { parse } from 'yaml';
import { failureMessage, run, runWhenEntry } from '../../../src/action/main.js';
import { UserError } from '../../../src/util/errors.js';
import { writeRepo } from '../../support/repo.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
};

// @actions/core resolves the summary file once per process: one file for every test, emptied before each.
const runner = mkdtempSync(path.join(tmpdir(), 'ib-runner-'));
const summaryFile = path.join(runner, 'summary.md');
const outputFile = path.join(runner, 'output');
const eventFile = path.join(runner, 'event.json');

const saved = { ...process.env };
let stdout: string[];

beforeEach(() => {
  writeFileSync(summaryFile, '');
  writeFileSync(outputFile, '');
  writeFileSync(eventFile, '{}');
  stdout = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  process.env = { ...saved };
  process.exitCode = undefined;
});

/** Runs main with these inputs over action.yml's defaults, in `workspace`, on a push event. */
async function runMain(workspace: string, inputs: Record<string, string>): Promise<void> {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  const all: Record<string, string> = {};
  for (const [name, input] of Object.entries(action.inputs)) if (input.default) all[name] = input.default;
  all['github-token'] = '';
  Object.assign(all, inputs);
  for (const [name, value] of Object.entries(all)) process.env[`INPUT_${name.toUpperCase()}`] = value;
  Object.assign(process.env, {
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REPOSITORY: 'acme/platform',
    GITHUB_REF: 'refs/heads/feature',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    RUNNER_TEMP: runner,
  });
  delete process.env.ACTIONS_CACHE_URL;
  delete process.env.ACTIONS_RESULTS_URL;
  await run();
}

/** GITHUB_OUTPUT's `name<<delimiter ... delimiter` blocks. */
function outputs(): Record<string, string> {
  const found: Record<string, string> = {};
  for (const m of readFileSync(outputFile, 'utf8').matchAll(/^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm))
    found[m[1]!] = m[3]!;
  return found;
}

const log = () => stdout.join('');

/** A repository with one service whose Dockerfile is missing: a service error, no engine needed. */
const brokenRepo = (files: Record<string, string> = {}) =>
  writeRepo({ 'compose.yaml': 'services:\n  api:\n    build: ./api\n', ...files });

describe('action main', () => {
  test('a lint-only run writes the report, every output and the summary, and fails on the error', async () => {
    const workspace = brokenRepo();
    await runMain(workspace, { 'lint-only': 'true' });
    expect(process.exitCode).toBe(1);
    expect(log()).toContain('::error::image-budget failed: 1 service error');
    const out = outputs();
    expect(out).toMatchObject({ 'total-size': '0', failed: '1', violations: '0' });
    const report = JSON.parse(readFileSync(out.report!, 'utf8')) as { services: { name: string }[] };
    expect(report.services.map((s) => s.name)).toEqual(['api']);
    expect(readFileSync(summaryFile, 'utf8')).toContain('api');
  });

  test("the config's fail-on applies; the input wins over it", async () => {
    const workspace = brokenRepo({ '.github/image-budget.yml': 'fail-on: never\n' });
    await runMain(workspace, { 'lint-only': 'true' });
    expect(process.exitCode).toBeUndefined();
    expect(log()).toContain('image-budget passed (fail-on: never): 1 service error');

    await runMain(workspace, { 'lint-only': 'true', 'fail-on': 'error' });
    expect(process.exitCode).toBe(1);
  });

  test('comment mode judges the report with the config, as the run job did (same headline)', async () => {
    const workspace = brokenRepo({ '.github/image-budget.yml': 'fail-on: never\n' });
    await runMain(workspace, { 'lint-only': 'true' });
    const runSummary = readFileSync(summaryFile, 'utf8');
    expect(runSummary).toContain('✅');
    const report = outputs().report!;

    writeFileSync(summaryFile, '');
    await runMain(workspace, { mode: 'comment', report });
    expect(process.exitCode).toBeUndefined();
    expect(log()).toContain('::warning::mode: comment: no pull request found');
    const commentSummary = readFileSync(summaryFile, 'utf8');
    expect(commentSummary).toContain('✅');
    expect(commentSummary.split('\n')[0]).toBe(runSummary.split('\n')[0]);
  });

  test('comment mode with a step summary that cannot be written: one warning, no stack, the run goes on', async () => {
    const workspace = brokenRepo();
    await runMain(workspace, { 'lint-only': 'true', 'fail-on': 'never' });
    const report = outputs().report!;
    stdout.length = 0;
    // A folder where the summary file should be (@actions/core keeps the path it saw first): it cannot write it.
    rmSync(summaryFile, { force: true });
    mkdirSync(summaryFile);
    try {
      await runMain(workspace, { mode: 'comment', report });
    } finally {
      rmSync(summaryFile, { recursive: true, force: true });
      writeFileSync(summaryFile, '');
    }
    expect(process.exitCode).toBeUndefined();
    expect(log()).toMatch(/::warning::step summary not written: /);
    expect(log()).not.toMatch(/\n\s+at /);
    expect(log()).toContain('::warning::mode: comment: no pull request found');
  });

  test('comment mode without a readable config: the inputs decide, a broken config is a warning', async () => {
    const workspace = brokenRepo({ '.github/image-budget.yml': 'fail-on: sometimes\n' });
    await runMain(workspace, { 'lint-only': 'true', 'fail-on': 'never' });
    const report = outputs().report!;
    writeFileSync(summaryFile, '');
    await runMain(workspace, { mode: 'comment', report });
    expect(log()).toMatch(
      /::warning::.github\/image-budget.yml:1: fail-on: .*judged without the config file/,
    );
    expect(readFileSync(summaryFile, 'utf8')).toContain('❌');
  });

  test.each([
    ['fail-on', 'sometimes', 'input fail-on: "sometimes" is not one of error, warning, new, never'],
    ['max-size', '5 GB', 'input max-size: "5 GB" is ambiguous: write 5GB (5 × 1000^3) or 5GiB (5 × 1024^3)'],
    ['lint-only', 'yes', 'input lint-only: "yes" is not a boolean (use true or false)'],
  ])('a bad input (%s: %s) is one line, no stack, and fails the job', async (name, value, line) => {
    await runMain(brokenRepo(), { [name]: value });
    expect(process.exitCode).toBe(1);
    expect(log()).toContain(`::error::${line}\n`);
    expect(log()).not.toContain('    at ');
  });

  test('twelve lint errors: at most 10 error annotations in the step, then one notice for the rest', async () => {
    const args = Array.from({ length: 12 }, (_, i) => `ARG TOKEN_${i + 1}`).join('\n');
    const workspace = writeRepo({
      'compose.yaml': 'services:\n  api:\n    build: ./api\n',
      'api/Dockerfile': `FROM busybox:1.36\n${args}\nRUN true\n`,
    });
    await runMain(workspace, { 'lint-only': 'true' });
    expect(process.exitCode).toBe(1);
    const lines = log().split('\n');
    const errors = lines.filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(10);
    expect(errors.at(-1)).toBe('::error::image-budget failed: 12 lint errors');
    expect(errors.filter((l) => l.includes('file=api/Dockerfile'))).toHaveLength(9);
    expect(lines.filter((l) => l.startsWith('::notice'))).toEqual([
      expect.stringMatching(
        /^::notice title=.*::image-budget: 3 errors not annotated .*the step summary has every finding$/,
      ),
    ]);
  });

  test('max-growth "50MB or 10%", as action.yml advertises it, is accepted', async () => {
    await runMain(brokenRepo(), { 'lint-only': 'true', 'max-growth': '50MB or 10%', 'fail-on': 'never' });
    expect(process.exitCode).toBeUndefined();
    expect(log()).not.toContain('max-growth');
  });

  test('an output that cannot be written does not stop the others, and fails the job', async () => {
    const workspace = brokenRepo({ 'a-file': '' });
    await runMain(workspace, {
      'lint-only': 'true',
      'fail-on': 'never',
      report: 'a-file/report.json',
      sarif: 'out/findings.sarif',
    });
    expect(process.exitCode).toBe(1);
    expect(log()).toMatch(/::error::not written: report .*a-file\/report\.json: /);
    expect(log()).toContain('output(s) were not written');
    expect(outputs()).toMatchObject({ 'total-size': '0', failed: '1', violations: '0' });
    expect(outputs().sarif).toBe(path.join(workspace, 'out/findings.sarif'));
    expect(readFileSync(summaryFile, 'utf8')).toContain('api');
  });

  test('the github-token is masked before anything else is logged', async () => {
    await runMain(brokenRepo(), { 'github-token': 'ghs_secretvalue', 'fail-on': 'sometimes' });
    expect(log().indexOf('::add-mask::ghs_secretvalue')).toBeGreaterThanOrEqual(0);
    expect(log().indexOf('::add-mask::')).toBeLessThan(log().indexOf('::error::'));
  });
});

describe('failureMessage: whatever is thrown ends red, with a line that says what', () => {
  const bug = new TypeError('x is undefined');
  test.each<[string, unknown, string | RegExp]>([
    [
      'a UserError: its one line',
      new UserError('no such file', 'compose.yaml', 3),
      'compose.yaml:3: no such file',
    ],
    ['a bug: its stack', bug, bug.stack!],
    ['a string', 'boom', 'image-budget failed: a non-Error was thrown: boom'],
    ['undefined', undefined, 'image-budget failed: a non-Error was thrown: undefined'],
    ['an object', { code: 7 }, 'image-budget failed: a non-Error was thrown: [object Object]'],
  ])('%s', (_what, thrown, line) => {
    expect(failureMessage(thrown)).toBe(line);
  });
});

describe('runWhenEntry', () => {
  test('runs nothing when the bundle is imported rather than run', () => {
    const here = new URL(import.meta.url).href;
    expect(runWhenEntry(here, path.join(ROOT, 'package.json'))).toBeUndefined();
    expect(runWhenEntry(here, undefined)).toBeUndefined();
    expect(runWhenEntry(here, '/no/such/file')).toBeUndefined();
  });
});
