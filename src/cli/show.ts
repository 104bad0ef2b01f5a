// `torrent-lens show FILE`: what a .torrent says, as text like transmission-show, or as one JSON object.

import { magnetLink } from '../core/magnet';
import type { Diagnostic, Metainfo, TorrentFile, TorrentText } from '../core/metainfo-types';
import {
  type CliIo,
  type Command,
  displayPath,
  EXIT_OK,
  formatCount,
  formatSize,
  loadTorrent,
  type ParsedArgs,
  shownText,
  shownUrl,
  terminalJson,
  terminalText,
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
    if (args.options.json === true) io.out(`${terminalJson(showJson(file, metainfo, showSecrets))}\n`);
    else io.out(showText(file, metainfo, showSecrets));
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

export function showJson(file: string, m: Metainfo, showSecrets: boolean): ShowJson {
  const doc = m.document;
  const text = (t: TorrentText | undefined) => (t === undefined ? null : t.text);
  const diagnostics = m.diagnostics.map((d) => ({ ...d, message: shownText(d.message, showSecrets) }));
  const files: ShowJson['files'] = [];
  for (let i = 0; i < m.files.count; i++) {
    const f = m.files.get(i);
    const entry: ShowJson['files'][number] = {
      path: f.path.map((p) => p.text),
      length: f.length,
      offset: f.offset,
      padding: f.padding,
      attributes: f.attributes,
      pathUtf8: f.path.every((p) => p.utf8),
    };
    if (f.piecesRoot !== undefined) entry.piecesRoot = f.piecesRoot;
    if (f.symlinkPath !== undefined) entry.symlinkPath = f.symlinkPath.map((p) => p.text);
    files.push(entry);
  }
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
    files,
    trackers: m.trackers.map((tier) => tier.map((url) => shownUrl(url, showSecrets))),
    webSeeds: m.webSeeds.map((url) => shownUrl(url, showSecrets)),
    httpSeeds: m.httpSeeds.map((url) => shownUrl(url, showSecrets)),
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

function diagnosticLine(d: Diagnostic): string {
  return `${d.location ? `${d.location}: ` : ''}${d.message}${d.offset === undefined ? '' : ` (at byte ${d.offset})`}`;
}

// -------------------------------------------------------------------------------------------------------
// Text

/** Human-readable text in transmission-show's layout; every string from the file is terminal-safe. */
export function showText(file: string, m: Metainfo, showSecrets: boolean): string {
  const out: string[] = [];
  const t = (value: TorrentText) => terminalText(value.text) + (value.utf8 ? '' : ' [not UTF-8, shown as latin-1]');
  const section = (title: string, lines: string[]) => {
    out.push(title, '', ...lines.map((line) => (line === '' ? '' : `  ${line}`)), '');
  };

  out.push(`Name: ${t(m.name)}`, `File: ${displayPath(file)}`, '');

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
  general.push(`Files: ${formatCount(m.files.count - m.files.padCount)}${m.files.padCount > 0 ? ` (+ ${formatCount(m.files.padCount)} pad files)` : ''}`);
  if (m.pieceLayerCount !== undefined) general.push(`Piece layers: ${formatCount(m.pieceLayerCount)}`);
  general.push(`Privacy: ${m.private ? 'Private torrent' : 'Public torrent'}`);
  general.push(`Magnet: ${terminalText(magnetLink(m, { redact: !showSecrets }))}`);
  section('GENERAL', general);

  if (m.diagnostics.length > 0) {
    section(
      'WARNINGS',
      m.diagnostics.map((d) => `${d.severity === 'info' ? 'note' : 'warning'}: ${terminalText(shownText(diagnosticLine(d), showSecrets))}`),
    );
  }

  if (m.trackers.length > 0) {
    const lines: string[] = [];
    m.trackers.forEach((tier, i) => {
      if (i > 0) lines.push('');
      lines.push(`Tier #${i + 1}`);
      for (const url of tier) lines.push(terminalText(shownUrl(url, showSecrets)));
    });
    section('TRACKERS', lines);
  }
  if (m.webSeeds.length > 0) section('WEBSEEDS', m.webSeeds.map((url) => terminalText(shownUrl(url, showSecrets))));
  if (m.httpSeeds.length > 0) section('HTTP SEEDS (BEP 17)', m.httpSeeds.map((url) => terminalText(shownUrl(url, showSecrets))));
  if (m.nodes.length > 0) section('DHT NODES', m.nodes.map((n) => `${terminalText(n.host.includes(':') ? `[${n.host}]` : n.host)}:${n.port}`));
  if (m.unknownKeys.length > 0) {
    const doc = m.document;
    section(
      'OTHER KEYS',
      m.unknownKeys.map((k) => `${k.parent === 'info' ? 'info.' : ''}${t(k.key)} (${doc.kind(k.token) === 'bytes' ? 'string' : doc.kind(k.token) === 'int' ? 'integer' : doc.kind(k.token)} at byte ${formatCount(doc.start(k.token))})`),
    );
  }

  const files: string[] = [];
  for (let i = 0; i < m.files.count; i++) files.push(fileLine(m, m.files.get(i), m.singleFile));
  section('FILES', files);
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

function fileLine(m: Metainfo, f: TorrentFile, single: boolean): string {
  const elements = single ? f.path : [m.name, ...f.path];
  const path = elements.map((e) => terminalText(e.text)).join('/');
  const marks: string[] = [];
  if (f.padding) marks.push('padding');
  if (f.attributes.includes('x')) marks.push('executable');
  if (f.attributes.includes('h')) marks.push('hidden');
  if (f.symlinkPath) marks.push(`symlink to ${f.symlinkPath.map((p) => terminalText(p.text)).join('/')}`);
  if (!elements.every((e) => e.utf8)) marks.push('not UTF-8, shown as latin-1');
  return `${path} (${formatSize(f.length)})${marks.length > 0 ? ` [${marks.join(', ')}]` : ''}`;
}

function formatDate(seconds: number): string {
  const date = new Date(seconds * 1000);
  const iso = Number.isNaN(date.getTime()) ? 'out of range' : date.toISOString().replace('.000Z', 'Z');
  return `${iso} (${seconds})`;
}
