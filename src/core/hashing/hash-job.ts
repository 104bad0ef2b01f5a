// One hash job, run on a worker thread: reads its stretch of the piece stream with large sequential reads
// into one reused buffer and hashes it (SHA-1 per piece, SHA-256 per 16 KiB block and the Merkle nodes of
// each piece). Nothing here is sized by the input beyond the job's own piece hashes.

import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { createHash, hash, type Hash } from 'node:crypto';
import { BLOCK_SIZE, HASH_SIZE, merkleRootInPlace, nextPowerOfTwo } from './merkle';
import type { HashJob, HashJobResult, JobFile, JobProblem } from './protocol';
import { asBuffer } from './thread-bytes';
import { formatCount } from '../../shared/format';

/** Bytes per read: a multiple of the 16 KiB block, large enough that system calls cost nothing, small enough to stay in cache. */
export const READ_SIZE = 1 << 20;

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

class Aborted extends Error {}

/** Per thread: the read buffer and a buffer of zeros for pad files, both made once. */
let readBuffer: Buffer | undefined;
let zeroBuffer: Buffer | undefined;

export function runHashJob(job: HashJob): HashJobResult {
  readBuffer ??= Buffer.allocUnsafe(READ_SIZE);
  const hasher = new PieceHasher(job);
  const problems: JobProblem[] = [];
  let bytesRead = 0;
  try {
    for (const file of job.files) {
      const from = Math.max(job.start, file.offset);
      const to = Math.min(job.end, file.offset + file.length);
      if (to <= from) continue;
      if (file.kind === 'zeros') {
        zeroBuffer ??= Buffer.alloc(READ_SIZE);
        for (let at = from; at < to; at += READ_SIZE) {
          checkAbort(job);
          hasher.zeros(zeroBuffer.subarray(0, Math.min(READ_SIZE, to - at)));
        }
      } else if (file.kind === 'unread') {
        hasher.unread(to - from);
      } else {
        bytesRead += readFile(job, file, from, to, hasher, readBuffer, problems);
      }
    }
  } catch (error) {
    if (error instanceof Aborted) return { unread: hasher.unreadPieces, bytesRead, problems, aborted: true };
    throw error;
  }
  return { ...hasher.finish(), bytesRead, problems, aborted: false };
}

function checkAbort(job: HashJob): void {
  if (Atomics.load(job.abort, 0) !== 0) throw new Aborted();
}

/** Feeds the file's stream range `[from, to)` to the hasher; what cannot be read is fed as unread. Returns bytes read. */
function readFile(
  job: HashJob,
  file: JobFile,
  from: number,
  to: number,
  hasher: PieceHasher,
  buffer: Buffer,
  problems: JobProblem[],
): number {
  const fileStart = from - file.offset;
  const fileEnd = to - file.offset;
  let readable = Math.min(fileEnd, file.readable ?? file.length);
  let position = fileStart;
  let fd = -1;
  try {
    if (position < readable) {
      try {
        fd = openSync(asBuffer(file.path as Uint8Array), OPEN_FLAGS | (job.noFollow ? NO_FOLLOW : 0));
        if (!fstatSync(fd).isFile()) {
          problems.push({ index: file.index, code: 'not-a-file', message: 'is not a regular file' });
          readable = position;
        }
      } catch (error) {
        problems.push(problemOf(file.index, error));
        readable = position;
      }
    }
    while (position < readable) {
      checkAbort(job);
      const want = Math.min(READ_SIZE, readable - position);
      let got = 0;
      try {
        got = readFull(fd, buffer, want, position);
      } catch (error) {
        problems.push(problemOf(file.index, error));
        break;
      }
      if (got > 0) hasher.data(buffer.subarray(0, got), file);
      position += got;
      if (got < want) {
        problems.push({
          index: file.index,
          code: 'short',
          message: `ended after ${formatCount(position)} of ${formatCount(file.length)} bytes`,
        });
        break;
      }
    }
    // Creating: a file that grew since it was listed would make a torrent of data that no longer exists.
    if (job.strict && fd >= 0 && fileEnd === file.length && position === fileEnd) {
      const probe = buffer.subarray(0, 1);
      if (readSync(fd, probe, 0, 1, file.length) > 0)
        problems.push({ index: file.index, code: 'grew', message: `grew past its listed ${formatCount(file.length)} bytes` });
    }
  } finally {
    if (fd >= 0) closeSync(fd);
  }
  const read = position - fileStart;
  if (position < fileEnd) hasher.unread(fileEnd - position);
  return read;
}

function readFull(fd: number, buffer: Buffer, length: number, position: number): number {
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buffer, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

function problemOf(index: number, error: unknown): JobProblem {
  const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
  const reason = error instanceof Error ? error.message.replace(/, (open|read) .*$/, '') : String(error);
  return { index, code, message: reason };
}

/**
 * The hashes of consecutive pieces fed as file data, pad zeros or unread stretches. SHA-1 runs across
 * file boundaries; the v2 node of a piece covers only its file's data (pad bytes excluded) and is
 * finished where the piece or the file ends.
 */
class PieceHasher {
  private readonly pieceLength: number;
  private readonly v1?: Uint8Array;
  private readonly v2?: Uint8Array;
  readonly unreadPieces: Uint8Array;
  private position: number;
  private piece = 0;
  private pieceStart: number;
  private pieceEnd: number;
  private sha1: Hash | undefined;
  private readonly leaves: Uint8Array;
  private leafCount = 0;
  private readonly scratch = new Uint8Array(2 * HASH_SIZE);
  private readonly blocksPerPiece: number;

  constructor(private readonly job: HashJob) {
    this.pieceLength = job.pieceLength;
    const pieces = Math.ceil((job.end - job.start) / job.pieceLength);
    if (job.v1) this.v1 = new Uint8Array(pieces * 20);
    if (job.v2) this.v2 = new Uint8Array(pieces * HASH_SIZE);
    this.unreadPieces = new Uint8Array(pieces);
    this.position = job.start;
    this.pieceStart = job.start;
    this.pieceEnd = Math.min(job.start + job.pieceLength, job.streamLength);
    this.blocksPerPiece = job.v2 ? job.pieceLength / BLOCK_SIZE : 0;
    this.leaves = new Uint8Array(job.v2 ? this.blocksPerPiece * HASH_SIZE : 0);
  }

  data(bytes: Uint8Array, file: JobFile): void {
    const fileEnd = file.offset + file.length;
    if (this.v2 && this.position === file.offset && this.position !== this.pieceStart)
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
      if (this.v2 && (this.position === this.pieceEnd || this.position === fileEnd)) this.finishV2(file.length);
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

  finish(): { v1?: Uint8Array; v2?: Uint8Array; unread: Uint8Array } {
    if (this.position !== this.job.end)
      throw new Error(`internal error: a hash job covered ${this.position - this.job.start} of ${this.job.end - this.job.start} bytes`);
    return { v1: this.v1, v2: this.v2, unread: this.unreadPieces };
  }

  private sha1Update(part: Uint8Array, wholePiece: boolean): void {
    // A piece that lies in one read is hashed in one call, without a Hash object.
    if (wholePiece) {
      (this.v1 as Uint8Array).set(hash('sha1', part, 'buffer'), this.piece * 20);
      return;
    }
    (this.sha1 ??= createHash('sha1')).update(part);
  }

  private hashBlocks(part: Uint8Array): void {
    for (let at = 0; at < part.length; at += BLOCK_SIZE) {
      this.leaves.set(hash('sha256', part.subarray(at, Math.min(part.length, at + BLOCK_SIZE)), 'buffer'), this.leafCount * HASH_SIZE);
      this.leafCount++;
    }
  }

  /** The piece's node: over `blocksPerPiece` leaves for a file larger than a piece, else the file's whole (small) tree. */
  private finishV2(fileLength: number): void {
    if (this.unreadPieces[this.piece] === 0 && this.leafCount > 0) {
      const width = fileLength > this.pieceLength ? this.blocksPerPiece : nextPowerOfTwo(this.leafCount);
      const node = merkleRootInPlace(this.leaves, this.leafCount, width, 0, this.scratch);
      (this.v2 as Uint8Array).set(node, this.piece * HASH_SIZE);
    }
    this.leafCount = 0;
  }

  private nextPiece(): void {
    if (this.sha1) {
      if (this.unreadPieces[this.piece] === 0) (this.v1 as Uint8Array).set(this.sha1.digest(), this.piece * 20);
      this.sha1 = undefined;
    }
    this.leafCount = 0;
    this.piece++;
    this.pieceStart = this.pieceEnd;
    this.pieceEnd = Math.min(this.pieceStart + this.pieceLength, this.job.streamLength);
  }
}
