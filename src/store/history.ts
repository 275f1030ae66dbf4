/**
 * The size history kept with each baseline of the default branch: the last 30 runs (sha, date, and
 * per service the uncompressed and compressed size and build time), in `image-budget-history.json`
 * beside the baseline report in the same cache entry. Each save carries the runs of the baseline it
 * restored plus its own, so the trend survives the cache's eviction of older entries.
 *
 * The file is untrusted input (any earlier run wrote it): read bounded, checked field by field; a bad
 * file is a warning and an empty history, never a throw.
 */
import { z } from 'zod';
import { appendRun, MAX_TREND_RUNS, trendRunOf, type TrendRun } from '../report/trend.js';
import type { Report } from '../report/model.js';

export const HISTORY_FILE = 'image-budget-history.json';
const HISTORY_VERSION = 1;
/** Far above 30 runs of hundreds of services. */
export const MAX_HISTORY_BYTES = 4 * 1024 * 1024;

const bytes = z.number().int().nonnegative().max(9e15);
const serviceSchema = z.object({
  size: bytes,
  compressedSize: bytes.optional(),
  buildMs: z.number().nonnegative().max(1e12).optional(),
});
const runSchema = z.object({
  sha: z.string().max(80).optional(),
  date: z.string().max(40),
  services: z.record(z.string().min(1).max(200), serviceSchema),
});
const fileSchema = z.object({ version: z.literal(HISTORY_VERSION), runs: z.array(runSchema) });

/** The runs of a history file, oldest first (the newest 30 kept); a mistake is one line naming the source. */
export function readHistory(text: string, source: string): { runs: TrendRun[]; warning?: string } {
  if (text.length > MAX_HISTORY_BYTES) return { runs: [], warning: `${source}: larger than 4MB: not read` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { runs: [], warning: `${source}: not JSON: the trend starts again` };
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    return { runs: [], warning: `${source}: not a history file${where}: the trend starts again` };
  }
  return { runs: parsed.data.runs.slice(-MAX_TREND_RUNS) as TrendRun[] };
}

/** The history file's text. */
export function historyText(runs: readonly TrendRun[]): string {
  return `${JSON.stringify({ version: HISTORY_VERSION, runs }, null, 2)}\n`;
}

/** The history a new baseline carries: the restored one's runs and this report's. */
export function nextHistory(previous: readonly TrendRun[] | undefined, report: Report): TrendRun[] {
  return appendRun(previous ?? [], trendRunOf(report));
}
