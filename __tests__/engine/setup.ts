/**
 * Global setup of the engine tests: starts (or reuses) one of the project's isolated Docker
 * engines with `script/engine --engine E start` (E from IMAGE_BUDGET_ENGINE: legacy, the default,
 * or modern; `npm test` runs the suite once per engine), makes the offline base images with
 * `script/engine base`, and exports the engine's environment (DOCKER_HOST, DOCKER_CONFIG,
 * IMAGE_BUDGET_DOCKER, IMAGE_BUDGET_NETWORK, IMAGE_BUDGET_ENGINE_DATA_ROOT, IMAGE_BUDGET_ENGINE,
 * and IMAGE_BUDGET_REGISTRY on the modern engine) to the tests. When the engine cannot be started
 * it throws: the engine tests fail, they never skip. The engine is left running for faster reruns
 * unless IMAGE_BUDGET_ENGINE_STOP=1.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const engineScript = path.join(root, 'script', 'engine');

/** The names `script/engine env` must define. */
export const ENGINE_ENV_NAMES = [
  'IMAGE_BUDGET_ENGINE',
  'DOCKER_HOST',
  'DOCKER_CONFIG',
  'IMAGE_BUDGET_DOCKER',
  'IMAGE_BUDGET_NETWORK',
  'IMAGE_BUDGET_ENGINE_DATA_ROOT',
] as const;

/** Parses the `export NAME='value'` lines printed by `script/engine env`. */
export function parseEngineEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^export ([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, name, raw] = match as unknown as [string, string, string];
    env[name] = raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2 ? raw.slice(1, -1) : raw;
  }
  return env;
}

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** The engine this run of the suite is for. */
export function engineName(env: NodeJS.ProcessEnv = process.env): 'legacy' | 'modern' {
  const name = env.IMAGE_BUDGET_ENGINE ?? 'legacy';
  if (name !== 'legacy' && name !== 'modern') {
    throw new Error(`IMAGE_BUDGET_ENGINE must be legacy or modern, not "${name}"`);
  }
  return name;
}

function engine(args: string[], timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      [engineScript, '--engine', engineName(), ...args],
      { cwd: root, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr: error && !stderr ? error.message : stderr });
      },
    );
  });
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

async function mustRun(args: string[], timeoutMs: number): Promise<Outcome> {
  const outcome = await engine(args, timeoutMs);
  if (outcome.code !== 0) {
    throw new Error(
      `Engine tests need a real Docker engine, and \`script/engine ${args.join(' ')}\` failed ` +
        `(exit ${outcome.code}):\n${lastLines(outcome.stderr || outcome.stdout, 30)}\n` +
        'They fail rather than skip: fix the engine (see script/engine and its log under ' +
        `${process.env.IMAGE_BUDGET_ENGINE_DIR ?? '/tmp/image-budget-engine'}${engineName() === 'modern' ? '-modern' : ''}/dockerd.log).`,
    );
  }
  return outcome;
}

export async function setup(): Promise<void> {
  const started = performance.now();
  await mustRun(['start'], 10 * 60_000); // may apt-get install docker.io on a clean machine
  await mustRun(['base'], 5 * 60_000);
  const env = parseEngineEnv((await mustRun(['env'], 30_000)).stdout);
  const missing = [
    ...ENGINE_ENV_NAMES,
    ...(engineName() === 'modern' ? (['IMAGE_BUDGET_REGISTRY'] as const) : []),
  ].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(`\`script/engine env\` did not define ${missing.join(', ')}`);
  }
  Object.assign(process.env, env);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `engine: ${engineName()} ready at ${env.DOCKER_HOST} in ${seconds}s (offline base images made)`,
  );
}

export async function teardown(): Promise<void> {
  if (process.env.IMAGE_BUDGET_ENGINE_STOP === '1') await mustRun(['stop'], 2 * 60_000);
}
