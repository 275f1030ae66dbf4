/** The compose parity corpus (__fixtures__/compose): its cases, and both paths' plans of one. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fromComposeJson, type ComposeProject } from '../../src/compose/model.js';
import { findComposeFiles, withDotEnvSettings } from '../../src/compose/files.js';
import { emptyConfig } from '../../src/config/schema.js';
import { makePlan, planFromProject, type PlanInput } from '../../src/plan/make-plan.js';
import type { Plan } from '../../src/plan/model.js';

export const CORPUS = path.resolve(import.meta.dirname, '../../__fixtures__/compose');

export interface CorpusCase {
  name: string;
  dir: string;
  files?: string[];
  profiles?: string[];
  env: Record<string, string>;
  /** Compose's own output, paths made absolute again. */
  expected?: unknown;
}

export function corpusCases(): CorpusCase[] {
  return readdirSync(CORPUS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const dir = path.join(CORPUS, entry.name);
      const meta = JSON.parse(readFileSync(path.join(dir, 'case.json'), 'utf8')) as Partial<CorpusCase>;
      const expectedFile = path.join(dir, 'expected.json');
      const result: CorpusCase = { name: entry.name, dir, env: meta.env ?? {} };
      if (meta.files) result.files = meta.files;
      if (meta.profiles) result.profiles = meta.profiles;
      if (existsSync(expectedFile)) {
        result.expected = JSON.parse(readFileSync(expectedFile, 'utf8').split('${CASE}').join(dir));
      }
      return result;
    });
}

function input(entry: CorpusCase): PlanInput {
  return {
    root: entry.dir,
    ...(entry.files ? { compose: entry.files } : {}),
    ...(entry.profiles ? { profiles: entry.profiles } : {}),
  };
}

export function planOfParser(entry: CorpusCase): Plan {
  return makePlan(input(entry), entry.env, emptyConfig());
}

/** The plan made from `docker compose config --format json` output (captured or live). */
export function planOfCompose(entry: CorpusCase, json: unknown): Plan {
  const files = findComposeFiles(entry.dir, entry.files, withDotEnvSettings(entry.dir, entry.env));
  const project: ComposeProject = {
    model: fromComposeJson(json),
    files,
    origins: {},
    serviceErrors: {},
    errors: [],
    warnings: [],
    source: 'compose-v2',
  };
  return planFromProject(input(entry), entry.env, emptyConfig(), project);
}

/**
 * What must agree: each service's name, image, build (every option), order and profile state, and
 * how it runs (the deploy fields). Lines are our parser's alone (the Compose v2 path takes them from
 * it), so they are left out.
 */
export function comparable(plan: Plan): unknown {
  return {
    files: plan.composeFiles,
    errors: plan.errors,
    services: [...plan.services]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((service) => ({
        ...service,
        ...(service.error ? { error: 'error' } : {}),
        ...(service.deploy ? { deploy: service.deploy.fields } : {}),
      })),
  };
}
