/**
 * Compose parity on a real docker CLI. On the modern engine (IMAGE_BUDGET_ENGINE=modern, Compose v2)
 * the tool detects Compose v2, and for every project of the corpus its plan from
 * `docker compose config` equals our parser's plan (and Compose still prints what was captured).
 * On the legacy engine (IMAGE_BUDGET_ENGINE=legacy, docker 20.10 without Compose v2) the tool
 * detects no Compose v2 and the plan, from our parser, equals the plan of the captured output.
 * The docker CLI is IMAGE_BUDGET_DOCKER, with DOCKER_CONFIG from the environment.
 */
import { describe, expect, test } from 'vitest';
import { composeConfig, composeV2Version } from '../../src/plan/compose-v2.js';
import { findComposeFiles, withDotEnvSettings } from '../../src/compose/files.js';
import { fromComposeJson } from '../../src/compose/model.js';
import { emptyConfig } from '../../src/config/schema.js';
import { Docker } from '../../src/docker/exec.js';
import { discoverPlan } from '../../src/plan/make-plan.js';
import { comparable, corpusCases, planOfCompose, planOfParser } from '../support/compose-corpus.js';

const engine = process.env.IMAGE_BUDGET_ENGINE ?? 'legacy';
/** Only what reaches the engine passes: the corpus' variables must not meet the runner's (vitest sets MODE). */
const KEEP = new Set([
  'PATH',
  'HOME',
  'DOCKER_CONFIG',
  'DOCKER_HOST',
  'DOCKER_CERT_PATH',
  'DOCKER_TLS_VERIFY',
]);
const clean = Object.fromEntries(
  Object.keys(process.env)
    .filter((k) => !KEEP.has(k))
    .map((k) => [k, undefined]),
);
const docker = new Docker(process.env.IMAGE_BUDGET_DOCKER ?? 'docker', clean);
const cases = corpusCases();
const byName = cases.map((entry) => [entry.name, entry] as const);

const modern = engine === 'modern';

describe(`Compose parity on the ${engine} engine`, () => {
  test(modern ? 'the docker CLI has Compose v2' : 'the tool detects no Compose v2', async () => {
    const version = await composeV2Version(docker);
    if (modern) expect(version).toMatch(/^2\.\d+/);
    else expect(version).toBeUndefined();
  });

  // modern: Compose v2's plan equals our parser's, and Compose still prints what was captured;
  // legacy: our parser (the only path there) gives the plan of the captured output.
  test.each(byName)('%s', async (_name, entry) => {
    const plan = await discoverPlan(
      {
        root: entry.dir,
        ...(entry.files ? { compose: entry.files } : {}),
        ...(entry.profiles ? { profiles: entry.profiles } : {}),
      },
      entry.env,
      emptyConfig(),
      docker,
    );
    if (!modern) {
      expect(plan.composeSource).toBe('parser');
      expect(comparable(plan)).toEqual(comparable(planOfCompose(entry, entry.expected)));
      return;
    }
    expect(plan.composeSource).toBe('compose-v2');
    expect(comparable(plan)).toEqual(comparable(planOfParser(entry)));
    const live = await composeConfig(docker, {
      root: entry.dir,
      files: findComposeFiles(entry.dir, entry.files, withDotEnvSettings(entry.dir, entry.env)),
      env: entry.env,
    });
    expect('error' in live ? live.error : undefined).toBeUndefined();
    if (!('error' in live)) expect(live.model).toEqual(fromComposeJson(entry.expected));
  });
});
