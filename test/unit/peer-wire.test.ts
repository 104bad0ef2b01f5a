// The peer wire's framing and the bitfield maths, without sockets: messages split at every byte, lengths that
// break the rules refused at their prefix, bencoded headers found inside metadata messages, availability counted.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encode } from '../../src/core/bencode/decode';
import { metadataMismatch, torrentFromMetadata } from '../../src/core/peer/metadata';
import { filePieceRanges, PieceSet, SwarmAvailability } from '../../src/core/peer/pieces';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import { createHash } from 'node:crypto';
import {
  bencodeValueEnd,
  encodeExtended,
  encodeHandshake,
  encodeMessage,
  hasReservedBit,
  KEEP_ALIVE,
  MESSAGE,
  reservedBytes,
  WireError,
  WireReader,
  type WireLimits,
  type WireMessage,
} from '../../src/core/peer/wire';

const limits: WireLimits = { bitfieldBytes: { exact: 2 }, maxExtendedBytes: 100, maxOtherBytes: 64 };
const hash = Uint8Array.from({ length: 20 }, (_, i) => i);
const peerId = new TextEncoder().encode('-LT2080-abcdefghijkl');

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function readAll(
  stream: Uint8Array,
  chunk: number,
  wireLimits = limits,
): { handshake: ReturnType<WireReader['handshake']>; messages: WireMessage[] } {
  const reader = new WireReader(wireLimits);
  let handshake: ReturnType<WireReader['handshake']>;
  const messages: WireMessage[] = [];
  for (let i = 0; i < stream.length; i += chunk) {
    reader.push(stream.subarray(i, i + chunk));
    if (!handshake) handshake = reader.handshake();
    if (handshake) for (let m = reader.next(); m; m = reader.next()) messages.push(m);
  }
  assert.equal(reader.buffered, 0);
  return { handshake, messages };
}

test('wire: a handshake and every message kind come out whole, however the stream is split', () => {
  const reserved = reservedBytes(['extensionProtocol', 'fast', 'v2']);
  assert.ok(hasReservedBit(reserved, 'fast') && hasReservedBit(reserved, 'extensionProtocol') && hasReservedBit(reserved, 'v2'));
  assert.ok(!hasReservedBit(reserved, 'dht'));
  const stream = concat(
    encodeHandshake({ reserved, infoHash: hash, peerId }),
    KEEP_ALIVE,
    encodeMessage(MESSAGE.bitfield, Uint8Array.of(0b10100000, 0b01000000)),
    encodeMessage(MESSAGE.have, Uint8Array.of(0, 0, 0, 9)),
    encodeMessage(MESSAGE.haveAll),
    encodeMessage(MESSAGE.unchoke),
    encodeExtended(0, encode({ m: { ut_metadata: 2 } })),
    encodeMessage(MESSAGE.piece, new Uint8Array(40)),
  );
  const expected: WireMessage[] = [
    { type: 'keep-alive' },
    { type: 'bitfield', bits: Uint8Array.of(0b10100000, 0b01000000) },
    { type: 'have', piece: 9 },
    { type: 'have-all' },
    { type: 'unchoke' },
    { type: 'extended', extensionId: 0, payload: encode({ m: { ut_metadata: 2 } }) },
    { type: 'other', id: MESSAGE.piece, length: 41 },
  ];
  for (const chunk of [1, 2, 3, 7, 68, 69, 1000]) {
    const { handshake, messages } = readAll(stream, chunk);
    assert.deepEqual(handshake, { reserved, infoHash: hash, peerId }, `chunk ${chunk}`);
    assert.deepEqual(messages, expected, `chunk ${chunk}`);
  }
});

test('wire: lengths that break the rules are refused at the prefix, before the body arrives', () => {
  const refuse = (message: Uint8Array, pattern: RegExp, wireLimits = limits) => {
    const reader = new WireReader(wireLimits);
    reader.push(encodeHandshake({ reserved: new Uint8Array(8), infoHash: hash, peerId }));
    assert.ok(reader.handshake());
    reader.push(message.subarray(0, 5));
    assert.throws(
      () => reader.next(),
      (e: unknown) => e instanceof WireError && pattern.test(e.message),
    );
  };
  // A 4 GB length prefix: refused from its first five bytes.
  refuse(Uint8Array.of(0xff, 0xff, 0xff, 0xff, MESSAGE.piece), /4294967295 bytes, more than the 64 accepted/);
  refuse(Uint8Array.of(0xff, 0xff, 0xff, 0xff, MESSAGE.bitfield), /bitfield of 4294967294 bytes where the torrent's pieces need 2/);
  refuse(encodeMessage(MESSAGE.bitfield, new Uint8Array(3)), /bitfield of 3 bytes/);
  refuse(encodeMessage(MESSAGE.bitfield, new Uint8Array(9)), /more than the 8 accepted/, { ...limits, bitfieldBytes: { max: 8 } });
  refuse(encodeMessage(MESSAGE.have, new Uint8Array(5)), /message 4 must be 5 bytes long, not 6/);
  refuse(encodeMessage(MESSAGE.choke, new Uint8Array(1)), /must be 1 bytes long, not 2/);
  refuse(encodeMessage(MESSAGE.extended, new Uint8Array(200)), /more than the 100 accepted/);
  refuse(encodeMessage(MESSAGE.extended), /without an extension id/);
});

test('wire: anything but a BitTorrent handshake is refused from its first bytes', () => {
  for (const [bytes, words] of [
    [new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\n'), /starts "HTTP\/1.1 400 Bad Re/],
    [Uint8Array.of(0x16, 0x03, 0x01), /starts 16 03 01/],
    [Uint8Array.of(19, 0x42, 0x69, 0x74, 0x54, 0x00), /not a BitTorrent handshake/],
  ] as const) {
    const reader = new WireReader(limits);
    reader.push(bytes);
    assert.throws(
      () => reader.handshake(),
      (e: unknown) => e instanceof WireError && words.test(e.message),
    );
  }
  const reader = new WireReader(limits);
  reader.push(encodeHandshake({ reserved: new Uint8Array(8), infoHash: hash, peerId }).subarray(0, 30));
  assert.equal(reader.handshake(), undefined, 'a partial handshake waits for the rest');
});

test('wire: the reader keeps one message at most, even when fed a byte at a time', () => {
  const reader = new WireReader({ ...limits, bitfieldBytes: { max: 1 << 20 } });
  reader.push(encodeHandshake({ reserved: new Uint8Array(8), infoHash: hash, peerId }));
  reader.handshake();
  const big = encodeMessage(MESSAGE.bitfield, new Uint8Array(1 << 20).fill(0xff));
  for (let i = 0; i < 100; i++) {
    reader.push(big.subarray(i, i + 1));
    assert.equal(reader.next(), undefined);
  }
  assert.equal(reader.pendingMessageBytes, big.length);
  assert.equal(reader.buffered, 100);
});

test('wire: the end of a BEP 9 header inside a metadata message', () => {
  const header = encode({ msg_type: 1, piece: 0, total_size: 31337 });
  const message = concat(header, new Uint8Array(100).fill(0x65));
  assert.equal(bencodeValueEnd(message, 0), header.length);
  assert.equal(bencodeValueEnd(encode({ a: [1, 'xy', { b: -3 }] }), 0), encode({ a: [1, 'xy', { b: -3 }] }).length);
  for (const [bad, words] of [
    ['d8:msg_type', /ends early/],
    ['e', /unexpected 'e'/],
    ['d1:ai12x', /bad integer/],
    ['d1:a99999:x', /runs past the end/],
    ['x', /unexpected byte 0x78/],
    ['l'.repeat(40), /nested too deep/],
  ] as const) {
    assert.throws(
      () => bencodeValueEnd(new TextEncoder().encode(bad), 0),
      (e: unknown) => e instanceof WireError && words.test(e.message),
      bad,
    );
  }
});

test('pieces: bitfields, have, have all, spare bits', () => {
  const { pieces, spareBitsSet } = PieceSet.fromBitfield(Uint8Array.of(0b10000001, 0b11100000), 11);
  assert.equal(spareBitsSet, false);
  assert.equal(pieces.count, 5);
  assert.deepEqual(
    [...Array(11).keys()].filter((i) => pieces.has(i)),
    [0, 7, 8, 9, 10],
  );
  assert.ok(pieces.add(3) && !pieces.add(11) && !pieces.add(-1));
  assert.equal(pieces.count, 6);
  assert.equal(pieces.toHex(), '91e0');
  const spare = PieceSet.fromBitfield(Uint8Array.of(0xff, 0xff), 11);
  assert.equal(spare.spareBitsSet, true);
  assert.equal(spare.pieces.count, 11);
  assert.ok(spare.pieces.complete);
  assert.equal(PieceSet.all(11).toHex(), 'ffe0');
  assert.equal(PieceSet.none(11).count, 0);
});

test('availability: copies per piece, distributed copies as libtorrent counts them, and per file', () => {
  const swarm = new SwarmAvailability(8);
  swarm.add(PieceSet.all(8));
  swarm.add(PieceSet.fromBitfield(Uint8Array.of(0b11110000), 8).pieces);
  swarm.add(PieceSet.fromBitfield(Uint8Array.of(0b11000000), 8).pieces);
  swarm.add(PieceSet.none(8));
  assert.deepEqual([...swarm.copies], [3, 3, 2, 2, 1, 1, 1, 1]);
  assert.equal(swarm.peerCount, 4);
  // The least-held piece has 1 copy; 4 of 8 pieces have more: 1.5 distributed copies.
  assert.deepEqual(swarm.summary(), { availableFraction: 1, distributedCopies: 1.5, minCopies: 1 });
  assert.deepEqual(swarm.summary(0, 2), { availableFraction: 1, distributedCopies: 3, minCopies: 3 });
  const partial = new SwarmAvailability(4);
  partial.add(PieceSet.fromBitfield(Uint8Array.of(0b10100000), 4).pieces);
  assert.deepEqual(partial.summary(), { availableFraction: 0.5, distributedCopies: 0.5, minCopies: 0 });
  assert.deepEqual(partial.summary(2, 2), { availableFraction: 1, distributedCopies: 0, minCopies: 0 }, 'an empty file');
});

test('pieces of each file: one stream in v1 (pad files included), piece-aligned files in v2', () => {
  const files = [
    { length: 10, offset: 0 },
    { length: 0, offset: 10 },
    { length: 30, offset: 10 },
    { length: 24, offset: 40, padding: true },
    { length: 16, offset: 64 },
  ];
  assert.deepEqual(filePieceRanges(files, 16, false), [
    { first: 0, end: 1 },
    { first: 0, end: 0 },
    { first: 0, end: 3 },
    { first: 2, end: 4 },
    { first: 4, end: 5 },
  ]);
  const v2 = [
    { length: 10, offset: 0 },
    { length: 0, offset: 10 },
    { length: 33, offset: 10 },
    { length: 16, offset: 43 },
  ];
  assert.deepEqual(filePieceRanges(v2, 16, true), [
    { first: 0, end: 1 },
    { first: 1, end: 1 },
    { first: 1, end: 4 },
    { first: 4, end: 5 },
  ]);
});

test('a .torrent around fetched metadata: the info bytes verbatim, other keys in order, canonical', () => {
  // Unsorted keys in the info dictionary: re-encoding would change its hash, copying must not.
  const info = new TextEncoder().encode('d4:name1:x12:piece lengthi16384e6:lengthi5e6:pieces20:aaaaaaaaaaaaaaaaaaaae');
  const v1 = createHash('sha1').update(info).digest('hex');
  assert.equal(metadataMismatch(info, { v1 }), undefined);
  assert.match(metadataMismatch(info, { v1: '0'.repeat(40) }) ?? '', /hash to SHA-1/);
  const bytes = torrentFromMetadata(info, {
    trackers: [['http://127.0.0.1:1/a'], ['udp://127.0.0.1:2', '']],
    webSeeds: ['http://127.0.0.1:3/'],
    createdBy: 'Torrent Lens',
    creationDate: 1700000000,
    comment: 'from a magnet link',
  });
  const result = parseMetainfo(bytes);
  if (!result.ok) assert.fail(result.failure.message);
  const m = result.metainfo;
  assert.equal(m.infoHash.v1, v1);
  assert.deepEqual(m.trackers, [['http://127.0.0.1:1/a'], ['udp://127.0.0.1:2']]);
  assert.deepEqual(m.webSeeds, ['http://127.0.0.1:3/']);
  assert.equal(m.comment?.text, 'from a magnet link');
  assert.equal(m.createdBy?.text, 'Torrent Lens');
  assert.equal(m.creationDate, 1700000000);
  // Only the info dictionary's own unsorted keys are reported: the keys around it are in order.
  assert.ok(
    m.diagnostics.every((d) => d.location === 'info' || (d.offset ?? 0) > m.infoSpan.start),
    JSON.stringify(m.diagnostics),
  );
  assert.deepEqual(torrentFromMetadata(info), new Uint8Array([...new TextEncoder().encode('d4:info'), ...info, 0x65]));
});
