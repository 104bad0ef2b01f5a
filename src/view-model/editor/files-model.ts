// The files tree: folders (collapsible, with file counts and sizes) and files (sizes, BEP 47 attributes).
import { type FolderIndex, ROOT_FOLDER } from '../../core/metainfo/folder-index';
import type { Metainfo, TorrentFile } from '../../core/metainfo/types';
import type { Badge } from '../../shared/protocol/editor';
import { shownText } from '../format';
import { exactBytes, formatCount, formatSize, formatSpan, plural } from '../../shared/format';
import type { RowContent, TreeModel } from '../tree/visible-rows';

export type FileNode = { kind: 'root' } | { kind: 'folder'; folder: number } | { kind: 'file'; file: number };

const ROOT: FileNode = { kind: 'root' };

export class FilesModel implements TreeModel<FileNode> {
  readonly root: FileNode = ROOT;
  /**
   * A single-file torrent shows that file alone; a multi-file torrent shows one top folder named after
   * the torrent, the directory a client creates.
   */
  readonly single: boolean;

  constructor(
    private readonly metainfo: Metainfo,
    readonly index: FolderIndex,
  ) {
    this.single = metainfo.singleFile;
  }

  childCount(node: FileNode): number {
    if (node.kind === 'root') return this.single ? this.index.entryCount(ROOT_FOLDER) : this.metainfo.files.count > 0 ? 1 : 0;
    return node.kind === 'folder' ? this.index.entryCount(node.folder) : 0;
  }

  child(node: FileNode, position: number): FileNode {
    if (node.kind === 'root' && !this.single) return { kind: 'folder', folder: ROOT_FOLDER };
    const folder = node.kind === 'folder' ? node.folder : ROOT_FOLDER;
    const entry = this.index.entry(folder, position);
    return entry.kind === 'folder' ? { kind: 'folder', folder: entry.folder } : { kind: 'file', file: entry.file };
  }

  expandable(node: FileNode): boolean {
    return node.kind !== 'file' && this.childCount(node) > 0;
  }

  content(node: FileNode): RowContent {
    if (node.kind === 'root') return { icon: 'folder', label: shownText(this.metainfo.name) };
    if (node.kind === 'folder') {
      const record = this.index.folder(node.folder);
      const name = node.folder === ROOT_FOLDER ? this.metainfo.name : record.name;
      const pads = record.padCount > 0 ? `; ${plural(record.padCount, 'pad file')} included` : '';
      const files = record.fileCount - record.padCount;
      const count =
        files === 0 && record.padCount > 0
          ? plural(record.padCount, 'pad file')
          : `${plural(files, 'file')}${record.padCount > 0 ? ` + ${formatCount(record.padCount)} pad` : ''}`;
      return {
        icon: 'folder',
        label: shownText(name),
        detail: `${count} · ${formatSize(record.totalLength)}`,
        detailTitle: `${exactBytes(record.totalLength)} in ${plural(record.fileCount, 'file')}${pads}`,
      };
    }
    return this.fileContent(this.metainfo.files.get(node.file));
  }

  /** Row id of a file (expands nothing). */
  idForFile(file: number): string | undefined {
    const positions = this.index.pathTo(file);
    if (!positions) return undefined;
    return (this.single ? positions : [0, ...positions]).join('.');
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
    if (file.attributes.includes('l')) badges.push({ text: 'symlink', title: "BEP 47 attribute 'l'", tone: 'info' });
    if (name.text === '') badges.push({ text: 'empty name', title: 'This path element is empty.', tone: 'warning' });
    if (file.rawPath) {
      const stored = file.rawPath.map((p) => shownText(p).text).join('/');
      badges.push({ text: 'path.utf-8', title: `Shown from path.utf-8, as libtorrent does. The path as stored: ${stored}`, tone: 'info' });
    }
    const target = file.symlinkPath
      ? shownText({ text: `→ ${file.symlinkPath.map((p) => p.text).join('/')}`, utf8: file.symlinkPath.every((p) => p.utf8) })
      : undefined;
    const doc = this.metainfo.document;
    const span: [number, number] = [doc.start(file.token), doc.end(file.token)];
    return {
      icon: file.padding ? 'pad' : file.attributes.includes('l') ? 'symlink' : 'file',
      label: shownText(name),
      value: target,
      detail: formatSize(file.length),
      detailTitle: `${exactBytes(file.length)} · file ${formatCount(file.index)} · at byte ${formatCount(file.offset)} of the data · metainfo ${formatSpan(span[0], span[1])}`,
      badges: badges.length > 0 ? badges : undefined,
      span,
      tone: file.padding ? 'muted' : undefined,
      actions: ['reveal'],
    };
  }
}
