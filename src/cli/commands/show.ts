// `torrent-lens show FILE`: what a .torrent says, as text like transmission-show, or as one JSON object.

import { magnetLink } from '../../core/magnet/link';
import { Secrets } from '../../core/privacy/secrets';
import type { Diagnostic, Metainfo, TorrentText } from '../../core/metainfo/types';
import { visibleJson, visibleText } from '../../core/text/display';
import { exactBytes, formatCount, formatDate, formatSize, plural } from '../../shared/format';
import type { ParsedArgs } from '../args';
import { type CliIo, type Command, EXIT_OK } from '../command';
import { writeFileListJson, writeFileListText } from '../file-list';
import { displayPath, loadTorrent } from '../read-torrent';
import { ByteOutput, collectOutput } from '../terminal';

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
  writeFileListJson(out, m);
  out.text(json.slice(at + FILES_PLACEHOLDER.length));
  out.byte(NEWLINE);
}

const FILES_PLACEHOLDER = '\n  "files": []';
const NEWLINE = 0x0a;

/** Everything `show --json` says but the file list (`files` is left empty). */
export function showJsonSummary(file: string, m: Metainfo, showSecrets: boolean): ShowJson {
  const doc = m.document;
  const secrets = Secrets.forTorrent(m, { show: showSecrets });
  const text = (t: TorrentText | undefined) => (t === undefined ? null : t.text);
  // Free text people write URLs into: a comment may quote the announce URL, passkey and all.
  const prose = (t: TorrentText | undefined) => (t === undefined ? null : secrets.redact(t.text));
  const diagnostics = m.diagnostics.map((d) => ({ ...d, message: secrets.redact(d.message) }));
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
    trackers: m.trackers.map((tier) => tier.map((url) => secrets.redactUrl(url))),
    webSeeds: m.webSeeds.map((url) => secrets.redactUrl(url)),
    httpSeeds: m.httpSeeds.map((url) => secrets.redactUrl(url)),
    nodes: m.nodes.map((n) => ({ host: n.host, port: n.port })),
    private: m.private,
    source: prose(m.source),
    comment: prose(m.comment),
    createdBy: prose(m.createdBy),
    creationDate: m.creationDate ?? null,
    encoding: text(m.encoding),
    infoSpan: { ...m.infoSpan },
    infoCanonical: m.infoCanonical,
    reencodedInfoHashV1: m.reencodedInfoHashV1 ?? null,
    pieceLayerCount: m.pieceLayerCount ?? null,
    unknownKeys: m.unknownKeys.map((k) => ({ parent: k.parent, key: k.key.text, type: doc.kind(k.token), offset: doc.start(k.token) })),
    magnet: magnetLink(m, { secrets }),
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

/** `show` as a string (what the command prints). */
export function showText(file: string, m: Metainfo, showSecrets: boolean): string {
  return collectOutput((out) => writeShowText(out, file, m, showSecrets));
}

/** Writes `show`: text in transmission-show's layout; every string from the file is terminal-safe. */
export function writeShowText(out: ByteOutput, file: string, m: Metainfo, showSecrets: boolean): void {
  const lines: string[] = [];
  const secrets = Secrets.forTorrent(m, { show: showSecrets });
  const t = (value: TorrentText) => visibleText(value.text) + (value.utf8 ? '' : ' [not UTF-8, shown as latin-1]');
  // Free text people write URLs into: a comment may quote the announce URL, passkey and all.
  const prose = (value: TorrentText) => t({ ...value, text: secrets.redact(value.text) });
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
    `Info dictionary: bytes ${formatCount(m.infoSpan.start)}-${formatCount(m.infoSpan.end - 1)} (${exactBytes(m.infoSpan.end - m.infoSpan.start)} hashed), ` +
      (m.infoCanonical ? 'canonical bencode' : `NOT canonical: tools that re-encode it compute ${m.reencodedInfoHashV1}`),
  );
  if (m.createdBy) general.push(`Created by: ${prose(m.createdBy)}`);
  if (m.creationDate !== undefined) general.push(`Created on: ${formatDate(m.creationDate)}`);
  if (m.comment) general.push(`Comment: ${prose(m.comment)}`);
  if (m.source) general.push(`Source: ${prose(m.source)}`);
  if (m.encoding) general.push(`Encoding: ${t(m.encoding)}`);
  general.push(`Piece Count: ${formatCount(m.pieceCount)}`);
  general.push(`Piece Size: ${formatSize(m.pieceLength)} (${exactBytes(m.pieceLength)})`);
  general.push(`Total Size: ${formatSize(m.totalLength)} (${exactBytes(m.totalLength)})`);
  if (m.paddingLength > 0) general.push(`Padding: ${formatSize(m.paddingLength)} in ${plural(m.files.padCount, 'pad file')} (BEP 47)`);
  general.push(
    `Files: ${formatCount(m.files.count - m.files.padCount)}${m.files.padCount > 0 ? ` (+ ${plural(m.files.padCount, 'pad file')})` : ''}`,
  );
  if (m.pieceLayerCount !== undefined) general.push(`Piece layers: ${formatCount(m.pieceLayerCount)}`);
  general.push(`Privacy: ${m.private ? 'Private torrent' : 'Public torrent'}`);
  general.push(`Magnet: ${visibleText(magnetLink(m, { secrets }))}`);
  section('GENERAL', general);

  if (m.diagnostics.length > 0) {
    section(
      'WARNINGS',
      m.diagnostics.map((d) => `${d.severity === 'info' ? 'note' : 'warning'}: ${visibleText(secrets.redact(diagnosticLine(d)))}`),
    );
  }

  if (m.trackers.length > 0) {
    const lines: string[] = [];
    m.trackers.forEach((tier, i) => {
      if (i > 0) lines.push('');
      lines.push(`Tier #${i + 1}`);
      for (const url of tier) lines.push(visibleText(secrets.redactUrl(url)));
    });
    section('TRACKERS', lines);
  }
  if (m.webSeeds.length > 0)
    section(
      'WEBSEEDS',
      m.webSeeds.map((url) => visibleText(secrets.redactUrl(url))),
    );
  if (m.httpSeeds.length > 0)
    section(
      'HTTP SEEDS (BEP 17)',
      m.httpSeeds.map((url) => visibleText(secrets.redactUrl(url))),
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
  writeFileListText(out, m);
}
