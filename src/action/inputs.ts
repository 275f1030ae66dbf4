/**
 * The Action's inputs, read once into a typed object with @actions/core (so `getBooleanInput` does
 * the YAML boolean rules). A bad value is one UserError line naming the input.
 */
import * as core from '@actions/core';
import type { FailOn } from '../config/schema.js';
import type { CommentMode } from '../github/comment.js';
import type { BaselineSource } from './baseline.js';
import { splitList } from '../cli/args.js';
import { UserError } from '../util/errors.js';

export interface ActionInputs {
  workingDirectory: string;
  compose?: string;
  config?: string;
  services?: string[];
  profiles?: string[];
  tag?: string;
  network?: string;
  docker: string;
  lintOnly: boolean;
  failOn?: FailOn;
  report?: string;
  maxSize?: string;
  maxTotalSize?: string;
  maxBuildTime?: string;
  maxGrowth?: string;
  comment: CommentMode;
  githubToken?: string;
  cache: string;
  cacheScope?: string;
  cacheRegistryRef?: string;
  builder?: string;
  /** `run` lints, builds and reports; `comment` only posts a report made by an earlier run. */
  mode: 'run' | 'comment';
  sarif?: string;
  saveBaseline: boolean;
  baseline: BaselineSource;
  noiseThreshold?: string;
  minFreeDisk?: string;
  analyze: boolean;
}

export function readInputs(): ActionInputs {
  const inputs: ActionInputs = {
    workingDirectory: core.getInput('working-directory') || '.',
    docker: core.getInput('docker') || 'docker',
    lintOnly: booleanInput('lint-only'),
    comment: oneOf('comment', ['always', 'on-change', 'on-failure', 'never'] as const, 'always'),
    // Not checked here: an unknown backend is a warning and the builds go on (src/cache/plan.ts).
    cache: core.getInput('cache') || 'auto',
    mode: oneOf('mode', ['run', 'comment'] as const, 'run'),
    saveBaseline: booleanInput('save-baseline'),
    baseline: oneOf('baseline', ['cache', 'build', 'none'] as const, 'cache'),
    analyze: core.getInput('analyze') === '' ? true : booleanInput('analyze'),
  };
  const failOn = core.getInput('fail-on');
  if (failOn) inputs.failOn = oneOf('fail-on', ['error', 'warning', 'never'] as const, 'error');
  const services = splitList(core.getInput('services'));
  if (services.length > 0) inputs.services = services;
  const profiles = splitList(core.getInput('profiles'));
  if (profiles.length > 0) inputs.profiles = profiles;
  const strings = {
    compose: 'compose',
    config: 'config',
    tag: 'tag',
    network: 'network',
    report: 'report',
    maxSize: 'max-size',
    maxTotalSize: 'max-total-size',
    maxBuildTime: 'max-build-time',
    maxGrowth: 'max-growth',
    githubToken: 'github-token',
    cacheScope: 'cache-scope',
    cacheRegistryRef: 'cache-registry-ref',
    builder: 'builder',
    sarif: 'sarif',
    noiseThreshold: 'noise-threshold',
    minFreeDisk: 'min-free-disk',
  } as const;
  for (const [key, name] of Object.entries(strings)) {
    const value = core.getInput(name);
    if (value) inputs[key as keyof typeof strings] = value;
  }
  if (inputs.githubToken) core.setSecret(inputs.githubToken);
  return inputs;
}

/** `getBooleanInput`'s YAML 1.2 rules; unset is false; a bad value is one line naming the input. */
function booleanInput(name: string): boolean {
  if (core.getInput(name) === '') return false;
  try {
    return core.getBooleanInput(name);
  } catch {
    throw new UserError(`input ${name}: "${core.getInput(name)}" is not a boolean (use true or false)`);
  }
}

function oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const value = core.getInput(name);
  if (value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UserError(`input ${name}: "${value}" is not one of ${allowed.join(', ')}`);
}
