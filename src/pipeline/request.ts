/**
 * What the user asked for, read once. The Action's inputs (action.yml) and the CLI's flags carry the
 * same names; both hand their raw text to `parseRequest`, which checks every value once (a bad value is
 * one UserError line naming the input or the flag), and `runOptions` turns the request into the
 * pipeline's options. The Action's main and the CLI do nothing else with inputs or flags.
 *
 * Adding an input: its name in INPUT_NAMES (the action.yml test checks the two agree), its field in
 * `Request`, one line in `parseRequest`, and, when the pipeline needs it, one in `runOptions`.
 */
import path from 'node:path';
import type { InputBudgets } from '../budget/judge.js';
import { FAIL_ON, type Config, type FailOn } from '../config/schema.js';
import { UnitError, parseDuration, parseGrowth, parseSize, type Growth } from '../config/units.js';
import { DEFAULT_NOISE_THRESHOLD } from '../report/diff.js';
import { UserError } from '../util/errors.js';
import { splitList } from '../util/list.js';
import { DEFAULT_TAG, type RunOptions } from './options.js';

/** Every input of action.yml, by name. The CLI's flags that mean the same thing have the same names. */
export const INPUT_NAMES = [
  'working-directory',
  'compose',
  'config',
  'services',
  'tag',
  'network',
  'docker',
  'lint-only',
  'fail-on',
  'max-size',
  'max-total-size',
  'max-build-time',
  'max-growth',
  'host-memory',
  'max-wall-time',
  'report',
  'comment',
  'github-token',
  'cache',
  'cache-scope',
  'cache-registry-ref',
  'builder',
  'mode',
  'sarif',
  'save-baseline',
  'baseline',
  'noise-threshold',
  'min-free-disk',
  'analyze',
  'parallel',
  'keep-logs',
  'profiles',
  'pull-images',
] as const;

export type InputName = (typeof INPUT_NAMES)[number];

/** The request as written: input name → text. Empty or absent means "not given". */
export type RawRequest = Partial<Record<InputName, string>>;

export const MODES = ['run', 'comment'] as const;
export const COMMENT_MODES = ['always', 'on-change', 'on-failure', 'never'] as const;
export const BASELINE_SOURCES = ['cache', 'build', 'none'] as const;

/** `run` lints, builds and reports; `comment` only posts a report made by an earlier run. */
export type Mode = (typeof MODES)[number];
export type CommentModeInput = (typeof COMMENT_MODES)[number];
export type BaselineSource = (typeof BASELINE_SOURCES)[number];

/** The request checked: one field per input, by its action.yml name; sizes in bytes, times in ms. */
export interface Request {
  'working-directory': string;
  compose?: string;
  config?: string;
  services?: string[];
  tag: string;
  network?: string;
  docker: string;
  'lint-only': boolean;
  /** Absent: the config file's `fail-on`, else `error`. */
  'fail-on'?: FailOn;
  'max-size'?: number;
  'max-total-size'?: number;
  'max-build-time'?: number;
  'max-growth'?: Growth;
  /** The host's memory: the services' memory limits and reservations are judged against it. */
  'host-memory'?: number;
  /** The whole run's wall time. */
  'max-wall-time'?: number;
  report?: string;
  comment: CommentModeInput;
  'github-token'?: string;
  /** As given: an unknown backend is a warning and the builds go on (src/cache/plan.ts). */
  cache: string;
  'cache-scope': string;
  'cache-registry-ref'?: string;
  builder?: string;
  mode: Mode;
  sarif?: string;
  'save-baseline': boolean;
  baseline: BaselineSource;
  /** Absent: the config file's `noise-threshold`, else 1MB. */
  'noise-threshold'?: number;
  'min-free-disk'?: number;
  analyze: boolean;
  /** Most builds at once; absent: every service at once. */
  parallel?: number;
  /** Keep the build logs (they hold the build args) after the run. */
  'keep-logs': boolean;
  /** Compose profiles to activate (default: $COMPOSE_PROFILES). */
  profiles?: string[];
  /** Pull the images of image-only services (postgres, redis) first, so their sizes count. */
  'pull-images': boolean;
}

// Request has exactly one field per input name (a compile error otherwise).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _oneFieldPerInput: Same<keyof Request, InputName> = true;
void _oneFieldPerInput;

/** How a message names an input: `input max-size` in the Action, `--max-size` in the CLI. */
export type Label = (name: InputName) => string;
export const inputLabel: Label = (name) => `input ${name}`;
export const flagLabel: Label = (name) => `--${name}`;

/**
 * Check every value of a raw request and fill in the defaults (the same as action.yml's).
 * @throws UserError on the first bad value: `input fail-on: "x" is not one of error, warning, new, never`.
 */
export function parseRequest(raw: RawRequest, label: Label = inputLabel): Request {
  const text = (name: InputName): string | undefined => {
    const value = raw[name]?.trim();
    return value ? value : undefined;
  };
  const unit = <T>(name: InputName, parse: (value: string) => T): T | undefined => {
    const value = text(name);
    if (value === undefined) return undefined;
    try {
      return parse(value);
    } catch (error) {
      if (error instanceof UnitError) throw new UserError(`${label(name)}: ${error.message}`);
      throw error;
    }
  };
  const choice = <T extends string>(name: InputName, allowed: readonly T[]): T | undefined =>
    parseChoice(text(name), allowed, label(name));
  const flag = (name: InputName, fallback: boolean): boolean =>
    parseBoolean(text(name), label(name)) ?? fallback;

  const request: Request = {
    'working-directory': text('working-directory') ?? '.',
    tag: text('tag') ?? DEFAULT_TAG,
    docker: text('docker') ?? 'docker',
    'lint-only': flag('lint-only', false),
    comment: choice('comment', COMMENT_MODES) ?? 'always',
    cache: text('cache') ?? 'auto',
    'cache-scope': text('cache-scope') ?? 'image-budget',
    mode: choice('mode', MODES) ?? 'run',
    'save-baseline': flag('save-baseline', false),
    baseline: choice('baseline', BASELINE_SOURCES) ?? 'cache',
    analyze: flag('analyze', true),
    'keep-logs': flag('keep-logs', false),
    'pull-images': flag('pull-images', false),
  };
  const failOn = choice('fail-on', FAIL_ON);
  if (failOn) request['fail-on'] = failOn;
  const services = splitList(text('services') ?? '');
  if (services.length > 0) request.services = services;
  const profiles = splitList(text('profiles') ?? '');
  if (profiles.length > 0) request.profiles = profiles;
  for (const name of [
    'compose',
    'config',
    'network',
    'report',
    'github-token',
    'cache-registry-ref',
    'builder',
    'sarif',
  ] as const) {
    const value = text(name);
    if (value !== undefined) request[name] = value;
  }
  for (const name of [
    'max-size',
    'max-total-size',
    'noise-threshold',
    'min-free-disk',
    'host-memory',
  ] as const) {
    const bytes = unit(name, parseSize);
    if (bytes !== undefined) request[name] = bytes;
  }
  const parallel = text('parallel');
  if (parallel !== undefined) {
    if (!/^[1-9]\d{0,3}$/.test(parallel)) {
      throw new UserError(`${label('parallel')}: "${parallel}" is not a whole number from 1 to 9999`);
    }
    request.parallel = Number(parallel);
  }
  const maxBuildTime = unit('max-build-time', parseDuration);
  if (maxBuildTime !== undefined) request['max-build-time'] = maxBuildTime;
  const maxWallTime = unit('max-wall-time', parseDuration);
  if (maxWallTime !== undefined) request['max-wall-time'] = maxWallTime;
  const maxGrowth = unit('max-growth', parseGrowth);
  if (maxGrowth !== undefined) request['max-growth'] = maxGrowth;
  return request;
}

/**
 * One of `allowed`, or undefined when not given.
 * @throws UserError `<label>: "x" is not one of a, b, c`.
 */
export function parseChoice<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  label: string,
): T | undefined {
  if (value === undefined || value === '') return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UserError(`${label}: "${value}" is not one of ${allowed.join(', ')}`);
}

/** `fail-on` as the Action's input, the CLI's `check` and `lint` flags take it. */
export function parseFailOn(value: string | undefined, label: string): FailOn | undefined {
  return parseChoice(value, FAIL_ON, label);
}

/**
 * A boolean the way `core.getBooleanInput` reads one (YAML 1.2 core schema: true, True, TRUE, false,
 * False, FALSE); undefined when not given.
 */
export function parseBoolean(value: string | undefined, label: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new UserError(`${label}: "${value}" is not a boolean (use true or false)`);
}

/** Where a request runs: the pipeline's options also need these, which are not inputs. */
export interface RunPlace {
  /** The folder `working-directory` is relative to: the checkout (Action) or the current folder (CLI). */
  base: string;
  /** Short commit sha for the image tags, or `local`. */
  sha: string;
  /** Folder for build logs and temporary files, outside the repository. */
  workDir: string;
}

/** The one conversion from a request to the pipeline's options. */
export function runOptions(request: Request, place: RunPlace): RunOptions {
  const options: RunOptions = {
    root: rootOf(request, place.base),
    tag: request.tag,
    sha: place.sha,
    docker: request.docker,
    workDir: place.workDir,
    lintOnly: request['lint-only'],
    cache: request.cache,
    cacheScope: request['cache-scope'],
    analyze: request.analyze,
    budgets: budgetsOf(request),
  };
  if (request.compose) options.compose = request.compose;
  if (request.config) options.config = request.config;
  if (request.services) options.services = request.services;
  if (request.profiles) options.profiles = request.profiles;
  if (request.network) options.network = request.network;
  if (request['cache-registry-ref']) options.cacheRegistryRef = request['cache-registry-ref'];
  if (request.builder) options.builder = request.builder;
  if (request['min-free-disk'] !== undefined) options.minFreeDisk = request['min-free-disk'];
  if (request.parallel !== undefined) options.parallel = request.parallel;
  if (request['keep-logs']) options.keepLogs = true;
  if (request['noise-threshold'] !== undefined) options.noiseThreshold = request['noise-threshold'];
  if (request['pull-images']) options.pullImages = true;
  return options;
}

/** Absolute path of the folder with the compose file and the config. */
export function rootOf(request: Pick<Request, 'working-directory'>, base: string): string {
  return path.resolve(base, request['working-directory']);
}

function budgetsOf(request: Request): InputBudgets {
  const budgets: InputBudgets = {};
  if (request['max-size'] !== undefined) budgets.maxSize = request['max-size'];
  if (request['max-total-size'] !== undefined) budgets.maxTotalSize = request['max-total-size'];
  if (request['max-build-time'] !== undefined) budgets.maxBuildTime = request['max-build-time'];
  if (request['max-growth'] !== undefined) budgets.maxGrowth = request['max-growth'];
  if (request['host-memory'] !== undefined) budgets.hostMemory = request['host-memory'];
  if (request['max-wall-time'] !== undefined) budgets.maxWallTime = request['max-wall-time'];
  return budgets;
}

/** How a run is judged and compared: what fails it, and which size changes count. */
export interface Judging {
  failOn: FailOn;
  noiseThreshold: number;
}

/**
 * `fail-on` and `noise-threshold`: the input or flag, else the config file's, else the default. Every
 * verdict (the run, comment mode, the CLI) comes from this, so their headlines cannot disagree.
 */
export function judging(request: Pick<Request, 'fail-on' | 'noise-threshold'>, config: Config): Judging {
  return {
    failOn: request['fail-on'] ?? config.failOn ?? 'error',
    noiseThreshold: request['noise-threshold'] ?? config.noiseThreshold ?? DEFAULT_NOISE_THRESHOLD,
  };
}
