// The file list of a torrent as flat typed arrays over the decoded document. `get(i)` builds the
// `TorrentFile` for one file on demand, so a 100,000-file torrent costs a few arrays, not 100,000
// objects, until someone asks for the files one by one (a view shows a few dozen at a time).

import type { BencodeDocument, Token } from '../bencode/decode';
import { displayText, toHex } from '../text/bytes';
import type { TorrentFile, TorrentFiles, TorrentText } from './types';

/** Where the files come from: `length` + `name` (single), the v1 `files` list, or the v2 `file tree`. */
export type FileLayout = 'single' | 'list' | 'tree';

export const FLAG_PAD = 1;
export const FLAG_SYMLINK = 2;

/** BEP 47 attribute flags from an `attr` string. */
export function attrFlags(data: Uint8Array, start: number, end: number): number {
  let flags = 0;
  for (let i = start; i < end; i++) {
    if (data[i] === 0x70) flags |= FLAG_PAD;
    else if (data[i] === 0x6c) flags |= FLAG_SYMLINK;
  }
  return flags;
}

export interface FileTableParts {
  layout: FileLayout;
  count: number;
  padCount: number;
  /** Per file: its dictionary (single: the info dictionary; tree: the dictionary holding `length`). */
  fileTokens: Int32Array;
  /**
   * Per file, the path as stored. single: the name's byte string; list: the `path` list, or -1 for a pad
   * file without one; tree: unused (see `pathStart`/`pathKeys`).
   */
  pathTokens: Int32Array;
  /** list only, when some file has `path.utf-8`: that list, shown instead of `path` (-1 elsewhere). */
  utf8PathTokens?: Int32Array;
  /** single only: the `name.utf-8` string shown instead of `name`, or -1. */
  shownNameToken?: Token;
  /** tree: file i's path is the keys `pathKeys[pathStart[i] .. pathStart[i + 1])`. */
  pathStart?: Int32Array;
  pathKeys?: Int32Array;
  lengths: Float64Array;
  offsets: Float64Array;
  flags: Uint8Array;
  /** Per file, the `attr` string token or -1. */
  attrTokens: Int32Array;
  /** Per file, the BEP 52 `pieces root` string token or -1. */
  rootTokens?: Int32Array;
}

export class FileTable implements TorrentFiles {
  readonly count: number;
  readonly padCount: number;

  constructor(
    private readonly doc: BencodeDocument,
    private readonly parts: FileTableParts,
  ) {
    this.count = parts.count;
    this.padCount = parts.padCount;
  }

  get(index: number): TorrentFile {
    if (!Number.isInteger(index) || index < 0 || index >= this.count)
      throw new RangeError(`file index ${index} is out of range (0..${this.count - 1})`);
    const p = this.parts;
    const doc = this.doc;
    const length = p.lengths[index];
    const file: TorrentFile = {
      index,
      path: [],
      length,
      offset: p.offsets[index],
      padding: (p.flags[index] & FLAG_PAD) !== 0,
      attributes: p.attrTokens[index] >= 0 ? doc.binary(p.attrTokens[index]) : '',
      token: p.fileTokens[index],
    };
    if (p.layout === 'single') {
      const shown = p.shownNameToken ?? -1;
      file.path = [displayText(doc.bytes(shown >= 0 ? shown : p.pathTokens[index]))];
      if (shown >= 0) file.rawPath = [displayText(doc.bytes(p.pathTokens[index]))];
    } else if (p.layout === 'list') {
      const raw = p.pathTokens[index];
      const utf8 = p.utf8PathTokens ? p.utf8PathTokens[index] : -1;
      if (utf8 >= 0) {
        file.path = listTexts(doc, utf8);
        if (raw >= 0 && doc.isList(raw)) file.rawPath = listTexts(doc, raw);
      } else if (raw >= 0) {
        file.path = listTexts(doc, raw);
      } else {
        // A pad file may leave out its path; libtorrent files it under .pad/<length>.
        file.path = [
          { text: '.pad', utf8: true },
          { text: String(length), utf8: true },
        ];
      }
    } else {
      const keys = p.pathKeys as Int32Array;
      const starts = p.pathStart as Int32Array;
      for (let k = starts[index]; k < starts[index + 1]; k++) file.path.push(displayText(doc.bytes(keys[k])));
    }
    const root = p.rootTokens ? p.rootTokens[index] : -1;
    if (root >= 0) file.piecesRoot = toHex(doc.bytes(root));
    if (p.flags[index] & FLAG_SYMLINK) {
      const dict = p.fileTokens[index];
      const target = doc.get(dict, 'symlink path');
      // Without a target (reported when read), libtorrent makes it an ordinary empty file.
      if (target >= 0 && doc.isList(target) && doc.size(target) > 0) file.symlinkPath = listTexts(doc, target);
    }
    return file;
  }

  /** The torrent's bytes, which `pathElementSpans` points into (the document's `data`). */
  get bytes(): Uint8Array {
    return this.doc.data;
  }

  /**
   * Where file `index`'s path elements lie in `bytes`: the elements `get(index).path` decodes, as
   * `[start, end)` pairs written into `spans` from index 0 (entries past them are left as they were).
   * Returns the number of elements, or -1 for a pad file stored without a path (which `get` names
   * `.pad/<length>`). Nothing is decoded or allocated, so listing every file of a large torrent costs
   * no object per path element.
   */
  pathElementSpans(index: number, spans: number[]): number {
    const p = this.parts;
    const doc = this.doc;
    if (p.layout === 'single') {
      const shown = p.shownNameToken ?? -1;
      setSpan(doc, shown >= 0 ? shown : p.pathTokens[index], spans, 0);
      return 1;
    }
    let n = 0;
    if (p.layout === 'list') {
      const utf8 = p.utf8PathTokens ? p.utf8PathTokens[index] : -1;
      const list = utf8 >= 0 ? utf8 : p.pathTokens[index];
      if (list < 0) return -1;
      const stop = doc.next(list);
      for (let e = list + 1; e < stop; e = doc.next(e)) setSpan(doc, e, spans, n++);
      return n;
    }
    const keys = p.pathKeys as Int32Array;
    const starts = p.pathStart as Int32Array;
    for (let k = starts[index]; k < starts[index + 1]; k++) setSpan(doc, keys[k], spans, n++);
    return n;
  }

  /** `get(index).length`, without building the file. */
  fileLength(index: number): number {
    return this.parts.lengths[index];
  }

  /** `get(index).offset`, without building the file. */
  fileOffset(index: number): number {
    return this.parts.offsets[index];
  }

  /** `get(index).padding`, without building the file. */
  isPadding(index: number): boolean {
    return (this.parts.flags[index] & FLAG_PAD) !== 0;
  }

  /** `get(index).attributes`, without building the file. */
  attributes(index: number): string {
    const attr = this.parts.attrTokens[index];
    return attr >= 0 ? this.doc.binary(attr) : '';
  }

  /** Where the 32 bytes of `get(index).piecesRoot` start in `bytes`, or -1 when the file has none. */
  piecesRootOffset(index: number): number {
    const root = this.parts.rootTokens ? this.parts.rootTokens[index] : -1;
    return root >= 0 ? this.doc.contentStart(root) : -1;
  }

  *[Symbol.iterator](): Iterator<TorrentFile> {
    for (let i = 0; i < this.count; i++) yield this.get(i);
  }
}

/** Element `n`'s span: a byte string's content; anything else reads as an empty element, as in `listTexts`. */
function setSpan(doc: BencodeDocument, token: Token, spans: number[], n: number): void {
  const bytes = doc.isBytes(token);
  spans[2 * n] = bytes ? doc.contentStart(token) : 0;
  spans[2 * n + 1] = bytes ? doc.end(token) : 0;
}

function listTexts(doc: BencodeDocument, list: Token): TorrentText[] {
  const out: TorrentText[] = [];
  const stop = doc.next(list);
  for (let e = list + 1; e < stop; e = doc.next(e)) out.push(doc.isBytes(e) ? displayText(doc.bytes(e)) : { text: '', utf8: true });
  return out;
}
