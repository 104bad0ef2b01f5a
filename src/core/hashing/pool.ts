// A pool of hashing threads, one per core. A job (listing a folder) goes to the thread with the fewest
// waiting, at most `JOBS_PER_THREAD` each; a run (hashing a stream, looking at files) goes to every
// thread at once, and the threads share its work among themselves (see protocol.ts).
//
// Threads start on first use. An idle pool does not keep the process alive, and `close()` ends it.

import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { abortReason, HashingError } from './errors';
import { CONTROL_ABORT } from './protocol';
import type { HashRun, ProbeResult, ProbeRun, RunResult, StatRun, WalkJob, WorkerJob, WorkerReply } from './protocol';
import type { CreateListing } from '../create/walk';

/**
 * Awaits `broadcast`, a broadcast of `run`, with `signal` wired to the run's control slot so that every thread
 * stops at its next file; once they have all answered, a cancelled run throws the signal's reason.
 */
export async function stoppedBy<T>(signal: AbortSignal | undefined, run: { control: Int32Array }, broadcast: () => Promise<T>): Promise<T> {
  const stop = () => Atomics.store(run.control, CONTROL_ABORT, 1);
  signal?.addEventListener('abort', stop, { once: true });
  let results: T;
  try {
    results = await broadcast();
  } finally {
    signal?.removeEventListener('abort', stop);
  }
  if (signal?.aborted) throw abortReason(signal);
  return results;
}

/** Jobs queued on one thread: the one it runs and the next, so it never waits for the main thread. */
const JOBS_PER_THREAD = 2;

export interface HashPoolOptions {
  /** Threads to hash on; default: every core (`os.availableParallelism()`). */
  threads?: number;
  /**
   * The worker script. Default: `hash-worker.js` beside the running bundle (dist/extension.js and
   * dist/cli.js have it next to them).
   */
  workerFile?: string;
}

interface Pending {
  resolve(reply: WorkerReply): void;
  reject(error: unknown): void;
}

interface Thread {
  worker: Worker;
  pending: Pending[];
}

interface Queued {
  job: WorkerJob;
  pending: Pending;
}

export class HashPool {
  readonly threads: number;
  private readonly workerFile: string;
  private readonly live: Thread[] = [];
  private readonly queue: Queued[] = [];
  private closed = false;

  constructor(options: HashPoolOptions = {}) {
    this.threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
    this.workerFile = resolve(options.workerFile ?? defaultWorkerFile());
  }

  async walk(job: WalkJob): Promise<CreateListing> {
    const reply = await this.run(job);
    if (reply.ok && reply.type === 'walk') return reply.result;
    throw workerFailure(reply);
  }

  /**
   * Sends `run` to `count` threads (default all) and settles when every one has answered, failed or not:
   * a caller must not go on while a thread may still hold one of its files open.
   */
  broadcast(run: HashRun | StatRun, count?: number): Promise<PromiseSettledResult<RunResult>[]>;
  broadcast(run: ProbeRun, count?: number): Promise<PromiseSettledResult<ProbeResult>[]>;
  broadcast(run: HashRun | StatRun | ProbeRun, count = this.threads): Promise<PromiseSettledResult<RunResult>[]> {
    if (this.closed) return Promise.reject(new Error('the hashing pool was closed'));
    while (this.live.length < Math.min(count, this.threads)) this.start();
    const parts = this.live.slice(0, Math.min(count, this.live.length)).map(
      (thread) =>
        new Promise<RunResult>((resolve, reject) => {
          this.post(thread, run, {
            resolve: (reply) => (reply.ok && reply.type === run.type ? resolve(reply.result) : reject(workerFailure(reply))),
            reject,
          });
        }),
    );
    return Promise.allSettled(parts);
  }

  /** Starts every thread now, so that none starts on the way of the first jobs (each takes tens of milliseconds). */
  warm(): void {
    if (this.closed) return;
    while (this.live.length < this.threads) this.start();
  }

  /** Ends the threads; jobs still waiting are rejected. The pool cannot be used afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    const gone = new Error('the hashing pool was closed');
    for (const queued of this.queue.splice(0)) queued.pending.reject(gone);
    const threads = this.live.splice(0);
    await Promise.all(
      threads.map(async (thread) => {
        for (const pending of thread.pending.splice(0)) pending.reject(gone);
        await thread.worker.terminate();
      }),
    );
  }

  private run(job: WorkerJob): Promise<WorkerReply> {
    if (this.closed) return Promise.reject(new Error('the hashing pool was closed'));
    return new Promise<WorkerReply>((resolve, reject) => {
      this.queue.push({ job, pending: { resolve, reject } });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const thread = this.freeThread();
      if (!thread) return;
      const { job, pending } = this.queue.shift() as Queued;
      this.post(thread, job, pending);
    }
  }

  private post(thread: Thread, job: WorkerJob, pending: Pending): void {
    if (thread.pending.length === 0) thread.worker.ref();
    thread.pending.push(pending);
    thread.worker.postMessage(job);
  }

  /** The thread with the fewest jobs queued, starting one while there are fewer than `threads`. */
  private freeThread(): Thread | undefined {
    let best: Thread | undefined;
    for (const thread of this.live) if (!best || thread.pending.length < best.pending.length) best = thread;
    if ((!best || best.pending.length > 0) && this.live.length < this.threads) best = this.start();
    return best && best.pending.length < JOBS_PER_THREAD ? best : undefined;
  }

  private start(): Thread {
    const worker = new Worker(this.workerFile);
    const thread: Thread = { worker, pending: [] };
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      const pending = thread.pending.shift();
      if (thread.pending.length === 0) worker.unref();
      pending?.resolve(reply);
      this.dispatch();
    });
    const fail = (error: Error) => {
      const index = this.live.indexOf(thread);
      if (index >= 0) this.live.splice(index, 1);
      for (const pending of thread.pending.splice(0)) pending.reject(error);
      this.dispatch();
    };
    worker.on('error', (error) => fail(new Error(`a hashing thread failed: ${error.message}`)));
    worker.on('exit', (code) => fail(new Error(`a hashing thread stopped (exit code ${code})`)));
    this.live.push(thread);
    return thread;
  }
}

function workerFailure(reply: WorkerReply): Error {
  if (reply.ok) return new Error(`internal error: a hashing thread answered a ${reply.type} job out of turn`);
  const code = reply.code;
  if (code === 'not-found' || code === 'symlink' || code === 'name-not-utf8' || code === 'unreadable' || code === 'changed')
    return new HashingError(code, reply.message);
  return new Error(reply.message);
}

/** dist/hash-worker.js beside the CommonJS bundle that runs this code. */
function defaultWorkerFile(): string {
  if (typeof __dirname !== 'string')
    throw new Error('HashPool needs the path of hash-worker.js (the workerFile option) outside the CommonJS bundles');
  return join(__dirname, 'hash-worker.js');
}
