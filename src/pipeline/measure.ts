/**
 * The measure step for one built image: what the engine says (id, size, layers), then what the layers
 * hold (compressed size, largest layers, wasted bytes, heavy contents). An analysis that fails is one
 * line on the service; the measurements already taken stand. A failure that is not a `UserError` is
 * our bug: said as an internal error, its stack in the debug log, never as the user's.
 */
import type { ImageStore } from '../build/builder.js';
import { targetStage, type ParsedDockerfile } from '../dockerfile/index.js';
import { inspectImage, type StoreInspection, snapshotSize } from '../docker/image.js';
import type { AnalysisCache } from '../measure/analysis-cache.js';
import { analyzeImage } from '../measure/analyze.js';
import type { BuildSpec } from '../plan/model.js';
import type { ServiceReport } from '../report/model.js';
import { isUserError, oneLine, problem, problemLine } from '../util/errors.js';
import { imagePrograms } from './deploy.js';
import type { PipelineDeps } from './deps.js';
import { internalErrorLine, logStack, reportInternalError } from './internal-error.js';

const LARGEST_LAYERS = 5;

export interface MeasureOptions {
  /** Analyse layer contents (compressed size, waste, contents); off keeps only the engine's figures. */
  analyze: boolean;
  /** Analyses of images already seen, by layer content. */
  cache?: AnalysisCache;
  /** The run's model of the Dockerfile, to point layers at their lines (none: unreadable). */
  dockerfile?: ParsedDockerfile;
  /** The engine's image store: on containerd, inspect's Size is the compressed content. */
  imageStore?: ImageStore;
  signal?: AbortSignal;
}

export async function measureImage(
  entry: ServiceReport,
  imageId: string,
  tag: string,
  spec: BuildSpec,
  options: MeasureOptions,
  deps: PipelineDeps,
): Promise<void> {
  let layerDigests: string[];
  let store: StoreInspection | undefined;
  try {
    const inspection = await inspectImage(deps.docker, imageId);
    entry.image = { ...inspection.image, tag };
    layerDigests = inspection.layerDigests;
    store = inspection.store;
    entry.built = true;
  } catch (error) {
    entry.error = isUserError(error)
      ? error.toProblem()
      : problem(internalErrorLine(`the inspection of ${tag}`, error));
    deps.log.error(`${entry.name}: ${problemLine(entry.error)}`);
    if (!isUserError(error)) logStack(error, deps);
    return;
  }
  const containerd = options.imageStore === 'containerd';
  // On the containerd store inspect's Size is the compressed content: the uncompressed size needs
  // the layers read, so they are read even with the analysis off (its findings are then dropped).
  if (!options.analyze && !containerd) return;
  const analysisStarted = performance.now();
  try {
    const steps = options.dockerfile ? (targetStage(options.dockerfile, spec.target)?.instrs ?? []) : [];
    const analyzeOptions = {
      ...(entry.dockerfile ? { dockerfile: entry.dockerfile } : {}),
      steps,
      ...(entry.gpu ? { gpu: true } : {}),
    };
    // Keyed by the layers' content, not the image id: BuildKit stamps a new creation time (so a new
    // id) on every export, even when every step came from cache; and by the instructions' lines and
    // text, which the layers' lines come from.
    // The build args are part of what history shows (`RUN |1 MODEL=... /bin/sh -c ...`).
    const key = options.cache?.key(layerDigests.join(','), {
      ...analyzeOptions,
      steps: steps.map((instr) => [instr.line, instr.keyword, instr.text]),
      args: spec.args,
    });
    let analysis = key ? options.cache?.get(key) : undefined;
    if (!analysis) {
      const signal = options.signal ? { signal: options.signal } : {};
      const layers = options.cache ? { layers: options.cache.layers() } : {};
      const inspected = store ? { inspection: store } : {};
      analysis = await analyzeImage(deps.docker, imageId, {
        ...analyzeOptions,
        ...signal,
        ...layers,
        ...inspected,
      });
      if (key) options.cache?.set(key, analysis);
    }
    entry.image.compressedSize = analysis.compressedSize;
    if (analysis.programs) imagePrograms.set(entry, analysis.programs);
    entry.image.analysisMs = Math.round(performance.now() - analysisStarted);
    if (analysis.reusedLayers !== undefined) entry.image.reusedLayers = analysis.reusedLayers;
    if (containerd) {
      entry.image.size = analysis.uncompressedSize;
      entry.image.sizeSource = 'layers';
    }
    if (!options.analyze) return;
    entry.image.largestLayers = [...analysis.layers].sort((a, b) => b.size - a.size).slice(0, LARGEST_LAYERS);
    entry.image.wastedBytes = analysis.wastedBytes;
    entry.image.wastedFiles = analysis.wastedFiles;
    entry.findings.push(...analysis.findings);
  } catch (error) {
    if (isUserError(error)) {
      const line = `image analysis failed: ${oneLine(error)}`;
      (entry.warnings ??= []).push(line);
      deps.log.warning(`${entry.name}: ${line}`);
    } else reportInternalError(entry, `the image analysis of ${tag}`, error, deps);
    if (containerd) await snapshotFallback(entry, imageId, deps);
  }
}

/**
 * The containerd store without the layers read: the snapshots' usage stands for the size (an
 * estimate, marked so), never inspect's compressed Size.
 */
async function snapshotFallback(entry: ServiceReport, imageId: string, deps: PipelineDeps): Promise<void> {
  if (!entry.image) return;
  const estimate = await snapshotSize(deps.docker, imageId);
  if (estimate !== undefined) {
    entry.image.size = estimate;
    entry.image.sizeSource = 'snapshots';
  } else {
    (entry.warnings ??= []).push('uncompressed size unknown: `docker image history` could not be read');
  }
}
