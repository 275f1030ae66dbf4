/**
 * Runs dist/index.js the way the Actions runner does: `node dist/index.js` with every input as an
 * INPUT_* variable (action.yml's defaults filled in, as the runner does), GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files, an event payload, and the engine's environment.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ActionRun {
  code: number;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

export interface ActionRunOptions {
  workspace: string;
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  event?: { name: string; payload: unknown };
  /**
   * RUNNER_TEMP: a new folder by default. A runner's is the same path on every run, emptied; pass
   * one to have that (the Actions cache's version hashes the cached paths, RUNNER_TEMP included).
   */
  runnerTemp?: string;
}

export async function runAction(options: ActionRunOptions): Promise<ActionRun> {
  const files = mkdtempSync(path.join(tmpdir(), 'ib-runner-'));
  const outputFile = path.join(files, 'output');
  const summaryFile = path.join(files, 'summary');
  const eventFile = path.join(files, 'event.json');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  writeFileSync(eventFile, JSON.stringify(options.event?.payload ?? {}));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/root',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_EVENT_NAME: options.event?.name ?? 'push',
    GITHUB_REPOSITORY: 'acme/platform',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_RUN_ID: '42',
    GITHUB_SERVER_URL: 'https://github.com',
    RUNNER_TEMP: options.runnerTemp ?? files,
    ...engineEnv(),
    ...inputEnv({ ...actionDefaults(), ...(options.inputs ?? {}) }),
    ...(options.env ?? {}),
  };
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile(
      'node',
      [path.join(ROOT, 'dist/index.js')],
      { env, cwd: options.workspace, maxBuffer: 64 << 20 },
      (error, out) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout: out }),
    );
  });
  return {
    code,
    stdout,
    outputs: readOutputs(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
  };
}

/** The defaults of action.yml, as the runner passes them when a workflow leaves an input out. */
function actionDefaults(): Record<string, string> {
  const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  const defaults: Record<string, string> = {};
  for (const [name, input] of Object.entries(action.inputs)) {
    if (input.default !== undefined)
      defaults[name] = input.default === '${{ github.token }}' ? 'fake-token' : input.default;
  }
  return defaults;
}

function inputEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v]),
  );
}

function engineEnv(): Record<string, string> {
  const keys = [
    'DOCKER_HOST',
    'DOCKER_CONFIG',
    'IMAGE_BUDGET_ENGINE',
    'IMAGE_BUDGET_REGISTRY',
    'IMAGE_BUDGET_DOCKER',
    'IMAGE_BUDGET_NETWORK',
    'IMAGE_BUDGET_ENGINE_DATA_ROOT',
  ];
  return Object.fromEntries(keys.flatMap((k) => (process.env[k] ? [[k, process.env[k] as string]] : [])));
}

/** GITHUB_OUTPUT's `name<<delimiter ... delimiter` blocks. */
function readOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!match || !match[1] || !match[2]) continue;
    const value: string[] = [];
    for (i += 1; i < lines.length && lines[i] !== match[2]; i += 1) value.push(lines[i] ?? '');
    outputs[match[1]] = value.join('\n');
  }
  return outputs;
}
