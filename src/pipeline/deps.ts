/** What every pipeline step is handed: the docker wrapper, the log, the environment. */
import type { Docker } from '../docker/exec.js';
import type { Log } from '../util/log.js';

export interface PipelineDeps {
  docker: Docker;
  log: Log;
  env?: Record<string, string | undefined>;
}

/** Finds the report entry of a planned service (they are made together, so it is a bug if absent). */
export function entryFor<T extends { name: string }>(entries: T[], name: string): T {
  const entry = entries.find((e) => e.name === name);
  if (!entry) throw new Error(`bug: no report entry for service ${name}`);
  return entry;
}
