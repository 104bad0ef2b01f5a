// A folder index over a torrent's file list, for showing the files as a tree.
//
// Torrents list files flat, each with its path; a tree view needs folders with their children, file
// counts and sizes. The index is built in one pass and stays flat (one record per folder, children as
// numbers), so a 100,000-file torrent costs one small record per folder, not an object per file.
// Children keep the order in which the torrent first mentions them: file order decides where each
// file's bytes sit in the piece stream, so the tree does not re-sort it.

import { displayText } from '../text/bytes';
import type { TorrentText } from './types';

/** The parts of the model's `TorrentFiles` that the index needs. */
export interface FileListLike {
  readonly count: number;
  get(index: number): { path: TorrentText[]; length: number; padding: boolean };
  /**
   * Byte-level access, as the model's `TorrentFiles` has it (see there): with it, the index groups files
   * on their path bytes and decodes each folder name once, instead of building every file.
   */
  readonly bytes?: Uint8Array;
  pathElementSpans?(index: number, spans: number[]): number;
  fileLength?(index: number): number;
  isPadding?(index: number): boolean;
}

type ByteFileList = Required<Pick<FileListLike, 'count' | 'bytes' | 'pathElementSpans' | 'fileLength' | 'isPadding'>>;

/** The folder of a pad file stored without a path (the model names it `.pad/<length>`, as libtorrent does). */
const PAD_FOLDER: TorrentText = { text: '.pad', utf8: true };
const PAD_FOLDER_BYTES = new Uint8Array([0x2e, 0x70, 0x61, 0x64]);

export interface FolderRecord {
  /** The folder's path element; the root folder's name is empty (the torrent's name is shown instead). */
  readonly name: TorrentText;
  /** Parent folder id; -1 for the root. */
  readonly parent: number;
  /** Depth below the root (the root is 0). */
  readonly depth: number;
  /** Children in first-mention order: a file index (>= 0) or a folder id encoded as `~id` (< 0). */
  readonly entries: number[];
  /** Files anywhere below, pad files included. */
  fileCount: number;
  /** Pad files anywhere below. */
  padCount: number;
  /** Sum of the lengths of every file below, pad files included. */
  totalLength: number;
}

export type FolderEntry = { kind: 'folder'; folder: number } | { kind: 'file'; file: number };

export const ROOT_FOLDER = 0;

export class FolderIndex {
  private constructor(
    readonly folders: readonly FolderRecord[],
    /** For each file, the folder that holds it. */
    private readonly fileFolders: Int32Array,
  ) {}

  static build(files: FileListLike): FolderIndex {
    if (files.bytes && files.pathElementSpans && files.fileLength && files.isPadding)
      return FolderIndex.buildFromBytes(files as ByteFileList);
    const builder = new IndexBuilder(files.count);
    // Child folders by name, per folder; UTF-8 and latin-1 readings of the same text are different bytes.
    const childFolders: Map<string, number>[] = [new Map()];
    for (let index = 0; index < files.count; index++) {
      const file = files.get(index);
      let folder = ROOT_FOLDER;
      // Every element but the last names a folder; the last one names the file.
      for (let e = 0; e < file.path.length - 1; e++) {
        const element = file.path[e];
        const key = (element.utf8 ? 'u' : 'b') + element.text;
        let child = childFolders[folder].get(key);
        if (child === undefined) {
          child = builder.addFolder(folder, element);
          childFolders.push(new Map());
          childFolders[folder].set(key, child);
        }
        folder = child;
      }
      builder.addFile(index, folder, file.length, file.padding);
    }
    return new FolderIndex(builder.folders, builder.fileFolders);
  }

  /**
   * The same index from path bytes: a folder is found by its parent and the bytes of its name (equal
   * bytes, equal name: the decoded texts are equal exactly when the bytes are), and its name is decoded
   * once, when it is first seen. No string or object is made per file.
   */
  private static buildFromBytes(files: ByteFileList): FolderIndex {
    const builder = new IndexBuilder(files.count);
    const children = new ChildFolderTable(files.bytes);
    const data = files.bytes;
    const spans: number[] = [];
    for (let index = 0; index < files.count; index++) {
      const count = files.pathElementSpans(index, spans);
      let folder = ROOT_FOLDER;
      if (count < 0) {
        folder = children.find(ROOT_FOLDER, PAD_FOLDER_BYTES, 0, PAD_FOLDER_BYTES.length);
        if (folder === 0)
          folder = children.add(builder.addFolder(ROOT_FOLDER, PAD_FOLDER), ROOT_FOLDER, PAD_FOLDER_BYTES, 0, PAD_FOLDER_BYTES.length);
      } else {
        // Every element but the last names a folder; the last one names the file.
        for (let e = 0; e < count - 1; e++) {
          const start = spans[2 * e];
          const end = spans[2 * e + 1];
          let child = children.find(folder, data, start, end);
          if (child === 0)
            child = children.add(builder.addFolder(folder, displayText(data.subarray(start, end))), folder, data, start, end);
          folder = child;
        }
      }
      builder.addFile(index, folder, files.fileLength(index), files.isPadding(index));
    }
    return new FolderIndex(builder.folders, builder.fileFolders);
  }

  get folderCount(): number {
    return this.folders.length;
  }

  folder(id: number): FolderRecord {
    return this.folders[id];
  }

  entryCount(folder: number): number {
    return this.folders[folder].entries.length;
  }

  entry(folder: number, position: number): FolderEntry {
    const raw = this.folders[folder].entries[position];
    return raw < 0 ? { kind: 'folder', folder: ~raw } : { kind: 'file', file: raw };
  }

  /** The folder that holds a file. */
  folderOf(file: number): number {
    return this.fileFolders[file];
  }

  /** Where a file sits in its folder's entries, or -1. */
  positionOf(file: number): number {
    const folder = this.fileFolders[file];
    return folder === undefined ? -1 : this.folders[folder].entries.indexOf(file);
  }

  /** The positions that lead from the root to a file: one per folder level, then the file's own. */
  pathTo(file: number): number[] | undefined {
    if (file < 0 || file >= this.fileFolders.length) return undefined;
    const positions = [this.positionOf(file)];
    for (let folder = this.fileFolders[file]; folder !== ROOT_FOLDER; folder = this.folders[folder].parent) {
      const parent = this.folders[folder].parent;
      positions.push(this.folders[parent].entries.indexOf(~folder));
    }
    return positions.reverse();
  }
}

/** The folder records as they are built. */
class IndexBuilder {
  readonly folders: FolderRecord[] = [
    { name: { text: '', utf8: true }, parent: -1, depth: 0, entries: [], fileCount: 0, padCount: 0, totalLength: 0 },
  ];
  readonly fileFolders: Int32Array;

  constructor(fileCount: number) {
    this.fileFolders = new Int32Array(fileCount);
  }

  addFolder(parent: number, name: TorrentText): number {
    const id = this.folders.length;
    this.folders.push({ name, parent, depth: this.folders[parent].depth + 1, entries: [], fileCount: 0, padCount: 0, totalLength: 0 });
    this.folders[parent].entries.push(~id);
    return id;
  }

  addFile(index: number, folder: number, length: number, padding: boolean): void {
    this.folders[folder].entries.push(index);
    this.fileFolders[index] = folder;
    for (let f = folder; f >= 0; f = this.folders[f].parent) {
      const record = this.folders[f];
      record.fileCount++;
      record.totalLength += length;
      if (padding) record.padCount++;
    }
  }
}

/**
 * Child folders by (parent, name bytes): an open-addressing table of folder ids, each folder's name
 * kept as a span of the bytes it was read from. The hash is seeded per process, so a torrent cannot be
 * made to collide on purpose.
 */
class ChildFolderTable {
  private slots = new Int32Array(1024);
  private used = 0;
  /** Per folder id: its parent, its hash, and where its name lies. */
  private readonly parents: number[] = [-1];
  private readonly hashes: number[] = [0];
  private readonly sources: Uint8Array[];
  private readonly starts: number[] = [0];
  private readonly ends: number[] = [0];

  constructor(data: Uint8Array) {
    this.sources = [data];
  }

  /** The folder named by `source[start, end)` in `parent`, or 0 (the root is nobody's child). */
  find(parent: number, source: Uint8Array, start: number, end: number): number {
    const hash = nameHash(parent, source, start, end);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot];
      if (id === 0) return 0;
      if (
        this.hashes[id] === hash &&
        this.parents[id] === parent &&
        sameBytes(this.sources[id], this.starts[id], this.ends[id], source, start, end)
      )
        return id;
    }
  }

  /** Records folder `id` (ids come in order, from 1) under `parent`; returns `id`. */
  add(id: number, parent: number, source: Uint8Array, start: number, end: number): number {
    const hash = nameHash(parent, source, start, end);
    this.parents[id] = parent;
    this.hashes[id] = hash;
    this.sources[id] = source;
    this.starts[id] = start;
    this.ends[id] = end;
    if (++this.used * 2 > this.slots.length) this.grow();
    else this.place(id, hash);
    return id;
  }

  private place(id: number, hash: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = id;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let id = 1; id < this.parents.length; id++) this.place(id, this.hashes[id]);
  }
}

const NAME_HASH_SEED = Math.floor(Math.random() * 0x100000000) | 0;

/** FNV-1a over the name bytes, started from the parent folder and a per-process seed, then mixed. */
function nameHash(parent: number, source: Uint8Array, start: number, end: number): number {
  let h = Math.imul(NAME_HASH_SEED ^ parent, 0x01000193) ^ 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ source[i], 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

function sameBytes(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = 0; i < aEnd - aStart; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}
