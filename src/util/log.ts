/**
 * Where progress goes: the Action writes to the job log (groups, annotations), the CLI to stderr.
 * The pipeline only knows this interface.
 */
export interface Log {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  /** Detail for whoever debugs a run (a bug's stack): the Action's debug log (`core.debug`). */
  debug?(message: string): void;
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

/**
 * A line for the Actions job log that cannot be a workflow command: `%`, CR and LF are escaped as
 * `@actions/core` escapes a command's data (`%25`, `%0D`, `%0A`), so a message is always one line;
 * a line that would start with `::` (after spaces, as the runner reads it) gets its second colon
 * escaped (`:%3A`, as core escapes properties), and a leading `##[` its bracket. A folder named
 * `x\n::warning title=…::` then shows as text instead of becoming an annotation.
 */
export function commandSafe(message: string): string {
  const escaped = String(message).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return escaped.replace(/^(\s*)::/, '$1:%3A').replace(/^(\s*)##\[/, '$1##%5B');
}

/** What `actionsLog` needs of @actions/core (so this module does not import the toolkit). */
export interface ActionsCore {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  debug?(message: string): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  setSecret(value: string): void;
}

/**
 * The job log through @actions/core: `info` lines made `commandSafe` (core writes them raw);
 * warnings, errors and group names are escaped by core itself (they are commands' data).
 */
export function actionsLog(core: ActionsCore): Log {
  return {
    info: (message) => core.info(commandSafe(message)),
    warning: (message) => core.warning(message),
    error: (message) => core.error(message),
    debug: (message) => core.debug?.(message),
    group: (name, fn) => core.group(name, fn),
    mask: (value) => core.setSecret(value),
  };
}

// C0 and C1 controls but line feed and tab; CR (a terminal would overwrite the line); DEL.
// eslint-disable-next-line no-control-regex
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// Bidirectional overrides and isolates: they reorder what the terminal shows.
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text for a terminal or a pipe with no control character: escape sequences (`ESC [ …`, `CSI`,
 * OSC titles and links), carriage returns, backspaces and bidi overrides from a repository's names
 * and messages never reach the user's terminal. Line feeds and tabs stay.
 */
export function printable(text: string): string {
  return String(text).replace(/\r\n/g, '\n').replace(TERMINAL_CONTROL, '?').replace(BIDI, '');
}
