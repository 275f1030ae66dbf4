/**
 * The CLI's command line, read once into a typed command. A mistake here is a usage error (exit 2).
 */
import { parseArgs } from 'node:util';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: image-budget <command> [options]

Commands:
  check [dir]               lint, build and measure every service of the repository in dir (default .)
  lint [paths...]           lint Dockerfiles (files or folders, default .) without building
  diff <base.json> <head.json>
                            print the markdown the PR comment would hold for two reports
  merge <report.json|dir>...
                            merge the reports of shards (a matrix of jobs) into one, printed as JSON

Options for check:
  --compose <files>         compose files or folders, comma separated, relative to dir (default:
                            $COMPOSE_FILE, else compose.yaml or docker-compose.yml and its override)
  --profile <a,b>           compose profiles to activate (default: $COMPOSE_PROFILES)
  --config <file>           config file, relative to dir (default: .github/image-budget.yml)
  --services <a,b>          build only these services
  --json                    print the JSON report instead of the table
  --report <file>           also write the JSON report to this file
  --network <mode>          network for RUN steps (host, none, default)
  --docker <path>           the docker CLI to use (default: $IMAGE_BUDGET_DOCKER or docker)
  --tag <pattern>           image tag pattern (default: image-budget/{service}:{sha})
  --lint-only               stop after the lint, build nothing
  --fail-on <level>         error, warning or never (default: error)
  --max-size <size>         budget for every service's image, e.g. 500MB or 1.2GiB
  --max-total-size <size>   budget for the sum of all images
  --max-build-time <time>   budget for every service's build, e.g. 90s or 10m
  --max-growth <limit>      budget for growth against the baseline, e.g. 50MB or 10%
  --min-free-disk <size>    stop a build when the engine's disk has less free space, e.g. 5GB
  --no-analyze              skip the layer analysis (compressed size, waste, contents)
  --cache <backend>         build cache: auto, gha, local, registry, inline, none (default: auto)
  --cache-scope <prefix>    prefix of the per-service cache scopes (default: image-budget)
  --cache-registry-ref <r>  the cache image, for --cache registry
  --builder <name>          a buildx builder to use

Options for lint:
  --json                    print the findings as JSON
  --sarif <file>            also write the findings as SARIF 2.1.0
  --config <file>           config file for rule severities and custom patterns
  --fail-on <level>         error, warning or never (default: error)

Exit codes: 0 all good, 1 a build failed or a budget/rule was broken, 2 usage error.
`;

export interface CheckCommand {
  command: 'check';
  dir: string;
  compose?: string;
  config?: string;
  services?: string[];
  profiles?: string[];
  json: boolean;
  report?: string;
  network?: string;
  docker?: string;
  tag?: string;
  lintOnly: boolean;
  failOn?: string;
  maxSize?: string;
  maxTotalSize?: string;
  maxBuildTime?: string;
  maxGrowth?: string;
  minFreeDisk?: string;
  analyze: boolean;
  cache?: string;
  cacheScope?: string;
  cacheRegistryRef?: string;
  builder?: string;
}

export interface LintCommand {
  command: 'lint';
  paths: string[];
  json: boolean;
  config?: string;
  sarif?: string;
  failOn?: string;
}

export interface DiffCommand {
  command: 'diff';
  base: string;
  head: string;
}

export interface MergeCommand {
  command: 'merge';
  reports: string[];
}

export type CliCommand =
  CheckCommand | LintCommand | DiffCommand | MergeCommand | { command: 'help' } | { command: 'version' };

export function parseCli(argv: string[]): CliCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h')
    return { command: 'help' };
  if (command === '--version' || command === '-v') return { command: 'version' };
  switch (command) {
    case 'check':
      return parseCheck(rest);
    case 'lint':
      return parseLint(rest);
    case 'diff':
      return parseDiff(rest);
    case 'merge': {
      const { positionals } = parse(rest, {});
      if (positionals.length === 0)
        throw new UsageError('merge takes the report files (or folders) to merge');
      return { command: 'merge', reports: positionals };
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function parseCheck(args: string[]): CheckCommand {
  const { values, positionals } = parse(args, {
    compose: { type: 'string' },
    config: { type: 'string' },
    services: { type: 'string' },
    profile: { type: 'string' },
    json: { type: 'boolean', default: false },
    report: { type: 'string' },
    network: { type: 'string' },
    docker: { type: 'string' },
    tag: { type: 'string' },
    'lint-only': { type: 'boolean', default: false },
    'fail-on': { type: 'string' },
    'max-size': { type: 'string' },
    'max-total-size': { type: 'string' },
    'max-build-time': { type: 'string' },
    'max-growth': { type: 'string' },
    'min-free-disk': { type: 'string' },
    'no-analyze': { type: 'boolean', default: false },
    cache: { type: 'string' },
    'cache-scope': { type: 'string' },
    'cache-registry-ref': { type: 'string' },
    builder: { type: 'string' },
  });
  if (positionals.length > 1) throw new UsageError(`check takes one folder, got ${positionals.length}`);
  const check: CheckCommand = {
    command: 'check',
    dir: positionals[0] ?? '.',
    json: values.json === true,
    lintOnly: values['lint-only'] === true,
    analyze: values['no-analyze'] !== true,
  };
  for (const key of ['compose', 'config', 'report', 'network', 'docker', 'tag'] as const) {
    const value = values[key];
    if (typeof value === 'string') check[key] = value;
  }
  if (typeof values['fail-on'] === 'string') check.failOn = values['fail-on'];
  if (typeof values['min-free-disk'] === 'string') check.minFreeDisk = values['min-free-disk'];
  if (typeof values.cache === 'string') check.cache = values.cache;
  if (typeof values['cache-scope'] === 'string') check.cacheScope = values['cache-scope'];
  if (typeof values['cache-registry-ref'] === 'string') check.cacheRegistryRef = values['cache-registry-ref'];
  if (typeof values.builder === 'string') check.builder = values.builder;
  const budgetFlags = {
    'max-size': 'maxSize',
    'max-total-size': 'maxTotalSize',
    'max-build-time': 'maxBuildTime',
    'max-growth': 'maxGrowth',
  } as const;
  for (const [flag, key] of Object.entries(budgetFlags)) {
    const value = values[flag];
    if (typeof value === 'string') check[key] = value;
  }
  if (typeof values.services === 'string') check.services = splitList(values.services);
  if (typeof values.profile === 'string') check.profiles = splitList(values.profile);
  return check;
}

function parseLint(args: string[]): LintCommand {
  const { values, positionals } = parse(args, {
    json: { type: 'boolean', default: false },
    config: { type: 'string' },
    sarif: { type: 'string' },
    'fail-on': { type: 'string' },
  });
  const lint: LintCommand = {
    command: 'lint',
    paths: positionals.length ? positionals : ['.'],
    json: values.json === true,
  };
  if (typeof values.config === 'string') lint.config = values.config;
  if (typeof values.sarif === 'string') lint.sarif = values.sarif;
  if (typeof values['fail-on'] === 'string') lint.failOn = values['fail-on'];
  return lint;
}

function parseDiff(args: string[]): DiffCommand {
  const { positionals } = parse(args, {});
  const [base, head] = positionals;
  if (positionals.length !== 2 || !base || !head)
    throw new UsageError('diff takes two report files: <base.json> <head.json>');
  return { command: 'diff', base, head };
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; default?: boolean }>;

function parse(
  args: string[],
  options: OptionSpec,
): ReturnType<typeof parseArgs<{ options: OptionSpec; allowPositionals: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional.*$/s, ''));
  }
}

/** `a,b c` → [a, b, c]: commas and/or white space, as in the Action's `services` input. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
