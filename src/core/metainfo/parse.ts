// The metainfo model: reads what a .torrent says from a decoded bencode document (BEP 3, 5, 12, 17, 19,
// 27, 47, 52), checks it, and computes its info hashes over the ORIGINAL bytes of the info dictionary.
//
// Fatal defects (no info dictionary, a missing or invalid piece length, piece hashes that do not cover
// the data …) make the parse fail with a code, a message that names the defect, and its byte offset.
// Everything else a client can live with is accepted with a diagnostic that says what libtorrent or
// Transmission do with it.
//
// It must stay fast on a 100,000-file torrent: the file list is read into typed arrays in one pass,
// names are checked on the raw bytes, and `TorrentFile` objects are only built on request.

import { createHash, webcrypto } from 'node:crypto';
import { BencodeDocument, BencodeError, decode, describeKey, type Token } from '../bencode/decode';
import { bytesEqual, bytesToBinary, displayText, escapeControlChars, toHex, utf8Encode } from '../text/bytes';
import { DiagnosticLog } from './diagnostics';
import { FLAG_PAD, FLAG_SYMLINK, FileTable, type FileTableParts } from './file-table';
import {
  extendPathHash,
  isValidUtf8,
  lastElementHash,
  P_NON_ASCII,
  P_CONTROL,
  PATH_DUPLICATE,
  PATH_FILE_IS_FOLDER,
  PATH_HASH_START,
  PathClashFinder,
  type PathClash,
  quoteBytes,
  reportPathFlags,
  sameBytes,
  sameBytesIgnoringCase,
  scanPathElement,
} from './paths';
import type {
  DhtNode,
  Diagnostic,
  DiagnosticSeverity,
  InfoHashes,
  Metainfo,
  MetainfoResult,
  TorrentText,
  TorrentVersion,
  UnknownKey,
} from './types';

export { FileTable } from './file-table';

export interface ParseMetainfoOptions {
  /** Diagnostics listed per code before the rest are only counted (default 20). */
  maxDiagnosticsPerCode?: number;
  /** Leave `infoHash` empty: the caller hashes the info bytes itself (see parseMetainfoAsync). */
  deferHashes?: boolean;
}

/**
 * Like `parseMetainfo`, but the SHA-1 and SHA-256 of the info dictionary are computed on the thread pool
 * while the model is built, so a large torrent costs about the longer of the two instead of their sum.
 */
export async function parseMetainfoAsync(data: Uint8Array, options: ParseMetainfoOptions = {}): Promise<MetainfoResult> {
  const doc = decodeTorrent(data);
  if (!(doc instanceof BencodeDocument)) return doc;
  const info = doc.isDict(doc.root) ? doc.get(doc.root, 'info') : -1;
  // Below a megabyte, a round trip to the thread pool costs more than hashing here.
  if (info < 0 || !doc.isDict(info) || doc.end(info) - doc.start(info) < ASYNC_HASH_MIN_BYTES) return parseMetainfoDocument(doc, options);
  const bytes = data.subarray(doc.start(info), doc.end(info));
  const metaVersion = doc.get(info, 'meta version');
  const sha1 = webcrypto.subtle.digest('SHA-1', bytes);
  const sha256 =
    metaVersion >= 0 && doc.isInt(metaVersion) && doc.int(metaVersion) === 2 ? webcrypto.subtle.digest('SHA-256', bytes) : undefined;
  const result = parseMetainfoDocument(doc, { ...options, deferHashes: true });
  const [v1, v2] = await Promise.all([sha1, sha256]);
  if (result.ok) {
    const m = result.metainfo;
    if (m.version !== 'v2') m.infoHash.v1 = toHex(new Uint8Array(v1));
    if (m.version !== 'v1') {
      m.infoHash.v2 = toHex(new Uint8Array(v2 ?? (await webcrypto.subtle.digest('SHA-256', bytes))));
      m.infoHash.v2Truncated = m.infoHash.v2.slice(0, 40);
    }
    settleReencodedHashes(m);
  }
  return result;
}

const ASYNC_HASH_MIN_BYTES = 1 << 20;

/** The decoded document, or the failure that a bencode error (or a bug) makes of it. */
function decodeTorrent(data: Uint8Array): BencodeDocument | MetainfoResult {
  try {
    return decode(data);
  } catch (error) {
    if (error instanceof BencodeError) {
      return {
        ok: false,
        failure: { code: error.code, message: error.message, offset: error.offset, document: error.partial, diagnostics: [] },
      };
    }
    return internalFailure(error, undefined, []);
  }
}

/** Reads a .torrent file. Never throws: every problem is a failure or a diagnostic. */
export function parseMetainfo(data: Uint8Array, options: ParseMetainfoOptions = {}): MetainfoResult {
  const doc = decodeTorrent(data);
  if (!(doc instanceof BencodeDocument)) return doc;
  return parseMetainfoDocument(doc, options);
}

/** Reads the metainfo of an already decoded document. Never throws. */
export function parseMetainfoDocument(doc: BencodeDocument, options: ParseMetainfoOptions = {}): MetainfoResult {
  const log = new DiagnosticLog(options.maxDiagnosticsPerCode);
  try {
    return { ok: true, metainfo: new MetainfoReader(doc, log, options.deferHashes === true).read() };
  } catch (error) {
    if (error instanceof MetainfoError) {
      const failure = { code: error.code, message: error.message, document: doc, diagnostics: log.finish() } as const;
      return { ok: false, failure: error.offset === undefined ? failure : { ...failure, offset: error.offset } };
    }
    return internalFailure(error, doc, log.finish());
  }
}

function internalFailure(error: unknown, document: BencodeDocument | undefined, diagnostics: Diagnostic[]): MetainfoResult {
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, failure: { code: 'internal-error', message: `could not read the metainfo: ${message}`, document, diagnostics } };
}

/**
 * Once `infoHash.v1` is known: keeps `webtorrentInfoHashV1` only when it differs, and says so when it also
 * differs from what byte-order re-encoders compute (which the non-canonical warning already names).
 */
function settleReencodedHashes(m: Metainfo): void {
  const npm = m.webtorrentInfoHashV1;
  if (npm === undefined) return;
  if (npm === m.infoHash.v1) {
    delete m.webtorrentInfoHashV1;
    return;
  }
  if (npm === m.reencodedInfoHashV1) return;
  m.diagnostics.push({
    severity: 'warning',
    code: 'reencoding-differs',
    message:
      `tools built on the npm bencode package (parse-torrent, WebTorrent) compute the info hash ${npm} for this torrent, not ${m.infoHash.v1}: ` +
      'they read dictionary keys as UTF-8 text (turning invalid ones into hex), lose a __proto__ key and sort keys by UTF-16 code units before hashing, so they join a different swarm',
    offset: m.document.start(m.info),
    location: 'info',
  });
}

/** A fatal defect: parsing stops and the result is a failure. */
class MetainfoError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}

const BEP3_EPOCH = 994_000_000; // July 2001: nothing made a .torrent before BitTorrent existed.
/** libtorrent's limit (INT_MAX / 2), kept so piece arithmetic has headroom. */
export const MAX_PIECE_LENGTH = 0x3fffffff;
/** BEP 52: v2 piece length is a power of two, at least 16 KiB. */
export const MIN_V2_PIECE_LENGTH = 16384;
const INT64_MAX = 9223372036854775807n;

const ROOT_KEYS = new Set([
  'announce',
  'announce-list',
  'comment',
  'comment.utf-8',
  'created by',
  'created by.utf-8',
  'creation date',
  'encoding',
  'info',
  'nodes',
  'url-list',
  'httpseeds',
  'piece layers',
]);
const INFO_KEYS = new Set([
  'name',
  'name.utf-8',
  'piece length',
  'pieces',
  'length',
  'files',
  'private',
  'source',
  'meta version',
  'file tree',
  'attr',
  'symlink path',
]);

const TRACKER_SCHEME = /^(https?|udp|wss?):\/\/[^\s]/i;

interface V1Files {
  parts: FileTableParts;
  /** Exact total when it fits a double; otherwise `bigTotal` holds it. */
  total: number;
  bigTotal?: bigint;
  paddingLength: number;
}

interface TreeFiles {
  parts: FileTableParts;
  total: number;
  bigTotal?: bigint;
  pieceCount: number;
}

class MetainfoReader {
  private readonly data: Uint8Array;
  private readonly unknownKeys: UnknownKey[] = [];
  /** Some file dictionary has keys besides the ones read (only then can it hide a key npm `bencode` mangles). */
  private fileDictsHaveOtherKeys = false;
  /** Some v2 file tree key is not ASCII, or some leaf holds other keys. */
  private fileTreeNeedsKeyCheck = false;

  constructor(
    private readonly doc: BencodeDocument,
    private readonly log: DiagnosticLog,
    private readonly deferHashes: boolean,
  ) {
    this.data = doc.data;
  }

  read(): Metainfo {
    const doc = this.doc;
    const log = this.log;
    if (!doc.isDict(doc.root)) {
      this.fail(
        'root-not-dict',
        `the file holds a bencoded ${this.kindName(doc.root)}, not a dictionary: a torrent is a dictionary with an 'info' key`,
        0,
      );
    }
    const root = this.scanDict(doc.root, ROOT_KEYS, 'root');
    const infoTokens = root.all.get('info');
    if (infoTokens === undefined)
      this.fail('missing-info', "the torrent has no 'info' dictionary (it describes no files)", doc.start(doc.root));
    if (infoTokens.length > 1) {
      const second = infoTokens[1];
      this.fail(
        'duplicate-info',
        `the root dictionary has ${infoTokens.length} 'info' keys: which one is the torrent (and its info hash) is ambiguous — libtorrent and Transmission use the first, parse-torrent the last`,
        doc.start(second - 1),
      );
    }
    const info = infoTokens[0];
    if (!doc.isDict(info)) this.fail('info-not-dict', `'info' is ${this.aKind(info)}, not a dictionary`, doc.start(info));
    const infoSpan = { start: doc.start(info), end: doc.end(info) };
    const fields = this.scanDict(info, INFO_KEYS, 'info');
    const explained = this.reportInfoDuplicates(fields.all);
    this.reportBencodeWarnings(infoSpan, explained);
    const key = (name: string): Token => fields.first.get(name) ?? -1;
    const rootKey = (name: string): Token => root.first.get(name) ?? -1;
    this.checkRequiredKeys(info, key);

    // BEP 52 version.
    let metaVersion: number | undefined;
    const metaVersionToken = key('meta version');
    if (metaVersionToken >= 0) {
      if (!doc.isInt(metaVersionToken)) {
        this.warn(
          'meta-version-invalid',
          `'meta version' is ${this.aKind(metaVersionToken)}, not an integer; ignored, so this is read as a v1 torrent (as libtorrent does)`,
          metaVersionToken,
          'info.meta version',
        );
      } else {
        const value = doc.int(metaVersionToken);
        if (typeof value === 'bigint' || value > 2) {
          this.fail(
            'meta-version-unsupported',
            `unsupported 'meta version' ${value}: BEP 52 defines version 2 (libtorrent refuses other versions)`,
            doc.start(metaVersionToken),
          );
        }
        metaVersion = value;
        if (value < 2)
          this.note(
            'meta-version-old',
            `'meta version' ${value} is not 2, so this is read as a v1 torrent`,
            metaVersionToken,
            'info.meta version',
          );
      }
    }
    const isV2 = metaVersion === 2;
    const fileTree = key('file tree');
    const filesToken = key('files');
    const lengthToken = key('length');
    const piecesToken = key('pieces');
    if (fileTree >= 0 && !isV2) {
      this.fail(
        'file-tree-without-meta-version',
        "the info dictionary has a 'file tree' (BEP 52) but no 'meta version' 2; libtorrent refuses such torrents",
        doc.start(fileTree),
      );
    }
    if (isV2 && fileTree < 0)
      this.fail(
        'missing-file-tree',
        "'meta version' is 2 but the info dictionary has no 'file tree' (BEP 52)",
        doc.start(metaVersionToken),
      );
    const hasV1 = !isV2 || filesToken >= 0 || lengthToken >= 0 || piecesToken >= 0;
    const version: TorrentVersion = isV2 ? (hasV1 ? 'hybrid' : 'v2') : 'v1';

    const pieceLength = this.readPieceLength(info, key('piece length'), isV2);
    const name = this.readName(info, key('name'), key('name.utf-8'));

    // Files.
    let v1: V1Files | undefined;
    if (hasV1) {
      if (filesToken >= 0) {
        if (lengthToken >= 0) {
          this.warn(
            'length-and-files',
            "the info dictionary has both 'length' (one file) and 'files' (several); libtorrent uses 'files' and ignores 'length'",
            lengthToken,
            'info.length',
          );
        }
        v1 = this.readFileList(filesToken);
      } else if (lengthToken >= 0) {
        v1 = this.readSingleFile(info, lengthToken, name.token, name.shownToken, key('attr'));
      } else if (isV2) {
        this.fail('missing-length', "the torrent has v1 'pieces' but neither 'length' nor 'files' to go with them", doc.start(piecesToken));
      } else {
        this.fail('missing-length', "the info dictionary has neither 'length' (one file) nor 'files' (several files)", doc.start(info));
      }
    }
    const tree = isV2 ? this.readFileTree(fileTree, pieceLength, v1 === undefined) : undefined;

    // Sizes and piece hashes.
    let totalLength: number;
    let pieceCount: number;
    if (v1) {
      pieceCount = this.checkPieces(piecesToken, v1, pieceLength, isV2, info);
      totalLength = v1.total;
    } else {
      const t = tree as TreeFiles;
      if (t.bigTotal !== undefined) this.tooLarge(t.bigTotal, fileTree);
      totalLength = t.total;
      pieceCount = t.pieceCount;
    }
    if (v1 && tree) this.checkHybrid(v1, tree, filesToken >= 0 ? filesToken : info);
    if (totalLength === 0) {
      this.warn(
        'no-data',
        'every file is empty: the torrent has no data to share (libtorrent refuses such torrents)',
        lengthToken >= 0 ? lengthToken : filesToken >= 0 ? filesToken : fileTree,
        undefined,
      );
    }
    const files = new FileTable(doc, v1 ? v1.parts : (tree as TreeFiles).parts);
    let pieceLayerCount: number | undefined;
    if (isV2) pieceLayerCount = this.checkPieceLayers(rootKey('piece layers'), tree as TreeFiles, pieceLength);

    // Hashes of the original bytes.
    const infoBytes = this.data.subarray(infoSpan.start, infoSpan.end);
    const infoHash: InfoHashes = {};
    if (version !== 'v2' && !this.deferHashes) infoHash.v1 = createHash('sha1').update(infoBytes).digest('hex');
    if (isV2 && !this.deferHashes) {
      infoHash.v2 = createHash('sha256').update(infoBytes).digest('hex');
      infoHash.v2Truncated = infoHash.v2.slice(0, 40);
    }
    const infoCanonical = this.isInfoCanonical(info, infoSpan);
    let reencodedInfoHashV1: string | undefined;
    if (!infoCanonical) {
      reencodedInfoHashV1 = reencodedSha1(doc, info);
      this.warn(
        'info-not-canonical',
        `the info dictionary is not canonical bencode (unsorted or duplicate keys): its info hash is taken over the original bytes, as libtorrent does; tools that decode and re-encode it compute ${reencodedInfoHashV1} instead, so they name a different swarm`,
        info,
        'info',
      );
    }

    // Tools built on npm `bencode` re-encode the info dictionary before hashing it; predict what they get.
    const npmHash =
      version !== 'v2' && (!infoCanonical || this.npmHazard(info, filesToken, fileTree)) ? reencodedSha1(doc, info, 'npm') : undefined;

    const metainfo: Metainfo = {
      document: doc,
      info,
      infoSpan,
      version,
      infoHash,
      infoCanonical,
      name: name.text,
      pieceLength,
      pieceCount,
      totalLength,
      paddingLength: v1 ? v1.paddingLength : 0,
      files,
      singleFile: v1 ? v1.parts.layout === 'single' : files.count === 1 && (tree as TreeFiles).parts.pathKeys?.length === 1,
      trackers: this.readTrackers(rootKey('announce'), rootKey('announce-list')),
      webSeeds: this.readUrlList(rootKey('url-list'), 'url-list', 'web-seed-invalid'),
      httpSeeds: this.readUrlList(rootKey('httpseeds'), 'httpseeds', 'http-seed-invalid'),
      nodes: this.readNodes(rootKey('nodes')),
      private: this.readPrivate(key('private')),
      unknownKeys: this.unknownKeys,
      diagnostics: [],
    };
    if (metaVersion !== undefined) metainfo.metaVersion = metaVersion;
    if (reencodedInfoHashV1 !== undefined) metainfo.reencodedInfoHashV1 = reencodedInfoHashV1;
    if (npmHash !== undefined) metainfo.webtorrentInfoHashV1 = npmHash;
    if (name.raw) metainfo.rawName = name.raw;
    if (pieceLayerCount !== undefined) metainfo.pieceLayerCount = pieceLayerCount;
    const source = this.readText(key('source'), -1, 'info.source', 'source');
    if (source) metainfo.source = source;
    const comment = this.readText(rootKey('comment'), rootKey('comment.utf-8'), 'comment', 'comment');
    if (comment) metainfo.comment = comment;
    const createdBy = this.readText(rootKey('created by'), rootKey('created by.utf-8'), 'created by', "'created by'");
    if (createdBy) metainfo.createdBy = createdBy;
    const creationDate = this.readCreationDate(rootKey('creation date'));
    if (creationDate !== undefined) metainfo.creationDate = creationDate;
    const encoding = this.readEncoding(rootKey('encoding'));
    if (encoding) metainfo.encoding = encoding;
    metainfo.diagnostics = log.finish();
    if (!this.deferHashes) settleReencodedHashes(metainfo);
    return metainfo;
  }

  /** Whether npm `bencode` may spell or order some key of the info dictionary differently from its bytes. */
  private npmHazard(info: Token, filesToken: Token, fileTree: Token): boolean {
    const doc = this.doc;
    if (hasNpmKeyHazard(doc, info, true)) return true;
    for (const [, v] of doc.entries(info)) {
      if (v === filesToken ? this.fileDictsHaveOtherKeys : v === fileTree ? this.fileTreeNeedsKeyCheck : doc.isDict(v) || doc.isList(v)) {
        if (hasNpmKeyHazard(doc, v)) return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------------
  // Dictionaries and their keys

  /** The keys of a small dictionary (root or info): first value per key, all values per key, unknown keys noted. */
  private scanDict(dict: Token, known: Set<string>, parent: 'root' | 'info'): { first: Map<string, Token>; all: Map<string, Token[]> } {
    const doc = this.doc;
    const first = new Map<string, Token>();
    const all = new Map<string, Token[]>();
    const stop = doc.next(dict);
    for (let k = dict + 1; k < stop;) {
      const v = doc.next(k);
      if (v >= stop) break;
      const name = doc.binary(k);
      const seen = all.get(name);
      if (seen) {
        seen.push(v);
      } else {
        all.set(name, [v]);
        first.set(name, v);
        if (!known.has(name)) this.unknownKeys.push({ parent, key: displayText(doc.bytes(k)), token: v });
      }
      k = doc.next(v);
    }
    return { first, all };
  }

  /** When several required keys are missing, one message lists them all (a single one gets its own message later). */
  private checkRequiredKeys(info: Token, key: (name: string) => Token): void {
    const missing: string[] = [];
    if (key('name') < 0 && key('name.utf-8') < 0) missing.push("'name'");
    if (key('piece length') < 0) missing.push("'piece length'");
    const v2 = key('meta version') >= 0 || key('file tree') >= 0;
    if (!v2) {
      if (key('pieces') < 0) missing.push("'pieces'");
      if (key('length') < 0 && key('files') < 0) missing.push("'length' or 'files'");
    }
    if (missing.length < 2) return;
    const list = `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}`;
    this.fail(
      'info-incomplete',
      `the info dictionary${this.doc.size(info) === 0 ? ' is empty: it' : ''} lacks ${list}`,
      this.doc.start(info),
    );
  }

  /** Explains duplicate keys of the info dictionary; returns the offsets of the repeated keys it explained. */
  private reportInfoDuplicates(all: Map<string, Token[]>): Set<number> {
    const doc = this.doc;
    const explained = new Set<number>();
    for (const [name, values] of all) {
      if (values.length < 2) continue;
      for (const value of values.slice(1)) explained.add(doc.start(value - 1));
      const shown = (t: Token) => (doc.isBytes(t) ? quoteBytes(this.data, doc.contentStart(t), doc.end(t)) : `${this.aKind(t)}`);
      this.warn(
        'duplicate-key',
        `the info dictionary has ${values.length} ${describeKey(name)} keys: this tool, libtorrent and Transmission use the first (${shown(values[0])}), tools that decode into a map (parse-torrent) the last (${shown(values[values.length - 1])}); the info hash covers all of them`,
        values[1] - 1,
        `info.${name}`,
      );
    }
    return explained;
  }

  private reportBencodeWarnings(infoSpan: { start: number; end: number }, explained: Set<number>): void {
    const doc = this.doc;
    for (const w of doc.warnings) {
      if (w.code === 'duplicate-key' && explained.has(w.offset)) continue;
      const inInfo = w.offset > infoSpan.start && w.offset < infoSpan.end;
      let message = w.message;
      if (w.code === 'unsorted-key' || w.code === 'duplicate-key') {
        message += inInfo
          ? ' (inside the info dictionary: tools that re-encode it compute another info hash)'
          : ' (outside the info dictionary: the info hash is unaffected)';
      }
      if (this.log.want(w.code)) this.log.push('warning', w.code, message, w.offset, inInfo ? 'info' : undefined);
    }
    if (doc.warningsOmitted > 0) {
      this.warn(
        'bencode-warnings-omitted',
        `${doc.warningsOmitted.toLocaleString('en-US')} more bencode warnings (unsorted or duplicate keys) were not listed`,
        undefined,
        undefined,
      );
    }
  }

  /** False when re-encoding the info dictionary would change its bytes. */
  private isInfoCanonical(info: Token, span: { start: number; end: number }): boolean {
    const doc = this.doc;
    for (const w of doc.warnings) {
      if ((w.code === 'unsorted-key' || w.code === 'duplicate-key') && w.offset > span.start && w.offset < span.end) return false;
    }
    // The decoder keeps a bounded number of warnings; when some were dropped, check the info subtree itself.
    if (doc.warningsOmitted === 0) return true;
    const stop = doc.next(info);
    for (let t = info; t < stop; t++) {
      if (!doc.isDict(t)) continue;
      let previous = -1;
      const end = doc.next(t);
      for (let k = t + 1; k < end;) {
        const v = doc.next(k);
        if (v >= end) break;
        if (previous >= 0 && compareKeyTokens(doc, previous, k) >= 0) return false;
        previous = k;
        k = doc.next(v);
      }
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------------------
  // Info fields

  private readPieceLength(info: Token, token: Token, isV2: boolean): number {
    const doc = this.doc;
    if (token < 0) this.fail('missing-piece-length', "the info dictionary has no 'piece length'", doc.start(info));
    if (!doc.isInt(token))
      this.fail('piece-length-not-integer', `'piece length' is ${this.aKind(token)}, not an integer`, doc.start(token));
    const value = doc.int(token);
    if (typeof value !== 'bigint' && value <= 0) {
      this.fail('piece-length-invalid', `'piece length' is ${value}: it must be positive`, doc.start(token));
    }
    if (typeof value === 'bigint' || value > MAX_PIECE_LENGTH) {
      this.fail(
        'piece-length-too-large',
        `'piece length' ${value} is out of range: libtorrent accepts at most ${MAX_PIECE_LENGTH.toLocaleString('en-US')} bytes (1 GiB), and clients that use 32-bit arithmetic break on it`,
        doc.start(token),
      );
    }
    const powerOfTwo = (value & (value - 1)) === 0;
    if (isV2 && (!powerOfTwo || value < MIN_V2_PIECE_LENGTH)) {
      this.fail(
        'piece-length-invalid',
        `'piece length' ${value} is not valid for a v2 torrent: BEP 52 requires a power of two of at least 16 KiB (libtorrent refuses it)`,
        doc.start(token),
      );
    }
    if (!powerOfTwo) {
      this.warn(
        'piece-length-not-power-of-two',
        `'piece length' ${value.toLocaleString('en-US')} is not a power of two; BEP 3 allows it, but most clients create only powers of two`,
        token,
        'info.piece length',
      );
    } else if (value < MIN_V2_PIECE_LENGTH) {
      this.note(
        'piece-length-small',
        `'piece length' ${value} bytes is unusually small (clients create 16 KiB or more)`,
        token,
        'info.piece length',
      );
    }
    return value;
  }

  private readName(
    info: Token,
    nameToken: Token,
    utf8Token: Token,
  ): { text: TorrentText; raw?: TorrentText; token: Token; shownToken: Token } {
    const doc = this.doc;
    if (nameToken >= 0 && !doc.isBytes(nameToken))
      this.fail('name-not-string', `'name' is ${this.aKind(nameToken)}, not a string`, doc.start(nameToken));
    let shown = nameToken;
    if (utf8Token >= 0) {
      if (!doc.isBytes(utf8Token)) {
        this.warn('name-utf8-invalid', `'name.utf-8' is ${this.aKind(utf8Token)}, not a string; ignored`, utf8Token, 'info.name.utf-8');
      } else if (doc.size(utf8Token) > 0 || nameToken < 0) {
        shown = utf8Token;
      }
    }
    if (shown < 0) {
      this.fail(
        'missing-name',
        "the info dictionary has no 'name' (libtorrent refuses the torrent; Transmission names it after the .torrent file)",
        doc.start(info),
      );
    }
    const location = shown === utf8Token ? 'info.name.utf-8' : 'info.name';
    if (doc.size(shown) === 0) {
      this.warn(
        'empty-name',
        "'name' is empty: there is nothing to call the file or folder (libtorrent refuses the torrent; Transmission names it after the .torrent file)",
        shown,
        location,
      );
    } else {
      this.checkElement(shown, 'name', location);
    }
    const text = displayText(doc.bytes(shown));
    let raw: TorrentText | undefined;
    if (shown === utf8Token && nameToken >= 0 && !bytesEqual(doc.bytes(nameToken), doc.bytes(utf8Token))) {
      raw = displayText(doc.bytes(nameToken));
      this.note(
        'name-utf8-key',
        `the name shown comes from 'name.utf-8' (as libtorrent reads it); 'name' holds other bytes: ${quoteBytes(this.data, doc.contentStart(nameToken), doc.end(nameToken))}`,
        utf8Token,
        'info.name.utf-8',
      );
    }
    return { text, raw, token: nameToken >= 0 ? nameToken : utf8Token, shownToken: shown };
  }

  /**
   * Checks one name or path element on its bytes and reports what is wrong with it. `location` may be a
   * function: it is only needed when there is something to report.
   */
  private checkElement(token: Token, what: string, location: string | (() => string)): number {
    const doc = this.doc;
    const start = doc.contentStart(token);
    const end = doc.end(token);
    const flags = scanPathElement(this.data, start, end);
    if (flags !== 0)
      reportPathFlags(this.log, flags, this.data, start, end, what, typeof location === 'string' ? location : location(), doc.start(token));
    return flags;
  }

  private readSingleFile(info: Token, lengthToken: Token, nameToken: Token, shownNameToken: Token, attrToken: Token): V1Files {
    const doc = this.doc;
    const flags = new Uint8Array(1);
    const attrTokens = new Int32Array([-1]);
    if (attrToken >= 0 && doc.isBytes(attrToken)) {
      attrTokens[0] = attrToken;
      flags[0] = attrFlags(this.data, doc.contentStart(attrToken), doc.end(attrToken));
    }
    if (!doc.isInt(lengthToken))
      this.fail('length-not-integer', `'length' is ${this.aKind(lengthToken)}, not an integer`, doc.start(lengthToken));
    const value = doc.int(lengthToken);
    if (value < 0) this.fail('negative-length', `'length' is ${value}: a file length cannot be negative`, doc.start(lengthToken));
    const big = typeof value === 'bigint';
    const parts: FileTableParts = {
      layout: 'single',
      count: 1,
      padCount: flags[0] & FLAG_PAD ? 1 : 0,
      fileTokens: new Int32Array([info]),
      pathTokens: new Int32Array([nameToken]),
      lengths: new Float64Array([big ? Number.NaN : value]),
      offsets: new Float64Array(1),
      flags,
      attrTokens,
    };
    if (shownNameToken !== nameToken) parts.shownNameToken = shownNameToken;
    const result: V1Files = { parts, total: big ? Number.NaN : value, paddingLength: flags[0] & FLAG_PAD ? (value as number) : 0 };
    if (big) result.bigTotal = value;
    return result;
  }

  private readFileList(filesToken: Token): V1Files {
    const doc = this.doc;
    const data = this.data;
    const log = this.log;
    if (!doc.isList(filesToken)) this.fail('files-not-list', `'files' is ${this.aKind(filesToken)}, not a list`, doc.start(filesToken));
    const count = doc.size(filesToken);
    if (count === 0)
      this.fail('no-files', "'files' is an empty list: the torrent has no files (libtorrent refuses it)", doc.start(filesToken));
    const fileTokens = new Int32Array(count);
    const pathTokens = new Int32Array(count);
    let utf8PathTokens: Int32Array | undefined;
    const attrTokens = new Int32Array(count);
    const lengths = new Float64Array(count);
    const offsets = new Float64Array(count);
    const flags = new Uint8Array(count);
    let total = 0;
    let bigTotal: bigint | undefined;
    let padCount = 0;
    let paddingLength = 0;
    // Duplicate paths and files that are also folders, from path hashes computed as the paths go by.
    const clashes =
      count > 1
        ? new PathClashFinder(doc, count, (file) => {
            const utf8 = utf8PathTokens ? utf8PathTokens[file] : -1;
            return utf8 >= 0 ? utf8 : pathTokens[file];
          })
        : undefined;

    const stop = doc.next(filesToken);
    let i = 0;
    for (let f = filesToken + 1; f < stop; f = doc.next(f), i++) {
      if (!doc.isDict(f)) this.fail('file-not-dict', `info.files[${i}] is ${this.aKind(f)}, not a dictionary`, doc.start(f));
      let lengthToken = -1;
      let pathToken = -1;
      let utf8Token = -1;
      let attrToken = -1;
      const fileStop = doc.next(f);
      for (let k = f + 1; k < fileStop;) {
        const v = doc.next(k);
        if (v >= fileStop) break;
        if (lengthToken < 0 && doc.keyEquals(k, 'length')) lengthToken = v;
        else if (pathToken < 0 && doc.keyEquals(k, 'path')) pathToken = v;
        else if (utf8Token < 0 && doc.keyEquals(k, 'path.utf-8')) utf8Token = v;
        else if (attrToken < 0 && doc.keyEquals(k, 'attr')) attrToken = v;
        else this.fileDictsHaveOtherKeys = true;
        k = doc.next(v);
      }
      fileTokens[i] = f;
      let fileFlags = 0;
      attrTokens[i] = -1;
      if (attrToken >= 0 && doc.isBytes(attrToken)) {
        attrTokens[i] = attrToken;
        fileFlags = attrFlags(data, doc.contentStart(attrToken), doc.end(attrToken));
      }

      // Length.
      let length = 0;
      let bigLength: bigint | undefined;
      if (lengthToken < 0) {
        // BEP 47: a symlink takes no space, and libtorrent lets it leave out its length.
        if (!(fileFlags & FLAG_SYMLINK)) this.fail('file-length-missing', `info.files[${i}] has no 'length'`, doc.start(f));
      } else {
        if (!doc.isInt(lengthToken))
          this.fail(
            'file-length-not-integer',
            `info.files[${i}].length is ${this.aKind(lengthToken)}, not an integer`,
            doc.start(lengthToken),
          );
        const value = doc.int(lengthToken);
        if (value < 0)
          this.fail('negative-length', `info.files[${i}].length is ${value}: a file length cannot be negative`, doc.start(lengthToken));
        if (typeof value === 'bigint') bigLength = value;
        else length = value;
      }

      // Path: `path.utf-8` wins when it is usable, as in libtorrent.
      let shown = pathToken;
      if (utf8Token >= 0 && doc.isList(utf8Token) && doc.size(utf8Token) > 0 && allBytes(doc, utf8Token)) {
        shown = utf8Token;
        utf8PathTokens ??= new Int32Array(count).fill(-1);
        utf8PathTokens[i] = utf8Token;
      }
      pathTokens[i] = pathToken;
      if (shown < 0 || (doc.isList(shown) && doc.size(shown) === 0)) {
        // libtorrent accepts a pad file without a path (it files it under .pad/<length>).
        if (!(fileFlags & FLAG_PAD)) {
          if (shown < 0) this.fail('file-path-missing', `info.files[${i}] has no 'path'`, doc.start(f));
          this.fail('file-path-empty', `info.files[${i}].path is an empty list: the file has no name`, doc.start(shown));
        }
        pathTokens[i] = -1;
      } else {
        if (!doc.isList(shown))
          this.fail('file-path-not-list', `info.files[${i}].path is ${this.aKind(shown)}, not a list of path elements`, doc.start(shown));
        const pathStop = doc.next(shown);
        let j = 0;
        let pathHash = PATH_HASH_START;
        for (let e = shown + 1, following: number; e < pathStop; e = following, j++) {
          following = doc.next(e);
          if (!doc.isBytes(e))
            this.fail('path-element-not-string', `info.files[${i}].path[${j}] is ${this.aKind(e)}, not a string`, doc.start(e));
          const start = doc.contentStart(e);
          const end = doc.end(e);
          const elementFlags = scanPathElement(data, start, end);
          if (elementFlags !== 0) {
            reportPathFlags(
              log,
              elementFlags,
              data,
              start,
              end,
              'path element',
              `info.files[${i}].${shown === utf8Token ? 'path.utf-8' : 'path'}[${j}]`,
              doc.start(e),
            );
          }
          // BitComet's pad files predate BEP 47's attr; libtorrent recognises them by name.
          if (data[start] === 0x5f && end - start >= 18 && bytesToBinary(data, start, start + 18) === '_____padding_file_')
            fileFlags |= FLAG_PAD;
          if (clashes === undefined || fileFlags & FLAG_PAD) continue;
          pathHash = extendPathHash(pathHash, lastElementHash());
          if (following < pathStop) clashes.addFolder(pathHash, i, j + 1);
          else clashes.addFile(pathHash, i);
        }
      }

      flags[i] = fileFlags;
      if (fileFlags & FLAG_PAD) {
        padCount++;
        paddingLength += length;
      }
      offsets[i] = total;
      if (bigLength !== undefined || bigTotal !== undefined || total + length > Number.MAX_SAFE_INTEGER) {
        bigTotal = (bigTotal ?? BigInt(total)) + (bigLength ?? BigInt(length));
        if (bigTotal > INT64_MAX) {
          this.fail(
            'total-length-overflow',
            `the file lengths add up to more than 2^63-1 bytes at info.files[${i}]: the total overflows (libtorrent refuses the torrent)`,
            doc.start(lengthToken),
          );
        }
        lengths[i] = bigLength === undefined ? length : Number.NaN;
        total = Number.NaN;
      } else {
        lengths[i] = length;
        total += length;
      }
    }

    if (clashes) {
      for (const clash of clashes.finish()) {
        const pathOf = (file: number) => {
          const utf8 = utf8PathTokens ? utf8PathTokens[file] : -1;
          return utf8 >= 0 ? utf8 : pathTokens[file];
        };
        this.reportClash(clash, pathOf(clash.file), pathOf(clash.other), fileTokens[clash.file]);
      }
    }
    if (clashes?.incomplete) {
      this.note(
        'path-check-incomplete',
        'so many file paths share a hash that some were not compared with each other: duplicate paths may go unreported',
        filesToken,
        'info.files',
      );
    }
    const parts: FileTableParts = { layout: 'list', count, padCount, fileTokens, pathTokens, lengths, offsets, flags, attrTokens };
    if (utf8PathTokens) parts.utf8PathTokens = utf8PathTokens;
    const result: V1Files = { parts, total, paddingLength };
    if (bigTotal !== undefined) result.bigTotal = bigTotal;
    return result;
  }

  private reportClash(clash: PathClash, path: Token, otherPath: Token, file: Token): void {
    const { file: i, other, kind, caseOnly } = clash;
    const code = kind === PATH_DUPLICATE ? (caseOnly ? 'path-duplicate-case' : 'path-duplicate') : 'path-collision';
    if (!this.log.want(code)) return;
    const shown = this.pathText(path);
    // Names that differ only in case are one name on Windows and macOS, and libtorrent treats them so everywhere.
    const otherShown = caseOnly ? ` (${this.pathText(otherPath)})` : '';
    const sameOnDisk = caseOnly
      ? ' once letter case is ignored, as on Windows and macOS file systems and by libtorrent on every system'
      : '';
    const message =
      kind === PATH_DUPLICATE
        ? caseOnly
          ? `info.files[${i}] (${shown}) has the same path as info.files[${other}]${otherShown}${sameOnDisk}; libtorrent renames the second one (adding .1 before the extension)`
          : `info.files[${i}] has the same path as info.files[${other}] (${shown}); libtorrent renames the second one (adding .1 before the extension)`
        : kind === PATH_FILE_IS_FOLDER
          ? `info.files[${i}] (${shown}) names a file where info.files[${other}]${otherShown} needs a folder of that name${sameOnDisk}; both cannot exist (libtorrent renames the file)`
          : `info.files[${i}] (${shown}) needs a folder where info.files[${other}]${otherShown} is a file of that name${sameOnDisk}; both cannot exist (libtorrent renames the file)`;
    this.log.push('warning', code, message, this.doc.start(file), `info.files[${i}].path`);
  }

  /**
   * Reports a file tree name that another name in its folder equals once ASCII letter case is ignored,
   * where one of them is a file (two folders merge on disk and lose nothing). `names` holds the folder's
   * names so far by the case-folded hash scanPathElement left for `key`.
   */
  private checkSiblingCase(
    names: Map<number, { key: Token; file: boolean }[]>,
    key: Token,
    file: boolean,
    location: (key: Token) => string,
  ): void {
    const hash = lastElementHash();
    const same = names.get(hash);
    if (!same) {
      names.set(hash, [{ key, file }]);
      return;
    }
    const doc = this.doc;
    // Exact repeats are duplicate keys, reported by the decoder.
    const other = same.find((o) => (o.file || file) && !sameBytes(doc, o.key, key) && sameBytesIgnoringCase(doc, o.key, key));
    same.push({ key, file });
    if (!other) return;
    const code = file && other.file ? 'path-duplicate-case' : 'path-collision';
    if (!this.log.want(code)) return;
    const what = (isFile: boolean) => (isFile ? 'file' : 'folder');
    this.log.push(
      'warning',
      code,
      `${what(file)} ${location(key)} has the same name as ${what(other.file)} ${location(other.key)} once letter case is ignored, as on Windows and macOS file systems and by libtorrent on every system; libtorrent renames the ${file && other.file ? 'second one (adding .1 before the extension)' : 'file'}`,
      doc.start(key),
      location(key),
    );
  }

  private pathText(list: Token): string {
    const doc = this.doc;
    const parts: string[] = [];
    const stop = doc.next(list);
    for (let e = list + 1; e < stop; e = doc.next(e)) parts.push(displayText(doc.bytes(e)).text);
    const joined = parts.join('/');
    return `'${escapeControlChars(joined.length > 120 ? `${joined.slice(0, 120)}…` : joined)}'`;
  }

  /**
   * Walks the BEP 52 file tree without recursion; files come out in key order, as clients list them.
   * `checkCase`: look for names that differ only in letter case (the v1 file list, when there is one,
   * has the same paths and is checked already).
   */
  private readFileTree(treeToken: Token, pieceLength: number, checkCase: boolean): TreeFiles {
    const doc = this.doc;
    const data = this.data;
    if (!doc.isDict(treeToken))
      this.fail('file-tree-invalid', `'file tree' is ${this.aKind(treeToken)}, not a dictionary`, doc.start(treeToken));
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
    const dictStack: Token[] = [treeToken];
    const posStack: Token[] = [treeToken + 1];
    const keyStack: Token[] = [];
    /** Per open folder: its names so far by case-folded hash, each with whether it is a file. */
    const namesStack: Map<number, { key: Token; file: boolean }[]>[] = [new Map()];
    const location = (last: Token) => `info.file tree/${[...keyStack, last].map((k) => displayText(doc.bytes(k)).text).join('/')}`;

    if (doc.size(treeToken) === 0) this.fail('no-files', "'file tree' is empty: the torrent has no files", doc.start(treeToken));
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
        this.fail(
          'file-tree-invalid',
          `the file tree holds file data ('' key) beside other entries in one folder; libtorrent refuses this`,
          doc.start(key),
        );
      }
      if (!doc.isDict(node))
        this.fail(
          'file-tree-invalid',
          `file tree entry ${quoteBytes(data, doc.contentStart(key), doc.end(key))} is ${this.aKind(node)}, not a dictionary`,
          doc.start(node),
        );
      if (this.checkElement(key, 'file tree name', () => location(key)) & P_NON_ASCII) this.fileTreeNeedsKeyCheck = true;
      const leafKey = node + 1;
      const isLeaf = doc.size(node) === 1 && doc.size(leafKey) === 0 && doc.isBytes(leafKey);
      if (checkCase) this.checkSiblingCase(namesStack[level], key, isLeaf, location);
      if (!isLeaf) {
        if (doc.size(node) === 0)
          this.warn(
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
        this.fail('file-tree-invalid', `the file data of ${location(key)} is ${this.aKind(meta)}, not a dictionary`, doc.start(meta));
      let fileFlags = 0;
      const attr = doc.get(meta, 'attr');
      if (attr >= 0 && doc.isBytes(attr)) {
        fileFlags = attrFlags(data, doc.contentStart(attr), doc.end(attr));
        if (fileFlags & FLAG_PAD)
          this.warn(
            'v2-pad-file',
            `${location(key)} is marked as a pad file, which the v2 file tree does not use (libtorrent refuses it)`,
            attr,
            location(key),
          );
      }
      const lengthToken = doc.get(meta, 'length');
      let length = 0;
      if (lengthToken < 0) {
        if (!(fileFlags & FLAG_SYMLINK)) this.fail('file-length-missing', `${location(key)} has no 'length'`, doc.start(meta));
      } else {
        if (!doc.isInt(lengthToken))
          this.fail(
            'file-length-not-integer',
            `the length of ${location(key)} is ${this.aKind(lengthToken)}, not an integer`,
            doc.start(lengthToken),
          );
        const value = doc.int(lengthToken);
        if (value < 0)
          this.fail(
            'negative-length',
            `the length of ${location(key)} is ${value}: a file length cannot be negative`,
            doc.start(lengthToken),
          );
        if (typeof value === 'bigint' || total + value > Number.MAX_SAFE_INTEGER || bigTotal !== undefined) {
          bigTotal = (bigTotal ?? BigInt(total)) + BigInt(value);
          if (bigTotal > INT64_MAX)
            this.fail(
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
        this.fileTreeNeedsKeyCheck = true;
      let rootToken = -1;
      if (root >= 0) {
        if (!doc.isBytes(root) || doc.size(root) !== 32) {
          this.fail(
            'pieces-root-invalid',
            `'pieces root' of ${location(key)} is ${doc.isBytes(root) ? `${doc.size(root)} bytes` : `${this.aKind(root)}`}, not a 32-byte SHA-256 hash`,
            doc.start(root),
          );
        }
        rootToken = root;
      } else if (length > 0 && !(fileFlags & FLAG_SYMLINK)) {
        this.fail('pieces-root-missing', `${location(key)} has ${length} bytes but no 'pieces root' (BEP 52)`, doc.start(meta));
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
    if (count === 0) this.fail('no-files', 'the file tree has no files', doc.start(treeToken));
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
    const result: TreeFiles = { parts, total, pieceCount };
    if (bigTotal !== undefined) result.bigTotal = bigTotal;
    return result;
  }

  /** v1 piece hashes: present, a whole number of SHA-1 hashes, exactly one per piece. Returns the piece count. */
  private checkPieces(piecesToken: Token, v1: V1Files, pieceLength: number, isV2: boolean, info: Token): number {
    const doc = this.doc;
    if (piecesToken < 0) {
      if (isV2) {
        this.warn('missing-pieces', "this hybrid torrent has v1 files but no 'pieces': v1 clients cannot check its data", info, 'info');
        if (v1.bigTotal !== undefined) this.tooLarge(v1.bigTotal, info);
        return Math.ceil(v1.total / pieceLength);
      }
      this.fail('missing-pieces', "the info dictionary has no 'pieces' (the SHA-1 hash of each piece)", doc.start(info));
    }
    if (!doc.isBytes(piecesToken))
      this.fail(
        'pieces-not-string',
        `'pieces' is ${this.aKind(piecesToken)}, not a string of 20-byte SHA-1 hashes`,
        doc.start(piecesToken),
      );
    const size = doc.size(piecesToken);
    if (size % 20 !== 0) {
      this.fail(
        'pieces-length',
        `'pieces' is ${size.toLocaleString('en-US')} bytes long, not a multiple of 20 (each SHA-1 piece hash is 20 bytes)`,
        doc.start(piecesToken),
      );
    }
    const hashes = size / 20;
    if (v1.bigTotal !== undefined) {
      const needed = (v1.bigTotal + BigInt(pieceLength) - 1n) / BigInt(pieceLength);
      if (needed !== BigInt(hashes)) {
        this.fail(
          'pieces-count',
          `'pieces' holds ${hashes.toLocaleString('en-US')} piece hash${hashes === 1 ? '' : 'es'} but ${v1.bigTotal} bytes in pieces of ${pieceLength} need ${needed}`,
          doc.start(piecesToken),
        );
      }
      this.tooLarge(v1.bigTotal, piecesToken);
    }
    const needed = Math.ceil(v1.total / pieceLength);
    if (needed !== hashes) {
      this.fail(
        'pieces-count',
        `'pieces' holds ${hashes.toLocaleString('en-US')} piece hash${hashes === 1 ? '' : 'es'} but ${v1.total.toLocaleString('en-US')} bytes in pieces of ${pieceLength.toLocaleString('en-US')} need ${needed.toLocaleString('en-US')}`,
        doc.start(piecesToken),
      );
    }
    return hashes;
  }

  private tooLarge(total: bigint, token: Token): never {
    this.fail(
      'length-too-large',
      `the files add up to ${total} bytes, more than 2^53: too large to handle exactly (no real torrent is this large)`,
      this.doc.start(token),
    );
  }

  /** BEP 52 hybrid: the v1 list (pad files aside) and the v2 tree must describe the same files in the same order. */
  private checkHybrid(v1: V1Files, tree: TreeFiles, where: Token): void {
    const doc = this.doc;
    const a = v1.parts;
    const b = tree.parts;
    const roots = new Int32Array(a.count).fill(-1);
    a.rootTokens = roots;
    const bKeys = b.pathKeys as Int32Array;
    const bStart = b.pathStart as Int32Array;
    let j = 0;
    let mismatch: string | undefined;
    for (let i = 0; i < a.count && mismatch === undefined; i++) {
      if (a.flags[i] & FLAG_PAD) continue;
      if (j >= b.count) {
        mismatch = `info.files[${i}] has no counterpart in the v2 file tree`;
        break;
      }
      if (a.lengths[i] !== b.lengths[j]) {
        mismatch = `info.files[${i}] is ${a.lengths[i]} bytes in the v1 list but ${b.lengths[j]} in the v2 file tree`;
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
      roots[i] = (b.rootTokens as Int32Array)[j];
      j++;
    }
    if (mismatch === undefined && j < b.count)
      mismatch = `the v2 file tree has ${b.count - j} more file${b.count - j === 1 ? '' : 's'} than the v1 list`;
    if (mismatch !== undefined) {
      this.warn(
        'hybrid-mismatch',
        `the v1 file list and the v2 file tree of this hybrid torrent disagree: ${mismatch}; v1 and v2 peers would exchange different data (libtorrent refuses such torrents)`,
        where,
        'info',
      );
    }
  }

  /** BEP 52 piece layers: each file larger than a piece needs its layer of SHA-256 hashes. */
  private checkPieceLayers(layersToken: Token, tree: TreeFiles, pieceLength: number): number {
    const doc = this.doc;
    const p = tree.parts;
    const roots = p.rootTokens as Int32Array;
    let needsLayers = false;
    for (let i = 0; i < p.count; i++) if (p.lengths[i] > pieceLength && roots[i] >= 0) needsLayers = true;
    if (layersToken < 0) {
      if (needsLayers)
        this.warn(
          'piece-layers-missing',
          "the torrent has no 'piece layers' although some files are larger than a piece: the v2 piece hashes must come from peers (libtorrent refuses such a .torrent)",
          0,
          undefined,
        );
      return 0;
    }
    if (!doc.isDict(layersToken)) {
      this.warn(
        'piece-layers-invalid',
        `'piece layers' is ${this.aKind(layersToken)}, not a dictionary; ignored`,
        layersToken,
        'piece layers',
      );
      return 0;
    }
    const layers = new Map<string, Token>();
    for (const [k, v] of doc.entries(layersToken)) {
      if (doc.size(k) !== 32 || !doc.isBytes(v) || doc.size(v) % 32 !== 0) {
        this.warn(
          'piece-layers-invalid',
          `a 'piece layers' entry is not a 32-byte root with a string of 32-byte hashes; ignored (as libtorrent does)`,
          k,
          'piece layers',
        );
        continue;
      }
      const root = doc.binary(k);
      if (!layers.has(root)) layers.set(root, v);
    }
    if (!needsLayers) return doc.size(layersToken);
    for (let i = 0; i < p.count; i++) {
      const length = p.lengths[i];
      if (!(length > pieceLength) || roots[i] < 0) continue;
      const layer = layers.get(doc.binary(roots[i]));
      const expected = Math.ceil(length / pieceLength) * 32;
      if (layer === undefined) {
        if (this.log.want('piece-layer-missing')) {
          this.log.push(
            'warning',
            'piece-layer-missing',
            `'piece layers' has no entry for the pieces root of file ${i + 1} (${length.toLocaleString('en-US')} bytes); libtorrent refuses such a .torrent`,
            doc.start(roots[i]),
            `files[${i}]`,
          );
        }
      } else if (doc.size(layer) !== expected) {
        if (this.log.want('piece-layer-size')) {
          this.log.push(
            'warning',
            'piece-layer-size',
            `the piece layer of file ${i + 1} is ${doc.size(layer)} bytes; ${length.toLocaleString('en-US')} bytes in pieces of ${pieceLength} need ${expected} (libtorrent refuses it)`,
            doc.start(layer),
            'piece layers',
          );
        }
      }
    }
    return doc.size(layersToken);
  }

  // ---------------------------------------------------------------------------------------------------
  // Root fields

  private readTrackers(announceToken: Token, listToken: Token): string[][] {
    const doc = this.doc;
    const tiers: string[][] = [];
    const seen = new Map<string, number>();
    if (listToken >= 0) {
      if (!doc.isList(listToken)) {
        this.warn(
          'announce-list-invalid',
          `'announce-list' is ${this.aKind(listToken)}, not a list of tiers; ignored, so 'announce' is used (as libtorrent and Transmission do)`,
          listToken,
          'announce-list',
        );
      } else {
        let t = 0;
        const stop = doc.next(listToken);
        for (let tier = listToken + 1; tier < stop; tier = doc.next(tier), t++) {
          if (!doc.isList(tier)) {
            this.warn(
              'announce-list-invalid',
              `announce-list tier ${t + 1} is ${this.aKind(tier)}, not a list of URLs; skipped (as libtorrent does)`,
              tier,
              `announce-list[${t}]`,
            );
            continue;
          }
          const urls: string[] = [];
          let u = 0;
          const tierStop = doc.next(tier);
          for (let item = tier + 1; item < tierStop; item = doc.next(item), u++) {
            const url = this.trackerUrl(item, `announce-list[${t}][${u}]`);
            if (url === undefined) continue;
            const firstTier = seen.get(url);
            if (firstTier !== undefined) {
              this.note(
                'tracker-duplicate',
                `tracker ${quoteText(url)} is listed again in tier ${t + 1} (first in tier ${firstTier + 1})`,
                item,
                `announce-list[${t}][${u}]`,
              );
            } else {
              seen.set(url, t);
            }
            urls.push(url);
          }
          if (urls.length > 0) tiers.push(urls);
          else if (doc.size(tier) === 0)
            this.note('announce-list-empty-tier', `announce-list tier ${t + 1} is empty; skipped`, tier, `announce-list[${t}]`);
        }
      }
    }
    if (announceToken >= 0) {
      if (!doc.isBytes(announceToken)) {
        this.warn(
          'announce-invalid',
          `'announce' is ${this.aKind(announceToken)}, not a URL; ignored${tiers.length === 0 ? ' (the torrent has no trackers)' : ''}`,
          announceToken,
          'announce',
        );
      } else if (tiers.length === 0) {
        const url = this.trackerUrl(announceToken, 'announce');
        if (url !== undefined) tiers.push([url]);
      } else {
        const url = displayText(doc.bytes(announceToken)).text;
        if (url.trim() !== '' && !seen.has(url)) {
          this.note(
            'announce-ignored',
            `'announce' (${quoteText(url)}) is not in 'announce-list'; clients use only 'announce-list' when it is present (BEP 12), so it is ignored`,
            announceToken,
            'announce',
          );
        }
      }
    }
    return tiers;
  }

  /** A tracker URL as given, or undefined (with a diagnostic) when clients would skip it. */
  private trackerUrl(token: Token, location: string): string | undefined {
    const doc = this.doc;
    if (!doc.isBytes(token)) {
      this.warn('tracker-not-string', `${location} is ${this.aKind(token)}, not a URL; skipped (as libtorrent does)`, token, location);
      return undefined;
    }
    const text = displayText(doc.bytes(token));
    const url = text.text;
    const trimmed = url.trim();
    if (trimmed === '') {
      this.warn('tracker-empty', `${location} is an empty tracker URL; skipped (as libtorrent does)`, token, location);
      return undefined;
    }
    if (trimmed !== url) {
      this.warn(
        'tracker-whitespace',
        `tracker ${quoteText(url)} has leading or trailing whitespace; libtorrent strips the leading whitespace, Transmission ignores the tracker`,
        token,
        location,
      );
    }
    if (!TRACKER_SCHEME.test(trimmed)) {
      this.warn(
        'tracker-url-invalid',
        `tracker ${quoteText(url)} is not an http(s), udp or ws(s) URL; clients cannot announce to it (Transmission ignores it)`,
        token,
        location,
      );
    }
    if (!text.utf8) this.warn('not-utf8', `tracker ${quoteText(url)} is not valid UTF-8; shown as latin-1`, token, location);
    return url;
  }

  private readUrlList(token: Token, key: 'url-list' | 'httpseeds', invalidCode: string): string[] {
    const doc = this.doc;
    if (token < 0) return [];
    const out: string[] = [];
    const add = (item: Token, location: string) => {
      if (!doc.isBytes(item)) {
        this.warn(invalidCode, `${location} is ${this.aKind(item)}, not a URL; ignored (as libtorrent does)`, item, location);
        return;
      }
      if (doc.size(item) === 0) return;
      const url = displayText(doc.bytes(item)).text;
      if (out.includes(url)) {
        this.note('web-seed-duplicate', `${key} lists ${quoteText(url)} more than once; libtorrent uses it once`, item, location);
        return;
      }
      if (!/^(https?|ftp):\/\//i.test(url.trim()))
        this.warn(
          'web-seed-url-invalid',
          `web seed ${quoteText(url)} is not an http(s) URL; clients cannot download from it`,
          item,
          location,
        );
      out.push(url);
    };
    if (doc.isBytes(token)) {
      add(token, key);
    } else if (doc.isList(token)) {
      let i = 0;
      const stop = doc.next(token);
      for (let item = token + 1; item < stop; item = doc.next(item), i++) add(item, `${key}[${i}]`);
    } else {
      this.warn(invalidCode, `'${key}' is ${this.aKind(token)}, not a URL or a list of URLs; ignored`, token, key);
    }
    return out;
  }

  private readNodes(token: Token): DhtNode[] {
    const doc = this.doc;
    if (token < 0) return [];
    if (!doc.isList(token)) {
      this.warn('nodes-invalid', `'nodes' is ${this.aKind(token)}, not a list of [host, port] pairs; ignored`, token, 'nodes');
      return [];
    }
    const nodes: DhtNode[] = [];
    let i = 0;
    const stop = doc.next(token);
    for (let node = token + 1; node < stop; node = doc.next(node), i++) {
      let host: Token = -1;
      let port: Token = -1;
      if (doc.isList(node) && doc.size(node) >= 2) {
        host = node + 1;
        port = doc.next(host);
      }
      const valid = host >= 0 && doc.isBytes(host) && doc.size(host) > 0 && doc.isInt(port);
      const portValue = valid ? doc.int(port) : -1;
      if (!valid || typeof portValue === 'bigint' || portValue < 0 || portValue > 65535) {
        if (this.log.want('node-invalid')) {
          const what = !doc.isList(node)
            ? `${this.aKind(node)}`
            : valid
              ? `a pair with port ${portValue}`
              : 'a list that is not [host string, port integer]';
          this.log.push(
            'warning',
            'node-invalid',
            `DHT node ${i + 1} is ${what}, not a [host, port] pair; skipped (as libtorrent does)`,
            doc.start(node),
            `nodes[${i}]`,
          );
        }
        continue;
      }
      nodes.push({ host: displayText(doc.bytes(host)).text, port: portValue });
    }
    return nodes;
  }

  private readPrivate(token: Token): boolean {
    const doc = this.doc;
    if (token < 0) return false;
    if (!doc.isInt(token)) {
      const shown = doc.isBytes(token) ? ` (${quoteBytes(this.data, doc.contentStart(token), doc.end(token))})` : '';
      this.warn(
        'private-not-integer',
        `'private' is ${this.aKind(token)}${shown}, not an integer: libtorrent reads the torrent as NOT private, so it uses DHT and peer exchange`,
        token,
        'info.private',
      );
      return false;
    }
    const value = doc.int(token);
    if (value !== 0 && value !== 1) {
      this.warn(
        'private-unusual',
        `'private' is ${value}; BEP 27 uses 1. libtorrent and Transmission treat any non-zero value as private`,
        token,
        'info.private',
      );
    }
    return value !== 0;
  }

  /** A text field, preferring its `.utf-8` twin when that is a string. */
  private readText(token: Token, utf8Token: Token, location: string, what: string): TorrentText | undefined {
    const doc = this.doc;
    let chosen = -1;
    if (utf8Token >= 0 && doc.isBytes(utf8Token)) chosen = utf8Token;
    else if (token >= 0 && doc.isBytes(token)) chosen = token;
    if (token >= 0 && !doc.isBytes(token))
      this.warn('text-invalid', `${what} is ${this.aKind(token)}, not a string; ignored`, token, location);
    if (chosen < 0) return undefined;
    const text = displayText(doc.bytes(chosen));
    if (!text.utf8) this.warn('not-utf8', `${what} is not valid UTF-8; shown as latin-1`, chosen, location);
    const flags = scanPathElement(this.data, doc.contentStart(chosen), doc.end(chosen));
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    if (flags & P_CONTROL || /[\0\x01-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text.text)) {
      this.note('control-characters', `${what} contains control characters (shown escaped)`, chosen, location);
    }
    return text;
  }

  private readCreationDate(token: Token): number | undefined {
    const doc = this.doc;
    if (token < 0) return undefined;
    if (!doc.isInt(token)) {
      this.warn(
        'creation-date-invalid',
        `'creation date' is ${this.aKind(token)}, not an integer (seconds since 1970); ignored`,
        token,
        'creation date',
      );
      return undefined;
    }
    const value = doc.int(token);
    if (typeof value === 'bigint') {
      this.warn('creation-date-invalid', `'creation date' ${value} is out of any plausible range; ignored`, token, 'creation date');
      return undefined;
    }
    const now = Date.now() / 1000;
    if (value < 0) {
      this.warn('creation-date-invalid', `'creation date' ${value} is negative; libtorrent ignores it`, token, 'creation date');
    } else if (value > now + 366 * 86400 && value / 1000 >= BEP3_EPOCH && value / 1000 <= now + 366 * 86400) {
      this.note(
        'creation-date-milliseconds',
        `'creation date' ${value} looks like milliseconds (${isoDate(value / 1000)}); clients read it as seconds (${isoDate(value)})`,
        token,
        'creation date',
      );
    } else if (value < BEP3_EPOCH || value > now + 366 * 86400) {
      this.note(
        'creation-date-implausible',
        `'creation date' ${value} (${isoDate(value)}) is implausible for a torrent`,
        token,
        'creation date',
      );
    }
    return value;
  }

  private readEncoding(token: Token): TorrentText | undefined {
    const doc = this.doc;
    if (token < 0) return undefined;
    if (!doc.isBytes(token)) {
      this.warn('text-invalid', `'encoding' is ${this.aKind(token)}, not a string; ignored`, token, 'encoding');
      return undefined;
    }
    const text = displayText(doc.bytes(token));
    if (!/^utf-?8$/i.test(text.text.trim())) {
      this.note(
        'encoding',
        `'encoding' says ${quoteText(text.text)}: strings that are not valid UTF-8 are shown as latin-1 and marked`,
        token,
        'encoding',
      );
    }
    return text;
  }

  // ---------------------------------------------------------------------------------------------------
  // Helpers

  private kindName(t: Token): string {
    const kind = this.doc.kind(t);
    return kind === 'int' ? 'integer' : kind === 'bytes' ? 'string' : kind === 'dict' ? 'dictionary' : 'list';
  }

  /** The value's type with its article: "an integer", "a list". */
  private aKind(t: Token): string {
    const name = this.kindName(t);
    return name === 'integer' ? 'an integer' : `a ${name}`;
  }

  private fail(code: string, message: string, offset?: number): never {
    throw new MetainfoError(code, message, offset);
  }

  private warn(code: string, message: string, token: Token | undefined, location: string | undefined): void {
    this.add('warning', code, message, token, location);
  }

  private note(code: string, message: string, token: Token | undefined, location: string | undefined): void {
    this.add('info', code, message, token, location);
  }

  private add(severity: DiagnosticSeverity, code: string, message: string, token: Token | undefined, location: string | undefined): void {
    if (this.log.want(code, severity))
      this.log.push(severity, code, message, token === undefined ? undefined : this.doc.start(token), location);
  }
}

/** BEP 47 attribute flags from an `attr` string. */
function attrFlags(data: Uint8Array, start: number, end: number): number {
  let flags = 0;
  for (let i = start; i < end; i++) {
    if (data[i] === 0x70) flags |= FLAG_PAD;
    else if (data[i] === 0x6c) flags |= FLAG_SYMLINK;
  }
  return flags;
}

function allBytes(doc: BencodeDocument, list: Token): boolean {
  const stop = doc.next(list);
  for (let e = list + 1; e < stop; e = doc.next(e)) if (!doc.isBytes(e)) return false;
  return true;
}

function compareKeyTokens(doc: BencodeDocument, a: Token, b: Token): number {
  const data = doc.data;
  const aStart = doc.contentStart(a);
  const bStart = doc.contentStart(b);
  const aLength = doc.end(a) - aStart;
  const bLength = doc.end(b) - bStart;
  const n = Math.min(aLength, bLength);
  for (let i = 0; i < n; i++) {
    const diff = data[aStart + i] - data[bStart + i];
    if (diff !== 0) return diff;
  }
  return aLength - bLength;
}

function quoteText(text: string): string {
  return `'${escapeControlChars(text.length > 100 ? `${text.slice(0, 100)}…` : text)}'`;
}

function isoDate(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? 'out of range' : date.toISOString().replace('.000Z', 'Z');
}

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

/** How a tool that decodes and re-encodes a dictionary orders and spells its keys. */
export type ReencodingStyle =
  /** Keys as bytes, sorted by bytes, the last of duplicates kept (a map keyed by bytes). */
  | 'bytes'
  /** The npm `bencode` package: keys as UTF-8 text (hex when not valid), no `__proto__`, sorted by UTF-16 code units. */
  | 'npm';

const lenientUtf8 = new TextDecoder();

/** The key as npm `bencode` reads it. */
function npmKeyText(bytes: Uint8Array): string {
  const text = lenientUtf8.decode(bytes);
  return text.includes('\ufffd') ? toHex(bytes) : text;
}

/**
 * The SHA-1 that a tool which decodes the info dictionary and re-encodes it computes. Only needed when
 * that differs from the hash of the original bytes, which is rare: this allocates per key.
 */
export function reencodedSha1(doc: BencodeDocument, info: Token, style: ReencodingStyle = 'bytes'): string {
  const hash = createHash('sha1');
  const data = doc.data;
  const chunk = new Uint8Array(65536);
  let used = 0;
  const flush = () => {
    hash.update(chunk.subarray(0, used));
    used = 0;
  };
  const write = (bytes: Uint8Array) => {
    if (bytes.length > chunk.length - used) {
      flush();
      if (bytes.length > chunk.length) {
        hash.update(bytes);
        return;
      }
    }
    chunk.set(bytes, used);
    used += bytes.length;
  };
  const ascii = (text: string) => write(utf8Encode(text));
  // Depth is bounded by the decoder (DEFAULT_MAX_DEPTH), so recursion is safe here.
  const value = (t: Token): void => {
    if (doc.isDict(t)) {
      const byKey = new Map<string, [Uint8Array, Token]>();
      for (const [k, v] of doc.entries(t)) {
        if (style === 'bytes') {
          byKey.set(doc.binary(k), [data.subarray(doc.start(k), doc.end(k)), v]);
        } else {
          const text = npmKeyText(doc.bytes(k));
          // `object['__proto__'] = value` sets the prototype instead of a key: the key is lost.
          if (text === '__proto__') continue;
          const bytes = utf8Encode(text);
          byKey.set(text, [concatBytes(utf8Encode(`${bytes.length}:`), bytes), v]);
        }
      }
      const keys = [...byKey.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
      ascii('d');
      for (const key of keys) {
        const [encodedKey, v] = byKey.get(key) as [Uint8Array, Token];
        write(encodedKey);
        value(v);
      }
      ascii('e');
    } else if (doc.isList(t)) {
      ascii('l');
      const stop = doc.next(t);
      for (let c = t + 1; c < stop; c = doc.next(c)) value(c);
      ascii('e');
    } else {
      write(data.subarray(doc.start(t), doc.end(t)));
    }
  };
  value(info);
  flush();
  return hash.digest('hex');
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Whether npm `bencode` would re-encode some dictionary under `t` differently from its bytes: a key that
 * is not valid UTF-8, a `__proto__` key, or keys whose UTF-16 order differs from their byte order.
 */
export function hasNpmKeyHazard(doc: BencodeDocument, t: Token, topLevelOnly = false): boolean {
  const stop = topLevelOnly ? t + 1 : doc.next(t);
  const data = doc.data;
  for (let d = t; d < stop; d++) {
    if (!doc.isDict(d)) continue;
    let previous: string | undefined;
    const end = doc.next(d);
    for (let k = d + 1; k < end;) {
      const v = doc.next(k);
      if (v >= end) break;
      let ascii = true;
      for (let i = doc.contentStart(k); i < doc.end(k) && ascii; i++) ascii = data[i] < 0x80;
      const text = ascii ? doc.binary(k) : npmKeyText(doc.bytes(k));
      if (text === '__proto__' || (!ascii && !isValidUtf8(data, doc.contentStart(k), doc.end(k)))) return true;
      if (previous !== undefined && previous > text) return true;
      previous = text;
      k = doc.next(v);
    }
  }
  return false;
}
