// A folder index over a torrent's file list, for showing the files as a tree.
//
// Torrents list files flat, each with its path; a tree view needs folders with their children, file
// counts and sizes. The index is built in one pass and stays flat (one record per folder, children as
// numbers), so a 100,000-file torrent costs one small record per folder, not an object per file.
// Children keep the order in which the torrent first mentions them: file order decides where each
// file's bytes sit in the piece stream, so the tree does not re-sort it.

import type { TorrentText } from './metainfo-types';

/** The parts of the model's `TorrentFiles` that the index needs. */
export interface FileListLike {
  readonly count: number;
  get(index: number): { path: TorrentText[]; length: number; padding: boolean };
}

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

export class FileTreeIndex {
  private constructor(
    readonly folders: readonly FolderRecord[],
    /** For each file, the folder that holds it. */
    private readonly fileFolders: Int32Array,
  ) {}

  static build(files: FileListLike): FileTreeIndex {
    const root: FolderRecord = { name: { text: '', utf8: true }, parent: -1, depth: 0, entries: [], fileCount: 0, padCount: 0, totalLength: 0 };
    const folders: FolderRecord[] = [root];
    // Child folders by name, per folder; UTF-8 and latin-1 readings of the same text are different bytes.
    const childFolders: Map<string, number>[] = [new Map()];
    const fileFolders = new Int32Array(files.count);
    for (let index = 0; index < files.count; index++) {
      const file = files.get(index);
      let folder = ROOT_FOLDER;
      // Every element but the last names a folder; the last one names the file.
      for (let e = 0; e < file.path.length - 1; e++) {
        const element = file.path[e];
        const key = (element.utf8 ? 'u' : 'b') + element.text;
        const children = childFolders[folder];
        let child = children.get(key);
        if (child === undefined) {
          child = folders.length;
          folders.push({ name: element, parent: folder, depth: folders[folder].depth + 1, entries: [], fileCount: 0, padCount: 0, totalLength: 0 });
          childFolders.push(new Map());
          children.set(key, child);
          folders[folder].entries.push(~child);
        }
        folder = child;
      }
      folders[folder].entries.push(index);
      fileFolders[index] = folder;
      for (let f = folder; f >= 0; f = folders[f].parent) {
        const record = folders[f];
        record.fileCount++;
        record.totalLength += file.length;
        if (file.padding) record.padCount++;
      }
    }
    return new FileTreeIndex(folders, fileFolders);
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
