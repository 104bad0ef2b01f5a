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
import { hashStream, type StreamFile, type StreamHashes } from '../hashing/engine';
import { abortReason, HashingError } from '../hashing/errors';
import { HASH_SIZE, rootFromPieceLayer } from '../hashing/merkle';
import { HashPool } from '../hashing/pool';
import { ProgressMeter, type ProgressCallback } from '../hashing/progress';
import type { JobProblem } from '../hashing/protocol';
import { packTogether } from '../hashing/thread-bytes';
import type { FileProbe } from './probe';
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
const PROBE_BATCH = 2048;
/** At most this many pieces are checked: about 600 MB of hashes and verdicts at worst. */
export const MAX_VERIFY_PIECES = 10_000_000;

interface FileInfo {
  index: number;
  path: string;
  length: number;
  /** Offset in the v1 stream (v1 and hybrid). */
  offset: number;
  pad: boolean;
  /** Where it would be on disk, or why it cannot be. */
  diskPath?: Uint8Array;
  unsafe?: string;
  probe?: FileProbe;
  /** v2: the 32 bytes of `pieces root`. */
  root?: Uint8Array;
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
  const files = describeFiles(metainfo, content);
  const folderReal = checkContent(content, metainfo.singleFile);

  const pool = options.pool ?? new HashPool();
  try {
    pool.warm();
    new ProgressMeter(options.onProgress, 0).listing();
    await probe(pool, files, folderReal);
    if (signal?.aborted) throw abortReason(signal);

    const L = metainfo.pieceLength;
    const doc = metainfo.document;
    const piecesToken = doc.get(metainfo.info, 'pieces');
    const hasV1 = metainfo.version !== 'v2' && piecesToken >= 0 && doc.isBytes(piecesToken);
    const hasV2 = metainfo.version !== 'v1';
    const dataFiles = files.filter((f) => !f.pad);
    // A hybrid whose files all start on piece boundaries (as BEP 52 asks) is read once for both versions.
    const aligned = hasV1 && hasV2 && dataFiles.every((f) => f.length === 0 || f.offset % L === 0);
    const hashOptions = { pool, signal, onProgress: options.onProgress, strict: false };
    // The piece count of a v2 torrent comes from the lengths it claims, not from hashes it holds: a small
    // hostile torrent can claim petabytes. Everything per piece is sized by it, so it is bounded.
    const claimedPieces = hasV1 ? metainfo.pieceCount : dataFiles.reduce((sum, f) => sum + Math.ceil(f.length / L), 0);
    if (claimedPieces > MAX_VERIFY_PIECES)
      throw new HashingError(
        'unverifiable',
        `the torrent claims ${formatCount(claimedPieces)} pieces, more than the ${formatCount(MAX_VERIFY_PIECES)} verify checks (libtorrent's limit when raised)`,
      );

    let v1Hashes: StreamHashes | undefined;
    let v2Hashes: StreamHashes | undefined;
    /** For v2: each data file's first piece in the v2 stream. */
    let v2First = new Map<number, number>();
    if (hasV1) {
      const stream = v1Stream(files, L);
      v1Hashes = await hashStream({ ...stream, v1: true, v2: aligned }, hashOptions);
      if (aligned) {
        v2Hashes = v1Hashes;
        for (const f of dataFiles) v2First.set(f.index, f.offset / L);
      }
    }
    if (hasV2 && !v2Hashes) {
      const stream = v2Stream(dataFiles, L);
      v2First = stream.first;
      v2Hashes = await hashStream({ pieceLength: L, length: stream.length, files: stream.files, v1: false, v2: true }, hashOptions);
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
      for (const f of dataFiles) {
        if (f.length === 0 || !f.root) continue;
        const first = v2First.get(f.index) as number;
        const judged = judgeV2File(v2Hashes as StreamHashes, first, f, L, layers);
        v2Own.set(f.index, judged.states);
        if (judged.note) notes.set(f.index, judged.note);
        // Where v1 and v2 share pieces (v2, or an aligned hybrid), a piece is as good as its worse verdict.
        if (!hasV1 || aligned)
          for (let k = 0; k < judged.states.length; k++) states[first + k] = Math.max(states[first + k], judged.states[k]);
      }
    }

    const problems = new Map<number, JobProblem>([...(v1Hashes?.problems ?? []), ...(v2Hashes?.problems ?? [])]);
    const verified = dataFiles.map((f) =>
      fileVerdict(
        f,
        { hasV1, hasV2, states, v1States, v2States: v2Own.get(f.index), pieceLength: L },
        problems.get(f.index),
        notes.get(f.index),
      ),
    );
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

/** The torrent's files with their paths on disk; unsafe paths are marked and never used. */
function describeFiles(metainfo: Metainfo, content: string): FileInfo[] {
  const table = metainfo.files;
  const spans: number[] = [];
  const base = Buffer.from(content);
  const separator = Buffer.from(sep);
  const out: FileInfo[] = [];
  for (let i = 0; i < table.count; i++) {
    const pad = table.isPadding(i);
    const count = table.pathElementSpans(i, spans);
    const elements: Uint8Array[] = [];
    for (let e = 0; e < count; e++) elements.push(table.bytes.subarray(spans[2 * e], spans[2 * e + 1]));
    const info: FileInfo = {
      index: i,
      path: elements.map((e) => displayText(e).text).join('/'),
      length: table.fileLength(i),
      offset: table.fileOffset(i),
      pad,
    };
    const rootAt = table.piecesRootOffset(i);
    if (rootAt >= 0) info.root = table.bytes.subarray(rootAt, rootAt + HASH_SIZE);
    if (!pad) {
      if (metainfo.singleFile) info.diskPath = base;
      else {
        info.unsafe = unsafeReason(elements);
        if (!info.unsafe) info.diskPath = Buffer.concat([base, ...elements.flatMap((e) => [separator, e])]);
      }
    }
    out.push(info);
  }
  return out;
}

/** Why a path from the torrent cannot name a file inside the folder, or undefined when it can. */
function unsafeReason(elements: Uint8Array[]): string | undefined {
  if (elements.length === 0) return 'the torrent gives the file no path; not read';
  for (const e of elements) {
    const text = Buffer.from(e).toString('latin1');
    if (text === '' || text === '.' || text === '..')
      return `the path has a ${JSON.stringify(text)} element that would leave the folder; not read`;
    if (/[/\0]/.test(text) || (process.platform === 'win32' && /[\\:]/.test(text)))
      return 'a path element holds a separator or a NUL byte, which could leave the folder; not read';
  }
  return undefined;
}

/** The content must exist and be of the right kind. Returns the folder's real path (none for a single file). */
function checkContent(content: string, singleFile: boolean): Uint8Array | undefined {
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
  return Uint8Array.from(realpathSync.native(content, { encoding: 'buffer' }));
}

async function probe(pool: HashPool, files: FileInfo[], folder: Uint8Array | undefined): Promise<void> {
  const toProbe = files.filter((f) => f.diskPath);
  const batches: Promise<FileProbe[]>[] = [];
  for (let at = 0; at < toProbe.length; at += PROBE_BATCH) {
    const batch = toProbe.slice(at, at + PROBE_BATCH);
    const paths = packTogether(batch.map((f) => f.diskPath as Uint8Array));
    const request = { files: batch.map((f, i) => ({ index: f.index, path: paths[i] })), folder };
    batches.push(pool.probe({ type: 'probe', request }));
  }
  for (const batch of await Promise.all(batches)) for (const result of batch) files[result.index].probe = result;
}

/** How a file of the torrent enters a stream: read (as much as there is), or counted as unreadable. */
function streamEntry(f: FileInfo, offset: number): StreamFile {
  const probe = f.probe;
  if (probe?.state !== 'present') return { kind: 'unread', offset, length: f.length };
  const entry: StreamFile = { kind: 'data', path: probe.realPath ?? f.diskPath, offset, length: f.length };
  if (probe.size < f.length) entry.readable = probe.size;
  return entry;
}

function v1Stream(files: FileInfo[], pieceLength: number): { pieceLength: number; length: number; files: StreamFile[] } {
  const stream = files.map((f) => (f.pad ? { kind: 'zeros' as const, offset: f.offset, length: f.length } : streamEntry(f, f.offset)));
  const last = files[files.length - 1];
  return { pieceLength, length: last ? last.offset + last.length : 0, files: stream };
}

/** v2: each file from a piece boundary, as libtorrent numbers the pieces of a v2 torrent. */
function v2Stream(dataFiles: FileInfo[], pieceLength: number): { length: number; files: StreamFile[]; first: Map<number, number> } {
  const stream: StreamFile[] = [];
  const first = new Map<number, number>();
  let offset = 0;
  for (const f of dataFiles) {
    if (f.length === 0) continue;
    if (offset % pieceLength !== 0) {
      const pad = pieceLength - (offset % pieceLength);
      stream.push({ kind: 'zeros', offset, length: pad });
      offset += pad;
    }
    first.set(f.index, offset / pieceLength);
    stream.push(streamEntry(f, offset));
    offset += f.length;
  }
  return { length: offset, files: stream, first };
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
  f: FileInfo,
  pieceLength: number,
  layers: Map<string, Uint8Array>,
): { states: Uint8Array; note?: string } {
  const pieces = Math.ceil(f.length / pieceLength);
  const root = f.root as Uint8Array;
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
  /** The file's own v2 verdicts. */
  v2States: Uint8Array | undefined;
  pieceLength: number;
}

function fileVerdict(f: FileInfo, verdicts: Verdicts, problem: JobProblem | undefined, note: string | undefined): VerifiedFile {
  const { hasV1, hasV2, states, v1States, v2States, pieceLength } = verdicts;
  const out: VerifiedFile = { path: f.path, length: f.length, status: 'complete', badPieces: [] };
  const v2Bad: number[] = [];
  if (v2States) for (let k = 0; k < v2States.length; k++) if (v2States[k] !== S_GOOD) v2Bad.push(k);
  if (hasV1) {
    let v1Fails = false;
    if (f.length > 0) {
      const last = Math.floor((f.offset + f.length - 1) / pieceLength);
      for (let p = Math.floor(f.offset / pieceLength); p <= last; p++) {
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
  const probe = f.probe;
  if (f.unsafe) {
    out.status = 'unreadable';
    out.error = f.unsafe;
  } else if (!probe || probe.state === 'missing') {
    out.status = 'missing';
  } else if (probe.state === 'refused') {
    out.status = 'unreadable';
    out.error = probe.message;
  } else if (probe.size !== f.length) {
    out.status = 'wrong-size';
    out.actualLength = probe.size;
  } else if (problem) {
    out.status = 'unreadable';
  } else if (out.badPieces.length > 0 || v2Bad.length > 0) {
    out.status = 'damaged';
  }
  if (problem) out.error = problem.message;
  if (note) out.note = note;
  return out;
}
