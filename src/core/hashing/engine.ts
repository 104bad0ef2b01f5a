// The hashing engine under create and verify: a piece stream (files in order, BEP 47 pad files among
// them, stream.ts) cut into jobs of a few MiB at piece boundaries and hashed on every thread of the pool
// at once. The threads take the jobs themselves from a counter in shared memory and write the piece
// hashes into shared arrays, so no thread waits for this one between jobs and nothing is copied back.
// Memory is bounded however large the data: each thread reads into one reused buffer; only the piece
// hashes grow with it.

import { abortReason, HashingError } from './errors';
import { entryPathText } from './hash-job';
import { HASH_SIZE } from './merkle';
import type { HashPool } from './pool';
import { ProgressMeter, type ProgressCallback } from './progress';
import { CONTROL_ABORT, CONTROL_SLOTS, type HashRun, type JobProblem } from './protocol';
import { KIND_DATA, KIND_ZEROS, type PieceStream } from './stream';
import { sharedArray } from './thread-bytes';

export interface HashStreamOptions {
  pool: HashPool;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  /** Creating: a file that cannot be read or changes size stops everything with an error. */
  strict: boolean;
}

export interface StreamHashes {
  pieceCount: number;
  /** 20 bytes per piece (in shared memory). */
  v1?: Uint8Array;
  /** 32 bytes per piece: see HashRun.v2. */
  v2?: Uint8Array;
  /** 1 per piece with bytes that could not be read. */
  unread: Uint8Array;
  bytesRead: number;
  /** What went wrong reading, by entry id (verify only: creating throws instead). */
  problems: Map<number, JobProblem>;
}

/** Work per job: a few milliseconds of hashing, so progress is smooth and the threads finish together. */
export const JOB_BYTES = 4 << 20;
/** What opening a file costs, in bytes of reading: bounds the number of small files in one job. */
const FILE_COST = 16 << 10;
/** How often progress is read from the threads' counter; until the first bytes arrive, every `FIRST_PROGRESS_MS`. */
const PROGRESS_MS = 100;
const FIRST_PROGRESS_MS = 5;

export async function hashStream(stream: PieceStream, options: HashStreamOptions): Promise<StreamHashes> {
  const { pool, signal } = options;
  if (signal?.aborted) throw abortReason(signal);
  checkStream(stream);
  const pieceCount = Math.ceil(stream.length / stream.pieceLength);
  const jobs = planJobs(stream);
  const run: HashRun = {
    type: 'hash',
    stream,
    jobCount: jobs.count,
    jobStarts: jobs.starts,
    jobFirstEntry: jobs.firstEntry,
    v1: stream.v1 ? sharedArray(Uint8Array, pieceCount * 20) : undefined,
    v2: stream.v2 ? sharedArray(Uint8Array, pieceCount * HASH_SIZE) : undefined,
    unread: sharedArray(Uint8Array, pieceCount),
    strict: options.strict,
    control: sharedArray(Int32Array, CONTROL_SLOTS),
    progress: sharedArray(BigInt64Array, 1),
  };
  let bytesTotal = 0;
  for (let i = 0; i < stream.count; i++) if (stream.kinds[i] === KIND_DATA) bytesTotal += stream.readable[i];
  const meter = new ProgressMeter(options.onProgress, bytesTotal);

  let failure: { error: unknown } | undefined;
  const stop = () => Atomics.store(run.control, CONTROL_ABORT, 1);
  const report = (force = false) => {
    try {
      meter.update(Number(Atomics.load(run.progress, 0)), force);
    } catch (error) {
      // A progress callback that throws stops the run like any other failure.
      failure ??= { error };
      stop();
    }
  };
  report(true);
  signal?.addEventListener('abort', stop, { once: true });
  // The first bytes are reported as soon as they are read (they show that reading has begun), then the
  // counter is read every PROGRESS_MS.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const poll = () => {
    report();
    timer = setTimeout(poll, Atomics.load(run.progress, 0) > 0n ? PROGRESS_MS : FIRST_PROGRESS_MS);
  };
  timer = setTimeout(poll, FIRST_PROGRESS_MS);
  let results;
  try {
    // Every thread's part is awaited, even after a failure: no thread may still hold a file open.
    results = await pool.broadcast(run, Math.min(pool.threads, jobs.count));
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stop);
  }
  const out: StreamHashes = { pieceCount, v1: run.v1, v2: run.v2, unread: run.unread, bytesRead: 0, problems: new Map() };
  for (const result of results) {
    if (result.status === 'rejected') {
      failure ??= { error: result.reason };
      continue;
    }
    out.bytesRead += result.value.bytesRead;
    for (const problem of result.value.problems) {
      if (options.strict) failure ??= { error: creationFailure(stream, problem) };
      else if (!out.problems.has(problem.id)) out.problems.set(problem.id, problem);
    }
  }
  if (failure) throw failure.error;
  if (signal?.aborted) throw abortReason(signal);
  report(true);
  return out;
}

function creationFailure(stream: PieceStream, problem: JobProblem): HashingError {
  let path = `file ${problem.id + 1}`;
  for (let i = 0; i < stream.count; i++) {
    if (stream.ids[i] === problem.id && stream.kinds[i] === KIND_DATA) {
      path = entryPathText(stream, i);
      break;
    }
  }
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
  for (let i = 0; i < stream.count; i++) {
    if (stream.offsets[i] !== offset) throw new Error('internal error: the stream has a gap or an overlap');
    if (stream.v2 && stream.kinds[i] !== KIND_ZEROS && offset % pieceLength !== 0)
      throw new Error('internal error: a v2 file does not start at a piece boundary');
    offset += stream.lengths[i];
  }
  if (offset !== stream.length) throw new Error('internal error: the stream length is not the sum of its files');
}

/**
 * The jobs, in stream order. A job ends at the piece boundary after its work reaches `JOB_BYTES`: bytes
 * to read and hash, `FILE_COST` per file opened, and for v1 the pad files' zeros, which SHA-1 hashes like
 * any data. One pass over the entries; the arrays hold one number per job.
 */
function planJobs(stream: PieceStream): { count: number; starts: Float64Array; firstEntry: Int32Array } {
  const { pieceLength: L, length: S } = stream;
  let starts = new Float64Array(64);
  let firstEntry = new Int32Array(64);
  let count = 0;
  let first = 0;
  let start = 0;
  while (start < S) {
    while (stream.offsets[first] + stream.lengths[first] <= start) first++;
    let position = start;
    let cost = 0;
    for (let i = first; i < stream.count && position < S && cost < JOB_BYTES; i++) {
      const fileEnd = stream.offsets[i] + stream.lengths[i];
      if (fileEnd <= position) continue;
      const kind = stream.kinds[i];
      const hashed = kind === KIND_DATA || (kind === KIND_ZEROS && stream.v1);
      const take = hashed ? Math.min(fileEnd - position, JOB_BYTES - cost) : fileEnd - position;
      if (hashed) cost += take;
      if (kind === KIND_DATA && position === stream.offsets[i]) cost += FILE_COST;
      position += take;
    }
    if (count + 1 >= starts.length) {
      const grownStarts = new Float64Array(starts.length * 2);
      grownStarts.set(starts);
      starts = grownStarts;
      const grownFirst = new Int32Array(firstEntry.length * 2);
      grownFirst.set(firstEntry);
      firstEntry = grownFirst;
    }
    starts[count] = start;
    firstEntry[count] = first;
    count++;
    start = Math.min(S, Math.ceil(position / L) * L);
  }
  starts[count] = S;
  const sharedStarts = sharedArray(Float64Array, count + 1);
  sharedStarts.set(starts.subarray(0, count + 1));
  const sharedFirst = sharedArray(Int32Array, count);
  sharedFirst.set(firstEntry.subarray(0, count));
  return { count, starts: sharedStarts, firstEntry: sharedFirst };
}
