// What the pool and its worker threads say to each other. Everything here crosses a thread boundary by
// structured clone, so it is plain data: paths are bytes (file names on Linux need not be UTF-8).

import type { PackedWalk, WalkOptions } from '../create/walk';
import type { FileProbe, ProbeRequest } from '../verify/probe';

/** One file of a job, in the order of the piece stream. */
export interface JobFile {
  /** Index in the layout's file list, to name the file in problems. */
  index: number;
  /** Where the file starts in the piece stream. */
  offset: number;
  /** Its bytes in the piece stream. */
  length: number;
  /**
   * `data`: read `path`; `zeros`: a BEP 47 pad file, all zeros, never read; `unread`: data that is known
   * not to be there (a missing file), counted as unreadable without touching the disk.
   */
  kind: 'data' | 'zeros' | 'unread';
  /** `data`: the absolute path. */
  path?: Uint8Array;
  /** `data`: bytes from the start that may be read (a shorter file on disk); the rest is unreadable. */
  readable?: number;
}

export interface HashJob {
  type: 'hash';
  pieceLength: number;
  /** SHA-1 of each piece across file boundaries (BEP 3). */
  v1: boolean;
  /** SHA-256 Merkle hashes of each file's pieces (BEP 52); needs every data file to start at a piece boundary. */
  v2: boolean;
  /** The stream range `[start, end)`: `start` a piece boundary, `end` one too or the end of the stream. */
  start: number;
  end: number;
  /** The whole stream's length: the last piece may be short. */
  streamLength: number;
  /** The files that overlap the range, in stream order. */
  files: JobFile[];
  /** Creating a torrent: a file that is shorter or longer than it was when listed is an error. */
  strict: boolean;
  /** Refuse to open a file through a symbolic link (O_NOFOLLOW). */
  noFollow: boolean;
  /** Set to 1 to stop: shared by every job of one run. */
  abort: Int32Array;
}

export interface JobProblem {
  index: number;
  /** A Node error code (ENOENT, EACCES…) or one of ours: `short`, `grew`, `not-a-file`. */
  code: string;
  message: string;
}

export interface HashJobResult {
  /** 20 bytes per piece of the range. */
  v1?: Uint8Array;
  /**
   * 32 bytes per piece of the range: the piece's node in its file's Merkle tree (the `piece layers` entry),
   * or for a file of one piece or less, the file's `pieces root`. Zeros where a piece has no v2 data.
   */
  v2?: Uint8Array;
  /** Per piece of the range: 1 when some of its bytes could not be read, so its hashes mean nothing. */
  unread: Uint8Array;
  /** Bytes read from disk (pad files and unread data excluded). */
  bytesRead: number;
  problems: JobProblem[];
  aborted: boolean;
}

export interface WalkJob {
  type: 'walk';
  options: WalkOptions;
}

export interface ProbeJob {
  type: 'probe';
  request: ProbeRequest;
}

export type WorkerJob = HashJob | WalkJob | ProbeJob;

export type WorkerReply =
  | { ok: true; type: 'hash'; result: HashJobResult }
  | { ok: true; type: 'walk'; result: PackedWalk }
  | { ok: true; type: 'probe'; result: FileProbe[] }
  | { ok: false; message: string; code?: string };
