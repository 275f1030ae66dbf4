/**
 * A created, never started, container with one folder of the engine mounted read-only, and
 * `docker cp` to read files and folders out of it (src/measure/layer-store.ts uses it).
 */
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import type { Docker } from '../docker/exec.js';

/** Every reader container carries it, with the pid of the process that made it. */
export const READER_LABEL = 'io.image-budget.store-reader';
const MOUNT = '/.image-budget-engine-store';
const MAX_JSON_BYTES = 16 << 20;

export class StoreReader {
  private constructor(
    private readonly docker: Docker,
    private readonly container: string,
    private readonly signal: AbortSignal | undefined,
  ) {}

  static async open(
    docker: Docker,
    imageId: string,
    mount: string,
    signal: AbortSignal | undefined,
  ): Promise<StoreReader | undefined> {
    // --mount (not -v): a missing folder is an error, never created on the engine's host.
    const created = await docker.run(
      [
        'create',
        '--network',
        'none',
        '--label',
        `${READER_LABEL}=${process.pid}`,
        '--mount',
        `type=bind,src=${mount},dst=${MOUNT},readonly`,
        '--entrypoint',
        '/image-budget-never-started',
        imageId,
      ],
      signal ? { signal } : {},
    );
    const id = created.stdout.trim();
    if (created.code !== 0 || !/^[a-f0-9]{64}$/.test(id)) return undefined;
    return new StoreReader(docker, id, signal);
  }

  /** A file or folder of the mount as the tar `docker cp` sends it. */
  folder(relative: string): Readable {
    const cp = this.docker.stream(
      ['cp', `${this.container}:${MOUNT}/${relative}`, '-'],
      this.signal ? { signal: this.signal } : {},
    );
    void cp.done.then(
      (code) => {
        if (code !== 0) cp.stdout.destroy(new Error(`docker cp ${relative}: ${cp.stderr().trim()}`));
      },
      (error: unknown) => cp.stdout.destroy(error instanceof Error ? error : new Error(String(error))),
    );
    return cp.stdout;
  }

  /** A file's own bytes. */
  file(relative: string): AsyncIterable<Buffer> {
    return firstFile(this.folder(relative), relative);
  }

  async bytes(relative: string, max: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let total = 0;
    for await (const chunk of this.file(relative)) {
      total += chunk.length;
      if (total > max) throw new Error(`${relative} is over ${max} bytes`);
      parts.push(chunk);
    }
    return Buffer.concat(parts);
  }

  async json(relative: string): Promise<unknown> {
    try {
      return JSON.parse((await this.bytes(relative, MAX_JSON_BYTES)).toString('utf8')) as unknown;
    } catch {
      return undefined;
    }
  }

  /** Removes the container in the background: `storeReadersRemoved` waits for every removal. */
  close(): void {
    const removal = this.docker
      .run(['rm', '--force', '--volumes', this.container])
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => removals.delete(removal));
    removals.add(removal);
  }
}

const removals = new Set<Promise<void>>();

/** Resolves once every reader container made so far is removed (the end of a run waits for it). */
export async function storeReadersRemoved(): Promise<void> {
  while (removals.size > 0) await Promise.all([...removals]);
}

/** The body of the one regular file in a `docker cp` tar. */
export async function* firstFile(archive: Readable, what: string): AsyncGenerator<Buffer> {
  const extract = tar.extract();
  archive.on('error', (error) => extract.destroy(error));
  archive.pipe(extract);
  let found = false;
  for await (const entry of extract) {
    if (found || entry.header.type !== 'file') {
      entry.resume();
      continue;
    }
    found = true;
    for await (const chunk of entry) yield chunk as Buffer;
  }
  if (!found) throw new Error(`${what}: not a file`);
}
