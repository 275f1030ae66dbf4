/**
 * The CLI's command line, read once into a typed command. A mistake here is a usage error (exit 2).
 */
import { parseArgs } from 'node:util';
import type { InputName, RawRequest } from '../pipeline/request.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: image-budget <command> [options]

Commands:
  check [dir]               lint, build and measure every service of the repository in dir
                            (default .)
  lint [paths...]           lint Dockerfiles (files or folders, default .) without building
  diff <base.json> <head.json>
                            print the markdown the PR comment would hold for two reports
  merge <report.json|dir>...
                            merge the reports of shards (a matrix of jobs) into one, printed as JSON
  history [file|dir]        print the size trend saved with the baselines: a history file (or the
                            folder of a restored baseline); in a workflow, without one, the newest
                            baseline of --branch (default: this run's branch) from the Actions cache

Options for check:
  --compose <files>         compose files or folders, comma separated, relative to dir (default:
                            $COMPOSE_FILE, else compose.yaml or docker-compose.yml and its override)
  --profile <a,b>           compose profiles to activate (default: $COMPOSE_PROFILES)
  --config <file>           config file, relative to dir (default: .github/image-budget.yml)
  --services <a,b>          build only these services
  --json                    print the JSON report instead of the table
  --wide                    print every column and message in full (default: fit 100 columns, or
                            the terminal's width down to 60)
  --report <file>           also write the JSON report to this file
  --sarif <file>            also write the findings as SARIF 2.1.0
  --baseline <report.json>  judge growth (--max-growth) against this report and mark each finding
                            and violation new, worse, fixed or existing
  --network <mode>          network for RUN steps (host, none, default)
  --docker <path>           the docker CLI to use (default: $IMAGE_BUDGET_DOCKER or docker)
  --tag <pattern>           image tag pattern (default: image-budget/{service}:{sha})
  --lint-only               stop after the lint, build nothing
  --fail-on <level>         error, warning, new or never (default: error)
  --max-size <size>         budget for every service's image, e.g. 500MB or 1.2GiB
  --max-total-size <size>   budget for the sum of all images
  --max-build-time <time>   budget for every service's build, e.g. 90s or 10m
  --max-growth <limit>      budget for growth against the baseline, e.g. 50MB or 10%
  --host-memory <size>      the host's memory: the services' memory limits must fit, e.g. 2GB
  --max-wall-time <time>    budget for the whole run's wall time (a platform's limit), e.g. 30m
  --min-free-disk <size>    stop a build when the engine's disk has less free space, e.g. 5GB
  --no-analyze              skip the layer analysis (compressed size, waste, contents)
  --parallel <n>            build at most n services at once (default: all at once; 1: one after
                            another)
  --keep-logs               keep every build log after the run (they hold the build args; by
                            default only a failed build's log is kept)
  --pull-images             pull the images of image-only services (postgres, redis) to measure
                            them
  --cache <backend>         build cache: auto, gha, local, registry, inline, none (default: auto)
  --cache-scope <prefix>    prefix of the per-service cache scopes (default: image-budget)
  --cache-registry-ref <r>  the cache image, for --cache registry
  --builder <name>          a buildx builder to use

Options for lint:
  --json                    print the findings as JSON
  --wide                    print every finding in full on one line (default: fit 100 columns)
  --sarif <file>            also write the findings as SARIF 2.1.0
  --config <file>           config file for rule severities and custom patterns
  --fail-on <level>         error, warning, new or never (default: error)

Exit codes: 0 all good, 1 a build failed or a budget/rule was broken, 2 usage error.
`;

export interface CheckCommand {
  command: 'check';
  json: boolean;
  /** Every column and message in full, whatever the width. */
  wide: boolean;
  /**
   * A report to compare with (`--baseline`): growth budgets and the marks. Not the Action's
   * `baseline` input (where the baseline comes from: cache, build, none): a CLI flag of its own.
   */
  baseline?: string;
  /**
   * The flags that are Action inputs, by the input's name (`--max-size` is `max-size`), as written;
   * the folder is `working-directory`. Checked by `parseRequest`, as the Action's inputs are.
   */
  request: RawRequest;
}

export interface LintCommand {
  command: 'lint';
  paths: string[];
  json: boolean;
  wide: boolean;
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

export interface HistoryCommand {
  command: 'history';
  file?: string;
  branch?: string;
  json: boolean;
}

export type CliCommand =
  | CheckCommand
  | LintCommand
  | DiffCommand
  | MergeCommand
  | HistoryCommand
  | { command: 'help' }
  | { command: 'version' };

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
    case 'history': {
      const { values, positionals } = parse(rest, {
        branch: { type: 'string' },
        json: { type: 'boolean', default: false },
      });
      if (positionals.length > 1) throw new UsageError('history takes at most one file or folder');
      const history: HistoryCommand = { command: 'history', json: values.json === true };
      if (positionals[0]) history.file = positionals[0];
      if (typeof values.branch === 'string') history.branch = values.branch;
      return history;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** The flags of `check` that are Action inputs, and take a value: the same name, the same meaning. */
export const CHECK_INPUT_FLAGS = [
  'compose',
  'config',
  'services',
  'report',
  'network',
  'docker',
  'tag',
  'fail-on',
  'max-size',
  'max-total-size',
  'max-build-time',
  'max-growth',
  'host-memory',
  'max-wall-time',
  'min-free-disk',
  'cache',
  'cache-scope',
  'cache-registry-ref',
  'builder',
  'parallel',
  'sarif',
] as const satisfies readonly InputName[];

/**
 * The flags of `check` that are not Action inputs by that name (the booleans are read into inputs:
 * `--no-analyze` is `analyze: false`, `--profile` is `profiles`; `--baseline` is a file here, where
 * the input says where a baseline comes from).
 */
export const CHECK_CLI_FLAGS = [
  'json',
  'wide',
  'baseline',
  'lint-only',
  'no-analyze',
  'keep-logs',
  'profile',
  'pull-images',
] as const;

function parseCheck(args: string[]): CheckCommand {
  const { values, positionals } = parse(args, {
    ...Object.fromEntries(CHECK_INPUT_FLAGS.map((name) => [name, { type: 'string' as const }])),
    json: { type: 'boolean', default: false },
    wide: { type: 'boolean', default: false },
    baseline: { type: 'string' },
    'lint-only': { type: 'boolean', default: false },
    'no-analyze': { type: 'boolean', default: false },
    'keep-logs': { type: 'boolean', default: false },
    'pull-images': { type: 'boolean', default: false },
    profile: { type: 'string' },
  });
  if (positionals.length > 1) throw new UsageError(`check takes one folder, got ${positionals.length}`);
  const request: RawRequest = {
    'working-directory': positionals[0] ?? '.',
    'lint-only': String(values['lint-only'] === true),
    analyze: String(values['no-analyze'] !== true),
    'keep-logs': String(values['keep-logs'] === true),
  };
  if (typeof values.profile === 'string') request.profiles = values.profile;
  if (values['pull-images'] === true) request['pull-images'] = 'true';
  for (const name of CHECK_INPUT_FLAGS) {
    const value = values[name];
    if (typeof value === 'string') request[name] = value;
  }
  const check: CheckCommand = {
    command: 'check',
    json: values.json === true,
    wide: values.wide === true,
    request,
  };
  if (typeof values.baseline === 'string') {
    if (values.baseline === '') throw new UsageError('--baseline takes a report file');
    check.baseline = values.baseline;
  }
  return check;
}

function parseLint(args: string[]): LintCommand {
  const { values, positionals } = parse(args, {
    json: { type: 'boolean', default: false },
    wide: { type: 'boolean', default: false },
    config: { type: 'string' },
    sarif: { type: 'string' },
    'fail-on': { type: 'string' },
  });
  const lint: LintCommand = {
    command: 'lint',
    paths: positionals.length ? positionals : ['.'],
    json: values.json === true,
    wide: values.wide === true,
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
