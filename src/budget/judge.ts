/**
 * Budgets: compare a report's measurements with the limits of the config file and the action's inputs
 * (and, for `max-growth`, with the baseline report). Pure: takes data, returns a new report.
 *
 * Which limit applies to a service, per budget key, most specific first:
 *   1. `services.<name>.<budget>` in the config file;
 *   2. the input / CLI flag (`max-size`, `max-build-time`, `max-growth`);
 *   3. `defaults.<budget>` in the config file.
 * Repository-wide: `total.max-size` (or the `max-total-size` input, which wins) and `total.max-build-time`.
 *
 * A service is judged only where it was measured: size budgets need an image, `max-build-time` a
 * successful build, `max-compressed-size` a measured compressed size, `max-growth` the same service in
 * the baseline. Services with only `image:` are never judged.
 */
import type { Budgets, Config, TotalBudgets } from '../config/schema.js';
import type { Growth } from '../config/units.js';
import { formatAmount, formatBytes, formatPercent } from '../report/format.js';
import type { Report, ServiceReport, Violation } from '../report/model.js';
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

/** The limits that apply to one service, per key: config service entry, then inputs, then defaults. */
export function budgetsFor(service: string, config: Config, overrides: InputBudgets = {}): Budgets {
  const own = Object.hasOwn(config.services, service) ? config.services[service] : undefined;
  const pick = <K extends keyof Budgets>(key: K, input?: Budgets[K]): Budgets[K] =>
    own?.[key] ?? input ?? config.defaults[key];
  const out: Budgets = {};
  const maxSize = pick('maxSize', overrides.maxSize);
  if (maxSize !== undefined) out.maxSize = maxSize;
  const maxCompressedSize = pick('maxCompressedSize');
  if (maxCompressedSize !== undefined) out.maxCompressedSize = maxCompressedSize;
  const maxBuildTime = pick('maxBuildTime', overrides.maxBuildTime);
  if (maxBuildTime !== undefined) out.maxBuildTime = maxBuildTime;
  const maxGrowth = pick('maxGrowth', overrides.maxGrowth);
  if (maxGrowth !== undefined) out.maxGrowth = maxGrowth;
  const maxLayers = pick('maxLayers');
  if (maxLayers !== undefined) out.maxLayers = maxLayers;
  return out;
}

/** The repository-wide limits: the `max-total-size` input wins over `total.max-size`. */
export function totalBudgets(config: Config, overrides: InputBudgets = {}): TotalBudgets {
  const out: TotalBudgets = {};
  const maxSize = overrides.maxTotalSize ?? config.total.maxSize;
  if (maxSize !== undefined) out.maxSize = maxSize;
  if (config.total.maxBuildTime !== undefined) out.maxBuildTime = config.total.maxBuildTime;
  return out;
}

export interface JudgeResult {
  /** A copy of the report with `services[].violations`, `violations`, `totals.violations` and `errors` set. */
  report: Report;
  /** Every violation, services' first (in report order), then the total ones. */
  violations: Violation[];
  /** Mistakes in the budgets themselves (a budget for a service that does not exist), one line each. */
  errors: Problem[];
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
    const violations = judgeService(
      service,
      budgetsFor(service.name, config, overrides),
      baseByName.get(service.name),
    );
    return { ...service, violations };
  });
  const total = [...judgeTotal(report, totalBudgets(config, overrides)), ...judgeHost(report.host)];
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
  return { report: judged, violations: all, errors };
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
