// BEP 47 symlinks: a file with attr 'l' holds no data, whatever its 'length' says (libtorrent counts it as
// 0 bytes), and its target ('symlink path') is checked like a file's path. What libtorrent itself makes
// of these torrents is checked in test/interop/metainfo-libtorrent.test.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encode, type Encodable } from '../../src/core/bencode/decode';
import { FolderIndex, ROOT_FOLDER } from '../../src/core/metainfo/folder-index';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import type { Metainfo, MetainfoFailure } from '../../src/core/metainfo/types';

const PIECE = 16384;
const hashes = (n: number) => new Uint8Array(20 * n);
const root = (b: number) => new Uint8Array(32).fill(b);

function ok(value: Encodable): Metainfo {
  const result = parseMetainfo(encode(value));
  if (!result.ok) assert.fail(`${result.failure.code}: ${result.failure.message}`);
  return result.metainfo;
}

function failure(value: Encodable): MetainfoFailure {
  const result = parseMetainfo(encode(value));
  if (result.ok) assert.fail('expected a failure');
  return result.failure;
}

const codes = (m: Metainfo) => m.diagnostics.map((d) => d.code);

/** A v1 torrent of a 10-byte file, a symlink to it that claims `linkLength` bytes, and a 5-byte file. */
function v1WithLink(linkLength: Encodable | undefined, pieceCount: number): Encodable {
  return {
    info: {
      name: 'r',
      'piece length': PIECE,
      pieces: hashes(pieceCount),
      files: [
        { length: 10, path: ['a'] },
        { length: linkLength, path: ['link'], attr: 'l', 'symlink path': ['a'] },
        { length: 5, path: ['b'] },
      ],
    },
  };
}

test('a v1 symlink holds no data: 0 bytes, later offsets, the total and the piece count ignore its length', () => {
  const m = ok(v1WithLink(20_000, 1));
  assert.equal(m.totalLength, 15);
  assert.equal(m.pieceCount, 1);
  assert.deepEqual(
    [...m.files].map((f) => [f.length, f.offset]),
    [
      [10, 0],
      [0, 10],
      [5, 10],
    ],
  );
  assert.equal(m.files.fileLength(1), 0);
  assert.equal(m.files.fileOffset(2), 10);
  assert.deepEqual(m.files.get(1).symlinkPath, [{ text: 'a', utf8: true }]);
  const folders = FolderIndex.build(m.files);
  assert.equal(folders.folder(ROOT_FOLDER).totalLength, 15, 'the folder tree adds up the same sizes');

  // The declared length is ignored, and the user is told.
  const said = m.diagnostics.find((d) => d.code === 'symlink-length');
  assert.ok(said, `a 'symlink-length' warning; got ${codes(m).join(', ')}`);
  assert.equal(said.location, 'info.files[1].length');
  assert.match(said.message, /info\.files\[1\] is a symlink .* its 'length' \(20,000\) is ignored/);

  // Hashes for the declared length are one too many, as libtorrent finds.
  const counted = failure(v1WithLink(20_000, 2));
  assert.equal(counted.code, 'pieces-count');
  assert.match(counted.message, /holds 2 piece hashes but 15 bytes in pieces of 16,384 need 1/);

  // A length of 0, or none, says nothing wrong; a length that is no integer is ignored like any other.
  assert.deepEqual(codes(ok(v1WithLink(0, 1))), []);
  assert.deepEqual(codes(ok(v1WithLink(undefined, 1))), []);
  const notInteger = ok(v1WithLink('lots', 1));
  assert.equal(notInteger.files.get(1).length, 0);
  assert.deepEqual(codes(notInteger), ['symlink-length']);
  assert.equal(ok(v1WithLink(2n ** 62n, 1)).totalLength, 15, 'a declared length past 2^53 neither overflows nor fails');
});

test('symlinks among pad files: offsets follow the data, pad files included', () => {
  const m = ok({
    info: {
      name: 'r',
      'piece length': PIECE,
      pieces: hashes(2),
      files: [
        { length: 10, path: ['a'] },
        { length: PIECE - 10, path: ['.pad', String(PIECE - 10)], attr: 'p' },
        { length: 999, path: ['link'], attr: 'l', 'symlink path': ['a'] },
        { length: 5, path: ['b'] },
      ],
    },
  });
  assert.deepEqual(
    [...m.files].map((f) => [f.length, f.offset]),
    [
      [10, 0],
      [PIECE - 10, 10],
      [0, PIECE],
      [5, PIECE],
    ],
  );
  assert.equal(m.totalLength, PIECE + 5);
  assert.equal(m.pieceCount, 2);
});

test('a single-file torrent that is a symlink holds no data', () => {
  const m = ok({ info: { name: 'link', 'piece length': PIECE, pieces: hashes(0), length: 10, attr: 'l', 'symlink path': ['x'] } });
  assert.equal(m.totalLength, 0);
  assert.equal(m.files.get(0).length, 0);
  assert.deepEqual(codes(m), ['symlink-length', 'no-data']);
});

test('a v2 symlink holds no data and needs no pieces root', () => {
  const tree = {
    a: { '': { length: 10, 'pieces root': root(1) } },
    link: { '': { length: 99_999, attr: 'l', 'symlink path': ['a'] } },
    z: { '': { length: 5, 'pieces root': root(2) } },
  };
  const v2 = ok({ info: { name: 'r', 'meta version': 2, 'piece length': PIECE, 'file tree': tree } });
  assert.equal(v2.totalLength, 15);
  assert.equal(v2.pieceCount, 2, 'one piece for each file with data');
  assert.deepEqual(
    [...v2.files].map((f) => [f.path[0].text, f.length, f.piecesRoot === undefined]),
    [
      ['a', 10, false],
      ['link', 0, true],
      ['z', 5, false],
    ],
  );
  assert.deepEqual(codes(v2), ['symlink-length']);
  assert.equal(v2.diagnostics[0].location, 'info.file tree/link');

  // A hybrid: the v1 list and the file tree agree once both count the symlink as 0 bytes.
  const hybrid = ok({
    info: {
      name: 'r',
      'meta version': 2,
      'piece length': PIECE,
      'file tree': tree,
      pieces: hashes(2),
      files: [
        { length: 10, path: ['a'] },
        { length: PIECE - 10, path: ['.pad', String(PIECE - 10)], attr: 'p' },
        { length: 99_999, path: ['link'], attr: 'l', 'symlink path': ['a'] },
        { length: 5, path: ['z'] },
      ],
    },
  });
  assert.equal(hybrid.totalLength, PIECE + 5);
  assert.deepEqual(
    codes(hybrid).filter((c) => c !== 'symlink-length'),
    [],
  );
});

/** A v1 torrent with one file and one symlink whose dictionary has these extra keys. */
function v1Link(link: Record<string, Encodable>): Encodable {
  return {
    info: {
      name: 'r',
      'piece length': PIECE,
      pieces: hashes(1),
      files: [
        { length: 10, path: ['a'] },
        { path: ['link'], attr: 'l', ...link },
      ],
    },
  };
}

test("symlink targets get the path checks of file paths: '..', absolute targets, hostile characters", () => {
  const traversal = ok(v1Link({ 'symlink path': ['..', '..', 'etc', 'passwd'] }));
  assert.deepEqual(
    traversal.diagnostics.map((d) => `${d.code} ${d.location}`),
    ['path-traversal info.files[1].symlink path[0]', 'path-traversal info.files[1].symlink path[1]'],
  );
  assert.match(traversal.diagnostics[0].message, /^symlink target element is '\.\.': it points out of the download folder/);

  const absolute = ok(v1Link({ 'symlink path': ['/etc/passwd'] }));
  assert.deepEqual(
    absolute.diagnostics.map((d) => `${d.code} ${d.location}`),
    ['path-absolute info.files[1].symlink path[0]', 'path-separator info.files[1].symlink path[0]'],
  );
  assert.match(absolute.diagnostics[0].message, /^symlink target element '\/etc\/passwd' starts with a separator: an absolute path/);
  assert.deepEqual(codes(ok(v1Link({ 'symlink path': ['C:', 'Windows'] }))), ['path-absolute', 'windows-invalid-character']);
  assert.deepEqual(codes(ok(v1Link({ 'symlink path': ['a\u202etxt.exe'] }))), ['bidi-control']);
  assert.deepEqual(codes(ok(v1Link({ 'symlink path': ['a'] }))), [], 'a target inside the torrent is fine');

  // An element that is no string is as fatal as in a file's path.
  const notString = failure(v1Link({ 'symlink path': ['a', 5] }));
  assert.equal(notString.code, 'path-element-not-string');
  assert.match(notString.message, /^info\.files\[1\]\.symlink path\[1\] is an integer, not a string/);

  // v2: the symlink's attr and target sit in its file data.
  const v2 = ok({
    info: {
      name: 'r',
      'meta version': 2,
      'piece length': PIECE,
      'file tree': {
        a: { '': { length: 10, 'pieces root': root(1) } },
        link: { '': { attr: 'l', 'symlink path': ['..', 'x'] } },
      },
    },
  });
  assert.deepEqual(
    v2.diagnostics.map((d) => `${d.code} ${d.location}`),
    ['path-traversal symlink path[0] of info.file tree/link'],
  );
  const v2NotString = failure({
    info: { name: 'r', 'meta version': 2, 'piece length': PIECE, 'file tree': { link: { '': { attr: 'l', 'symlink path': [['x']] } } } },
  });
  assert.equal(v2NotString.code, 'path-element-not-string');
  assert.match(v2NotString.message, /^symlink path\[0\] of info\.file tree\/link is a list, not a string/);

  // The single file of a torrent may be a symlink too.
  const single = ok({ info: { name: 'link', 'piece length': PIECE, pieces: hashes(0), length: 0, attr: 'l', 'symlink path': ['/x'] } });
  assert.ok(single.diagnostics.some((d) => d.code === 'path-absolute' && d.location === 'info.symlink path[0]'));
});

test('a symlink without a target is an empty file, as libtorrent reads it', () => {
  const cases: [Record<string, Encodable>, RegExp][] = [
    [{}, /has no 'symlink path'/],
    [{ 'symlink path': [] }, /has an empty 'symlink path'/],
    [{ 'symlink path': 'a' }, /has a 'symlink path' that is a string, not a list/],
  ];
  for (const [link, why] of cases) {
    const m = ok(v1Link(link));
    assert.deepEqual(codes(m), ['symlink-target-missing']);
    assert.match(m.diagnostics[0].message, why);
    assert.match(m.diagnostics[0].message, /^info\.files\[1\] is marked as a symlink .*: libtorrent makes it an empty file instead$/);
    assert.equal(m.diagnostics[0].location, 'info.files[1]');
    assert.equal(m.files.get(1).symlinkPath, undefined, 'no target to show');
    assert.equal(m.files.get(1).length, 0);
  }
});
