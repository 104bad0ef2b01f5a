// Helpers for the create and verify tests: the hashing pool built from dist/, data made from a seeded
// generator in temporary folders (never committed), and a plain, slow, obviously correct BEP 3 / BEP 52
// hasher to check the engine against.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encode } from '../../src/core/bencode/decode';
import { HashPool } from '../../src/core/hashing/pool';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import type { Metainfo } from '../../src/core/metainfo/types';
import { repoRoot } from './corpus';

export const hashWorkerFile = path.join(repoRoot, 'dist', 'hash-worker.js');

/** A pool over the development build's worker; tests share one per file and close it in `after`. */
export function testPool(threads?: number): HashPool {
  return new HashPool({ workerFile: hashWorkerFile, threads });
}

/** mulberry32: a small seeded generator, so every run makes the same bytes. */
export function seededBytes(seed: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i += 4) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const word = (t ^ (t >>> 14)) >>> 0;
    for (let b = 0; b < 4 && i + b < length; b++) out[i + b] = (word >>> (8 * b)) & 0xff;
  }
  return out;
}

export interface TreeFile {
  /** '/'-separated, relative to the folder. */
  path: string;
  size: number;
}

/** Writes the files under `root`, each with its own seeded content; returns the contents by path. */
export function writeTree(root: string, files: TreeFile[], seed = 1): Map<string, Buffer> {
  const contents = new Map<string, Buffer>();
  files.forEach((file, i) => {
    const full = path.join(root, ...file.path.split('/'));
    mkdirSync(path.dirname(full), { recursive: true });
    const data = seededBytes(seed * 1000 + i, file.size);
    writeFileSync(full, data);
    contents.set(file.path, data);
  });
  return contents;
}

/** A temporary folder, removed by the returned function. */
export function tempFolder(prefix = 'torrent-lens-hash-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Damages one byte of `file` in place (all its bits inverted), leaving its size as it was. */
export function flipByte(file: string, at: number): void {
  const fd = openSync(file, 'r+');
  try {
    const one = Buffer.alloc(1);
    readSync(fd, one, 0, 1, at);
    one[0] ^= 0xff;
    writeSync(fd, one, 0, 1, at);
  } finally {
    closeSync(fd);
  }
}

/** Parsed from a Buffer, as a torrent read from disk is: views into it must never be written to. */
export function metainfoOf(torrent: Uint8Array): Metainfo {
  const parsed = parseMetainfo(Buffer.from(torrent));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.failure.message);
  return parsed.metainfo;
}

/**
 * A torrent of `pieces` pieces (zero hashes) in one file, `huge/big`, whose data is never there: verify
 * checks it without a read, so a test of it measures what the number of pieces alone costs.
 */
export function manyPiecesTorrent(pieces: number, pieceLength: number): Metainfo {
  return metainfoOf(
    encode({
      info: {
        name: 'huge',
        'piece length': pieceLength,
        pieces: new Uint8Array(pieces * 20),
        files: [{ length: pieces * pieceLength, path: ['big'] }],
      },
    }),
  );
}

/** BEP 3: SHA-1 of each piece of the concatenated data. */
export function plainV1Pieces(data: Buffer, pieceLength: number): Buffer {
  const out: Buffer[] = [];
  for (let at = 0; at < data.length; at += pieceLength)
    out.push(
      createHash('sha1')
        .update(data.subarray(at, at + pieceLength))
        .digest(),
    );
  return Buffer.concat(out);
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();

/** BEP 52 for one non-empty file: the pieces root and the piece layer (empty for a file of one piece or less). */
export function plainV2(data: Buffer, pieceLength: number): { root: Buffer; layer: Buffer } {
  const blocks: Buffer[] = [];
  for (let at = 0; at < data.length; at += 16384) blocks.push(sha256(data.subarray(at, at + 16384)));
  const perPiece = pieceLength / 16384;
  let leaves = 1;
  while (leaves < blocks.length) leaves *= 2;
  if (blocks.length > perPiece) leaves = Math.ceil(leaves / perPiece) * perPiece;
  const zero = Buffer.alloc(32);
  let layer = [...blocks, ...Array<Buffer>(leaves - blocks.length).fill(zero)];
  let pieceLayer: Buffer[] = [];
  let width = 1;
  while (layer.length > 1) {
    if (width === perPiece) pieceLayer = layer;
    const up: Buffer[] = [];
    for (let i = 0; i < layer.length; i += 2) up.push(sha256(Buffer.concat([layer[i], layer[i + 1]])));
    layer = up;
    width *= 2;
  }
  if (width === perPiece && blocks.length > perPiece) pieceLayer = layer;
  const pieces = Math.ceil(data.length / pieceLength);
  return { root: layer[0], layer: pieces > 1 ? Buffer.concat(pieceLayer.slice(0, pieces)) : Buffer.alloc(0) };
}
