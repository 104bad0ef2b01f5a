// `torrent-lens show FILE`: what a .torrent says, as text like transmission-show, or as one JSON object.

import { displayText, utf8Encode } from '../core/text/bytes';
import { visibleJson, visibleText } from '../core/text/display';
import { magnetLink } from '../core/magnet/link';
import type { Diagnostic, Metainfo, TorrentFiles, TorrentText } from '../core/metainfo/types';
import {
  asciiBytes,
  ByteOutput,
  type CliIo,
  collectOutput,
  type Command,
  displayPath,
  EXIT_OK,
  formatCount,
  formatSize,
  loadTorrent,
  type ParsedArgs,
  putBytes,
  putDigits,
  redactedText,
  redactedUrl,
} from './common';

export const showCommand: Command = {
  name: 'show',
  summary: 'show what a .torrent file says: hashes, files, trackers, warnings',
  usage: 'show FILE [--json] [--show-secrets]',
  details: [
    'FILE may be - to read the torrent from standard input.',
    'Tracker passkeys and other secrets in URLs are shown as [redacted] unless --show-secrets is given.',
    'Exit status: 0 when the file is a torrent (warnings included), 2 when it cannot be read or is malformed;',
    'the error is one line on standard error: error: FILE: MESSAGE (at byte N).',
  ].join('\n'),
  spec: {
    options: {
      json: { type: 'boolean', description: 'print one JSON object instead of text' },
      'show-secrets': { type: 'boolean', description: 'show tracker passkeys and other secrets in URLs' },
    },
    positionals: ['FILE'],
    required: 1,
  },
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const file = args.positionals[0];
    const showSecrets = args.options['show-secrets'] === true;
    const metainfo = await loadTorrent(file);
    const out = new ByteOutput((bytes) => io.out(bytes));
    if (args.options.json === true) writeShowJson(out, file, metainfo, showSecrets);
    else writeShowText(out, file, metainfo, showSecrets);
    out.flush();
    return EXIT_OK;
  },
};

// -------------------------------------------------------------------------------------------------------
// JSON

export interface ShowJson {
  file: string;
  infoHash: { v1: string | null; v2: string | null; v2Truncated: string | null };
  version: Metainfo['version'];
  metaVersion: number | null;
  name: string;
  /** False when the name is not valid UTF-8 and `name` is its latin-1 reading. */
  nameUtf8: boolean;
  /** The `name` bytes when `name.utf-8` was shown instead. */
  rawName: string | null;
  totalLength: number;
  paddingLength: number;
  pieceLength: number;
  pieceCount: number;
  fileCount: number;
  padFileCount: number;
  singleFile: boolean;
  files: {
    path: string[];
    length: number;
    offset: number;
    padding: boolean;
    attributes: string;
    pathUtf8: boolean;
    piecesRoot?: string;
    symlinkPath?: string[];
  }[];
  trackers: string[][];
  webSeeds: string[];
  httpSeeds: string[];
  nodes: { host: string; port: number }[];
  private: boolean;
  source: string | null;
  comment: string | null;
  createdBy: string | null;
  creationDate: number | null;
  encoding: string | null;
  infoSpan: { start: number; end: number };
  infoCanonical: boolean;
  reencodedInfoHashV1: string | null;
  pieceLayerCount: number | null;
  unknownKeys: { parent: 'root' | 'info'; key: string; type: string; offset: number }[];
  magnet: string;
  /** Warning messages, each with its byte offset. */
  warnings: string[];
  diagnostics: Diagnostic[];
  secretsRedacted: boolean;
}

/** `show --json` as a string (what the command prints). */
export function showJsonText(file: string, m: Metainfo, showSecrets: boolean): string {
  return collectOutput((out) => writeShowJson(out, file, m, showSecrets));
}

/**
 * Writes `show --json`: JSON.stringify's layout with two-space indents, C1, bidirectional and invisible
 * characters escaped. The file list, the bulk of a large torrent's output, is written from the path bytes.
 */
export function writeShowJson(out: ByteOutput, file: string, m: Metainfo, showSecrets: boolean): void {
  const json = visibleJson(JSON.stringify(showJsonSummary(file, m, showSecrets), null, 2));
  // Real line breaks in JSON text are layout only, so this finds the top-level key and nothing else.
  const at = json.indexOf(FILES_PLACEHOLDER);
  out.text(json.slice(0, at + FILES_PLACEHOLDER.length - 2));
  writeJsonFiles(out, m.files);
  out.text(json.slice(at + FILES_PLACEHOLDER.length));
  out.byte(NEWLINE);
}

const FILES_PLACEHOLDER = '\n  "files": []';

/** Everything `show --json` says but the file list (`files` is left empty). */
export function showJsonSummary(file: string, m: Metainfo, showSecrets: boolean): ShowJson {
  const doc = m.document;
  const text = (t: TorrentText | undefined) => (t === undefined ? null : t.text);
  const diagnostics = m.diagnostics.map((d) => ({ ...d, message: redactedText(d.message, showSecrets) }));
  return {
    file,
    infoHash: { v1: m.infoHash.v1 ?? null, v2: m.infoHash.v2 ?? null, v2Truncated: m.infoHash.v2Truncated ?? null },
    version: m.version,
    metaVersion: m.metaVersion ?? null,
    name: m.name.text,
    nameUtf8: m.name.utf8,
    rawName: text(m.rawName),
    totalLength: m.totalLength,
    paddingLength: m.paddingLength,
    pieceLength: m.pieceLength,
    pieceCount: m.pieceCount,
    fileCount: m.files.count,
    padFileCount: m.files.padCount,
    singleFile: m.singleFile,
    files: [],
    trackers: m.trackers.map((tier) => tier.map((url) => redactedUrl(url, showSecrets))),
    webSeeds: m.webSeeds.map((url) => redactedUrl(url, showSecrets)),
    httpSeeds: m.httpSeeds.map((url) => redactedUrl(url, showSecrets)),
    nodes: m.nodes.map((n) => ({ host: n.host, port: n.port })),
    private: m.private,
    source: text(m.source),
    comment: text(m.comment),
    createdBy: text(m.createdBy),
    creationDate: m.creationDate ?? null,
    encoding: text(m.encoding),
    infoSpan: { ...m.infoSpan },
    infoCanonical: m.infoCanonical,
    reencodedInfoHashV1: m.reencodedInfoHashV1 ?? null,
    pieceLayerCount: m.pieceLayerCount ?? null,
    unknownKeys: m.unknownKeys.map((k) => ({ parent: k.parent, key: k.key.text, type: doc.kind(k.token), offset: doc.start(k.token) })),
    magnet: magnetLink(m, { redact: !showSecrets }),
    warnings: diagnostics.filter((d) => d.severity === 'warning').map(diagnosticLine),
    diagnostics,
    secretsRedacted: !showSecrets,
  };
}

/** The `files` array, laid out as JSON.stringify(…, null, 2) lays it out at that depth, escaped as visibleJson escapes. */
function writeJsonFiles(out: ByteOutput, files: TorrentFiles): void {
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

const NEWLINE = 0x0a;
const QUOTE = 0x22;
const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const LOWER_L = 0x6c;
const OPEN_BRACKET = 0x5b;

function diagnosticLine(d: Diagnostic): string {
  return `${d.location ? `${d.location}: ` : ''}${d.message}${d.offset === undefined ? '' : ` (at byte ${d.offset})`}`;
}

// -------------------------------------------------------------------------------------------------------
// Text

/** `show` as a string (what the command prints). */
export function showText(file: string, m: Metainfo, showSecrets: boolean): string {
  return collectOutput((out) => writeShowText(out, file, m, showSecrets));
}

/** Writes `show`: text in transmission-show's layout; every string from the file is terminal-safe. */
export function writeShowText(out: ByteOutput, file: string, m: Metainfo, showSecrets: boolean): void {
  const lines: string[] = [];
  const t = (value: TorrentText) => visibleText(value.text) + (value.utf8 ? '' : ' [not UTF-8, shown as latin-1]');
  const section = (title: string, body: string[]) => {
    lines.push(title, '', ...body.map((line) => (line === '' ? '' : `  ${line}`)), '');
  };

  lines.push(`Name: ${t(m.name)}`, `File: ${displayPath(file)}`, '');

  const general: string[] = [`Name: ${t(m.name)}`];
  if (m.rawName) general.push(`Name as stored in 'name': ${t(m.rawName)} (shown from 'name.utf-8')`);
  if (m.infoHash.v1) general.push(`Hash v1: ${m.infoHash.v1}`);
  if (m.infoHash.v2) general.push(`Hash v2: ${m.infoHash.v2}`, `Hash v2 (truncated, as on trackers): ${m.infoHash.v2Truncated}`);
  general.push(`Version: ${m.version === 'v1' ? 'v1 (BEP 3)' : m.version === 'v2' ? 'v2 only (BEP 52)' : 'hybrid v1 + v2 (BEP 52)'}`);
  general.push(
    `Info dictionary: bytes ${formatCount(m.infoSpan.start)}-${formatCount(m.infoSpan.end - 1)} (${formatCount(m.infoSpan.end - m.infoSpan.start)} bytes hashed), ` +
      (m.infoCanonical ? 'canonical bencode' : `NOT canonical: tools that re-encode it compute ${m.reencodedInfoHashV1}`),
  );
  if (m.createdBy) general.push(`Created by: ${t(m.createdBy)}`);
  if (m.creationDate !== undefined) general.push(`Created on: ${formatDate(m.creationDate)}`);
  if (m.comment) general.push(`Comment: ${t(m.comment)}`);
  if (m.source) general.push(`Source: ${t(m.source)}`);
  if (m.encoding) general.push(`Encoding: ${t(m.encoding)}`);
  general.push(`Piece Count: ${formatCount(m.pieceCount)}`);
  general.push(`Piece Size: ${formatSize(m.pieceLength)} (${formatCount(m.pieceLength)} bytes)`);
  general.push(`Total Size: ${formatSize(m.totalLength)} (${formatCount(m.totalLength)} bytes)`);
  if (m.paddingLength > 0) general.push(`Padding: ${formatSize(m.paddingLength)} in ${formatCount(m.files.padCount)} pad files (BEP 47)`);
  general.push(
    `Files: ${formatCount(m.files.count - m.files.padCount)}${m.files.padCount > 0 ? ` (+ ${formatCount(m.files.padCount)} pad files)` : ''}`,
  );
  if (m.pieceLayerCount !== undefined) general.push(`Piece layers: ${formatCount(m.pieceLayerCount)}`);
  general.push(`Privacy: ${m.private ? 'Private torrent' : 'Public torrent'}`);
  general.push(`Magnet: ${visibleText(magnetLink(m, { redact: !showSecrets }))}`);
  section('GENERAL', general);

  if (m.diagnostics.length > 0) {
    section(
      'WARNINGS',
      m.diagnostics.map(
        (d) => `${d.severity === 'info' ? 'note' : 'warning'}: ${visibleText(redactedText(diagnosticLine(d), showSecrets))}`,
      ),
    );
  }

  if (m.trackers.length > 0) {
    const lines: string[] = [];
    m.trackers.forEach((tier, i) => {
      if (i > 0) lines.push('');
      lines.push(`Tier #${i + 1}`);
      for (const url of tier) lines.push(visibleText(redactedUrl(url, showSecrets)));
    });
    section('TRACKERS', lines);
  }
  if (m.webSeeds.length > 0)
    section(
      'WEBSEEDS',
      m.webSeeds.map((url) => visibleText(redactedUrl(url, showSecrets))),
    );
  if (m.httpSeeds.length > 0)
    section(
      'HTTP SEEDS (BEP 17)',
      m.httpSeeds.map((url) => visibleText(redactedUrl(url, showSecrets))),
    );
  if (m.nodes.length > 0)
    section(
      'DHT NODES',
      m.nodes.map((n) => `${visibleText(n.host.includes(':') ? `[${n.host}]` : n.host)}:${n.port}`),
    );
  if (m.unknownKeys.length > 0) {
    const doc = m.document;
    section(
      'OTHER KEYS',
      m.unknownKeys.map(
        (k) =>
          `${k.parent === 'info' ? 'info.' : ''}${t(k.key)} (${doc.kind(k.token) === 'bytes' ? 'string' : doc.kind(k.token) === 'int' ? 'integer' : doc.kind(k.token)} at byte ${formatCount(doc.start(k.token))})`,
      ),
    );
  }

  if (m.files.count === 0) {
    section('FILES', []);
    out.text(`${lines.join('\n').replace(/\n+$/, '')}\n`);
    return;
  }
  lines.push('FILES', '', '');
  out.text(lines.join('\n'));
  writeFileLines(out, m);
}

/**
 * One line per file, `  PATH (SIZE) [MARKS]`, written from the path bytes: printable ASCII elements
 * are copied as they are (visibleText would not change them), the rest decoded and escaped.
 */
function writeFileLines(out: ByteOutput, m: Metainfo): void {
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
      if (!writeTerminalElement(out, files.bytes, spans[2 * k], spans[2 * k + 1])) utf8 = false;
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
function writeTerminalElement(out: ByteOutput, data: Uint8Array, start: number, end: number): boolean {
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

const EMPTY_BYTES = new Uint8Array(0);
const SPACE = 0x20;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;

function formatDate(seconds: number): string {
  const date = new Date(seconds * 1000);
  const iso = Number.isNaN(date.getTime()) ? 'out of range' : date.toISOString().replace('.000Z', 'Z');
  return `${iso} (${seconds})`;
}
