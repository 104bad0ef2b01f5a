// What the pool and its worker threads say to each other. Messages cross by structured clone, so they are
// plain data; the large tables in them are SharedArrayBuffer views, which cross by reference. Paths are
// bytes (file names on Linux need not be UTF-8).
//
// A "run" goes to every thread at once: the threads share its work through a counter in shared memory
// (each takes the next chunk until none is left), write their results into shared arrays, and each
// answers once, when it finds nothing left. No message per chunk, and no thread waits for the main one.

import type { CreateListing, WalkOptions } from '../create/walk';
import type { PieceStream } from './stream';

/** Slots of a run's control array (an Int32Array in shared memory). */
export const CONTROL_ABORT = 0;
export const CONTROL_NEXT = 1;
export const CONTROL_SLOTS = 2;

export interface RunBase {
  /** `CONTROL_*`: set ABORT to 1 to stop every thread at its next read; NEXT is the next chunk to take. */
  control: Int32Array;
  /** Bytes read so far by all threads (Atomics.add), for progress. */
  progress: BigInt64Array;
}

/** Hash a piece stream: chunk j is the stream range `[jobStarts[j], jobStarts[j + 1])`, piece boundaries both. */
export interface HashRun extends RunBase {
  type: 'hash';
  stream: PieceStream;
  jobCount: number;
  jobStarts: Float64Array;
  /** The first stream entry that overlaps each job. */
  jobFirstEntry: Int32Array;
  /** 20 bytes per piece, written by the threads. */
  v1?: Uint8Array;
  /**
   * 32 bytes per piece: the piece's node in its file's Merkle tree (the `piece layers` entry), or for a
   * file of one piece or less, the file's `pieces root`. Zeros where a piece has no v2 data.
   */
  v2?: Uint8Array;
  /** Per piece: set to 1 when some of its bytes could not be read, so its hashes mean nothing. */
  unread: Uint8Array;
  /** Creating a torrent: a file that is shorter or longer than when it was listed stops the run. */
  strict: boolean;
}

export interface JobProblem {
  /** The stream entry's id (the caller's number for the file). */
  id: number;
  /** A Node error code (ENOENT, EACCES…) or one of ours: `short`, `grew`, `not-a-file`. */
  code: string;
  message: string;
}

export interface RunResult {
  /** Bytes this thread read from disk (pad files and unread data excluded). */
  bytesRead: number;
  problems: JobProblem[];
}

/** Look up the size of each listed file (lstat, in chunks of `STAT_CHUNK`); sizes go to `sizes`, -1 where there is a problem. */
export interface StatRun extends RunBase {
  type: 'stat';
  listing: CreateListing;
  sizes: Float64Array;
}

/** Look at each file of a torrent on disk before verifying it (see verify/probe.ts). */
export interface ProbeRun extends RunBase {
  type: 'probe';
  /** The chosen folder's real path (absent for a single-file torrent, whose file the user named). */
  folder?: Uint8Array;
  /** Where the files would be: below `base`, elements separated by NUL. */
  base: Uint8Array;
  paths: { bytes: Uint8Array; ends: Float64Array };
  /** Per file: PROBE_* state, written by the threads. */
  states: Uint8Array;
  /** Per file: its size on disk, when present. */
  sizes: Float64Array;
}

export interface ProbeResult extends RunResult {
  /** Files to read at another path (links that stay inside the folder): index and real path. */
  realPaths: { index: number; path: Uint8Array }[];
}

export interface WalkJob {
  type: 'walk';
  options: WalkOptions;
}

export type WorkerJob = HashRun | StatRun | ProbeRun | WalkJob;

export type WorkerReply =
  | { ok: true; type: 'hash' | 'stat'; result: RunResult }
  | { ok: true; type: 'probe'; result: ProbeResult }
  | { ok: true; type: 'walk'; result: CreateListing }
  | { ok: false; message: string; code?: string };
