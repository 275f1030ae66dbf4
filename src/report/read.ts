/**
 * Read a report from JSON text (a baseline from the cache, an artifact from the `pull_request` job,
 * `image-budget diff base.json head.json`) and check it before anything trusts it.
 *
 * Unknown fields are kept (fields are only ever added). Fields an older writer may have left out
 * (`findings`, `violations`, `errors`, `totals`) are filled in. A report with a `schemaVersion` this
 * version cannot read, or that is not a report at all, is a `UserError`: one line naming the file.
 * Readers of previous versions go in `UPGRADES` when `SCHEMA_VERSION` is bumped.
 */
import { z } from 'zod';
import { keyPath } from '../config/load.js';
import { UserError } from '../util/errors.js';
import { computeTotals } from './assemble.js';
import { SCHEMA_VERSION, type Report } from './model.js';

/** The oldest `schemaVersion` this version reads. */
export const OLDEST_READABLE_SCHEMA_VERSION = 1;

/** Upgrades from version N to N+1, applied in order to older reports. None yet: version 1 is the first. */
const UPGRADES: Record<number, (report: Record<string, unknown>) => Record<string, unknown>> = {};

const num = z.number().finite();
const violation = z.looseObject({
  service: z.string(),
  budget: z.string(),
  limit: num,
  actual: num,
  unit: z.enum(['bytes', 'ms', 'count', 'percent']),
  severity: z.enum(['error', 'warning', 'note']),
  message: z.string(),
});
const finding = z.looseObject({
  rule: z.string(),
  severity: z.enum(['error', 'warning', 'note']),
  file: z.string(),
  message: z.string(),
});
const service = z.looseObject({
  name: z.string().min(1),
  built: z.boolean(),
  build: z
    .looseObject({
      status: z.enum(['success', 'failed', 'skipped', 'aborted']),
      durationMs: num.nonnegative(),
      steps: z.array(z.looseObject({ name: z.string(), durationMs: num, cached: z.boolean() })).optional(),
      logTail: z.array(z.string()).optional(),
    })
    .optional(),
  image: z
    .looseObject({
      id: z.string(),
      size: num.nonnegative(),
      layers: z.number().int().nonnegative(),
      compressedSize: num.nonnegative().optional(),
      largestLayers: z.array(z.looseObject({ size: num, createdBy: z.string() })).optional(),
    })
    .optional(),
  findings: z.array(finding).default([]),
  violations: z.array(violation).default([]),
  error: z.string().optional(),
});
const reportSchema = z.looseObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  tool: z
    .looseObject({ name: z.string(), version: z.string() })
    .default({ name: 'image-budget', version: 'unknown' }),
  createdAt: z.string().default(''),
  services: z.array(service),
  totals: z.looseObject({}).optional(),
  violations: z.array(violation).default([]),
  errors: z.array(z.string()).default([]),
});

/**
 * Parse and check a report.
 * @param jsonText the file's text.
 * @param file the name used in messages (relative path, artifact name, or cache key).
 * @throws UserError: not JSON, not a report, a schemaVersion this version cannot read, a bad field.
 */
export function readReport(jsonText: string, file: string): Report {
  let data: unknown;
  try {
    data = JSON.parse(jsonText);
  } catch (error) {
    throw new UserError(
      `not a valid report: corrupt JSON (${(error as Error).message.split('\n')[0]})`,
      file,
    );
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new UserError('not a valid report: expected a JSON object', file);
  }
  let raw = data as Record<string, unknown>;
  const version = raw.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw new UserError('not a valid report: no schemaVersion', file);
  }
  if (version > SCHEMA_VERSION) {
    throw new UserError(
      `report schemaVersion ${version} is newer than this image-budget reads (${SCHEMA_VERSION}): upgrade image-budget`,
      file,
    );
  }
  if (version < OLDEST_READABLE_SCHEMA_VERSION) {
    throw new UserError(
      `report schemaVersion ${version} is too old to read (oldest: ${OLDEST_READABLE_SCHEMA_VERSION}): it is replaced by the next baseline`,
      file,
    );
  }
  for (let v = version; v < SCHEMA_VERSION; v++) {
    const upgrade = UPGRADES[v];
    if (!upgrade)
      throw new UserError(`report schemaVersion ${version} cannot be upgraded to ${SCHEMA_VERSION}`, file);
    raw = { ...upgrade(raw), schemaVersion: v + 1 };
  }
  const parsed = reportSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`not a valid report: ${keyPath(issue.path)}: ${issue.message}`, file);
  }
  const report = parsed.data as unknown as Report;
  const names = new Set<string>();
  for (const s of report.services) {
    if (names.has(s.name)) throw new UserError(`not a valid report: service "${s.name}" appears twice`, file);
    names.add(s.name);
  }
  if (!isTotals(parsed.data.totals)) report.totals = computeTotals(report.services, report.violations);
  return report;
}

function isTotals(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const t = value as Record<string, unknown>;
  return (
    typeof t.size === 'number' && typeof t.buildDurationMs === 'number' && typeof t.services === 'number'
  );
}
