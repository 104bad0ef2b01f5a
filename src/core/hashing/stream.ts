// A piece stream: the files of a torrent in order, BEP 47 pad files among them, as the hashing threads
// read it. Flat arrays in shared memory, one entry per file, so a stream of a million files is a few
// arrays that every thread reads without a copy, never a million objects.

import { sharedArray, type PackedBytes } from './thread-bytes';

/** Read from disk. */
export const KIND_DATA = 0;
/** A pad file: zeros, never read. */
export const KIND_ZEROS = 1;
/** Data known not to be there (a missing file): counted as unreadable without touching the disk. */
export const KIND_UNREAD = 2;

/** Entry flag: the path is absolute (a followed link, a single file), not below the stream's `base`. */
export const PATH_ABSOLUTE = 1;

export interface PieceStream {
  pieceLength: number;
  /** The sum of all lengths, pad files included. */
  length: number;
  /** Compute SHA-1 piece hashes (BEP 3). */
  v1: boolean;
  /** Compute SHA-256 Merkle piece nodes (BEP 52); every non-empty data file must start at a piece boundary. */
  v2: boolean;
  /** The folder the data paths are below, ending in the platform's separator; empty when every path is absolute. */
  base: Uint8Array;
  count: number;
  kinds: Uint8Array;
  flags: Uint8Array;
  /** Where each entry starts in the stream: the sum of the lengths before it. */
  offsets: Float64Array;
  lengths: Float64Array;
  /** Bytes from the start of each data entry that may be read (fewer on disk than the torrent says); the rest is unreadable. */
  readable: Float64Array;
  /** The caller's number for each entry, which problems name. */
  ids: Float64Array;
  /** Per entry, its string in `paths` (-1 for zeros and unread entries). */
  pathIndex: Int32Array;
  /** Paths below `base` with path elements separated by NUL (the reader puts the platform's separator), or absolute. */
  paths: PackedBytes;
}

/** Builds a PieceStream entry by entry; `build()` puts it in shared memory. */
export class PieceStreamBuilder {
  private kinds = new Uint8Array(64);
  private flags = new Uint8Array(64);
  private offsets = new Float64Array(64);
  private lengths = new Float64Array(64);
  private readable = new Float64Array(64);
  private ids = new Float64Array(64);
  private pathIndex = new Int32Array(64);
  private count = 0;
  /** The stream's length so far. */
  length = 0;

  constructor(
    private readonly pieceLength: number,
    private readonly base: Uint8Array,
    /** The path table, in shared memory (the builder does not copy it). */
    private readonly paths: PackedBytes,
  ) {}

  /** A file to read: path `pathIndex` of the table, `length` bytes of which the first `readable` exist. */
  data(id: number, pathIndex: number, length: number, readable = length, flags = 0): void {
    this.add(KIND_DATA, id, length, pathIndex, readable, flags);
  }

  /** A pad file of `length` zeros. */
  zeros(length: number): void {
    this.add(KIND_ZEROS, -1, length, -1, 0, 0);
  }

  /** `length` bytes of a file that is not there. */
  unread(id: number, length: number): void {
    this.add(KIND_UNREAD, id, length, -1, 0, 0);
  }

  /** Zeros up to the next piece boundary, if the stream is not at one. */
  padToPiece(): void {
    const tail = this.length % this.pieceLength;
    if (tail !== 0) this.zeros(this.pieceLength - tail);
  }

  build(v1: boolean, v2: boolean): PieceStream {
    const n = this.count;
    const copy = <T extends Float64Array | Int32Array | Uint8Array>(
      from: T,
      Kind: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number },
    ) => {
      const to = sharedArray(Kind, n);
      to.set(from.subarray(0, n) as never);
      return to;
    };
    return {
      pieceLength: this.pieceLength,
      length: this.length,
      v1,
      v2,
      base: this.base,
      count: n,
      kinds: copy(this.kinds, Uint8Array),
      flags: copy(this.flags, Uint8Array),
      offsets: copy(this.offsets, Float64Array),
      lengths: copy(this.lengths, Float64Array),
      readable: copy(this.readable, Float64Array),
      ids: copy(this.ids, Float64Array),
      pathIndex: copy(this.pathIndex, Int32Array),
      paths: this.paths,
    };
  }

  private add(kind: number, id: number, length: number, pathIndex: number, readable: number, flags: number): void {
    if (length === 0) return;
    if (this.count === this.kinds.length) this.grow();
    const i = this.count++;
    this.kinds[i] = kind;
    this.flags[i] = flags;
    this.offsets[i] = this.length;
    this.lengths[i] = length;
    this.readable[i] = Math.min(readable, length);
    this.ids[i] = id;
    this.pathIndex[i] = pathIndex;
    this.length += length;
  }

  private grow(): void {
    const twice = <T extends Float64Array | Int32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2);
      b.set(a as never);
      return b;
    };
    this.kinds = twice(this.kinds);
    this.flags = twice(this.flags);
    this.offsets = twice(this.offsets);
    this.lengths = twice(this.lengths);
    this.readable = twice(this.readable);
    this.ids = twice(this.ids);
    this.pathIndex = twice(this.pathIndex);
  }
}
