// The file listing of `show`, written straight from the path bytes: the FILES section of the text output and
// the `files` array of the JSON. A torrent can list hundreds of thousands of files, so no string or object is
// made per file where it can be helped: printable ASCII path elements (most of them) are copied byte by byte,
// and only the rest is decoded and escaped by the display sanitiser. test/unit/cli-show-render.test.ts holds
// both to the output of rendering every file object, byte for byte.

import type { Metainfo, TorrentFiles } from '../core/metainfo/types';
import { displayText, utf8Encode } from '../core/text/bytes';
import { visibleJson, visibleText } from '../core/text/display';
import { formatSize } from '../shared/format';
import { asciiBytes, type ByteOutput, putBytes, putDigits } from './terminal';

// -------------------------------------------------------------------------------------------------------
// Text

/**
 * One line per file, `  PATH (SIZE) [MARKS]`, written from the path bytes: printable ASCII elements
 * are copied as they are (visibleText would not change them), the rest decoded and escaped.
 */
export function writeFileListText(out: ByteOutput, m: Metainfo): void {
  const files = m.files;
  const spans: number[] = [];
  // A multi-file torrent's paths start with its name, the folder a client creates.
  const prefix = m.singleFile ? EMPTY_BYTES : utf8Encode(`${visibleText(m.name.text)}/`);
  const prefixUtf8 = m.singleFile || m.name.utf8;
  for (let i = 0; i < files.count; i++) {
    if (!prefixUtf8 || !writePlainFileLine(out, files, i, prefix, spans)) writeFileLine(out, files, i, prefix, prefixUtf8, spans);
  }
}

/**
 * The line of a file whose path is printable ASCII and that is no symlink (most files of most torrents,
 * pad files included), written in one piece. Returns false, having written nothing, for any other file.
 */
function writePlainFileLine(out: ByteOutput, files: TorrentFiles, i: number, prefix: Uint8Array, spans: number[]): boolean {
  const attributes = files.attributes(i);
  if (attributes.includes('l')) return false;
  const count = files.pathElementSpans(i, spans);
  if (count < 0) return false;
  const marks = PLAIN_MARKS[(files.isPadding(i) ? 1 : 0) | (attributes.includes('x') ? 2 : 0) | (attributes.includes('h') ? 4 : 0)];
  const size = formatSize(files.fileLength(i));
  let need = 2 + prefix.length + count + size.length + 3 + marks.length;
  for (let k = 0; k < count; k++) need += spans[2 * k + 1] - spans[2 * k];
  const chunk = out.reserve(need);
  const data = files.bytes;
  let at = out.length;
  chunk[at++] = SPACE;
  chunk[at++] = SPACE;
  at = putBytes(chunk, at, prefix);
  for (let k = 0; k < count; k++) {
    if (k > 0) chunk[at++] = SLASH;
    const end = spans[2 * k + 1];
    for (let j = spans[2 * k]; j < end; j++) {
      const b = data[j];
      if (b < 0x20 || b > 0x7e) return false;
      chunk[at++] = b;
    }
  }
  chunk[at++] = SPACE;
  chunk[at++] = OPEN_PAREN;
  for (let j = 0; j < size.length; j++) chunk[at++] = size.charCodeAt(j);
  chunk[at++] = CLOSE_PAREN;
  at = putBytes(chunk, at, marks);
  chunk[at++] = NEWLINE;
  out.length = at;
  return true;
}

/** The marks of a plain line, by padding (1), executable (2) and hidden (4), as writeFileLine words them. */
const PLAIN_MARKS = Array.from({ length: 8 }, (_, bits) => {
  const marks = [bits & 1 ? 'padding' : '', bits & 2 ? 'executable' : '', bits & 4 ? 'hidden' : ''].filter((m) => m !== '');
  return asciiBytes(marks.length > 0 ? ` [${marks.join(', ')}]` : '');
});

/** Any file's line: path elements decoded and escaped where they are not printable ASCII, then the marks. */
function writeFileLine(out: ByteOutput, files: TorrentFiles, i: number, prefix: Uint8Array, prefixUtf8: boolean, spans: number[]): void {
  out.byte(SPACE);
  out.byte(SPACE);
  out.bytes(prefix);
  const length = files.fileLength(i);
  const count = files.pathElementSpans(i, spans);
  let utf8 = prefixUtf8;
  if (count < 0) {
    out.ascii(`.pad/${String(length)}`);
  } else {
    for (let k = 0; k < count; k++) {
      if (k > 0) out.byte(SLASH);
      if (!writeTextElement(out, files.bytes, spans[2 * k], spans[2 * k + 1])) utf8 = false;
    }
  }
  out.byte(SPACE);
  out.byte(OPEN_PAREN);
  out.ascii(formatSize(length));
  out.byte(CLOSE_PAREN);
  const marks: string[] = [];
  if (files.isPadding(i)) marks.push('padding');
  const attributes = files.attributes(i);
  if (attributes.includes('x')) marks.push('executable');
  if (attributes.includes('h')) marks.push('hidden');
  // Only BEP 47 symlinks have a target; they are rare, so their file object is built.
  const symlinkPath = attributes === '' ? undefined : files.get(i).symlinkPath;
  if (symlinkPath) marks.push(`symlink to ${symlinkPath.map((p) => visibleText(p.text)).join('/')}`);
  if (!utf8) marks.push('not UTF-8, shown as latin-1');
  if (marks.length > 0) out.text(` [${marks.join(', ')}]`);
  out.byte(NEWLINE);
}

/** A path element as terminal-safe text; returns whether it is valid UTF-8. */
function writeTextElement(out: ByteOutput, data: Uint8Array, start: number, end: number): boolean {
  const chunk = out.reserve(end - start);
  let at = out.length;
  for (let i = start; i < end; i++) {
    const b = data[i];
    if (b < 0x20 || b > 0x7e) {
      const element = displayText(data.subarray(start, end));
      out.text(visibleText(element.text));
      return element.utf8;
    }
    chunk[at++] = b;
  }
  out.length = at;
  return true;
}

// -------------------------------------------------------------------------------------------------------
// JSON

/**
 * The `files` array of `show --json`, laid out as JSON.stringify(…, null, 2) lays it out at that depth (the
 * value of a top-level key), with C1, bidirectional and invisible characters escaped as visibleJson escapes them.
 */
export function writeFileListJson(out: ByteOutput, m: Metainfo): void {
  const files = m.files;
  if (files.count === 0) {
    out.ascii('[]');
    return;
  }
  const data = files.bytes;
  const spans: number[] = [];
  out.byte(OPEN_BRACKET);
  for (let i = 0; i < files.count; i++) {
    if (writePlainJsonFile(out, files, i, spans)) continue;
    out.bytes(i === 0 ? JSON_FIRST_FILE : JSON_NEXT_FILE);
    const length = files.fileLength(i);
    const count = files.pathElementSpans(i, spans);
    let utf8 = true;
    if (count < 0) {
      writeJsonStrings(out, ['.pad', String(length)]);
    } else if (count === 0) {
      out.ascii('[]');
    } else {
      out.byte(OPEN_BRACKET);
      for (let k = 0; k < count; k++) {
        out.bytes(k === 0 ? JSON_FIRST_ELEMENT : JSON_NEXT_ELEMENT);
        if (!writeJsonElement(out, data, spans[2 * k], spans[2 * k + 1])) utf8 = false;
      }
      out.bytes(JSON_END_PATH);
    }
    out.bytes(JSON_LENGTH);
    writeJsonNumber(out, length);
    out.bytes(JSON_OFFSET);
    writeJsonNumber(out, files.fileOffset(i));
    out.bytes(files.isPadding(i) ? JSON_PADDING_TRUE : JSON_PADDING_FALSE);
    const attributes = files.attributes(i);
    if (attributes === '') out.bytes(JSON_EMPTY_STRING);
    else out.text(visibleJson(JSON.stringify(attributes)));
    out.bytes(utf8 ? JSON_UTF8_TRUE : JSON_UTF8_FALSE);
    const root = files.piecesRootOffset(i);
    if (root >= 0) {
      const chunk = out.reserve(JSON_PIECES_ROOT_BYTES);
      out.length = putPiecesRoot(chunk, out.length, data, root);
    }
    // Only BEP 47 symlinks have a target; they are rare, so their file object is built.
    const symlinkPath = attributes === '' ? undefined : files.get(i).symlinkPath;
    if (symlinkPath !== undefined) {
      out.bytes(JSON_SYMLINK_PATH);
      writeJsonStrings(
        out,
        symlinkPath.map((p) => p.text),
      );
    }
    out.bytes(JSON_END_FILE);
  }
  out.bytes(JSON_END_FILES);
}

/**
 * The entry of a file whose path and attributes are printable ASCII without `"` or `\\`, with
 * whole-number length and offset and no symlink (most files of most torrents, pad files included),
 * written in one piece. Returns false, having written nothing, for any other file.
 */
function writePlainJsonFile(out: ByteOutput, files: TorrentFiles, i: number, spans: number[]): boolean {
  const attributes = files.attributes(i);
  const count = files.pathElementSpans(i, spans);
  const length = files.fileLength(i);
  const offset = files.fileOffset(i);
  if (count <= 0 || !isWholeNumber(length) || !isWholeNumber(offset) || !isPlainAttributes(attributes)) return false;
  const root = files.piecesRootOffset(i);
  let need = JSON_PLAIN_FILE_BYTES + attributes.length + count * JSON_PLAIN_ELEMENT_BYTES + (root < 0 ? 0 : JSON_PIECES_ROOT_BYTES);
  for (let k = 0; k < count; k++) need += spans[2 * k + 1] - spans[2 * k];
  const chunk = out.reserve(need);
  const data = files.bytes;
  let at = putBytes(chunk, out.length, i === 0 ? JSON_FIRST_FILE : JSON_NEXT_FILE);
  chunk[at++] = OPEN_BRACKET;
  for (let k = 0; k < count; k++) {
    at = putBytes(chunk, at, k === 0 ? JSON_FIRST_ELEMENT : JSON_NEXT_ELEMENT);
    chunk[at++] = QUOTE;
    const end = spans[2 * k + 1];
    for (let j = spans[2 * k]; j < end; j++) {
      const b = data[j];
      if (b < 0x20 || b > 0x7e || b === QUOTE || b === BACKSLASH) return false;
      chunk[at++] = b;
    }
    chunk[at++] = QUOTE;
  }
  at = putBytes(chunk, at, JSON_END_PATH);
  at = putBytes(chunk, at, JSON_LENGTH);
  at = putDigits(chunk, at, length);
  at = putBytes(chunk, at, JSON_OFFSET);
  at = putDigits(chunk, at, offset);
  at = putBytes(chunk, at, files.isPadding(i) ? JSON_PADDING_TRUE : JSON_PADDING_FALSE);
  chunk[at++] = QUOTE;
  for (let j = 0; j < attributes.length; j++) chunk[at++] = attributes.charCodeAt(j);
  chunk[at++] = QUOTE;
  at = putBytes(chunk, at, JSON_UTF8_TRUE);
  if (root >= 0) at = putPiecesRoot(chunk, at, data, root);
  out.length = putBytes(chunk, at, JSON_END_FILE);
  return true;
}

/** BEP 47 attributes that JSON.stringify leaves as they are and that name no symlink (whose target needs the file object). */
function isPlainAttributes(attributes: string): boolean {
  for (let j = 0; j < attributes.length; j++) {
    const c = attributes.charCodeAt(j);
    if (c < 0x20 || c > 0x7e || c === QUOTE || c === BACKSLASH || c === LOWER_L) return false;
  }
  return true;
}

/** `,\n      "piecesRoot": "<64 hex digits>"` from the 32 bytes at `offset`; returns the position after it. */
function putPiecesRoot(chunk: Uint8Array, at: number, data: Uint8Array, offset: number): number {
  at = putBytes(chunk, at, JSON_PIECES_ROOT);
  for (let j = offset; j < offset + 32; j++) {
    chunk[at++] = HEX_DIGITS[data[j] >> 4];
    chunk[at++] = HEX_DIGITS[data[j] & 15];
  }
  chunk[at++] = QUOTE;
  return at;
}

const HEX_DIGITS = asciiBytes('0123456789abcdef');

function isWholeNumber(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

const JSON_FIRST_FILE = asciiBytes('\n    {\n      "path": ');
const JSON_NEXT_FILE = asciiBytes(',\n    {\n      "path": ');
const JSON_FIRST_ELEMENT = asciiBytes('\n        ');
const JSON_NEXT_ELEMENT = asciiBytes(',\n        ');
const JSON_END_PATH = asciiBytes('\n      ]');
const JSON_LENGTH = asciiBytes(',\n      "length": ');
const JSON_OFFSET = asciiBytes(',\n      "offset": ');
const JSON_PADDING_TRUE = asciiBytes(',\n      "padding": true,\n      "attributes": ');
const JSON_PADDING_FALSE = asciiBytes(',\n      "padding": false,\n      "attributes": ');
const JSON_UTF8_TRUE = asciiBytes(',\n      "pathUtf8": true');
const JSON_UTF8_FALSE = asciiBytes(',\n      "pathUtf8": false');
const JSON_PIECES_ROOT = asciiBytes(',\n      "piecesRoot": "');
const JSON_SYMLINK_PATH = asciiBytes(',\n      "symlinkPath": ');
const JSON_EMPTY_STRING = asciiBytes('""');
const JSON_END_FILE = asciiBytes('\n    }');
const JSON_PIECES_ROOT_BYTES = JSON_PIECES_ROOT.length + 64 + 1;
/** Room for a plain file's entry besides its path elements, attributes and pieces root (numbers of up to 16 digits). */
const JSON_PLAIN_FILE_BYTES =
  JSON_NEXT_FILE.length +
  1 +
  JSON_END_PATH.length +
  JSON_LENGTH.length +
  JSON_OFFSET.length +
  32 +
  JSON_PADDING_FALSE.length +
  2 +
  JSON_UTF8_TRUE.length +
  JSON_END_FILE.length;
const JSON_PLAIN_ELEMENT_BYTES = JSON_NEXT_ELEMENT.length + 2;
const JSON_END_FILES = asciiBytes('\n  ]');

/** A string array at the depth of a file's `path`. */
function writeJsonStrings(out: ByteOutput, texts: string[]): void {
  if (texts.length === 0) {
    out.ascii('[]');
    return;
  }
  out.byte(OPEN_BRACKET);
  texts.forEach((text, k) => {
    out.ascii(k === 0 ? '\n        ' : ',\n        ');
    out.text(visibleJson(JSON.stringify(text)));
  });
  out.ascii('\n      ]');
}

/** A number as JSON.stringify writes it. */
function writeJsonNumber(out: ByteOutput, n: number): void {
  if (Number.isFinite(n)) out.number(n);
  else out.ascii('null');
}

/**
 * A path element as a JSON string. Printable ASCII other than `"` and `\` is copied as it is (what
 * JSON.stringify would write); anything else is decoded and escaped like every other string. Returns
 * whether the element is valid UTF-8.
 */
function writeJsonElement(out: ByteOutput, data: Uint8Array, start: number, end: number): boolean {
  const chunk = out.reserve(end - start + 2);
  let at = out.length;
  chunk[at++] = QUOTE;
  for (let i = start; i < end; i++) {
    const b = data[i];
    if (b < 0x20 || b > 0x7e || b === QUOTE || b === BACKSLASH) {
      const element = displayText(data.subarray(start, end));
      out.text(visibleJson(JSON.stringify(element.text)));
      return element.utf8;
    }
    chunk[at++] = b;
  }
  chunk[at++] = QUOTE;
  out.length = at;
  return true;
}

const EMPTY_BYTES = new Uint8Array(0);
const NEWLINE = 0x0a;
const SPACE = 0x20;
const QUOTE = 0x22;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const SLASH = 0x2f;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const LOWER_L = 0x6c;
