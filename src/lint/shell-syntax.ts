/**
 * tree-sitter-bash, run by web-tree-sitter (both WASM, no native code), for the shell model in
 * shell.ts: `syntaxTree(src)` gives a script's syntax tree as plain objects.
 *
 * Loading the grammar is asynchronous, so this module awaits it once when it is imported (top-level
 * await); parsing is synchronous after that, and the lint's API stays synchronous.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TreeSitter from 'web-tree-sitter';
import type { TreeCursor } from 'web-tree-sitter';
// web-tree-sitter's CommonJS build, by path: its ES build loads Node's `module` through a dynamic
// import that the ncc bundle of dist/ cannot serve (and the package exports only `.`).
// Its .d.cts declares the module ambiently (as `web-tree-sitter`), so the types are taken from there.
// @ts-expect-error -- the path's declaration file is not a module
import treeSitterCjs from '../../node_modules/web-tree-sitter/web-tree-sitter.cjs';

const { Language, Parser } = treeSitterCjs as typeof TreeSitter;
const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * A WASM file: beside this module when bundled (`npm run bundle` copies both into dist/), else
 * from its package. (A `new URL(…, import.meta.url)` would make the bundler rewrite the file.)
 */
function wasm(pkg: string, file: string): Buffer {
  const beside = path.join(here, file);
  return readFileSync(existsSync(beside) ? beside : createRequire(import.meta.url).resolve(`${pkg}/${file}`));
}

// Bundled into dist/ (an ES module), the CommonJS build's `__dirname` names a global: give it one.
// The WASM is passed in, so the folder is only recorded, never read.
(globalThis as { __dirname?: string }).__dirname ??= here;
await Parser.init({ wasmBinary: wasm('web-tree-sitter', 'web-tree-sitter.wasm') });
// Compiled here and loaded synchronously: `Language.load(bytes)` tells bytes from a path with an
// `instanceof Uint8Array`, which a test environment with another realm's globals (jsdom) defeats.
// (The project's TypeScript libs do not declare WebAssembly's values: Node has them.)
const wasmModule = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object } })
  .WebAssembly.Module;
const BASH = Language.loadSync(
  new wasmModule(wasm('tree-sitter-bash', 'tree-sitter-bash.wasm')) as Parameters<
    typeof Language.loadSync
  >[0],
);
const parser = new Parser();
parser.setLanguage(BASH);

/** The syntax tree of a shell script, or undefined when the parser gives none. */
export function syntaxTree(src: string): TsNode | undefined {
  const tree = parser.parse(src);
  if (!tree) return undefined;
  const cursor = tree.walk();
  try {
    return build(cursor, src, null);
  } finally {
    cursor.delete();
    tree.delete();
  }
}

/**
 * The syntax tree copied out of WASM memory in one cursor walk: reading a tree-sitter node's
 * children or text one property at a time costs a call into WASM each, which dominated the parse.
 */
export class TsNode {
  readonly children: TsNode[] = [];
  hasError = false;
  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly field: string | null,
    readonly isMissing: boolean,
    private readonly src: string,
  ) {}

  get text(): string {
    return this.src.slice(this.startIndex, this.endIndex);
  }

  get isError(): boolean {
    return this.type === 'ERROR';
  }

  get namedChildren(): TsNode[] {
    return this.children.filter((c) => c.isNamed);
  }

  child(i: number): TsNode | null {
    return this.children[i] ?? null;
  }

  namedChild(i: number): TsNode | null {
    return this.namedChildren[i] ?? null;
  }

  childForFieldName(f: string): TsNode | null {
    return this.children.find((c) => c.field === f) ?? null;
  }

  childrenForFieldName(f: string): TsNode[] {
    return this.children.filter((c) => c.field === f);
  }
}

const TYPES = BASH.types;
const FIELDS = BASH.fields;

function build(c: TreeCursor, src: string, field: string | null): TsNode {
  const n = new TsNode(
    TYPES[c.nodeTypeId] ?? c.nodeType,
    c.nodeIsNamed,
    c.startIndex,
    c.endIndex,
    field,
    c.nodeIsMissing,
    src,
  );
  if (c.gotoFirstChild()) {
    do {
      const k = build(c, src, FIELDS[c.currentFieldId] ?? null);
      n.children.push(k);
      if (k.hasError || k.isError || k.isMissing) n.hasError = true;
    } while (c.gotoNextSibling());
    c.gotoParent();
  }
  return n;
}
