// The metainfo model on torrents built for one behaviour each (with the project's own canonical encoder).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import bencodeOracle from 'bencode';
import { encode, type Encodable } from '../../src/core/bencode/decode';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import type { Metainfo, MetainfoFailure } from '../../src/core/metainfo/types';
import { corpusTorrents, readCorpus } from '../support/corpus';

const PIECE = 16384;
const hashes = (n: number) => new Uint8Array(20 * n);

function ok(value: Encodable | Uint8Array): Metainfo {
  const result = parseMetainfo(value instanceof Uint8Array ? value : encode(value));
  if (!result.ok) assert.fail(`${result.failure.code}: ${result.failure.message}`);
  return result.metainfo;
}

function failure(value: Encodable | Uint8Array): MetainfoFailure {
  const result = parseMetainfo(value instanceof Uint8Array ? value : encode(value));
  if (result.ok) assert.fail('expected a failure');
  return result.failure;
}

/** A v1 multi-file torrent with these paths (each file 1 byte, one piece). */
function multi(paths: (string | Uint8Array)[][], extra: Record<string, Encodable> = {}): Encodable {
  return { info: { name: 'root', 'piece length': PIECE, pieces: hashes(1), files: paths.map((path) => ({ length: 1, path })), ...extra } };
}

const codes = (m: Metainfo) => m.diagnostics.map((d) => d.code);

test('duplicate paths and files that are also folders are found, in any order', () => {
  const dup = ok(multi([['a', 'x'], ['b'], ['a', 'x']]));
  const d = dup.diagnostics.find((x) => x.code === 'path-duplicate');
  assert.ok(d);
  assert.match(d.message, /info\.files\[2\] has the same path as info\.files\[0\] \('a\/x'\)/);
  assert.equal(d.location, 'info.files[2].path');

  const fileFirst = ok(multi([['a'], ['a', 'b']])).diagnostics.find((x) => x.code === 'path-collision');
  assert.ok(fileFirst);
  assert.match(fileFirst.message, /info\.files\[1\] .* needs a folder where info\.files\[0\] is a file/);
  const folderFirst = ok(
    multi([
      ['a', 'b', 'c'],
      ['a', 'b'],
    ]),
  ).diagnostics.find((x) => x.code === 'path-collision');
  assert.ok(folderFirst);
  assert.match(folderFirst.message, /info\.files\[1\] .* names a file where info\.files\[0\] needs a folder/);

  assert.deepEqual(codes(ok(multi([['a', 'b'], ['a', 'c'], ['ab'], ['b', 'a']]))), [], 'distinct paths, shared folders: nothing to say');
});

test('paths that differ only in ASCII letter case clash, as libtorrent sees them on every system', () => {
  const dup = ok(multi([['Docs', 'ReadMe.txt'], ['b'], ['docs', 'README.TXT']]));
  assert.deepEqual(codes(dup), ['path-duplicate-case']);
  const d = dup.diagnostics[0];
  assert.equal(d.location, 'info.files[2].path');
  assert.match(
    d.message,
    /^info\.files\[2\] \('docs\/README\.TXT'\) has the same path as info\.files\[0\] \('Docs\/ReadMe\.txt'\) once letter case is ignored/,
  );
  assert.match(d.message, /libtorrent renames the second one/);

  const folder = ok(multi([['Data'], ['data', 'x.bin']])).diagnostics;
  assert.deepEqual(
    folder.map((x) => x.code),
    ['path-collision'],
  );
  assert.match(
    folder[0].message,
    /info\.files\[1\] \('data\/x\.bin'\) needs a folder where info\.files\[0\] \('Data'\) is a file of that name once letter case is ignored/,
  );

  // Folders that differ in case merge on such file systems and lose nothing; only ASCII letters fold
  // (libtorrent's to_lower), so 'É' and 'é' stay distinct names.
  assert.deepEqual(codes(ok(multi([['Dir', 'a'], ['dir', 'b'], ['É'], ['é'], ['a-1'], ['A_1']]))), []);
  // An exact twin is reported as such, not as a case clash.
  assert.deepEqual(codes(ok(multi([['same'], ['same']]))), ['path-duplicate']);
});

test('v2 file trees: sibling names that differ only in letter case clash where one of them is a file', () => {
  const file = (length: number) => ({ '': { length } });
  // Empty files keep the tree free of pieces roots; the check is about names.
  const pathCodes = (m: Metainfo) => codes(m).filter((c) => c.startsWith('path-'));
  const v2 = (tree: Record<string, Encodable>) => ok({ info: { name: 'v2', 'meta version': 2, 'piece length': PIECE, 'file tree': tree } });
  const files = v2({ 'Notes.txt': file(0), 'notes.TXT': file(0), sub: { 'x.bin': file(0) } });
  assert.deepEqual(pathCodes(files), ['path-duplicate-case']);
  assert.match(
    files.diagnostics[0].message,
    /^file info\.file tree\/notes\.TXT has the same name as file info\.file tree\/Notes\.txt once letter case is ignored/,
  );
  assert.equal(files.diagnostics[0].location, 'info.file tree/notes.TXT');

  const fileAndFolder = v2({ Data: file(0), data: { 'x.bin': file(0) } });
  assert.deepEqual(pathCodes(fileAndFolder), ['path-collision']);
  assert.match(
    fileAndFolder.diagnostics[0].message,
    /^folder info\.file tree\/data has the same name as file info\.file tree\/Data .*libtorrent renames the file$/,
  );

  // Two folders merge on disk and lose nothing; names in different folders never clash.
  assert.deepEqual(pathCodes(v2({ Dir: { a: file(0) }, dir: { b: file(0) }, one: { 'A.txt': file(0) }, two: { 'a.txt': file(0) } })), []);
});

test('the duplicate check sees every clash among many files, and pad files may share a path', () => {
  const paths: string[][] = [];
  for (let i = 0; i < 5000; i++) paths.push([`folder-${i % 50}`, `file-${i}.bin`]);
  paths.push(['folder-7', 'file-4007.bin']); // a real duplicate, far from its twin
  paths.push(['folder-3', 'file-3.bin', 'inner']); // uses a file as a folder
  const m = ok(multi(paths, { pieces: hashes(1) }));
  const found = m.diagnostics
    .filter((x) => x.code === 'path-duplicate' || x.code === 'path-collision')
    .map((x) => `${x.code} ${x.location}`);
  assert.deepEqual(found, ['path-duplicate info.files[5000].path', 'path-collision info.files[5001].path']);

  const pads = ok({
    info: {
      name: 'p',
      'piece length': PIECE,
      pieces: hashes(3),
      files: [
        { length: 10, path: ['a'] },
        { length: PIECE - 10, path: ['.pad', 'x'], attr: 'p' },
        { length: 10, path: ['b'] },
        { length: PIECE - 10, path: ['.pad', 'x'], attr: 'p' },
        { length: 10, path: ['c'] },
      ],
    },
  });
  assert.deepEqual(codes(pads), []);
  assert.equal(pads.files.padCount, 2);
  assert.equal(pads.paddingLength, 2 * (PIECE - 10));
});

test('diagnostics are capped per kind: 100,000 bad paths give a short list and a count', () => {
  const files: Encodable[] = [];
  for (let i = 0; i < 100_000; i++) files.push({ length: 1, path: ['..', `f${i}`] });
  const m = ok({ info: { name: 'x', 'piece length': 1 << 20, pieces: hashes(1), files } });
  const traversal = m.diagnostics.filter((d) => d.code === 'path-traversal');
  assert.equal(traversal.length, 21, '20 listed + 1 summary');
  assert.match(traversal[20].message, /99,980 more like this \(100,000 in all/);
  assert.ok(m.diagnostics.length < 60);
});

test('a generated 100,000-file torrent with 978,495 pieces parses with the right counts', () => {
  const files: Encodable[] = [];
  const pieces = 978_495;
  const total = pieces * PIECE - 1000;
  let left = total;
  for (let i = 0; i < 100_000; i++) {
    const length = i === 99_999 ? left : Math.floor(total / 100_000);
    left -= length;
    files.push({ length, path: [`folder-${String(i % 100).padStart(3, '0')}`, `file-${String(i).padStart(6, '0')}.bin`] });
  }
  const data = encode({
    announce: 'http://127.0.0.1:6969/announce',
    info: { name: 'large', 'piece length': PIECE, pieces: new Uint8Array(pieces * 20), files },
  });
  assert.ok(data.length > 20_000_000);
  const m = ok(data);
  assert.equal(m.files.count, 100_000);
  assert.equal(m.pieceCount, pieces);
  assert.equal(m.totalLength, total);
  assert.deepEqual(codes(m), []);
  const last = m.files.get(99_999);
  assert.deepEqual(
    last.path.map((p) => p.text),
    ['folder-099', 'file-099999.bin'],
  );
  assert.equal(last.offset + last.length, total);
  assert.equal(m.infoHash.v1, createHash('sha1').update(data.subarray(m.infoSpan.start, m.infoSpan.end)).digest('hex'));
  assert.throws(() => m.files.get(100_000), RangeError);
});

test('name.utf-8 and path.utf-8 are shown (as libtorrent does), the stored bytes kept beside them', () => {
  const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
  const m = ok({
    info: {
      name: latin1('Donn\xe9es'),
      'name.utf-8': 'Données',
      'piece length': PIECE,
      pieces: hashes(1),
      files: [
        { length: 3, path: [latin1('R\xe9sum\xe9.txt')], 'path.utf-8': ['Résumé.txt'] },
        { length: 4, path: ['plain.txt'] },
      ],
    },
  });
  assert.deepEqual(m.name, { text: 'Données', utf8: true });
  assert.deepEqual(m.rawName, { text: 'Donn\xe9es', utf8: false });
  assert.deepEqual(m.files.get(0).path, [{ text: 'Résumé.txt', utf8: true }]);
  assert.deepEqual(m.files.get(0).rawPath, [{ text: 'R\xe9sum\xe9.txt', utf8: false }]);
  assert.equal(m.files.get(1).rawPath, undefined);
  assert.ok(codes(m).includes('name-utf8-key'));
  assert.ok(!codes(m).includes('not-utf8'), 'the shown strings are UTF-8');
});

test('BEP 52: v2-only and hybrid torrents, per-file pieces, piece layers, pieces roots', () => {
  const root = (b: number) => new Uint8Array(32).fill(b);
  // big.bin's layer: 4 hashes of 32 zero bytes, so its pieces root is the root of a tree of 4 zero leaves.
  const sha256 = (a: Uint8Array) => new Uint8Array(createHash('sha256').update(a).update(a).digest());
  const bigRoot = sha256(sha256(new Uint8Array(32)));
  const tree = {
    'big.bin': { '': { length: 3 * PIECE + 1, 'pieces root': bigRoot } },
    dir: { 'small.txt': { '': { length: 10, 'pieces root': root(2) } }, 'empty.txt': { '': { length: 0 } } },
  };
  const v2 = ok({
    info: { name: 'v2', 'meta version': 2, 'piece length': PIECE, 'file tree': tree },
    'piece layers': new Map([[bigRoot, new Uint8Array(4 * 32)]]),
  });
  assert.equal(v2.version, 'v2');
  assert.equal(v2.infoHash.v1, undefined);
  assert.match(v2.infoHash.v2 ?? '', /^[0-9a-f]{64}$/);
  assert.equal(v2.infoHash.v2Truncated, v2.infoHash.v2?.slice(0, 40));
  assert.equal(v2.pieceCount, 4 + 1, 'pieces are per file in v2');
  assert.equal(v2.totalLength, 3 * PIECE + 11);
  assert.equal(v2.singleFile, false);
  assert.deepEqual(
    [...v2.files].map((f) => [f.path.map((p) => p.text).join('/'), f.piecesRoot?.slice(0, 2)]),
    [
      ['big.bin', Buffer.from(bigRoot).toString('hex').slice(0, 2)],
      ['dir/empty.txt', undefined],
      ['dir/small.txt', '02'],
    ],
  );
  assert.equal(v2.pieceLayerCount, 1);
  assert.deepEqual(codes(v2), []);

  const noLayers = ok({ info: { name: 'v2', 'meta version': 2, 'piece length': PIECE, 'file tree': tree } });
  assert.ok(codes(noLayers).includes('piece-layers-missing'));
  const shortLayer = ok({
    info: { name: 'v2', 'meta version': 2, 'piece length': PIECE, 'file tree': tree },
    'piece layers': new Map([[bigRoot, new Uint8Array(32)]]),
  });
  assert.ok(codes(shortLayer).includes('piece-layer-size'));

  const single = ok({
    info: {
      name: 'one.bin',
      'meta version': 2,
      'piece length': PIECE,
      'file tree': { 'one.bin': { '': { length: 5, 'pieces root': root(3) } } },
    },
  });
  assert.equal(single.singleFile, true);

  const v1Files = [
    { length: 3 * PIECE + 1, path: ['big.bin'] },
    { length: PIECE - 1, path: ['.pad', String(PIECE - 1)], attr: 'p' },
    { length: 0, path: ['dir', 'empty.txt'] },
    { length: 10, path: ['dir', 'small.txt'] },
  ];
  const hybridInfo = { name: 'h', 'meta version': 2, 'piece length': PIECE, 'file tree': tree, files: v1Files, pieces: hashes(5) };
  const hybrid = ok({ info: hybridInfo, 'piece layers': new Map([[bigRoot, new Uint8Array(4 * 32)]]) });
  assert.equal(hybrid.version, 'hybrid');
  assert.ok(hybrid.infoHash.v1 && hybrid.infoHash.v2);
  assert.equal(hybrid.files.count, 4, 'the v1 list, pad files included');
  assert.equal(hybrid.files.get(0).piecesRoot, Buffer.from(bigRoot).toString('hex'), 'v1 files get their v2 pieces root');
  assert.deepEqual(codes(hybrid), []);
  const mismatch = ok({
    info: { ...hybridInfo, files: [{ ...v1Files[0], length: 3 * PIECE + 2 }, ...v1Files.slice(1)] },
    'piece layers': new Map([[bigRoot, new Uint8Array(4 * 32)]]),
  });
  assert.ok(codes(mismatch).includes('hybrid-mismatch'));

  assert.equal(failure({ info: { name: 'x', 'meta version': 2, 'piece length': 20000, 'file tree': tree } }).code, 'piece-length-invalid');
  assert.equal(
    failure({ info: { name: 'x', 'piece length': PIECE, 'file tree': tree, pieces: hashes(1), length: 1 } }).code,
    'file-tree-without-meta-version',
  );
  assert.equal(
    failure({ info: { name: 'x', 'meta version': 2, 'piece length': PIECE, 'file tree': { a: { '': { length: 5 } } } } }).code,
    'pieces-root-missing',
  );
  assert.equal(failure({ info: { name: 'x', 'meta version': 2, 'piece length': PIECE, 'file tree': { a: 5 } } }).code, 'file-tree-invalid');
});

test('a deeply nested v2 file tree is walked without recursion', () => {
  let node: Encodable = { '': { length: 1, 'pieces root': new Uint8Array(32).fill(9) } };
  for (let depth = 0; depth < 200; depth++) node = { [`d${depth}`]: node };
  const m = ok({ info: { name: 'deep', 'meta version': 2, 'piece length': PIECE, 'file tree': node as Record<string, Encodable> } });
  assert.equal(m.files.get(0).path.length, 200);
});

test('trackers, web seeds, nodes: shapes clients accept, and what they skip', () => {
  const m = ok({
    announce: 'http://127.0.0.1:1/announce',
    'announce-list': [['http://127.0.0.1:2/announce', 7, ''], [], 'not-a-tier', ['udp://127.0.0.1:3']],
    'url-list': 'http://127.0.0.1:4/seed',
    httpseeds: ['http://127.0.0.1:5/seed', 'http://127.0.0.1:5/seed'],
    nodes: [['127.0.0.1', 6881], ['::1', 70000], ['host'], 'x', ['10.0.0.1', 1]],
    info: { name: 'x', 'piece length': PIECE, pieces: hashes(1), length: 1 },
  });
  assert.deepEqual(m.trackers, [['http://127.0.0.1:2/announce'], ['udp://127.0.0.1:3']]);
  assert.deepEqual(m.webSeeds, ['http://127.0.0.1:4/seed']);
  assert.deepEqual(m.httpSeeds, ['http://127.0.0.1:5/seed']);
  assert.deepEqual(m.nodes, [
    { host: '127.0.0.1', port: 6881 },
    { host: '10.0.0.1', port: 1 },
  ]);
  for (const code of [
    'tracker-not-string',
    'tracker-empty',
    'announce-list-empty-tier',
    'announce-list-invalid',
    'announce-ignored',
    'web-seed-duplicate',
    'node-invalid',
  ] as const) {
    assert.ok(codes(m).includes(code), code);
  }
  assert.equal(m.diagnostics.filter((d) => d.code === 'node-invalid').length, 3);
});

test('creation dates in milliseconds or out of range are noted, values kept as given', () => {
  const base = { info: { name: 'x', 'piece length': PIECE, pieces: hashes(1), length: 1 } };
  const ms = ok({ ...base, 'creation date': 1452468725091 });
  assert.equal(ms.creationDate, 1452468725091);
  assert.match(ms.diagnostics.find((d) => d.code === 'creation-date-milliseconds')?.message ?? '', /2016-01-10/);
  assert.ok(codes(ok({ ...base, 'creation date': 5 })).includes('creation-date-implausible'));
  assert.ok(codes(ok({ ...base, 'creation date': -5 })).includes('creation-date-invalid'));
  assert.ok(codes(ok({ ...base, 'creation date': 'yesterday' })).includes('creation-date-invalid'));
  assert.deepEqual(codes(ok({ ...base, 'creation date': 1700000000 })), []);
});

test('BitComet pad files are recognised by name, symlinks carry their target', () => {
  const m = ok({
    info: {
      name: 'b',
      'piece length': PIECE,
      pieces: hashes(2),
      files: [
        { length: 10, path: ['a.bin'] },
        { length: PIECE - 10, path: ['_____padding_file_0_if you see this file, please update to BitComet 0.85 or above____'] },
        { length: 5, path: ['b.bin'] },
        { length: 0, path: ['link'], attr: 'l', 'symlink path': ['a.bin'] },
      ],
    },
  });
  assert.equal(m.files.padCount, 1);
  assert.equal(m.files.get(1).padding, true);
  assert.deepEqual(m.files.get(3).symlinkPath, [{ text: 'a.bin', utf8: true }]);
  assert.equal(m.files.get(3).attributes, 'l');
});

test('fatal defects name the key and point at it', () => {
  const f = failure({
    info: {
      name: 'x',
      'piece length': PIECE,
      pieces: hashes(1),
      files: [
        { length: 1, path: ['a'] },
        { length: 'big', path: ['b'] },
      ],
    },
  });
  assert.equal(f.code, 'file-length-not-integer');
  assert.match(f.message, /info\.files\[1\]\.length is a string/);
  assert.ok(f.document, 'the decoded document comes with the failure');
  assert.equal(f.document?.kind(f.document.root), 'dict');
  const data = encode({ info: { name: 'x', 'piece length': PIECE, pieces: hashes(2), length: 1 } });
  const count = failure(data);
  assert.equal(count.code, 'pieces-count');
  assert.equal(String.fromCharCode(data[count.offset as number]), '4', "the offset is the start of 'pieces' (its length prefix)");
});

test('the re-encoded info hash of a non-canonical torrent is what a decode/encode tool computes', () => {
  for (const file of [
    'gen/hand-noncanonical-unsorted-keys.torrent',
    'gen/hand-noncanonical-file-dicts.torrent',
    'bad/duplicate-key-in-info.torrent',
  ]) {
    const data = readCorpus(file);
    const m = ok(data);
    assert.equal(m.infoCanonical, false);
    const decoded = bencodeOracle.decode(data.subarray(m.infoSpan.start, m.infoSpan.end));
    const oracle = createHash('sha1').update(bencodeOracle.encode(decoded)).digest('hex');
    assert.equal(m.reencodedInfoHashV1, oracle, file);
  }
});

test('never throws: thousands of mutated corpus files fail or parse, always with offsets inside the file', () => {
  let seed = 0x12345678;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x100000000;
  };
  const sources = [...corpusTorrents('gen'), ...corpusTorrents('real')].filter((f) => readCorpus(f).length < 200_000);
  let parsed = 0;
  for (let round = 0; round < 3000; round++) {
    const data = Uint8Array.from(readCorpus(sources[Math.floor(random() * sources.length)]));
    const edits = 1 + Math.floor(random() * 4);
    let bytes: Uint8Array = data;
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(random() * bytes.length);
      const kind = random();
      if (kind < 0.5) bytes[at] = Math.floor(random() * 256);
      else if (kind < 0.7) bytes[at] = '0123456789:ield-'.charCodeAt(Math.floor(random() * 17));
      else if (kind < 0.85) bytes = bytes.subarray(0, at);
      else bytes = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + 1 + Math.floor(random() * 8))]);
    }
    const result = parseMetainfo(bytes);
    if (result.ok) {
      parsed++;
      const m = result.metainfo;
      for (const d of m.diagnostics) if (d.offset !== undefined) assert.ok(d.offset >= 0 && d.offset <= bytes.length);
      for (let i = 0; i < Math.min(m.files.count, 50); i++) m.files.get(i);
    } else {
      assert.notEqual(result.failure.code, 'internal-error', result.failure.message);
      if (result.failure.offset !== undefined) assert.ok(result.failure.offset >= 0 && result.failure.offset <= bytes.length);
    }
  }
  assert.ok(parsed > 100, 'some mutations still parse');
});

test("a hybrid's v1 list must place each file where the v2 file tree does: on a piece boundary, pad files between", () => {
  const root = (b: number) => new Uint8Array(32).fill(b);
  const tree = { a: { '': { length: 10, 'pieces root': root(1) } }, b: { '': { length: 5, 'pieces root': root(2) } } };
  const hybrid = (files: Encodable[], pieces: number) =>
    ok({ info: { name: 'h', 'meta version': 2, 'piece length': PIECE, 'file tree': tree, files, pieces: hashes(pieces) } });
  const pad = (length: number) => ({ length, path: ['.pad', String(length)], attr: 'p' });
  const a = { length: 10, path: ['a'] };
  const b = { length: 5, path: ['b'] };

  assert.deepEqual(codes(hybrid([a, pad(PIECE - 10), b], 2)), [], 'aligned by a pad file');
  assert.deepEqual(codes(hybrid([a, pad(PIECE - 10), b, pad(PIECE - 5)], 2)), [], 'a pad file after the last file is allowed too');

  const unpadded = hybrid([a, b], 1).diagnostics;
  assert.deepEqual(
    unpadded.map((d) => d.code),
    ['hybrid-mismatch'],
  );
  assert.match(unpadded[0].message, /info\.files\[1\] starts at byte 10 of the v1 data but at byte 16,384 in the v2 file tree/);
  assert.deepEqual(codes(hybrid([a, pad(PIECE - 9), b], 2)), ['hybrid-mismatch'], 'a pad file of the wrong size');
  const trailing = hybrid([a, pad(PIECE - 10), b, pad(2 * PIECE - 5)], 3).diagnostics;
  assert.match(
    trailing[0]?.message ?? '',
    /the v1 data is 49,152 bytes but the v2 file tree's 16,389 \(32,768 with its last piece padded\)/,
  );
});
