// The files tree: folders (collapsible, with file counts, sizes and their share of the torrent) and files
// (size, the pieces their bytes lie in, their share, BEP 47 attributes), in the torrent's order or sorted,
// and filtered to the files whose path matches a query (with the folders that lead to them).
import { type FolderIndex, ROOT_FOLDER } from '../../core/metainfo/folder-index';
import type { Metainfo, TorrentFile } from '../../core/metainfo/types';
import { displayText } from '../../core/text/bytes';
import type { Badge, FileSort, RowColumn } from '../../shared/protocol/editor';
import { shownText } from '../format';
import { exactBytes, formatCount, formatSize, formatSpan, plural } from '../../shared/format';
import type { RowContent, TreeModel } from '../tree/visible-rows';
import type { PathMatches } from './path-search';

export type FileNode = { kind: 'root' } | { kind: 'folder'; folder: number } | { kind: 'file'; file: number };

const ROOT: FileNode = { kind: 'root' };

export interface FilesOrder {
  sort: FileSort;
  /** Only these files, and the folders that hold them. */
  matches?: PathMatches;
}

/** Names compared as people expect (`file-2` before `file-10`), letter case aside. */
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export class FilesModel implements TreeModel<FileNode> {
  readonly root: FileNode = ROOT;
  /**
   * A single-file torrent shows that file alone; a multi-file torrent shows one top folder named after
   * the torrent, the directory a client creates.
   */
  readonly single: boolean;
  readonly sort: FileSort;
  readonly matches: PathMatches | undefined;
  /** With a filter: how many matching files each folder holds, anywhere below it. */
  private readonly folderMatches: Int32Array | undefined;
  /** A folder's entries in this order (filtered, sorted), made when the folder is first shown. */
  private readonly ordered = new Map<number, Int32Array>();
  /** v2-only torrents: where each file's pieces start (every file starts a piece of its own). */
  private pieceStarts: Float64Array | undefined;

  constructor(
    private readonly metainfo: Metainfo,
    readonly index: FolderIndex,
    order: FilesOrder = { sort: 'torrent' },
  ) {
    this.single = metainfo.singleFile;
    this.sort = order.sort;
    this.matches = order.matches;
    if (order.matches) {
      const counts = new Int32Array(index.folderCount);
      const flags = order.matches.flags;
      for (let file = 0; file < flags.length; file++) {
        if (!flags[file]) continue;
        for (let folder = index.folderOf(file); folder >= 0; folder = index.folder(folder).parent) counts[folder]++;
      }
      this.folderMatches = counts;
    }
  }

  childCount(node: FileNode): number {
    if (node.kind === 'root') {
      if (this.single) return this.entries(ROOT_FOLDER).length;
      return this.metainfo.files.count > 0 && this.hasMatches(ROOT_FOLDER) ? 1 : 0;
    }
    return node.kind === 'folder' ? this.entries(node.folder).length : 0;
  }

  child(node: FileNode, position: number): FileNode {
    if (node.kind === 'root' && !this.single) return { kind: 'folder', folder: ROOT_FOLDER };
    const folder = node.kind === 'folder' ? node.folder : ROOT_FOLDER;
    const raw = this.entries(folder)[position];
    return raw < 0 ? { kind: 'folder', folder: ~raw } : { kind: 'file', file: raw };
  }

  expandable(node: FileNode): boolean {
    return node.kind !== 'file' && this.childCount(node) > 0;
  }

  content(node: FileNode): RowContent {
    if (node.kind === 'root') return { icon: 'folder', label: shownText(this.metainfo.name) };
    if (node.kind === 'folder') return this.folderContent(node.folder);
    return this.fileContent(this.metainfo.files.get(node.file));
  }

  /** A row's path as a client saves it, from the torrent's folder down (`name/folder/file.bin`), or its name. */
  copyText(node: FileNode, what: 'path' | 'name'): string {
    const names: string[] = [];
    if (node.kind === 'file') {
      const path = this.metainfo.files.get(node.file).path;
      if (what === 'name') return path.length > 0 ? path[path.length - 1].text : '';
      names.push(...path.map((element) => element.text));
    } else if (node.kind === 'folder') {
      if (what === 'name') return node.folder === ROOT_FOLDER ? this.metainfo.name.text : this.index.folder(node.folder).name.text;
      for (let folder = node.folder; folder !== ROOT_FOLDER; folder = this.index.folder(folder).parent)
        names.unshift(this.index.folder(folder).name.text);
    }
    if (this.single) return names.join('/');
    return [this.metainfo.name.text, ...names].join('/');
  }

  private hasMatches(folder: number): boolean {
    return !this.folderMatches || this.folderMatches[folder] > 0;
  }

  /** A folder's children in this order: file indexes (>= 0) and folders as `~id`, as the folder index keeps them. */
  private entries(folder: number): ArrayLike<number> {
    const all = this.index.folder(folder).entries;
    if (this.sort === 'torrent' && !this.matches) return all;
    let entries = this.ordered.get(folder);
    if (entries) return entries;
    const flags = this.matches?.flags;
    const counts = this.folderMatches;
    entries = Int32Array.from(flags && counts ? all.filter((raw) => (raw < 0 ? counts[~raw] > 0 : flags[raw] === 1)) : all);
    if (this.sort === 'name') {
      // Folders first, as VS Code's Explorer shows them.
      const names = new Map<number, string>();
      for (const raw of entries) names.set(raw, this.entryName(raw));
      entries.sort((a, b) => (a < 0 !== b < 0 ? (a < 0 ? -1 : 1) : collator.compare(names.get(a)!, names.get(b)!) || a - b));
    } else if (this.sort === 'size') {
      // Largest first, folders among files: the question is where the bytes are.
      const sizes = new Map<number, number>();
      for (const raw of entries) sizes.set(raw, raw < 0 ? this.index.folder(~raw).totalLength : this.metainfo.files.fileLength(raw));
      const position = new Map<number, number>();
      all.forEach((raw, i) => position.set(raw, i));
      entries.sort((a, b) => sizes.get(b)! - sizes.get(a)! || position.get(a)! - position.get(b)!);
    }
    this.ordered.set(folder, entries);
    return entries;
  }

  private entryName(raw: number): string {
    if (raw < 0) return this.index.folder(~raw).name.text;
    const files = this.metainfo.files;
    const spans: number[] = [];
    const count = files.pathElementSpans(raw, spans);
    if (count < 0) return String(files.fileLength(raw));
    return count === 0 ? '' : displayText(files.bytes.subarray(spans[2 * count - 2], spans[2 * count - 1])).text;
  }

  private folderContent(folder: number): RowContent {
    const record = this.index.folder(folder);
    const name = folder === ROOT_FOLDER ? this.metainfo.name : record.name;
    const pads = record.padCount > 0 ? `; ${plural(record.padCount, 'pad file')} included` : '';
    const files = record.fileCount - record.padCount;
    const count =
      files === 0 && record.padCount > 0
        ? plural(record.padCount, 'pad file')
        : `${plural(files, 'file')}${record.padCount > 0 ? ` + ${formatCount(record.padCount)} pad` : ''}`;
    const matched = this.folderMatches ? `${formatCount(this.folderMatches[folder])} of ` : '';
    const label = shownText(name);
    return {
      icon: 'folder',
      label,
      match: this.highlight(label.text),
      // The torrent's own folder is all of it: a share would say 100 % on every torrent.
      columns: folder === ROOT_FOLDER ? undefined : [this.shareColumn(record.totalLength)],
      detail: `${matched}${count} · ${formatSize(record.totalLength)}`,
      detailTitle: `${exactBytes(record.totalLength)} in ${plural(record.fileCount, 'file')}${pads}${
        this.folderMatches ? `; ${plural(this.folderMatches[folder], 'file')} match the filter` : ''
      }`,
      actions: ['copy', 'copyName'],
    };
  }

  private fileContent(file: TorrentFile): RowContent {
    const name = file.path.length > 0 ? file.path[file.path.length - 1] : { text: '', utf8: true };
    const badges: Badge[] = [];
    if (file.padding)
      badges.push({
        text: 'pad',
        title: 'BEP 47 padding file: zeros that align the next file to a piece boundary; clients do not save it.',
        tone: 'muted',
      });
    if (file.attributes.includes('x')) badges.push({ text: 'executable', title: "BEP 47 attribute 'x'", tone: 'info' });
    if (file.attributes.includes('h')) badges.push({ text: 'hidden', title: "BEP 47 attribute 'h'", tone: 'info' });
    // A symlink without a usable target is an empty file to libtorrent, and so here: only a target makes a link.
    if (file.symlinkPath) badges.push({ text: 'symlink', title: "BEP 47 attribute 'l': a link, holding no data", tone: 'info' });
    else if (file.attributes.includes('l'))
      badges.push({
        text: 'symlink without target',
        title: "BEP 47 attribute 'l' but no usable 'symlink path': read as an empty file, as libtorrent does",
        tone: 'warning',
      });
    if (name.text === '') badges.push({ text: 'empty name', title: 'This path element is empty.', tone: 'warning' });
    if (file.rawPath) {
      const stored = file.rawPath.map((p) => shownText(p).text).join('/');
      badges.push({ text: 'path.utf-8', title: `Shown from path.utf-8, as libtorrent does. The path as stored: ${stored}`, tone: 'info' });
    }
    const target = file.symlinkPath
      ? shownText({ text: `→ ${file.symlinkPath.map((p) => p.text).join('/')}`, utf8: file.symlinkPath.every((p) => p.utf8) })
      : undefined;
    const doc = this.metainfo.document;
    const pieces = this.pieces(file);
    const label = shownText(name);
    return {
      icon: file.padding ? 'pad' : file.symlinkPath ? 'symlink' : 'file',
      label,
      match: this.highlight(label.text),
      value: target,
      // Kept short, since every row in view carries it: what the columns do not say (and the pieces, for
      // narrow editors, which drop that column).
      title: [
        `File ${formatCount(file.index + 1)} of ${formatCount(this.metainfo.files.count)}: ${exactBytes(file.length)} at byte ${formatCount(file.offset)} of the data`,
        pieces.title,
        `.torrent entry: bytes ${formatSpan(doc.start(file.token), doc.end(file.token))}`,
      ].join('\n'),
      columns: [
        { name: 'pieces', text: pieces.text },
        { name: 'share', text: this.shareText(file.length) },
      ],
      detail: formatSize(file.length),
      badges: badges.length > 0 ? badges : undefined,
      tone: file.padding ? 'muted' : undefined,
      actions: ['copy', 'copyName', 'reveal'],
    };
  }

  /** The pieces a file's bytes lie in, numbered from 0 as clients and the raw tree number them. */
  private pieces(file: TorrentFile): { text: string; title: string } {
    const m = this.metainfo;
    if (file.length === 0) return { text: 'no pieces', title: 'Empty: in no piece' };
    const pieceLength = m.pieceLength;
    let first: number;
    let last: number;
    let shared = false;
    if (m.version === 'v2') {
      // BEP 52: each file's data starts a new piece, so no piece holds two files.
      first = this.v2PieceStarts()[file.index];
      last = first + Math.ceil(file.length / pieceLength) - 1;
    } else {
      first = Math.floor(file.offset / pieceLength);
      last = Math.floor((file.offset + file.length - 1) / pieceLength);
      shared = file.offset % pieceLength !== 0 || ((file.offset + file.length) % pieceLength !== 0 && last < m.pieceCount - 1);
    }
    const span = first === last ? `piece ${formatCount(first)}` : `pieces ${formatCount(first)}–${formatCount(last)}`;
    const title = `${span[0].toUpperCase()}${span.slice(1)} (from 0)${shared ? ', shared at the ends' : ''}`;
    return { text: span, title };
  }

  private v2PieceStarts(): Float64Array {
    if (this.pieceStarts) return this.pieceStarts;
    const files = this.metainfo.files;
    const starts = new Float64Array(files.count);
    let next = 0;
    for (let file = 0; file < files.count; file++) {
      starts[file] = next;
      next += Math.ceil(files.fileLength(file) / this.metainfo.pieceLength);
    }
    this.pieceStarts = starts;
    return starts;
  }

  private shareColumn(length: number): RowColumn {
    return { name: 'share', text: this.shareText(length) };
  }

  /** A part of the torrent's size in per cent, never rounded up to a whole: `12 %`, `3.4 %`, `<0.1 %`. */
  private shareText(length: number): string {
    const total = this.metainfo.totalLength;
    if (total === 0 || length === 0) return '0 %';
    if (length >= total) return '100 %';
    const percent = (length / total) * 100;
    if (percent < 0.1) return '<0.1 %';
    return `${percent < 10 ? (Math.floor(percent * 10) / 10).toFixed(1) : Math.floor(percent)} %`;
  }

  /** Where the filter's query is in a label, to highlight it. */
  private highlight(label: string): [number, number] | undefined {
    const query = this.matches?.query;
    if (!query) return undefined;
    const at = label.toLowerCase().indexOf(query.toLowerCase());
    return at >= 0 && label.toLowerCase().length === label.length ? [at, at + query.length] : undefined;
  }
}
