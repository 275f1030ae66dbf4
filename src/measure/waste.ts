/**
 * Wasted bytes: bytes of file versions that a later layer overwrites or deletes. They are stored in
 * the image and pulled by every deployment, yet no container ever sees them.
 *
 * Layers are replayed in order over a tree of the paths seen so far. A version is wasted when a later
 * layer writes the same path again (also a metadata-only change: overlayfs copies the whole file up),
 * deletes it with a whiteout `.wh.<name>`, deletes a parent folder, hides it under an opaque folder
 * (`.wh..wh..opq`) or replaces a parent folder with a file or link. Unlike dive, the version that
 * survives in the final image is not counted (see docs/measure.md).
 */
import type { WastedFile } from '../report/model.js';

export const KIND_FILE = 0;
export const KIND_DIRECTORY = 1;
/** Symlinks, hard links, devices, fifos: no bytes of their own. */
export const KIND_OTHER = 2;
/** `.wh.<name>`: `path` is the deleted path. */
export const KIND_WHITEOUT = 3;
/** `.wh..wh..opq`: `path` is the folder whose lower contents are hidden. */
export const KIND_OPAQUE = 4;

/** The entries of one layer tar, in tar order, as parallel arrays (compact for big layers). */
export interface LayerEntries {
  paths: string[];
  sizes: number[];
  kinds: number[];
}

export function emptyEntries(): LayerEntries {
  return { paths: [], sizes: [], kinds: [] };
}

export interface WasteResult {
  wastedBytes: number;
  /** Largest first, at most `limit`. */
  wastedFiles: WastedFile[];
  /** Every (adding layer, removing layer) pair with the bytes it wastes, most bytes first. */
  pairs: WastePair[];
}

/** The bytes that one layer adds and a later one deletes or overwrites, over all files. */
export interface WastePair {
  addedIn: number;
  removedIn: number;
  bytes: number;
  files: number;
  /** Of those bytes, the ones deleted (whiteout, opaque folder, a parent replaced); the rest overwritten. */
  deletedBytes: number;
  /** The largest such file: `/tmp/blob`. */
  largest: string;
  largestSize: number;
}

interface Node {
  /** Layer that wrote this path last. */
  layer: number;
  size: number;
  kind: number;
  children?: Map<string, Node>;
}

export function computeWaste(layers: readonly LayerEntries[], limit = 20): WasteResult {
  const replay = new WasteReplay(limit);
  layers.forEach((entries, layer) => replay.layer(entries, layer));
  return replay.result();
}

/** The tree of the paths seen so far, and what the layers replayed over it have wasted. */
class WasteReplay {
  private readonly root: Node = { layer: -1, size: 0, kind: KIND_DIRECTORY, children: new Map() };
  private wastedBytes = 0;
  private readonly top: TopFiles;
  private readonly pairs = new Map<string, WastePair>();

  constructor(limit: number) {
    this.top = new TopFiles(limit);
  }

  /** Replays the entries of layer number `layer` over the tree. */
  layer(entries: LayerEntries, layer: number): void {
    const { paths, sizes, kinds } = entries;
    for (let i = 0; i < paths.length; i += 1) {
      const path = paths[i]!;
      const kind = kinds[i]!;
      const names = path.split('/');
      const leaf = names.pop()!;
      const parent = this.walk(names, layer);
      const children = parent.children!;
      const existing = children.get(leaf);
      if (kind === KIND_WHITEOUT) {
        if (existing && existing.layer !== layer) {
          this.waste(existing, path, layer, layer);
          children.delete(leaf);
        }
        continue;
      }
      if (kind === KIND_OPAQUE) {
        this.opaque(path, layer);
        continue;
      }
      if (kind === KIND_DIRECTORY) {
        if (existing && existing.kind === KIND_DIRECTORY) continue; // same folder, maybe new metadata
        if (existing) this.waste(existing, path, layer, layer);
        children.set(leaf, { layer, size: 0, kind, children: new Map() });
        continue;
      }
      // A file or link replaces whatever was there, folder and contents included.
      if (existing) this.waste(existing, path, layer, layer, existing.kind !== KIND_FILE);
      children.set(leaf, { layer, size: sizes[i]!, kind });
    }
  }

  result(): WasteResult {
    const byBytes = [...this.pairs.values()].sort(
      (a, b) => b.bytes - a.bytes || a.addedIn - b.addedIn || a.removedIn - b.removedIn,
    );
    return { wastedBytes: this.wastedBytes, wastedFiles: this.top.sorted(), pairs: byBytes };
  }

  /** `path` is the folder itself: hide what lower layers put in it, keep this layer's entries. */
  private opaque(path: string, layer: number): void {
    const folder = this.walk(path.split('/'), layer);
    for (const [name, child] of folder.children!) {
      if (child.layer === layer) continue;
      this.waste(child, `${path}/${name}`, layer, layer);
      folder.children!.delete(name);
    }
  }

  /** Walks to the folder `names`, creating the folders a layer implies without listing them. */
  private walk(names: readonly string[], layer: number): Node {
    let node = this.root;
    let path = '';
    for (const name of names) {
      if (name === '') continue;
      path = path ? `${path}/${name}` : name;
      let child = node.children!.get(name);
      if (!child || !child.children) {
        // A file or link where this layer has a folder: the layer replaced it.
        if (child) this.waste(child, path, layer, layer);
        child = { layer, size: 0, kind: KIND_DIRECTORY, children: new Map() };
        node.children!.set(name, child);
      }
      node = child;
    }
    return node;
  }

  /** `deleted`: gone from the final image (else the same path holds a newer version). */
  private waste(node: Node, path: string, removedIn: number, skipLayer: number, deleted = true): void {
    if (node.layer === skipLayer) return;
    if (node.kind === KIND_FILE && node.size > 0) {
      this.wastedBytes += node.size;
      this.top.add({ path: `/${path}`, size: node.size, addedIn: node.layer, removedIn });
      this.count(`/${path}`, node.size, node.layer, removedIn, deleted);
    }
    if (node.children)
      for (const [name, child] of node.children)
        this.waste(child, `${path}/${name}`, removedIn, skipLayer, deleted);
  }

  private count(path: string, size: number, addedIn: number, removedIn: number, deleted: boolean): void {
    const key = `${addedIn}:${removedIn}`;
    let pair = this.pairs.get(key);
    if (!pair) {
      pair = { addedIn, removedIn, bytes: 0, files: 0, deletedBytes: 0, largest: path, largestSize: 0 };
      this.pairs.set(key, pair);
    }
    pair.bytes += size;
    pair.files += 1;
    if (deleted) pair.deletedBytes += size;
    if (size > pair.largestSize) {
      pair.largest = path;
      pair.largestSize = size;
    }
  }
}

/** Keeps the `limit` largest wasted files without sorting everything. */
class TopFiles {
  private readonly files: WastedFile[] = [];
  constructor(private readonly limit: number) {}

  add(file: WastedFile): void {
    if (this.limit <= 0) return;
    if (this.files.length < this.limit) {
      this.files.push(file);
      if (this.files.length === this.limit) this.files.sort((a, b) => b.size - a.size);
      return;
    }
    const last = this.files[this.files.length - 1]!;
    if (file.size <= last.size) return;
    this.files[this.files.length - 1] = file;
    this.files.sort((a, b) => b.size - a.size);
  }

  sorted(): WastedFile[] {
    return [...this.files].sort((a, b) => b.size - a.size || a.path.localeCompare(b.path));
  }
}
