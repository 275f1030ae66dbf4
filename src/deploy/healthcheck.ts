/**
 * Healthchecks: where a service's comes from (compose, the Dockerfile's HEALTHCHECK, the built image's
 * config), whether the service runs long enough to need one, and the program its test calls. Pure.
 */
import { finalChain, targetStage, type ParsedDockerfile } from '../dockerfile/index.js';
import { splitShell } from '../lint/shell.js';
import { PROGRAM_DIRS } from '../measure/analyze.js';
import type { DeploySpec } from '../plan/model.js';
import { record } from './memory.js';

export interface ComposeHealthcheck {
  /** `test` given: compose's own check. */
  test?: string[];
  /** `disable: true` or `test: ["NONE"]`. */
  disabled: boolean;
  /** Line of `healthcheck.test` (or of `healthcheck`). */
  line?: number;
}

/** The compose `healthcheck:` of a service, undefined when it has none. */
export function composeHealthcheck(spec: DeploySpec): ComposeHealthcheck | undefined {
  const hc = record(spec.fields.healthcheck);
  if (!hc) return undefined;
  const line = spec.lines['healthcheck.test'] ?? spec.lines.healthcheck;
  const out: ComposeHealthcheck = { disabled: hc.disable === true, ...(line ? { line } : {}) };
  const test = hc.test;
  if (typeof test === 'string') out.test = ['CMD-SHELL', test];
  else if (Array.isArray(test)) out.test = test.map(String);
  if (out.test?.[0] === 'NONE') out.disabled = true;
  return out;
}

/**
 * The HEALTHCHECK that the image built from the Dockerfile (the run's model of it) carries: the
 * last one in the target stage or in the stages it is built FROM (`disabled` for `HEALTHCHECK
 * NONE`); undefined when there is none in the Dockerfile (a base image may still have one).
 */
export function dockerfileHealthcheck(
  df: ParsedDockerfile,
  target?: string,
): { line: number; disabled: boolean } | undefined {
  const final = targetStage(df, target);
  if (!final) return undefined;
  let found: { line: number; disabled: boolean } | undefined;
  for (const index of finalChain(df, final.index)) {
    for (const instr of df.stages[index]!.instrs) {
      if (instr.keyword !== 'HEALTHCHECK') continue;
      found = { line: instr.line, disabled: /^none\b/i.test(instr.body.trim()) };
    }
  }
  return found;
}

/** `Config.Healthcheck.Test` of a built image: `["NONE"]` is disabled. */
export function imageHealthcheck(test: string[] | undefined): 'image' | 'disabled' | undefined {
  if (!test || test.length === 0) return undefined;
  return test[0] === 'NONE' ? 'disabled' : 'image';
}

/**
 * A service that runs once and exits needs no healthcheck: `restart: "no"` or `on-failure`, a
 * `deploy.restart_policy.condition` of `none` or `on-failure`, or one that another service waits
 * for with `condition: service_completed_successfully`.
 */
export function isOneShot(name: string, spec: DeploySpec, all: readonly DeploySpec[] = []): boolean {
  const restart = spec.fields.restart;
  if (restart === false || (typeof restart === 'string' && /^(no|on-failure(:\d+)?)$/.test(restart)))
    return true;
  const condition = record(record(spec.fields.deploy)?.restart_policy)?.condition;
  if (condition === 'none' || condition === 'on-failure') return true;
  return all.some((other) => {
    const dependsOn = record(other.fields.depends_on);
    return record(dependsOn?.[name])?.condition === 'service_completed_successfully';
  });
}

/**
 * The program a healthcheck test runs: `CMD` is its first word, `CMD-SHELL` the first word of the
 * shell command (after `VAR=value` assignments); undefined for a shell builtin or an expansion.
 */
export function testProgram(test: readonly string[]): string | undefined {
  const [kind, ...rest] = test;
  let word: string | undefined;
  if (kind === 'CMD') word = rest[0];
  else if (kind === 'CMD-SHELL') {
    const first = splitShell(rest.join(' ')).commands[0] ?? [];
    word = first.map((w) => w.value).find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
  }
  if (!word || /[$`]/.test(word) || SHELL_BUILTINS.has(word)) return undefined;
  return word;
}

const SHELL_BUILTINS = new Set(['exit', 'test', '[', 'true', 'false', 'echo', 'cd', 'exec', 'kill']);

/**
 * Does the image have `program`? `files` are the programs of the image (`usr/bin/curl`, from
 * `programsOf`). A bare name is looked up in the PATH folders; so is a path into one of them, since
 * merged-/usr images link `/bin` to `/usr/bin`; any other path cannot be judged (true).
 */
export function hasProgram(program: string, files: ReadonlySet<string>): boolean {
  const relative = program.replace(/^\/+/, '');
  const slash = relative.lastIndexOf('/');
  if (slash >= 0 && !PROGRAM_DIRS.has(relative.slice(0, slash))) return true;
  const name = relative.slice(slash + 1);
  return [...PROGRAM_DIRS].some((dir) => files.has(`${dir}/${name}`));
}
