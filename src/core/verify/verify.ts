// Checks the data on disk against a torrent, as a client's "force recheck" does: every piece is read and
// hashed on the pool, and each file and piece gets a verdict. v1 pieces are checked against `pieces`,
// v2 pieces against `piece layers` and each file's `pieces root`; a hybrid is checked both ways, and a file
// that passes one and fails the other is called out.
//
// Only files inside the chosen folder are read: torrent paths that would climb out (`..`, absolute
// paths, separators inside a name) are refused before any file is touched, and a file reached through a
// symbolic link that points out of the folder is not read. Nothing is ever written.

import { realpathSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { Metainfo, TorrentVersion } from '../metainfo/types';
import { bytesEqual, displayText } from '../text/bytes';
import { hashStream, type StreamHashes } from '../hashing/engine';
import { abortReason, HashingError } from '../hashing/errors';
import { HASH_SIZE, rootFromPieceLayer } from '../hashing/merkle';
import { HashPool, stoppedBy } from '../hashing/pool';
import { ProgressMeter, type ProgressCallback } from '../hashing/progress';
import { CONTROL_SLOTS, type JobProblem, type ProbeRun } from '../hashing/protocol';
import { PATH_ABSOLUTE, PieceStreamBuilder } from '../hashing/stream';
import { PackedBytesBuilder, sharedArray, type PackedBytes } from '../hashing/thread-bytes';
import { PROBE_MISSING, PROBE_PRESENT, PROBE_REFUSED } from './probe';
import { formatCount } from '../../shared/format';

export interface VerifyOptions {
  /** The threads to hash on; default a pool of its own for this call. */
  pool?: HashPool;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/**
 * `complete`: there, the right size, every piece good. `damaged`: the right size, some pieces bad.
 * `wrong-size`: there, but longer or shorter than the torrent says. `missing`: not there.
 * `unreadable`: there but not read (permissions, not a regular file, outside the folder, an unsafe path).
 */
export type FileStatus = 'complete' | 'damaged' | 'wrong-size' | 'missing' | 'unreadable';

export interface VerifiedFile {
  /** The torrent's path for the file, '/'-separated, below the torrent's name. */
  path: string;
  length: number;
  status: FileStatus;
  /**
   * The pieces of this file that fail or cannot be read: v1 piece indices (of the whole torrent) for v1
   * and hybrid torrents, the file's own piece indices (from 0) for v2 torrents.
   */
  badPieces: number[];
  /** Hybrid torrents: the file's own v2 piece indices that fail. */
  v2BadPieces?: number[];
  /** Hybrid torrents: the file passes the other version's hashes and fails these: the torrent's v1 and v2 hashes disagree. */
  failsOnly?: 'v1' | 'v2';
  /** `wrong-size`: the length on disk. */
  actualLength?: number;
  /** Why a file is missing or unreadable, or what else went wrong reading it. */
  error?: string;
  /** Something the verdict rests on that the user should know (a v2 file judged as a whole). */
  note?: string;
}

/** One character per piece, for a piece map: good, bad (read, wrong hash), missing (not all of it could be read). */
export const PIECE_GOOD = 'g';
export const PIECE_BAD = 'b';
export const PIECE_MISSING = 'm';

export interface VerifyResult {
  version: TorrentVersion;
  pieceLength: number;
  /** Pieces of the torrent: v1 pieces for v1 and hybrid torrents; for v2, each file's pieces one after another. */
  pieceCount: number;
  goodPieces: number;
  /** Indices of the pieces that fail or cannot be read, in the numbering of `pieceCount`. */
  badPieces: number[];
  /** `PIECE_GOOD`, `PIECE_BAD` or `PIECE_MISSING` for each piece. */
  pieceStates: string;
  /** Every file complete. */
  complete: boolean;
  /** The torrent's files, pad files left out. */
  files: VerifiedFile[];
  bytesRead: number;
  elapsedMs: number;
}

const S_GOOD = 0;
const S_BAD = 1;
const S_MISSING = 2;
const STATE_CHARS = [PIECE_GOOD, PIECE_BAD, PIECE_MISSING];
/** At most this many pieces are checked: about 600 MB of hashes and verdicts at worst. */
export const MAX_VERIFY_PIECES = 10_000_000;

/**
 * The torrent's files as verify sees them, in flat arrays over the torrent's own file table: where each
 * one would be on disk (its path in `paths`, below `base`), or why it cannot be, and what the look on
 * disk found. Nothing per file but numbers, until the verdicts.
 */
interface Files {
  metainfo: Metainfo;
  count: number;
  /** Per file: its string in `paths`, or -1 (a pad file, or a path that would leave the folder). */
  pathIndex: Int32Array;
  /** Why a file's path cannot be used, by file index. */
  unsafe: Map<number, string>;
  /** The folder the paths are below (its real path and a separator), or empty for a single file. */
  base: Uint8Array;
  /** The paths: below `base` (elements separated by NUL), then any real paths of files read elsewhere (absolute). */
  paths: PackedBytes;
  /** Per path: PROBE_* state and size on disk. */
  states: Uint8Array;
  sizes: Float64Array;
  /** Per path: the index in `paths` of its real path, when it is read elsewhere (a link that stays inside), else -1. */
  readAt: Int32Array;
  /** What the look on disk or the reading found wrong, by file index. */
  problems: Map<number, JobProblem>;
}

/**
 * Verifies the data at `contentPath` against `metainfo`. `contentPath` is what the torrent's name names:
 * the folder that holds the files, or for a single-file torrent, the file itself.
 */
export async function verifyTorrent(metainfo: Metainfo, contentPath: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const started = performance.now();
  const { signal } = options;
  if (signal?.aborted) throw abortReason(signal);
  const content = resolve(contentPath);
  const folderReal = checkContent(content, metainfo.singleFile);
  const files = describeFiles(metainfo, content, folderReal);

  const pool = options.pool ?? new HashPool();
  try {
    pool.warm();
    new ProgressMeter(options.onProgress, 0).listing();
    await probe(pool, files, folderReal, signal);

    const L = metainfo.pieceLength;
    const table = metainfo.files;
    const doc = metainfo.document;
    const piecesToken = doc.get(metainfo.info, 'pieces');
    const hasV1 = metainfo.version !== 'v2' && piecesToken >= 0 && doc.isBytes(piecesToken);
    const hasV2 = metainfo.version !== 'v1';
    const dataFiles: number[] = [];
    for (let i = 0; i < files.count; i++) if (!table.isPadding(i)) dataFiles.push(i);
    // A hybrid whose files all start on piece boundaries (as BEP 52 asks) is read once for both versions.
    const aligned = hasV1 && hasV2 && dataFiles.every((i) => table.fileLength(i) === 0 || table.fileOffset(i) % L === 0);
    const hashOptions = { pool, signal, onProgress: options.onProgress, strict: false };
    // The piece count of a v2 torrent comes from the lengths it claims, not from hashes it holds: a small
    // hostile torrent can claim petabytes. Everything per piece is sized by it, so it is bounded.
    const claimedPieces = hasV1 ? metainfo.pieceCount : dataFiles.reduce((sum, i) => sum + Math.ceil(table.fileLength(i) / L), 0);
    if (claimedPieces > MAX_VERIFY_PIECES)
      throw new HashingError(
        'unverifiable',
        `the torrent claims ${formatCount(claimedPieces)} pieces, more than the ${formatCount(MAX_VERIFY_PIECES)} verify checks (libtorrent's limit when raised)`,
      );

    let v1Hashes: StreamHashes | undefined;
    let v2Hashes: StreamHashes | undefined;
    /** For v2: each data file's first piece in the v2 stream. */
    const v2First = new Float64Array(files.count);
    if (hasV1) {
      const stream = new PieceStreamBuilder(L, files.base, files.paths);
      for (let i = 0; i < files.count; i++) {
        if (table.isPadding(i)) stream.zeros(table.fileLength(i));
        else addFile(stream, files, i);
        if (aligned) v2First[i] = table.fileOffset(i) / L;
      }
      v1Hashes = await hashStream(stream.build(true, aligned), hashOptions);
      if (aligned) v2Hashes = v1Hashes;
    }
    if (hasV2 && !v2Hashes) {
      // Each file from a piece boundary, as libtorrent numbers the pieces of a v2 torrent.
      const stream = new PieceStreamBuilder(L, files.base, files.paths);
      for (const i of dataFiles) {
        if (table.fileLength(i) === 0) continue;
        stream.padToPiece();
        v2First[i] = stream.length / L;
        addFile(stream, files, i);
      }
      v2Hashes = await hashStream(stream.build(false, true), hashOptions);
    }

    // Piece verdicts, in the torrent's piece numbering: v1's, or for v2 the files' pieces end to end.
    const pieceCount = hasV1 ? (v1Hashes as StreamHashes).pieceCount : (v2Hashes as StreamHashes).pieceCount;
    const v1States = new Uint8Array(hasV1 ? pieceCount : 0);
    if (hasV1) judgeV1(v1Hashes as StreamHashes, doc.bytes(piecesToken), v1States);
    const states = hasV1 ? v1States.slice() : new Uint8Array(pieceCount);
    const v2Own = new Map<number, Uint8Array>();
    const notes = new Map<number, string>();
    if (hasV2) {
      const layers = pieceLayers(metainfo);
      for (const i of dataFiles) {
        const rootAt = table.piecesRootOffset(i);
        if (table.fileLength(i) === 0 || rootAt < 0) continue;
        const root = table.bytes.subarray(rootAt, rootAt + HASH_SIZE);
        const first = v2First[i];
        const judged = judgeV2File(v2Hashes as StreamHashes, first, table.fileLength(i), root, L, layers);
        v2Own.set(i, judged.states);
        if (judged.note) notes.set(i, judged.note);
        // Where v1 and v2 share pieces (v2, or an aligned hybrid), a piece is as good as its worse verdict.
        if (!hasV1 || aligned)
          for (let k = 0; k < judged.states.length; k++) states[first + k] = Math.max(states[first + k], judged.states[k]);
      }
    }

    for (const hashes of [v1Hashes, v2Hashes])
      for (const [id, problem] of hashes?.problems ?? []) if (!files.problems.has(id)) files.problems.set(id, problem);
    const verdicts = { hasV1, hasV2, states, v1States, pieceLength: L };
    const verified = dataFiles.map((i) => fileVerdict(files, i, verdicts, v2Own.get(i), notes.get(i)));
    const badPieces: number[] = [];
    let pieceStates = '';
    for (let p = 0; p < pieceCount; p++) if (states[p] !== S_GOOD) badPieces.push(p);
    for (let p = 0; p < pieceCount; p += 65536)
      pieceStates += String.fromCharCode(...Array.from(states.subarray(p, p + 65536), (s) => STATE_CHARS[s].charCodeAt(0)));
    return {
      version: metainfo.version,
      pieceLength: L,
      pieceCount,
      goodPieces: pieceCount - badPieces.length,
      badPieces,
      pieceStates,
      complete: badPieces.length === 0 && verified.every((f) => f.status === 'complete'),
      files: verified,
      bytesRead: (v1Hashes?.bytesRead ?? 0) + (v2Hashes && v2Hashes !== v1Hashes ? v2Hashes.bytesRead : 0),
      elapsedMs: performance.now() - started,
    };
  } finally {
    if (!options.pool) await pool.close();
  }
}

/** File `i` into a stream: read (as much of it as there is), or, when it is not there, counted as unreadable. */
function addFile(stream: PieceStreamBuilder, files: Files, i: number): void {
  const length = files.metainfo.files.fileLength(i);
  const p = files.pathIndex[i];
  if (p < 0 || files.states[p] !== PROBE_PRESENT) {
    stream.unread(i, length);
    return;
  }
  const elsewhere = files.readAt[p];
  stream.data(i, elsewhere >= 0 ? elsewhere : p, length, Math.min(length, files.sizes[p]), elsewhere >= 0 ? PATH_ABSOLUTE : 0);
}

/** Where each file of the torrent would be on disk; unsafe paths are marked and never used. */
function describeFiles(metainfo: Metainfo, content: string, folderReal: string | undefined): Files {
  const table = metainfo.files;
  const spans: number[] = [];
  const paths = new PackedBytesBuilder();
  const pathIndex = new Int32Array(table.count).fill(-1);
  const unsafe = new Map<number, string>();
  const elements: Uint8Array[] = [];
  for (let i = 0; i < table.count; i++) {
    if (table.isPadding(i)) continue;
    if (metainfo.singleFile) {
      pathIndex[i] = paths.count;
      paths.pushText(content);
      continue;
    }
    const count = table.pathElementSpans(i, spans);
    elements.length = 0;
    for (let e = 0; e < count; e++) elements.push(table.bytes.subarray(spans[2 * e], spans[2 * e + 1]));
    const why = unsafeReason(elements);
    if (why) unsafe.set(i, why);
    else {
      pathIndex[i] = paths.count;
      paths.push(elements, 0);
    }
  }
  const probed = paths.count;
  return {
    metainfo,
    count: table.count,
    pathIndex,
    unsafe,
    base: folderReal === undefined ? new Uint8Array(0) : Uint8Array.from(Buffer.from(folderReal + sep)),
    paths: paths.result(true),
    states: sharedArray(Uint8Array, probed),
    sizes: sharedArray(Float64Array, probed),
    readAt: new Int32Array(probed).fill(-1),
    problems: new Map(),
  };
}

/** Why a path from the torrent cannot name a file inside the folder, or undefined when it can. Looks at the bytes: no copy per element. */
function unsafeReason(elements: Uint8Array[]): string | undefined {
  if (elements.length === 0) return 'the torrent gives the file no path; not read';
  const windows = process.platform === 'win32';
  for (const e of elements) {
    if (e.length === 0 || (e.length <= 2 && e.every((b) => b === 0x2e)))
      return `the path has a ${JSON.stringify(Buffer.from(e).toString('latin1'))} element that would leave the folder; not read`;
    for (const b of e)
      if (b === 0x2f || b === 0 || (windows && (b === 0x5c || b === 0x3a)))
        return 'a path element holds a separator or a NUL byte, which could leave the folder; not read';
  }
  return undefined;
}

/** The content must exist and be of the right kind. Returns the folder's real path (none for a single file). */
function checkContent(content: string, singleFile: boolean): string | undefined {
  let stat;
  try {
    stat = statSync(content);
  } catch {
    throw new HashingError('not-found', `${content} does not exist`, content);
  }
  if (singleFile) {
    if (stat.isDirectory())
      throw new HashingError('wrong-kind', `${content} is a folder, but this torrent is one file: give the file's own path`, content);
    return undefined;
  }
  if (!stat.isDirectory())
    throw new HashingError('wrong-kind', `${content} is not a folder, but this torrent holds several files`, content);
  return realpathSync.native(content);
}

/** Looks at every file on disk, on all threads at once; files read elsewhere get their real paths added to `files.paths`. */
async function probe(pool: HashPool, files: Files, folderReal: string | undefined, signal: AbortSignal | undefined): Promise<void> {
  const count = files.states.length;
  if (count === 0) return;
  const run: ProbeRun = {
    type: 'probe',
    folder: folderReal === undefined ? undefined : Uint8Array.from(Buffer.from(folderReal)),
    base: files.base,
    paths: files.paths,
    states: files.states,
    sizes: files.sizes,
    control: sharedArray(Int32Array, CONTROL_SLOTS),
    progress: sharedArray(BigInt64Array, 1),
  };
  const results = await stoppedBy(signal, run, () => pool.broadcast(run, Math.min(pool.threads, Math.ceil(count / 256))));
  const byPath = new Map<number, number>();
  for (let i = 0; i < files.count; i++) if (files.pathIndex[i] >= 0) byPath.set(files.pathIndex[i], i);
  const elsewhere: { index: number; path: Uint8Array }[] = [];
  for (const result of results) {
    if (result.status === 'rejected') throw result.reason;
    for (const problem of result.value.problems) {
      const file = byPath.get(problem.id) as number;
      files.problems.set(file, { ...problem, id: file });
    }
    elsewhere.push(...result.value.realPaths);
  }
  if (elsewhere.length > 0) {
    // Rare (links inside the folder): a new table with their real paths after the others.
    const table = new PackedBytesBuilder();
    for (let p = 0; p < files.paths.ends.length; p++)
      table.push([files.paths.bytes.subarray(p === 0 ? 0 : files.paths.ends[p - 1], files.paths.ends[p])], 0);
    for (const { index, path } of elsewhere) {
      files.readAt[index] = table.count;
      table.push([path], 0);
    }
    files.paths = table.result(true);
  }
}

function judgeV1(hashes: StreamHashes, expected: Uint8Array, states: Uint8Array): void {
  const got = hashes.v1 as Uint8Array;
  for (let p = 0; p < hashes.pieceCount; p++) {
    if (hashes.unread[p]) states[p] = S_MISSING;
    else if (!bytesEqual(got.subarray(p * 20, p * 20 + 20), expected.subarray(p * 20, p * 20 + 20))) states[p] = S_BAD;
  }
}

/** `piece layers`, by pieces root (as a latin-1 string), for the entries that are well formed. */
function pieceLayers(metainfo: Metainfo): Map<string, Uint8Array> {
  const doc = metainfo.document;
  const token = doc.get(doc.root, 'piece layers');
  const layers = new Map<string, Uint8Array>();
  if (token < 0 || !doc.isDict(token)) return layers;
  for (const [k, v] of doc.entries(token)) {
    if (doc.size(k) === HASH_SIZE && doc.isBytes(v) && doc.size(v) % HASH_SIZE === 0) {
      const key = doc.binary(k);
      if (!layers.has(key)) layers.set(key, doc.bytes(v));
    }
  }
  return layers;
}

/** The file's own v2 piece states, against its piece layer, or, without a usable one, against its root as a whole. */
function judgeV2File(
  hashes: StreamHashes,
  first: number,
  length: number,
  root: Uint8Array,
  pieceLength: number,
  layers: Map<string, Uint8Array>,
): { states: Uint8Array; note?: string } {
  const pieces = Math.ceil(length / pieceLength);
  const got = (hashes.v2 as Uint8Array).subarray(first * HASH_SIZE, (first + pieces) * HASH_SIZE);
  const states = new Uint8Array(pieces);
  let anyUnread = false;
  for (let k = 0; k < pieces; k++) {
    if (hashes.unread[first + k]) {
      states[k] = S_MISSING;
      anyUnread = true;
    }
  }
  if (pieces === 1) {
    if (!anyUnread && !bytesEqual(got, root)) states[0] = S_BAD;
    return { states };
  }
  const layer = layers.get(Buffer.from(root).toString('latin1'));
  if (layer && layer.length === pieces * HASH_SIZE && bytesEqual(rootFromPieceLayer(layer, pieces, pieceLength), root)) {
    for (let k = 0; k < pieces; k++) {
      if (
        states[k] === S_GOOD &&
        !bytesEqual(got.subarray(k * HASH_SIZE, (k + 1) * HASH_SIZE), layer.subarray(k * HASH_SIZE, (k + 1) * HASH_SIZE))
      )
        states[k] = S_BAD;
    }
    return { states };
  }
  // No piece layer to go by: only the whole file can be checked against its root.
  const whole = !anyUnread && bytesEqual(rootFromPieceLayer(got, pieces, pieceLength), root);
  if (!whole) for (let k = 0; k < pieces; k++) if (states[k] === S_GOOD) states[k] = S_BAD;
  return {
    states,
    note: `the torrent has no ${layer ? 'valid ' : ''}piece layer for this file, so it was checked as a whole against its pieces root`,
  };
}

interface Verdicts {
  hasV1: boolean;
  hasV2: boolean;
  /** Both versions' verdicts combined, in the torrent's piece numbering. */
  states: Uint8Array;
  /** v1's verdicts alone. */
  v1States: Uint8Array;
  pieceLength: number;
}

/** The verdict on file `i`, given the pieces' verdicts and, for v2, its own pieces' (`v2States`). */
function fileVerdict(
  files: Files,
  i: number,
  verdicts: Verdicts,
  v2States: Uint8Array | undefined,
  note: string | undefined,
): VerifiedFile {
  const { hasV1, hasV2, states, v1States, pieceLength } = verdicts;
  const table = files.metainfo.files;
  const length = table.fileLength(i);
  const offset = table.fileOffset(i);
  const out: VerifiedFile = { path: displayPath(files.metainfo, i), length, status: 'complete', badPieces: [] };
  const v2Bad: number[] = [];
  if (v2States) for (let k = 0; k < v2States.length; k++) if (v2States[k] !== S_GOOD) v2Bad.push(k);
  if (hasV1) {
    let v1Fails = false;
    if (length > 0) {
      const last = Math.floor((offset + length - 1) / pieceLength);
      for (let p = Math.floor(offset / pieceLength); p <= last; p++) {
        if (states[p] !== S_GOOD) out.badPieces.push(p);
        if (v1States[p] !== S_GOOD) v1Fails = true;
      }
    }
    if (hasV2) {
      out.v2BadPieces = v2Bad;
      if (v1Fails !== v2Bad.length > 0) out.failsOnly = v1Fails ? 'v1' : 'v2';
    }
  } else {
    out.badPieces = v2Bad;
  }
  const p = files.pathIndex[i];
  const state = p >= 0 ? files.states[p] : undefined;
  const problem = files.problems.get(i);
  const unsafe = files.unsafe.get(i);
  if (unsafe) {
    out.status = 'unreadable';
    out.error = unsafe;
  } else if (state === PROBE_MISSING || state === undefined) {
    out.status = 'missing';
  } else if (state === PROBE_REFUSED) {
    out.status = 'unreadable';
  } else if (files.sizes[p] !== length) {
    out.status = 'wrong-size';
    out.actualLength = files.sizes[p];
  } else if (problem) {
    out.status = 'unreadable';
  } else if (out.badPieces.length > 0 || v2Bad.length > 0) {
    out.status = 'damaged';
  }
  if (problem) out.error = problem.message;
  if (note) out.note = note;
  return out;
}

/** File `i`'s path in the torrent, '/'-separated, as text. */
function displayPath(metainfo: Metainfo, i: number): string {
  const table = metainfo.files;
  const spans: number[] = [];
  const count = table.pathElementSpans(i, spans);
  const parts: string[] = [];
  for (let e = 0; e < count; e++) parts.push(displayText(table.bytes.subarray(spans[2 * e], spans[2 * e + 1])).text);
  return parts.join('/');
}
