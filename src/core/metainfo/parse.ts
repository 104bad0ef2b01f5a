// The metainfo model: reads what a .torrent says from a decoded bencode document (BEP 3, 5, 12, 17, 19,
// 27, 47, 52), checks it, and computes its info hashes over the ORIGINAL bytes of the info dictionary.
//
// Fatal defects (no info dictionary, a missing or invalid piece length, piece hashes that do not cover
// the data …) make the parse fail with a code, a message that names the defect, and its byte offset.
// Everything else a client can live with is accepted with a diagnostic that says what libtorrent or
// Transmission do with it.
//
// This file holds the entry points and the order in which the parts are read (which is the order of
// the diagnostics); each part lives in its own module and takes the read's ReadContext:
//   dictionaries.ts  the root and info dictionaries' keys     info-fields.ts  meta version, piece length, name, private
//   file-list.ts     v1 files and piece hashes                 root-fields.ts  trackers, web seeds, nodes, texts, dates
//   file-tree.ts     v2 file tree, piece layers, hybrid check  reencoding.ts   what re-encoding tools compute
// Names and path elements are checked in paths.ts; codes.ts lists every code a parse reports.
//
// It must stay fast on a 100,000-file torrent: the file list is read into typed arrays in one pass,
// names are checked on the raw bytes, and `TorrentFile` objects are only built on request.

import { createHash, webcrypto } from 'node:crypto';
import { BencodeDocument, BencodeError, decode, type Token } from '../bencode/decode';
import { toHex } from '../text/bytes';
import { DiagnosticLog } from './diagnostics';
import {
  checkRequiredKeys,
  findInfo,
  INFO_KEYS,
  libtorrentWantsCanonical,
  reportBencodeWarnings,
  reportInfoDuplicates,
  scanDict,
  scanRoot,
} from './dictionaries';
import { checkPieces, readFileList, readSingleFile, type V1Files } from './file-list';
import { FileTable } from './file-table';
import { checkHybrid, checkPieceLayers, readFileTree, type TreeFiles } from './file-tree';
import { readMetaVersion, readName, readPieceLength, readPrivate, reportEmptyName } from './info-fields';
import { MetainfoError, ReadContext } from './read-context';
import { isInfoCanonical, npmMayReencodeInfo, reencodedSha1, settleReencodedHashes } from './reencoding';
import { readCreationDate, readEncoding, readNodes, readText, readTrackers, readUrlList } from './root-fields';
import type { Diagnostic, InfoHashes, Metainfo, MetainfoResult, TorrentVersion, UnknownKey } from './types';
import { errorText } from '../../shared/format';

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
    return { ok: true, metainfo: readMetainfo(new ReadContext(doc, log), options.deferHashes === true) };
  } catch (error) {
    if (error instanceof MetainfoError) {
      const failure = { code: error.code, message: error.message, document: doc, diagnostics: log.finish() } as const;
      return { ok: false, failure: error.offset === undefined ? failure : { ...failure, offset: error.offset } };
    }
    return internalFailure(error, doc, log.finish());
  }
}

function internalFailure(error: unknown, document: BencodeDocument | undefined, diagnostics: Diagnostic[]): MetainfoResult {
  const message = errorText(error);
  return { ok: false, failure: { code: 'internal-error', message: `could not read the metainfo: ${message}`, document, diagnostics } };
}

/** Reads the whole model; throws MetainfoError on a fatal defect. */
function readMetainfo(ctx: ReadContext, deferHashes: boolean): Metainfo {
  const doc = ctx.doc;
  const unknownKeys: UnknownKey[] = [];
  const root = scanRoot(ctx, unknownKeys);
  const info = findInfo(ctx, root);
  const infoSpan = { start: doc.start(info), end: doc.end(info) };
  const fields = scanDict(ctx, info, INFO_KEYS, 'info', unknownKeys);
  const explained = reportInfoDuplicates(ctx, fields.all);
  reportBencodeWarnings(ctx, infoSpan, explained);
  const key = (name: string): Token => fields.first.get(name) ?? -1;
  const rootKey = (name: string): Token => root.first.get(name) ?? -1;
  checkRequiredKeys(ctx, info, key);

  // BEP 52 version.
  const metaVersionToken = key('meta version');
  const metaVersion = readMetaVersion(ctx, metaVersionToken);
  const isV2 = metaVersion === 2;
  const fileTree = key('file tree');
  const filesToken = key('files');
  const lengthToken = key('length');
  const piecesToken = key('pieces');
  if (fileTree >= 0 && !isV2) {
    ctx.fail(
      'file-tree-without-meta-version',
      "the info dictionary has a 'file tree' (BEP 52) but no 'meta version' 2; libtorrent refuses such torrents",
      doc.start(fileTree),
    );
  }
  if (isV2 && fileTree < 0)
    ctx.fail('missing-file-tree', "'meta version' is 2 but the info dictionary has no 'file tree' (BEP 52)", doc.start(metaVersionToken));
  const hasV1 = !isV2 || filesToken >= 0 || lengthToken >= 0 || piecesToken >= 0;
  const version: TorrentVersion = isV2 ? (hasV1 ? 'hybrid' : 'v2') : 'v1';

  const pieceLength = readPieceLength(ctx, info, key('piece length'), isV2);
  const name = readName(ctx, info, key('name'), key('name.utf-8'));

  // Files.
  let v1: V1Files | undefined;
  if (hasV1) {
    if (filesToken >= 0) {
      if (lengthToken >= 0) {
        ctx.warn(
          'length-and-files',
          "the info dictionary has both 'length' (one file) and 'files' (several); libtorrent uses 'files' and ignores 'length'",
          lengthToken,
          'info.length',
        );
      }
      v1 = readFileList(ctx, filesToken);
    } else if (lengthToken >= 0) {
      v1 = readSingleFile(ctx, info, lengthToken, name.token, name.shownToken, key('attr'));
    } else if (isV2) {
      ctx.fail('missing-length', "the torrent has v1 'pieces' but neither 'length' nor 'files' to go with them", doc.start(piecesToken));
    } else {
      ctx.fail('missing-length', "the info dictionary has neither 'length' (one file) nor 'files' (several files)", doc.start(info));
    }
  }
  const tree = isV2 ? readFileTree(ctx, fileTree, pieceLength, v1 === undefined) : undefined;

  // Sizes and piece hashes.
  let totalLength: number;
  let pieceCount: number;
  if (v1) {
    pieceCount = checkPieces(ctx, piecesToken, v1, pieceLength, isV2, info);
    totalLength = v1.total;
  } else {
    const t = tree as TreeFiles;
    if (t.bigTotal !== undefined) ctx.tooLarge(t.bigTotal, fileTree);
    totalLength = t.total;
    pieceCount = t.pieceCount;
  }
  if (v1 && tree) checkHybrid(ctx, v1, tree, pieceLength, filesToken >= 0 ? filesToken : info);
  if (totalLength === 0) {
    ctx.warn(
      'no-data',
      'every file is empty: the torrent has no data to share (libtorrent refuses such torrents)',
      lengthToken >= 0 ? lengthToken : filesToken >= 0 ? filesToken : fileTree,
      undefined,
    );
  }
  const files = new FileTable(doc, v1 ? v1.parts : (tree as TreeFiles).parts);
  const singleFile = v1 ? v1.parts.layout === 'single' : files.count === 1 && (tree as TreeFiles).parts.pathKeys?.length === 1;
  if (doc.size(name.shownToken) === 0) reportEmptyName(ctx, name, singleFile ? (v1 ? 'v1 file' : 'v2 file') : 'folder');
  let pieceLayerCount: number | undefined;
  if (isV2) pieceLayerCount = checkPieceLayers(ctx, rootKey('piece layers'), tree as TreeFiles, pieceLength);

  // Hashes of the original bytes.
  const infoBytes = ctx.data.subarray(infoSpan.start, infoSpan.end);
  const infoHash: InfoHashes = {};
  if (version !== 'v2' && !deferHashes) infoHash.v1 = createHash('sha1').update(infoBytes).digest('hex');
  if (isV2 && !deferHashes) {
    infoHash.v2 = createHash('sha256').update(infoBytes).digest('hex');
    infoHash.v2Truncated = infoHash.v2.slice(0, 40);
  }
  const infoCanonical = isInfoCanonical(doc, info, infoSpan);
  let reencodedInfoHashV1: string | undefined;
  if (!infoCanonical) {
    reencodedInfoHashV1 = reencodedSha1(doc, info);
    ctx.warn(
      'info-not-canonical',
      libtorrentWantsCanonical(ctx, metaVersionToken)
        ? `the info dictionary is not canonical bencode (unsorted or duplicate keys), and libtorrent refuses such a torrent when it has a 'meta version'; tools that decode and re-encode it compute ${reencodedInfoHashV1} instead`
        : `the info dictionary is not canonical bencode (unsorted or duplicate keys): its info hash is taken over the original bytes, as libtorrent does; tools that decode and re-encode it compute ${reencodedInfoHashV1} instead, so they name a different swarm`,
      info,
      'info',
    );
  }

  // Tools built on npm `bencode` re-encode the info dictionary before hashing it; predict what they get.
  const npmHash =
    version !== 'v2' &&
    (!infoCanonical ||
      npmMayReencodeInfo(
        doc,
        info,
        { token: filesToken, mayHide: v1?.fileDictsHaveOtherKeys ?? false },
        { token: fileTree, mayHide: tree?.fileTreeNeedsKeyCheck ?? false },
      ))
      ? reencodedSha1(doc, info, 'npm')
      : undefined;

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
    singleFile,
    trackers: readTrackers(ctx, rootKey('announce'), rootKey('announce-list')),
    webSeeds: readUrlList(ctx, rootKey('url-list'), 'url-list', 'web-seed-invalid'),
    httpSeeds: readUrlList(ctx, rootKey('httpseeds'), 'httpseeds', 'http-seed-invalid'),
    nodes: readNodes(ctx, rootKey('nodes')),
    private: readPrivate(ctx, key('private')),
    unknownKeys,
    diagnostics: [],
  };
  if (metaVersion !== undefined) metainfo.metaVersion = metaVersion;
  if (reencodedInfoHashV1 !== undefined) metainfo.reencodedInfoHashV1 = reencodedInfoHashV1;
  if (npmHash !== undefined) metainfo.webtorrentInfoHashV1 = npmHash;
  if (name.raw) metainfo.rawName = name.raw;
  if (pieceLayerCount !== undefined) metainfo.pieceLayerCount = pieceLayerCount;
  const source = readText(ctx, key('source'), -1, 'info.source', 'source');
  if (source) metainfo.source = source;
  const comment = readText(ctx, rootKey('comment'), rootKey('comment.utf-8'), 'comment', 'comment');
  if (comment) metainfo.comment = comment;
  const createdBy = readText(ctx, rootKey('created by'), rootKey('created by.utf-8'), 'created by', "'created by'");
  if (createdBy) metainfo.createdBy = createdBy;
  const creationDate = readCreationDate(ctx, rootKey('creation date'));
  if (creationDate !== undefined) metainfo.creationDate = creationDate;
  const encoding = readEncoding(ctx, rootKey('encoding'));
  if (encoding) metainfo.encoding = encoding;
  metainfo.diagnostics = ctx.log.finish();
  if (!deferHashes) settleReencodedHashes(metainfo);
  return metainfo;
}
