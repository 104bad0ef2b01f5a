// A hashing thread's share of a hash run: it takes jobs (stretches of the piece stream, a few MiB each)
// from the run's shared counter until none is left, reads each with large sequential reads into one
// reused buffer, and hashes it (SHA-1 per piece, SHA-256 per 16 KiB block and the Merkle node of each
// piece), writing the hashes straight into the run's shared arrays. Nothing here is sized by the input.

import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import { sep } from 'node:path';
import { BLOCK_SIZE, digestInto, HASH_SIZE, nextPowerOfTwo, reduceInPlace } from './merkle';
import { CONTROL_ABORT, CONTROL_NEXT, type HashRun, type JobProblem, type RunResult } from './protocol';
import { formatCount } from '../../shared/format';
import { KIND_DATA, KIND_ZEROS, PATH_ABSOLUTE, type PieceStream } from './stream';

/** Bytes per read: a multiple of the 16 KiB block, large enough that system calls cost nothing, small enough to stay in cache. */
export const READ_SIZE = 1 << 20;

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);
const SEPARATOR = sep.charCodeAt(0);

class Aborted extends Error {}

/**
 * Per thread, made once: the read buffer (one byte more, to see past a file's end), zeros for pad files,
 * a path buffer, the leaf hashes of the piece being hashed and the Merkle reduction's scratch.
 */
let readBuffer: Buffer | undefined;
let zeroBuffer: Buffer | undefined;
let pathBuffer = Buffer.allocUnsafe(4096);
let leaves = new Uint8Array(0);
const scratch = new Uint8Array(2 * HASH_SIZE);

export function runHashPart(run: HashRun): RunResult {
  readBuffer ??= Buffer.allocUnsafe(READ_SIZE + 1);
  const problems: JobProblem[] = [];
  let bytesRead = 0;
  try {
    for (;;) {
      if (Atomics.load(run.control, CONTROL_ABORT) !== 0) break;
      const job = Atomics.add(run.control, CONTROL_NEXT, 1);
      if (job >= run.jobCount) break;
      bytesRead += runJob(run, job, readBuffer, problems);
    }
  } catch (error) {
    if (!(error instanceof Aborted)) throw error;
  }
  return { bytesRead, problems };
}

function checkAbort(run: HashRun): void {
  if (Atomics.load(run.control, CONTROL_ABORT) !== 0) throw new Aborted();
}

/** Hashes job `j`; returns the bytes read. */
function runJob(run: HashRun, j: number, buffer: Buffer, problems: JobProblem[]): number {
  const stream = run.stream;
  const start = run.jobStarts[j];
  const end = run.jobStarts[j + 1];
  const hasher = new PieceHasher(run, start, end);
  let bytesRead = 0;
  for (let i = run.jobFirstEntry[j]; i < stream.count && stream.offsets[i] < end; i++) {
    const offset = stream.offsets[i];
    const length = stream.lengths[i];
    const from = Math.max(start, offset);
    const to = Math.min(end, offset + length);
    if (to <= from) continue;
    const kind = stream.kinds[i];
    if (kind === KIND_ZEROS) {
      zeroBuffer ??= Buffer.alloc(READ_SIZE);
      for (let at = from; at < to; at += READ_SIZE) {
        checkAbort(run);
        hasher.zeros(zeroBuffer.subarray(0, Math.min(READ_SIZE, to - at)));
      }
    } else if (kind === KIND_DATA) {
      bytesRead += readEntry(run, i, from - offset, to - offset, hasher, buffer, problems);
    } else {
      hasher.unread(to - from);
    }
  }
  hasher.finish();
  return bytesRead;
}

/** Entry `i`'s path as a Buffer view of the thread's path buffer (valid until the next call). */
function entryPath(stream: PieceStream, i: number): Buffer {
  const index = stream.pathIndex[i];
  const { bytes, ends } = stream.paths;
  const from = index === 0 ? 0 : ends[index - 1];
  const to = ends[index];
  const base = (stream.flags[i] & PATH_ABSOLUTE) !== 0 ? 0 : stream.base.length;
  const size = base + to - from;
  if (pathBuffer.length < size) pathBuffer = Buffer.allocUnsafe(2 * size);
  pathBuffer.set(stream.base.subarray(0, base), 0);
  for (let k = from, at = base; k < to; k++, at++) pathBuffer[at] = bytes[k] === 0 ? SEPARATOR : bytes[k];
  return pathBuffer.subarray(0, size);
}

/** Entry `i`'s path as text, for messages. */
export function entryPathText(stream: PieceStream, i: number): string {
  return entryPath(stream, i).toString();
}

/**
 * Feeds bytes `[from, to)` of entry `i` to the hasher; what cannot be read is fed as unread and named in
 * `problems`. Returns the bytes read.
 */
function readEntry(run: HashRun, i: number, from: number, to: number, hasher: PieceHasher, buffer: Buffer, problems: JobProblem[]): number {
  const stream = run.stream;
  const length = stream.lengths[i];
  const id = stream.ids[i];
  let readable = Math.min(to, stream.readable[i]);
  let position = from;
  let fd = -1;
  const problem = (code: string, message: string) => {
    problems.push({ id, code, message });
    if (run.strict) Atomics.store(run.control, CONTROL_ABORT, 1);
  };
  try {
    if (position < readable) {
      try {
        // O_NOFOLLOW: a link swapped in since the listing is not followed. O_NONBLOCK: a FIFO swapped in
        // reads as empty instead of waiting for a writer (and is named below).
        fd = openSync(entryPath(stream, i), OPEN_FLAGS);
      } catch (error) {
        const { code, message } = describe(error);
        problem(code, message);
        readable = position;
      }
    }
    let probed = false;
    while (position < readable) {
      checkAbort(run);
      const want = Math.min(READ_SIZE, readable - position);
      // Creating: the read that reaches the file's end asks for one byte more, to see whether it grew.
      probed = run.strict && position + want === length && want < READ_SIZE;
      let got: number;
      try {
        got = readAtLeast(fd, buffer, want, probed ? want + 1 : want, position);
      } catch (error) {
        if (isRegularFile(fd)) problem(describe(error).code, describe(error).message);
        else problem('not-a-file', 'is not a regular file');
        break;
      }
      if (got > want) {
        problem('grew', `grew past its listed ${formatCount(length)} bytes`);
        got = want;
      }
      if (got > 0) hasher.data(buffer.subarray(0, got), stream.offsets[i], length);
      Atomics.add(run.progress, 0, BigInt(got));
      position += got;
      if (got < want) {
        // Only now, when something is off, is it worth a system call to say what the file is.
        if (isRegularFile(fd)) problem('short', `ended after ${formatCount(position)} of ${formatCount(length)} bytes`);
        else problem('not-a-file', 'is not a regular file');
        break;
      }
    }
    // Creating: a file whose end fell on a full read still gets its look past the end.
    if (run.strict && fd >= 0 && position === length && !probed && readSync(fd, buffer, 0, 1, length) > 0)
      problem('grew', `grew past its listed ${formatCount(length)} bytes`);
  } finally {
    if (fd >= 0) closeSync(fd);
  }
  if (position < to) hasher.unread(to - position);
  return position - from;
}

function isRegularFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}

/**
 * Reads until `needed` bytes are in or the file ends, asking for `asked` (≥ needed) at first. Asking for
 * one byte more than a file should have left sees whether it grew in the same system call: a regular
 * file answers short only at its end.
 */
function readAtLeast(fd: number, buffer: Buffer, needed: number, asked: number, position: number): number {
  let got = 0;
  while (got < needed) {
    const n = readSync(fd, buffer, got, asked - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

function describe(error: unknown): { code: string; message: string } {
  const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
  const message = error instanceof Error ? error.message.replace(/, (open|read) .*$/, '') : String(error);
  return { code, message };
}

/**
 * The hashes of the consecutive pieces of one job, fed as file data, pad zeros or unread stretches, and
 * written into the run's shared arrays. SHA-1 runs across file boundaries; the v2 node of a piece covers
 * only its file's data (pad bytes excluded) and is finished where the piece or the file ends.
 */
class PieceHasher {
  private readonly pieceLength: number;
  private readonly streamLength: number;
  private readonly v1: Uint8Array | undefined;
  private readonly v2: Uint8Array | undefined;
  private readonly unreadPieces: Uint8Array;
  private position: number;
  private piece: number;
  private pieceStart: number;
  private pieceEnd: number;
  private sha1: Hash | undefined;
  private leafCount = 0;
  private readonly blocksPerPiece: number;

  constructor(
    run: HashRun,
    start: number,
    private readonly end: number,
  ) {
    this.pieceLength = run.stream.pieceLength;
    this.streamLength = run.stream.length;
    this.v1 = run.stream.v1 ? run.v1 : undefined;
    this.v2 = run.stream.v2 ? run.v2 : undefined;
    this.unreadPieces = run.unread;
    this.position = start;
    this.piece = start / this.pieceLength;
    this.pieceStart = start;
    this.pieceEnd = Math.min(start + this.pieceLength, this.streamLength);
    this.blocksPerPiece = this.pieceLength / BLOCK_SIZE;
    if (this.v2 && leaves.length < this.blocksPerPiece * HASH_SIZE) leaves = new Uint8Array(this.blocksPerPiece * HASH_SIZE);
  }

  /** Bytes of the file at stream offset `fileOffset` with `fileLength` bytes. */
  data(bytes: Uint8Array, fileOffset: number, fileLength: number): void {
    const fileEnd = fileOffset + fileLength;
    if (this.v2 && this.position === fileOffset && this.position !== this.pieceStart)
      throw new Error('internal error: a v2 file does not start at a piece boundary');
    let at = 0;
    while (at < bytes.length) {
      const take = Math.min(bytes.length - at, this.pieceEnd - this.position);
      const part = bytes.subarray(at, at + take);
      if (this.unreadPieces[this.piece] === 0) {
        if (this.v1) this.sha1Update(part, take === this.pieceEnd - this.pieceStart);
        if (this.v2) this.hashBlocks(part);
      }
      at += take;
      this.position += take;
      if (this.v2 && (this.position === this.pieceEnd || this.position === fileEnd)) this.finishV2(fileLength);
      if (this.position === this.pieceEnd) this.nextPiece();
    }
  }

  zeros(bytes: Uint8Array): void {
    let at = 0;
    while (at < bytes.length) {
      const take = Math.min(bytes.length - at, this.pieceEnd - this.position);
      if (this.v1 && this.unreadPieces[this.piece] === 0)
        this.sha1Update(bytes.subarray(at, at + take), take === this.pieceEnd - this.pieceStart);
      at += take;
      this.position += take;
      if (this.position === this.pieceEnd) this.nextPiece();
    }
  }

  unread(length: number): void {
    let left = length;
    while (left > 0) {
      const take = Math.min(left, this.pieceEnd - this.position);
      this.unreadPieces[this.piece] = 1;
      this.sha1 = undefined;
      left -= take;
      this.position += take;
      if (this.position === this.pieceEnd) this.nextPiece();
    }
  }

  finish(): void {
    if (this.position !== this.end) throw new Error(`internal error: a hash job stopped ${this.end - this.position} bytes short`);
  }

  private sha1Update(part: Uint8Array, wholePiece: boolean): void {
    // A piece that lies in one read is hashed in one call, without a Hash object.
    if (wholePiece) digestInto('sha1', part, this.v1 as Uint8Array, this.piece * 20);
    else (this.sha1 ??= createHash('sha1')).update(part);
  }

  private hashBlocks(part: Uint8Array): void {
    for (let at = 0; at < part.length; at += BLOCK_SIZE) {
      digestInto('sha256', part.subarray(at, Math.min(part.length, at + BLOCK_SIZE)), leaves, this.leafCount * HASH_SIZE);
      this.leafCount++;
    }
  }

  /** The piece's node: over `blocksPerPiece` leaves for a file larger than a piece, else the file's whole (small) tree. */
  private finishV2(fileLength: number): void {
    if (this.unreadPieces[this.piece] === 0 && this.leafCount > 0) {
      const width = fileLength > this.pieceLength ? this.blocksPerPiece : nextPowerOfTwo(this.leafCount);
      reduceInPlace(leaves, this.leafCount, width, 0, scratch);
      (this.v2 as Uint8Array).set(leaves.subarray(0, HASH_SIZE), this.piece * HASH_SIZE);
    }
    this.leafCount = 0;
  }

  private nextPiece(): void {
    if (this.sha1) {
      if (this.unreadPieces[this.piece] === 0) {
        const digest = this.sha1.digest('binary');
        for (let k = 0; k < 20; k++) (this.v1 as Uint8Array)[this.piece * 20 + k] = digest.charCodeAt(k);
      }
      this.sha1 = undefined;
    }
    this.leafCount = 0;
    this.piece++;
    this.pieceStart = this.pieceEnd;
    this.pieceEnd = Math.min(this.pieceStart + this.pieceLength, this.streamLength);
  }
}
