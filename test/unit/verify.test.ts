// verifyTorrent on data made by the tests and torrents made by createTorrent: intact data, damaged
// pieces, truncated, grown and missing files, hybrids whose v1 and v2 hashes disagree, hostile paths,
// and cancelling.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { encode, type BencodeDocument, type Encodable } from '../../src/core/bencode/decode';
import { createTorrent } from '../../src/core/create/create';
import { HashingError } from '../../src/core/hashing/errors';
import type { Metainfo } from '../../src/core/metainfo/types';
import { locateContent } from '../../src/core/verify/locate';
import { verifyTorrent, type VerifyResult } from '../../src/core/verify/verify';
import { flipByte, metainfoOf, plainV1Pieces, seededBytes, tempFolder, testPool, writeTree, type TreeFile } from '../support/hashing';

const pool = testPool();
after(() => pool.close());

const KiB = 1024;
const PIECE = 32 * KiB;
const FILES: TreeFile[] = [
  { path: 'a.bin', size: 5 * PIECE + 100 },
  { path: 'b/empty', size: 0 },
  { path: 'b/small', size: 3000 },
  { path: 'b/two-pieces', size: 2 * PIECE },
  { path: 'c.txt', size: 12_345 },
];

const byPath = (result: VerifyResult) => new Map(result.files.map((f) => [f.path, f]));

describe('verifyTorrent', () => {
  let dir: string;
  let remove: () => void;
  let data: string;
  const dataFolder = () => data;
  const torrents = new Map<string, Metainfo>();

  before(async () => {
    ({ dir, remove } = tempFolder());
    data = path.join(dir, 'data');
    writeTree(data, FILES);
    for (const version of ['v1', 'v2', 'hybrid'] as const) {
      const { torrent } = await createTorrent({ path: data, version, pieceLength: PIECE, pool, createdBy: false, creationDate: false });
      torrents.set(version, metainfoOf(torrent));
    }
  });
  beforeEach(() => {
    rmSync(data, { recursive: true, force: true });
    writeTree(data, FILES);
  });
  after(() => remove());

  for (const version of ['v1', 'v2', 'hybrid'] as const) {
    test(`${version}: intact data is complete`, async () => {
      const m = torrents.get(version) as Metainfo;
      const result = await verifyTorrent(m, data, { pool });
      assert.equal(result.complete, true);
      assert.deepEqual(result.badPieces, []);
      assert.equal(result.pieceCount, m.pieceCount);
      assert.equal(result.pieceStates, 'g'.repeat(m.pieceCount));
      assert.deepEqual(
        result.files.map((f) => `${f.path}:${f.status}`),
        FILES.map((f) => `${f.path}:complete`),
      );
      assert.equal(
        result.bytesRead,
        FILES.reduce((sum, f) => sum + f.size, 0),
      );
    });

    test(`${version}: a flipped byte, a truncated file, a missing file, a file grown by a byte`, async () => {
      const m = torrents.get(version) as Metainfo;
      flipByte(path.join(data, 'a.bin'), 2 * PIECE + 7); // a.bin's own piece 2
      truncateSync(path.join(data, 'b', 'two-pieces'), PIECE + 10); // its second piece is cut short
      rmSync(path.join(data, 'b', 'small'));
      appendFileSync(path.join(data, 'c.txt'), 'x');
      const result = await verifyTorrent(m, data, { pool });
      const files = byPath(result);
      assert.equal(result.complete, false);
      const a = files.get('a.bin');
      assert.equal(a?.status, 'damaged');
      assert.equal(files.get('b/empty')?.status, 'complete');
      assert.equal(files.get('b/small')?.status, 'missing');
      const two = files.get('b/two-pieces');
      assert.equal(two?.status, 'wrong-size');
      assert.equal(two?.actualLength, PIECE + 10);
      const c = files.get('c.txt');
      assert.equal(c?.status, 'wrong-size');
      assert.equal(c?.actualLength, 12_346);
      if (version === 'v2') {
        // Each file's own pieces; the torrent's pieces are the files' pieces end to end.
        assert.deepEqual(a?.badPieces, [2]);
        assert.deepEqual(files.get('b/small')?.badPieces, [0]);
        assert.deepEqual(two?.badPieces, [1]);
        assert.deepEqual(c?.badPieces, []);
        assert.deepEqual(result.badPieces, [2, 6, 8]);
        assert.equal(result.pieceStates, 'ggbgggmgmg');
      } else if (version === 'hybrid') {
        // Every file starts on a piece boundary: a.bin 0–5, small 6, two-pieces 7–8, c.txt 9.
        assert.deepEqual(a?.badPieces, [2]);
        assert.deepEqual(a?.v2BadPieces, [2]);
        assert.equal(a?.failsOnly, undefined);
        assert.deepEqual(result.badPieces, [2, 6, 8]);
        assert.equal(result.pieceStates, 'ggbgggmgmg');
      } else {
        // v1 pieces run across files: a.bin 0–5, small 5, two-pieces 5–7, c.txt 7.
        assert.deepEqual(a?.badPieces, [2, 5]);
        assert.deepEqual(two?.badPieces, [5, 6, 7]);
        assert.deepEqual(c?.badPieces, [7]);
        assert.deepEqual(result.badPieces, [2, 5, 6, 7]);
        assert.equal(result.pieceStates, 'ggbggmmm');
      }
    });
  }

  test('a single-file torrent is checked against the file itself', async () => {
    const { torrent } = await createTorrent({ path: path.join(data, 'a.bin'), pieceLength: PIECE, pool });
    const m = metainfoOf(torrent);
    const ok = await verifyTorrent(m, path.join(data, 'a.bin'), { pool });
    assert.equal(ok.complete, true);
    assert.deepEqual(
      ok.files.map((f) => f.path),
      ['a.bin'],
    );
    flipByte(path.join(data, 'a.bin'), 5 * PIECE + 1);
    const bad = await verifyTorrent(m, path.join(data, 'a.bin'), { pool });
    assert.deepEqual(bad.badPieces, [5]);
    assert.deepEqual(bad.files[0].v2BadPieces, [5]);
    await assert.rejects(verifyTorrent(m, data, { pool }), (e: unknown) => e instanceof HashingError && e.code === 'wrong-kind');
  });

  test('a folder that does not exist, a file where a folder should be', async () => {
    const m = torrents.get('hybrid') as Metainfo;
    await assert.rejects(
      verifyTorrent(m, path.join(dir, 'nowhere'), { pool }),
      (e: unknown) => e instanceof HashingError && e.code === 'not-found' && /nowhere does not exist/.test(e.message),
    );
    await assert.rejects(
      verifyTorrent(m, path.join(data, 'c.txt'), { pool }),
      (e: unknown) => e instanceof HashingError && e.code === 'wrong-kind',
    );
  });

  test('a hybrid whose v1 hashes disagree with its v2 hashes: the file is called out', async () => {
    const original = torrents.get('hybrid') as Metainfo;
    // Rewrite piece 3's SHA-1 (a.bin's fourth piece) as a dishonest creator could.
    const pieces = Buffer.from(original.document.bytes(original.document.get(original.info, 'pieces')));
    pieces[3 * 20] ^= 1;
    const m = metainfoOf(replaceInfoKeys(original, [['pieces', pieces]]));
    const result = await verifyTorrent(m, data, { pool });
    const a = byPath(result).get('a.bin');
    assert.equal(a?.status, 'damaged');
    assert.deepEqual(a?.badPieces, [3]);
    assert.deepEqual(a?.v2BadPieces, []);
    assert.equal(a?.failsOnly, 'v1');
  });

  test('a hybrid without pad files (files not on piece boundaries) is read once for v1 and once for v2', async () => {
    const original = torrents.get('hybrid') as Metainfo;
    const doc = original.document;
    const filesToken = doc.get(original.info, 'files');
    const unpadded = (toEncodable(doc, filesToken) as Map<string, Encodable>[]).filter((f) => !f.has('attr'));
    const data = Buffer.concat(FILES.map((f) => readFileSync(path.join(dataFolder(), ...f.path.split('/')))));
    const m = metainfoOf(
      replaceInfoKeys(original, [
        ['files', unpadded],
        ['pieces', plainV1Pieces(data, PIECE)],
      ]),
    );
    assert.equal((await verifyTorrent(m, dataFolder(), { pool })).complete, true);
    flipByte(path.join(dataFolder(), 'b', 'two-pieces'), PIECE + 5);
    const result = await verifyTorrent(m, dataFolder(), { pool });
    const two = byPath(result).get('b/two-pieces');
    // v1: two-pieces runs from 166,940 to 232,476, so its byte PIECE + 5 is in v1 piece 6; v2: its own piece 1.
    assert.deepEqual(two?.badPieces, [6]);
    assert.deepEqual(two?.v2BadPieces, [1]);
    assert.deepEqual(result.badPieces, [6]);
    assert.equal(result.bytesRead, 2 * data.length, 'read twice');
  });

  test('a v2 file without its piece layer is checked as a whole against its root', async () => {
    const original = torrents.get('v2') as Metainfo;
    const m = metainfoOf(withoutPieceLayers(original));
    const intact = byPath(await verifyTorrent(m, data, { pool })).get('a.bin');
    assert.equal(intact?.status, 'complete');
    assert.match(intact?.note ?? '', /checked as a whole/);
    flipByte(path.join(data, 'a.bin'), 1);
    const damaged = byPath(await verifyTorrent(m, data, { pool })).get('a.bin');
    assert.deepEqual(damaged?.badPieces, [0, 1, 2, 3, 4, 5]);
  });

  test('cancelling stops the hashing, rejects with the reason, and leaves no file open', async () => {
    const big = path.join(dir, 'big');
    writeTree(big, [{ path: 'one', size: 24 << 20 }]);
    const { torrent } = await createTorrent({ path: big, version: 'v1', pool });
    const m = metainfoOf(torrent);
    const fdsBefore = readdirSync('/proc/self/fd').length;
    const controller = new AbortController();
    let lastProgress = 0;
    await assert.rejects(
      verifyTorrent(m, big, {
        pool,
        signal: controller.signal,
        onProgress: (p) => {
          lastProgress = p.bytesDone;
          if (p.bytesDone > 0) controller.abort(new Error('stop here'));
        },
      }),
      /stop here/,
    );
    assert.ok(lastProgress < 24 << 20, 'stopped before the end');
    assert.equal(readdirSync('/proc/self/fd').length, fdsBefore);
    const afterwards = await verifyTorrent(m, big, { pool });
    assert.equal(afterwards.complete, true, 'the pool works on after a cancel');
    const createController = new AbortController();
    await assert.rejects(
      createTorrent({
        path: big,
        pool,
        signal: createController.signal,
        onProgress: (p) => {
          if (p.bytesDone > 0) createController.abort();
        },
      }),
      (e: unknown) => e instanceof DOMException && e.name === 'AbortError',
    );
    assert.equal(readdirSync('/proc/self/fd').length, fdsBefore);
  });
});

describe('verifyTorrent never reads outside the folder', () => {
  let dir: string;
  let remove: () => void;
  before(() => ({ dir, remove } = tempFolder()));
  after(() => remove());

  /** A v1 torrent by hand: one file at `elements`, whose one piece is `content`. */
  function torrentFor(elements: string[], content: Buffer): Metainfo {
    return metainfoOf(
      encode({
        info: {
          name: 'top',
          'piece length': PIECE,
          pieces: plainV1Pieces(content, PIECE),
          files: [{ length: content.length, path: elements }],
        },
      }),
    );
  }

  test('paths with .. are refused without a read', async () => {
    const secret = seededBytes(9, 100);
    writeFileSync(path.join(dir, 'secret'), secret);
    mkdirSync(path.join(dir, 'top'));
    const m = torrentFor(['..', 'secret'], secret);
    const result = await verifyTorrent(m, path.join(dir, 'top'), { pool });
    assert.equal(result.files[0].status, 'unreadable');
    assert.match(result.files[0].error ?? '', /would leave the folder/);
    assert.equal(result.bytesRead, 0);
    assert.deepEqual(result.badPieces, [0]);
  });

  test('a name the file system refuses (longer than 255 bytes) makes the file unreadable, with the reason', async () => {
    mkdirSync(path.join(dir, 'long'));
    const result = await verifyTorrent(torrentFor(['x'.repeat(300)], seededBytes(12, 100)), path.join(dir, 'long'), { pool });
    assert.equal(result.files[0].status, 'unreadable');
    assert.match(result.files[0].error ?? '', /ENAMETOOLONG|name too long/);
  });

  test('a torrent that claims more pieces than verify checks is refused before anything is allocated for them', async () => {
    mkdirSync(path.join(dir, 'huge'));
    const m = metainfoOf(
      encode({
        info: {
          name: 'huge',
          'meta version': 2,
          'piece length': 16384,
          'file tree': { sub: { big: { '': { length: 2 ** 45, 'pieces root': new Uint8Array(32).fill(7) } } } },
        },
      }),
    );
    await assert.rejects(verifyTorrent(m, path.join(dir, 'huge'), { pool }), (e: unknown) => {
      assert.ok(e instanceof HashingError);
      assert.equal(e.code, 'unverifiable');
      assert.match(e.message, /claims 2,147,483,648 pieces/);
      return true;
    });
  });

  test('a FIFO where a file should be is refused, never waited on', async () => {
    mkdirSync(path.join(dir, 'fifo'));
    execFileSync('mkfifo', [path.join(dir, 'fifo', 'f')]);
    const result = await verifyTorrent(torrentFor(['f'], seededBytes(11, 100)), path.join(dir, 'fifo'), { pool });
    assert.equal(result.files[0].status, 'unreadable');
    assert.match(result.files[0].error ?? '', /not a regular file/);
  });

  test('a symbolic link that leads out of the folder is not followed', async () => {
    const secret = seededBytes(10, 100);
    writeFileSync(path.join(dir, 'secret2'), secret);
    mkdirSync(path.join(dir, 'linked'));
    symlinkSync(path.join(dir, 'secret2'), path.join(dir, 'linked', 'f'));
    const result = await verifyTorrent(torrentFor(['f'], secret), path.join(dir, 'linked'), { pool });
    assert.equal(result.files[0].status, 'unreadable');
    assert.match(result.files[0].error ?? '', /out of the chosen folder/);
    assert.equal(result.bytesRead, 0);
    // A link that stays inside is fine.
    writeFileSync(path.join(dir, 'linked', 'real'), secret);
    rmSync(path.join(dir, 'linked', 'f'));
    symlinkSync('real', path.join(dir, 'linked', 'f'));
    assert.equal((await verifyTorrent(torrentFor(['f'], secret), path.join(dir, 'linked'), { pool })).complete, true);
  });
});

/** The torrent with info keys replaced (re-encoded, so its info hash changes, which a test does not mind). */
function replaceInfoKeys(m: Metainfo, entries: [string, Encodable][]): Uint8Array {
  const root = toEncodable(m.document, m.document.root) as Map<string, Encodable>;
  for (const [key, value] of entries) (root.get('info') as Map<string, Encodable>).set(key, value);
  return encode(root);
}

function withoutPieceLayers(m: Metainfo): Uint8Array {
  const root = toEncodable(m.document, m.document.root) as Map<string, Encodable>;
  root.delete('piece layers');
  return encode(root);
}

function toEncodable(doc: BencodeDocument, t: number): Encodable {
  if (doc.isInt(t)) return doc.int(t);
  if (doc.isBytes(t)) return doc.bytes(t);
  if (doc.isList(t)) return doc.children(t).map((c) => toEncodable(doc, c));
  // ASCII keys as strings, to be found by name; any other key as its bytes.
  const out = new Map<string | Uint8Array, Encodable>();
  for (const [k, v] of doc.entries(t)) out.set(doc.bytes(k).every((b) => b < 0x80) ? doc.binary(k) : doc.bytes(k), toEncodable(doc, v));
  return out;
}

describe('locateContent: where the data is, given the folder chosen for it', () => {
  let dir: string;
  let remove: () => void;
  before(() => ({ dir, remove } = tempFolder()));
  after(() => remove());

  /** A v1 torrent named `name` of `files` (path → content), made by hand. */
  function torrent(name: string, files: Record<string, Buffer>): Metainfo {
    const entries = Object.entries(files);
    return metainfoOf(
      encode({
        info: {
          name,
          'piece length': PIECE,
          pieces: plainV1Pieces(Buffer.concat(entries.map(([, b]) => b)), PIECE),
          files: entries.map(([p, b]) => ({ length: b.length, path: p.split('/') })),
        },
      }),
    );
  }

  test('FOLDER/NAME as clients keep it, else the folder itself when it holds the files', () => {
    const m = torrent('Album', { 'one.flac': seededBytes(1, 10), 'sub/two.flac': seededBytes(2, 10) });
    writeTree(path.join(dir, 'save', 'Album'), [{ path: 'one.flac', size: 10 }]);
    assert.deepEqual(locateContent(m, path.join(dir, 'save')), { contentPath: path.join(dir, 'save', 'Album'), how: 'inside' });
    writeTree(path.join(dir, 'Renamed'), [{ path: 'sub/two.flac', size: 10 }]);
    assert.deepEqual(locateContent(m, path.join(dir, 'Renamed')), { contentPath: path.join(dir, 'Renamed'), how: 'itself' });
    assert.throws(
      () => locateContent(m, path.join(dir, 'nowhere')),
      (e: unknown) => e instanceof HashingError && e.code === 'not-found' && /nowhere does not exist/.test(e.message),
    );
  });

  test('a single file: FOLDER/NAME, or the file itself', () => {
    const m = metainfoOf(
      encode({ info: { name: 'file.iso', 'piece length': PIECE, pieces: plainV1Pieces(seededBytes(3, 5), PIECE), length: 5 } }),
    );
    writeTree(path.join(dir, 'iso'), [{ path: 'file.iso', size: 5 }]);
    assert.equal(locateContent(m, path.join(dir, 'iso')).contentPath, path.join(dir, 'iso', 'file.iso'));
    assert.deepEqual(locateContent(m, path.join(dir, 'iso', 'file.iso')), {
      contentPath: path.join(dir, 'iso', 'file.iso'),
      how: 'itself',
    });
  });

  test('a hostile name is never joined to the folder, and NAME as a link out of the folder is refused', () => {
    const climbing = torrent('..', { 'x.txt': seededBytes(4, 3) });
    writeTree(path.join(dir, 'x-holder'), [{ path: 'x.txt', size: 3 }]);
    // '..' would be the parent of the chosen folder: only the folder itself is considered.
    assert.deepEqual(locateContent(climbing, path.join(dir, 'x-holder')), { contentPath: path.join(dir, 'x-holder'), how: 'itself' });
    writeTree(path.join(dir, 'outside', 'Linked'), [{ path: 'x.txt', size: 3 }]);
    mkdirSync(path.join(dir, 'chosen'));
    symlinkSync(path.join(dir, 'outside', 'Linked'), path.join(dir, 'chosen', 'Linked'));
    assert.throws(
      () => locateContent(torrent('Linked', { 'x.txt': seededBytes(5, 3) }), path.join(dir, 'chosen')),
      /leads out of .*chosen/,
    );
  });
});
