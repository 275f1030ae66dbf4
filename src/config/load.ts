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
import { UserError } from '../util/errors.js';
import { readTextBounded } from '../util/read-file.js';
import { KNOWN_KEYS, configFileSchema, emptyConfig, normalizeConfig, type Config } from './schema.js';

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
    readonly problems: string[],
  ) {
    super(message, file, line);
  }
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
      `${display}: cannot read the config file: ${why}`,
    ]);
  }
  return parseConfig(text, display);
}

/**
 * Validate config text (YAML) already read; `file` is the name used in messages and `Config.file`.
 * @throws ConfigError for a YAML error or a schema error.
 */
export function parseConfig(text: string, file: string): Config {
  const lineCounter = new LineCounter();
  // yaml's own `uniqueKeys` compares every key with every other (quadratic on a crafted file):
  // duplicates are found with a Set per mapping instead.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const problems = doc.errors.map((e) => {
    const line = lineCounter.linePos(e.pos[0]).line;
    return { line, message: `YAML error: ${firstLine(e.message)}` };
  });
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
  if (problems.length > 0) throw toError(file, problems);
  const raw: unknown = doc.toJS() ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw toError(file, [
      { line: 1, message: 'the config must be a mapping of keys (services, defaults, total, lint, ...)' },
    ]);
  }
  const parsed = configFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) => describeIssue(issue, raw, doc, lineCounter));
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw toError(file, problems);
  }
  const config = normalizeConfig(parsed.data, file);
  // A custom pattern runs on every line of every Dockerfile of a pull request: one that can
  // backtrack exponentially (`^(a+)+$`) would hang the job on a crafted line.
  const unsafe = config.lint.patterns.flatMap((p, i) =>
    safeRegex(p.regex)
      ? []
      : [
          {
            line: lineOf(doc, lineCounter, ['lint', 'patterns', i, 'regex']),
            message: `lint.patterns[${i}].regex: may take exponential time on some lines (nested repetition such as (a+)+): write it without a repeated group that repeats`,
          },
        ],
  );
  if (unsafe.length > 0) throw toError(file, unsafe);
  const unknownRules = unknownRuleIds(config).map(({ segments, id }) => {
    const hint = suggestKey(id, knownRuleIds(config));
    return {
      line: lineOf(doc, lineCounter, segments, id),
      message: `${keyPath([...segments, id])}: unknown rule${hint ? ` (did you mean ${hint}?)` : ''}`,
    };
  });
  if (unknownRules.length > 0) throw toError(file, unknownRules);
  return config;
}

/** Rule ids the config may set: the registry's (lint, image findings, deploy fit), and its own custom patterns'. */
function knownRuleIds(config: Config): string[] {
  return [...ruleIds(), ...config.lint.patterns.map((p) => p.id)];
}

/** `lint.rules` keys (global and per service) that name no rule: a typo would silently do nothing. */
function unknownRuleIds(config: Config): { segments: string[]; id: string }[] {
  const known = new Set(knownRuleIds(config));
  const sets: [string[], Record<string, unknown>][] = [
    [['lint', 'rules'], config.lint.rules],
    ...Object.entries(config.services).map(([name, s]): [string[], Record<string, unknown>] => [
      ['services', name, 'lint', 'rules'],
      s.lint?.rules ?? {},
    ]),
  ];
  return sets.flatMap(([segments, rules]) =>
    Object.keys(rules)
      .filter((id) => !known.has(id))
      .map((id) => ({ segments, id })),
  );
}

interface Problem {
  line?: number;
  message: string;
}

function toError(file: string, problems: Problem[]): ConfigError {
  const lines = problems.map((p) => `${file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
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

function describeIssue(issue: zcore.$ZodIssue, raw: unknown, doc: Document, lc: LineCounter): Problem[] {
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
