// The entry point of a hashing thread (bundled as dist/hash-worker.js): runs what the pool posts, one
// message at a time, and answers each. The results of runs are in shared memory already; what goes back
// is small (bytes read, problems).

import { parentPort } from 'node:worker_threads';
import { runStatPart, walk, WalkError } from '../create/walk';
import { runProbePart } from '../verify/probe';
import { runHashPart } from './hash-job';
import type { WorkerJob, WorkerReply } from './protocol';

const port = parentPort;
if (!port) throw new Error('hash-worker.js runs as a worker thread');

port.on('message', (job: WorkerJob) => {
  let reply: WorkerReply;
  try {
    switch (job.type) {
      case 'hash':
        reply = { ok: true, type: 'hash', result: runHashPart(job) };
        break;
      case 'stat':
        reply = { ok: true, type: 'stat', result: runStatPart(job) };
        break;
      case 'probe':
        reply = { ok: true, type: 'probe', result: runProbePart(job) };
        break;
      case 'walk':
        reply = { ok: true, type: 'walk', result: walk(job.options) };
        break;
    }
  } catch (error) {
    reply = {
      ok: false,
      message: error instanceof Error ? error.message : String(error),
      code: error instanceof WalkError ? error.code : undefined,
    };
  }
  port.postMessage(reply);
});
