// Byte-level splices: applying them, undoing them, and the splices of one value in a decoded document.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, encode } from '../../src/core/bencode/decode';
import {
  applySplices,
  insertEntry,
  insertItem,
  invertSplices,
  mapSpan,
  orderSplices,
  removeEntry,
  removeItem,
  replaceValue,
  type Splice,
} from '../../src/core/bencode/splice';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder('latin1').decode(data);

test('splices apply in order of their offsets, and their inverse gives the old bytes back', () => {
  const data = bytes('0123456789');
  const splices: Splice[] = [
    { start: 8, end: 9, bytes: bytes('EIGHT') },
    { start: 2, end: 2, bytes: bytes('+') },
    { start: 2, end: 4, bytes: new Uint8Array(0) },
    { start: 10, end: 10, bytes: bytes('!') },
  ];
  const after = applySplices(data, splices);
  assert.equal(text(after), '01+4567EIGHT9!');
  const inverse = invertSplices(data, splices);
  assert.equal(text(applySplices(after, inverse)), '0123456789');
  // Inverting the inverse gives splices that redo the edit.
  assert.equal(text(applySplices(data, invertSplices(after, inverse))), '01+4567EIGHT9!');
});

test('insertions at one offset keep the order they were made in', () => {
  const data = bytes('ab');
  assert.equal(
    text(
      applySplices(data, [
        { start: 1, end: 1, bytes: bytes('1') },
        { start: 1, end: 1, bytes: bytes('2') },
      ]),
    ),
    'a12b',
  );
});

test('overlapping splices and splices outside the data are refused', () => {
  const data = bytes('0123456789');
  assert.throws(
    () =>
      orderSplices(
        [
          { start: 1, end: 5, bytes: new Uint8Array(0) },
          { start: 4, end: 6, bytes: new Uint8Array(0) },
        ],
        data.length,
      ),
    /overlaps/,
  );
  assert.throws(() => applySplices(data, [{ start: 9, end: 11, bytes: new Uint8Array(0) }]), /not within/);
  assert.throws(() => applySplices(data, [{ start: 3, end: 2, bytes: new Uint8Array(0) }]), /not within/);
});

test('mapSpan: insertions at the start go before the value, at the end after it', () => {
  const splices: Splice[] = [
    { start: 0, end: 1, bytes: bytes('xyz') },
    { start: 4, end: 4, bytes: bytes('ab') },
    { start: 6, end: 7, bytes: new Uint8Array(0) },
    { start: 9, end: 9, bytes: bytes('q') },
  ];
  assert.deepEqual(mapSpan(4, 9, splices), { start: 8, end: 12 });
});

test('value splices: replace, insert in canonical order, remove, list items', () => {
  const doc = decode(encode({ a: 1, c: ['x', 'y'], e: 'text' }));
  assert.equal(text(doc.data), 'd1:ai1e1:cl1:x1:ye1:e4:texte');
  const c = doc.get(doc.root, 'c');
  const e = doc.get(doc.root, 'e');
  const apply = (...splices: Splice[]) => text(applySplices(doc.data, splices));
  assert.equal(apply(replaceValue(doc, e, encode('new'))), 'd1:ai1e1:cl1:x1:ye1:e3:newe');
  assert.equal(apply(insertEntry(doc, doc.root, 'b', encode(2))), 'd1:ai1e1:bi2e1:cl1:x1:ye1:e4:texte');
  assert.equal(apply(insertEntry(doc, doc.root, 'z', encode(2))), 'd1:ai1e1:cl1:x1:ye1:e4:text1:zi2ee');
  assert.equal(apply(insertEntry(doc, doc.root, '', encode(0))), 'd0:i0e1:ai1e1:cl1:x1:ye1:e4:texte');
  assert.equal(apply(removeEntry(doc, c - 1)), 'd1:ai1e1:e4:texte');
  assert.equal(apply(insertItem(doc, c, 0, encode('w'))), 'd1:ai1e1:cl1:w1:x1:ye1:e4:texte');
  assert.equal(apply(insertItem(doc, c, 1, encode('w'))), 'd1:ai1e1:cl1:x1:w1:ye1:e4:texte');
  assert.equal(apply(insertItem(doc, c, 2, encode('w'))), 'd1:ai1e1:cl1:x1:y1:we1:e4:texte');
  assert.equal(apply(removeItem(doc, c + 1)), 'd1:ai1e1:cl1:ye1:e4:texte');
});

test('a key goes before the first key that sorts after it in raw bytes, also in an unsorted dictionary', () => {
  // Raw byte order puts 'B' (0x42) before 'a' (0x61), and a key with a byte above 0x7f after every ASCII key.
  const doc = decode(bytes('d1:z0:1:a0:1:Bi1ee'));
  assert.equal(text(applySplices(doc.data, [insertEntry(doc, doc.root, 'b', encode(7))])), 'd1:bi7e1:z0:1:a0:1:Bi1ee');
  assert.equal(text(applySplices(doc.data, [insertEntry(doc, doc.root, 'A', encode(7))])), 'd1:Ai7e1:z0:1:a0:1:Bi1ee');
  assert.equal(text(applySplices(doc.data, [insertEntry(doc, doc.root, '\xe9', encode(7))])), 'd1:z0:1:a0:1:Bi1e1:\xe9i7ee');
});
