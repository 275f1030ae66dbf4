/**
 * The one way image-budget runs the docker CLI: every invocation goes through `Docker`, which
 * times it, keeps its output and never throws for a non-zero exit (the caller decides).
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { UserError } from '../util/errors.js';

export interface ExecOptions {
  /** Extra environment variables, merged over the process environment. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Called for every complete line of stdout and stderr, as it arrives. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Aborting kills the process (SIGTERM, then SIGKILL after 5 s). */
  signal?: AbortSignal;
  /** Text written to stdin, which is then closed. */
  input?: string;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** True when the process was killed through `signal`. */
  aborted: boolean;
}

export class Docker {
  /**
   * @param binary the docker CLI, `docker` from PATH unless told otherwise.
   * @param env environment for every call (e.g. DOCKER_HOST); merged over process.env.
   */
  constructor(
    readonly binary = 'docker',
    private readonly env: Record<string, string | undefined> = {},
  ) {}

  /** Runs `docker <args>` to completion. Fails only when the binary cannot be started at all. */
  run(args: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const child = this.spawn(args, options);
      const stdout: string[] = [];
      const stderr: string[] = [];
      collectLines(
        child.stdout,
        (chunk) => stdout.push(chunk),
        (line) => options.onLine?.(line, 'stdout'),
      );
      collectLines(
        child.stderr,
        (chunk) => stderr.push(chunk),
        (line) => options.onLine?.(line, 'stderr'),
      );
      let aborted = false;
      const onAbort = (): void => {
        aborted = true;
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      };
      if (options.signal?.aborted) onAbort();
      else options.signal?.addEventListener('abort', onAbort, { once: true });
      child.on('error', (error) => reject(spawnError(this.binary, error)));
      child.on('close', (code, killedBy) => {
        options.signal?.removeEventListener('abort', onAbort);
        resolve({
          code: code ?? (killedBy ? 128 : 1),
          stdout: stdout.join(''),
          stderr: stderr.join(''),
          durationMs: Math.round(performance.now() - started),
          aborted,
        });
      });
      writeInput(child.stdin, options.input);
    });
  }

  /** Starts `docker <args>` and hands back its stdout as a stream (e.g. `docker save`). */
  stream(args: string[], options: Omit<ExecOptions, 'onLine' | 'input'> = {}): StreamedExec {
    const child = this.spawn(args, options);
    const stderr: string[] = [];
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
    child.stdin.end();
    const kill = (): void => {
      child.kill('SIGKILL');
    };
    // Aborting kills the process at once: a stream's reader stops reading, so it cannot wait.
    if (options.signal?.aborted) kill();
    else options.signal?.addEventListener('abort', kill, { once: true });
    const done = new Promise<number>((resolve, reject) => {
      child.on('error', (error) => reject(spawnError(this.binary, error)));
      child.on('close', (code) => {
        options.signal?.removeEventListener('abort', kill);
        resolve(code ?? 1);
      });
    });
    return { stdout: child.stdout, done, stderr: () => stderr.join(''), kill };
  }

  private spawn(args: string[], options: ExecOptions): ChildProcessByStdio<Writable, Readable, Readable> {
    return spawn(this.binary, args, {
      cwd: options.cwd,
      env: { ...process.env, ...this.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  }
}

export interface StreamedExec {
  stdout: Readable;
  /** Resolves with the exit code. */
  done: Promise<number>;
  stderr: () => string;
  kill: () => void;
}

/** Splits a stream into lines for `onLine` while keeping every chunk. */
function collectLines(stream: Readable, keep: (chunk: string) => void, onLine: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    keep(chunk);
    pending += chunk;
    const lines = pending.split(/\r?\n/);
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  stream.on('end', () => {
    if (pending) onLine(pending);
  });
}

function writeInput(stdin: Writable, input: string | undefined): void {
  stdin.on('error', () => undefined); // the child may exit before reading its input
  if (input !== undefined) stdin.end(input);
  else stdin.end();
}

function spawnError(binary: string, error: NodeJS.ErrnoException): Error {
  if (error.code === 'ENOENT') {
    return new UserError(`the docker CLI \`${binary}\` was not found: install Docker or set the docker path`);
  }
  return error;
}
