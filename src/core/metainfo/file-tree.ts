// The v2 files (BEP 52): the `file tree`, walked without recursion into the typed arrays of a
// FileTable; the `piece layers` each larger file needs, hashed up to its pieces root; and, for a hybrid
// torrent, the check that its v1 file list and v2 file tree describe the same files at the same offsets
// (v1 and v2 peers must exchange the same data).

import type { Token } from '../bencode/decode';
import { rootFromPieceLayer } from '../hashing/merkle';
import { bytesEqual, displayText, toHex } from '../text/bytes';
import { attrFlags, FLAG_PAD, FLAG_SYMLINK, type FileTableParts } from './file-table';
import { checkSymlinkTarget, symlinkLength, type V1Files } from './file-list';
import { checkElement, ElementScan, P_NON_ASCII, quoteBytes, sameBytes, sameBytesIgnoringCase } from './paths';
import { INT64_MAX, type ReadContext } from './read-context';
import { formatCount } from '../../shared/format';

export interface TreeFiles {
  parts: FileTableParts;
  total: number;
  bigTotal?: bigint;
  pieceCount: number;
  /** Some file tree key is not ASCII, or some leaf holds other keys (only then can npm `bencode` mangle a key). */
  fileTreeNeedsKeyCheck: boolean;
}

/**
 * Walks the BEP 52 file tree without recursion; files come out in key order, as clients list them.
 * `checkCase`: look for names that differ only in letter case (the v1 file list, when there is one,
 * has the same paths and is checked already).
 */
export function readFileTree(ctx: ReadContext, treeToken: Token, pieceLength: number, checkCase: boolean): TreeFiles {
  const doc = ctx.doc;
  const data = ctx.data;
  if (!doc.isDict(treeToken))
    ctx.fail('file-tree-invalid', `'file tree' is ${ctx.aKind(treeToken)}, not a dictionary`, doc.start(treeToken));
  const fileTokens = new GrowableInt32();
  const pathStart = new GrowableInt32();
  const pathKeys = new GrowableInt32();
  const lengths: number[] = [];
  const rootTokens = new GrowableInt32();
  const attrTokens = new GrowableInt32();
  const flagList: number[] = [];
  let total = 0;
  let bigTotal: bigint | undefined;
  let pieceCount = 0;
  let fileTreeNeedsKeyCheck = false;
  const dictStack: Token[] = [treeToken];
  const posStack: Token[] = [treeToken + 1];
  const keyStack: Token[] = [];
  /** Per open folder: its names so far by case-folded hash, each with whether it is a file. */
  const namesStack: Map<number, { key: Token; file: boolean }[]>[] = [new Map()];
  const elementScan = new ElementScan();
  const location = (last: Token) => `info.file tree/${[...keyStack, last].map((k) => displayText(doc.bytes(k)).text).join('/')}`;

  if (doc.size(treeToken) === 0) ctx.fail('no-files', "'file tree' is empty: the torrent has no files", doc.start(treeToken));
  while (dictStack.length > 0) {
    const level = dictStack.length - 1;
    const dict = dictStack[level];
    const key = posStack[level];
    const stop = doc.next(dict);
    if (key >= stop || doc.next(key) >= stop) {
      dictStack.pop();
      posStack.pop();
      keyStack.pop();
      namesStack.pop();
      continue;
    }
    const node = doc.next(key);
    posStack[level] = doc.next(node);
    if (doc.size(key) === 0) {
      ctx.fail(
        'file-tree-invalid',
        `the file tree holds file data ('' key) beside other entries in one folder; libtorrent refuses this`,
        doc.start(key),
      );
    }
    if (!doc.isDict(node))
      ctx.fail(
        'file-tree-invalid',
        `file tree entry ${quoteBytes(data, doc.contentStart(key), doc.end(key))} is ${ctx.aKind(node)}, not a dictionary`,
        doc.start(node),
      );
    const scan = checkElement(ctx, key, 'file tree name', () => location(key), elementScan);
    if (scan.flags & P_NON_ASCII) fileTreeNeedsKeyCheck = true;
    const leafKey = node + 1;
    const isLeaf = doc.size(node) === 1 && doc.size(leafKey) === 0 && doc.isBytes(leafKey);
    if (checkCase) checkSiblingCase(ctx, namesStack[level], key, scan.hash, isLeaf, location);
    if (!isLeaf) {
      if (doc.size(node) === 0)
        ctx.warn(
          'file-tree-empty-folder',
          `folder ${quoteBytes(data, doc.contentStart(key), doc.end(key))} in the file tree is empty`,
          node,
          location(key),
        );
      dictStack.push(node);
      posStack.push(node + 1);
      keyStack.push(key);
      namesStack.push(new Map());
      continue;
    }
    const meta = doc.next(leafKey);
    if (!doc.isDict(meta))
      ctx.fail('file-tree-invalid', `the file data of ${location(key)} is ${ctx.aKind(meta)}, not a dictionary`, doc.start(meta));
    let fileFlags = 0;
    const attr = doc.get(meta, 'attr');
    if (attr >= 0 && doc.isBytes(attr)) {
      fileFlags = attrFlags(data, doc.contentStart(attr), doc.end(attr));
      if (fileFlags & FLAG_PAD)
        ctx.warn(
          'v2-pad-file',
          `${location(key)} is marked as a pad file, which the v2 file tree does not use (libtorrent refuses it)`,
          attr,
          location(key),
        );
    }
    const lengthToken = doc.get(meta, 'length');
    let length = 0;
    if (fileFlags & FLAG_SYMLINK) {
      const where = location(key);
      symlinkLength(ctx, lengthToken, where, where);
      checkSymlinkTarget(ctx, meta, where, where, (j) => `symlink path[${j}] of ${where}`, elementScan);
    } else if (lengthToken < 0) {
      ctx.fail('file-length-missing', `${location(key)} has no 'length'`, doc.start(meta));
    } else {
      if (!doc.isInt(lengthToken))
        ctx.fail(
          'file-length-not-integer',
          `the length of ${location(key)} is ${ctx.aKind(lengthToken)}, not an integer`,
          doc.start(lengthToken),
        );
      const value = doc.int(lengthToken);
      if (value < 0)
        ctx.fail('negative-length', `the length of ${location(key)} is ${value}: a file length cannot be negative`, doc.start(lengthToken));
      if (typeof value === 'bigint' || total + value > Number.MAX_SAFE_INTEGER || bigTotal !== undefined) {
        bigTotal = (bigTotal ?? BigInt(total)) + BigInt(value);
        if (bigTotal > INT64_MAX)
          ctx.fail(
            'total-length-overflow',
            `the file lengths add up to more than 2^63-1 bytes at ${location(key)}`,
            doc.start(lengthToken),
          );
        length = Number.NaN;
      } else {
        length = value;
      }
    }
    const root = doc.get(meta, 'pieces root');
    const symlink = doc.get(meta, 'symlink path');
    if (doc.size(meta) !== (attr >= 0 ? 1 : 0) + (lengthToken >= 0 ? 1 : 0) + (root >= 0 ? 1 : 0) + (symlink >= 0 ? 1 : 0))
      fileTreeNeedsKeyCheck = true;
    let rootToken = -1;
    if (fileFlags & FLAG_SYMLINK) {
      // A symlink has no data to hash: libtorrent never reads its 'pieces root'.
    } else if (root >= 0) {
      if (!doc.isBytes(root) || doc.size(root) !== 32) {
        ctx.fail(
          'pieces-root-invalid',
          `'pieces root' of ${location(key)} is ${doc.isBytes(root) ? `${doc.size(root)} bytes` : `${ctx.aKind(root)}`}, not a 32-byte SHA-256 hash`,
          doc.start(root),
        );
      }
      rootToken = root;
      if (length > 0 && isAllZeros(data, doc.contentStart(root), doc.end(root))) {
        ctx.warn(
          'pieces-root-zero',
          `the 'pieces root' of ${location(key)} is all zeros, which no data hashes to (libtorrent refuses such a .torrent)`,
          root,
          location(key),
        );
      }
    } else if (length > 0) {
      ctx.fail('pieces-root-missing', `${location(key)} has ${length} bytes but no 'pieces root' (BEP 52)`, doc.start(meta));
    }
    fileTokens.push(meta);
    pathStart.push(pathKeys.length);
    for (const k of keyStack) pathKeys.push(k);
    pathKeys.push(key);
    lengths.push(length);
    rootTokens.push(rootToken);
    attrTokens.push(attr >= 0 && doc.isBytes(attr) ? attr : -1);
    flagList.push(fileFlags);
    if (!Number.isNaN(length)) {
      total += length;
      pieceCount += Math.ceil(length / pieceLength);
    }
  }
  const count = lengths.length;
  if (count === 0) ctx.fail('no-files', 'the file tree has no files', doc.start(treeToken));
  pathStart.push(pathKeys.length);
  const offsets = new Float64Array(count);
  let offset = 0;
  for (let i = 0; i < count; i++) {
    offsets[i] = offset;
    offset += lengths[i];
  }
  const parts: FileTableParts = {
    layout: 'tree',
    count,
    padCount: 0,
    fileTokens: fileTokens.result(),
    pathTokens: new Int32Array(0),
    pathStart: pathStart.result(),
    pathKeys: pathKeys.result(),
    lengths: Float64Array.from(lengths),
    offsets,
    flags: Uint8Array.from(flagList),
    attrTokens: attrTokens.result(),
    rootTokens: rootTokens.result(),
  };
  const result: TreeFiles = { parts, total, pieceCount, fileTreeNeedsKeyCheck };
  if (bigTotal !== undefined) result.bigTotal = bigTotal;
  return result;
}

/**
 * Reports a file tree name that another name in its folder equals once ASCII letter case is ignored,
 * where one of them is a file (two folders merge on disk and lose nothing). `names` holds the folder's
 * names so far by their case-folded hash (`ElementScan.hash`); `hash` is the one of `key`.
 */
function checkSiblingCase(
  ctx: ReadContext,
  names: Map<number, { key: Token; file: boolean }[]>,
  key: Token,
  hash: number,
  file: boolean,
  location: (key: Token) => string,
): void {
  const same = names.get(hash);
  if (!same) {
    names.set(hash, [{ key, file }]);
    return;
  }
  const doc = ctx.doc;
  // Exact repeats are duplicate keys, reported by the decoder.
  const other = same.find((o) => (o.file || file) && !sameBytes(doc, o.key, key) && sameBytesIgnoringCase(doc, o.key, key));
  same.push({ key, file });
  if (!other) return;
  const code = file && other.file ? 'path-duplicate-case' : 'path-collision';
  if (!ctx.log.want(code)) return;
  const what = (isFile: boolean) => (isFile ? 'file' : 'folder');
  ctx.log.push(
    'warning',
    code,
    `${what(file)} ${location(key)} has the same name as ${what(other.file)} ${location(other.key)} once letter case is ignored, as on Windows and macOS file systems and by libtorrent on every system; libtorrent renames the ${file && other.file ? 'second one (adding .1 before the extension)' : 'file'}`,
    doc.start(key),
    location(key),
  );
}

/**
 * BEP 52 hybrid: the v1 list (pad files aside) and the v2 tree must describe the same files in the same
 * order, and the v1 list's pad files must start every file with data where the v2 layout does, on a piece
 * boundary (libtorrent compares the two layouts so).
 */
export function checkHybrid(ctx: ReadContext, v1: V1Files, tree: TreeFiles, pieceLength: number, where: Token): void {
  const doc = ctx.doc;
  const a = v1.parts;
  const b = tree.parts;
  const roots = new Int32Array(a.count).fill(-1);
  a.rootTokens = roots;
  const bKeys = b.pathKeys as Int32Array;
  const bStart = b.pathStart as Int32Array;
  let j = 0;
  /** Where file j starts in the v2 layout, where each file's data starts a piece. */
  let v2Offset = 0;
  let mismatch: string | undefined;
  let misplaced: string | undefined;
  for (let i = 0; i < a.count && mismatch === undefined; i++) {
    if (a.flags[i] & FLAG_PAD) continue;
    if (j >= b.count) {
      mismatch = `info.files[${i}] has no counterpart in the v2 file tree`;
      break;
    }
    if (a.lengths[i] !== b.lengths[j]) {
      mismatch = `info.files[${i}] is ${formatCount(a.lengths[i])} bytes in the v1 list but ${formatCount(b.lengths[j])} in the v2 file tree`;
      break;
    }
    const path = a.layout === 'single' ? a.pathTokens[0] : a.pathTokens[i];
    const elements: Token[] = [];
    if (path >= 0) {
      if (doc.isBytes(path)) elements.push(path);
      else for (let e = path + 1; e < doc.next(path); e = doc.next(e)) elements.push(e);
    }
    const count = bStart[j + 1] - bStart[j];
    let same = elements.length === count;
    for (let k = 0; same && k < count; k++) same = bytesEqual(doc.bytes(elements[k]), doc.bytes(bKeys[bStart[j] + k]));
    if (!same) {
      mismatch = `info.files[${i}] and file ${j + 1} of the v2 file tree have different paths`;
      break;
    }
    // Misplaced data is reported, but the files still pair up by path, so each keeps its v2 root (verify
    // checks both layouts of such a torrent).
    if (a.lengths[i] > 0 && a.offsets[i] !== v2Offset)
      misplaced ??= `info.files[${i}] starts at byte ${formatCount(a.offsets[i])} of the v1 data but at byte ${formatCount(v2Offset)} in the v2 file tree, where every file starts a piece (its pad files are missing or of the wrong size)`;
    roots[i] = (b.rootTokens as Int32Array)[j];
    v2Offset += b.lengths[j];
    j++;
    if (j < b.count) v2Offset = Math.ceil(v2Offset / pieceLength) * pieceLength;
  }
  if (mismatch === undefined && j < b.count)
    mismatch = `the v2 file tree has ${b.count - j} more file${b.count - j === 1 ? '' : 's'} than the v1 list`;
  mismatch ??= misplaced;
  // The v1 data may end with the last file or with a pad file up to the end of its piece.
  const padded = Math.ceil(v2Offset / pieceLength) * pieceLength;
  if (mismatch === undefined && v1.total !== v2Offset && v1.total !== padded)
    mismatch = `the v1 data is ${formatCount(v1.total)} bytes but the v2 file tree's ${formatCount(v2Offset)} (${formatCount(padded)} with its last piece padded)`;
  if (mismatch !== undefined) {
    ctx.warn(
      'hybrid-mismatch',
      `the v1 file list and the v2 file tree of this hybrid torrent disagree: ${mismatch}; v1 and v2 peers would exchange different data (libtorrent refuses such torrents)`,
      where,
      'info',
    );
  }
}

/**
 * BEP 52 piece layers: each file larger than a piece has its layer of SHA-256 hashes, which must hash up
 * to its pieces root; an entry for anything else is a stray. Returns the entry count.
 */
export function checkPieceLayers(ctx: ReadContext, layersToken: Token, tree: TreeFiles, pieceLength: number): number {
  const doc = ctx.doc;
  const p = tree.parts;
  const roots = p.rootTokens as Int32Array;
  // The files that need a layer, by pieces root (files with the same content share one layer).
  const needing = new Map<string, number>();
  for (let i = 0; i < p.count; i++) {
    if (p.lengths[i] > pieceLength && roots[i] >= 0) {
      const root = doc.binary(roots[i]);
      if (!needing.has(root)) needing.set(root, i);
    }
  }
  if (layersToken < 0) {
    if (needing.size > 0)
      ctx.warn(
        'piece-layers-missing',
        "the torrent has no 'piece layers' although some files are larger than a piece: clients must get the v2 piece hashes of those files from peers before they can check them (libtorrent loads it, as it loads a magnet link)",
        0,
        undefined,
      );
    return 0;
  }
  if (!doc.isDict(layersToken)) {
    ctx.warn(
      'piece-layers-invalid',
      `'piece layers' is ${ctx.aKind(layersToken)}, not a dictionary; ignored (as libtorrent does)`,
      layersToken,
      'piece layers',
    );
    return 0;
  }
  const layers = new Map<string, Token>();
  for (const [k, v] of doc.entries(layersToken)) {
    if (doc.size(k) !== 32 || !doc.isBytes(v) || doc.size(v) % 32 !== 0) {
      ctx.warn(
        'piece-layers-invalid',
        `a 'piece layers' entry is not a 32-byte root with a string of 32-byte hashes; libtorrent refuses such a .torrent`,
        k,
        'piece layers',
      );
      continue;
    }
    const root = doc.binary(k);
    if (!needing.has(root)) {
      if (ctx.log.want('piece-layer-orphan')) {
        ctx.log.push(
          'warning',
          'piece-layer-orphan',
          `the 'piece layers' entry for ${toHex(doc.bytes(k))} is not the pieces root of any file larger than a piece; libtorrent 2.0.8 and older ignore it; 2.0.9 and later refuse such a .torrent`,
          doc.start(k),
          'piece layers',
        );
      }
      continue;
    }
    if (!layers.has(root)) layers.set(root, v);
  }
  let hashBudget = MAX_LAYER_HASHES_CHECKED;
  let unchecked = 0;
  for (const [root, i] of needing) {
    const length = p.lengths[i];
    const layer = layers.get(root);
    const pieces = Math.ceil(length / pieceLength);
    if (layer === undefined) {
      if (ctx.log.want('piece-layer-missing')) {
        ctx.log.push(
          'warning',
          'piece-layer-missing',
          `'piece layers' has no entry for the pieces root of file ${i + 1} (${formatCount(length)} bytes); libtorrent loads the torrent and gets that file's piece hashes from peers`,
          doc.start(roots[i]),
          `files[${i}]`,
        );
      }
    } else if (doc.size(layer) !== pieces * 32) {
      if (ctx.log.want('piece-layer-size')) {
        ctx.log.push(
          'warning',
          'piece-layer-size',
          `the piece layer of file ${i + 1} is ${doc.size(layer)} bytes; ${formatCount(length)} bytes in pieces of ${pieceLength} need ${pieces * 32} (libtorrent refuses it)`,
          doc.start(layer),
          'piece layers',
        );
      }
    } else if (pieces > hashBudget) {
      unchecked += pieces;
    } else {
      hashBudget -= pieces;
      const computed = rootFromPieceLayer(ctx.data.subarray(doc.contentStart(layer), doc.end(layer)), pieces, pieceLength);
      if (!bytesEqual(computed, doc.bytes(roots[i])) && ctx.log.want('piece-layer-root')) {
        ctx.log.push(
          'warning',
          'piece-layer-root',
          `the piece layer of file ${i + 1} (${fileLocation(ctx, p, i)}, ${formatCount(pieces)} pieces) does not hash to its pieces root: the layer or the root is wrong, and no data matches both (libtorrent refuses such a .torrent)`,
          doc.start(layer),
          'piece layers',
        );
      }
    }
  }
  if (unchecked > 0) {
    ctx.note(
      'piece-layers-unchecked',
      `${formatCount(unchecked)} piece layer hashes were not checked against their pieces roots: after the first ${formatCount(MAX_LAYER_HASHES_CHECKED)}, checking takes longer than reading the torrent should`,
      layersToken,
      'piece layers',
    );
  }
  return doc.size(layersToken);
}

/**
 * Piece layer hashes checked against their roots per read: about one SHA-256 of 64 bytes each, so a few
 * milliseconds for most torrents, and a bounded time for torrents with millions of pieces.
 */
const MAX_LAYER_HASHES_CHECKED = 1 << 14;

/** File `i` of a file tree, as the diagnostics of the tree name it. */
function fileLocation(ctx: ReadContext, p: FileTableParts, i: number): string {
  const keys = p.pathKeys as Int32Array;
  const starts = p.pathStart as Int32Array;
  const names: string[] = [];
  for (let k = starts[i]; k < starts[i + 1]; k++) names.push(displayText(ctx.doc.bytes(keys[k])).text);
  return `info.file tree/${names.join('/')}`;
}

function isAllZeros(data: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (data[i] !== 0) return false;
  return true;
}

/** An Int32Array that grows as values are pushed: the tree's size is known only once it is walked. */
class GrowableInt32 {
  private buffer = new Int32Array(64);
  length = 0;
  push(value: number): void {
    if (this.length === this.buffer.length) {
      const next = new Int32Array(this.buffer.length * 2);
      next.set(this.buffer);
      this.buffer = next;
    }
    this.buffer[this.length++] = value;
  }
  result(): Int32Array {
    return this.buffer.slice(0, this.length);
  }
}
