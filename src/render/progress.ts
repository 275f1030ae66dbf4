/**
 * The run's progress drawn as text, from the events the pipeline emits (build/progress.ts): the
 * state of what is running now (`progressState`, folded from the events), the live lines a terminal
 * redraws in place (`liveLines`: one per running build with its current step and elapsed time, one
 * per running analysis), and the one line a log gets for each finished step, build and analysis
 * (`finishedLine`). Pure: time comes in as `now`, names are cleaned here (cleanText), lines are cut
 * to the width given.
 */
import { isDockerfileStep, type ProgressEvent } from '../build/progress.js';
import { formatDuration } from '../report/format.js';
import { cleanText, truncate } from './escape.js';

export interface RunningStep {
  id: number;
  name: string;
  line?: number;
  startedAt: number;
}

export interface RunningBuild {
  service: string;
  startedAt: number;
  /** Steps started and not yet ended, in the order they started. */
  steps: readonly RunningStep[];
}

export interface ProgressState {
  /** Builds running now, in the order they started. */
  builds: readonly RunningBuild[];
  /** Analyses running now, in the order they started. */
  analyses: readonly { service: string; startedAt: number }[];
}

export const EMPTY_PROGRESS: ProgressState = { builds: [], analyses: [] };

/** The state after one event (a new object; the old one is left as it was). */
export function progressState(state: ProgressState, event: ProgressEvent): ProgressState {
  const others = (b: RunningBuild): boolean => b.service !== event.service;
  switch (event.kind) {
    case 'build-started':
      return {
        ...state,
        builds: [...state.builds.filter(others), { service: event.service, startedAt: event.at, steps: [] }],
      };
    case 'build-finished':
      return { ...state, builds: state.builds.filter(others) };
    case 'step-started':
    case 'step-finished':
      return {
        ...state,
        builds: state.builds.map((build) => {
          if (build.service !== event.service) return build;
          const steps = build.steps.filter((step) => step.id !== event.id);
          if (event.kind === 'step-started')
            steps.push({
              id: event.id,
              name: event.name,
              startedAt: event.at,
              ...(event.line !== undefined ? { line: event.line } : {}),
            });
          return { ...build, steps };
        }),
      };
    case 'analysis-started':
      return {
        ...state,
        analyses: [
          ...state.analyses.filter((a) => a.service !== event.service),
          { service: event.service, startedAt: event.at },
        ],
      };
    case 'analysis-finished':
      return { ...state, analyses: state.analyses.filter((a) => a.service !== event.service) };
  }
}

/** Folds events from the empty state. */
export function progressOf(events: readonly ProgressEvent[]): ProgressState {
  return events.reduce(progressState, EMPTY_PROGRESS);
}

/**
 * One line per running build (`api  step 2/5 RUN pip install -r requirements.txt  12s`: its latest
 * started step, the build's elapsed time) and per running analysis, each cut to `width` columns.
 */
export function liveLines(state: ProgressState, now: number, width: number): string[] {
  const names = [...state.builds.map((b) => b.service), ...state.analyses.map((a) => a.service)];
  const pad = Math.min(24, Math.max(0, ...names.map((n) => clean(n).length)));
  const lines: string[] = [];
  for (const build of state.builds) {
    const current = build.steps[build.steps.length - 1];
    const doing = current ? stepLabel(current.name) : 'starting';
    lines.push(row(build.service, doing, now - build.startedAt, pad, width));
  }
  for (const analysis of state.analyses)
    lines.push(row(analysis.service, 'analysing the layers', now - analysis.startedAt, pad, width));
  return lines;
}

/**
 * The log's line for an event that ends something, else undefined:
 * `api: step 4/9 RUN pip install ... 12.3s`, `api: step 2/9 COPY . /app cached`, `api: built in 41s`,
 * `api: analysed in 3.2s`. Only the Dockerfile's steps get one, not BuildKit's own vertices.
 */
export function finishedLine(event: ProgressEvent, maxStepLength = 100): string | undefined {
  const service = clean(event.service);
  switch (event.kind) {
    case 'step-finished': {
      if (!isDockerfileStep(event.name)) return undefined;
      const how =
        event.status === 'cached'
          ? 'cached'
          : event.status === 'error'
            ? `failed after ${formatDuration(event.durationMs)}`
            : event.status === 'canceled'
              ? 'cancelled'
              : formatDuration(event.durationMs);
      return `${service}: ${truncate(stepLabel(event.name), maxStepLength)} ${how}`;
    }
    case 'build-finished':
      return `${service}: ${
        event.status === 'success' ? 'built in' : event.status === 'failed' ? 'failed after' : 'stopped after'
      } ${formatDuration(event.durationMs)}`;
    case 'analysis-finished':
      return `${service}: ${event.ok ? 'analysed in' : 'analysis failed after'} ${formatDuration(event.durationMs)}`;
    default:
      return undefined;
  }
}

/** `[stage-1 2/3] RUN make` as `stage-1 step 2/3 RUN make`; `[2/3] ...` as `step 2/3 ...`; others as they are. */
export function stepLabel(name: string): string {
  const text = clean(name);
  const match = /^\[(?:(\S+) )?(\d+\/\d+)\] (.*)$/.exec(text);
  if (!match) return text === '' ? 'a step' : text;
  return `${match[1] ? `${match[1]} ` : ''}step ${match[2]} ${match[3] ?? ''}`.trimEnd();
}

function row(service: string, doing: string, elapsedMs: number, pad: number, width: number): string {
  const name = truncate(clean(service), pad).padEnd(pad);
  const seconds = Math.max(0, Math.floor(elapsedMs / 1000));
  const time = seconds < 60 ? `${seconds}s` : formatDuration(seconds * 1000);
  // The step is what gives way when the line is too long: the name and the time stay.
  const room = Math.max(1, width - name.length - time.length - 4);
  return fit(`${name}  ${truncate(doing, room)}  ${time}`, width);
}

/** At most `width` characters (a terminal that wraps a line breaks the redraw). */
function fit(line: string, width: number): string {
  return truncate(line, Math.max(1, width));
}

function clean(text: string): string {
  return cleanText(text).replace(/\s+/g, ' ').trim();
}
