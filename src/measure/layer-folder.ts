/**
 * A classic (overlay2) layer folder turned back into the layer tar `docker save` sends: overlay
 * marks a deleted file with a 0/0 character device and a replaced folder with an xattr that
 * `docker cp` does not send, so the replaced folders come from the layer's tar-split (the raw tar
 * headers the engine kept when the layer was made).
 */
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import tar, { type Header } from 'tar-stream';
import { normalizeEntryPath } from './layer-scan.js';

const EMPTY = Buffer.alloc(0);
const gunzipBounded = promisify(gunzip);
/** A tar-split is a JSON line per tar header: a few hundred bytes per file of the layer. */
export const MAX_TAR_SPLIT_BYTES = 256 << 20;

/**
 * The folders a layer replaced (overlay's opaque folders), from its tar-split: the JSON lines that
 * hold `docker save`'s raw tar headers, where a replaced folder has a `.wh..wh..opq` entry (pure).
 */
export function opaqueFolders(tarSplit: string): Set<string> {
  const out = new Set<string>();
  for (const line of tarSplit.split('\n')) {
    if (!line.includes('.wh..wh..opq')) continue;
    let entry: { type?: unknown; name?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    // type 1: a file entry, whose name tar-split decoded from the header (PAX and GNU names too).
    if (entry.type !== 1 || typeof entry.name !== 'string') continue;
    const path = normalizeEntryPath(entry.name);
    const slash = path.lastIndexOf('/');
    if (path.slice(slash + 1) === '.wh..wh..opq') out.add(slash < 0 ? '' : path.slice(0, slash));
  }
  return out;
}

/**
 * A layer folder as `docker cp` sends it (every name under the folder's own name, deletions as
 * 0/0 character devices) turned into the layer tar `docker save` sends: names from the image root,
 * deletions as `.wh.<name>`, and a `.wh..wh..opq` entry after each replaced folder.
 */
export function layerTarOf(folder: Readable, opaque: ReadonlySet<string>): AsyncIterable<Buffer> {
  const extract = tar.extract();
  const pack = tar.pack();
  const fail = (error: Error): void => {
    pack.destroy(error);
  };
  folder.on('error', fail);
  extract.on('error', fail);
  let prefix: string | undefined;
  const strip = (name: string): string | undefined => {
    const path = normalizeEntryPath(name);
    prefix ??= path.split('/')[0] ?? '';
    if (path === prefix) return undefined;
    return path.startsWith(`${prefix}/`) ? path.slice(prefix.length + 1) : undefined;
  };
  extract.on('entry', (header, stream, next) => {
    const name = strip(header.name);
    const done = (error?: Error | null): void => {
      if (error) fail(error);
      else next();
    };
    if (name === undefined) {
      stream.on('end', () => next());
      stream.resume();
      return;
    }
    const out: Partial<Header> & { name: string } = { ...header, name, pax: null };
    if (header.type === 'link' && header.linkname) {
      out.linkname = strip(header.linkname) ?? header.linkname;
    }
    if (header.type === 'character-device' && !header.devmajor && !header.devminor) {
      const slash = name.lastIndexOf('/');
      stream.resume();
      pack.entry(
        { name: `${name.slice(0, slash + 1)}.wh.${name.slice(slash + 1)}`, mode: 0o644, mtime: header.mtime },
        EMPTY,
        done,
      );
      return;
    }
    if (header.type === 'directory') {
      stream.resume();
      pack.entry({ ...out, name: `${name}/` }, (error) => {
        if (error || !opaque.has(name)) return done(error);
        pack.entry({ name: `${name}/.wh..wh..opq`, mode: 0o644, mtime: header.mtime }, EMPTY, done);
      });
      return;
    }
    stream.pipe(pack.entry(out, done));
  });
  extract.on('finish', () => pack.finalize());
  folder.pipe(extract);
  return pack as AsyncIterable<Buffer>;
}

export async function gunzipText(bytes: Buffer): Promise<string> {
  // zlib stops with a RangeError past maxOutputLength: a tar-split is never read unbounded.
  return (await gunzipBounded(bytes, { maxOutputLength: MAX_TAR_SPLIT_BYTES })).toString('utf8');
}
