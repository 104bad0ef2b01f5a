// BEP 52 hash transfer without sockets: the hash request, hashes and hash reject messages byte for byte, their
// lengths bounded by what was asked, the requests a file's piece layer takes, and the check that a run of hashes
// and its proof hash up to the file's pieces root (wrong hashes, a wrong proof, a short answer refused).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { hashRangeMismatch, rootFromPieceLayer, uncleCount, type HashRange } from '../../src/core/hashing/merkle';
import { hashesAnswer, layerTree } from '../support/piece-layers';
import { layerRequests, MAX_HASHES_PER_REQUEST } from '../../src/core/peer/piece-layers';
import {
  encodeHandshake,
  encodeHashRequest,
  encodeMessage,
  hashRequestHeader,
  MESSAGE,
  WireError,
  WireReader,
  type HashRequest,
  type WireLimits,
} from '../../src/core/peer/wire';

const root = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i);
const request: HashRequest = { piecesRoot: root, baseLayer: 2, index: 512, length: 4, proofLayers: 9 };

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

test('hash request: id 21, the pieces root, then base layer, index, length and proof layers as big-endian u32', () => {
  const bytes = encodeHashRequest(request);
  assert.equal(hex(bytes), '00000031' + '15' + hex(root) + '00000002' + '00000200' + '00000004' + '00000009');
  assert.throws(() => encodeHashRequest({ ...request, piecesRoot: new Uint8Array(20) }), /32 bytes/);
});

function reader(limits: Partial<WireLimits> = {}): WireReader {
  const r = new WireReader({ bitfieldBytes: { max: 8 }, maxExtendedBytes: 100, maxOtherBytes: 64, ...limits });
  r.push(encodeHandshake({ reserved: new Uint8Array(8), infoHash: new Uint8Array(20), peerId: new Uint8Array(20) }));
  assert.ok(r.handshake());
  return r;
}

test('hashes and hash reject: read with the request they answer; hash requests from the peer are read too', () => {
  const hashes = Uint8Array.from({ length: 3 * 32 }, (_, i) => i);
  const r = reader({ maxHashesBytes: 1 + 48 + 3 * 32 });
  const header = hashRequestHeader(request);
  r.push(encodeMessage(MESSAGE.hashes, Uint8Array.from([...header, ...hashes])));
  r.push(encodeMessage(MESSAGE.hashReject, header));
  r.push(encodeHashRequest(request));
  assert.deepEqual(r.next(), { type: 'hashes', request, hashes });
  assert.deepEqual(r.next(), { type: 'hash-reject', request });
  assert.deepEqual(r.next(), { type: 'hash-request', request });
  assert.equal(r.next(), undefined);
});

test('hashes: a message longer than the request allows, or not whole hashes, is refused at its length prefix', () => {
  const refuse = (length: number, limits: Partial<WireLimits>, pattern: RegExp) => {
    const r = reader(limits);
    // Only the prefix and the id: the body never needs to arrive for the refusal.
    r.push(Uint8Array.of(length >>> 24, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff, MESSAGE.hashes));
    assert.throws(
      () => r.next(),
      (e: unknown) => e instanceof WireError && pattern.test(e.message),
    );
  };
  refuse(1 + 48 + 5 * 32, { maxHashesBytes: 1 + 48 + 4 * 32 }, /hashes message of 209 bytes, more than the 177 our request allows/);
  refuse(0xffffffff, { maxHashesBytes: 1 + 48 + 4 * 32 }, /not a 48-byte header and whole 32-byte hashes/);
  refuse(1 + 47, {}, /not a 48-byte header/);
  refuse(1 + 48 + 33, { maxHashesBytes: 1000 }, /whole 32-byte hashes/);
  // Without a limit of its own, the limit of other messages holds.
  refuse(1 + 48 + 32, {}, /more than the 64 our request allows/);
  // hash request and hash reject are 48 bytes exactly.
  const r = reader();
  r.push(encodeMessage(MESSAGE.hashReject, new Uint8Array(47)));
  assert.throws(() => r.next(), /message 23 must be 49 bytes long, not 48/);
});

/** A piece layer of `pieces` made-up hashes, its tree padded as BEP 52 pads it, and its root. */
function layerOf(pieces: number, baseLayer: number): { layer: Uint8Array; root: Uint8Array } {
  const layer = new Uint8Array(pieces * 32);
  for (let i = 0; i < pieces; i++) layer.set(createHash('sha256').update(`piece ${i}`).digest(), i * 32);
  return { layer, root: rootFromPieceLayer(layer, pieces, 16384 << baseLayer) };
}

test('hashes check: a run and its proof hash up to the pieces root; padding is the zero tree whatever the peer sent', () => {
  const baseLayer = 3;
  const pieces = 1300;
  const { layer, root } = layerOf(pieces, baseLayer);
  const levels = layerTree(layer, pieces, baseLayer);
  const requests = layerRequests(baseLayer, { root, pieces, files: ['a/b'] });
  assert.deepEqual(
    requests.map((r) => [r.request.index, r.request.length, r.request.proofLayers, r.real]),
    [
      [0, 512, 10, 512],
      [512, 512, 10, 512],
      [1024, 512, 10, 276],
    ],
  );
  for (const { request: r } of requests) {
    const range: HashRange = { piecesRoot: root, baseLayer, layerCount: pieces, index: r.index, length: r.length };
    // 2048 hashes wide: 11 levels above the layer; a run of 512 needs the 2 uncles above its subtree.
    assert.equal(uncleCount(range), 2);
    const hashes = hashesAnswer(levels, range);
    assert.equal(hashes.length, (512 + 2) * 32);
    assert.equal(hashRangeMismatch(range, hashes), undefined, `run at ${r.index}`);
    const wrong = Uint8Array.from(hashes);
    wrong[7] ^= 1;
    assert.match(hashRangeMismatch(range, wrong) ?? '', /do not hash to the pieces root/);
    const wrongProof = Uint8Array.from(hashes);
    wrongProof[hashes.length - 1] ^= 1;
    assert.match(hashRangeMismatch(range, wrongProof) ?? '', /do not hash to the pieces root/);
    assert.match(hashRangeMismatch(range, hashes.subarray(0, hashes.length - 32)) ?? '', /where 512 hashes and 2 proof hashes take 16448/);
    assert.match(hashRangeMismatch(range, new Uint8Array(0)) ?? '', /^0 bytes of hashes/);
  }
  // The last run's padding: what the peer put there does not matter, the zero tree is used.
  const last: HashRange = { piecesRoot: root, baseLayer, layerCount: pieces, index: 1024, length: 512 };
  const padded = hashesAnswer(levels, last);
  padded.fill(0x55, 300 * 32, 512 * 32);
  assert.equal(hashRangeMismatch(last, padded), undefined);
  // Right hashes, wrong root.
  assert.match(hashRangeMismatch({ ...last, piecesRoot: new Uint8Array(32) }, hashesAnswer(levels, last)) ?? '', /pieces root/);
  // Ranges that are not aligned powers of two are refused before any hashing.
  assert.match(hashRangeMismatch({ ...last, length: 3 }, padded) ?? '', /not a power of two/);
  assert.match(hashRangeMismatch({ ...last, index: 1000 }, padded) ?? '', /not a multiple of 512/);
});

test('hashes check: a small layer in one run, without proof; a run of one piece', () => {
  for (const pieces of [2, 3, 5, 512]) {
    const { layer, root } = layerOf(pieces, 0);
    const levels = layerTree(layer, pieces, 0);
    const [only, ...more] = layerRequests(0, { root, pieces, files: ['f'] });
    assert.equal(more.length, 0);
    const width = levels[0].length;
    assert.deepEqual(only.request, { piecesRoot: root, baseLayer: 0, index: 0, length: width, proofLayers: Math.log2(width) - 1 });
    const range: HashRange = { piecesRoot: root, baseLayer: 0, layerCount: pieces, index: 0, length: width };
    assert.equal(uncleCount(range), 0);
    assert.equal(hashRangeMismatch(range, hashesAnswer(levels, range)), undefined, `${pieces} pieces`);
  }
  // 513 pieces: a run of 512, then a run of the one piece left with its ten uncles.
  const { layer, root } = layerOf(513, 1);
  const levels = layerTree(layer, 513, 1);
  const runs = layerRequests(1, { root, pieces: 513, files: ['f'] });
  assert.deepEqual(
    runs.map((r) => [r.request.index, r.request.length, r.real]),
    [
      [0, 512, 512],
      [512, 1, 1],
    ],
  );
  const tail: HashRange = { piecesRoot: root, baseLayer: 1, layerCount: 513, index: 512, length: 1 };
  assert.equal(uncleCount(tail), 10);
  assert.equal(hashRangeMismatch(tail, hashesAnswer(levels, tail)), undefined);
  assert.equal(MAX_HASHES_PER_REQUEST, 512);
});
