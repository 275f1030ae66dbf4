/** What the engine says of a built image: id, uncompressed size, layer count. */
import type { ImageResult } from '../report/model.js';
import type { Docker } from './exec.js';

interface InspectJson {
  Id: string;
  Size: number;
  RootFS?: { Layers?: string[] };
}

export async function inspectImage(docker: Docker, ref: string): Promise<ImageResult> {
  const result = await docker.run(['image', 'inspect', '--format', '{{json .}}', ref]);
  if (result.code !== 0) {
    throw new Error(`cannot inspect image ${ref}: ${result.stderr.trim().split('\n')[0] ?? 'unknown error'}`);
  }
  const json = JSON.parse(result.stdout) as InspectJson;
  return { id: json.Id, size: json.Size, layers: json.RootFS?.Layers?.length ?? 0 };
}
