/**
 * The shell model of a `RUN` (or of a script a RUN runs), from tree-sitter-bash's syntax tree
 * (web-tree-sitter, WASM): simple commands with their words (quotes removed, expansions kept
 * verbatim, offsets in the source), prefix assignments and heredocs, inside the control structure
 * the shell runs (`&&`, `||`, `|`, `;`, `if`/`elif`/`else`, `case`, loops, `{ }`, `( )`, functions).
 * The parser itself is in shell-syntax.ts.
 */
import { type TsNode, syntaxTree } from './shell-syntax.js';

export interface Word {
  value: string;
  start: number;
  end: number;
}

export interface Heredoc {
  /** The delimiter, quotes removed. */
  name: string;
  /** The body as the parser read it (when the text held it). */
  content: string;
}

export interface Command {
  type: 'command';
  /** `NAME=value` before the command (value resolved), or the whole statement when it has no command. */
  assigns: Word[];
  /** The command's name and arguments; empty for a statement of assignments only. */
  words: Word[];
  heredocs: Heredoc[];
}

/** `[ … ]`, `[[ … ]]`: its words, brackets included (`[`, `"$X"` → `$X`, `=`, `v`, `]`). */
export interface Test {
  type: 'test';
  words: Word[];
}

export type ShellNode =
  | Command
  | Test
  | { type: 'list'; op: '&&' | '||'; left: ShellNode; right: ShellNode }
  | { type: 'pipeline'; items: ShellNode[] }
  | { type: 'not'; item: ShellNode }
  /** `;`/newline sequences, `{ }`, `( )`, loops (`while`, `until`, `for`): run in order. */
  | { type: 'block'; items: ShellNode[] }
  | { type: 'if'; clauses: { cond: ShellNode[] | undefined; body: ShellNode[] }[] }
  | { type: 'case'; subject: Word; items: { patterns: string[]; body: ShellNode[] }[] }
  | { type: 'function'; name: string; body: ShellNode[] };

export interface ShellScript {
  items: ShellNode[];
  /** A quote the shell never sees closed: the script fails. */
  unterminated?: { offset: number; quote: string };
  /** Where the parser found the first syntax error, if any (commands around it are still read). */
  error?: number;
}

/** Parse a shell script (synchronous once this module is loaded). */
export function parseShell(src: string): ShellScript {
  const root = syntaxTree(src);
  if (!root) return { items: [] };
  const out: ShellScript = { items: statements(root.namedChildren, src) };
  if (root.hasError || root.isError) {
    const bad = firstError(root);
    if (bad) {
      out.error = bad.startIndex;
      const q = unterminatedQuote(src, bad);
      if (q) out.unterminated = q;
    }
  }
  return out;
}

/** The statements a node holds directly, in source order (conditions before bodies). */
export function childrenOf(n: ShellNode): ShellNode[] {
  switch (n.type) {
    case 'command':
    case 'test':
      return [];
    case 'list':
      return [n.left, n.right];
    case 'not':
      return [n.item];
    case 'pipeline':
    case 'block':
      return n.items;
    case 'function':
      return n.body;
    case 'if':
      return n.clauses.flatMap((c) => [...(c.cond ?? []), ...c.body]);
    case 'case':
      return n.items.flatMap((it) => it.body);
  }
}

/** Every simple command of a script in source order, control structure dropped. */
export function commandsOf(items: readonly ShellNode[]): Command[] {
  const out: Command[] = [];
  const visit = (n: ShellNode): void => {
    if (n.type === 'command') out.push(n);
    else childrenOf(n).forEach(visit);
  };
  items.forEach(visit);
  return out;
}

/** The words of each simple command (assignments first), as a shell would split them. */
export function splitShell(src: string): { commands: Word[][] } {
  return { commands: commandsOf(parseShell(src).items).map((c) => [...c.assigns, ...c.words]) };
}

// ---- from the syntax tree --------------------------------------------------------------------

function firstError(n: TsNode): TsNode | undefined {
  if (n.isError || n.isMissing) return n;
  for (const c of n.children) {
    if (c.hasError || c.isError || c.isMissing) {
      const e = firstError(c);
      if (e) return e;
    }
  }
  return undefined;
}

/** A `"` or `'` that opens in the erroneous part and is never closed. */
function unterminatedQuote(src: string, bad: TsNode): ShellScript['unterminated'] {
  const rest = src.slice(bad.startIndex);
  const m = /["']/.exec(rest);
  if (!m) return undefined;
  const at = bad.startIndex + m.index;
  if (src.indexOf(m[0], at + 1) >= 0) return undefined;
  return { offset: at, quote: m[0] };
}

function statements(nodes: readonly (TsNode | null)[], src: string): ShellNode[] {
  const out: ShellNode[] = [];
  for (const n of nodes) {
    if (!n) continue;
    const s = statement(n, src);
    if (s) out.push(s);
  }
  return out;
}

const WORDISH = new Set([
  'word',
  'string',
  'raw_string',
  'ansi_c_string',
  'translated_string',
  'concatenation',
  'number',
  'simple_expansion',
  'expansion',
  'command_substitution',
  'arithmetic_expansion',
  'process_substitution',
  'brace_expression',
  'extglob_pattern',
  'regex',
  'array',
]);

function statement(n: TsNode, src: string): ShellNode | undefined {
  switch (n.type) {
    case 'command':
    case 'declaration_command':
    case 'unset_command':
      return command(n, src);
    case 'variable_assignment':
    case 'variable_assignments':
      return {
        type: 'command',
        assigns: (n.type === 'variable_assignment' ? [n] : n.namedChildren).flatMap((a) =>
          a ? [assignment(a, src)] : [],
        ),
        words: [],
        heredocs: [],
      };
    case 'test_command':
      return { type: 'test', words: testWords(n, src) };
    case 'redirected_statement':
      return redirected(n, src);
    case 'list':
      return list(n, src);
    case 'pipeline':
      return { type: 'pipeline', items: statements(n.namedChildren, src) };
    case 'negated_command': {
      const item = statements(n.namedChildren, src)[0];
      return item ? { type: 'not', item } : undefined;
    }
    case 'if_statement':
      return ifStatement(n, src);
    case 'case_statement':
      return caseStatement(n, src);
    case 'function_definition': {
      const name = n.childForFieldName('name');
      const body = n.childForFieldName('body');
      return {
        type: 'function',
        name: name ? wordValue(name) : '',
        body: body ? statements(body.namedChildren, src) : [],
      };
    }
    case 'program':
    case 'compound_statement':
    case 'subshell':
    case 'do_group':
    case 'while_statement':
    case 'for_statement':
    case 'c_style_for_statement':
    case 'ERROR':
      // Loops run their body as written; an erroneous part still holds the commands around the error.
      return { type: 'block', items: statements(n.namedChildren, src) };
    default:
      return undefined;
  }
}

function command(n: TsNode, src: string): Command {
  const out: Command = { type: 'command', assigns: [], words: [], heredocs: [] };
  if (n.type !== 'command') {
    // `export A=1 B`, `local x`, `unset X`: a command whose words are its arguments as written.
    const kw = n.child(0);
    if (kw) out.words.push({ value: kw.text, start: kw.startIndex, end: kw.endIndex });
  }
  for (const c of n.namedChildren) {
    if (!c) continue;
    if (c.type === 'variable_assignment') {
      (n.type === 'command' ? out.assigns : out.words).push(assignment(c, src));
    } else if (c.type === 'command_name') {
      const w = c.namedChild(0) ?? c;
      out.words.push(word(w));
    } else if (WORDISH.has(c.type) || c.type === 'variable_name') out.words.push(word(c));
    else if (c.type === 'heredoc_redirect') out.heredocs.push(heredoc(c));
  }
  return out;
}

function assignment(a: TsNode, src: string): Word {
  const name = a.childForFieldName('name');
  const value = a.childForFieldName('value');
  const op = a.children.find((c) => c && (c.type === '=' || c.type === '+='))?.type ?? '=';
  const v = value ? (value.type === 'array' ? value.text : wordValue(value)) : '';
  void src;
  return { value: `${name?.text ?? ''}${op}${v}`, start: a.startIndex, end: a.endIndex };
}

function heredoc(h: TsNode): Heredoc {
  const start = h.namedChildren.find((c) => c?.type === 'heredoc_start');
  const body = h.namedChildren.find((c) => c?.type === 'heredoc_body');
  return { name: start ? start.text.replace(/^["']|["']$/g, '') : '', content: body?.text ?? '' };
}

/**
 * `cmd <<EOF > f && next`: tree-sitter-bash hangs what follows a heredoc opener on the line
 * (`&& next`, `| next`) inside the heredoc redirect; it is put back after the command here.
 */
function redirected(n: TsNode, src: string): ShellNode | undefined {
  const bodyNode = n.childForFieldName('body');
  let node: ShellNode | undefined = bodyNode ? statement(bodyNode, src) : undefined;
  const heredocs: Heredoc[] = [];
  for (const c of n.namedChildren) {
    if (!c || c.type !== 'heredoc_redirect') continue;
    heredocs.push(heredoc(c));
    let op: '&&' | '||' | '|' | undefined;
    for (const k of c.children) {
      if (!k) continue;
      if (k.type === '&&' || k.type === '||' || k.type === '|') op = k.type;
      else if (
        k.isNamed &&
        !['heredoc_start', 'heredoc_body', 'heredoc_end', 'file_redirect'].includes(k.type)
      ) {
        const next = statement(k, src);
        if (!next || !node) continue;
        if (next.type === 'pipeline' && op === undefined)
          node = { type: 'pipeline', items: [node, ...next.items] };
        else if (op === '&&' || op === '||') node = { type: 'list', op, left: node, right: next };
        else node = { type: 'pipeline', items: [node, next] };
        op = undefined;
      }
    }
  }
  if (node?.type === 'command') node.heredocs.push(...heredocs);
  else if (node && heredocs.length) {
    const first = commandsOf([node])[0];
    if (first) first.heredocs.push(...heredocs);
  }
  return node;
}

function list(n: TsNode, src: string): ShellNode | undefined {
  const parts = n.namedChildren.filter((c): c is TsNode => !!c);
  const opNode = n.children.find((c) => c && (c.type === '&&' || c.type === '||'));
  const [l, r] = parts;
  const left = l ? statement(l, src) : undefined;
  const right = r ? statement(r, src) : undefined;
  if (!left || !right || !opNode) return left ?? right;
  return { type: 'list', op: opNode.type as '&&' | '||', left, right };
}

/** `if c; then a; elif d; then b; else e; fi`: each clause's condition and body, in order. */
function ifStatement(n: TsNode, src: string): ShellNode {
  const clauses: { cond: ShellNode[] | undefined; body: ShellNode[] }[] = [];
  const read = (node: TsNode, hasCond: boolean): void => {
    const cond: TsNode[] = [];
    const body: TsNode[] = [];
    const nested: TsNode[] = [];
    let inBody = !hasCond;
    for (const c of node.children) {
      if (!c) continue;
      if (c.type === 'then') inBody = true;
      else if (c.type === 'elif_clause' || c.type === 'else_clause') nested.push(c);
      else if (c.isNamed && c.type !== 'comment') (inBody ? body : cond).push(c);
    }
    clauses.push({ cond: hasCond ? statements(cond, src) : undefined, body: statements(body, src) });
    for (const c of nested) read(c, c.type === 'elif_clause');
  };
  read(n, true);
  return { type: 'if', clauses };
}

function caseStatement(n: TsNode, src: string): ShellNode {
  const value = n.childForFieldName('value');
  const items: { patterns: string[]; body: ShellNode[] }[] = [];
  for (const it of n.namedChildren) {
    if (!it || it.type !== 'case_item') continue;
    const patterns = it.childrenForFieldName('value').flatMap((p) => (p ? [wordValue(p)] : []));
    const body = it.namedChildren.filter(
      (c): c is TsNode => !!c && c.type !== 'comment' && !patternNode(it, c),
    );
    items.push({ patterns, body: statements(body, src) });
  }
  return {
    type: 'case',
    subject: value ? word(value) : { value: '', start: n.startIndex, end: n.startIndex },
    items,
  };
}

function patternNode(item: TsNode, c: TsNode): boolean {
  return item.childrenForFieldName('value').includes(c);
}

/** The words of `[ … ]` / `[[ … ]]`, in order, operators included. */
function testWords(n: TsNode, src: string): Word[] {
  const out: Word[] = [];
  const visit = (c: TsNode): void => {
    if (WORDISH.has(c.type) || c.type === 'variable_name' || c.type === 'test_operator') out.push(word(c));
    else if (!c.isNamed) out.push({ value: c.type, start: c.startIndex, end: c.endIndex });
    else for (const k of c.children) if (k) visit(k);
  };
  for (const c of n.children) if (c) visit(c);
  void src;
  return out;
}

function word(n: TsNode): Word {
  return { value: wordValue(n), start: n.startIndex, end: n.endIndex };
}

/** A word's value as the shell passes it, before expansion: quotes and escapes removed, `$…` kept. */
export function wordValue(n: TsNode): string {
  const t = n.text;
  switch (n.type) {
    case 'word':
      return t.replace(/\\\n/g, '').replace(/\\(.)/gs, '$1');
    case 'raw_string':
      return t.slice(1, -1);
    case 'string':
      return unescapeDouble(t.slice(1, t.endsWith('"') && t.length > 1 ? -1 : undefined));
    case 'translated_string':
      return unescapeDouble(t.slice(2, -1));
    case 'ansi_c_string':
      return t
        .slice(2, -1)
        .replace(/\\([nt\\'"])/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
    case 'concatenation':
      return n.children.map((c) => (c ? wordValue(c) : '')).join('');
    default:
      return t;
  }
}

function unescapeDouble(s: string): string {
  return s.replace(/\\\n/g, '').replace(/\\(["\\$`])/g, '$1');
}
