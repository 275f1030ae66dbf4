/**
 * One compose file's YAML, read as hostile input: a cap on its size, on its nesting and on how much
 * its aliases expand, and a conversion to plain values in one pass (every node converted once, an
 * alias shares its anchor's value). Compose's own tags survive as values: `!reset` as `Reset`,
 * `!override` as `Override`, for the merge to apply. Pure: text in, values out.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { UserError } from '../util/errors.js';
import { interpolate, InterpolationError, type Lookup } from './interpolate.js';

/** Far above any real compose file; a larger text is refused before it is parsed. */
export const MAX_COMPOSE_BYTES = 2 * 1024 * 1024;
/** Deeper than any compose file needs (a service is about 5 levels deep). */
export const MAX_DEPTH = 64;
/** Aliases in one file: thousands of services each with `<<: *common` still fit. */
export const MAX_ALIASES = 5_000;
/** Nodes the aliases may add when expanded (the "billion laughs" measure). */
export const MAX_ALIAS_EXPANSION = 200_000;

/** A file refused by a cap (size, nesting, aliases): nothing else should read it either. */
export class YamlLimitError extends UserError {}

/** `key: !reset ...`: the key is removed from what earlier files gave. */
export class Reset {}
/** `key: !override value`: the value replaces what earlier files gave instead of merging. */
export class Override {
  constructor(readonly value: unknown) {}
}

export interface YamlFile {
  /** The document as plain values (objects, arrays, strings, numbers, booleans, null). */
  value: unknown;
  /** Line of each top-level `services:` entry's key. */
  serviceLines: Map<string, number>;
  /** Line of each key path under each service (`healthcheck.test`), as deep as compose's resource keys go. */
  keyLines: Map<string, Record<string, number>>;
}

/**
 * Parses one compose file. With `lookup`, string values are interpolated (`${VAR}`) on the way.
 * Throws a UserError naming the file (and line) for a YAML error or a file over a cap.
 */
export function parseYaml(text: string, file: string, lookup?: Lookup): YamlFile {
  if (text.length > MAX_COMPOSE_BYTES) {
    throw new YamlLimitError(`is larger than ${MAX_COMPOSE_BYTES / (1024 * 1024)} MiB: not read`, file);
  }
  const lineCounter = new LineCounter();
  // yaml's own `uniqueKeys` compares every key with every other (quadratic): the converter checks with a Set.
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: false, merge: true });
  const [yamlError] = doc.errors;
  if (yamlError) {
    const line = yamlError.linePos?.[0]?.line;
    throw new UserError(`invalid YAML: ${firstLine(yamlError.message)}`, file, line);
  }
  const lineOf = (node: unknown): number | undefined => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? lineCounter.linePos(range[0]).line : undefined;
  };
  const converter = new Converter(file, lineOf, lookup);
  const value = converter.convert(doc.contents, 0);
  const serviceLines = new Map<string, number>();
  const keyLines = new Map<string, Record<string, number>>();
  if (isMap(doc.contents)) {
    const services = doc.contents.items.find((pair) => isScalar(pair.key) && pair.key.value === 'services');
    if (services && isMap(services.value)) {
      for (const pair of services.value.items) {
        const line = lineOf(pair.key);
        if (isScalar(pair.key) && line !== undefined) serviceLines.set(String(pair.key.value), line);
        if (isScalar(pair.key)) keyLines.set(String(pair.key.value), linesUnder(pair.value, lineOf));
      }
    }
  }
  return { value, serviceLines, keyLines };
}

/** The line of every key path under `node` (`deploy.resources.limits.memory` is four deep). */
function linesUnder(
  node: unknown,
  lineOf: (node: unknown) => number | undefined,
  prefix = '',
  depth = 0,
): Record<string, number> {
  const lines: Record<string, number> = {};
  if (!isMap(node) || depth >= 4) return lines;
  for (const pair of node.items) {
    if (!isScalar(pair.key)) continue;
    const key = `${prefix}${String(pair.key.value)}`;
    const line = lineOf(pair.key);
    if (line !== undefined) lines[key] = line;
    Object.assign(lines, linesUnder(pair.value, lineOf, `${key}.`, depth + 1));
  }
  return lines;
}

class Converter {
  private readonly anchors = new Map<string, Node>();
  private readonly done = new Map<Node, unknown>();
  private readonly sizes = new Map<Node, number>();
  private aliases = 0;
  private expansion = 0;

  constructor(
    private readonly file: string,
    private readonly lineOf: (node: unknown) => number | undefined,
    private readonly lookup: Lookup | undefined,
  ) {}

  convert(node: unknown, depth: number): unknown {
    if (node === null || node === undefined) return null;
    if (depth > MAX_DEPTH) {
      throw new YamlLimitError(
        `nested deeper than ${MAX_DEPTH} levels: not read`,
        this.file,
        this.lineOf(node),
      );
    }
    if (isAlias(node)) return this.alias(node, node.source);
    const yamlNode = node as Node;
    if (this.done.has(yamlNode)) return this.done.get(yamlNode);
    let value: unknown;
    let size = 1;
    if (isMap(yamlNode)) {
      const object: Record<string, unknown> = {};
      /** Keys that came from `<<` merges: the mapping's own key may replace them once. */
      const merged = new Set<string>();
      for (const pair of yamlNode.items) {
        if (!isPair(pair)) continue;
        const key = pair.key;
        if (isScalar(key) && (key.value === '<<' || typeof key.value === 'symbol')) {
          for (const key of this.mergeKey(object, pair.value, depth)) merged.add(key);
          continue;
        }
        const name = isScalar(key) ? String(key.value) : String(this.convert(key, depth + 1));
        if (Object.hasOwn(object, name) && !merged.has(name)) {
          throw new UserError('invalid YAML: Map keys must be unique', this.file, this.lineOf(key));
        }
        merged.delete(name);
        object[name] = this.convert(pair.value, depth + 1);
        size += this.sizeOf(pair.value);
      }
      value = object;
    } else if (isSeq(yamlNode)) {
      value = yamlNode.items.map((item) => {
        const converted = this.convert(item, depth + 1);
        size += this.sizeOf(item);
        return converted;
      });
    } else if (isScalar(yamlNode)) {
      value = this.scalar(yamlNode.value, yamlNode);
    } else {
      value = null;
    }
    if (yamlNode.anchor) this.anchors.set(yamlNode.anchor, yamlNode);
    this.sizes.set(yamlNode, size);
    if (yamlNode.tag === '!reset') value = new Reset();
    else if (yamlNode.tag === '!override') value = new Override(value);
    this.done.set(yamlNode, value);
    return value;
  }

  /** `<<: *a` or `<<: [*a, *b]`: keys not already set come from the anchors, earlier ones first. */
  private mergeKey(object: Record<string, unknown>, source: unknown, depth: number): string[] {
    const added: string[] = [];
    const sources = isSeq(source) ? source.items : [source];
    for (const item of sources) {
      const value = this.convert(item, depth + 1);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new UserError('`<<` merges only mappings', this.file, this.lineOf(item));
      }
      for (const [key, entry] of Object.entries(value)) {
        if (Object.hasOwn(object, key)) continue;
        object[key] = entry;
        added.push(key);
      }
    }
    return added;
  }

  /** Interpolates `${VAR}` in string values (never keys), as compose does; errors name the line. */
  private scalar(value: unknown, node: Node): unknown {
    if (typeof value !== 'string' || !this.lookup || !value.includes('$')) return value;
    try {
      return interpolate(value, this.lookup);
    } catch (error) {
      if (!(error instanceof InterpolationError)) throw error;
      throw new UserError(error.message, this.file, this.lineOf(node));
    }
  }

  private alias(node: unknown, name: string): unknown {
    const anchor = this.anchors.get(name);
    if (!anchor) throw new UserError(`unknown YAML alias *${name}`, this.file, this.lineOf(node));
    this.aliases += 1;
    this.expansion += this.sizes.get(anchor) ?? 1;
    if (this.aliases > MAX_ALIASES || this.expansion > MAX_ALIAS_EXPANSION) {
      throw new YamlLimitError(
        'too many YAML aliases expand here; refusing to expand',
        this.file,
        this.lineOf(node),
      );
    }
    return this.done.get(anchor);
  }

  private sizeOf(node: unknown): number {
    if (isAlias(node)) {
      const anchor = this.anchors.get(node.source);
      return anchor ? (this.sizes.get(anchor) ?? 1) : 1;
    }
    return this.sizes.get(node as Node) ?? 1;
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? text;
}
