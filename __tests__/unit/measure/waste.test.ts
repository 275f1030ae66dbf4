import { describe, expect, it } from 'vitest';
import {
  computeWaste,
  emptyEntries,
  KIND_DIRECTORY as D,
  KIND_FILE as F,
  KIND_OPAQUE as O,
  KIND_OTHER as L,
  KIND_WHITEOUT as W,
  type LayerEntries,
} from '../../../src/measure/waste.js';

const layer = (...entries: [string, number, number?][]): LayerEntries => ({
  paths: entries.map(([p]) => p),
  kinds: entries.map(([, kind]) => kind),
  sizes: entries.map(([, , size]) => size ?? 0),
});

describe('computeWaste', () => {
  it.each<[string, LayerEntries[], number]>([
    ['nothing overwritten', [layer(['a', F, 10]), layer(['b', F, 20])], 0],
    ['overwrite', [layer(['a', F, 10]), layer(['a', F, 12])], 10],
    ['overwrite twice', [layer(['a', F, 10]), layer(['a', F, 12]), layer(['a', F, 1])], 22],
    ['whiteout', [layer(['a', F, 10]), layer(['a', W])], 10],
    ['whiteout of a folder', [layer(['d', D], ['d/x', F, 5], ['d/e/y', F, 6]), layer(['d', W])], 11],
    [
      'opaque keeps same-layer files',
      [layer(['d/x', F, 5]), layer(['d/y', F, 7], ['d', O], ['d/x', F, 1])],
      5,
    ],
    ['opaque of a folder never there', [layer(['a', F, 5]), layer(['d', O], ['d/x', F, 1])], 0],
    ['file replaces folder', [layer(['d/x', F, 5]), layer(['d', F, 3])], 5],
    ['folder replaces file', [layer(['d', F, 5]), layer(['d', D])], 5],
    ['link replaces file', [layer(['a', F, 5]), layer(['a', L])], 5],
    ['folder under a former file', [layer(['a', F, 5]), layer(['a/b', F, 3])], 5],
    ['whiteout of something never there', [layer(['a', F, 5]), layer(['zz', W])], 0],
    ['whiteout in the layer that wrote it', [layer(['a', F, 5], ['a', W])], 0],
    ['folder metadata change is free', [layer(['d', D], ['d/x', F, 5]), layer(['d', D])], 0],
    ['empty files and layers weigh nothing', [layer(['a', F, 0]), emptyEntries(), layer(['a', W])], 0],
    ['leading and doubled slashes are the same path', [layer(['d//x', F, 5]), layer(['d/x', W])], 5],
  ])('%s: %d bytes wasted', (_name, layers, bytes) => {
    expect(computeWaste(layers).wastedBytes).toBe(bytes);
  });

  it('lists the biggest first, capped, with the layers', () => {
    const first = layer(
      ...Array.from({ length: 30 }, (_, i): [string, number, number] => [`f${i}`, F, i + 1]),
    );
    const second = layer(...Array.from({ length: 30 }, (_, i): [string, number] => [`f${i}`, W]));
    const result = computeWaste([first, second], 3);
    expect(result.wastedBytes).toBe((30 * 31) / 2);
    expect(result.wastedFiles).toEqual([
      { path: '/f29', size: 30, addedIn: 0, removedIn: 1 },
      { path: '/f28', size: 29, addedIn: 0, removedIn: 1 },
      { path: '/f27', size: 28, addedIn: 0, removedIn: 1 },
    ]);
    expect(computeWaste([first, second], 0).wastedFiles).toEqual([]);
  });

  it('counts a file inside a replaced folder as deleted, an overwritten one as not', () => {
    const { pairs } = computeWaste([layer(['d/x', F, 5], ['a', F, 7]), layer(['d', L], ['a', F, 1])]);
    expect(pairs).toEqual([
      { addedIn: 0, removedIn: 1, bytes: 12, files: 2, deletedBytes: 5, largest: '/a', largestSize: 7 },
    ]);
  });

  it('adds up every file per (adding layer, removing layer), beyond the listed ones', () => {
    const many = Array.from({ length: 50 }, (_, i): [string, number, number] => [`tmp/f${i}`, F, 1000 + i]);
    const result = computeWaste(
      [
        layer(['etc/base.conf', F, 7]),
        layer(...many, ['app/big', F, 5000]),
        layer(['tmp', W], ['app/big', F, 10], ['etc/base.conf', F, 1]),
        layer(['d/x', F, 3]),
        layer(['d', O]),
      ],
      3,
    );
    expect(result.wastedFiles).toHaveLength(3);
    expect(result.pairs).toEqual([
      {
        addedIn: 1,
        removedIn: 2,
        bytes: 50 * 1000 + (49 * 50) / 2 + 5000,
        files: 51,
        deletedBytes: 50 * 1000 + (49 * 50) / 2,
        largest: '/app/big',
        largestSize: 5000,
      },
      {
        addedIn: 0,
        removedIn: 2,
        bytes: 7,
        files: 1,
        deletedBytes: 0,
        largest: '/etc/base.conf',
        largestSize: 7,
      },
      { addedIn: 3, removedIn: 4, bytes: 3, files: 1, deletedBytes: 3, largest: '/d/x', largestSize: 3 },
    ]);
    expect(result.pairs.reduce((sum, pair) => sum + pair.bytes, 0)).toBe(result.wastedBytes);
  });
});
