// The entry point of a hashing thread (bundled as dist/hash-worker.js): runs the jobs the pool posts,
// one at a time, and answers each with its result. Results own their buffers, which are transferred.

import { parentPort } from 'node:worker_threads';
import { walk, WalkError } from '../create/walk';
import { probeFiles } from '../verify/probe';
import { runHashJob } from './hash-job';
import type { WorkerJob, WorkerReply } from './protocol';

const port = parentPort;
if (!port) throw new Error('hash-worker.js runs as a worker thread');

port.on('message', (job: WorkerJob) => {
  let reply: WorkerReply;
  const transfer: ArrayBuffer[] = [];
  try {
    if (job.type === 'hash') {
      const result = runHashJob(job);
      for (const array of [result.v1, result.v2, result.unread]) if (array) transfer.push(array.buffer as ArrayBuffer);
      reply = { ok: true, type: 'hash', result };
    } else if (job.type === 'walk') {
      reply = { ok: true, type: 'walk', result: walk(job.options) };
    } else {
      reply = { ok: true, type: 'probe', result: probeFiles(job.request) };
    }
  } catch (error) {
    reply = {
      ok: false,
      message: error instanceof Error ? error.message : String(error),
      code: error instanceof WalkError ? error.code : undefined,
    };
  }
  port.postMessage(reply, transfer);
});
