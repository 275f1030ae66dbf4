/**
 * A classic layer folder turned back into its layer tar (src/measure/layer-folder.ts), against a
 * folder and a tar-split captured on the legacy engine and the layer docker save gave for them.
 */
import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar, { type Header } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { tarOf } from '../../support/tar.js';
import { layerTarOf, opaqueFolders } from '../../../src/measure/layer-folder.js';
import { REPO_ROOT } from '../../support/example.js';

const fixture = (engine: string, name: string): string =>
  path.join(REPO_ROOT, '__fixtures__/cli', engine, name);
const text = (engine: string, name: string): string => readFileSync(fixture(engine, name), 'utf8');

async function entries(archive: AsyncIterable<Buffer> | Readable): Promise<Partial<Header>[]> {
  const extract = tar.extract();
  const out: Partial<Header>[] = [];
  const done = (async () => {
    for await (const entry of extract) {
      const { name, type, size, linkname } = entry.header;
      out.push({ name, type, size, ...(linkname ? { linkname } : {}) });
      entry.resume();
    }
  })();
  for await (const chunk of archive) extract.write(chunk as Buffer);
  extract.end(undefined);
  await done;
  return out;
}

describe('a layer folder turned back into the layer tar', () => {
  it('finds the replaced folders in the captured tar-split', () => {
    expect([...opaqueFolders(text('legacy', 'tar-split-opaque.json'))]).toEqual(['d']);
  });

  it.each([
    ['{"type":1,"name":"a/b/.wh..wh..opq","payload":null,"position":3}', ['a/b']],
    ['{"type":1,"name":"./.wh..wh..opq","payload":null,"position":3}', ['']],
    ['{"type":1,"name":"a/.wh.file","payload":null,"position":3}', []],
    ['{"type":2,"payload":".wh..wh..opq"}', []],
    ['{"type":1,"name":"x.wh..wh..opq"}', []],
    ['not json .wh..wh..opq', []],
  ])('%s', (line, expected) => {
    expect([...opaqueFolders(line)]).toEqual(expected);
  });

  it('gives the entries docker save gives for the same captured layer', async () => {
    const opaque = opaqueFolders(text('legacy', 'tar-split-opaque.json'));
    const converted = await entries(
      layerTarOf(createReadStream(fixture('legacy', 'cp-layer-folder.tar')), opaque),
    );
    const saved = await entries(createReadStream(fixture('legacy', 'save-top-layer.tar')));
    expect(converted).toEqual(saved);
    expect(converted.map((e) => e.name)).toEqual(['.wh.c', 'd/', 'd/.wh..wh..opq', 'd/n']);
  });

  it('strips the folder’s name from hard links and long names, keeps symlinks and bodies', async () => {
    const long = `${'deep/'.repeat(30)}file.bin`;
    const folder = tarOf([
      { header: { name: 'diff/', type: 'directory' } },
      { header: { name: 'diff/a', type: 'file' }, body: 'hello' },
      { header: { name: 'diff/b', type: 'link', linkname: 'diff/a' } },
      { header: { name: 'diff/c', type: 'symlink', linkname: '/a' } },
      { header: { name: `diff/${long}`, type: 'file' }, body: 'xy' },
      { header: { name: 'diff/gone', type: 'character-device', devmajor: 0, devminor: 0 } },
      { header: { name: 'diff/tty', type: 'character-device', devmajor: 5, devminor: 0 } },
    ]);
    expect(await entries(layerTarOf(folder, new Set()))).toEqual([
      { name: 'a', type: 'file', size: 5 },
      { name: 'b', type: 'link', size: 0, linkname: 'a' },
      { name: 'c', type: 'symlink', size: 0, linkname: '/a' },
      { name: long, type: 'file', size: 2 },
      { name: '.wh.gone', type: 'file', size: 0 },
      { name: 'tty', type: 'character-device', size: 0 },
    ]);
  });

  it('fails when the folder’s tar is broken (the caller then uses docker save)', async () => {
    const broken = Readable.from([Buffer.alloc(1024, 7)]);
    await expect(entries(layerTarOf(broken, new Set()))).rejects.toThrow();
  });
});
