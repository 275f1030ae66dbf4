/** What the engine says of an image: id, uncompressed size, layers; and pulling one. */
import type { ImageResult } from '../report/model.js';
import { UserError } from '../util/errors.js';
import type { Docker } from './exec.js';

interface InspectJson {
  Id: string;
  Size: number;
  RootFS?: { Layers?: string[] };
  Config?: { Healthcheck?: { Test?: string[] } | null } | null;
}

export interface ImageInspection {
  image: ImageResult;
  /** The layers' content digests (diff ids), bottom first: what the image holds, whatever its id. */
  layerDigests: string[];
  /** Where its layers are (src/measure/layer-store.ts reads them there); absent when unusable. */
  store?: StoreInspection;
}

/** What `docker image inspect` says of where an image's layers are. */
export interface StoreInspection {
  id: string;
  diffIds: string[];
  driver: string;
  upperDir?: string;
  lowerDirs: string[];
  platform: { os: string; architecture: string; variant?: string };
}

/**
 * The uncompressed size of an image on the containerd store without reading its layers: the sum of
 * `docker image history`'s sizes, which there are the snapshots' disk usage (block-rounded, so
 * slightly above the content). Undefined when the history cannot be read.
 */
export async function snapshotSize(docker: Docker, ref: string): Promise<number | undefined> {
  const result = await docker.run(['image', 'history', '--human=false', '--format', '{{.Size}}', '--', ref]);
  if (result.code !== 0) return undefined;
  let total = 0;
  for (const line of result.stdout.split('\n')) {
    const text = line.trim();
    if (!text) continue;
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0) return undefined;
    total += value;
  }
  return total;
}

/** Rejects with a one-line `UserError` when the engine cannot inspect the image; anything else is a bug. */
export async function inspectImage(docker: Docker, ref: string): Promise<ImageInspection> {
  const found = await findImage(docker, ref);
  if ('missing' in found || 'error' in found) {
    throw new UserError(`cannot inspect image ${ref}: ${'missing' in found ? found.missing : found.error}`);
  }
  return found;
}

/**
 * Inspects an image that may not be on the engine (the `image:` of a service that is not built):
 * `missing` when the engine does not have it, `error` for any other failure (one line each).
 */
export async function findImage(
  docker: Docker,
  ref: string,
): Promise<ImageInspection | { missing: string } | { error: string }> {
  // `--`: a reference from a compose file is never read as a flag.
  const result = await docker.run(['image', 'inspect', '--format', '{{json .}}', '--', ref]);
  if (result.code !== 0) {
    const line = firstLine(result.stderr) || 'unknown error';
    return /no such (image|object)/i.test(line) ? { missing: line } : { error: line };
  }
  const json = JSON.parse(result.stdout) as InspectJson;
  const layerDigests = json.RootFS?.Layers ?? [];
  const image: ImageResult = { id: json.Id, size: json.Size, layers: layerDigests.length };
  const test = json.Config?.Healthcheck?.Test;
  if (Array.isArray(test) && test.length > 0) image.healthcheck = test.map(String);
  const store = storeInspectionOf(json);
  return { image, layerDigests, ...(store ? { store } : {}) };
}

/** Pulls an image. Resolves with the failure as one line (undefined when pulled); never rejects for a failed pull. */
export async function pullImage(
  docker: Docker,
  ref: string,
  options: { signal?: AbortSignal } = {},
): Promise<string | undefined> {
  const result = await docker.run(
    ['pull', '--quiet', '--', ref],
    options.signal ? { signal: options.signal } : {},
  );
  if (result.code === 0) return undefined;
  if (result.aborted) return 'aborted';
  return firstLine(result.stderr) || `docker pull exited with ${result.code}`;
}

/** The first non-empty line of docker's stderr, without the daemon's prefix, bounded. */
function firstLine(stderr: string): string {
  const line =
    stderr
      .split('\n')
      .map((text) => text.trim())
      .find((text) => text.length > 0) ?? '';
  const bare = line.replace(/^Error(?: response from daemon)?:\s*/, '');
  return bare.length > 300 ? `${bare.slice(0, 299)}…` : bare;
}

/** Where an image's layers are, from `docker image inspect` (parsed JSON; pure): for reading them in place. */
export function storeInspectionOf(raw: unknown): StoreInspection | undefined {
  const image = (Array.isArray(raw) ? raw[0] : raw) as Record<string, unknown> | undefined;
  if (!image || typeof image.Id !== 'string' || !isDigest(image.Id)) return undefined;
  const rootfs = (image.RootFS ?? {}) as { Layers?: unknown };
  const diffIds = Array.isArray(rootfs.Layers) ? rootfs.Layers.filter((l) => typeof l === 'string') : [];
  if (diffIds.length === 0 || !diffIds.every(isDigest)) return undefined;
  const graph = (image.GraphDriver ?? {}) as { Name?: unknown; Data?: Record<string, unknown> | null };
  const data = graph.Data ?? {};
  const upperDir = typeof data.UpperDir === 'string' ? data.UpperDir : undefined;
  const lowerDirs = typeof data.LowerDir === 'string' && data.LowerDir ? data.LowerDir.split(':') : [];
  return {
    id: image.Id,
    diffIds,
    driver: typeof graph.Name === 'string' ? graph.Name : '',
    ...(upperDir ? { upperDir } : {}),
    lowerDirs,
    platform: {
      os: typeof image.Os === 'string' ? image.Os : 'linux',
      architecture: typeof image.Architecture === 'string' ? image.Architecture : '',
      ...(typeof image.Variant === 'string' && image.Variant ? { variant: image.Variant } : {}),
    },
  };
}

function isDigest(value: unknown): value is string {
  return typeof value === 'string' && /^sha256:[a-f0-9]{64}$/.test(value);
}
