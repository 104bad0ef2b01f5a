// Checks of file names and path elements, done on the raw bytes in place: a torrent with 100,000
// files is validated without making a string per file. Also finds duplicate paths and files that are
// also folders, with a hash table over (parent folder, element bytes), linear in the size of the paths.

import type { BencodeDocument, Token } from './bencode';
import { bytesToBinary, escapeControlChars } from './bytes';
import type { DiagnosticLog } from './metainfo-diagnostics';

export const P_EMPTY = 1 << 0;
export const P_DOT = 1 << 1;
export const P_DOTDOT = 1 << 2;
export const P_SLASH = 1 << 3;
export const P_BACKSLASH = 1 << 4;
export const P_ABSOLUTE = 1 << 5;
export const P_DRIVE = 1 << 6;
export const P_NUL = 1 << 7;
export const P_CONTROL = 1 << 8;
export const P_RESERVED = 1 << 9;
export const P_TRAILING = 1 << 10;
export const P_TOO_LONG = 1 << 11;
export const P_NOT_UTF8 = 1 << 12;
export const P_BIDI = 1 << 13;
export const P_WINDOWS_CHAR = 1 << 14;
export const P_DOTDOT_INSIDE = 1 << 15;

/** Longest file name most file systems accept, in bytes. */
export const MAX_NAME_BYTES = 255;

/** Per ASCII byte, the flags it raises wherever it appears in an element. */
const ASCII_FLAGS = (() => {
  const table = new Uint16Array(128);
  for (let b = 1; b < 0x20; b++) table[b] = P_CONTROL;
  table[0] = P_NUL;
  table[0x7f] = P_CONTROL;
  table[0x2f] = P_SLASH;
  table[0x5c] = P_BACKSLASH;
  for (const c of '<>:"|?*') table[c.charCodeAt(0)] = P_WINDOWS_CHAR;
  return table;
})();

const RESERVED_NAMES = new Set(['CON', 'PRN', 'AUX', 'NUL', 'COM0', 'COM1', 'COM2', 'COM3', 'COM4', 'COM5', 'COM6', 'COM7', 'COM8', 'COM9', 'LPT0', 'LPT1', 'LPT2', 'LPT3', 'LPT4', 'LPT5', 'LPT6', 'LPT7', 'LPT8', 'LPT9']);

/** The P_* flags of one path element (or a name) held in `data[start, end)`. 0 means unremarkable. */
export function scanPathElement(data: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length === 0) return P_EMPTY;
  let flags = 0;
  let high = false;
  for (let i = start; i < end; i++) {
    const b = data[i];
    if (b < 0x80) flags |= ASCII_FLAGS[b];
    else high = true;
  }
  const first = data[start];
  const last = data[end - 1];
  if (first === 0x2e && (length === 1 || (length === 2 && data[start + 1] === 0x2e))) return length === 1 ? P_DOT : P_DOTDOT;
  if (first === 0x2f || first === 0x5c) flags |= P_ABSOLUTE;
  if (length >= 2 && data[start + 1] === 0x3a && ((first | 0x20) >= 0x61 && (first | 0x20) <= 0x7a)) flags |= P_DRIVE;
  if ((flags & (P_SLASH | P_BACKSLASH)) !== 0 && hasDotDotSegment(data, start, end)) flags |= P_DOTDOT_INSIDE;
  if (last === 0x2e || last === 0x20) flags |= P_TRAILING;
  if (length > MAX_NAME_BYTES) flags |= P_TOO_LONG;
  if (isReservedDeviceName(data, start, end)) flags |= P_RESERVED;
  if (high) flags |= scanNonAscii(data, start, end);
  return flags;
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
    else if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp === 0x200e || cp === 0x200f || cp === 0x061c) flags |= P_BIDI;
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
  return `'${escapeControlChars(text).replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`)}${shortened ? '…' : ''}'`;
}

/**
 * Reports the flags of one element as diagnostics. `what` names it for the message ("path element",
 * "name"); `location` is where it sits (`info.files[3].path[1]`).
 */
export function reportPathFlags(log: DiagnosticLog, flags: number, data: Uint8Array, start: number, end: number, what: string, location: string, offset: number): void {
  const quoted = () => quoteBytes(data, start, end);
  if (flags & P_DOTDOT && log.want('path-traversal')) {
    log.push('warning', 'path-traversal', `${what} is '..': it points out of the download folder (path traversal); libtorrent drops such elements`, offset, location);
  }
  if (flags & P_DOTDOT_INSIDE && log.want('path-traversal')) {
    log.push('warning', 'path-traversal', `${what} ${quoted()} holds '..' between separators: a tool that splits it at the separators leaves the download folder (path traversal)`, offset, location);
  }
  if (flags & P_ABSOLUTE && log.want('path-absolute')) {
    log.push('warning', 'path-absolute', `${what} ${quoted()} starts with a separator: an absolute path`, offset, location);
  }
  if (flags & P_DRIVE && log.want('path-absolute')) {
    log.push('warning', 'path-absolute', `${what} ${quoted()} starts with a Windows drive letter: an absolute path on Windows`, offset, location);
  }
  if (flags & (P_SLASH | P_BACKSLASH) && log.want('path-separator')) {
    const which = flags & P_SLASH ? (flags & P_BACKSLASH ? "'/' and '\\'" : "'/'") : "'\\' (the separator on Windows)";
    log.push('warning', 'path-separator', `${what} ${quoted()} contains ${which} inside one element; libtorrent removes the separators instead of making folders`, offset, location);
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
    log.push('warning', 'control-characters', `${what} ${quoted()} contains control characters (shown escaped); libtorrent replaces them with '_'`, offset, location);
  }
  if (flags & P_BIDI && log.want('bidi-control')) {
    log.push('warning', 'bidi-control', `${what} ${quoted()} contains Unicode direction controls (such as U+202E) that can disguise a file's real extension; libtorrent removes them`, offset, location);
  }
  if (flags & P_NOT_UTF8 && log.want('not-utf8')) {
    log.push('warning', 'not-utf8', `${what} ${quoted()} is not valid UTF-8; shown as latin-1, never decoded leniently (libtorrent replaces invalid bytes with '_')`, offset, location);
  }
  if (flags & P_TOO_LONG && log.want('name-too-long')) {
    log.push('warning', 'name-too-long', `${what} ${quoted()} is ${(end - start).toLocaleString('en-US')} bytes long; file systems allow ${MAX_NAME_BYTES} (libtorrent shortens it to 240 bytes, keeping the extension)`, offset, location);
  }
  if (flags & P_RESERVED && log.want('windows-reserved-name')) {
    log.push('warning', 'windows-reserved-name', `${what} ${quoted()} is a reserved device name on Windows and cannot be created there`, offset, location);
  }
  if (flags & P_TRAILING && log.want('windows-trailing-dot')) {
    log.push('warning', 'windows-trailing-dot', `${what} ${quoted()} ends with a dot or a space, which Windows strips (the file gets another name there)`, offset, location);
  }
  if (flags & P_WINDOWS_CHAR && log.want('windows-invalid-character', 'info')) {
    log.push('info', 'windows-invalid-character', `${what} ${quoted()} contains characters Windows does not allow in file names (< > : " | ? *)`, offset, location);
  }
}

export const PATH_OK = 0;
export const PATH_DUPLICATE = 1;
/** The new path names, as a file, something an earlier path uses as a folder. */
export const PATH_FILE_IS_FOLDER = 2;
/** The new path goes through, as a folder, something an earlier path is a file. */
export const PATH_FOLDER_IS_FILE = 3;

/**
 * Interns folders and files as (parent, element bytes) nodes. Comparing a node is comparing one
 * element, so even a hostile list of long, deep, identical paths costs time linear in its size.
 */
export class PathIndex {
  private slots: Int32Array;
  private mask: number;
  private size = 0;
  private parent: Int32Array;
  private token: Int32Array;
  private hash: Int32Array;
  private file: Int32Array;
  private isFile: Uint8Array;
  /** After `add` reports a clash: the index of the earlier file involved. */
  otherFile = -1;

  constructor(
    private readonly doc: BencodeDocument,
    expectedNodes: number,
  ) {
    let slots = 16;
    while (slots < expectedNodes * 2) slots *= 2;
    this.slots = new Int32Array(slots);
    this.mask = slots - 1;
    const capacity = slots >>> 1;
    this.parent = new Int32Array(capacity);
    this.token = new Int32Array(capacity);
    this.hash = new Int32Array(capacity);
    this.file = new Int32Array(capacity);
    this.isFile = new Uint8Array(capacity);
  }

  /** Adds file `fileIndex` whose path elements are the byte-string items of list `pathList`. */
  add(fileIndex: number, pathList: Token): number {
    const doc = this.doc;
    const stop = doc.next(pathList);
    let parent = -1;
    for (let e = pathList + 1; e < stop; ) {
      const following = doc.next(e);
      const last = following >= stop;
      const node = this.findOrInsert(parent, e, fileIndex, last);
      if (node < 0) {
        // Inserted: every later element is new as well, but still needs a node for later files.
        parent = ~node;
      } else if (last) {
        this.otherFile = this.file[node];
        return this.isFile[node] ? PATH_DUPLICATE : PATH_FILE_IS_FOLDER;
      } else if (this.isFile[node]) {
        this.otherFile = this.file[node];
        return PATH_FOLDER_IS_FILE;
      } else {
        parent = node;
      }
      e = following;
    }
    return PATH_OK;
  }

  /** The existing node for (parent, element), or `~id` of a node just inserted. */
  private findOrInsert(parent: number, element: Token, fileIndex: number, isFile: boolean): number {
    const doc = this.doc;
    const data = doc.data;
    const start = doc.contentStart(element);
    const end = doc.end(element);
    let h = Math.imul(0x811c9dc5 ^ parent, 0x01000193);
    for (let i = start; i < end; i++) h = Math.imul(h ^ data[i], 0x01000193);
    let slot = h & this.mask;
    for (;;) {
      const entry = this.slots[slot];
      if (entry === 0) break;
      const node = entry - 1;
      if (this.hash[node] === h && this.parent[node] === parent && sameBytes(doc, this.token[node], start, end)) return node;
      slot = (slot + 1) & this.mask;
    }
    if (this.size === this.parent.length) {
      this.grow();
      return this.findOrInsert(parent, element, fileIndex, isFile);
    }
    const node = this.size++;
    this.parent[node] = parent;
    this.token[node] = element;
    this.hash[node] = h;
    this.file[node] = fileIndex;
    this.isFile[node] = isFile ? 1 : 0;
    this.slots[slot] = node + 1;
    return ~node;
  }

  private grow(): void {
    const slots = this.slots.length * 2;
    const capacity = slots >>> 1;
    const widen = <T extends Int32Array | Uint8Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    this.parent = widen(this.parent, new Int32Array(capacity));
    this.token = widen(this.token, new Int32Array(capacity));
    this.hash = widen(this.hash, new Int32Array(capacity));
    this.file = widen(this.file, new Int32Array(capacity));
    this.isFile = widen(this.isFile, new Uint8Array(capacity));
    this.slots = new Int32Array(slots);
    this.mask = slots - 1;
    for (let node = 0; node < this.size; node++) {
      let slot = this.hash[node] & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = node + 1;
    }
  }
}

function sameBytes(doc: BencodeDocument, token: Token, start: number, end: number): boolean {
  const otherStart = doc.contentStart(token);
  if (doc.end(token) - otherStart !== end - start) return false;
  const data = doc.data;
  for (let i = 0; i < end - start; i++) if (data[otherStart + i] !== data[start + i]) return false;
  return true;
}
