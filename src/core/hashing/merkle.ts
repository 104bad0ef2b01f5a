// BEP 52 Merkle trees: SHA-256 over 16 KiB blocks, a branching factor of 2, and leaves past the end of a
// file set to zero. A file's `pieces root` is the root of its tree; its `piece layers` entry holds the
// hashes one layer up from the blocks where each node covers one piece.

import { hash } from 'node:crypto';

export const BLOCK_SIZE = 16384;
export const HASH_SIZE = 32;

/**
 * Writes the SHA-1 or SHA-256 of `data` into `out` at `at`. The digest comes back as a latin-1 string
 * ('binary'), a small heap string, instead of the Buffer `hash(…, 'buffer')` allocates with a backing
 * store of its own: a v2 torrent of 2 GiB hashes 262,144 blocks and Merkle nodes, and at about 1.5 µs
 * per Buffer those cost more than a tenth of the hashing.
 */
export function digestInto(algorithm: 'sha1' | 'sha256', data: Uint8Array, out: Uint8Array, at: number): void {
  const digest = hash(algorithm, data, 'binary');
  for (let i = 0; i < digest.length; i++) out[at + i] = digest.charCodeAt(i);
}

/** `padHash(h)`: the root of a subtree of 2^h zero leaves (`padHash(0)` is 32 zero bytes). */
const padHashes: Uint8Array[] = [new Uint8Array(HASH_SIZE)];

export function padHash(height: number): Uint8Array {
  while (padHashes.length <= height) {
    const below = padHashes[padHashes.length - 1];
    const pair = new Uint8Array(2 * HASH_SIZE);
    pair.set(below, 0);
    pair.set(below, HASH_SIZE);
    padHashes.push(hash('sha256', pair, 'buffer'));
  }
  return padHashes[height];
}

/** log2 of a power of two. */
export function log2(powerOfTwo: number): number {
  return Math.round(Math.log2(powerOfTwo));
}

/** The smallest power of two ≥ n (1 for n ≤ 1). */
export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * Reduces `count` 32-byte hashes stored from `hashes[0]` to the root of a tree of `width` leaves
 * (`width` a power of two ≥ count), leaves past `count` being the roots of zero subtrees of height
 * `padHeight`. Works in place: `hashes` must hold at least `count` hashes, is overwritten, and holds the
 * root in its first 32 bytes afterwards.
 */
export function reduceInPlace(hashes: Uint8Array, count: number, width: number, padHeight: number, scratch: Uint8Array): void {
  if (count === 0) {
    hashes.set(padHash(padHeight + log2(width)), 0);
    return;
  }
  let n = count;
  let w = width;
  let height = padHeight;
  while (w > 1) {
    const pairs = Math.ceil(n / 2);
    for (let i = 0; i < pairs; i++) {
      const left = 2 * i * HASH_SIZE;
      scratch.set(hashes.subarray(left, left + HASH_SIZE), 0);
      if (2 * i + 1 < n) scratch.set(hashes.subarray(left + HASH_SIZE, left + 2 * HASH_SIZE), HASH_SIZE);
      else scratch.set(padHash(height), HASH_SIZE);
      digestInto('sha256', scratch, hashes, i * HASH_SIZE);
    }
    n = pairs;
    w /= 2;
    height++;
  }
}

/** `reduceInPlace`, returning a copy of the root. */
export function merkleRootInPlace(hashes: Uint8Array, count: number, width: number, padHeight: number, scratch: Uint8Array): Uint8Array {
  if (count === 0) return copyOf(padHash(padHeight + log2(width)));
  reduceInPlace(hashes, count, width, padHeight, scratch);
  return copyOf(hashes.subarray(0, HASH_SIZE));
}

/** A copy. (`slice` would not do: on a Node Buffer, such as a torrent read from disk, it is a view.) */
export function copyOf(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}

/**
 * A file's `pieces root` from its piece-layer hashes (`pieces` hashes of 32 bytes each, one per piece of
 * `pieceLength` bytes). For a file of at most one piece, `layer` holds that file's root already.
 */
export function rootFromPieceLayer(layer: Uint8Array, pieces: number, pieceLength: number): Uint8Array {
  if (pieces === 1) return copyOf(layer.subarray(0, HASH_SIZE));
  // The reduction works in place: on a copy, never on the caller's bytes.
  const work = copyOf(layer.subarray(0, pieces * HASH_SIZE));
  return merkleRootInPlace(work, pieces, nextPowerOfTwo(pieces), log2(pieceLength / BLOCK_SIZE), new Uint8Array(2 * HASH_SIZE));
}

/** Where a run of hashes sits in a file's tree, as a BEP 52 `hashes` message answers a request. */
export interface HashRange {
  /** The file's `pieces root`. */
  piecesRoot: Uint8Array;
  /** The layer of the hashes, counted up from the 16 KiB blocks (0); the piece layer is log2(piece length / 16 KiB). */
  baseLayer: number;
  /** Hashes in that layer that stand for data (the file's pieces, for the piece layer); the rest is padding. */
  layerCount: number;
  /** The first hash's index in the layer, a multiple of `length`. */
  index: number;
  /** Hashes asked for: a power of two. */
  length: number;
}

/**
 * Proof hashes a `hashes` answer to `range` carries: one per layer from the top of the range's subtree up to,
 * not including, the root. libtorrent asks with `proof layers` = (layers above the base) - 1 and answers with
 * `proof layers` - log2(length) + 1 uncle hashes: this count.
 */
export function uncleCount(range: Pick<HashRange, 'layerCount' | 'length'>): number {
  return Math.max(0, log2(nextPowerOfTwo(range.layerCount)) - log2(range.length));
}

/**
 * Why `hashes` (the `length` hashes of `range`, then its uncle hashes lowest first) do not hash up to the pieces
 * root, or undefined when they do. Hashes past `layerCount` stand for the all-zero padding of the tree: their
 * values are the padding's, whatever the peer sent, so only the hashes of data are trusted to the check.
 */
export function hashRangeMismatch(range: HashRange, hashes: Uint8Array): string | undefined {
  const { length, index, layerCount } = range;
  if (length < 1 || nextPowerOfTwo(length) !== length) return `a range of ${length} hashes, not a power of two`;
  if (index % length !== 0 || index >= layerCount) return `a range starting at ${index}, not a multiple of ${length} within the layer`;
  const uncles = uncleCount(range);
  const expected = (length + uncles) * HASH_SIZE;
  if (hashes.length !== expected)
    return `${hashes.length} bytes of hashes where ${length} hashes and ${uncles} proof hashes take ${expected}`;
  const real = Math.min(length, layerCount - index);
  const scratch = new Uint8Array(2 * HASH_SIZE);
  let node = merkleRootInPlace(copyOf(hashes.subarray(0, real * HASH_SIZE)), real, length, range.baseLayer, scratch);
  let position = index / length;
  for (let u = 0; u < uncles; u++) {
    const uncle = hashes.subarray((length + u) * HASH_SIZE, (length + u + 1) * HASH_SIZE);
    scratch.set(position % 2 === 0 ? node : uncle, 0);
    scratch.set(position % 2 === 0 ? uncle : node, HASH_SIZE);
    node = hash('sha256', scratch, 'buffer');
    position = Math.floor(position / 2);
  }
  for (let i = 0; i < HASH_SIZE; i++)
    if (node[i] !== range.piecesRoot[i]) return 'the hashes and their proof do not hash to the pieces root';
  return undefined;
}
