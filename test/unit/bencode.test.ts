import { test } from 'node:test';
import assert from 'node:assert/strict';
import bencodeOracle from 'bencode';
import { type BencodeDocument, BencodeError, decode, encode, type Token } from '../../src/core/bencode/decode';
import { bytesToBinary } from '../../src/core/text/bytes';

const enc = (text: string) => new TextEncoder().encode(text);
const bin = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

function decodeError(input: string | Uint8Array): BencodeError {
  try {
    decode(typeof input === 'string' ? bin(input) : input);
  } catch (error) {
    assert.ok(error instanceof BencodeError, `expected BencodeError, got ${error}`);
    return error;
  }
  assert.fail(`expected ${JSON.stringify(input)} to be rejected`);
}

/** A decoded value as plain JS, in the shape the npm `bencode` oracle decodes to. */
function toPlain(doc: BencodeDocument, t: Token): unknown {
  switch (doc.kind(t)) {
    case 'int':
      return Number(doc.int(t));
    case 'bytes':
      return doc.binary(t);
    case 'list':
      return doc.children(t).map((c) => toPlain(doc, c));
    case 'dict':
      return Object.fromEntries(doc.entries(t).map(([k, v]) => [doc.binary(k), toPlain(doc, v)]));
  }
}

function oraclePlain(value: unknown): unknown {
  if (value instanceof Uint8Array) return bytesToBinary(value);
  if (Array.isArray(value)) return value.map(oraclePlain);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, oraclePlain(v)]));
  }
  return value;
}

test('decodes every type with exact byte spans', () => {
  const data = bin('d3:agei42e4:listli-7e3:abce4:name5:hello4:voidd0:0:ee');
  const doc = decode(data);
  assert.deepEqual(doc.warnings, []);
  const root = doc.root;
  assert.equal(doc.kind(root), 'dict');
  assert.deepEqual([doc.start(root), doc.end(root)], [0, data.length]);
  assert.equal(doc.size(root), 4);
  assert.deepEqual(
    doc.entries(root).map(([k]) => doc.binary(k)),
    ['age', 'list', 'name', 'void'],
  );

  const age = doc.get(root, 'age');
  assert.equal(doc.int(age), 42);
  assert.deepEqual([doc.start(age), doc.end(age)], [6, 10]);

  const list = doc.get(root, 'list');
  assert.equal(bytesToBinary(data, doc.start(list), doc.end(list)), 'li-7e3:abce');
  assert.equal(doc.size(list), 2);
  const [minusSeven, abc] = doc.children(list);
  assert.equal(doc.int(minusSeven), -7);
  assert.equal(doc.binary(abc), 'abc');
  assert.equal(doc.contentStart(abc), doc.start(abc) + 2);
  assert.equal(doc.next(list), doc.entries(root)[2][0], 'next() skips the whole subtree');

  const name = doc.get(root, 'name');
  assert.equal(bytesToBinary(data, doc.start(name), doc.end(name)), '5:hello');
  assert.equal(doc.size(name), 5);
  const [nameKey] = doc.entries(root)[2];
  assert.equal(bytesToBinary(data, doc.start(nameKey), doc.end(nameKey)), '4:name');

  const empty = doc.get(root, 'void');
  assert.equal(doc.size(empty), 1);
  assert.equal(doc.get(root, 'missing'), -1);
  assert.equal(doc.get(age, 'x'), -1, 'get() on a non-dictionary finds nothing');
  assert.throws(() => doc.bytes(age), TypeError);
});

test('agrees with the npm bencode package on a mixed document', () => {
  const value = { a: [1, -2, 'x', { nested: 'yes' }], b: new Uint8Array([0, 255, 128]), c: 9007199254740991, d: '' };
  const data = encode(value as never);
  const doc = decode(data);
  assert.deepEqual(toPlain(doc, doc.root), oraclePlain(bencodeOracle.decode(data)));
  assert.deepEqual(data, new Uint8Array(bencodeOracle.encode(value)));
});

test('keeps integers beyond 2^53 exact as bigint and rejects integers beyond 64 bits', () => {
  assert.equal(decode(bin('i9007199254740993e')).int(0), 9007199254740993n);
  assert.equal(decode(bin('i-9223372036854775808e')).int(0), -9223372036854775808n);
  assert.equal(decode(bin('i9007199254740991e')).int(0), 9007199254740991);
  const error = decodeError('i9223372036854775808e');
  assert.equal(error.code, 'integer-out-of-range');
  assert.equal(error.offset, 0);
});

test('rejects malformed integers with a code and offset', () => {
  const cases: [string, string, number][] = [
    ['li05ee', 'invalid-integer', 1],
    ['li-0ee', 'invalid-integer', 1],
    ['lie', 'invalid-integer', 1],
    ['li-ee', 'invalid-integer', 1],
    ['li+5ee', 'invalid-integer', 2],
    ['li5x5ee', 'invalid-integer', 3],
    ['li163', 'unexpected-end', 5],
  ];
  for (const [input, code, offset] of cases) {
    const error = decodeError(input);
    assert.equal(error.code, code, input);
    assert.equal(error.offset, offset, `${input}: ${error.message}`);
    assert.match(error.message, /byte \d+/);
  }
  assert.match(decodeError('li-0ee').message, /-0/);
  assert.match(decodeError('li05ee').message, /leading zero/);
});

test('rejects malformed string lengths without allocating them', () => {
  assert.equal(decodeError('l05:helloe').code, 'invalid-string-length');
  assert.equal(decodeError('l5 :helloe').code, 'invalid-string-length');
  assert.equal(decodeError('l-5:helloe').code, 'invalid-string-length');
  const huge = decodeError('l99999999999:abce');
  assert.equal(huge.code, 'string-overrun');
  assert.equal(huge.offset, 1);
  assert.match(huge.message, /99999999999/);
  assert.equal(decodeError('l184467440737095516165:abcdee').code, 'string-overrun');
  assert.equal(decodeError('l10:abce').code, 'string-overrun');
});

test('reports truncation with what is missing', () => {
  const afterKey = decodeError('d8:announce');
  assert.equal(afterKey.code, 'unexpected-end');
  assert.match(afterKey.message, /after key 'announce'/);
  const open = decodeError('d1:ai1e');
  assert.match(open.message, /dictionary opened at byte 0 is not closed/);
  assert.equal(open.offset, 7);
});

test('keeps the decoded part of a malformed document', () => {
  const error = decodeError('d4:name3:abc4:sizei1x');
  const partial = error.partial;
  assert.ok(partial);
  assert.equal(partial.kind(partial.root), 'dict');
  assert.equal(partial.size(partial.root), 1, 'the key without a value is not counted');
  assert.deepEqual(
    partial.entries(partial.root).map(([k, v]) => [partial.binary(k), partial.binary(v)]),
    [['name', 'abc']],
  );
  assert.equal(partial.end(partial.root), error.offset);
  assert.equal(decodeError('x').partial, undefined);
});

test('rejects non-string keys and stray bytes', () => {
  assert.equal(decodeError('di1ei2ee').code, 'key-not-string');
  assert.match(decodeError('dli1ee1:ae').message, /found a list/);
  const stray = decodeError('l1:ax');
  assert.equal(stray.code, 'unexpected-byte');
  assert.equal(stray.offset, 4);
  assert.match(stray.message, /'x' \(0x78\)/);
  assert.match(decodeError('d1:ae').message, /key 'a' at byte 1 has no value/);
});

test('names what a non-bencode file looks like', () => {
  assert.equal(decodeError(new Uint8Array()).code, 'empty');
  assert.match(decodeError(new Uint8Array([0x1f, 0x8b, 8, 0])).message, /gzip/);
  assert.match(decodeError(new Uint8Array([0xef, 0xbb, 0xbf, 0x64, 0x65])).message, /byte order mark/);
  assert.match(decodeError('<!DOCTYPE html>').message, /HTML/);
  assert.match(decodeError('magnet:?xt=urn:btih:abc').message, /magnet link/);
});

test('limits nesting depth without overflowing the stack', () => {
  const error = decodeError('l'.repeat(100_000) + 'e'.repeat(100_000));
  assert.equal(error.code, 'too-deep');
  assert.equal(error.offset, 256);
  assert.equal(decodeError('d1:a'.repeat(100_000) + 'i1e' + 'e'.repeat(100_000)).code, 'too-deep');
  const ok = decode(bin('l'.repeat(256) + 'e'.repeat(256)));
  assert.equal(ok.count, 256);
});

test('trailing data: whitespace is a warning, anything else an error', () => {
  assert.deepEqual(
    decode(bin('de\n')).warnings.map((w) => [w.code, w.offset]),
    [['trailing-whitespace', 2]],
  );
  const error = decodeError('deGARBAGE');
  assert.equal(error.code, 'trailing-data');
  assert.equal(error.offset, 2);
  assert.match(error.message, /7 bytes of trailing data/);
});

test('warns about unsorted and duplicate keys, comparing raw bytes', () => {
  const doc = decode(bin('d1:bi1e1:ai2e1:ai3ee'));
  assert.deepEqual(
    doc.warnings.map((w) => [w.code, w.offset]),
    [
      ['unsorted-key', 7],
      ['duplicate-key', 13],
    ],
  );
  assert.equal(doc.size(doc.root), 3);
  assert.equal(doc.int(doc.get(doc.root, 'a')), 2, 'the first of duplicate keys wins, as in libtorrent');
  // U+FFFD (EF BF BD) sorts before U+1F3B5 (F0 9F 8E B5) by bytes, though not by UTF-16 code units.
  const sorted = encode({ '\u{1F3B5}': 1, '\uFFFD': 2 });
  assert.deepEqual(decode(sorted).warnings, []);
  assert.equal(bytesToBinary(sorted).indexOf('\xef'), 3);
});

test('caps the number of warnings it keeps', () => {
  const keys = Array.from(
    { length: 300 },
    (_, i) =>
      `3:k${String(299 - i)
        .padStart(2, '0')
        .slice(-2)}i0e`,
  ).join('');
  const doc = decode(bin(`d${keys}e`));
  assert.equal(doc.warnings.length, 100);
  assert.ok(doc.warningsOmitted > 0);
});

test('a __proto__ key is just a key', () => {
  const doc = decode(bin('d9:__proto__d8:pollutedi1eee'));
  assert.equal(doc.binary(doc.entries(doc.root)[0][0]), '__proto__');
  assert.equal(doc.int(doc.get(doc.get(doc.root, '__proto__'), 'polluted')), 1);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('encodes canonically: keys sorted by bytes, strings as UTF-8, bigints exact', () => {
  assert.deepEqual(encode({ z: 1, a: [enc('é'), 2n ** 60n] }), bin(`d1:al2:\xc3\xa9i${2n ** 60n}ee1:zi1ee`));
  assert.deepEqual(
    encode(
      new Map<string | Uint8Array, string | number>([
        [enc('b'), 1],
        ['a', 'x'],
      ]),
    ),
    bin('d1:a1:x1:bi1ee'),
  );
  assert.deepEqual(encode({ skipped: undefined, kept: 0 }), bin('d4:kepti0ee'));
  assert.throws(() => encode(1.5), /not a safe integer/);
});
