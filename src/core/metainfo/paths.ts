// Checks of file names and path elements, done on the raw bytes in place: a torrent with 100,000
// files is validated without making a string per file. Also finds duplicate paths and files that are
// also folders, with a hash table over (parent folder, element bytes), linear in the size of the paths:
// `scanPathElement` hashes each element as it checks it, and the path hash is extended element by element.

import type { BencodeDocument, Token } from '../bencode/decode';
import { bytesToBinary } from '../text/bytes';
import { visibleText } from '../text/display';
import type { DiagnosticLog } from './diagnostics';
import type { ReadContext } from './read-context';
import { formatCount } from '../../shared/format';

const P_EMPTY = 1 << 0;
const P_DOT = 1 << 1;
const P_DOTDOT = 1 << 2;
const P_SLASH = 1 << 3;
const P_BACKSLASH = 1 << 4;
const P_ABSOLUTE = 1 << 5;
const P_DRIVE = 1 << 6;
const P_NUL = 1 << 7;
export const P_CONTROL = 1 << 8;
const P_RESERVED = 1 << 9;
const P_TRAILING = 1 << 10;
const P_TOO_LONG = 1 << 11;
const P_NOT_UTF8 = 1 << 12;
const P_BIDI = 1 << 13;
const P_WINDOWS_CHAR = 1 << 14;
const P_DOTDOT_INSIDE = 1 << 15;

/** Longest file name most file systems accept, in bytes. */
const MAX_NAME_BYTES = 255;

/** Some byte is >= 0x80. Not a defect (never reported); callers use it to know the text is not ASCII. */
export const P_NON_ASCII = 1 << 16;

/** Per byte, the flags it raises wherever it appears in an element. */
const BYTE_FLAGS = (() => {
  const table = new Uint32Array(256);
  for (let b = 1; b < 0x20; b++) table[b] = P_CONTROL;
  table[0] = P_NUL;
  table[0x7f] = P_CONTROL;
  table[0x2f] = P_SLASH;
  table[0x5c] = P_BACKSLASH;
  for (const c of '<>:"|?*') table[c.charCodeAt(0)] = P_WINDOWS_CHAR;
  for (let b = 0x80; b < 0x100; b++) table[b] = P_NON_ASCII;
  return table;
})();

/** ASCII letters folded to lower case: libtorrent finds duplicate paths ignoring ASCII case, on every system. */
const FOLD = (() => {
  const table = new Uint8Array(256);
  for (let b = 0; b < 256; b++) table[b] = b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
  return table;
})();

const RESERVED_NAMES = new Set([
  'CON',
  'PRN',
  'AUX',
  'NUL',
  'COM0',
  'COM1',
  'COM2',
  'COM3',
  'COM4',
  'COM5',
  'COM6',
  'COM7',
  'COM8',
  'COM9',
  'LPT0',
  'LPT1',
  'LPT2',
  'LPT3',
  'LPT4',
  'LPT5',
  'LPT6',
  'LPT7',
  'LPT8',
  'LPT9',
]);

// FNV-1a with a per-process offset basis: collisions crafted into a torrent do not carry over to the
// hashes this process computes, so hostile paths cannot force the slow byte comparisons.
const FNV_OFFSET = (0x811c9dc5 ^ Math.floor(Math.random() * 0x100000000)) | 0;
const FNV_PRIME = 0x01000193;

/** Start value of a path hash (the empty path); extend it with `extendPathHash`. */
export const PATH_HASH_START = (0x2545f491 ^ Math.floor(Math.random() * 0x100000000)) | 0;

/** The hash of a path one element longer than the path hashed by `pathHash`. */
export function extendPathHash(pathHash: number, elementHash: number): number {
  let h = Math.imul(pathHash ^ elementHash, 0x9e3779b1);
  h ^= h >>> 15;
  return Math.imul(h, 0x85ebca6b) ^ (h >>> 13);
}

/**
 * What `scanPathElement` finds in one path element (or a name). A loop over many elements fills the
 * same one each time, so scanning allocates nothing per element.
 */
export class ElementScan {
  /** The P_* flags; 0 means unremarkable. */
  flags = 0;
  /**
   * FNV-1a of the bytes with ASCII letters folded to lower case, so names that differ only in case
   * meet: for `extendPathHash` and for tables of names.
   */
  hash = 0;
}

/** Scans one path element (or a name) held in `data[start, end)` into `scan`, and returns it. */
export function scanPathElement(data: Uint8Array, start: number, end: number, scan: ElementScan): ElementScan {
  const length = end - start;
  let flags = 0;
  let h = FNV_OFFSET;
  // One pass over the bytes for both: the flags of each byte, and the hash (over 16-bit units: half
  // the multiplications in its dependency chain). A second pass for the hash, or both packed into one
  // returned number (which V8 boxes), costs 2-3% of reading a 100,000-file torrent.
  let i = start;
  for (; i + 1 < end; i += 2) {
    const a = data[i];
    const b = data[i + 1];
    flags |= BYTE_FLAGS[a] | BYTE_FLAGS[b];
    h = Math.imul(h ^ (FOLD[a] | (FOLD[b] << 8)), FNV_PRIME);
  }
  if (i < end) {
    flags |= BYTE_FLAGS[data[i]];
    h = Math.imul(h ^ FOLD[data[i]], FNV_PRIME);
  }
  scan.hash = h;
  if (length === 0) {
    flags = P_EMPTY;
  } else if (data[start] === 0x2e && (length === 1 || (length === 2 && data[start + 1] === 0x2e))) {
    flags = length === 1 ? P_DOT : P_DOTDOT;
  } else {
    const first = data[start];
    const last = data[end - 1];
    if (first === 0x2f || first === 0x5c) flags |= P_ABSOLUTE;
    if (length >= 2 && data[start + 1] === 0x3a && (first | 0x20) >= 0x61 && (first | 0x20) <= 0x7a) flags |= P_DRIVE;
    if ((flags & (P_SLASH | P_BACKSLASH)) !== 0 && hasDotDotSegment(data, start, end)) flags |= P_DOTDOT_INSIDE;
    if (last === 0x2e || last === 0x20) flags |= P_TRAILING;
    if (length > MAX_NAME_BYTES) flags |= P_TOO_LONG;
    // Device names have a 3- or 4-letter stem: look closer only when the element could be one.
    if (length === 3 || length === 4 || stemEndsAt(data, start + 3, end) || stemEndsAt(data, start + 4, end)) {
      if (isReservedDeviceName(data, start, end)) flags |= P_RESERVED;
    }
    if (flags & P_NON_ASCII) flags |= scanNonAscii(data, start, end);
  }
  scan.flags = flags;
  return scan;
}

function stemEndsAt(data: Uint8Array, i: number, end: number): boolean {
  return i < end && (data[i] === 0x2e || data[i] === 0x20);
}

/** Whether splitting at '/' or '\' gives a '..' segment. */
function hasDotDotSegment(data: Uint8Array, start: number, end: number): boolean {
  let segmentStart = start;
  for (let i = start; i <= end; i++) {
    if (i === end || data[i] === 0x2f || data[i] === 0x5c) {
      if (i - segmentStart === 2 && data[segmentStart] === 0x2e && data[segmentStart + 1] === 0x2e) return true;
      segmentStart = i + 1;
    }
  }
  return false;
}

/** CON, aux.txt, Nul.tar.gz …: Windows maps these names to devices whatever the extension. */
function isReservedDeviceName(data: Uint8Array, start: number, end: number): boolean {
  let stem = start;
  while (stem < end && data[stem] !== 0x2e) stem++;
  // Windows ignores trailing spaces before the extension, too ("CON .txt").
  let stemEnd = stem;
  while (stemEnd > start && data[stemEnd - 1] === 0x20) stemEnd--;
  const length = stemEnd - start;
  if (length !== 3 && length !== 4) return false;
  let upper = '';
  for (let i = start; i < stemEnd; i++) upper += String.fromCharCode(data[i] >= 0x61 && data[i] <= 0x7a ? data[i] - 0x20 : data[i]);
  return RESERVED_NAMES.has(upper);
}

/**
 * Validates UTF-8 strictly (no overlong forms, surrogates or code points past U+10FFFF: C0 AF is never
 * read as '/') and looks for C1 controls and bidirectional controls.
 */
function scanNonAscii(data: Uint8Array, start: number, end: number): number {
  let flags = 0;
  let i = start;
  while (i < end) {
    const b = data[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let cp: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      cp = b & 0x1f;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      cp = b & 0x0f;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      cp = b & 0x07;
      min = 0x10000;
    } else {
      return flags | P_NOT_UTF8;
    }
    if (i + need >= end) return flags | P_NOT_UTF8;
    for (let k = 1; k <= need; k++) {
      const c = data[i + k];
      if ((c & 0xc0) !== 0x80) return flags | P_NOT_UTF8;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return flags | P_NOT_UTF8;
    if (cp >= 0x80 && cp <= 0x9f) flags |= P_CONTROL;
    else if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp === 0x200e || cp === 0x200f || cp === 0x061c)
      flags |= P_BIDI;
    i += need + 1;
  }
  return flags;
}

/** Whether `data[start, end)` is valid UTF-8 (strict, as above). */
export function isValidUtf8(data: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (data[i] >= 0x80) return (scanNonAscii(data, i, end) & P_NOT_UTF8) === 0;
  return true;
}

/** A byte string from the torrent, quoted for a message: escaped, and cut when long. */
export function quoteBytes(data: Uint8Array, start: number, end: number, max = 60): string {
  const cut = end - start > max * 4;
  const stop = cut ? start + max * 4 : end;
  let text = isValidUtf8(data, start, stop) ? new TextDecoder().decode(data.subarray(start, stop)) : bytesToBinary(data, start, stop);
  let shortened = cut;
  if (text.length > max) {
    text = text.slice(0, max);
    shortened = true;
  }
  return `'${visibleText(text)}${shortened ? '…' : ''}'`;
}

/**
 * Reports the flags of one element as diagnostics. `what` names it for the message ("path element",
 * "name"); `location` is where it sits (`info.files[3].path[1]`).
 */
export function reportPathFlags(
  log: DiagnosticLog,
  flags: number,
  data: Uint8Array,
  start: number,
  end: number,
  what: string,
  location: string,
  offset: number,
): void {
  const quoted = () => quoteBytes(data, start, end);
  if (flags & P_DOTDOT && log.want('path-traversal')) {
    log.push(
      'warning',
      'path-traversal',
      `${what} is '..': it points out of the download folder (path traversal); libtorrent drops such elements`,
      offset,
      location,
    );
  }
  if (flags & P_DOTDOT_INSIDE && log.want('path-traversal')) {
    log.push(
      'warning',
      'path-traversal',
      `${what} ${quoted()} holds '..' between separators: a tool that splits it at the separators leaves the download folder (path traversal)`,
      offset,
      location,
    );
  }
  if (flags & P_ABSOLUTE && log.want('path-absolute')) {
    log.push('warning', 'path-absolute', `${what} ${quoted()} starts with a separator: an absolute path`, offset, location);
  }
  if (flags & P_DRIVE && log.want('path-absolute')) {
    log.push(
      'warning',
      'path-absolute',
      `${what} ${quoted()} starts with a Windows drive letter: an absolute path on Windows`,
      offset,
      location,
    );
  }
  if (flags & (P_SLASH | P_BACKSLASH) && log.want('path-separator')) {
    const which = flags & P_SLASH ? (flags & P_BACKSLASH ? "'/' and '\\'" : "'/'") : "'\\' (the separator on Windows)";
    log.push(
      'warning',
      'path-separator',
      `${what} ${quoted()} contains ${which} inside one element; libtorrent removes the separators instead of making folders`,
      offset,
      location,
    );
  }
  if (flags & P_EMPTY && log.want('path-empty-element')) {
    log.push('warning', 'path-empty-element', `${what} is empty; libtorrent replaces it with '_'`, offset, location);
  }
  if (flags & P_DOT && log.want('path-dot-element')) {
    log.push('warning', 'path-dot-element', `${what} is '.'; libtorrent drops it`, offset, location);
  }
  if (flags & P_NUL && log.want('path-nul')) {
    log.push('warning', 'path-nul', `${what} ${quoted()} contains a NUL byte: tools written in C cut the name there`, offset, location);
  }
  if (flags & P_CONTROL && log.want('control-characters')) {
    log.push(
      'warning',
      'control-characters',
      `${what} ${quoted()} contains control characters (shown escaped); libtorrent replaces those below U+0020 with '_' and keeps DEL and U+0080–U+009F`,
      offset,
      location,
    );
  }
  if (flags & P_BIDI && log.want('bidi-control')) {
    log.push(
      'warning',
      'bidi-control',
      `${what} ${quoted()} contains Unicode direction controls (such as U+202E) that can disguise a file's real extension; libtorrent removes U+202A–U+202E, U+200E and U+200F but keeps U+2066–U+2069 and U+061C`,
      offset,
      location,
    );
  }
  if (flags & P_NOT_UTF8 && log.want('not-utf8')) {
    log.push(
      'warning',
      'not-utf8',
      `${what} ${quoted()} is not valid UTF-8; shown as latin-1, never decoded leniently (libtorrent replaces invalid bytes with '_')`,
      offset,
      location,
    );
  }
  if (flags & P_TOO_LONG && log.want('name-too-long')) {
    log.push(
      'warning',
      'name-too-long',
      `${what} ${quoted()} is ${formatCount(end - start)} bytes long; file systems allow ${MAX_NAME_BYTES} (libtorrent shortens it to 240 bytes, keeping the extension)`,
      offset,
      location,
    );
  }
  if (flags & P_RESERVED && log.want('windows-reserved-name')) {
    log.push(
      'warning',
      'windows-reserved-name',
      `${what} ${quoted()} is a reserved device name on Windows and cannot be created there`,
      offset,
      location,
    );
  }
  if (flags & P_TRAILING && log.want('windows-trailing-dot')) {
    log.push(
      'warning',
      'windows-trailing-dot',
      `${what} ${quoted()} ends with a dot or a space, which Windows strips (the file gets another name there)`,
      offset,
      location,
    );
  }
  if (flags & P_WINDOWS_CHAR && log.want('windows-invalid-character', 'info')) {
    log.push(
      'info',
      'windows-invalid-character',
      `${what} ${quoted()} contains characters Windows does not allow in file names (< > : " | ? *)`,
      offset,
      location,
    );
  }
}

/**
 * Checks one name or path element held in a string token and reports what is wrong with it; returns
 * `scan`, filled. `location` may be a function: it is only needed when there is something to report.
 */
export function checkElement(
  ctx: ReadContext,
  token: Token,
  what: string,
  location: string | (() => string),
  scan: ElementScan,
): ElementScan {
  const doc = ctx.doc;
  const start = doc.contentStart(token);
  const end = doc.end(token);
  const flags = scanPathElement(ctx.data, start, end, scan).flags;
  if (flags !== 0)
    reportPathFlags(ctx.log, flags, ctx.data, start, end, what, typeof location === 'string' ? location : location(), doc.start(token));
  return scan;
}

/**
 * How a later path clashes with an earlier one: the same path, or one names as a file what the other
 * needs as a folder: `file-is-folder` when the later path is the file, `folder-is-file` when it is the
 * one that goes through the folder.
 */
export type PathClashKind = 'duplicate' | 'file-is-folder' | 'folder-is-file';

/** Same-hash entries compared byte by byte for one path before the check gives up on it (hostile collisions). */
const MAX_COMPARES_PER_PATH = 16;

export interface PathClash {
  /** The later file, whose path clashes. */
  file: number;
  /** The earlier file it clashes with. */
  other: number;
  kind: PathClashKind;
  /** The paths are the same only when ASCII letter case is ignored (as libtorrent and Windows and macOS file systems do). */
  caseOnly: boolean;
}

/**
 * Finds duplicate paths and files that are also folders, ignoring ASCII letter case as libtorrent does
 * (`resolve_duplicate_filenames`), from path hashes computed as the paths go by (`extendPathHash`). Folders go into a small table that stays in cache (torrents have far fewer folders
 * than files); file hashes go into a flat array that is radix-sorted at the end, so the common case
 * costs no random memory access per file. Bytes are compared only where a file meets an equal hash.
 * Two folders with equal hashes are taken as the same folder, which can hide nothing: a clash always
 * involves a file.
 */
export class PathClashFinder {
  /** Folder table: pairs of (path hash, owner file + 1); depth of each folder's path per slot. */
  private folderSlots: Int32Array;
  private folderDepths: Int32Array;
  private folderMask: number;
  private folderCount = 0;
  /** Per file, its path hash; files never added keep `included` 0. */
  private readonly fileHashes: Int32Array;
  private readonly included: Uint8Array;
  /** Set when hostile hash collisions made the check skip comparisons. */
  incomplete = false;

  constructor(
    private readonly doc: BencodeDocument,
    private readonly fileCount: number,
    /** The path list of file `i`, as the hashes were computed from it. */
    private readonly pathOf: (file: number) => Token,
  ) {
    this.folderSlots = new Int32Array(2 * 256);
    this.folderDepths = new Int32Array(256);
    this.folderMask = 255;
    this.fileHashes = new Int32Array(fileCount);
    this.included = new Uint8Array(fileCount);
  }

  /** Records that file `file` lies in the folder made of its first `depth` path elements. */
  addFolder(hash: number, file: number, depth: number): void {
    const slots = this.folderSlots;
    let slot = (hash ^ (hash >>> 16)) & this.folderMask;
    for (;;) {
      const owner = slots[2 * slot + 1];
      if (owner === 0) break;
      if (slots[2 * slot] === hash) return;
      slot = (slot + 1) & this.folderMask;
    }
    slots[2 * slot] = hash;
    slots[2 * slot + 1] = file + 1;
    this.folderDepths[slot] = depth;
    if (++this.folderCount > (this.folderMask + 1) * 0.6) this.growFolders();
  }

  addFile(hash: number, file: number): void {
    this.fileHashes[file] = hash;
    this.included[file] = 1;
  }

  /** Every clash, ordered by file. */
  finish(): PathClash[] {
    const clashes: PathClash[] = [];
    const n = this.fileCount;
    // Files that are folders of other files.
    for (let file = 0; file < n; file++) {
      if (!this.included[file]) continue;
      const hash = this.fileHashes[file];
      let slot = (hash ^ (hash >>> 16)) & this.folderMask;
      let compares = 0;
      for (;;) {
        const owner = this.folderSlots[2 * slot + 1];
        if (owner === 0) break;
        if (this.folderSlots[2 * slot] === hash) {
          if (compares++ >= MAX_COMPARES_PER_PATH) {
            this.incomplete = true;
            break;
          }
          const folderFile = owner - 1;
          const same = this.samePath(file, -1, folderFile, this.folderDepths[slot]);
          if (same !== SAME_NOT) {
            const caseOnly = same === SAME_IGNORING_CASE;
            clashes.push(
              folderFile > file
                ? { file: folderFile, other: file, kind: 'folder-is-file', caseOnly }
                : { file, other: folderFile, kind: 'file-is-folder', caseOnly },
            );
            break;
          }
        }
        slot = (slot + 1) & this.folderMask;
      }
    }
    // Files with the same path: sort by hash (stable, so earlier files come first in each run).
    const order = this.sortedByHash();
    for (let start = 0; start < order.length;) {
      let end = start + 1;
      const hash = this.fileHashes[order[start]];
      while (end < order.length && this.fileHashes[order[end]] === hash) end++;
      for (let k = start + 1; k < end; k++) {
        const file = order[k];
        for (let earlier = start, compares = 0; earlier < k; earlier++) {
          if (compares++ >= MAX_COMPARES_PER_PATH) {
            this.incomplete = true;
            break;
          }
          const same = this.samePath(file, -1, order[earlier], -1);
          if (same !== SAME_NOT) {
            clashes.push({ file, other: order[earlier], kind: 'duplicate', caseOnly: same === SAME_IGNORING_CASE });
            break;
          }
        }
      }
      start = end;
    }
    return clashes.sort((a, b) => a.file - b.file);
  }

  /** Indexes of the included files, ordered by path hash: a stable LSD radix sort, three 11-bit passes (cache-sized buckets). */
  private sortedByHash(): Int32Array {
    const n = this.fileCount;
    let count = 0;
    for (let i = 0; i < n; i++) count += this.included[i];
    let order = new Int32Array(count);
    let keys = new Int32Array(count);
    for (let i = 0, k = 0; i < n; i++) {
      if (!this.included[i]) continue;
      order[k] = i;
      keys[k++] = this.fileHashes[i];
    }
    let spareOrder = new Int32Array(count);
    let spareKeys = new Int32Array(count);
    const buckets = new Int32Array(2048);
    for (let shift = 0; shift < 32; shift += 11) {
      buckets.fill(0);
      for (let k = 0; k < count; k++) buckets[(keys[k] >>> shift) & 2047]++;
      for (let b = 0, sum = 0; b < 2048; b++) {
        const c = buckets[b];
        buckets[b] = sum;
        sum += c;
      }
      for (let k = 0; k < count; k++) {
        const at = buckets[(keys[k] >>> shift) & 2047]++;
        spareOrder[at] = order[k];
        spareKeys[at] = keys[k];
      }
      [order, spareOrder] = [spareOrder, order];
      [keys, spareKeys] = [spareKeys, keys];
    }
    return order;
  }

  /** How the first `aDepth` elements of file a's path (-1: all) compare with the first `bDepth` of file b's: a SAME_* value. */
  private samePath(a: number, aDepth: number, b: number, bDepth: number): number {
    const doc = this.doc;
    const aList = this.pathOf(a);
    const bList = this.pathOf(b);
    const aCount = aDepth < 0 ? doc.size(aList) : aDepth;
    const bCount = bDepth < 0 ? doc.size(bList) : bDepth;
    if (aCount !== bCount) return SAME_NOT;
    let result = SAME_EXACTLY;
    let x = aList + 1;
    let y = bList + 1;
    for (let k = 0; k < aCount; k++, x = doc.next(x), y = doc.next(y)) {
      if (sameBytes(doc, x, y)) continue;
      if (!sameBytesIgnoringCase(doc, x, y)) return SAME_NOT;
      result = SAME_IGNORING_CASE;
    }
    return result;
  }

  private growFolders(): void {
    const oldSlots = this.folderSlots;
    const oldDepths = this.folderDepths;
    const size = (this.folderMask + 1) * 2;
    this.folderSlots = new Int32Array(size * 2);
    this.folderDepths = new Int32Array(size);
    this.folderMask = size - 1;
    for (let old = 0; old < oldDepths.length; old++) {
      const owner = oldSlots[2 * old + 1];
      if (owner === 0) continue;
      const hash = oldSlots[2 * old];
      let slot = (hash ^ (hash >>> 16)) & this.folderMask;
      while (this.folderSlots[2 * slot + 1] !== 0) slot = (slot + 1) & this.folderMask;
      this.folderSlots[2 * slot] = hash;
      this.folderSlots[2 * slot + 1] = owner;
      this.folderDepths[slot] = oldDepths[old];
    }
  }
}

const SAME_NOT = 0;
const SAME_EXACTLY = 1;
const SAME_IGNORING_CASE = 2;

/** Whether two byte-string tokens hold the same bytes once ASCII letters are folded to lower case. */
export function sameBytesIgnoringCase(doc: BencodeDocument, a: Token, b: Token): boolean {
  const aStart = doc.contentStart(a);
  const bStart = doc.contentStart(b);
  const length = doc.end(a) - aStart;
  if (doc.end(b) - bStart !== length) return false;
  const data = doc.data;
  for (let i = 0; i < length; i++) if (FOLD[data[aStart + i]] !== FOLD[data[bStart + i]]) return false;
  return true;
}

/** Whether two byte-string tokens hold the same bytes. */
export function sameBytes(doc: BencodeDocument, a: Token, b: Token): boolean {
  const aStart = doc.contentStart(a);
  const bStart = doc.contentStart(b);
  const length = doc.end(a) - aStart;
  if (doc.end(b) - bStart !== length) return false;
  const data = doc.data;
  for (let i = 0; i < length; i++) if (data[aStart + i] !== data[bStart + i]) return false;
  return true;
}
