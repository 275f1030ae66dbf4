/**
 * Builds one service: runs the build command through the docker wrapper, keeps the full log in a file
 * outside the repository, reads BuildKit's progress into steps, and turns a failure into one line that
 * names the Dockerfile line and the step. Never throws for a failed build: the result says so.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Docker, ExecResult } from '../docker/exec.js';
import type { BuildSpec } from '../plan/model.js';
import type { BuildResult, BuildStatus, BuildStep } from '../report/model.js';
import { buildCommand, type BuildCommand } from './argv.js';
import type { Builder } from './builder.js';
import { ProgressReader, type ProgressEvent, type Vertex, type VertexChange } from './progress.js';
import type { ParsedDockerfile } from '../dockerfile/index.js';
import { stepLineFinder, type StepLineFinder } from './step-lines.js';
import { problem, type Problem } from '../util/errors.js';

export interface BuildServiceOptions {
  tag: string;
  /** The service's compose `image:`, tagged as well. */
  composeImage?: string;
  /** Folder for logs and id files; never inside the user's repository. */
  workDir: string;
  network?: string;
  cacheArgs?: string[];
  /** The tag each service's image gets in this run (`additional_contexts: service:NAME`). */
  serviceTag?: (service: string) => string;
  signal?: AbortSignal;
  /** Dockerfile path as shown to users (relative to the repository root). */
  dockerfileLabel: string;
  /** The run's model of the Dockerfile, to point steps and failures at their lines (none: unreadable). */
  dockerfile?: ParsedDockerfile;
  /** Live log lines, e.g. to the job log. */
  onLine?: (line: string) => void;
  /** The build's start and end and each step's, as BuildKit's progress streams in. */
  onProgress?: (event: ProgressEvent) => void;
  /** The clock of the events' `at` (default `performance.now()`). */
  now?: () => number;
}

export interface ServiceBuild {
  build: BuildResult;
  imageId?: string;
  /** One line for a failed build. */
  error?: Problem;
}

/** The last lines of a failed build kept in the report (`BuildResult.logTail`). */
export const LOG_TAIL_LINES = 20;

export async function buildService(
  docker: Docker,
  builder: Builder,
  serviceName: string,
  spec: BuildSpec,
  options: BuildServiceOptions,
): Promise<ServiceBuild> {
  await mkdir(options.workDir, { recursive: true });
  const { logFile, iidFile } = buildFiles(options.workDir, serviceName);
  await rm(iidFile, { force: true });

  const command = buildCommand(builder, spec, {
    tag: options.tag,
    iidFile,
    ...(options.network ? { network: options.network } : {}),
    ...(options.cacheArgs ? { cacheArgs: options.cacheArgs } : {}),
    ...(options.serviceTag ? { serviceTag: options.serviceTag } : {}),
    ...(options.composeImage ? { composeImage: options.composeImage } : {}),
  });
  // The log holds build args and output in clear: only its owner may read it.
  const log = createWriteStream(logFile, { mode: 0o600 });
  const lineOf = stepLineFinder(options.dockerfile);
  const emit = options.onProgress;
  const now = options.now ?? (() => performance.now());
  const progress = new ProgressReader(emit && stepEvents(serviceName, lineOf, emit, now));
  emit?.({ kind: 'build-started', service: serviceName, at: now() });
  const { result, logTail } = await runLogged(docker, command, options, log, progress);

  const steps = progress.steps().map((vertex) => toStep(vertex, lineOf(vertex.name)));
  const build = summarizeBuild(result, builder, logFile, steps);
  emit?.({
    kind: 'build-finished',
    service: serviceName,
    status: build.status,
    durationMs: build.durationMs,
    at: now(),
  });
  if (build.status === 'success') return withImageId(build, iidFile, options.dockerfileLabel);
  build.exitCode = result.code;
  build.logTail = logTail;
  if (build.status === 'aborted') return { build };
  return { build, error: failureLine(progress.failed(), lineOf, options.dockerfileLabel, build.logTail) };
}

/** The build's log and image id files in the work folder, named after the service. */
function buildFiles(workDir: string, serviceName: string): { logFile: string; iidFile: string } {
  const safeName = serviceName.replace(/[^A-Za-z0-9_.-]/g, '_');
  return {
    logFile: path.join(workDir, `${safeName}.build.log`),
    iidFile: path.join(workDir, `${safeName}.iid`),
  };
}

/** Each step's start and end as progress events (BuildKit's own `building with` line aside). */
function stepEvents(
  service: string,
  lineOf: StepLineFinder,
  emit: (event: ProgressEvent) => void,
  now: () => number,
): (change: VertexChange) => void {
  return ({ change, vertex }) => {
    // buildx's `#0 building with "default" instance ...` names the builder and never ends.
    if (/^building with /.test(vertex.name)) return;
    const line = lineOf(vertex.name);
    const step = { service, id: vertex.id, name: vertex.name, ...(line ? { line } : {}) };
    if (change === 'started') emit({ kind: 'step-started', ...step, at: now() });
    else if (vertex.status !== 'running')
      emit({
        kind: 'step-finished',
        ...step,
        status: vertex.status,
        durationMs: vertex.durationMs,
        at: now(),
      });
  };
}

/**
 * Runs the build, each line of output to the log file, the progress reader and `options.onLine`;
 * the log is closed when the build ends. `logTail` is its last LOG_TAIL_LINES lines.
 */
async function runLogged(
  docker: Docker,
  command: BuildCommand,
  options: BuildServiceOptions,
  log: WriteStream,
  progress: ProgressReader,
): Promise<{ result: ExecResult; logTail: string[] }> {
  const logTail: string[] = [];
  const result = await docker.run(command.args, {
    env: command.env,
    ...(command.input !== undefined ? { input: command.input } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onLine: (line) => {
      log.write(`${line}\n`);
      progress.push(line);
      logTail.push(line);
      if (logTail.length > LOG_TAIL_LINES) logTail.shift();
      options.onLine?.(line);
    },
  });
  await new Promise<void>((resolve) => log.end(resolve));
  return { result, logTail };
}

/**
 * The build's result from the run and its steps. A FROM step only resolves a base image: neither
 * cached nor executed work, so it counts as neither.
 */
export function summarizeBuild(
  result: Pick<ExecResult, 'code' | 'aborted' | 'durationMs'>,
  builder: Builder,
  logFile: string,
  steps: BuildStep[],
): BuildResult & { status: Exclude<BuildStatus, 'skipped'> } {
  const countable = steps.filter((step) => !/^\[[^\]]+\] FROM /.test(step.name));
  return {
    status: result.aborted ? 'aborted' : result.code === 0 ? 'success' : 'failed',
    durationMs: result.durationMs,
    builder: builder.kind,
    logFile,
    steps,
    cachedSteps: countable.filter((step) => step.cached).length,
    executedSteps: countable.filter((step) => !step.cached).length,
  };
}

/** A build that worked, with the image id it wrote; one that wrote none is an error. */
async function withImageId(
  build: BuildResult,
  iidFile: string,
  dockerfileLabel: string,
): Promise<ServiceBuild> {
  const imageId = (await readFile(iidFile, 'utf8').catch(() => '')).trim();
  return imageId
    ? { build, imageId }
    : { build, error: problem('the build wrote no image id', dockerfileLabel) };
}

function toStep(vertex: Vertex, line: number | undefined): BuildStep {
  const step: BuildStep = { name: vertex.name, durationMs: vertex.durationMs, cached: vertex.cached };
  if (line !== undefined) step.line = line;
  return step;
}

/** `Dockerfile:12: step "[2/3] RUN make" failed: exit code: 2`, or the log's last words. */
function failureLine(
  failed: Vertex | undefined,
  lineOf: (name: string) => number | undefined,
  dockerfile: string,
  logTail: string[],
): Problem {
  if (failed) {
    const line = lineOf(failed.name);
    // BuildKit names the command again before the exit code: `executor failed running [/bin/sh -c
    // make]: ` (docker 20.10), `process "/bin/sh -c make" did not complete successfully: ` (newer).
    const reason = (failed.error ?? 'failed')
      .replace(/^executor failed running \[.*?\]: /, '')
      .replace(/^process ".*?" did not complete successfully: /, '');
    const name = failed.name.length > 120 ? `${failed.name.slice(0, 117)}...` : failed.name;
    return problem(`step "${name}" failed: ${reason}`, dockerfile, line);
  }
  const last = [...logTail].reverse().find((l) => l.trim() !== '') ?? 'the build failed';
  return problem(`build failed: ${last.replace(/^ERROR:?\s*/, '')}`, dockerfile);
}
