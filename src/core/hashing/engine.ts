// The hashing engine under create and verify: a piece stream (files in order, BEP 47 pad files among
// them) cut into jobs of a few MiB at piece boundaries, hashed on the pool's threads, the results put
// back in piece order. At most `pool.capacity` jobs are out at once and each thread reads into one reused
// buffer, so memory is bounded however large the data; only the piece hashes grow with it.

import { abortReason, HashingError } from './errors';
import { HASH_SIZE } from './merkle';
import type { HashPool } from './pool';
import { ProgressMeter, type ProgressCallback } from './progress';
import type { HashJob, JobFile, JobProblem } from './protocol';
import { packTogether } from './thread-bytes';

/** One file of the stream. */
export interface StreamFile {
  /** `data`: read from `path`; `zeros`: a pad file; `unread`: known to be missing, counted as unreadable. */
  kind: 'data' | 'zeros' | 'unread';
  path?: Uint8Array;
  /** Offset in the stream: the sum of the lengths before it. */
  offset: number;
  length: number;
  /** `data`: how much of it exists on disk, when less than `length`. */
  readable?: number;
}

export interface PieceStream {
  pieceLength: number;
  /** The sum of all lengths (pad files included). */
  length: number;
  files: StreamFile[];
  /** Compute SHA-1 piece hashes (BEP 3). */
  v1: boolean;
  /** Compute SHA-256 Merkle piece nodes (BEP 52); every non-empty data file must start at a piece boundary. */
  v2: boolean;
}

export interface HashStreamOptions {
  pool: HashPool;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  /** Creating: a file that cannot be read or changes size stops everything with an error. */
  strict: boolean;
}

export interface StreamHashes {
  pieceCount: number;
  /** 20 bytes per piece. */
  v1?: Uint8Array;
  /** 32 bytes per piece: see HashJobResult.v2. */
  v2?: Uint8Array;
  /** 1 per piece with bytes that could not be read. */
  unread: Uint8Array;
  bytesRead: number;
  /** What went wrong reading, by index in `files` (verify only: creating throws instead). */
  problems: Map<number, JobProblem>;
}

/** Data read per job: a few milliseconds of hashing, so progress is smooth and threads finish together. */
export const JOB_BYTES = 4 << 20;
/** What opening a file costs, in bytes of reading: bounds the number of small files in one job. */
const FILE_COST = 16 << 10;
const MAX_FILES_PER_JOB = 1024;

export async function hashStream(stream: PieceStream, options: HashStreamOptions): Promise<StreamHashes> {
  const { pool, signal } = options;
  if (signal?.aborted) throw abortReason(signal);
  checkStream(stream);
  const pieceCount = Math.ceil(stream.length / stream.pieceLength);
  const out: StreamHashes = {
    pieceCount,
    v1: stream.v1 ? new Uint8Array(pieceCount * 20) : undefined,
    v2: stream.v2 ? new Uint8Array(pieceCount * HASH_SIZE) : undefined,
    unread: new Uint8Array(pieceCount),
    bytesRead: 0,
    problems: new Map(),
  };
  let bytesTotal = 0;
  for (const file of stream.files) if (file.kind === 'data') bytesTotal += Math.min(file.length, file.readable ?? file.length);
  const meter = new ProgressMeter(options.onProgress, bytesTotal);
  meter.update(0, true);

  const abort = new Int32Array(new SharedArrayBuffer(4));
  let failure: { error: unknown } | undefined;
  /** On abort: tell the threads, then let `pump` see that nothing more is to be sent. */
  let wake = () => {};
  const onAbort = () => {
    Atomics.store(abort, 0, 1);
    wake();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await new Promise<void>((resolve) => {
      const jobs = planJobs(stream, options.strict, abort);
      let inFlight = 0;
      let exhausted = false;
      const pump = (): void => {
        while (!failure && !exhausted && !signal?.aborted && inFlight < pool.capacity) {
          const next = jobs.next();
          if (next.done) {
            exhausted = true;
            break;
          }
          const job = next.value;
          inFlight++;
          pool.hash(job).then(
            (result) => {
              inFlight--;
              try {
                if (!failure && !result.aborted) {
                  const first = job.start / stream.pieceLength;
                  if (out.v1 && result.v1) out.v1.set(result.v1, first * 20);
                  if (out.v2 && result.v2) out.v2.set(result.v2, first * HASH_SIZE);
                  out.unread.set(result.unread, first);
                  out.bytesRead += result.bytesRead;
                  for (const problem of result.problems) {
                    if (options.strict) failure ??= { error: creationFailure(job, problem) };
                    else if (!out.problems.has(problem.index)) out.problems.set(problem.index, problem);
                  }
                  if (!failure) meter.update(out.bytesRead);
                }
              } catch (error) {
                // A progress callback that throws stops the run like any other failure.
                failure ??= { error };
              }
              if (failure) Atomics.store(abort, 0, 1);
              pump();
            },
            (error: unknown) => {
              inFlight--;
              failure ??= { error };
              Atomics.store(abort, 0, 1);
              pump();
            },
          );
        }
        // Wait for every job out to come back, even after a failure: no thread may still hold a file open.
        if (inFlight === 0 && (exhausted || failure || signal?.aborted)) resolve();
      };
      wake = pump;
      pump();
    });
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (failure) throw failure.error;
  if (signal?.aborted) throw abortReason(signal);
  meter.update(out.bytesRead, true);
  return out;
}

function creationFailure(job: HashJob, problem: JobProblem): HashingError {
  const file = job.files.find((f) => f.index === problem.index);
  const path = file?.path ? Buffer.from(file.path).toString() : `file ${problem.index + 1}`;
  const changed = problem.code === 'short' || problem.code === 'grew';
  return new HashingError(
    changed ? 'changed' : 'unreadable',
    changed ? `${path} changed while it was read: it ${problem.message}` : `${path} could not be read: ${problem.message}`,
    path,
  );
}

function checkStream(stream: PieceStream): void {
  const { pieceLength } = stream;
  if (!Number.isSafeInteger(pieceLength) || pieceLength <= 0) throw new Error(`internal error: piece length ${pieceLength}`);
  let offset = 0;
  for (const file of stream.files) {
    if (file.offset !== offset) throw new Error('internal error: the stream has a gap or an overlap');
    if (stream.v2 && file.kind !== 'zeros' && file.length > 0 && file.offset % pieceLength !== 0)
      throw new Error('internal error: a v2 file does not start at a piece boundary');
    offset += file.length;
  }
  if (offset !== stream.length) throw new Error('internal error: the stream length is not the sum of its files');
}

/**
 * Jobs in stream order, made as they are asked for: a stream of millions of pieces never has them all in
 * memory. A job ends at the piece boundary after its work reaches `JOB_BYTES`: bytes to read and hash,
 * `FILE_COST` per file opened, and for v1 the pad files' zeros, which SHA-1 hashes like any data.
 */
function* planJobs(stream: PieceStream, strict: boolean, abort: Int32Array): Generator<HashJob> {
  const { files, pieceLength: L, length: S } = stream;
  let first = 0;
  let start = 0;
  while (start < S) {
    while (files[first].offset + files[first].length <= start) first++;
    let position = start;
    let cost = 0;
    let count = 0;
    for (let i = first; position < S && cost < JOB_BYTES && count < MAX_FILES_PER_JOB; i++) {
      const file = files[i];
      const fileEnd = file.offset + file.length;
      if (fileEnd <= position) continue;
      const hashed = file.kind === 'data' || (file.kind === 'zeros' && stream.v1);
      const take = hashed ? Math.min(fileEnd - position, JOB_BYTES - cost) : fileEnd - position;
      if (hashed) cost += take;
      if (file.kind === 'data' && position === file.offset) cost += FILE_COST;
      position += take;
      count++;
    }
    const end = Math.min(S, Math.ceil(position / L) * L);
    const jobFiles: JobFile[] = [];
    const paths: Uint8Array[] = [];
    for (let j = first; j < files.length && files[j].offset < end; j++) {
      const f = files[j];
      if (f.length === 0 || f.offset + f.length <= start) continue;
      const jobFile: JobFile = { index: j, offset: f.offset, length: f.length, kind: f.kind };
      if (f.path) paths.push(f.path);
      if (f.readable !== undefined) jobFile.readable = f.readable;
      jobFiles.push(jobFile);
    }
    // The job's paths in one buffer of their own: they cross to the thread in one copy.
    const packed = packTogether(paths);
    let p = 0;
    jobFiles.forEach((jobFile, k) => {
      if (files[jobFile.index].path) jobFiles[k].path = packed[p++];
    });
    yield {
      type: 'hash',
      pieceLength: L,
      v1: stream.v1,
      v2: stream.v2,
      start,
      end,
      streamLength: S,
      files: jobFiles,
      strict,
      noFollow: true,
      abort,
    };
    start = end;
  }
}
