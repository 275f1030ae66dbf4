/** What the engine says of a built image: id, uncompressed size, layers. */
import type { ImageResult } from '../report/model.js';
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
}

/**
 * The uncompressed size of an image on the containerd store without reading its layers: the sum of
 * `docker image history`'s sizes, which there are the snapshots' disk usage (block-rounded, so
 * slightly above the content). Undefined when the history cannot be read.
 */
export async function snapshotSize(docker: Docker, ref: string): Promise<number | undefined> {
  const result = await docker.run(['image', 'history', '--human=false', '--format', '{{.Size}}', ref]);
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

export async function inspectImage(docker: Docker, ref: string): Promise<ImageInspection> {
  const result = await docker.run(['image', 'inspect', '--format', '{{json .}}', ref]);
  if (result.code !== 0) {
    throw new Error(`cannot inspect image ${ref}: ${result.stderr.trim().split('\n')[0] ?? 'unknown error'}`);
  }
  const json = JSON.parse(result.stdout) as InspectJson;
  const layerDigests = json.RootFS?.Layers ?? [];
  const image: ImageResult = { id: json.Id, size: json.Size, layers: layerDigests.length };
  const test = json.Config?.Healthcheck?.Test;
  if (Array.isArray(test) && test.length > 0) image.healthcheck = test.map(String);
  return { image, layerDigests };
}
