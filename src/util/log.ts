/**
 * Where progress goes: the Action writes to the job log (groups, annotations), the CLI to stderr.
 * The pipeline only knows this interface.
 */
export interface Log {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  /** Runs `fn` inside a collapsible group of the log. */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Hides a secret value wherever the log would show it (the Action's `core.setSecret`). */
  mask?(value: string): void;
}

/** A log that keeps nothing, for tests and `--json` runs. */
export const silentLog: Log = {
  info: () => undefined,
  warning: () => undefined,
  error: () => undefined,
  group: (_name, fn) => fn(),
};
