// One measured process of the hashing section (bench/sections/hashing.ts) that is not a command of its
// own: npm create-torrent, or the floor, printing one JSON line. (Torrent Lens is measured as users run
// it: `torrent-lens create` and `verify`.) Run as
//   node hashing-child.mjs create-torrent PATH PIECE_LENGTH OUT
//   node hashing-child.mjs floor SHA1_BYTES SHA256_BLOCKS PIECE_LENGTH THREADS
// The floor is the hashing a torrent needs and nothing else, on bytes already in memory, on THREADS
// threads: SHA-1 of SHA1_BYTES in pieces (v1; a hybrid's pad files included) and SHA-256 of SHA256_BLOCKS
// 16 KiB blocks (v2: a block per started 16 KiB of each file, as BEP 52 asks).

import { hash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { parseMetainfo } from '../src/core/metainfo/parse';

export interface HashingChildResult {
  /** Milliseconds of the work itself, inside the process. */
  workMs: number;
  infoHashV1?: string;
}

interface FloorJob {
  pieceLength: number;
  sha1Bytes: number;
  sha256Blocks: number;
}

const BUFFER = 4 << 20;

function floorThread(job: FloorJob): void {
  const data = Buffer.alloc(BUFFER, 0x5a);
  for (let i = 0; i < data.length; i += 4) data.writeUInt32LE(Math.imul(i, 2654435761) >>> 0, i);
  for (let left = job.sha1Bytes; left > 0; left -= BUFFER) {
    const n = Math.min(left, BUFFER);
    for (let at = 0; at < n; at += job.pieceLength) hash('sha1', data.subarray(at, Math.min(n, at + job.pieceLength)), 'buffer');
  }
  for (let block = 0; block < job.sha256Blocks; block++) {
    const at = (block * 16384) % BUFFER;
    hash('sha256', data.subarray(at, at + 16384), 'buffer');
  }
}

async function floor(sha1Bytes: number, sha256Blocks: number, pieceLength: number, threads: number): Promise<HashingChildResult> {
  const workers = Array.from(
    { length: threads },
    () => new Worker(new URL(import.meta.url), { workerData: { pieceLength, sha1Bytes: 0, sha256Blocks: 0 } }),
  );
  // Started and warm before the clock runs: the floor is hashing alone.
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  const started = performance.now();
  await Promise.all(
    workers.map(
      (w) =>
        new Promise((resolve) => {
          w.once('message', resolve);
          // Whole pieces to each thread, as the pieces of a torrent are shared out.
          const pieces = Math.ceil(sha1Bytes / pieceLength / threads);
          w.postMessage({ pieceLength, sha1Bytes: pieces * pieceLength, sha256Blocks: Math.ceil(sha256Blocks / threads) });
        }),
    ),
  );
  const workMs = performance.now() - started;
  await Promise.all(workers.map((w) => w.terminate()));
  return { workMs };
}

async function main(argv: string[]): Promise<HashingChildResult> {
  const [mode, ...args] = argv;
  const started = performance.now();
  if (mode === 'create-torrent') {
    // Loaded only here: the other modes' processes must not pay for loading it.
    const { default: createTorrentNpm } = await import('create-torrent');
    const [path, pieceLength, out] = args;
    const torrent = await new Promise<Uint8Array>((resolve, reject) =>
      createTorrentNpm(path, { pieceLength: Number(pieceLength), announceList: [] }, (error, result) =>
        error ? reject(error) : resolve(result),
      ),
    );
    writeFileSync(out, torrent);
    const parsed = parseMetainfo(torrent);
    return { workMs: performance.now() - started, infoHashV1: parsed.ok ? parsed.metainfo.infoHash.v1 : undefined };
  }
  if (mode === 'floor') {
    const [sha1Bytes, sha256Blocks, pieceLength, threads] = args;
    return floor(Number(sha1Bytes), Number(sha256Blocks), Number(pieceLength), Number(threads) || availableParallelism());
  }
  throw new Error(`unknown mode ${mode}`);
}

if (isMainThread) {
  main(process.argv.slice(2)).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
} else {
  const port = parentPort!;
  floorThread(workerData as FloorJob);
  port.postMessage('ready');
  port.on('message', (job: FloorJob) => {
    floorThread(job);
    port.postMessage('done');
  });
}
