// BEP 52 piece layers for the tests: a torrent's `piece layers` as stored, and what an honest peer answers to a
// hash request, from a plain tree built level by level (not from the code under test).
import { createHash } from 'node:crypto';
import type { Metainfo } from '../../src/core/metainfo/types';
import { padHash, type HashRange } from '../../src/core/hashing/merkle';
import { toHex } from '../../src/core/text/bytes';

/** The `piece layers` of a torrent, by root in hex, in the order stored. */
export function pieceLayersOf(m: Metainfo): Map<string, Uint8Array> {
  const doc = m.document;
  const out = new Map<string, Uint8Array>();
  const layers = doc.get(doc.root, 'piece layers');
  if (layers < 0) return out;
  for (const [k, v] of doc.entries(layers)) out.set(toHex(doc.bytes(k)), new Uint8Array(doc.bytes(v)));
  return out;
}

/** The tree of a layer, bottom up: levels[0] is the layer padded to a power of two, the last level the root. */
export function layerTree(layer: Uint8Array, pieces: number, baseLayer: number): Uint8Array[][] {
  let width = 1;
  while (width < pieces) width *= 2;
  let level = Array.from({ length: width }, (_, i) => (i < pieces ? layer.subarray(i * 32, i * 32 + 32) : padHash(baseLayer)));
  const levels = [level];
  while (level.length > 1) {
    const up: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2)
      up.push(
        createHash('sha256')
          .update(level[i])
          .update(level[i + 1])
          .digest(),
      );
    levels.push((level = up));
  }
  return levels;
}

/** What a peer answers to `range`: the hashes, then one uncle per level from the run's subtree up to the root. */
export function hashesAnswer(levels: Uint8Array[][], range: Pick<HashRange, 'index' | 'length'>): Uint8Array {
  const parts: Uint8Array[] = levels[0].slice(range.index, range.index + range.length);
  let position = range.index / range.length;
  for (let h = Math.log2(range.length); h < levels.length - 1; h++) {
    parts.push(levels[h][position ^ 1]);
    position >>= 1;
  }
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}
