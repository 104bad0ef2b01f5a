// BEP 52 pieces roots and piece layers: the defects libtorrent refuses (or, for some, ignores) are named.
// Layers here are arbitrary hashes with the pieces root computed from them; the corpus's libtorrent-made
// torrents carry real ones. What libtorrent itself does with each torrent is checked in
// test/interop/metainfo-libtorrent.test.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { encode, type Encodable } from '../../src/core/bencode/decode';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import type { Metainfo } from '../../src/core/metainfo/types';
import { toHex } from '../../src/core/text/bytes';
import { readCorpus } from '../support/corpus';

const BLOCK = 16384;

function ok(value: Encodable | Uint8Array): Metainfo {
  const result = parseMetainfo(value instanceof Uint8Array ? value : encode(value));
  if (!result.ok) assert.fail(`${result.failure.code}: ${result.failure.message}`);
  return result.metainfo;
}

const codes = (m: Metainfo) => m.diagnostics.map((d) => d.code);

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return new Uint8Array(h.digest());
};

/** The root of a tree of `2^height` zero leaves (a leaf past the end of a file is 32 zero bytes). */
function zeroRoot(height: number): Uint8Array {
  let node = new Uint8Array(32);
  for (let h = 0; h < height; h++) node = sha256(node, node);
  return node;
}

/** BEP 52: a file's pieces root from its piece layer, the layer padded to a power of two with zero pieces. */
function rootOfLayer(layer: Uint8Array[], pieceLength: number): Uint8Array {
  const pad = zeroRoot(Math.log2(pieceLength / BLOCK));
  let width = 1;
  while (width < layer.length) width *= 2;
  let level = [...layer, ...Array<Uint8Array>(width - layer.length).fill(pad)];
  while (level.length > 1)
    level = level.map((_, i) => (i % 2 === 0 ? sha256(level[i], level[i + 1]) : undefined)).filter((x) => x !== undefined);
  return level[0];
}

/** Arbitrary distinct piece hashes. */
const layerOf = (pieces: number, seed: number) => Array.from({ length: pieces }, (_, i) => sha256(new Uint8Array([seed, i & 255, i >> 8])));
const joined = (hashes: Uint8Array[]) => Uint8Array.from(hashes.flatMap((h) => [...h]));

/**
 * A v2 torrent whose files span `pieces` pieces each (the last piece holding one byte), with a layer for
 * each file larger than a piece (`layer`, or the right one) and the `extra` entries.
 */
function v2(
  pieceLength: number,
  files: { name: string; pieces: number; layer?: Uint8Array; root?: Uint8Array }[],
  extra: [Uint8Array, Uint8Array][] = [],
) {
  const tree: Record<string, Encodable> = {};
  const layers = new Map<Uint8Array, Encodable>();
  files.forEach((f, i) => {
    const hashes = layerOf(f.pieces, i + 1);
    const root = f.root ?? rootOfLayer(hashes, pieceLength);
    tree[f.name] = { '': { length: (f.pieces - 1) * pieceLength + 1, 'pieces root': root } };
    if (f.pieces > 1) layers.set(root, f.layer ?? joined(hashes));
  });
  for (const [root, layer] of extra) layers.set(root, layer);
  return { info: { name: 'v2', 'meta version': 2, 'piece length': pieceLength, 'file tree': tree }, 'piece layers': layers };
}

test('piece layers that hash to their pieces roots pass, at any piece length (zero pieces pad the layer)', () => {
  for (const pieceLength of [BLOCK, 4 * BLOCK, 64 * BLOCK]) {
    const m = ok(
      v2(pieceLength, [
        { name: 'a', pieces: 5 },
        { name: 'b', pieces: 2 },
        { name: 'c', pieces: 1 },
        { name: 'd', pieces: 33 },
      ]),
    );
    assert.deepEqual(codes(m), [], `piece length ${pieceLength}`);
    assert.equal(m.pieceLayerCount, 3);
  }
});

test('a piece layer that does not hash to its pieces root is named', () => {
  const wrong = joined(layerOf(5, 99));
  const m = ok(
    v2(4 * BLOCK, [
      { name: 'a', pieces: 2 },
      { name: 'b', pieces: 5, layer: wrong },
    ]),
  );
  assert.deepEqual(codes(m), ['piece-layer-root']);
  const d = m.diagnostics[0];
  assert.match(d.message, /^the piece layer of file 2 \(info\.file tree\/b, 5 pieces\) does not hash to its pieces root/);
  assert.equal(d.location, 'piece layers');
  const doc = m.document;
  const entry = doc.entries(doc.get(doc.root, 'piece layers')).find(([key]) => toHex(doc.bytes(key)) === m.files.get(1).piecesRoot);
  assert.equal(d.offset, doc.start(entry![1]), 'it points at the layer');
});

test("a 'piece layers' entry that is no file's pieces root is named", () => {
  const stray = sha256(new Uint8Array([7]));
  const small = v2(BLOCK, [{ name: 'one-piece', pieces: 1 }]);
  const smallRoot = rootOfLayer(layerOf(1, 1), BLOCK);
  const m = ok(
    v2(
      BLOCK,
      [
        { name: 'a', pieces: 3 },
        { name: 'one-piece', pieces: 1 },
      ],
      [
        [stray, joined(layerOf(3, 5))],
        [smallRoot, smallRoot],
      ],
    ),
  );
  assert.deepEqual(codes(m), ['piece-layer-orphan', 'piece-layer-orphan']);
  assert.match(m.diagnostics.map((d) => d.message).join('\n'), /is not the pieces root of any file larger than a piece/);
  assert.deepEqual(codes(ok(small)), [], 'no layers at all for files of one piece is right');
  // Without any file that needs one, every entry is a stray.
  assert.deepEqual(codes(ok(v2(BLOCK, [{ name: 'x', pieces: 1 }], [[stray, new Uint8Array(32)]]))), ['piece-layer-orphan']);
});

test('a file with data whose pieces root is all zeros is named; an empty file may have any root', () => {
  const m = ok({
    info: {
      name: 'z',
      'meta version': 2,
      'piece length': BLOCK,
      'file tree': {
        data: { '': { length: 10, 'pieces root': new Uint8Array(32) } },
        empty: { '': { length: 0, 'pieces root': new Uint8Array(32) } },
      },
    },
  });
  assert.deepEqual(codes(m), ['pieces-root-zero']);
  assert.match(m.diagnostics[0].message, /^the 'pieces root' of info\.file tree\/data is all zeros/);
  assert.equal(m.diagnostics[0].location, 'info.file tree/data');
});

test('the piece layers of libtorrent-made torrents hash to their roots; one changed byte is caught', () => {
  for (const file of [
    'gen/lt-v2-only-multi.torrent',
    'gen/lt-v2-only-single.torrent',
    'gen/lt-hybrid-multi.torrent',
    'gen/lt-hybrid-single.torrent',
  ]) {
    // As read from disk: a Buffer, whose slice() is a view, so the check must hash copies.
    const data = Buffer.from(readCorpus(file));
    const m = ok(data);
    assert.deepEqual(data, Buffer.from(readCorpus(file)), 'the torrent bytes are left as they were');
    assert.ok((m.pieceLayerCount ?? 0) > 0, file);
    assert.deepEqual(
      codes(m).filter((c) => c.startsWith('piece')),
      [],
      file,
    );
    const doc = m.document;
    const layers = doc.get(doc.root, 'piece layers');
    const [, firstLayer] = doc.entries(layers)[0];
    const changed = Uint8Array.from(data);
    changed[doc.contentStart(firstLayer) + 40] ^= 1;
    assert.deepEqual(
      codes(ok(changed)).filter((c) => c.startsWith('piece')),
      ['piece-layer-root'],
      file,
    );
  }
});

test('past a budget of layer hashes per read, layers are not hashed, and the user is told how many', () => {
  // 2 + 20,000 pieces: the first layer is checked (and wrong), the second is past the budget.
  const m = ok(
    v2(BLOCK, [
      { name: 'a', pieces: 2, layer: joined(layerOf(2, 50)) },
      { name: 'b', pieces: 20_000, layer: joined(layerOf(20_000, 51)) },
    ]),
  );
  assert.deepEqual(codes(m), ['piece-layer-root', 'piece-layers-unchecked']);
  const note = m.diagnostics[1];
  assert.equal(note.severity, 'info');
  assert.match(note.message, /^20,000 piece layer hashes were not checked against their pieces roots/);
});
