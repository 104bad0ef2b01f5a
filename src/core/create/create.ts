// Makes a .torrent from a file or a folder: lists the files (walk.ts), hashes them on every thread of the
// pool (the engine), and writes the metainfo. The output depends only on the files and the options: files
// in path-byte order, keys sorted, and with `createdBy: false, creationDate: false` nothing that changes
// from run to run. What it writes matches the reference tools key for key: mktorrent for v1, libtorrent
// for v2 and hybrid (pad files named `.pad/<length>` with attr `p` after every file that does not end on a
// piece boundary, the last one included).
//
// The file list stays in the listing's flat arrays from start to end: no object per file, so a folder of
// a million small files costs a few arrays, and the torrent's bytes are written from them directly.

import { hash } from 'node:crypto';
import { parseMetainfo } from '../metainfo/parse';
import type { TorrentVersion } from '../metainfo/types';
import type { DiagnosticCode } from '../metainfo/codes';
import { decodeUtf8Strict } from '../text/bytes';
import { hashStream, type StreamHashes } from '../hashing/engine';
import { abortReason, HashingError } from '../hashing/errors';
import { HASH_SIZE, rootFromPieceLayer } from '../hashing/merkle';
import { HashPool, stoppedBy } from '../hashing/pool';
import { ProgressMeter, type ProgressCallback } from '../hashing/progress';
import { CONTROL_SLOTS, type StatRun } from '../hashing/protocol';
import { PATH_ABSOLUTE, PieceStreamBuilder } from '../hashing/stream';
import { sharedArray, unpack } from '../hashing/thread-bytes';
import { automaticPieceLength, checkPieceLength } from './piece-length';
import { nameProblem, trackerUrlProblem, webSeedUrlProblem } from './options';
import { asciiBytes, BencodeWriter } from '../bencode/writer';
import type { CreateListing, SkipReason, SymlinkPolicy } from './walk';

export const DEFAULT_CREATED_BY = 'Torrent Lens';

export interface CreateOptions {
  /** The file or folder to make a torrent of. */
  path: string;
  /** Default `hybrid`: v1 and v2 clients can both use it. */
  version?: TorrentVersion;
  /** Bytes, a power of two from 16 KiB; default automatic (libtorrent's rule, see piece-length.ts). */
  pieceLength?: number;
  /** The torrent's name; default the last element of `path`. */
  name?: string;
  /** Announce URLs by tier (BEP 12): `[[primary, backup], [other tier]]`. */
  trackers?: string[][];
  /** BEP 19 web seeds (`url-list`). */
  webSeeds?: string[];
  /** BEP 27: peers only from the trackers. Part of the info dictionary. */
  private?: boolean;
  /** `source` in the info dictionary: tells otherwise identical torrents of two trackers apart. */
  source?: string;
  comment?: string;
  /** Include names starting with a dot (default no). */
  includeHidden?: boolean;
  /** Glob patterns to leave out (glob.ts). */
  exclude?: string[];
  /** Symbolic links inside the folder (default `skip`). */
  symlinks?: SymlinkPolicy;
  /** `created by`; default `Torrent Lens`; false leaves it out. */
  createdBy?: string | false;
  /** `creation date` in seconds since the epoch; default now; false leaves it out (reproducible output). */
  creationDate?: number | false;
  /** The threads to hash on; default a pool of its own for this call. */
  pool?: HashPool;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

export interface CreateSummary {
  name: string;
  version: TorrentVersion;
  pieceLength: number;
  pieceCount: number;
  /** Bytes of data (pad files not counted). */
  totalLength: number;
  fileCount: number;
  /** BEP 47 pad files added (hybrid). */
  padFileCount: number;
  infoHash: { v1?: string; v2?: string };
  /** What was left out, and why. */
  skipped: { path: string; reason: SkipReason }[];
  /** What Torrent Lens's own reader says of the result (names Windows cannot use, for example). */
  warnings: { code: string; message: string }[];
  /** Bytes of the .torrent. */
  torrentLength: number;
  elapsedMs: number;
}

export interface CreatedTorrent {
  /** The .torrent file's bytes. */
  torrent: Uint8Array;
  summary: CreateSummary;
}

export async function createTorrent(options: CreateOptions): Promise<CreatedTorrent> {
  const started = performance.now();
  const version = options.version ?? 'hybrid';
  if (version !== 'v1' && version !== 'v2' && version !== 'hybrid')
    throw new HashingError('bad-option', `unknown torrent version ${String(version)}`);
  if (options.pieceLength !== undefined) checkPieceLength(options.pieceLength);
  const trackers = (options.trackers ?? [])
    .map((tier) => tier.map((url) => checkUrl(url, 'tracker URL', trackerUrlProblem)))
    .filter((tier) => tier.length > 0);
  const webSeeds = (options.webSeeds ?? []).map((url) => checkUrl(url, 'web seed URL', webSeedUrlProblem));
  const texts = {
    source: options.source === undefined ? undefined : checkText(options.source, 'source'),
    comment: options.comment === undefined ? undefined : checkText(options.comment, 'comment'),
    createdBy: options.createdBy === false ? undefined : checkText(options.createdBy ?? DEFAULT_CREATED_BY, 'created by'),
  };
  const { signal } = options;
  if (signal?.aborted) throw abortReason(signal);

  const pool = options.pool ?? new HashPool();
  try {
    pool.warm();
    new ProgressMeter(options.onProgress, 0).listing();
    const listing = await walk(pool, options);
    if (signal?.aborted) throw abortReason(signal);
    const name = checkName(options.name ?? decodeUtf8Strict(listing.name) ?? '');
    const skipped = listing.skippedReasons.map((reason, i) => ({ path: joinPath(unpack(listing.skippedPaths, i)), reason }));
    if (listing.fileCount === 0)
      throw new HashingError(
        'no-data',
        `${options.path} has no files to put in a torrent${skipped.length ? ` (${skipped.length} left out)` : ''}`,
        options.path,
      );
    const sizes = await lookUpSizes(pool, listing, signal);
    let totalLength = 0;
    for (const size of sizes) totalLength += size;
    if (totalLength === 0) throw new HashingError('no-data', `every file in ${options.path} is empty: a torrent needs data`, options.path);
    const pieceLength = options.pieceLength ?? automaticPieceLength(totalLength);

    const layout = layOut(listing, sizes, pieceLength, version);
    const parts: TorrentParts = {
      listing,
      sizes,
      layout,
      version,
      pieceLength,
      name,
      trackers,
      webSeeds,
      private: options.private === true,
      ...texts,
      creationDate: options.creationDate === false ? undefined : (options.creationDate ?? Math.floor(Date.now() / 1000)),
    };
    // The threads hash while this one reads back a stand-in of the torrent, identical but for its hashes:
    // Torrent Lens's own reader must read what it writes, and what it warns of (names Windows cannot use,
    // for example) belongs in the summary. The one check that depends on the hashes' values, that each piece
    // layer hashes up to its root, is left out: the stand-ins do not, and the real ones do by construction.
    const stopHashing = new AbortController();
    const hashing = hashStream(layout.stream.build(version !== 'v2', version !== 'v1'), {
      pool,
      signal: signal ? AbortSignal.any([signal, stopHashing.signal]) : stopHashing.signal,
      onProgress: options.onProgress,
      strict: true,
    });
    let warnings: CreateSummary['warnings'];
    let written: WrittenTorrent;
    try {
      written = writeTorrent(parts, standInHashes(parts, layout.pieceCount));
      const parsed = parseMetainfo(written.writer.view());
      if (!parsed.ok) throw new Error(`internal error: the new torrent does not read back: ${parsed.failure.message}`);
      warnings = parsed.metainfo.diagnostics
        .filter((d) => d.severity !== 'info' && !STAND_IN_CODES.has(d.code))
        .map((d) => ({ code: d.code, message: d.message }));
    } catch (error) {
      stopHashing.abort(error);
      await hashing.catch(() => undefined);
      throw error;
    }
    // The real hashes go where the stand-ins were; the piece layers, keyed by root, are written anew.
    const torrent = finishTorrent(written, parts, finalHashes(parts, await hashing));
    return {
      torrent: torrent.bytes,
      summary: {
        name,
        version,
        pieceLength,
        pieceCount: version === 'v2' ? layout.v2PieceCount : layout.pieceCount,
        totalLength,
        fileCount: listing.fileCount,
        padFileCount: version === 'hybrid' ? layout.padCount : 0,
        infoHash: torrent.infoHash,
        skipped,
        warnings,
        torrentLength: torrent.bytes.length,
        elapsedMs: performance.now() - started,
      },
    };
  } finally {
    if (!options.pool) await pool.close();
  }
}

export interface ContentListing {
  /** The path names one file rather than a folder. */
  single: boolean;
  fileCount: number;
  /** Each file's size, in the torrent's order. */
  sizes: Float64Array;
  totalLength: number;
  /** Entries left out (hidden, excluded, links…). */
  skippedCount: number;
}

/** Lists what createTorrent would put in a torrent, without hashing it: for a preview of the pieces. */
export async function listContent(
  options: Pick<CreateOptions, 'path' | 'includeHidden' | 'exclude' | 'symlinks' | 'pool' | 'signal'>,
): Promise<ContentListing> {
  const pool = options.pool ?? new HashPool();
  try {
    const listing = await walk(pool, options);
    const sizes = listing.fileCount > 0 ? await lookUpSizes(pool, listing, options.signal) : new Float64Array(0);
    let totalLength = 0;
    for (const size of sizes) totalLength += size;
    return { single: listing.single, fileCount: listing.fileCount, sizes, totalLength, skippedCount: listing.skippedReasons.length };
  } finally {
    if (!options.pool) await pool.close();
  }
}

/**
 * The pieces a torrent of files of `sizes` has with `pieceLength`: v1 pieces run across files; in v2 and
 * hybrid torrents of several files every file starts a piece (as layOut puts them).
 */
export function countPieces(sizes: Float64Array, single: boolean, version: TorrentVersion, pieceLength: number): number {
  let pieces = 0;
  if (version === 'v1' || single) {
    let total = 0;
    for (const size of sizes) total += size;
    return Math.ceil(total / pieceLength);
  }
  for (const size of sizes) pieces += Math.ceil(size / pieceLength);
  return pieces;
}

/** Lists the folder or file at `options.path` on one thread, with the options' defaults for what is left out. */
function walk(pool: HashPool, options: Pick<CreateOptions, 'path' | 'includeHidden' | 'exclude' | 'symlinks'>): Promise<CreateListing> {
  return pool.walk({
    type: 'walk',
    options: {
      path: options.path,
      includeHidden: options.includeHidden ?? false,
      exclude: options.exclude ?? [],
      symlinks: options.symlinks ?? 'skip',
    },
  });
}

/** Every file's size, looked up on all threads at once (the walk knows the sizes of followed links only). */
async function lookUpSizes(pool: HashPool, listing: CreateListing, signal: AbortSignal | undefined): Promise<Float64Array> {
  const run: StatRun = {
    type: 'stat',
    listing,
    sizes: sharedArray(Float64Array, listing.fileCount),
    control: sharedArray(Int32Array, CONTROL_SLOTS),
    progress: sharedArray(BigInt64Array, 1),
  };
  const results = await stoppedBy(signal, run, () => pool.broadcast(run, Math.min(pool.threads, Math.ceil(listing.fileCount / 256))));
  let first: { id: number; code: string; message: string } | undefined;
  for (const result of results) {
    if (result.status === 'rejected') throw result.reason;
    for (const problem of result.value.problems) if (!first || problem.id < first.id) first = problem;
  }
  if (first) throw new HashingError(first.code === 'changed' ? 'changed' : 'unreadable', first.message);
  return run.sizes.subarray(0, listing.fileCount);
}

interface Layout {
  stream: PieceStreamBuilder;
  /** Per file: where it starts in the piece stream. */
  offsets: Float64Array;
  /** Pad files between files (part of the v1 list in a hybrid). */
  padCount: number;
  pieceCount: number;
  /** A v2 torrent's pieces: each file's own, end to end. */
  v2PieceCount: number;
}

/**
 * v1: the files back to back. v2 and hybrid: each file starts on a piece boundary, with a pad file after
 * every file that ends elsewhere (in a hybrid these are real entries of the v1 list, as libtorrent writes
 * them, the last file's included; in a v2 torrent they only shape the piece numbering, as in libtorrent).
 */
function layOut(listing: CreateListing, sizes: Float64Array, pieceLength: number, version: TorrentVersion): Layout {
  const stream = new PieceStreamBuilder(pieceLength, listing.base, listing.paths);
  const offsets = new Float64Array(listing.fileCount);
  let padCount = 0;
  let v2PieceCount = 0;
  for (let i = 0; i < listing.fileCount; i++) {
    offsets[i] = stream.length;
    const at = listing.diskIndex[i];
    stream.data(i, at, sizes[i], sizes[i], at >= listing.fileCount ? PATH_ABSOLUTE : 0);
    v2PieceCount += Math.ceil(sizes[i] / pieceLength);
    if (version !== 'v1' && !listing.single && stream.length % pieceLength !== 0) {
      stream.padToPiece();
      padCount++;
    }
  }
  return { stream, offsets, padCount, pieceCount: Math.ceil(stream.length / pieceLength), v2PieceCount };
}

interface TorrentParts {
  listing: CreateListing;
  sizes: Float64Array;
  layout: Layout;
  version: TorrentVersion;
  pieceLength: number;
  name: string;
  trackers: string[][];
  webSeeds: string[];
  private: boolean;
  source?: string;
  comment?: string;
  createdBy?: string;
  creationDate?: number;
}

/** The hashes a torrent is written with. */
interface TorrentHashes {
  /** v1: 20 bytes per piece. */
  v1?: Uint8Array;
  /** v2: each file's pieces root, 32 bytes per file (zeros for an empty file). */
  roots?: Uint8Array;
  /** v2: file `i`'s piece layer starts at `layerAt(i)` in `layers`. */
  layers?: Uint8Array;
  layerAt(i: number): number;
}

/** The real hashes: v1 pieces as hashed, each file's root from its piece nodes, the layers from the stream. */
function finalHashes(t: TorrentParts, hashes: StreamHashes): TorrentHashes {
  const { listing, sizes, pieceLength, layout } = t;
  const v2 = hashes.v2;
  let roots: Uint8Array | undefined;
  if (v2) {
    roots = new Uint8Array(listing.fileCount * HASH_SIZE);
    for (let i = 0; i < listing.fileCount; i++) {
      if (sizes[i] === 0) continue;
      const first = layout.offsets[i] / pieceLength;
      const pieces = Math.ceil(sizes[i] / pieceLength);
      // A file of one piece: its piece node is its root.
      const layer = v2.subarray(first * HASH_SIZE, (first + pieces) * HASH_SIZE);
      roots.set(pieces === 1 ? layer : rootFromPieceLayer(layer, pieces, pieceLength), i * HASH_SIZE);
    }
  }
  return { v1: hashes.v1, roots, layers: v2, layerAt: (i) => (layout.offsets[i] / pieceLength) * HASH_SIZE };
}

/**
 * Hashes of the right sizes and no meaning, for reading the torrent back before it is hashed: zeros,
 * and roots that differ per file (as real ones do) and sort in file order.
 */
/** What the reader says of the stand-in hashes only: their layers are zeros, which hash to no root. */
const STAND_IN_CODES: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>(['piece-layer-root']);

function standInHashes(t: TorrentParts, pieceCount: number): TorrentHashes {
  const { listing, sizes, pieceLength } = t;
  const roots = new Uint8Array(listing.fileCount * HASH_SIZE);
  let longest = 0;
  for (let i = 0; i < listing.fileCount; i++) {
    new DataView(roots.buffer).setUint32(i * HASH_SIZE, i + 1);
    longest = Math.max(longest, Math.ceil(sizes[i] / pieceLength) * HASH_SIZE);
  }
  return {
    v1: t.version === 'v2' ? undefined : new Uint8Array(pieceCount * 20),
    roots: t.version === 'v1' ? undefined : roots,
    layers: new Uint8Array(longest),
    layerAt: () => 0,
  };
}

const FILE_START = asciiBytes('d6:lengthi');
const FILE_PATH = asciiBytes('e4:pathl');
const FILE_END = asciiBytes('ee');
const PAD_START = asciiBytes('d4:attr1:p6:lengthi');
const PAD_PATH = asciiBytes('e4:pathl4:.pad');
const LEAF_START = asciiBytes('d0:d6:lengthi');
const LEAF_ROOT = asciiBytes('e11:pieces root32:');

/** A torrent written with some hashes, and where they are, to put others in their place. */
interface WrittenTorrent {
  writer: BencodeWriter;
  infoStart: number;
  infoEnd: number;
  /** Where the v1 `pieces` string's bytes start, or -1. */
  piecesAt: number;
  /** Where each file's pieces root is in the file tree, or -1. */
  rootAt: Float64Array;
}

/** The .torrent's bytes, keys in sorted order. */
function writeTorrent(t: TorrentParts, hashes: TorrentHashes): WrittenTorrent {
  const w = new BencodeWriter(1 << 16);
  const v1 = t.version !== 'v2';
  const v2 = t.version !== 'v1';
  const single = t.listing.single;
  const rootAt = new Float64Array(v2 ? t.listing.fileCount : 0).fill(-1);
  let piecesAt = -1;
  w.ascii('d');
  if (t.trackers.length > 0) {
    w.key('announce');
    w.text(t.trackers[0][0]);
  }
  if (t.trackers.flat().length > 1) {
    w.key('announce-list');
    w.ascii('l');
    for (const tier of t.trackers) {
      w.ascii('l');
      for (const url of tier) w.text(url);
      w.ascii('e');
    }
    w.ascii('e');
  }
  if (t.comment !== undefined) {
    w.key('comment');
    w.text(t.comment);
  }
  if (t.createdBy !== undefined) {
    w.key('created by');
    w.text(t.createdBy);
  }
  if (t.creationDate !== undefined) {
    w.key('creation date');
    w.int(t.creationDate);
  }
  w.key('info');
  const infoStart = w.length;
  w.ascii('d');
  if (v2) {
    w.key('file tree');
    writeFileTree(w, t, hashes.roots as Uint8Array, rootAt);
  }
  if (v1 && !single) {
    w.key('files');
    writeFileList(w, t);
  }
  if (v1 && single) {
    w.key('length');
    w.int(t.sizes[0]);
  }
  if (v2) {
    w.key('meta version');
    w.int(2);
  }
  w.key('name');
  w.text(t.name);
  w.key('piece length');
  w.int(t.pieceLength);
  if (v1) {
    const pieces = hashes.v1 as Uint8Array;
    w.key('pieces');
    w.digits(pieces.length);
    w.ascii(':');
    piecesAt = w.length;
    w.raw(pieces);
  }
  if (t.private) {
    w.key('private');
    w.int(1);
  }
  if (t.source !== undefined) {
    w.key('source');
    w.text(t.source);
  }
  w.ascii('e');
  const infoEnd = w.length;
  writeTail(w, t, hashes);
  return { writer: w, infoStart, infoEnd, piecesAt, rootAt };
}

/** What follows the info dictionary: `piece layers` and `url-list`, and the end. */
function writeTail(w: BencodeWriter, t: TorrentParts, hashes: TorrentHashes): void {
  if (t.version !== 'v1') writePieceLayers(w, t, hashes);
  if (t.webSeeds.length > 0) {
    w.key('url-list');
    if (t.webSeeds.length === 1) w.text(t.webSeeds[0]);
    else {
      w.ascii('l');
      for (const url of t.webSeeds) w.text(url);
      w.ascii('e');
    }
  }
  w.ascii('e');
}

/** The written torrent with `hashes` in place of the ones it was written with, and its info hashes. */
function finishTorrent(
  written: WrittenTorrent,
  t: TorrentParts,
  hashes: TorrentHashes,
): { bytes: Uint8Array; infoHash: CreateSummary['infoHash'] } {
  const { writer: w, infoStart, infoEnd, piecesAt, rootAt } = written;
  w.truncate(infoEnd);
  const bytes = w.view();
  if (hashes.v1) bytes.set(hashes.v1, piecesAt);
  if (hashes.roots)
    for (let i = 0; i < rootAt.length; i++)
      if (rootAt[i] >= 0) bytes.set(hashes.roots.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE), rootAt[i]);
  const infoHash: CreateSummary['infoHash'] = {};
  if (t.version !== 'v2') infoHash.v1 = hash('sha1', w.view(infoStart, infoEnd), 'hex');
  if (t.version !== 'v1') infoHash.v2 = hash('sha256', w.view(infoStart, infoEnd), 'hex');
  writeTail(w, t, hashes);
  return { bytes: w.result(), infoHash };
}

/** Writes file `i`'s path elements as byte strings: the stretches between NULs of its packed path. */
function writeElements(w: BencodeWriter, listing: CreateListing, i: number): void {
  const bytes = listing.paths.bytes;
  const end = listing.paths.ends[i];
  let from = i === 0 ? 0 : listing.paths.ends[i - 1];
  for (let k = from; k <= end; k++) {
    if (k === end || bytes[k] === 0) {
      w.bytes(bytes, from, k);
      from = k + 1;
    }
  }
}

/** The v1 `files` list: `length` and `path` per file (mktorrent's keys), and in a hybrid the pad files. */
function writeFileList(w: BencodeWriter, t: TorrentParts): void {
  const { listing, sizes, pieceLength, layout } = t;
  w.ascii('l');
  for (let i = 0; i < listing.fileCount; i++) {
    w.raw(FILE_START);
    w.digits(sizes[i]);
    w.raw(FILE_PATH);
    writeElements(w, listing, i);
    w.raw(FILE_END);
    const end = layout.offsets[i] + sizes[i];
    if (t.version === 'hybrid' && end % pieceLength !== 0) {
      const pad = pieceLength - (end % pieceLength);
      w.raw(PAD_START);
      w.digits(pad);
      w.raw(PAD_PATH);
      w.digits(String(pad).length);
      w.ascii(`:${pad}`);
      w.raw(FILE_END);
    }
  }
  w.ascii('e');
}

/**
 * The BEP 52 file tree, written in one pass: the files come in file-tree order (each folder's names
 * sorted by their bytes), so folders open and close as the paths go, like a depth-first walk.
 */
function writeFileTree(w: BencodeWriter, t: TorrentParts, roots: Uint8Array, rootAt: Float64Array): void {
  const { listing, sizes } = t;
  const bytes = listing.paths.bytes;
  const leaf = (i: number) => {
    w.raw(LEAF_START);
    w.digits(sizes[i]);
    // `e` ends the length, then the file's dictionary and the one holding it under the empty key.
    if (sizes[i] > 0) {
      w.raw(LEAF_ROOT);
      rootAt[i] = w.length;
      w.raw(roots, i * HASH_SIZE, (i + 1) * HASH_SIZE);
      w.ascii('ee');
    } else w.ascii('eee');
  };
  w.ascii('d');
  if (listing.single) {
    w.text(t.name);
    leaf(0);
    w.ascii('e');
    return;
  }
  // Path elements as [from, to) pairs in `bytes`: the open folders (the previous file's), and this file's.
  let open: number[] = [];
  let elements: number[] = [];
  for (let i = 0; i < listing.fileCount; i++) {
    elements.length = 0;
    const end = listing.paths.ends[i];
    let from = i === 0 ? 0 : listing.paths.ends[i - 1];
    for (let k = from; k <= end; k++) {
      if (k === end || bytes[k] === 0) {
        elements.push(from, k);
        from = k + 1;
      }
    }
    const folders = elements.length / 2 - 1;
    let same = 0;
    while (same < open.length / 2 && same < folders && sameBytes(bytes, open, elements, same)) same++;
    for (let k = open.length / 2; k > same; k--) w.ascii('e');
    for (let k = same; k < folders; k++) {
      w.bytes(bytes, elements[2 * k], elements[2 * k + 1]);
      w.ascii('d');
    }
    w.bytes(bytes, elements[2 * folders], elements[2 * folders + 1]);
    leaf(i);
    // This file's folders are the open ones now; the arrays swap so that neither is made anew.
    [open, elements] = [elements, open];
    open.length = 2 * folders;
  }
  for (let k = 0; k < open.length / 2; k++) w.ascii('e');
  w.ascii('e');
}

/** Whether element `k` of two paths (pairs of offsets into `bytes`) holds the same bytes. */
function sameBytes(bytes: Uint8Array, a: number[], b: number[], k: number): boolean {
  const length = a[2 * k + 1] - a[2 * k];
  if (length !== b[2 * k + 1] - b[2 * k]) return false;
  for (let j = 0; j < length; j++) if (bytes[a[2 * k] + j] !== bytes[b[2 * k] + j]) return false;
  return true;
}

/** `piece layers`: each file of more than one piece, by pieces root in byte order; files with the same content share one entry. */
function writePieceLayers(w: BencodeWriter, t: TorrentParts, hashes: TorrentHashes): void {
  const { listing, sizes, pieceLength } = t;
  const roots = hashes.roots as Uint8Array;
  const files: number[] = [];
  for (let i = 0; i < listing.fileCount; i++) if (sizes[i] > pieceLength) files.push(i);
  if (files.length === 0) return;
  const compare = (a: number, b: number) => {
    for (let k = 0; k < HASH_SIZE; k++) {
      const d = roots[a * HASH_SIZE + k] - roots[b * HASH_SIZE + k];
      if (d !== 0) return d;
    }
    return 0;
  };
  files.sort(compare);
  w.key('piece layers');
  w.ascii('d');
  for (let k = 0; k < files.length; k++) {
    const i = files[k];
    if (k > 0 && compare(files[k - 1], i) === 0) continue;
    w.bytes(roots, i * HASH_SIZE, (i + 1) * HASH_SIZE);
    const at = hashes.layerAt(i);
    w.bytes(hashes.layers as Uint8Array, at, at + Math.ceil(sizes[i] / pieceLength) * HASH_SIZE);
  }
  w.ascii('e');
}

/** A NUL-separated path as text, '/' between its elements. */
function joinPath(path: Uint8Array): string {
  const text = decodeUtf8Strict(path) ?? Buffer.from(path).toString('latin1');
  return text.replaceAll('\0', '/');
}

function checkName(name: string): string {
  const problem = nameProblem(name);
  if (problem) throw new HashingError('bad-option', `${problem}; choose one with the name option`);
  return name;
}

function checkUrl(url: unknown, what: string, problemOf: (url: string) => string | undefined): string {
  if (typeof url !== 'string') throw new HashingError('bad-option', `a ${what} must be a string`);
  const problem = problemOf(url);
  if (problem) throw new HashingError('bad-option', `${JSON.stringify(url)} is not a usable ${what}: ${problem}`);
  return url;
}

function checkText(text: unknown, what: string): string {
  if (typeof text !== 'string' || text === '') throw new HashingError('bad-option', `a ${what} must be a non-empty string`);
  return text;
}
