/**
 * The one gate for the annotations this step writes (errors, warnings, notices): GitHub shows at most
 * 10 of each per step, so each level is counted, and past its limit a message becomes a plain log
 * line (`warning: …`), so nothing is lost from the log. Everything in the Action that would call
 * `core.error`, `core.warning` or `core.notice` goes through `step`; `publish` ranks the report's
 * annotations into the room left (render/annotations.ts).
 */
import * as core from '@actions/core';
import {
  ANNOTATION_LIMIT,
  type AnnotationCounts,
  type AnnotationLevel,
  type AnnotationProperties,
  type AnnotationSink,
} from '../render/annotations.js';
import { commandSafe } from '../util/log.js';

/** What the gate writes to: @actions/core, or a test's recorder. */
export interface StepCore extends AnnotationSink {
  info(message: string): void;
}

export class StepAnnotations implements AnnotationSink {
  private used: AnnotationCounts = { error: 0, warning: 0, notice: 0 };

  constructor(
    private readonly out: StepCore = core,
    private readonly limit = ANNOTATION_LIMIT,
  ) {}

  /** A new step: nothing written yet. */
  reset(): void {
    this.used = { error: 0, warning: 0, notice: 0 };
  }

  /** How many more of each level GitHub would still show. */
  room(): AnnotationCounts {
    const left = (level: AnnotationLevel) => Math.max(0, this.limit - this.used[level]);
    return { error: left('error'), warning: left('warning'), notice: left('notice') };
  }

  error(message: string, properties?: AnnotationProperties): void {
    this.write('error', message, properties);
  }

  warning(message: string, properties?: AnnotationProperties): void {
    this.write('warning', message, properties);
  }

  notice(message: string, properties?: AnnotationProperties): void {
    this.write('notice', message, properties);
  }

  /**
   * The job's failure, as `core.setFailed` does it: the exit code, and the line as an error annotation
   * while one is left (else a plain line: the job still ends red).
   */
  fail(message: string): void {
    // What core.setFailed does, with the error through the gate.
    process.exitCode = core.ExitCode.Failure;
    this.write('error', message);
  }

  private write(level: AnnotationLevel, message: string, properties?: AnnotationProperties): void {
    if (this.used[level] < this.limit) {
      this.used[level] += 1;
      this.out[level](message, properties);
    } else {
      this.out.info(commandSafe(`${level}: ${message}`));
    }
  }
}

/** This process's step (the Action runs one step; `run()` resets it). */
export const step = new StepAnnotations();
