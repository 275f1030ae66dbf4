/**
 * Every YAML example of the README and docs/ is checked, whatever page it is on:
 * - a config file (or a piece of one) is read by the real loader: accepted, or, under a `## Bad`
 *   heading, rejected; the rule ids it sets are the registry's (or its own patterns');
 * - a workflow (`on:`, `jobs:` or `steps:`) parses, and every `with:` key of a step that uses
 *   image-budget is an input of action.yml; a README workflow that names a file of
 *   examples/workflows/ is that file, byte for byte, and those files are checked the same way;
 * - a compose file parses (docs/compose.md and docs/deploy.md check what they mean);
 * - a block that is none of these fails the test, so that a new example cannot go unchecked.
 * Rules named in the prose ("the cuda-torch rule", links to docs/rules/) are the registry's too.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { isMap, isScalar, parse, parseDocument } from 'yaml';
import { ConfigError, parseConfig } from '../../../src/config/load.js';
import { configFileSchema } from '../../../src/config/schema.js';
import { ruleIds } from '../../../src/rules/registry.js';

const root = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

function markdownFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return markdownFiles(file);
    return entry.name.endsWith('.md') ? [file] : [];
  });
}

const PAGES = ['README.md', ...markdownFiles('docs')];

interface Block {
  page: string;
  /** The line of the opening fence, 1-based. */
  line: number;
  text: string;
  /** The nearest `## ` heading above the block. */
  heading: string;
  /** The text between the previous block (or heading) and this one. */
  before: string;
}

/** The fenced ```yaml / ```yml blocks of a page. */
function yamlBlocks(page: string): Block[] {
  const text = read(page);
  const blocks: Block[] = [];
  let heading = '';
  let lastEnd = 0;
  for (const match of text.matchAll(/^(#{2,3} .*)$|^```(ya?ml)?[^\n]*\n([\s\S]*?)^```$/gm)) {
    if (match[1]?.startsWith('## ')) heading = match[1].slice(3).trim();
    if (match[1] !== undefined) {
      lastEnd = match.index + match[0].length;
      continue;
    }
    if (match[2]) {
      blocks.push({
        page,
        line: text.slice(0, match.index).split('\n').length,
        text: match[3]!,
        heading,
        before: text.slice(lastEnd, match.index),
      });
    }
    lastEnd = match.index + match[0].length;
  }
  return blocks;
}

const BLOCKS = PAGES.flatMap(yamlBlocks);

const CONFIG_TOP = new Set(Object.keys(configFileSchema.shape));
const LINT_KEYS = new Set(['rules', 'patterns']);
const BUDGET_KEYS = new Set([
  'max-size',
  'max-compressed-size',
  'max-build-time',
  'max-growth',
  'max-layers',
]);
/** Keys a compose service has and a config service never does. */
const COMPOSE_SERVICE_KEYS = ['build', 'image', 'deploy', 'command', 'environment', 'ports', 'mem_limit'];
const COMPOSE_TOP = new Set(['volumes', 'networks', 'include', 'configs', 'secrets', 'name']);
const WORKFLOW_TOP = ['on', 'jobs', 'steps'];

type Kind = 'config' | 'lint fragment' | 'budget fragment' | 'workflow' | 'compose' | 'unknown';

/** The top-level keys of a block, in order, repeated ones included (the `max-growth` forms). */
function topKeys(text: string): string[] {
  const contents = parseDocument(text, { uniqueKeys: false }).contents;
  if (!isMap(contents)) return [];
  return contents.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : ''));
}

function kindOf(text: string): Kind {
  const doc = parseDocument(text, { uniqueKeys: false });
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return 'config'; // only comments (the schema line)
  if (typeof value !== 'object' || Array.isArray(value)) return 'unknown';
  const keys = topKeys(text);
  if (keys.some((k) => WORKFLOW_TOP.includes(k))) return 'workflow';
  const services = (value as { services?: Record<string, unknown> }).services;
  const composeService = Object.values(services ?? {}).some(
    (s) => s !== null && typeof s === 'object' && COMPOSE_SERVICE_KEYS.some((k) => k in s),
  );
  if (composeService || keys.some((k) => COMPOSE_TOP.has(k)) || /^# compose\b/.test(text)) return 'compose';
  if (keys.every((k) => CONFIG_TOP.has(k))) return 'config';
  if (keys.every((k) => LINT_KEYS.has(k))) return 'lint fragment';
  if (keys.every((k) => BUDGET_KEYS.has(k))) return 'budget fragment';
  return 'unknown';
}

/** The config files a block stands for: itself, or each of its listed alternatives, under their section. */
function configsOf(block: Block, kind: Kind): string[] {
  const keys = topKeys(block.text);
  // A list of alternatives (the same key on several lines): each line is one example.
  const alternatives =
    new Set(keys).size < keys.length
      ? block.text.split('\n').filter((line) => /^[a-z]/.test(line))
      : [block.text];
  const indent = (text: string) =>
    text
      .split('\n')
      .map((line) => (line ? `  ${line}` : line))
      .join('\n');
  return alternatives.map((text) =>
    kind === 'lint fragment'
      ? `lint:\n${indent(text)}`
      : kind === 'budget fragment'
        ? `defaults:\n${indent(text)}`
        : text,
  );
}

const where = (block: Block) => `${block.page}:${block.line}`;
const rows = (kinds: Kind[]) =>
  BLOCKS.map((b) => [where(b), b, kindOf(b.text)] as const).filter(([, , kind]) => kinds.includes(kind));

const action = parse(read('action.yml')) as { inputs: Record<string, unknown> };
const INPUTS = new Set(Object.keys(action.inputs));
const RULES = new Set(ruleIds());

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}

/** The steps of a workflow (every job's) or of a `steps:` piece of one. */
function stepsOf(workflow: { jobs?: Record<string, { steps?: Step[] }>; steps?: Step[] }): Step[] {
  return [...(workflow.steps ?? []), ...Object.values(workflow.jobs ?? {}).flatMap((job) => job.steps ?? [])];
}

/** A step that runs this action: `<owner>/image-budget@<ref>` (ORG in the docs) or the repository itself. */
const isOurs = (uses: string | undefined) => uses !== undefined && /(^|\/)image-budget@|^\.\/?$/.test(uses);

function checkWorkflow(text: string, name: string): void {
  const doc = parseDocument(text);
  expect(doc.errors.map((e) => `${name}: ${e.message}`)).toEqual([]);
  const steps = stepsOf(doc.toJS() as Parameters<typeof stepsOf>[0]);
  const ours = steps.filter((s) => isOurs(s.uses));
  expect(ours.length, `${name} uses image-budget`).toBeGreaterThan(0);
  for (const step of ours) {
    const unknown = Object.keys(step.with ?? {}).filter((key) => !INPUTS.has(key));
    expect(unknown, `${name}: with: keys that are not inputs of action.yml`).toEqual([]);
  }
}

describe('docs examples', () => {
  test('there are examples of every kind, and every block is one of them', () => {
    const kinds = BLOCKS.map((b) => kindOf(b.text));
    for (const kind of ['config', 'workflow', 'compose'] as const) expect(kinds).toContain(kind);
    expect(BLOCKS.filter((b) => kindOf(b.text) === 'unknown').map(where)).toEqual([]);
  });

  test.each(rows(['config', 'lint fragment', 'budget fragment']))(
    '%s: a config the loader reads',
    (name, block, kind) => {
      const bad = block.heading === 'Bad';
      for (const config of configsOf(block, kind)) {
        if (bad) {
          expect(() => parseConfig(config, name), `${name} is a bad example: the loader refuses it`).toThrow(
            ConfigError,
          );
          continue;
        }
        const parsed = parseConfig(config, name);
        // Named again here, so that a registry change shows on the page: ids of the registry or of the file's patterns.
        const own = new Set(parsed.lint.patterns.map((p) => p.id));
        const ids = [
          ...Object.keys(parsed.lint.rules),
          ...Object.values(parsed.services).flatMap((s) => Object.keys(s.lint?.rules ?? {})),
        ];
        expect(
          ids.filter((id) => !RULES.has(id) && !own.has(id)),
          `${name}: rule ids`,
        ).toEqual([]);
      }
    },
  );

  test.each(rows(['workflow']))('%s: a workflow whose image-budget inputs exist', (name, block) => {
    checkWorkflow(block.text, name);
  });

  test.each(rows(['compose']))('%s: a compose file that parses', (name, block) => {
    expect(parseDocument(block.text).errors.map((e) => `${name}: ${e.message}`)).toEqual([]);
  });

  test('a README workflow that names a file of examples/workflows/ is that file', () => {
    const named = BLOCKS.filter((b) => b.page === 'README.md' && kindOf(b.text) === 'workflow').flatMap(
      (b) => {
        const file = /\]\((examples\/workflows\/[\w.-]+\.ya?ml)\)[^\n]*\n*$/.exec(b.before)?.[1];
        return file ? [[file, b.text] as const] : [];
      },
    );
    expect(named.length).toBeGreaterThan(0);
    for (const [file, text] of named) expect(text, file).toBe(read(file));
  });

  test.each(readdirSync(path.join(root, 'examples/workflows')).map((f) => [`examples/workflows/${f}`]))(
    '%s: a workflow whose image-budget inputs exist',
    (file) => {
      checkWorkflow(read(file), file);
    },
  );
});

describe('rules named in the docs', () => {
  /** "the cuda-torch rule", "`cuda-torch` rule", "rule `cuda-torch`", in prose or in an example's comments. */
  const MENTION =
    /\bthe `?([a-z0-9]+(?:-[a-z0-9]+)+)`? rule\b|`([a-z0-9]+(?:-[a-z0-9]+)+)` rule\b|\brules? `([a-z0-9]+(?:-[a-z0-9]+)+)`/g;
  const mentions = PAGES.flatMap((page) =>
    read(page)
      .split('\n')
      .flatMap((text, i) =>
        [...text.matchAll(MENTION)].map((m) => [`${page}:${i + 1}`, m[1] ?? m[2] ?? m[3]!] as const),
      ),
  );

  test('there are some, and each is a rule of the registry', () => {
    expect(mentions.length).toBeGreaterThan(0);
    expect(mentions.filter(([, id]) => !RULES.has(id))).toEqual([]);
  });

  test('every link to docs/rules/ reaches a page there, and a rule page is a rule of the registry', () => {
    const links = PAGES.flatMap((page) =>
      [...read(page).matchAll(/\]\(([^)\s#]+\.md)(?:#[^)]*)?\)/g)]
        .map((m) => path.posix.normalize(path.posix.join(path.posix.dirname(page), m[1]!)))
        .filter((target) => target.startsWith('docs/rules/'))
        .map((target) => [page, target] as const),
    );
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter(([, target]) => !existsSync(path.join(root, target)))).toEqual([]);
    // A page there that starts as a rule page (`# <id>`, then Bad and Good) is the registry's.
    const rulePages = markdownFiles('docs/rules').filter((f) => /^# [a-z0-9-]+\n[\s\S]*## Bad/.test(read(f)));
    expect(rulePages.map((f) => path.basename(f, '.md')).filter((id) => !RULES.has(id))).toEqual([]);
  });
});
