/**
 * Where an image's bytes are: every layer (size, instruction, gzip size), the bytes wasted by files a
 * later layer overwrites or deletes, and the heavy things inside (CUDA, weights, compilers, caches,
 * `.git`). One pass over `docker save`, streamed: the image is never written to disk.
 */
import type { Docker } from '../docker/exec.js';
import type { StoreInspection } from '../docker/image.js';
import { formatBytes } from '../report/format.js';
import type { Finding, LayerInfo, WastedFile } from '../report/model.js';
import { ruleMeta } from '../rules/registry.js';
import { oneLine, UserError } from '../util/errors.js';
import { contentRule } from './content-rules/index.js';
import type { ContentGroup } from './contents.js';
import type { GzipMode } from './gzip-size.js';
import type { Instr } from '../dockerfile/index.js';
import { instructionsOf, matchSteps, parseHistoryRows, shortInstruction } from './history.js';
import { wasteFindings } from './waste-findings.js';
import { readFromStore } from './layer-store.js';
import { scanSaveArchive, type LayerScanCache, type SavedImage } from './save-archive.js';
import {
  computeWaste,
  KIND_FILE,
  KIND_OPAQUE,
  KIND_OTHER,
  KIND_WHITEOUT,
  type LayerEntries,
} from './waste.js';

export { shortInstruction } from './history.js';
/** Re-exported for script/bench/, which took it from here: sizes have one formatter (report/format.ts). */
export { formatBytes } from '../report/format.js';

export interface ImageAnalysis {
  /** Every rootfs layer, bottom first: size and instruction from the image history, gzip size measured. */
  layers: LayerInfo[];
  /** Sum of the gzip sizes of the distinct layer tars: what a registry stores, what a pull downloads. */
  compressedSize: number;
  /**
   * Sum of the bytes of every layer's files (regular files and symlink targets, as a graph driver
   * counts a layer's diff): the image's uncompressed size on any image store. On the classic store
   * it equals `docker image inspect`'s Size; on the containerd store that Size is the compressed
   * content, so this is the number that stands for the image there.
   */
  uncompressedSize: number;
  /** Layers whose scan came from the layer cache (not read again); absent in older cached analyses. */
  reusedLayers?: number;
  /** Bytes of file versions that a later layer overwrites or deletes. */
  wastedBytes: number;
  /** The biggest of those, largest first (at most `maxWastedFiles`); layer indexes into `layers`. */
  wastedFiles: WastedFile[];
  /** Content findings (`source: 'image'`), biggest first, then the wasted-bytes findings (biggest first). */
  findings: Finding[];
  /** The image's programs: paths in the usual PATH folders (`usr/bin/curl`), for healthcheck tests. */
  programs?: string[];
}

export interface AnalyzeOptions {
  /** The Dockerfile, relative to the repository root: the `file` of every finding. */
  dockerfile?: string;
  /**
   * The instructions of the stage that built the image, in the run's Dockerfile model, FROM first:
   * a layer's instruction is matched to one of them so findings point at the line that made it.
   */
  steps?: readonly Instr[];
  /** The service runs on a GPU: CUDA libraries are expected, reported as a note only. */
  gpu?: boolean;
  /** How many wasted files to list (default 20). */
  maxWastedFiles?: number;
  signal?: AbortSignal;
  /** gzip strategy (benchmarks only). */
  gzip?: GzipMode;
  /** Layers already read (by content): skipped over instead of read again. */
  layers?: LayerScanCache;
  /**
   * How the layers are read: `store` reads each layer where the engine keeps it when it can
   * (`layer-store.ts`: only the layers not in `layers` are read) and streams `docker save`
   * otherwise; `save` always streams `docker save` (the benchmark's and the tests' reference);
   * `auto` (the default) is `store` for an image of at least `IN_PLACE_MIN_BYTES`, `save` below,
   * where the reader container costs more than the whole stream.
   */
  read?: 'auto' | 'store' | 'save';
  /** The image as the caller inspected it (`inspectImage`'s `store`), for reading it in place. */
  inspection?: StoreInspection;
}

/**
 * Analyses an image the engine has. Rejects with a one-line `UserError` when the image cannot be
 * read (gone, truncated, not an image archive): the caller records it and the rest of its report
 * stands. Any other rejection is a bug.
 */
export async function analyzeImage(
  docker: Docker,
  imageRef: string,
  options: AnalyzeOptions = {},
): Promise<ImageAnalysis> {
  if (options.signal?.aborted) throw new UserError(`analysis of ${imageRef} aborted`);
  const history = docker
    .run(['image', 'history', '--no-trunc', '--human=false', '--format', '{{json .}}', imageRef], {
      signal: options.signal,
    })
    .then(
      (result) => (result.code === 0 ? parseHistoryRows(result.stdout) : []),
      () => [],
    );
  const inPlace =
    options.read === 'store' ||
    (options.read !== 'save' && historyBytes(await history) >= IN_PLACE_MIN_BYTES);
  const fromStore = inPlace ? await readStoreOrNot(docker, imageRef, options) : undefined;
  if (fromStore) return summarize(fromStore, await history, imageRef, options);
  const save = docker.stream(['save', imageRef], options.signal ? { signal: options.signal } : {});
  const exit = save.done.then(
    (code) => ({ code, error: undefined as unknown }),
    (error: unknown) => ({ code: 1, error }),
  );
  let saved: SavedImage;
  try {
    saved = await scanSaveArchive(save.stdout, {
      signal: options.signal,
      gzip: options.gzip,
      ...(options.layers ? { layers: options.layers } : {}),
      ...(options.inspection ? { inspection: options.inspection } : {}),
    });
    const { code, error } = await exit;
    if (error) throw error;
    if (code !== 0) throw new UserError(saveFailure(save.stderr(), code));
  } catch (error) {
    save.kill();
    const { code, error: spawnError } = await exit;
    await history;
    if (options.signal?.aborted) throw new UserError(`analysis of ${imageRef} aborted`);
    if (spawnError)
      throw spawnError instanceof UserError
        ? spawnError
        : new UserError(`cannot analyse ${imageRef}: ${oneLine(spawnError)}`);
    if (code !== 0 && save.stderr().trim())
      throw new UserError(`cannot analyse ${imageRef}: ${saveFailure(save.stderr(), code)}`);
    throw new UserError(`cannot analyse ${imageRef}: ${oneLine(error)}`);
  }
  const rows = await history;
  return summarize(saved, rows, imageRef, options);
}

/**
 * From this size up, the layers are read in place: making, reading through and removing the reader
 * container takes 0.3-1 s on the engines of script/engine, which `docker save` streams ~30-100 MB in
 * (docs/measure.md, *Reading the layers*).
 */
export const IN_PLACE_MIN_BYTES = 100_000_000;

/** The image's size as its history tells it (the layers' sizes; 0 when the history is unknown). */
function historyBytes(rows: readonly { size: number }[]): number {
  return rows.reduce((sum, row) => sum + row.size, 0);
}

/** The image read from the engine's folders, or `undefined` for `docker save` (any failure there). */
async function readStoreOrNot(
  docker: Docker,
  imageRef: string,
  options: AnalyzeOptions,
): Promise<SavedImage | undefined> {
  try {
    return await readFromStore(docker, imageRef, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.gzip ? { gzip: options.gzip } : {}),
      ...(options.layers ? { layers: options.layers } : {}),
    });
  } catch {
    if (options.signal?.aborted) throw new UserError(`analysis of ${imageRef} aborted`);
    return undefined; // the layers it did read are in the cache: docker save skips over them
  }
}

function saveFailure(stderr: string, code: number): string {
  const line = stderr
    .split('\n')
    .map((text) => text.trim())
    .find((text) => text.length > 0);
  return `docker save failed (exit ${code})${line ? `: ${line.replace(/^Error response from daemon:\s*/, '')}` : ''}`;
}

/** Turns a scanned archive and the history rows into the analysis (pure; tested without an engine). */
export function summarize(
  saved: SavedImage,
  rows: ReturnType<typeof parseHistoryRows>,
  imageRef: string,
  options: Pick<AnalyzeOptions, 'dockerfile' | 'steps' | 'gpu' | 'maxWastedFiles'> = {},
): ImageAnalysis {
  const instructions = instructionsOf(saved.layers.length, saved.history, rows);
  const match = matchSteps(instructions, options.steps);
  const layerCreatedBy: string[] = saved.layers.map(() => '');
  /** For findings: the base image's layers point at the FROM line. */
  const layerLine: (number | undefined)[] = saved.layers.map(() => undefined);
  /** The layer's own instruction's line: none for the base image's layers. */
  const ownLine: (number | undefined)[] = saved.layers.map(() => undefined);
  let baseLayers: number | undefined = match.base ? 0 : undefined;
  instructions.forEach((instruction, index) => {
    if (instruction.layer === undefined) return;
    layerCreatedBy[instruction.layer] = instruction.createdBy;
    ownLine[instruction.layer] = match.lines[index];
    layerLine[instruction.layer] = match.lines[index];
    if (match.base && index < match.base.entries) {
      baseLayers = instruction.layer + 1;
      layerLine[instruction.layer] = match.base.fromLine;
    }
  });

  const layers: LayerInfo[] = saved.layers.map((layer, index) => ({
    // Measured from the layer itself: on the containerd store the history's sizes are the
    // snapshots' disk usage (block-rounded), not the layer's content.
    size: layer.diffBytes,
    createdBy: layerCreatedBy[index] ?? '',
    compressedSize: layer.compressedSize,
    ...(ownLine[index] !== undefined ? { line: ownLine[index] } : {}),
  }));
  const seen = new Set<string>();
  let compressedSize = 0;
  for (const layer of saved.layers) {
    if (seen.has(layer.path)) continue; // the same blob twice is stored and pulled once
    seen.add(layer.path);
    compressedSize += layer.compressedSize;
  }
  const waste = computeWaste(
    saved.layers.map((layer) => layer.entries),
    options.maxWastedFiles ?? 20,
  );
  const findings: (Finding & { bytes: number })[] = [];
  saved.layers.forEach((layer, index) => {
    for (const group of layer.contents) {
      const at = { line: layerLine[index], own: ownLine[index] !== undefined };
      findings.push({
        ...contentFinding(
          group,
          { index, count: saved.layers.length, ...at },
          layerCreatedBy[index] ?? '',
          options,
          imageRef,
        ),
        bytes: group.bytes,
      });
    }
  });
  findings.sort((a, b) => b.bytes - a.bytes);
  const wasted = wasteFindings(
    waste.pairs.map((pair) => ({ ...pair, largest: printablePath(pair.largest) })),
    layers,
    { file: options.dockerfile ?? imageRef, ...(baseLayers !== undefined ? { baseLayers } : {}) },
  );
  return {
    layers,
    compressedSize,
    uncompressedSize: saved.layers.reduce((sum, layer) => sum + layer.diffBytes, 0),
    reusedLayers: saved.reusedLayers,
    wastedBytes: waste.wastedBytes,
    wastedFiles: waste.wastedFiles.map((file) => ({ ...file, path: printablePath(file.path) })),
    findings: [...findings.map(({ bytes: _bytes, ...finding }) => finding), ...wasted],
    programs: programsOf(saved.layers.map((layer) => layer.entries)),
  };
}

/** The folders of the usual PATH, where `programs` are looked for. */
export const PROGRAM_DIRS: ReadonlySet<string> = new Set([
  'usr/local/sbin',
  'usr/local/bin',
  'usr/sbin',
  'usr/bin',
  'sbin',
  'bin',
]);

/** Files and links directly in a PATH folder once every layer is applied (whiteouts remove them). */
export function programsOf(layers: readonly LayerEntries[]): string[] {
  const present = new Set<string>();
  for (const layer of layers) {
    layer.paths.forEach((path, i) => {
      const kind = layer.kinds[i];
      const slash = path.lastIndexOf('/');
      const dir = slash < 0 ? '' : path.slice(0, slash);
      if (kind === KIND_OPAQUE || kind === KIND_WHITEOUT) {
        present.delete(path);
        for (const p of present) if (p.startsWith(`${path}/`)) present.delete(p);
      } else if (PROGRAM_DIRS.has(dir) && (kind === KIND_FILE || kind === KIND_OTHER)) present.add(path);
    });
  }
  return [...present].sort();
}

/** A layer as a content finding names it: its index, and the Dockerfile line it maps to. */
interface LayerAt {
  /** 0-based, bottom first; `count` layers in all. */
  index: number;
  count: number;
  /** The layer's own step's line, or the stage's FROM line for the base image's layers. */
  line?: number;
  /** `line` is the layer's own step (not the FROM of the base image it came with). */
  own: boolean;
}

/**
 * A content group as a finding on the Dockerfile line of the step that wrote it: `Line 12 (RUN
 * python download.py) writes 420MB of model weights into the image: /root/.cache/huggingface (3
 * files)`; the base image's on its FROM line; a layer matched to no step as `… in layer 5 of 9`.
 */
function contentFinding(
  group: ContentGroup,
  layer: LayerAt,
  createdBy: string,
  options: Pick<AnalyzeOptions, 'dockerfile' | 'gpu'>,
  imageRef: string,
): Finding {
  const text = contentRule(group.rule);
  const largest = group.largest[0];
  const where = group.group ? printablePath(group.group) : largest ? printablePath(largest.path) : '';
  const more = group.group
    ? ` (${group.files} file${group.files === 1 ? '' : 's'})`
    : group.files > 1
      ? ` and ${group.files - 1} more file${group.files === 2 ? '' : 's'}`
      : '';
  const instruction = createdBy ? ` (${shortInstruction(createdBy)})` : '';
  const bytes = formatBytes(group.bytes);
  const inLayer = `layer ${layer.index + 1} of ${layer.count}${instruction}`;
  const message =
    layer.line === undefined
      ? `${capitalize(text.what)} in the image: ${where}${more}, ${bytes} in ${inLayer}`
      : layer.own
        ? `Line ${layer.line}${instruction} writes ${bytes} of ${text.noun} into the image: ${where}${more}`
        : `The base image (FROM on line ${layer.line}) brings ${bytes} of ${text.noun}: ${where}${more}, in ${inLayer}`;
  // The default severity is the registry's (one list of rules); a GPU service expects CUDA.
  const severity =
    group.rule === 'cuda-libraries-in-image' && options.gpu ? 'note' : ruleMeta(group.rule).severity;
  return {
    rule: group.rule,
    severity,
    file: options.dockerfile ?? imageRef,
    ...(layer.line !== undefined ? { line: layer.line } : {}),
    message,
    fix: text.fix,
    source: 'image',
    imageEvidence: {
      rule: group.rule,
      bytes: group.bytes,
      files: group.files,
      path: evidencePath(group),
      layer: layer.index + 1,
    },
  };
}

/**
 * Where a group's bytes are, as one path: its folder (a cache, a `.git`), the one file, or the
 * folder its largest files share (`/usr/local/lib/python3.11/site-packages/nvidia`), else the
 * largest file.
 */
function evidencePath(group: ContentGroup): string {
  if (group.group) return printablePath(group.group);
  const paths = group.largest.map((file) => file.path);
  const first = paths[0] ?? '';
  if (group.files <= 1 || paths.length < 2) return printablePath(first);
  const folders = paths.map((path) => path.split('/').slice(0, -1));
  const shared: string[] = [];
  for (let i = 0; folders.every((parts) => i < parts.length && parts[i] === folders[0]![i]); i++)
    shared.push(folders[0]![i]!);
  const folder = shared.join('/');
  return printablePath(folder || first);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A path safe to print on one line: control bytes and invalid UTF-8 are escaped. */
export function printablePath(path: string): string {
  // eslint-disable-next-line no-control-regex
  return path.replace(/[\u0000-\u001f\u007f\ufffd]/g, (char) =>
    char === '\ufffd' ? '\\ufffd' : `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
