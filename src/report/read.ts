/**
 * Read a report from JSON text (a baseline from the cache, an artifact from the `pull_request` job,
 * `image-budget diff base.json head.json`) and check it before anything trusts it: a fork's uploaded
 * report is written by a stranger.
 *
 * The schema is strict about what it keeps: numbers are finite and in range (integers where the
 * model says so: sizes, counts, lines, exit codes, the pull request number), enums are enums, strings
 * and arrays are bounded. Unknown fields are dropped (fields are only ever added; a newer writer's
 * extras are not ours to render). Fields an older writer may have left out (`findings`,
 * `violations`, `errors`) are filled in; totals are always recomputed from the services. A report
 * with a `schemaVersion` this version cannot read, or that is not a report at all, is a `UserError`:
 * one line naming the file and the field, never quoting the file's contents. Readers of previous
 * versions go in `UPGRADES` when `SCHEMA_VERSION` is bumped. A service entry that breaks the schema
 * is kept as that service with one error line (and nothing else of it), so the other services still
 * report and the verdict fails.
 */
import { z } from 'zod';
import { keyPath } from '../config/load.js';
import { problem, UserError } from '../util/errors.js';
import { computeTotals } from './totals.js';
import { SCHEMA_VERSION, type Report, type ServiceReport } from './model.js';

/** The oldest `schemaVersion` this version reads. */
export const OLDEST_READABLE_SCHEMA_VERSION = 1;

/** Upgrades from version N to N+1, applied in order to older reports. */
const UPGRADES: Record<number, (report: Record<string, unknown>) => Record<string, unknown>> = {
  // 1 -> 2: errors became problems (`{ message, file?, line? }`); a version-1 line is kept whole as the message.
  1: (report) => ({
    ...report,
    ...(Array.isArray(report.errors) ? { errors: report.errors.map(asProblem) } : {}),
    ...(Array.isArray(report.services)
      ? {
          services: report.services.map((entry: unknown) =>
            entry && typeof entry === 'object' && 'error' in entry
              ? { ...entry, error: asProblem((entry as { error: unknown }).error) }
              : entry,
          ),
        }
      : {}),
  }),
};

function asProblem(value: unknown): unknown {
  return typeof value === 'string' ? { message: value } : value;
}

/** Bounds of what a report may hold; far above any real one. */
export const REPORT_LIMITS = {
  /** A name, id, rule, tag, budget key, version. */
  short: 512,
  /** A path. */
  path: 4096,
  /** A message, fix, error line, log line, step name. */
  text: 16_384,
  services: 10_000,
  /** Findings, violations, steps, layers, files, log lines, warnings per list. */
  list: 20_000,
} as const;

const short = z.string().max(REPORT_LIMITS.short);
const pathText = z.string().max(REPORT_LIMITS.path);
const text = z.string().max(REPORT_LIMITS.text);
const list = <T extends z.ZodType>(item: T) => z.array(item).max(REPORT_LIMITS.list);
/** Bytes, counts: whole numbers a double holds exactly. */
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/** Milliseconds: finite, not negative, under ~300 years. */
const ms = z.number().finite().nonnegative().max(1e13);
const line = z.number().int().positive().max(10_000_000);
const severity = z.enum(['error', 'warning', 'note']);

const problemSchema = z.object({ message: text, file: pathText.optional(), line: line.optional() });
const mark = z.enum(['new', 'worse', 'fixed', 'existing']);
const violation = z.object({
  service: short,
  budget: short,
  limit: z.number().finite(),
  actual: z.number().finite(),
  unit: z.enum(['bytes', 'ms', 'count', 'percent']),
  severity,
  message: text,
  mark: mark.optional(),
  limitSource: z
    .object({
      from: z.enum(['service', 'defaults', 'input']),
      file: pathText.optional(),
      line: line.optional(),
    })
    .optional(),
});
const finding = z.object({
  rule: short,
  severity,
  file: pathText,
  line: line.optional(),
  endLine: line.optional(),
  column: line.optional(),
  endColumn: line.optional(),
  message: text,
  fix: text.optional(),
  source: z.enum(['lint', 'image', 'compose']).optional(),
  mark: mark.optional(),
  imageEvidence: z
    .object({ rule: short, bytes: count, files: count, path: pathText, layer: line })
    .optional(),
});
const step = z.object({ name: text, line: line.optional(), durationMs: ms, cached: z.boolean() });
const build = z.object({
  status: z.enum(['success', 'failed', 'skipped', 'aborted']),
  durationMs: ms,
  builder: short.optional(),
  // An exit status: a process's (0-255), a signal's (negative), or a Windows one (32 bits).
  exitCode: z
    .number()
    .int()
    .min(-(2 ** 31))
    .max(2 ** 32 - 1)
    .optional(),
  logTail: list(text).optional(),
  logFile: pathText.optional(),
  steps: list(step).optional(),
  cachedSteps: count.optional(),
  executedSteps: count.optional(),
  cache: z.object({ backend: short, warning: text.optional() }).optional(),
  peakDiskBytes: count.optional(),
});
const layer = z.object({
  size: count,
  createdBy: text,
  compressedSize: count.optional(),
  line: line.optional(),
});
const wasted = z.object({ path: pathText, size: count, addedIn: count, removedIn: count });
const image = z.object({
  id: short,
  tag: short.optional(),
  size: count,
  layers: count,
  compressedSize: count.optional(),
  largestLayers: list(layer).optional(),
  wastedBytes: count.optional(),
  analysisMs: ms.optional(),
  reusedLayers: count.optional(),
  wastedFiles: list(wasted).optional(),
  healthcheck: list(text).optional(),
});
const deploy = z.object({
  memoryLimit: count.optional(),
  memoryReservation: count.optional(),
  replicas: count.optional(),
  healthcheck: z.enum(['compose', 'dockerfile', 'image', 'disabled', 'none']),
  oneShot: z.boolean().optional(),
});
const host = z.object({
  memory: count,
  limits: count,
  reservations: count,
  unlimited: list(short),
});
const service = z.object({
  name: short.min(1),
  built: z.boolean(),
  imageRef: short.optional(),
  sizeUnknown: text.optional(),
  dockerfile: pathText.optional(),
  context: pathText.optional(),
  target: short.optional(),
  gpu: z.boolean().optional(),
  build: build.optional(),
  image: image.optional(),
  findings: list(finding).default([]),
  violations: list(violation).default([]),
  error: problemSchema.optional(),
  warnings: list(text).optional(),
  deploy: deploy.optional(),
});
const reportSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  tool: z
    .object({ name: z.literal('image-budget').catch('image-budget'), version: short })
    .default({ name: 'image-budget', version: 'unknown' }),
  createdAt: short.default(''),
  composeFile: pathText.optional(),
  configFile: pathText.optional(),
  git: z
    .object({
      sha: short.optional(),
      ref: short.optional(),
      baseRef: short.optional(),
      // A pull request number: a positive integer, never a string or a fraction.
      pullRequest: z
        .number()
        .int()
        .positive()
        .max(2 ** 31 - 1)
        .optional(),
    })
    .optional(),
  engine: z
    .object({
      builder: short,
      version: short.optional(),
      imageStore: z.enum(['classic', 'containerd']).optional(),
      driver: short.optional(),
    })
    .optional(),
  durationMs: ms.optional(),
  host: host.optional(),
  // Checked one by one below: a bad entry becomes that service's error, the others still report.
  services: z.array(z.unknown()).max(REPORT_LIMITS.services),
  violations: list(violation).default([]),
  errors: list(problemSchema).default([]),
  fixed: z
    .object({ findings: list(finding.extend({ service: short })), violations: list(violation) })
    .optional(),
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
  } catch {
    // The parser's message quotes the text: say only that it is not JSON.
    throw new UserError('not a valid report: corrupt JSON', file);
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
    throw new UserError(`not a valid report: ${keyPath(issue.path)}: ${issueText(issue)}`, file);
  }
  const names = new Set<string>();
  const services = parsed.data.services.map((entry, i): ServiceReport => {
    const checked = service.safeParse(entry);
    const s: ServiceReport = checked.success
      ? (checked.data as ServiceReport)
      : invalidService(entry, i, checked.error.issues[0]!, file);
    if (names.has(s.name))
      throw new UserError(`not a valid report: services[${i}]: a service of that name comes earlier`, file);
    names.add(s.name);
    return s;
  });
  const report = { ...parsed.data, services } as Omit<Report, 'totals'> as Report;
  // Never trusted from the file: always what the services add up to.
  report.totals = computeTotals(report.services, report.violations);
  return report;
}

/**
 * A service entry that breaks the schema: kept under its name (when that is a valid name) with one
 * error line naming the file and the field, and nothing else of it, so the other services still
 * report and the verdict fails.
 */
function invalidService(entry: unknown, index: number, issue: z.core.$ZodIssue, file: string): ServiceReport {
  const raw = (
    entry && typeof entry === 'object' ? (entry as { name?: unknown }).name : undefined
  ) as unknown;
  const name = short.min(1).safeParse(raw).success ? (raw as string) : `services[${index}]`;
  const field = keyPath(['services', index, ...issue.path]);
  return {
    name,
    built: false,
    findings: [],
    violations: [],
    error: problem(`not a valid report entry: ${field}: ${issueText(issue)}`, file),
  };
}

/** zod's message, without any value it quotes from the file (an unknown enum value, a literal). */
function issueText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'invalid_value':
      return 'not one of the allowed values';
    case 'too_big':
      return `too big (at most ${String(issue.maximum)}${issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : ''})`;
    case 'too_small':
      return `too small (at least ${String(issue.minimum)}${issue.origin === 'string' ? ' characters' : ''})`;
    case 'invalid_format':
      return `not a valid ${issue.format}`;
    default:
      return 'invalid';
  }
}
