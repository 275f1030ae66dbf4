/**
 * Read `.github/image-budget.yml` (or the file given by the `config` input / `--config` flag) into a
 * normalized `Config`. Every mistake is a `ConfigError` (a `UserError`) naming the file, the line, the
 * key path and the value, e.g.
 * `.github/image-budget.yml:4: defaults.max-size: "abc" is not a size (use 500MB, 1.2GiB or a number of bytes)`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, isMap, isPair, isScalar, visit, type Document } from 'yaml';
import safeRegex from 'safe-regex2';
import type { core as zcore } from 'zod';
import { ruleIds } from '../rules/registry.js';
import { problem, UserError, type Problem } from '../util/errors.js';
import { readTextBounded } from '../util/read-file.js';
import {
  KNOWN_KEYS,
  RULE_ID,
  configFileSchema,
  emptyConfig,
  normalizeConfig,
  type BudgetLines,
  type Budgets,
  type Config,
  type ConfigLines,
} from './schema.js';

/** Far above any real config (a few KB): the cap for a file a pull request can write. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** Where the config is looked for when no path is given, relative to the repository root. */
export const DEFAULT_CONFIG_PATH = '.github/image-budget.yml';

/**
 * A config file's mistakes. `message`/`toLine()` is the first one; `problems` holds every one, each a
 * full line (`file:line: key.path: value ...`), for callers that print them all.
 */
export class ConfigError extends UserError {
  constructor(
    message: string,
    file: string,
    line: number | undefined,
    readonly problems: Problem[],
  ) {
    super(message, file, line);
  }
}

/**
 * The lines a config error shows, one per mistake: every problem of a `ConfigError`, the one line of
 * another `UserError`; undefined for anything else (a bug, to rethrow).
 */
export function problemsOf(error: unknown): Problem[] | undefined {
  if (error instanceof ConfigError) return error.problems.length > 0 ? error.problems : [error.toProblem()];
  if (error instanceof UserError) return [error.toProblem()];
  return undefined;
}

/**
 * Load and validate the config.
 * @param configPath the file to read (absolute, or relative to `root`); when undefined,
 *   `.github/image-budget.yml` (then `.github/image-budget.yaml`) is read if it exists, else the empty
 *   config is returned.
 * @param root absolute path of the repository root; `Config.file` is relative to it.
 * @throws ConfigError (a UserError) for a missing explicit file, a YAML error or a schema error.
 */
export function loadConfig(configPath: string | undefined, root: string): Config {
  let absolute: string;
  if (configPath === undefined || configPath === '') {
    const found = [DEFAULT_CONFIG_PATH, '.github/image-budget.yaml']
      .map((p) => path.resolve(root, p))
      .find((p) => existsSync(p));
    if (!found) return emptyConfig();
    absolute = found;
  } else {
    absolute = path.resolve(root, configPath);
  }
  const display = path.relative(root, absolute).split(path.sep).join('/') || absolute;
  let text: string;
  try {
    // A pull request writes this file: bounded, a regular file, inside the repository.
    text = readTextBounded(absolute, { root, maxBytes: MAX_CONFIG_BYTES, display });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const why = error.message === 'file not found' ? 'no such file' : error.message;
    throw new ConfigError(`cannot read the config file: ${why}`, display, undefined, [
      problem(`cannot read the config file: ${why}`, display),
    ]);
  }
  return parseConfig(text, display);
}

/**
 * Validate config text (YAML) already read; `file` is the name used in messages and `Config.file`.
 * Every problem is collected before anything is thrown: one `ConfigError` carries them all, in file
 * order (`problems`), so a user fixes the file in one go. Only a YAML syntax error stops the checks
 * early (the structure after it cannot be trusted), and then every syntax error is listed.
 * @throws ConfigError for YAML errors or schema errors.
 */
export function parseConfig(text: string, file: string): Config {
  const lineCounter = new LineCounter();
  // yaml's own `uniqueKeys` compares every key with every other (quadratic on a crafted file):
  // duplicates are found with a Set per mapping instead.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const syntax: Mistake[] = doc.errors.map((e) => {
    const line = lineCounter.linePos(e.pos[0]).line;
    return { line, message: `YAML error: ${firstLine(e.message)}` };
  });
  const problems: Mistake[] = [...syntax, ...duplicateKeys(doc, lineCounter)];
  if (syntax.length > 0) throw toError(file, problems);
  const raw: unknown = doc.toJS() ?? {};
  if (!isRecord(raw)) {
    throw toError(file, [
      { line: 1, message: 'the config must be a mapping of keys (services, defaults, total, lint, ...)' },
    ]);
  }
  const parsed = configFileSchema.safeParse(raw);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.flatMap((issue) => describeIssue(issue, raw, doc, lineCounter)));
  }
  // Checked on the file as written, so that they are listed with the schema's problems.
  problems.push(...unsafePatterns(raw, doc, lineCounter), ...unknownRules(raw, doc, lineCounter));
  if (problems.length > 0 || !parsed.success) {
    // Stable: problems of one line keep the order they were found in.
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw toError(file, problems);
  }
  const config = normalizeConfig(parsed.data, file);
  const lines = budgetLines(doc, lineCounter);
  if (lines) config.lines = lines;
  return config;
}

/** Keys repeated in one mapping (a later one would silently replace the earlier one). */
function duplicateKeys(doc: Document, lineCounter: LineCounter): Mistake[] {
  const problems: Mistake[] = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (!seen.has(key)) {
          seen.add(key);
          continue;
        }
        const pos = isScalar(pair.key) && pair.key.range ? pair.key.range[0] : 0;
        problems.push({
          line: lineCounter.linePos(pos).line,
          message: 'YAML error: Map keys must be unique',
        });
      }
    },
  });
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function recordAt(value: unknown, ...segments: string[]): Record<string, unknown> | undefined {
  const found = valueAt(value, segments);
  return isRecord(found) ? found : undefined;
}

/** `lint.patterns` as written: the items that are mappings (the schema names the others). */
function rawPatterns(raw: Record<string, unknown>): [number, Record<string, unknown>][] {
  const patterns = recordAt(raw, 'lint')?.patterns;
  if (!Array.isArray(patterns)) return [];
  return patterns.flatMap((p, i): [number, Record<string, unknown>][] => (isRecord(p) ? [[i, p]] : []));
}

/**
 * A custom pattern runs on every line of every Dockerfile of a pull request: one that can backtrack
 * exponentially (`^(a+)+$`) would hang the job on a crafted line. (One that does not compile is the
 * schema's problem.)
 */
function unsafePatterns(raw: Record<string, unknown>, doc: Document, lc: LineCounter): Mistake[] {
  return rawPatterns(raw).flatMap(([i, p]) =>
    typeof p.regex === 'string' && compiles(p.regex) && !safeRegex(p.regex)
      ? [
          {
            line: lineOf(doc, lc, ['lint', 'patterns', i, 'regex']),
            message: `lint.patterns[${i}].regex: may take exponential time on some lines (nested repetition such as (a+)+): write it without a repeated group that repeats`,
          },
        ]
      : [],
  );
}

function compiles(regex: string): boolean {
  try {
    new RegExp(regex);
    return true;
  } catch {
    return false;
  }
}

/**
 * `lint.rules` keys (global and per service) that name no rule of the registry nor a custom
 * pattern of the file: a typo would silently do nothing. Keys that are not kebab-case ids are the
 * schema's problem.
 */
function unknownRules(raw: Record<string, unknown>, doc: Document, lc: LineCounter): Mistake[] {
  const custom = rawPatterns(raw).flatMap(([, p]) => (typeof p.id === 'string' ? [p.id] : []));
  const known = [...ruleIds(), ...custom];
  const knownSet = new Set(known);
  const sets: [string[], Record<string, unknown> | undefined][] = [
    [['lint', 'rules'], recordAt(raw, 'lint', 'rules')],
    ...Object.keys(recordAt(raw, 'services') ?? {}).map(
      (name): [string[], Record<string, unknown> | undefined] => [
        ['services', name, 'lint', 'rules'],
        recordAt(raw, 'services', name, 'lint', 'rules'),
      ],
    ),
  ];
  return sets.flatMap(([segments, rules]) =>
    Object.keys(rules ?? {})
      .filter((id) => RULE_ID.test(id) && !knownSet.has(id))
      .map((id) => {
        const hint = suggestKey(id, known);
        return {
          line: lineOf(doc, lc, segments, id),
          message: `${keyPath([...segments, id])}: unknown rule${hint ? ` (did you mean ${hint}?)` : ''}`,
        };
      }),
  );
}

const BUDGET_KEYS: [string, keyof Budgets][] = [
  ['max-size', 'maxSize'],
  ['max-compressed-size', 'maxCompressedSize'],
  ['max-build-time', 'maxBuildTime'],
  ['max-growth', 'maxGrowth'],
  ['max-layers', 'maxLayers'],
];

/**
 * The 1-based line of each budget key of a valid file (`Violation.limitSource`); undefined without
 * any. One walk over the document's mappings: a file with thousands of services stays linear.
 */
function budgetLines(doc: Document, lc: LineCounter): ConfigLines | undefined {
  const keys = (node: unknown): Map<string, { line: number; value: unknown }> => {
    const out = new Map<string, { line: number; value: unknown }>();
    if (!isMap(node)) return out;
    for (const pair of node.items) {
      if (!isScalar(pair.key) || !pair.key.range) continue;
      out.set(String(pair.key.value), { line: lc.linePos(pair.key.range[0]).line, value: pair.value });
    }
    return out;
  };
  const budgets = (node: unknown): BudgetLines => {
    const found = keys(node);
    const out: BudgetLines = {};
    for (const [key, camel] of BUDGET_KEYS) {
      const line = found.get(key)?.line;
      if (line !== undefined) out[camel] = line;
    }
    return out;
  };
  const top = keys(doc.contents);
  const lines: ConfigLines = { services: {}, defaults: budgets(top.get('defaults')?.value), total: {} };
  for (const [name, { value }] of keys(top.get('services')?.value)) {
    const own = budgets(value);
    if (Object.keys(own).length > 0) lines.services[name] = own;
  }
  const total = keys(top.get('total')?.value);
  const totalSize = total.get('max-size')?.line;
  if (totalSize !== undefined) lines.total.maxSize = totalSize;
  const totalTime = total.get('max-build-time')?.line;
  if (totalTime !== undefined) lines.total.maxBuildTime = totalTime;
  const hostMemory = keys(top.get('host')?.value).get('memory')?.line;
  if (hostMemory !== undefined) lines.hostMemory = hostMemory;
  const wallTime = top.get('max-wall-time')?.line;
  if (wallTime !== undefined) lines.maxWallTime = wallTime;
  const empty =
    Object.keys(lines.services).length === 0 &&
    Object.keys(lines.defaults).length === 0 &&
    Object.keys(lines.total).length === 0 &&
    lines.hostMemory === undefined &&
    lines.maxWallTime === undefined;
  return empty ? undefined : lines;
}

/** A mistake found in the file, before it is given the file's name. */
interface Mistake {
  line?: number;
  message: string;
}

function toError(file: string, problems: Mistake[]): ConfigError {
  const lines = problems.map((p) => problem(p.message, file, p.line));
  const first = problems[0] ?? { message: 'invalid config' };
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return new ConfigError(`${first.message}${more}`, file, first.line, lines);
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

/** `services.api.max-size`, `lint.patterns[0].regex`. */
export function keyPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out ? `.${String(s)}` : String(s);
  }
  return out || '(top level)';
}

function valueAt(raw: unknown, segments: readonly PropertyKey[]): unknown {
  let cur: unknown = raw;
  for (const s of segments) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[s];
  }
  return cur;
}

function show(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'empty';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'a mapping';
  return String(value);
}

function lineOf(
  doc: Document,
  lineCounter: LineCounter,
  segments: readonly PropertyKey[],
  key?: string,
): number | undefined {
  const node = doc.getIn(segments as unknown[], true) as unknown;
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
    const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
    if (range) return lineCounter.linePos(range[0]).line;
  }
  const range = (node as { range?: [number, number, number] } | undefined)?.range;
  if (range) return lineCounter.linePos(range[0]).line;
  if (segments.length > 0) return lineOf(doc, lineCounter, segments.slice(0, -1));
  return undefined;
}

/** Closest known key by edit distance, when it is close enough to be a typo. */
export function suggestKey(key: string, known: readonly string[] = KNOWN_KEYS): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k);
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 4)) ? best : undefined;
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

function describeIssue(issue: zcore.$ZodIssue, raw: unknown, doc: Document, lc: LineCounter): Mistake[] {
  const segments = issue.path;
  const where = keyPath(segments);
  const value = valueAt(raw, segments);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const hint = suggestKey(key);
        return {
          line: lineOf(doc, lc, segments, key),
          message: `${keyPath([...segments, key])}: unknown key${hint && hint !== key ? ` (did you mean ${hint}?)` : ''}`,
        };
      });
    case 'custom':
      return [{ line: lineOf(doc, lc, segments), message: `${where}: ${issue.message}` }];
    case 'invalid_value':
      return [
        {
          line: lineOf(doc, lc, segments),
          message: `${where}: ${show(value)} is not one of ${issue.values.map(String).join(', ')}`,
        },
      ];
    case 'invalid_type': {
      const expected = issue.expected === 'record' ? 'object' : issue.expected;
      const noun = expected === 'object' ? 'a mapping' : expected === 'array' ? 'a list' : `a ${expected}`;
      const message =
        value === undefined
          ? `${where}: is required (${noun})`
          : value === null
            ? `${where}: is empty (expected ${noun})`
            : `${where}: ${show(value)} should be ${noun}`;
      return [{ line: lineOf(doc, lc, segments), message }];
    }
    case 'invalid_union':
      return [
        {
          line: lineOf(doc, lc, segments),
          message: `${where}: ${show(value)} should be a string, a number or true/false`,
        },
      ];
    case 'too_small':
      return [{ line: lineOf(doc, lc, segments), message: `${where}: ${show(value)} is empty` }];
    case 'invalid_key': {
      const key = segments[segments.length - 1];
      return [
        {
          line: lineOf(doc, lc, segments.slice(0, -1), String(key)),
          message: `${where}: ${JSON.stringify(String(key))} is not a rule id (ids are kebab-case, like cuda-torch)`,
        },
      ];
    }
    case 'invalid_format':
      return [{ line: lineOf(doc, lc, segments), message: `${where}: ${show(value)} ${issue.message}` }];
    default:
      return [{ line: lineOf(doc, lc, segments), message: `${where}: ${show(value)}: ${issue.message}` }];
  }
}

/** Re-exported for callers that only import the loader. */
export type { Config } from './schema.js';
