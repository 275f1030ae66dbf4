/**
 * Budgets: compare a report's measurements with the limits of the config file and the action's inputs
 * (and, for `max-growth`, with the baseline report). Pure: takes data, returns a new report.
 *
 * Which limit applies (docs/config.md, "Which limit applies"): the config file's more specific
 * settings win over a global input, and a global input over the file's global settings. Per service
 * and budget key, first found:
 *   1. `services.<name>.<budget>` in the config file;
 *   2. the input / CLI flag (`max-size`, `max-build-time`, `max-growth`);
 *   3. `defaults.<budget>` in the config file;
 *   4. built in: no limit.
 * Repository-wide: the `max-total-size` input, then `total.max-size`; `total.max-build-time`; the
 * `host-memory` input, then `host.memory`. Every violation says where its limit came from
 * (`limitSource`: the file and line of the key, or `input`); an input that replaces a value the
 * file's `defaults` (or `total`, `host`) also sets is said once (`notes`).
 *
 * A service is judged only where it was measured: size budgets need an image, `max-build-time` a
 * successful build, `max-compressed-size` a measured compressed size, `max-growth` the same service in
 * the baseline. Services with only `image:` are never judged.
 */
import type { Budgets, Config, TotalBudgets } from '../config/schema.js';
import type { Growth } from '../config/units.js';
import { formatAmount, formatBytes, formatDuration, formatPercent } from '../report/format.js';
import type { LimitSource, Report, ServiceReport, Violation } from '../report/model.js';
import { judgeHost } from './host.js';
import { problem, problemLine, type Problem } from '../util/errors.js';

/** Budgets given as action inputs or CLI flags (parsed by src/pipeline/request.ts: bytes, milliseconds). */
export interface InputBudgets {
  /** Per-service size limit (overrides `defaults.max-size`, not `services.<name>.max-size`). */
  maxSize?: number;
  /** Repository-wide size limit (overrides `total.max-size`). */
  maxTotalSize?: number;
  /** Per-service build time limit. */
  maxBuildTime?: number;
  /** Per-service growth limit against the baseline. */
  maxGrowth?: Growth;
  /** The host's memory (over `host.memory`): the deploy step sums the services' memory (`report.host`). */
  hostMemory?: number;
  /** The whole run's wall time (over `max-wall-time`), judged once the run ends (budget/host.ts). */
  maxWallTime?: number;
}

/** Where each of a service's limits comes from, per budget key. */
export type BudgetSources = { [K in keyof Budgets]?: LimitSource };

/** The config file and a line, as `LimitSource` carries them (absent fields left out). */
function fileSource(from: 'service' | 'defaults', config: Config, line: number | undefined): LimitSource {
  return { from, ...(config.file ? { file: config.file } : {}), ...(line !== undefined ? { line } : {}) };
}

/**
 * The limits that apply to one service and where each was set, per key: the config's service entry,
 * then the input, then the config's defaults (see the file's header).
 */
export function resolveBudgets(
  service: string,
  config: Config,
  overrides: InputBudgets = {},
): { budgets: Budgets; sources: BudgetSources } {
  const own = Object.hasOwn(config.services, service) ? config.services[service] : undefined;
  const ownLines =
    config.lines && Object.hasOwn(config.lines.services, service)
      ? config.lines.services[service]
      : undefined;
  const budgets: Budgets = {};
  const sources: BudgetSources = {};
  const pick = <K extends keyof Budgets>(key: K, input?: Budgets[K]): void => {
    if (own?.[key] !== undefined) {
      budgets[key] = own[key];
      sources[key] = fileSource('service', config, ownLines?.[key]);
    } else if (input !== undefined) {
      budgets[key] = input;
      sources[key] = { from: 'input' };
    } else if (config.defaults[key] !== undefined) {
      budgets[key] = config.defaults[key];
      sources[key] = fileSource('defaults', config, config.lines?.defaults[key]);
    }
  };
  pick('maxSize', overrides.maxSize);
  pick('maxCompressedSize');
  pick('maxBuildTime', overrides.maxBuildTime);
  pick('maxGrowth', overrides.maxGrowth);
  pick('maxLayers');
  return { budgets, sources };
}

/** The limits that apply to one service, per key (`resolveBudgets` without the sources). */
export function budgetsFor(service: string, config: Config, overrides: InputBudgets = {}): Budgets {
  return resolveBudgets(service, config, overrides).budgets;
}

/** The repository-wide limits: the `max-total-size` input wins over `total.max-size`. */
export function totalBudgets(config: Config, overrides: InputBudgets = {}): TotalBudgets {
  return resolveTotal(config, overrides).budgets;
}

/**
 * The repository-wide limits and where each was set. A key of the file's repository-wide sections
 * (`total`, `host`, `max-wall-time`) is reported as `defaults`: the file's own level below which
 * there is no service.
 */
function resolveTotal(
  config: Config,
  overrides: InputBudgets,
): { budgets: TotalBudgets; sources: { [K in keyof TotalBudgets]?: LimitSource } } {
  const budgets: TotalBudgets = {};
  const sources: { [K in keyof TotalBudgets]?: LimitSource } = {};
  if (overrides.maxTotalSize !== undefined) {
    budgets.maxSize = overrides.maxTotalSize;
    sources.maxSize = { from: 'input' };
  } else if (config.total.maxSize !== undefined) {
    budgets.maxSize = config.total.maxSize;
    sources.maxSize = fileSource('defaults', config, config.lines?.total.maxSize);
  }
  if (config.total.maxBuildTime !== undefined) {
    budgets.maxBuildTime = config.total.maxBuildTime;
    sources.maxBuildTime = fileSource('defaults', config, config.lines?.total.maxBuildTime);
  }
  return { budgets, sources };
}

/** Where the `host-memory` budget came from: the input, else the file's `host.memory`. */
export function hostMemorySource(config: Config, overrides: InputBudgets = {}): LimitSource | undefined {
  if (overrides.hostMemory !== undefined) return { from: 'input' };
  if (config.host?.memory !== undefined) return fileSource('defaults', config, config.lines?.hostMemory);
  return undefined;
}

/** Where the `max-wall-time` budget came from: the input, else the file's `max-wall-time`. */
export function wallTimeSource(config: Config, overrides: InputBudgets = {}): LimitSource | undefined {
  if (overrides.maxWallTime !== undefined) return { from: 'input' };
  if (config.maxWallTime !== undefined) return fileSource('defaults', config, config.lines?.maxWallTime);
  return undefined;
}

/** Sets `limitSource` on violations that do not carry one (a copy of each). */
export function withLimitSource(violations: Violation[], source: LimitSource | undefined): Violation[] {
  if (!source) return violations;
  return violations.map((v) => (v.limitSource ? v : { ...v, limitSource: source }));
}

function showGrowth(growth: Growth): string {
  const parts = [
    ...(growth.bytes !== undefined ? [formatBytes(growth.bytes)] : []),
    ...(growth.percent !== undefined ? [`${growth.percent}%`] : []),
  ];
  return parts.join(' or ');
}

/**
 * One line per input that replaces a value the config file also sets at its global level, e.g.
 * `input max-size 1GB overrides defaults.max-size 500MB of .github/image-budget.yml`: the file
 * says one thing, the run uses another, and the log should say so. Said for a per-service key only
 * when a service of `services` takes the input (one without its own entry for that key).
 */
export function overrideNotes(
  config: Config,
  overrides: InputBudgets,
  services: readonly string[],
): string[] {
  const of = config.file ? `of ${config.file}` : 'of the config file';
  const notes: string[] = [];
  const note = (input: string, value: string, key: string, was: string) => {
    if (value !== was) notes.push(`input ${input} ${value} overrides ${key} ${was} ${of}`);
  };
  const takes = (key: keyof Budgets) =>
    services.some(
      (name) => !(Object.hasOwn(config.services, name) && config.services[name]?.[key] !== undefined),
    );
  const { defaults } = config;
  if (overrides.maxSize !== undefined && defaults.maxSize !== undefined && takes('maxSize'))
    note('max-size', formatBytes(overrides.maxSize), 'defaults.max-size', formatBytes(defaults.maxSize));
  if (overrides.maxBuildTime !== undefined && defaults.maxBuildTime !== undefined && takes('maxBuildTime'))
    note(
      'max-build-time',
      formatDuration(overrides.maxBuildTime),
      'defaults.max-build-time',
      formatDuration(defaults.maxBuildTime),
    );
  if (overrides.maxGrowth !== undefined && defaults.maxGrowth !== undefined && takes('maxGrowth'))
    note(
      'max-growth',
      showGrowth(overrides.maxGrowth),
      'defaults.max-growth',
      showGrowth(defaults.maxGrowth),
    );
  if (overrides.maxTotalSize !== undefined && config.total.maxSize !== undefined)
    note(
      'max-total-size',
      formatBytes(overrides.maxTotalSize),
      'total.max-size',
      formatBytes(config.total.maxSize),
    );
  if (overrides.hostMemory !== undefined && config.host?.memory !== undefined)
    note('host-memory', formatBytes(overrides.hostMemory), 'host.memory', formatBytes(config.host.memory));
  if (overrides.maxWallTime !== undefined && config.maxWallTime !== undefined)
    note(
      'max-wall-time',
      formatDuration(overrides.maxWallTime),
      'max-wall-time',
      formatDuration(config.maxWallTime),
    );
  return notes;
}

export interface JudgeResult {
  /** A copy of the report with `services[].violations`, `violations`, `totals.violations` and `errors` set. */
  report: Report;
  /** Every violation, services' first (in report order), then the total ones. */
  violations: Violation[];
  /** Mistakes in the budgets themselves (a budget for a service that does not exist), one line each. */
  errors: Problem[];
  /** Warning-level lines for the log: an input that overrides the config file (`overrideNotes`). */
  notes: string[];
}

const BUDGET_KEYS = [
  'max-size',
  'max-compressed-size',
  'max-build-time',
  'max-growth',
  'max-layers',
] as const;
const CAMEL: Record<(typeof BUDGET_KEYS)[number], keyof Budgets> = {
  'max-size': 'maxSize',
  'max-compressed-size': 'maxCompressedSize',
  'max-build-time': 'maxBuildTime',
  'max-growth': 'maxGrowth',
  'max-layers': 'maxLayers',
};

/**
 * Judge every service and the totals. The report's previous violations are replaced (judging twice
 * gives the same report); the input report is not modified.
 * @param baseline the base branch's report, for `max-growth`; without it growth is not judged.
 * @param knownServices every service of the repository, also those a `services` selection left out.
 */
export function judge(
  report: Report,
  config: Config,
  overrides: InputBudgets = {},
  baseline?: Report,
  knownServices: readonly string[] = report.services.map((s) => s.name),
): JudgeResult {
  const baseByName = new Map((baseline?.services ?? []).map((s) => [s.name, s]));
  const services = report.services.map((service) => {
    const { budgets, sources } = resolveBudgets(service.name, config, overrides);
    const violations = judgeService(service, budgets, baseByName.get(service.name)).map((v) => {
      const source = sources[CAMEL[v.budget as (typeof BUDGET_KEYS)[number]]];
      return source ? { ...v, limitSource: source } : v;
    });
    return { ...service, violations };
  });
  const totals = resolveTotal(config, overrides);
  const total = [
    ...judgeTotal(report, totals.budgets).map((v) => {
      const source = v.budget === 'max-size' ? totals.sources.maxSize : totals.sources.maxBuildTime;
      return source ? { ...v, limitSource: source } : v;
    }),
    ...withLimitSource(judgeHost(report.host), hostMemorySource(config, overrides)),
  ];
  const errors = unknownServiceBudgets(knownServices, config);
  const all = [...services.flatMap((s) => s.violations), ...total];
  const judged: Report = {
    ...report,
    services,
    violations: total,
    totals: { ...report.totals, violations: all.length },
    errors: [
      ...report.errors,
      ...errors.filter((e) => !report.errors.some((r) => problemLine(r) === problemLine(e))),
    ],
  };
  const notes = overrideNotes(
    config,
    overrides,
    // The services a budget can apply to: built ones (image-only services are never judged).
    report.services.filter((s) => s.built || s.build || s.dockerfile !== undefined).map((s) => s.name),
  );
  return { report: judged, violations: all, errors, notes };
}

function judgeService(
  service: ServiceReport,
  budgets: Budgets,
  base: ServiceReport | undefined,
): Violation[] {
  if (!service.built || !service.image || service.build?.status === 'failed') {
    // Build time can still be judged for a build that succeeded but was not measured.
    if (service.build?.status === 'success' && budgets.maxBuildTime !== undefined) {
      return buildTime(service, budgets.maxBuildTime);
    }
    return [];
  }
  const out: Violation[] = [];
  const image = service.image;
  const name = service.name;
  if (budgets.maxSize !== undefined && image.size > budgets.maxSize) {
    out.push(over(name, 'max-size', budgets.maxSize, image.size, 'bytes', `size ${formatBytes(image.size)}`));
  }
  if (
    budgets.maxCompressedSize !== undefined &&
    image.compressedSize !== undefined &&
    image.compressedSize > budgets.maxCompressedSize
  ) {
    out.push(
      over(
        name,
        'max-compressed-size',
        budgets.maxCompressedSize,
        image.compressedSize,
        'bytes',
        `compressed size ${formatBytes(image.compressedSize)}`,
      ),
    );
  }
  if (budgets.maxBuildTime !== undefined && service.build?.status === 'success')
    out.push(...buildTime(service, budgets.maxBuildTime));
  if (budgets.maxGrowth !== undefined && base?.image && base.built) {
    const growth = image.size - base.image.size;
    const grew = `grew ${formatBytes(growth, { signed: true })} (${formatBytes(base.image.size)} → ${formatBytes(image.size)})`;
    if (budgets.maxGrowth.bytes !== undefined && growth > budgets.maxGrowth.bytes) {
      out.push(over(name, 'max-growth', budgets.maxGrowth.bytes, growth, 'bytes', grew));
    }
    if (budgets.maxGrowth.percent !== undefined && base.image.size > 0) {
      const percent = (growth / base.image.size) * 100;
      if (percent > budgets.maxGrowth.percent) {
        const text = `grew ${formatPercent(percent)} (${formatBytes(base.image.size)} → ${formatBytes(image.size)})`;
        out.push(
          over(
            name,
            'max-growth',
            budgets.maxGrowth.percent,
            Math.round(percent * 100) / 100,
            'percent',
            text,
          ),
        );
      }
    }
  }
  if (budgets.maxLayers !== undefined && image.layers > budgets.maxLayers) {
    out.push(over(name, 'max-layers', budgets.maxLayers, image.layers, 'count', `${image.layers} layers`));
  }
  return out;
}

function buildTime(service: ServiceReport, limit: number): Violation[] {
  const took = service.build?.durationMs;
  if (took === undefined || took <= limit) return [];
  return [over(service.name, 'max-build-time', limit, took, 'ms', `build took ${formatAmount(took, 'ms')}`)];
}

function judgeTotal(report: Report, budgets: TotalBudgets): Violation[] {
  const out: Violation[] = [];
  if (budgets.maxSize !== undefined && report.totals.size > budgets.maxSize) {
    out.push(
      over(
        'total',
        'max-size',
        budgets.maxSize,
        report.totals.size,
        'bytes',
        `total size ${formatBytes(report.totals.size)}`,
      ),
    );
  }
  if (budgets.maxBuildTime !== undefined && report.totals.buildDurationMs > budgets.maxBuildTime) {
    const took = report.totals.buildDurationMs;
    out.push(
      over(
        'total',
        'max-build-time',
        budgets.maxBuildTime,
        took,
        'ms',
        `builds took ${formatAmount(took, 'ms')} in all`,
      ),
    );
  }
  return out;
}

/** One violation; its message is the one line for the job log: `api: size 1.5GB is over max-size 1.2GB`. */
function over(
  service: string,
  budget: string,
  limit: number,
  actual: number,
  unit: Violation['unit'],
  what: string,
): Violation {
  const scope = service === 'total' ? `total ${budget}` : budget;
  return {
    service,
    budget,
    limit,
    actual,
    unit,
    severity: 'error',
    message: `${service}: ${what}, over ${scope} ${formatAmount(limit, unit)}`,
  };
}

/** Budgets naming no service of the repository (selected or not: `services:` input narrows a run). */
function unknownServiceBudgets(knownServices: readonly string[], config: Config): Problem[] {
  const known = new Set(knownServices);
  const names = [...known].sort().join(', ') || 'none';
  return Object.entries(config.services)
    .filter(
      ([name, service]) => !known.has(name) && BUDGET_KEYS.some((key) => service[CAMEL[key]] !== undefined),
    )
    .map(([name]) =>
      problem(`services.${name}: budget for a service that does not exist (services: ${names})`, config.file),
    );
}
