/**
 * The schema of `.github/image-budget.yml` (zod 4), the normalized `Config` it produces, and the JSON
 * Schema published for editors (`schema/image-budget.schema.json`, written by `script/gen-schema.ts`).
 *
 * Keys in the file are kebab-case; the `Config` handed to the rest of the program is camelCase with
 * sizes in bytes and durations in milliseconds. Unknown keys are errors. See docs/config.md.
 */
import { z } from 'zod';
import {
  DURATION_HINT,
  DURATION_PATTERN,
  GROWTH_BOTH_PATTERN,
  GROWTH_HINT,
  PERCENT_PATTERN,
  SIZE_HINT,
  SIZE_PATTERN,
  UnitError,
  parseDuration,
  parseGrowth,
  parsePercent,
  parseSize,
  type Growth,
} from './units.js';

export type { Growth } from './units.js';

/**
 * What can fail the job: findings and violations of this severity or worse; `new`: only the error ones
 * a pull request brought (marked new or worse against the baseline; budget/verdict.ts); `never`: nothing.
 */
export const FAIL_ON = ['error', 'warning', 'new', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];
/** A lint rule's setting in the config: its severity, or `off`. */
export type RuleSetting = 'error' | 'warning' | 'off';

/** Budgets of one service (or `defaults` for every built service). Bytes, milliseconds, counts. */
export interface Budgets {
  maxSize?: number;
  /** Checked only where the compressed size was measured. */
  maxCompressedSize?: number;
  maxBuildTime?: number;
  /** Against the baseline's size of the same service; bytes and/or percent, exceeding either fails. */
  maxGrowth?: Growth;
  maxLayers?: number;
}

/** Repository-wide budgets: the sum of image sizes and of build times. */
export interface TotalBudgets {
  maxSize?: number;
  maxBuildTime?: number;
}

/** A service in the config: budgets, and optionally how to build it without compose. */
export interface ServiceConfig extends Budgets {
  /** Build context, relative to the repository root. */
  context?: string;
  /** Dockerfile, relative to the repository root. */
  dockerfile?: string;
  target?: string;
  args?: Record<string, string>;
  /** The service needs a GPU: CUDA bases and wheels are expected, not flagged by the lint. */
  gpu?: boolean;
  lint?: { rules?: Record<string, RuleSetting> };
  /** A missing healthcheck on this service: a warning (default), an error, or off (docs/deploy.md). */
  healthcheck?: RuleSetting;
}

/** A repository-specific lint rule: a regular expression matched against each Dockerfile instruction. */
export interface LintPattern {
  id: string;
  regex: string;
  message: string;
  severity: 'error' | 'warning' | 'note';
}

/** The normalized configuration. */
export interface Config {
  /** The config file, relative to the repository root; absent when none was read. */
  file?: string;
  services: Record<string, ServiceConfig>;
  defaults: Budgets;
  total: TotalBudgets;
  lint: { rules: Record<string, RuleSetting>; patterns: LintPattern[] };
  failOn?: FailOn;
  /** Size changes smaller than this (bytes) show as unchanged. */
  noiseThreshold?: number;
  /** Stop a build when the engine's disk has fewer free bytes than this. */
  minFreeDisk?: number;
  /** The host the services run on: its memory in bytes (docs/deploy.md). */
  host?: { memory?: number };
  /** Longest wall time of the whole run, milliseconds (a platform's build limit). */
  maxWallTime?: number;
  /** Where each budget was set in the file (1-based lines), for `Violation.limitSource`; absent without any. */
  lines?: ConfigLines;
}

/** The 1-based line of each budget key set in one mapping of the file. */
export type BudgetLines = { [K in keyof Budgets]?: number };

/** The lines of the file's budget keys: per service, `defaults`, `total`, `host.memory`, `max-wall-time`. */
export interface ConfigLines {
  services: Record<string, BudgetLines>;
  defaults: BudgetLines;
  total: { [K in keyof TotalBudgets]?: number };
  hostMemory?: number;
  maxWallTime?: number;
}

/** The configuration when there is no file. */
export function emptyConfig(): Config {
  return { services: {}, defaults: {}, total: {}, lint: { rules: {}, patterns: [] } };
}

// ---------------------------------------------------------------------------------------------------
// Field types. Each parses with the functions of units.ts so that the messages are the same for the
// config file, inputs and flags; each carries its JSON Schema shape as metadata.

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'a list' : 'a mapping';
}

function unitField<T>(parse: (v: string | number) => T, hint: string, what: string) {
  return z.unknown().transform((value, ctx): T => {
    if (typeof value !== 'string' && typeof value !== 'number') {
      ctx.issues.push({
        code: 'custom',
        input: value,
        message: `${describe(value)} is not ${what} (${hint})`,
      });
      return z.NEVER;
    }
    try {
      return parse(value);
    } catch (error) {
      if (!(error instanceof UnitError)) throw error;
      ctx.issues.push({ code: 'custom', input: value, message: error.message });
      return z.NEVER;
    }
  });
}

const sizeJson = {
  anyOf: [
    { type: 'integer', minimum: 0, description: 'Bytes.' },
    { type: 'string', pattern: SIZE_PATTERN },
  ],
};

const size = (description: string) =>
  unitField(parseSize, SIZE_HINT, 'a size').meta({
    description: `${description} A number of bytes, or a number with a unit: kB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024), e.g. 500MB, 1.2GiB, 512 MiB.`,
    examples: ['500MB', '1.2GiB', '512 MiB'],
    ...sizeJson,
  } as Record<string, unknown>);

const duration = (description: string) =>
  unitField(parseDuration, DURATION_HINT, 'a duration').meta({
    description: `${description} A duration with units ms, s, m, h, e.g. 90s, 10m, 1h30m.`,
    examples: ['90s', '10m', '1h30m'],
    type: 'string',
    pattern: DURATION_PATTERN,
  } as Record<string, unknown>);

const percentJson = {
  anyOf: [
    { type: 'number', minimum: 0 },
    { type: 'string', pattern: PERCENT_PATTERN },
  ],
};
const percent = unitField(parsePercent, 'use 10%', 'a percentage').meta({
  description: 'Percent of the baseline size, e.g. 10 or "10%".',
  ...percentJson,
} as Record<string, unknown>);

const nonNegativeInt = (description: string) =>
  z
    .unknown()
    .transform((value, ctx): number => {
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        ctx.issues.push({
          code: 'custom',
          input: value,
          message: `${describe(value)} is not a whole number`,
        });
        return z.NEVER;
      }
      if (value < 0) {
        ctx.issues.push({
          code: 'custom',
          input: value,
          message: `${value} is negative: it must be 0 or more`,
        });
        return z.NEVER;
      }
      return value;
    })
    .meta({ description, type: 'integer', minimum: 0 } as Record<string, unknown>);

const growthObject = z.strictObject({
  bytes: size('Growth in bytes.').optional(),
  percent: percent.optional(),
});

const GROWTH_FILE_HINT = 'use 50MB, 10%, "50MB or 10%" or {bytes: 50MB, percent: 10}';

/**
 * `max-growth`: `50MB`, a number of bytes, `10%`, `"50MB or 10%"` or `{bytes: 50MB, percent: 10}`
 * (with both, exceeding either is a violation).
 */
const growth = z
  .unknown()
  .transform((value, ctx): Growth => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const parsed = growthObject.safeParse(value);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.issues.push({ ...issue, input: undefined } as never);
        return z.NEVER;
      }
      if (parsed.data.bytes === undefined && parsed.data.percent === undefined) {
        ctx.issues.push({ code: 'custom', input: value, message: 'needs bytes, percent or both' });
        return z.NEVER;
      }
      return {
        ...(parsed.data.bytes !== undefined && { bytes: parsed.data.bytes }),
        ...(parsed.data.percent !== undefined && { percent: parsed.data.percent }),
      };
    }
    if (typeof value === 'string' || typeof value === 'number') {
      try {
        return parseGrowth(value);
      } catch (error) {
        if (!(error instanceof UnitError)) throw error;
        ctx.issues.push({
          code: 'custom',
          input: value,
          message: error.message.replace(GROWTH_HINT, GROWTH_FILE_HINT),
        });
        return z.NEVER;
      }
    }
    ctx.issues.push({
      code: 'custom',
      input: value,
      message: `${describe(value)} is not a growth budget (${GROWTH_FILE_HINT})`,
    });
    return z.NEVER;
  })
  .meta({
    description:
      'How much the image may grow against the baseline: a size (50MB), a percentage ("10%"), or both, as "50MB or 10%" or {bytes, percent}: exceeding either is a violation.',
    anyOf: [
      ...sizeJson.anyOf,
      { type: 'string', pattern: PERCENT_PATTERN },
      { type: 'string', pattern: GROWTH_BOTH_PATTERN },
      {
        type: 'object',
        properties: { bytes: sizeJson, percent: percentJson },
        additionalProperties: false,
        minProperties: 1,
      },
    ],
  } as Record<string, unknown>);

const ruleSetting = z.enum(['error', 'warning', 'off']);
/** A rule id as the file may name it (kebab-case). */
export const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const budgetShape = {
  'max-size': size('Largest uncompressed image size.').optional(),
  'max-compressed-size': size('Largest compressed (pulled) image size; checked once measured.').optional(),
  'max-build-time': duration('Longest build wall time.').optional(),
  'max-growth': growth.optional(),
  'max-layers': nonNegativeInt('Most layers in the image.').optional(),
};

const argValue = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));

const serviceSchema = z
  .strictObject({
    context: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'Build context, relative to the repository root.' }),
    dockerfile: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'Dockerfile, relative to the repository root.' }),
    target: z.string().min(1).optional().meta({ description: 'Build stage to build.' }),
    args: z
      .record(z.string(), argValue)
      .optional()
      .meta({ description: 'Build arguments (quote numbers: "3.10").' }),
    gpu: z
      .boolean()
      .optional()
      .meta({ description: 'The service needs a GPU: CUDA bases and wheels are expected.' }),
    ...budgetShape,
    lint: z.strictObject({ rules: z.record(z.string().regex(RULE_ID), ruleSetting).optional() }).optional(),
    healthcheck: ruleSetting.optional().meta({
      description:
        'A long-running service without a healthcheck (in compose or its image): warning (default), error or off.',
    }),
  })
  .meta({ description: 'A service: its budgets, and how to build it when there is no compose file.' });

const patternSchema = z.strictObject({
  id: z.string().regex(RULE_ID, { error: 'must be a kebab-case id like no-curl-pipe-sh' }),
  regex: z.string().superRefine((value, ctx) => {
    try {
      new RegExp(value);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(value)} is not a valid regular expression (${(error as Error).message})`,
      });
    }
  }),
  message: z.string().min(1),
  severity: z.enum(['error', 'warning', 'note']).default('warning'),
});

/** The schema of the file as written (kebab-case keys). */
export const configFileSchema = z
  .strictObject({
    services: z
      .record(z.string().min(1), serviceSchema)
      .optional()
      .meta({ description: 'Per-service settings, by compose service name.' }),
    defaults: z
      .strictObject(budgetShape)
      .optional()
      .meta({ description: 'Budgets of every built service without its own.' }),
    total: z
      .strictObject({
        'max-size': size('Largest sum of all image sizes.').optional(),
        'max-build-time': duration('Longest sum of all build times.').optional(),
      })
      .optional(),
    lint: z
      .strictObject({
        rules: z
          .record(z.string().regex(RULE_ID), ruleSetting)
          .optional()
          .meta({ description: 'Severity of each rule by id, or off.' }),
        patterns: z
          .array(patternSchema)
          .optional()
          .meta({ description: 'Repository-specific rules: a regex on each Dockerfile instruction.' }),
      })
      .optional(),
    'fail-on': z.enum(FAIL_ON).optional().meta({
      description:
        'What fails the job: error, warning, new (only what the pull request made new or worse against the baseline) or never. Default: error.',
    }),
    'noise-threshold': size('Size changes smaller than this show as unchanged.').optional(),
    'min-free-disk': size(
      "Stop a build, and report it, when the engine's disk has less free space than this.",
    ).optional(),
    host: z
      .strictObject({
        memory: size(
          "The host's memory: the services' memory limits, and their reservations, must fit in it.",
        ).optional(),
      })
      .optional()
      .meta({ description: 'The host the compose services run on (docs/deploy.md).' }),
    'max-wall-time': duration(
      "Longest wall time of the whole run (a platform's limit on a build job, e.g. 30m).",
    ).optional(),
  })
  .meta({
    title: 'image-budget configuration',
    description: 'The .github/image-budget.yml file of image-budget.',
  });

/** The file as parsed by `configFileSchema` (sizes and durations already numbers). */
export type ConfigFile = z.output<typeof configFileSchema>;

type FileBudgets = { [K in keyof typeof budgetShape]?: z.output<(typeof budgetShape)[K]> };

function budgets(b: FileBudgets | undefined): Budgets {
  const out: Budgets = {};
  if (!b) return out;
  if (b['max-size'] !== undefined) out.maxSize = b['max-size'];
  if (b['max-compressed-size'] !== undefined) out.maxCompressedSize = b['max-compressed-size'];
  if (b['max-build-time'] !== undefined) out.maxBuildTime = b['max-build-time'];
  if (b['max-growth'] !== undefined) out.maxGrowth = b['max-growth'];
  if (b['max-layers'] !== undefined) out.maxLayers = b['max-layers'];
  return out;
}

/** The parsed file as the camelCase `Config` the rest of the program uses. */
export function normalizeConfig(file: ConfigFile, relativePath?: string): Config {
  const config = emptyConfig();
  if (relativePath) config.file = relativePath;
  for (const [name, s] of Object.entries(file.services ?? {})) {
    const service: ServiceConfig = budgets(s);
    if (s.context !== undefined) service.context = s.context;
    if (s.dockerfile !== undefined) service.dockerfile = s.dockerfile;
    if (s.target !== undefined) service.target = s.target;
    if (s.args !== undefined) service.args = s.args;
    if (s.gpu !== undefined) service.gpu = s.gpu;
    if (s.lint?.rules !== undefined) service.lint = { rules: s.lint.rules };
    if (s.healthcheck !== undefined) service.healthcheck = s.healthcheck;
    config.services[name] = service;
  }
  config.defaults = budgets(file.defaults);
  if (file.total?.['max-size'] !== undefined) config.total.maxSize = file.total['max-size'];
  if (file.total?.['max-build-time'] !== undefined) config.total.maxBuildTime = file.total['max-build-time'];
  config.lint = { rules: file.lint?.rules ?? {}, patterns: file.lint?.patterns ?? [] };
  if (file['fail-on'] !== undefined) config.failOn = file['fail-on'];
  if (file['noise-threshold'] !== undefined) config.noiseThreshold = file['noise-threshold'];
  if (file['min-free-disk'] !== undefined) config.minFreeDisk = file['min-free-disk'];
  if (file.host?.memory !== undefined) config.host = { memory: file.host.memory };
  if (file['max-wall-time'] !== undefined) config.maxWallTime = file['max-wall-time'];
  return config;
}

/** Every key the file knows, for "did you mean" hints. */
export const KNOWN_KEYS: readonly string[] = [
  ...new Set([
    ...Object.keys(configFileSchema.shape),
    ...Object.keys(serviceSchema.shape),
    'bytes',
    'percent',
    'memory',
    ...Object.keys(patternSchema.shape),
  ]),
];

/** The JSON Schema (draft-07) of the config file, for editors; written to schema/image-budget.schema.json. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configFileSchema, { io: 'input', target: 'draft-07' }) as Record<
    string,
    unknown
  >;
  return schema;
}
