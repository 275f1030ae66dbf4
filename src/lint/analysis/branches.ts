/**
 * Which commands of a RUN sit in an `if` branch that the build's defaults do not take. The
 * conditions read are the `test` forms a Dockerfile uses to switch on a build arg
 * (`[ "$X" = "v" ]`, `[[ $X == v ]]`, `test -n "$X"`, negated with `!`); anything else is unknown,
 * and an unknown branch counts as taken.
 */
import { substitute } from '../dockerfile.js';

export interface Cond {
  value: boolean | undefined;
  /** The variable (build arg or ENV) the condition reads. */
  arg?: string;
}

const VAR_RE = /\$\{?([A-Za-z_]\w*)/g;

function operand(
  raw: string,
  vars: ReadonlyMap<string, string | undefined>,
): { value?: string; arg?: string } {
  const names = [...raw.matchAll(VAR_RE)].map((m) => m[1]!);
  const out: { value?: string; arg?: string } = {};
  if (names[0]) out.arg = names[0];
  const v = substitute(raw, vars);
  if (!v.includes('$')) out.value = v;
  return out;
}

/** Evaluate one `test` condition under the given variable values. */
export function evalCondition(words: readonly string[], vars: ReadonlyMap<string, string | undefined>): Cond {
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

/** The variable whose default keeps the innermost untaken branch from running ('' when unnamed). */
function untakenOf(stack: Frame[]): string | undefined {
  const f = stack.find((s) => s.cur === false);
  return f ? (f.arg ?? '') : undefined;
}

interface Frame {
  cur: boolean | undefined;
  arg: string | undefined;
  done: boolean;
  unknown: boolean;
  /** A `case`: its subject's value (undefined: unknown), and whether a pattern list is being read. */
  kase?: { value: string | undefined; patterns: string[] | undefined };
}

/** A `case` pattern as a regular expression (`*`, `?`, `[…]`). */
function patternRe(p: string): RegExp {
  const body = p
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** One command inside a `case`: a pattern (`cpu|gpu)`), `;;` ending a body, or `esac`. True when handled. */
function caseStep(top: Frame, words: readonly string[], op: string, stack: Frame[]): boolean {
  const k = top.kase!;
  if (words[0] === 'esac') {
    stack.pop();
    return true;
  }
  if (k.patterns !== undefined && words.length === 1 && (op === ')' || op === '|')) {
    k.patterns.push(words[0]!.replace(/^\(/, ''));
    if (op === ')') {
      const matched = k.value === undefined ? undefined : k.patterns.some((p) => patternRe(p).test(k.value!));
      top.cur = top.done ? false : matched;
      if (matched === true) top.done = true;
      if (matched === undefined) top.unknown = true;
      k.patterns = undefined;
    }
    return true;
  }
  if (op === ';;') k.patterns = [];
  return false;
}

/** For each simple command (its words), the variable whose default keeps it from running, if any. */
export function untakenBranches(
  commands: readonly (readonly string[])[],
  vars: ReadonlyMap<string, string | undefined>,
  ops: readonly string[] = [],
): (string | undefined)[] {
  const stack: Frame[] = [];
  const untaken = (): string | undefined => untakenOf(stack);
  /** `[ "$X" = "v" ] && cmd`, `test … || cmd`: the command after the test, guarded by it. */
  let guard: string | undefined;
  const guarded = (branch: string | undefined): string | undefined => branch ?? guard;
  return commands.map((all, index) => {
    const g = guard;
    guard = undefined;
    const r = step(all, index);
    // `[ … ] && a && b`: the guard holds along the `&&` chain.
    if (g !== undefined && (ops[index] === '&&' || ops[index] === '|')) guard ??= g;
    return r ?? g;
  });

  function step(all: readonly string[], index: number): string | undefined {
    const words = all;
    const outer = untaken();
    const op = ops[index] ?? '';
    if ((op === '&&' || op === '||') && ['[', '[[', 'test', '!'].includes(words[0] ?? '')) {
      const c = evalCondition(words, vars);
      if (c.value !== undefined && c.value !== (op === '&&')) guard = c.arg ?? '';
      return guarded(untaken());
    }
    const top0 = stack[stack.length - 1];
    if (top0?.kase) {
      const at = untaken();
      // `;;` ends the body the command belongs to: judge it before the next pattern list opens.
      if (caseStep(top0, words, op, stack)) return untaken();
      if (op === ';;') return at;
    }
    if (words[0] === 'case' && words[2] === 'in') {
      const subject = operand(words[1]!, vars);
      const frame: Frame = {
        cur: undefined,
        arg: subject.arg,
        done: false,
        unknown: false,
        kase: { value: subject.value, patterns: [] },
      };
      stack.push(frame);
      if (words.length === 4 && (op === ')' || op === '|')) caseStep(frame, [words[3]!], op, stack);
      return outer;
    }
    return ifStep(words, stack, vars);
  }
}

/** `if`, `then`, `elif`, `else`, `fi` at the start of a command, in order (`else pip install …`). */
function ifStep(
  start: readonly string[],
  stack: Frame[],
  vars: ReadonlyMap<string, string | undefined>,
): string | undefined {
  let words = start;
  let outer = untakenOf(stack);
  // Leading keywords, in order: `then if [ … ]`, `else pip install …`, `fi`.
  for (;;) {
    const first = words[0];
    const top = stack[stack.length - 1];
    if (first === 'then' || first === 'do' || first === '{') words = words.slice(1);
    else if (first === 'if') {
      outer = untakenOf(stack);
      const c = evalCondition(words.slice(1), vars);
      stack.push({ cur: c.value, arg: c.arg, done: c.value === true, unknown: c.value === undefined });
      return outer;
    } else if (top && first === 'elif') {
      const c = evalCondition(words.slice(1), vars);
      if (top.unknown || top.done) top.cur = top.unknown ? undefined : false;
      else {
        top.cur = c.value;
        top.arg ??= c.arg;
        if (c.value === undefined) top.unknown = true;
        if (c.value === true) top.done = true;
      }
      return untakenOf(stack);
    } else if (top && first === 'else') {
      top.cur = top.unknown ? undefined : !top.done;
      words = words.slice(1);
    } else if (top && first === 'fi') {
      stack.pop();
      words = words.slice(1);
    } else return untakenOf(stack);
    outer = untakenOf(stack);
    if (!words.length) return outer;
  }
}
