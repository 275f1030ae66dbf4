/**
 * A bug of ours met while working on a user's service: never blamed on the user's files (no
 * finding, no `invalid-dockerfile`), said as an internal error on the service, with its stack in the
 * debug log. The run goes on; the rest of the service's report stands.
 */
import type { ServiceReport } from '../report/model.js';
import type { PipelineDeps } from './deps.js';

/** `internal error in the lint of api/Dockerfile: boom; please report it`. */
export function internalErrorLine(what: string, error: unknown): string {
  const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
  return `internal error in ${what}: ${message}; please report it`;
}

export function reportInternalError(
  entry: ServiceReport,
  what: string,
  error: unknown,
  deps: Pick<PipelineDeps, 'log'>,
): void {
  const line = internalErrorLine(what, error);
  (entry.warnings ??= []).push(line);
  deps.log.warning(`${entry.name}: ${line}`);
  logStack(error, deps);
}

/** A bug's stack, for whoever debugs the run: the debug log. */
export function logStack(error: unknown, deps: Pick<PipelineDeps, 'log'>): void {
  deps.log.debug?.(error instanceof Error && error.stack ? error.stack : String(error));
}
