/**
 * Runs the builds side by side, as bake and `docker compose build` do: every job starts as soon as
 * the jobs it depends on have ended and fewer than `limit` are running. A job whose dependency
 * failed is not run (`onBlocked` says which). Dependencies on unknown names are ignored; a loop is
 * broken by starting its jobs in the order given (the plan reports loops itself).
 */
export interface ScheduleOptions {
  /** Most jobs at once (at least 1). */
  limit: number;
  /** For each name, the names that must end first. */
  after?: ReadonlyMap<string, readonly string[]>;
  /** Called instead of `run` for a job whose dependency did not succeed. */
  onBlocked?: (name: string, failedDependency: string) => void | Promise<void>;
}

/** `run` resolves true when the job succeeded. Resolves when every job has ended. */
export async function schedule(
  names: readonly string[],
  run: (name: string) => Promise<boolean>,
  options: ScheduleOptions,
): Promise<void> {
  const limit = Math.max(1, Math.floor(options.limit));
  const known = new Set(names);
  const deps = new Map(
    names.map((name) => [name, (options.after?.get(name) ?? []).filter((d) => d !== name && known.has(d))]),
  );
  const outcome = new Map<string, boolean>();
  const waiting = [...names];
  const running = new Set<Promise<void>>();

  const ready = (name: string): boolean => (deps.get(name) ?? []).every((d) => outcome.has(d));

  const start = (name: string): void => {
    waiting.splice(waiting.indexOf(name), 1);
    const failed = (deps.get(name) ?? []).find((d) => outcome.get(d) === false);
    const job = (async () => {
      if (failed !== undefined) {
        await options.onBlocked?.(name, failed);
        outcome.set(name, false);
        return;
      }
      let ok = false;
      try {
        ok = await run(name);
      } finally {
        outcome.set(name, ok);
      }
    })();
    const tracked: Promise<void> = job.finally(() => running.delete(tracked));
    running.add(tracked);
  };

  while (waiting.length > 0 || running.size > 0) {
    let started = false;
    for (const name of [...waiting]) {
      if (running.size >= limit) break;
      if (ready(name)) {
        start(name);
        started = true;
      }
    }
    if (!started && running.size === 0 && waiting.length > 0) {
      // Only a loop can leave jobs waiting with nothing running: start the first one anyway.
      deps.set(waiting[0]!, []);
      continue;
    }
    if (running.size > 0) await Promise.race(running);
  }
}
