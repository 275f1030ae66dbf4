/**
 * Wasted bytes as findings on the line that wrote them: one `deleted-in-later-layer` finding per
 * (adding line, removing line) pair whose bytes reach a threshold, anchored at the Dockerfile line
 * of the layer that added the files: `Line 5 adds 11MB that line 7 deletes (/tmp/blob): remove it in
 * the same RUN`. Bytes the base image brought in are anchored at the line that deletes them (that
 * line is the one in this Dockerfile). Pure: from the waste pairs and the layers to findings.
 */
import { formatBytes } from '../report/format.js';
import type { Finding, LayerInfo } from '../report/model.js';
import { ruleMeta } from '../rules/registry.js';
import { recordedInstruction, shortInstruction } from './history.js';
import type { WastePair } from './waste.js';

export const WASTE_RULE = 'deleted-in-later-layer';

/** Pairs under this many bytes (decimal: 10MB) are left as the wasted-bytes figure only. */
export const DEFAULT_WASTE_FINDING_BYTES = 10_000_000;

export interface WasteFindingOptions {
  /** The Dockerfile (relative to the repository root), or the image reference when there is none. */
  file: string;
  /**
   * How many of the oldest layers come from the base image, when known (every step of the stage
   * was matched to the history); those layers have no line of their own.
   */
  baseLayers?: number;
  /** Least bytes per pair for a finding (default 10MB). */
  minBytes?: number;
}

interface Side {
  /** How a message names the layer: `line 5`, `the base image`, `layer 6 of 8 (COPY …)`. */
  name: string;
  line?: number;
  keyword: string;
  base: boolean;
}

interface Group {
  added: Side;
  removed: Side;
  bytes: number;
  files: number;
  deletedBytes: number;
  largest: string;
  largestSize: number;
}

/**
 * @param pairs every (adding layer, removing layer) pair with its bytes (`computeWaste`'s `pairs`);
 *   paths already printable.
 * @param layers the image's layers, bottom first, with `line` where a layer maps to one.
 */
export function wasteFindings(
  pairs: readonly WastePair[],
  layers: readonly Pick<LayerInfo, 'createdBy' | 'line'>[],
  options: WasteFindingOptions,
): Finding[] {
  const side = (index: number): Side => {
    const layer = layers[index];
    const keyword = recordedInstruction(layer?.createdBy ?? '').keyword;
    const base = options.baseLayers !== undefined && index < options.baseLayers;
    if (base) return { name: 'the base image', keyword, base };
    if (layer?.line !== undefined) return { name: `line ${layer.line}`, line: layer.line, keyword, base };
    const instruction = layer?.createdBy ? ` (${shortInstruction(layer.createdBy, 40)})` : '';
    return { name: `layer ${index + 1} of ${layers.length}${instruction}`, keyword, base };
  };
  // One finding per (adding line, removing line): the base image's layers count as one.
  const groups = new Map<string, Group>();
  for (const pair of pairs) {
    const added = side(pair.addedIn);
    const removed = side(pair.removedIn);
    const key = `${added.name}\u0000${removed.name}`;
    const group = groups.get(key);
    if (!group) {
      groups.set(key, {
        added,
        removed,
        bytes: pair.bytes,
        files: pair.files,
        deletedBytes: pair.deletedBytes,
        largest: pair.largest,
        largestSize: pair.largestSize,
      });
      continue;
    }
    group.bytes += pair.bytes;
    group.files += pair.files;
    group.deletedBytes += pair.deletedBytes;
    if (pair.largestSize > group.largestSize) {
      group.largest = pair.largest;
      group.largestSize = pair.largestSize;
    }
  }
  const minBytes = options.minBytes ?? DEFAULT_WASTE_FINDING_BYTES;
  const severity = ruleMeta(WASTE_RULE).severity;
  return [...groups.values()]
    .filter((group) => group.bytes >= minBytes)
    .sort((a, b) => b.bytes - a.bytes)
    .map((group) => {
      const { message, fix } = describe(group);
      // Anchored at the line that wrote the bytes; for the base image's, at the line that deletes them.
      const line = group.added.line ?? (group.added.base ? group.removed.line : undefined);
      return {
        rule: WASTE_RULE,
        severity,
        file: options.file,
        ...(line !== undefined ? { line } : {}),
        message,
        fix,
        source: 'image' as const,
      };
    });
}

function describe(group: Group): { message: string; fix: string } {
  const bytes = formatBytes(group.bytes);
  const verb = group.deletedBytes * 2 >= group.bytes ? 'deletes' : 'overwrites';
  const more = group.files > 1 ? ` and ${group.files - 1} more file${group.files === 2 ? '' : 's'}` : '';
  const what = `(${group.largest}${more})`;
  if (group.added.base) {
    return {
      message: `${capitalize(group.removed.name)} ${verb} ${bytes} that the base image adds ${what}: the image still ships them`,
      fix: 'A later layer cannot take bytes out of the base image: start from a smaller base image, or copy what the service needs into a fresh stage (multi-stage build).',
    };
  }
  const head = `${capitalize(group.added.name)} adds ${bytes} that ${group.removed.name} ${verb} ${what}`;
  if (verb === 'overwrites') {
    return {
      message: `${head}: make the change in the step that adds it`,
      fix: 'Set owner and mode where the files are added (`COPY --chown`, `COPY --chmod`) or change them in the same RUN: a later layer that touches a file stores all of it again.',
    };
  }
  if (group.added.keyword === 'COPY' || group.added.keyword === 'ADD') {
    return {
      message: `${head}: do not copy it in`,
      fix: 'Keep the files out of the build context (.dockerignore) or copy only what the image needs; for files needed only while building, use a build stage or `RUN --mount=type=bind`.',
    };
  }
  return {
    message: `${head}: remove it in the same RUN`,
    fix: 'Delete the files in the RUN that creates them (or write them to a cache mount or a build stage): a later layer cannot take bytes out of an earlier one.',
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
