/**
 * Reads BuildKit's plain progress output (`--progress=plain`), line by line, into build steps:
 * each vertex's name, duration, and whether it came from cache. Works for the daemon's built-in
 * BuildKit (docker 20.10+) and buildx alike:
 *
 *   #5 [base 2/3] RUN pip install -r requirements.txt
 *   #5 0.038 Collecting torch
 *   #5 DONE 12.3s          (or: #5 CACHED, #5 ERROR: ..., #5 CANCELED)
 */

export interface Vertex {
  id: number;
  name: string;
  durationMs: number;
  cached: boolean;
  status: 'running' | 'done' | 'cached' | 'error' | 'canceled';
  /** The error text of a failed vertex. */
  error?: string;
}

/**
 * What a run tells a progress display while it goes (`RunOptions.onProgress`): builds and their
 * steps (every BuildKit vertex, the Dockerfile's steps and BuildKit's own such as `exporting to
 * image`), and each image's analysis. `at` is milliseconds on the run's clock (`performance.now()`).
 */
export type ProgressEvent =
  | { kind: 'build-started'; service: string; at: number }
  | {
      kind: 'step-started';
      service: string;
      /** BuildKit's vertex number, unique within one build. */
      id: number;
      /** As BuildKit names it: `[stage 2/5] RUN pip install ...`, `exporting to image`. */
      name: string;
      /** The Dockerfile line of the step, when known. */
      line?: number;
      at: number;
    }
  | {
      kind: 'step-finished';
      service: string;
      id: number;
      name: string;
      line?: number;
      status: 'done' | 'cached' | 'error' | 'canceled';
      /** BuildKit's own duration of the step (0 when cached). */
      durationMs: number;
      at: number;
    }
  | {
      kind: 'build-finished';
      service: string;
      status: 'success' | 'failed' | 'aborted';
      durationMs: number;
      at: number;
    }
  | { kind: 'analysis-started'; service: string; at: number }
  | { kind: 'analysis-finished'; service: string; ok: boolean; durationMs: number; at: number };

/** A vertex that starts (it got its name) or ends (done, cached, failed, cancelled). */
export type VertexChange = { change: 'started' | 'finished'; vertex: Readonly<Vertex> };

const VERTEX_LINE = /^#(\d+) (.*)$/;
const TIMESTAMPED = /^\d+(\.\d+)? /;
const DONE = /^DONE (\d+(?:\.\d+)?)s$/;

export class ProgressReader {
  private readonly vertices = new Map<number, Vertex>();

  /** `onChange` hears each vertex start and end as the lines stream in. */
  constructor(private readonly onChange?: (change: VertexChange) => void) {}

  /** Feeds one line of output; lines that are not progress are ignored. */
  push(line: string): void {
    const match = VERTEX_LINE.exec(line.trimEnd());
    if (!match) return;
    const id = Number(match[1]);
    const text = match[2] ?? '';
    const vertex = this.vertices.get(id);
    if (!vertex) {
      const fresh: Vertex = { id, name: text, durationMs: 0, cached: false, status: 'running' };
      this.vertices.set(id, fresh);
      if (text !== '') this.onChange?.({ change: 'started', vertex: fresh });
      return;
    }
    const before = vertex.status;
    const named = vertex.name !== '';
    this.update(vertex, text);
    if (!named && vertex.name !== '') this.onChange?.({ change: 'started', vertex });
    if (before === 'running' && vertex.status !== 'running') {
      // A vertex that ends before it was named still starts first (a display shows its number).
      if (vertex.name === '') this.onChange?.({ change: 'started', vertex });
      this.onChange?.({ change: 'finished', vertex });
    }
  }

  private update(vertex: Vertex, text: string): void {
    const done = DONE.exec(text);
    if (done) {
      vertex.status = 'done';
      vertex.durationMs = Math.round(Number(done[1]) * 1000);
    } else if (text === 'CACHED') {
      vertex.status = 'cached';
      vertex.cached = true;
    } else if (text.startsWith('ERROR')) {
      vertex.status = 'error';
      vertex.error = text.replace(/^ERROR:?\s*/, '');
    } else if (text.startsWith('CANCELED')) {
      vertex.status = 'canceled';
    } else if (!TIMESTAMPED.test(text) && vertex.name === '') {
      vertex.name = text;
    }
  }

  /** Every vertex seen, in order of first appearance. */
  all(): Vertex[] {
    return [...this.vertices.values()];
  }

  /** The Dockerfile's own steps (`[stage n/m] INSTRUCTION ...`), without BuildKit's internal ones. */
  steps(): Vertex[] {
    return this.all().filter((vertex) => isDockerfileStep(vertex.name));
  }

  /** The vertex that failed, if any. */
  failed(): Vertex | undefined {
    return this.all().find((vertex) => vertex.status === 'error');
  }
}

/** `[base 2/3] RUN ...` or `[2/3] RUN ...`: a step of the Dockerfile, not `[internal]` or `exporting`. */
export function isDockerfileStep(name: string): boolean {
  return /^\[(?:\S+ )?\d+\/\d+\] /.test(name);
}

/** Splits a step name into its stage (when named in the brackets) and its instruction text. */
export function splitStepName(name: string): { stage?: string; instruction: string } {
  const match = /^\[(?:(\S+) )?\d+\/\d+\] (.*)$/.exec(name);
  if (!match) return { instruction: name };
  return match[1] ? { stage: match[1], instruction: match[2] ?? '' } : { instruction: match[2] ?? '' };
}
