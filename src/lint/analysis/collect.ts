/** Command collection: one simple command of a RUN normalised (assignments, wrappers, `sh -c`, runners) and recorded. */
import path from 'node:path';
import { splitShell, type Word } from '../shell.js';
import type { Cmd, RunInfo, Source, Walk } from './facts.js';
import { CONDA_RE, MAX_DEPTH, SHELL_RE } from './tools.js';

/** Normalise one simple command (assignments, wrappers, `sh -c`) and record it. */
export function collect(
  w: Walk,
  words: Word[],
  info: RunInfo,
  source: Source,
  depth: number,
  stdin?: Cmd['stdin'],
): void {
  const env = new Map<string, string>();
  let i = 0;
  const skipRedirect = (): void => {
    while (i < words.length && /^\d*[<>]/.test(words[i]!.value) && !words[i]!.value.startsWith('<<'))
      i += /^\d*[<>]+&?-?$/.test(words[i]!.value) ? 2 : 1;
  };
  for (;;) {
    skipRedirect();
    const w = words[i]?.value;
    if (w === undefined) return;
    const assign = /^([A-Za-z_]\w*)=(.*)$/s.exec(w);
    if (assign) {
      env.set(assign[1]!, assign[2]!);
      i++;
    } else if (
      [
        'then',
        'do',
        'else',
        'elif',
        'if',
        'while',
        'until',
        '!',
        '{',
        '}',
        'time',
        'exec',
        'nohup',
        'command',
      ].includes(w)
    )
      i++;
    else if (w === 'sudo' || w === 'env') {
      i++;
      while (words[i]?.value.startsWith('-')) i++;
    } else break;
  }
  const argvWords = words
    .slice(i)
    .filter((w, k, all) => !/^\d*[<>]/.test(w.value) && !(k > 0 && /^\d*[<>]+&?-?$/.test(all[k - 1]!.value)));
  if (!argvWords.length) return;
  const base = path.posix.basename(argvWords[0]!.value);
  const args = argvWords.map((w) => w.value);
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
  // Runners that run another command: `uv run`, `poetry run`, `conda run -n env`.
  const runner =
    (base === 'uv' ||
      base === 'poetry' ||
      base === 'pipenv' ||
      base === 'pdm' ||
      base === 'hatch' ||
      CONDA_RE.test(base)) &&
    args[1] === 'run';
  if (runner && depth < MAX_DEPTH) {
    let k = 2;
    while (k < args.length && args[k]!.startsWith('-'))
      k += /^-(?:n|p)$|^--(?:name|prefix|with|python|directory|project|env-file|group|extra)$/.test(args[k]!)
        ? 2
        : 1;
    const rest = argvWords.slice(k);
    if (rest.length) collect(w, rest, info, source, depth + 1, stdin);
    return;
  }
  const cmd: Cmd = { argv: args, words: argvWords, env, run: info, source };
  if (stdin) cmd.stdin = stdin;
  if (w.branch !== undefined) cmd.branch = w.branch;
  info.cmds.push(cmd);
}
