/**
 * A docker CLI for unit tests that answers from a table keyed by the command line (a key ending in
 * `*` answers every line that starts with it) and records every call; and a log that records lines.
 */
import type { Docker, ExecResult } from '../../src/docker/exec.js';
import type { Log } from '../../src/util/log.js';

export interface AnsweringDocker {
  docker: Docker;
  /** Every command line, in order. */
  calls: string[];
}

/**
 * @param strict a line the table does not know fails (exit 1, "unexpected call") instead of
 *   succeeding with no output.
 */
export function answeringDocker(
  answers: Record<string, Partial<ExecResult>>,
  { strict = false }: { strict?: boolean } = {},
): AnsweringDocker {
  const calls: string[] = [];
  const docker = {
    binary: 'docker',
    run: async (args: string[]) => {
      const line = args.join(' ');
      calls.push(line);
      const answer =
        answers[line] ??
        Object.entries(answers).find(
          ([key]) => key.endsWith('*') && line.startsWith(key.slice(0, -1)),
        )?.[1] ??
        (strict ? { code: 1, stderr: `Error: unexpected call: docker ${line}\n` } : {});
      return { code: 0, stdout: '', stderr: '', durationMs: 1, aborted: false, ...answer };
    },
  } as unknown as Docker;
  return { docker, calls };
}

/** A log that keeps each line as `<level> <message>`. */
export function recordingLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warning: (m) => lines.push(`warning ${m}`),
    error: (m) => lines.push(`error ${m}`),
    group: (_n, fn) => fn(),
  };
}
