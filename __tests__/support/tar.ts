/** A tar archive made in memory, entry by entry, as a readable stream (for the layer tests). */
import { Readable } from 'node:stream';
import tar, { type Header } from 'tar-stream';

export function tarOf(items: { header: Partial<Header> & { name: string }; body?: string }[]): Readable {
  const pack = tar.pack();
  for (const { header, body } of items) pack.entry(header, body ?? Buffer.alloc(0));
  pack.finalize();
  return Readable.from(pack as AsyncIterable<Buffer>);
}
