/**
 * A RUN's script run as the shell would under the build's defaults: which simple commands sit in
 * a branch (`if`/`elif`/`else`, `case`, `&&`/`||` after a test) that the defaults do not take, and
 * which shell variables are set when each runs. The conditions read are the `test` forms a
 * Dockerfile uses to switch on a build arg (`[ "$X" = "v" ]`, `[[ $X == v ]]`, `test -n "$X"`,
 * negated with `!`); anything else is unknown, and an unknown branch counts as taken. The control
 * structure comes from the shell parser (../shell.ts).
 */
import { type VarValue, substitute } from '../dockerfile.js';
import { type Command, type ShellNode, childrenOf as childrenOfNode } from '../shell.js';

export interface Cond {
  value: boolean | undefined;
  /** The variable (build arg or ENV) the condition reads. */
  arg?: string;
}

const VAR_RE = /\$\{?([A-Za-z_]\w*)/g;

function operand(raw: string, vars: ReadonlyMap<string, VarValue>): { value?: string; arg?: string } {
  const names = [...raw.matchAll(VAR_RE)].map((m) => m[1]!);
  const out: { value?: string; arg?: string } = {};
  if (names[0]) out.arg = names[0];
  const v = substitute(raw, vars);
  if (!v.includes('$')) out.value = v;
  return out;
}

/** Evaluate one `test` condition under the given variable values. */
export function evalCondition(words: readonly string[], vars: ReadonlyMap<string, VarValue>): Cond {
  let w = [...words];
  let negate = false;
  while (w[0] === '!') {
    negate = !negate;
    w = w.slice(1);
  }
  if (w[0] === '[' && w[w.length - 1] === ']') w = w.slice(1, -1);
  else if (w[0] === '[[' && w[w.length - 1] === ']]') w = w.slice(1, -1);
  else if (w[0] === 'test') w = w.slice(1);
  else return { value: undefined };
  let res: Cond = { value: undefined };
  if (w.length === 3 && ['=', '==', '!='].includes(w[1]!)) {
    const a = operand(w[0]!, vars);
    const b = operand(w[2]!, vars);
    const arg = a.arg ?? b.arg;
    if (a.value !== undefined && b.value !== undefined) {
      const eq = a.value === b.value;
      res = { value: w[1] === '!=' ? !eq : eq };
    }
    if (arg) res.arg = arg;
  } else if (w.length === 2 && (w[0] === '-n' || w[0] === '-z')) {
    const a = operand(w[1]!, vars);
    if (a.value !== undefined) res = { value: w[0] === '-n' ? a.value !== '' : a.value === '' };
    if (a.arg) res.arg = a.arg;
  }
  if (negate && res.value !== undefined) res.value = !res.value;
  return res;
}

/** A `case` pattern as a regular expression (`*`, `?`, `[…]`). */
function patternRe(p: string): RegExp {
  const body = p
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** One simple command as the script runs it. */
export interface Step {
  cmd: Command;
  /** Set when the defaults do not take the branch it sits in: the variable that turns it on ('' unnamed). */
  branch: string | undefined;
  /** Shell variables assigned before it, on branches the defaults take. */
  shellVars: Map<string, VarValue>;
}

/** The commands of a script in the order it runs them, with their branch and shell variables. */
export function runSteps(items: readonly ShellNode[], vars: ReadonlyMap<string, VarValue>): Step[] {
  const run = new ScriptRun(vars);
  for (const n of items) run.walk(n, undefined);
  return run.steps;
}

type IfNode = Extract<ShellNode, { type: 'if' }>;
type CaseNode = Extract<ShellNode, { type: 'case' }>;

/** The branch of a command inside a branch that does not run: the outermost one's variable wins. */
const untaken = (branch: string | undefined, arg: string | undefined): string | undefined =>
  branch ?? arg ?? '';

class ScriptRun {
  readonly steps: Step[] = [];
  private readonly shellVars = new Map<string, VarValue>();

  constructor(private readonly vars: ReadonlyMap<string, VarValue>) {}

  private scope(): Map<string, VarValue> {
    return new Map([...this.vars, ...this.shellVars]);
  }

  /** Whether a condition holds under the defaults (undefined: unknown). */
  outcome(n: ShellNode): Cond {
    if (n.type === 'test' || (n.type === 'command' && n.words[0]?.value === 'test'))
      return evalCondition(
        n.words.map((w) => w.value),
        this.scope(),
      );
    if (n.type === 'not') {
      const c = this.outcome(n.item);
      return c.value === undefined ? c : { ...c, value: !c.value };
    }
    if (n.type === 'list') {
      const l = this.outcome(n.left);
      if (l.value === undefined) return { value: undefined };
      // `a && b` is false when a is; `a || b` true when a is; otherwise it is b's outcome.
      if (l.value === (n.op === '||')) return l;
      return this.outcome(n.right);
    }
    if (n.type === 'block' && n.items.length) return this.outcome(n.items[n.items.length - 1]!);
    return { value: undefined };
  }

  walk(n: ShellNode, branch: string | undefined): void {
    switch (n.type) {
      case 'command':
        return this.command(n, branch);
      case 'test':
        return;
      case 'list': {
        this.walk(n.left, branch);
        const c = this.outcome(n.left);
        const skips = c.value !== undefined && c.value !== (n.op === '&&');
        this.walk(n.right, skips ? untaken(branch, c.arg) : branch);
        return;
      }
      case 'if':
        return this.ifClauses(n, branch);
      case 'case':
        return this.caseItems(n, branch);
      default:
        for (const k of childrenOfNode(n)) this.walk(k, branch);
    }
  }

  private command(n: Command, branch: string | undefined): void {
    if (n.words.length) {
      this.steps.push({ cmd: n, branch, shellVars: new Map(this.shellVars) });
      return;
    }
    if (branch !== undefined) return;
    // `IDX=cu121` alone, on a branch that runs: a shell variable for the commands after it.
    const scope = this.scope();
    for (const a of n.assigns) {
      const eq = a.value.indexOf('=');
      this.shellVars.set(a.value.slice(0, eq).replace(/\+$/, ''), substitute(a.value.slice(eq + 1), scope));
    }
  }

  private ifClauses(n: IfNode, branch: string | undefined): void {
    let done = false;
    let unknown = false;
    let arg: string | undefined;
    for (const cl of n.clauses) {
      let taken: boolean | undefined;
      if (cl.cond) {
        for (const c of cl.cond) this.walk(c, done ? untaken(branch, arg) : branch);
        const last = cl.cond[cl.cond.length - 1];
        const c = last ? this.outcome(last) : { value: undefined };
        arg ??= c.arg;
        if (c.value === undefined) unknown = true;
        taken = unknown ? undefined : done ? false : c.value;
      } else taken = unknown ? undefined : !done;
      if (taken === true) done = true;
      for (const b of cl.body) this.walk(b, taken === false ? untaken(branch, arg) : branch);
    }
  }

  private caseItems(n: CaseNode, branch: string | undefined): void {
    const subject = operand(n.subject.value, this.scope());
    let done = false;
    for (const it of n.items) {
      const value = subject.value;
      const matched = value === undefined ? undefined : it.patterns.some((p) => patternRe(p).test(value));
      const taken = value === undefined ? undefined : done ? false : matched;
      if (taken === true) done = true;
      for (const b of it.body) this.walk(b, taken === false ? untaken(branch, subject.arg) : branch);
    }
  }
}
