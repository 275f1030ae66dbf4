/**
 * The measure step for one built image: what the engine says (id, size, layers), then what the layers
 * hold (compressed size, largest layers, wasted bytes, heavy contents). An analysis that fails is one
 * line on the service; the measurements already taken stand.
 */
import { readFileSync } from 'node:fs';
import { stageSteps } from '../build/step-lines.js';
import { inspectImage } from '../docker/image.js';
import { analyzeImage } from '../measure/analyze.js';
import type { BuildSpec } from '../plan/model.js';
import type { ServiceReport } from '../report/model.js';
import { oneLine } from '../util/errors.js';
import type { PipelineDeps } from './deps.js';

const LARGEST_LAYERS = 5;

export interface MeasureOptions {
  /** Analyse layer contents (compressed size, waste, contents); off keeps only the engine's figures. */
  analyze: boolean;
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
  try {
    entry.image = { ...(await inspectImage(deps.docker, imageId)), tag };
    entry.built = true;
  } catch (error) {
    entry.error = `${entry.name}: ${oneLine(error)}`;
    deps.log.error(entry.error);
    return;
  }
  if (!options.analyze) return;
  try {
    const dockerfileText =
      spec.dockerfileInline ?? (spec.dockerfile ? readFileSync(spec.dockerfile, 'utf8') : '');
    const analysis = await analyzeImage(deps.docker, imageId, {
      ...(entry.dockerfile ? { dockerfile: entry.dockerfile } : {}),
      steps: stageSteps(dockerfileText, spec.target),
      ...(entry.gpu ? { gpu: true } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    entry.image.compressedSize = analysis.compressedSize;
    entry.image.largestLayers = [...analysis.layers].sort((a, b) => b.size - a.size).slice(0, LARGEST_LAYERS);
    entry.image.wastedBytes = analysis.wastedBytes;
    entry.image.wastedFiles = analysis.wastedFiles;
    entry.findings.push(...analysis.findings);
  } catch (error) {
    const line = `image analysis failed: ${oneLine(error)}`;
    (entry.warnings ??= []).push(line);
    deps.log.warning(`${entry.name}: ${line}`);
  }
}
