/**
 * The CLI shell over the pipeline: parses the command line, runs, prints, and turns the report into
 * an exit code (0 good, 1 failed build / broken budget, 2 usage). The only place, with the Action's
 * action/main.ts, that decides an exit code. `check`'s flags are the Action's inputs by name, read
 * into the same request (src/pipeline/request.ts).
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Docker } from '../docker/exec.js';
import { keepFailedBuildLogs } from '../pipeline/build.js';
import type { RunOptions } from '../pipeline/options.js';
import {
  flagLabel,
  judging,
  parseFailOn,
  parseRequest,
  rootOf,
  runOptions,
  type Request,
  type RunPlace,
} from '../pipeline/request.js';
import { runPipeline } from '../pipeline/run.js';
import { markAgainst } from '../report/marks.js';
import { TOOL_VERSION, type Finding, type Report } from '../report/model.js';
import { exitVerdict } from '../budget/verdict.js';
import { renderTerminal, terminalWidth } from '../render/terminal.js';
import { wrap } from '../render/wrap.js';
import { relativePath } from '../util/paths.js';
import { isUserError, oneLine, problemLine } from '../util/errors.js';
import { shortSha } from '../util/git.js';
import { printable, type Log } from '../util/log.js';
import { renderFindingsText } from '../render/findings.js';
import { lintPaths } from '../pipeline/lint-paths.js';
import { diffReports } from '../report/diff.js';
import { plural } from '../report/format.js';
import { renderMarkdown } from '../render/markdown.js';
import { readReport } from '../report/read.js';
import { toSarif } from '../render/sarif.js';
import { readReportFiles, readText } from '../report/read-files.js';
import { trendRunOf, type TrendRun } from '../report/trend.js';
import { trendText } from '../render/trend.js';
import { actionsCache } from '../store/actions-cache.js';
import { restoreBaseline } from '../store/baseline.js';
import { HISTORY_FILE, MAX_HISTORY_BYTES, readHistory } from '../store/history.js';
import { readTextBounded } from '../util/read-file.js';
import { progressDisplay } from './progress.js';
import {
  parseCli,
  USAGE,
  UsageError,
  type CheckCommand,
  type DiffCommand,
  type HistoryCommand,
  type LintCommand,
} from './args.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** The terminal's width when stdout is one; the output fits it (100 at most, 60 at least). */
  columns?: number | undefined;
  /** The width of the terminal stderr is, else undefined: live progress lines only on a terminal. */
  stderrColumns?: () => number | undefined;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  get columns() {
    return process.stdout.isTTY ? process.stdout.columns : undefined;
  },
  stderrColumns: () => (process.stderr.isTTY ? process.stderr.columns || 80 : undefined),
};

export async function cli(argv: string[], given: CliIo = processIo): Promise<number> {
  // The one print path: control characters from a repository never reach the terminal raw.
  const io: CliIo = {
    ...given,
    stdout: (text) => given.stdout(printable(text)),
    stderr: (text) => given.stderr(printable(text)),
  };
  try {
    const command = parseCli(argv);
    switch (command.command) {
      case 'help':
        io.stdout(USAGE);
        return 0;
      case 'version':
        io.stdout(`${TOOL_VERSION}\n`);
        return 0;
      case 'check':
        return await check(command, io, given.stderr);
      case 'lint':
        return lint(command, io);
      case 'diff':
        return diff(command, io);
      case 'merge':
        io.stdout(`${JSON.stringify(readReportFiles(command.reports, io.cwd), null, 2)}\n`);
        return 0;
      case 'history':
        return await history(command, io);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`image-budget: ${error.message}\nRun \`image-budget --help\` for usage.\n`);
      return 2;
    }
    if (isUserError(error)) {
      io.stderr(`image-budget: ${oneLine(error)}\n`);
      return 1;
    }
    throw error;
  }
}

async function check(command: CheckCommand, io: CliIo, rawStderr: (text: string) => void): Promise<number> {
  const request = usage(() =>
    parseRequest(
      {
        ...command.request,
        docker: command.request.docker ?? io.env.IMAGE_BUDGET_DOCKER,
        network: command.request.network ?? io.env.IMAGE_BUDGET_NETWORK,
      },
      flagLabel,
    ),
  );
  // Read before anything is built: a missing or broken baseline is one usage line, at once.
  const baselineStarted = performance.now();
  const baseline = command.baseline ? usage(() => readBaseline(command.baseline!, io.cwd)) : undefined;
  const baselineMs = Math.round(performance.now() - baselineStarted);
  const root = rootOf(request, io.cwd);
  const options = checkOptions(
    request,
    {
      base: io.cwd,
      sha: (await shortSha(root)) ?? 'local',
      workDir: path.join(tmpdir(), 'image-budget', `${Date.now()}-${process.pid}`),
    },
    baseline,
  );
  const docker = new Docker(options.docker, io.env);
  // Quiet with --json; live lines on a terminal, finished lines elsewhere (src/cli/progress.ts).
  const display = command.json ? undefined : progressDisplay({ write: rawStderr, columns: io.stderrColumns });
  const { report: run, config } = await runPipeline(
    display ? { ...options, onProgress: display.onProgress } : options,
    { docker, log: display ? stderrLog({ ...io, stderr: display.print }) : quietLog(io), env: io.env },
  ).finally(() => display?.stop());
  // The pipeline kept every log (checkOptions): a failed build's is for the user to read.
  if (!request['keep-logs']) keepFailedBuildLogs(run);
  const { failOn, noiseThreshold } = judging(request, config);
  let report: Report = run;
  if (baseline) {
    report = markAgainst(baseline, run, noiseThreshold);
    report.phases = { ...report.phases, baselineMs };
  }
  if (request.report) writeFile(path.resolve(io.cwd, request.report), `${JSON.stringify(report, null, 2)}\n`);
  if (request.sarif) {
    // Paths as `lint --sarif` writes them: relative to where the command runs.
    const findings = report.services.flatMap((s) => s.findings).map((f) => fromCwd(f, root, io.cwd));
    writeFile(
      path.resolve(io.cwd, request.sarif),
      `${JSON.stringify(toSarif(findings, report.tool.version), null, 2)}\n`,
    );
  }
  const verdict = exitVerdict(report, failOn);
  io.stdout(
    command.json
      ? `${JSON.stringify(report, null, 2)}\n`
      : `${renderTerminal(report, {
          wide: command.wide,
          width: terminalWidth(io.columns),
          ...(command.baseline ? { baseline: command.baseline } : {}),
        })}\n${verdict.summary}\n`,
  );
  return verdict.failed ? 1 : 0;
}

/**
 * The pipeline's options for `check`: the request's, the baseline report (growth budgets), and the
 * build logs kept (`check` itself removes those of the builds that did not fail).
 */
export function checkOptions(request: Request, place: RunPlace, baseline?: Report): RunOptions {
  return { ...runOptions(request, place), keepLogs: true, ...(baseline ? { baseline } : {}) };
}

/** `--baseline`: a report file, read bounded and checked as any report. */
export function readBaseline(file: string, cwd: string): Report {
  return readReport(readText(path.resolve(cwd, file), file), file);
}

function fromCwd(finding: Finding, root: string, cwd: string): Finding {
  return { ...finding, file: relativePath(cwd, path.join(root, finding.file)) };
}

function lint(command: LintCommand, io: CliIo): number {
  const result = lintPaths(command.paths, io.cwd, command.config);
  const findings = result.findings;
  if (command.sarif)
    writeFile(
      path.resolve(io.cwd, command.sarif),
      `${JSON.stringify(toSarif(findings, TOOL_VERSION), null, 2)}\n`,
    );
  if (command.json) {
    io.stdout(`${JSON.stringify({ files: result.files, findings, errors: result.errors }, null, 2)}\n`);
  } else {
    const width = terminalWidth(io.columns);
    io.stdout(renderFindingsText(findings, { wide: command.wide, width }));
    for (const error of result.errors.map(problemLine)) {
      const lines = command.wide ? [`✗ ${error}`] : wrap(error, width, '✗ ', '  ');
      io.stdout(`${lines.join('\n')}\n`);
    }
    io.stdout(`${plural(result.files.length, 'Dockerfile')} linted\n`);
  }
  const failOn = usage(() => parseFailOn(command.failOn, '--fail-on')) ?? 'error';
  const failing = findings.filter(
    (f) => f.severity === 'error' || (failOn === 'warning' && f.severity === 'warning'),
  );
  return failOn !== 'never' && (failing.length > 0 || result.errors.length > 0) ? 1 : 0;
}

function diff(command: DiffCommand, io: CliIo): number {
  const read = (file: string) => readReport(readText(path.resolve(io.cwd, file), file), file);
  const base = read(command.base);
  const head = read(command.head);
  io.stdout(`${renderMarkdown(head, exitVerdict(head, 'error'), { diff: diffReports(base, head) })}\n`);
  return 0;
}

/** `history`: the size trend from a history file (or a baseline's folder), or from the Actions cache. */
async function history(command: HistoryCommand, io: CliIo): Promise<number> {
  let runs: TrendRun[];
  if (command.file) {
    const given = path.resolve(io.cwd, command.file);
    const folder = existsSync(given) && statSync(given).isDirectory();
    const display = folder ? path.join(command.file, HISTORY_FILE) : command.file;
    const text = readTextBounded(folder ? path.join(given, HISTORY_FILE) : given, {
      maxBytes: MAX_HISTORY_BYTES,
      display,
    });
    const read = readHistory(text, display);
    if (read.warning) {
      io.stderr(`image-budget: ${read.warning}\n`);
      return 1;
    }
    runs = read.runs;
  } else {
    const cache = actionsCache(io.env);
    if (!cache.available())
      throw new UsageError('history takes a history file here: the Actions cache is only in a workflow');
    const branch = command.branch ?? io.env.GITHUB_REF_NAME;
    if (!branch) throw new UsageError('history needs --branch: this run has no branch name');
    // The folder baselines are saved from: the cache keys entries by their paths too.
    const restored = await restoreBaseline({ cache, branch });
    if (restored.warning) io.stderr(`warning: ${restored.warning}\n`);
    runs = restored.history ?? (restored.report ? [trendRunOf(restored.report)] : []);
  }
  io.stdout(command.json ? `${JSON.stringify(runs, null, 2)}\n` : trendText(runs));
  return 0;
}

function writeFile(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** A bad flag value is a usage error (exit 2), whatever module found it. */
function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (isUserError(error)) throw new UsageError(oneLine(error));
    throw error;
  }
}

/** Progress on stderr: build output only under IMAGE_BUDGET_VERBOSE, group names always. */
function stderrLog(io: CliIo): Log {
  const verbose = io.env.IMAGE_BUDGET_VERBOSE === '1';
  return {
    info: (message) => {
      if (verbose) io.stderr(`${message}\n`);
    },
    warning: (message) => io.stderr(`warning: ${message}\n`),
    // Errors are listed under the table; JSON runs print them here, the report holds them too.
    error: (message) => {
      if (verbose) io.stderr(`error: ${message}\n`);
    },
    group: async (name, fn) => {
      io.stderr(`» ${name}\n`);
      return fn();
    },
  };
}

function quietLog(io: CliIo): Log {
  return {
    ...stderrLog(io),
    info: () => undefined,
    error: (m) => io.stderr(`error: ${m}\n`),
    group: (_name, fn) => fn(),
  };
}
