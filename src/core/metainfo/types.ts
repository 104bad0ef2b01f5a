// The metainfo model: what a .torrent file says, read from a BencodeDocument (BEP 3, 12, 17, 19, 27, 47, 52).
// Types only; `parseMetainfo` in parse.ts builds them, and codes.ts lists the codes of their diagnostics and failures.

import type { BencodeDocument, Token } from '../bencode/decode';
import type { DisplayText } from '../text/bytes';
import type { DiagnosticCode, FailureCode } from './codes';

/** A string from the torrent as it should be shown; `utf8: false` means latin-1 reading of invalid UTF-8. */
export type TorrentText = DisplayText;

export type TorrentVersion = 'v1' | 'v2' | 'hybrid';

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

/** Something the user should know about the file: a defect, a non-canonical form, an unusual value. */
export interface Diagnostic {
  severity: DiagnosticSeverity;
  /** Stable identifier, e.g. `path-traversal`, `unsorted-key` (all of them in codes.ts). */
  code: DiagnosticCode;
  /** One sentence, naming the problem; the UI adds the offset. */
  message: string;
  /** Byte offset in the file, when the problem has a place. */
  offset?: number;
  /** Where in the torrent, as a readable path, e.g. `info.files[3].path[0]`. */
  location?: string;
}

export interface InfoHashes {
  /** SHA-1 of the original info bytes, lower-case hex (v1 and hybrid). */
  v1?: string;
  /** SHA-256 of the original info bytes, lower-case hex (v2 and hybrid). */
  v2?: string;
  /** The first 20 bytes of v2, lower-case hex: what v2 swarms use on trackers and in the DHT. */
  v2Truncated?: string;
}

export interface TorrentFile {
  index: number;
  /** Path elements below the torrent's name; a single-file torrent has one element, the name. */
  path: TorrentText[];
  /** The `path` (or `name`) bytes as stored, when `path.utf-8` (`name.utf-8`) was shown instead, as libtorrent does. */
  rawPath?: TorrentText[];
  /** Bytes of data; 0 for a BEP 47 symlink whatever its `length` says (it holds none, as libtorrent counts it). */
  length: number;
  /** Where the file starts in the v1 piece stream (sum of the lengths before it, pad files included). */
  offset: number;
  /** A BEP 47 pad file (attr contains 'p'). */
  padding: boolean;
  /** BEP 47 `attr` as given ('' when absent): p pad, x executable, h hidden, l symlink. */
  attributes: string;
  /** BEP 47 symlink target (attr 'l'), its elements relative to the torrent's top folder. */
  symlinkPath?: TorrentText[];
  /** BEP 52 `pieces root`, lower-case hex (v2 files with data). */
  piecesRoot?: string;
  /** The file's dictionary in the document, to reveal it in the raw tree. */
  token: Token;
}

/** The files of a torrent, built on demand: a 100,000-file torrent must not cost 100,000 objects up front. */
export interface TorrentFiles {
  readonly count: number;
  readonly padCount: number;
  get(index: number): TorrentFile;
  [Symbol.iterator](): Iterator<TorrentFile>;
  /**
   * For listings of every file: the same facts as `get(index)` without building a `TorrentFile`. Path
   * elements come as byte spans into `bytes`, `[start, end)` pairs written into `spans` from index 0;
   * the count is returned, or -1 for a pad file stored without a path (`get` names it `.pad/<length>`).
   */
  readonly bytes: Uint8Array;
  pathElementSpans(index: number, spans: number[]): number;
  fileLength(index: number): number;
  fileOffset(index: number): number;
  isPadding(index: number): boolean;
  attributes(index: number): string;
  /** Where the 32 bytes of the file's BEP 52 `pieces root` start in `bytes`, or -1. */
  piecesRootOffset(index: number): number;
}

export interface DhtNode {
  host: string;
  port: number;
}

/** A key the model does not interpret, kept visible. */
export interface UnknownKey {
  /** `root` or `info`. */
  parent: 'root' | 'info';
  key: TorrentText;
  token: Token;
}

export interface Metainfo {
  document: BencodeDocument;
  /** The info dictionary's token and the exact bytes hashed: `[start, end)`. */
  info: Token;
  infoSpan: { start: number; end: number };
  version: TorrentVersion;
  /** BEP 52 `meta version` as given, if present. */
  metaVersion?: number;
  infoHash: InfoHashes;
  /** False when re-encoding the info dictionary would change its bytes (unsorted or duplicate keys). */
  infoCanonical: boolean;
  /** When not canonical: the SHA-1 a tool that decodes and re-encodes the info dictionary would compute. */
  reencodedInfoHashV1?: string;
  /**
   * The SHA-1 that tools built on the npm `bencode` package (parse-torrent, WebTorrent) compute, when it
   * differs from `infoHash.v1`: they read keys as UTF-8 text (invalid ones become hex), lose a `__proto__`
   * key, keep the last of duplicate keys, and sort keys by UTF-16 code units when they re-encode.
   */
  webtorrentInfoHashV1?: string;
  name: TorrentText;
  /** The `name` bytes as stored, when `name.utf-8` was shown instead (libtorrent prefers it too). */
  rawName?: TorrentText;
  pieceLength: number;
  pieceCount: number;
  /** Sum of all file lengths, pad files included (symlinks hold no data). */
  totalLength: number;
  /** Sum of the lengths of the BEP 47 pad files (0 when there are none). */
  paddingLength: number;
  files: TorrentFiles;
  /**
   * One file named by `name` (v1 `length`, or a v2 file tree holding one file at its top), rather than a
   * folder named `name` holding the files. The single file's path is `[name]`.
   */
  singleFile: boolean;
  /** Trackers by tier (BEP 12); a lone `announce` is one tier. */
  trackers: string[][];
  /** BEP 19 `url-list`. */
  webSeeds: string[];
  /** BEP 17 `httpseeds`. */
  httpSeeds: string[];
  nodes: DhtNode[];
  /** BEP 27: true when `private` is a non-zero integer (as libtorrent reads it). */
  private: boolean;
  source?: TorrentText;
  comment?: TorrentText;
  createdBy?: TorrentText;
  /** Seconds since the epoch, as given. */
  creationDate?: number;
  encoding?: TorrentText;
  /** BEP 52 `piece layers` entries (v2/hybrid). */
  pieceLayerCount?: number;
  unknownKeys: UnknownKey[];
  /** Warnings and notes; errors make parsing fail instead. */
  diagnostics: Diagnostic[];
}

/** A file that could not be read as a torrent: the first fatal defect, plus whatever decoded. */
export interface MetainfoFailure {
  code: FailureCode;
  message: string;
  /** Byte offset of the defect, when it has one. */
  offset?: number;
  /** The decoded bencode (complete for semantic errors, partial for bencode errors), for the raw tree. */
  document?: BencodeDocument;
  /** Warnings found before the failure. */
  diagnostics: Diagnostic[];
}

export type MetainfoResult = { ok: true; metainfo: Metainfo } | { ok: false; failure: MetainfoFailure };
