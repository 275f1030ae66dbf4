/** Command collection: one simple command of a RUN normalised (assignments, wrappers, `sh -c`, runners) and recorded. */
import path from 'node:path';
import { splitShell, type Word } from '../shell.js';
import type { Cmd, RunInfo, Source, Walk } from './facts.js';
import { CONDA_RE, MAX_DEPTH, SHELL_RE } from './tools.js';

/**
 * Wrappers that run the command after them unchanged. Keywords (`if`, `then`, `do`…) and
 * redirections never reach here: the shell parser keeps them out of a command's words.
 */
const PREFIX_WORDS = new Set(['time', 'exec', 'nohup', 'command']);

/** `NAME=value` assignments and `sudo`/`env` before the command; where it starts. */
function prefix(words: Word[]): { env: Map<string, string>; start: number } | undefined {
  const env = new Map<string, string>();
  let i = 0;
  for (;;) {
    const word = words[i]?.value;
    if (word === undefined) return undefined;
    const assign = /^([A-Za-z_]\w*)=(.*)$/s.exec(word);
    if (assign) {
      env.set(assign[1]!, assign[2]!);
      i++;
    } else if (PREFIX_WORDS.has(word)) i++;
    else if (word === 'sudo' || word === 'env') {
      i++;
      while (words[i]?.value.startsWith('-')) i++;
    } else return { env, start: i };
  }
}

const RUNNER_VALUE_OPTS = /^-(?:n|p)$|^--(?:name|prefix|with|python|directory|project|env-file|group|extra)$/;

/** `uv run`, `poetry run`, `conda run -n env`…: the index of the command they run, if this is one. */
function runnerStart(base: string, args: string[]): number | undefined {
  const runner = ['uv', 'poetry', 'pipenv', 'pdm', 'hatch'].includes(base) || CONDA_RE.test(base);
  if (!runner || args[1] !== 'run') return undefined;
  let k = 2;
  while (k < args.length && args[k]!.startsWith('-')) k += RUNNER_VALUE_OPTS.test(args[k]!) ? 2 : 1;
  return k;
}

/** Normalise one simple command (assignments, wrappers, `sh -c`, runners) and record it. */
export function collect(
  w: Walk,
  words: Word[],
  info: RunInfo,
  source: Source,
  depth: number,
  stdin?: Cmd['stdin'],
): void {
  const pre = prefix(words);
  if (!pre) return;
  const argvWords = words.slice(pre.start);
  if (!argvWords.length) return;
  const base = path.posix.basename(argvWords[0]!.value);
  const args = argvWords.map((word) => word.value);
  // `sh -c "script"`
  if (SHELL_RE.test(base) && depth < MAX_DEPTH) {
    const c = args.findIndex((a, k) => k > 0 && /^-[a-z]*c[a-z]*$/.test(a));
    if (c > 0 && args[c + 1] !== undefined) {
      const word = argvWords[c + 1]!;
      const inner: Source = { ...source, shift: source.shift + word.start + 1 };
      for (const cmd of splitShell(word.value).commands) collect(w, cmd, info, inner, depth + 1);
      return;
    }
  }
  const run = runnerStart(base, args);
  if (run !== undefined && depth < MAX_DEPTH) {
    const rest = argvWords.slice(run);
    if (rest.length) collect(w, rest, info, source, depth + 1, stdin);
    return;
  }
  const cmd: Cmd = { argv: args, words: argvWords, env: pre.env, run: info, source };
  if (stdin) cmd.stdin = stdin;
  if (w.branch !== undefined) cmd.branch = w.branch;
  info.cmds.push(cmd);
}
