// createTorrent against the reference tools on the same files: the info hash equals mktorrent's for
// v1 and libtorrent's create_torrent's for v2 and hybrid, libtorrent loads every torrent we make and reads
// the same files and hashes from it, and the automatic piece length is libtorrent's.
//
// Where a reference tool differs on purpose, the test says so:
// - libtorrent's v1-only torrents list files in directory order (readdir), not a stable order, so v1 is
//   compared with mktorrent only.
// - mktorrent sorts by the whole path as one string, so `a-b/x` comes before `a/b` ('-' < '/'); we sort
//   element by element as BEP 52's file tree does. The main folder avoids names where the two disagree;
//   one test shows the difference.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTorrent, type CreateOptions } from '../../src/core/create/create';
import { automaticPieceLength } from '../../src/core/create/piece-length';
import type { Metainfo } from '../../src/core/metainfo/types';
import { metainfoOf, tempFolder, testPool, writeTree, type TreeFile } from '../support/hashing';
import { libtorrentAutoPieceLength, libtorrentCreate, libtorrentLoad, mktorrent } from '../support/reference-tools';

const pool = testPool();
after(() => pool.close());

const KiB = 1024;
/** Nested folders, empty files, a file larger than a piece, files smaller than one, non-ASCII names. */
const FOLDER: TreeFile[] = [
  { path: 'Album/01 Intro.flac', size: 180 * KiB + 17 },
  { path: 'Album/02 Song.flac', size: 70 * KiB },
  { path: 'Album/cover.jpg', size: 9_999 },
  { path: 'Album/empty.cue', size: 0 },
  { path: 'Extras/deep/deeper/notes.txt', size: 1_234 },
  { path: 'Extras/deep/zero', size: 0 },
  { path: 'Extras/exact-piece.bin', size: 32 * KiB },
  { path: 'README', size: 1 },
  { path: 'Ωμέγα/日本語 ファイル.txt', size: 33 * KiB },
  { path: 'émigré.dat', size: 50 * KiB + 1 },
];

describe('create: the same info hash as the reference tools', () => {
  let dir: string;
  let remove: () => void;
  let folder: string;
  let single: string;
  const ours = (extra: Partial<CreateOptions> & { path: string }) =>
    createTorrent({ pool, createdBy: false, creationDate: false, ...extra });

  before(() => {
    ({ dir, remove } = tempFolder());
    folder = path.join(dir, 'Collection');
    writeTree(folder, FOLDER);
    single = path.join(folder, 'Album', '01 Intro.flac');
  });
  after(() => remove());

  for (const exponent of [15, 16]) {
    test(`v1 = mktorrent -l ${exponent}: a folder, a single file, and private`, async () => {
      const pieceLength = 2 ** exponent;
      for (const [target, extra, privateFlag] of [
        [folder, [], false],
        [single, [], false],
        [folder, ['-p'], true],
      ] as const) {
        const reference = metainfoOf(
          mktorrent(target, exponent, path.join(dir, `mk-${exponent}.torrent`).replace('.torrent', `-${Math.random()}.torrent`), [
            ...extra,
          ]),
        );
        const { summary } = await ours({ path: target, version: 'v1', pieceLength, private: privateFlag });
        assert.equal(summary.infoHash.v1, reference.infoHash.v1, `${target} ${extra.join(' ')}`);
      }
    });
  }

  for (const version of ['v2', 'hybrid'] as const) {
    for (const pieceLength of [16 * KiB, 32 * KiB, 64 * KiB]) {
      test(`${version} = libtorrent create_torrent, ${pieceLength / KiB} KiB pieces: a folder and a single file`, async () => {
        for (const target of [folder, single]) {
          const out = path.join(dir, `lt-${version}-${pieceLength}-${path.basename(target)}.torrent`);
          const reference = libtorrentCreate(target, pieceLength, version, out);
          const { summary } = await ours({ path: target, version, pieceLength });
          assert.equal(summary.infoHash.v2, reference.v2, target);
          assert.equal(summary.infoHash.v1 ?? null, reference.v1, target);
        }
      });
    }
  }

  test('libtorrent loads each torrent we make and reads the same name, files, pieces and hashes', async () => {
    for (const version of ['v1', 'v2', 'hybrid'] as const) {
      for (const target of [folder, single]) {
        const { torrent, summary } = await ours({
          path: target,
          version,
          trackers: [['http://127.0.0.1:6969/announce'], ['udp://127.0.0.1:6969']],
          webSeeds: ['http://127.0.0.1:8080/'],
          comment: 'interop',
          source: 'TL',
          private: true,
        });
        const file = path.join(dir, `ours-${version}.torrent`);
        writeFileSync(file, torrent);
        const view = libtorrentLoad(file);
        assert.equal(view.v1, summary.infoHash.v1 ?? null);
        assert.equal(view.v2, summary.infoHash.v2 ?? null);
        assert.equal(view.name, summary.name);
        assert.equal(view.pieceLength, summary.pieceLength);
        assert.equal(view.pieceCount, summary.pieceCount);
        const m = metainfoOf(torrent);
        assert.deepEqual(
          m.diagnostics.filter((d) => d.severity !== 'info'),
          [],
          `${version} ${target}`,
        );
        const expected = [...m.files].map((f) => ({
          path: m.singleFile ? summary.name : [summary.name, ...f.path.map((e) => e.text)].join('/'),
          size: f.length,
          pad: f.padding,
        }));
        // For a v2 torrent libtorrent lists pad files of its own making: it numbers the pieces as if each
        // file were followed by one (as verify does), though the torrent has none.
        const listed = version === 'v2' ? view.files.filter((f) => !f.pad) : view.files;
        assert.deepEqual(listed, expected, `${version} ${target}`);
      }
    }
  });

  test("the automatic piece length is libtorrent's, at each of its thresholds", async () => {
    const thresholds = [
      2_684_355, 10_737_418, 42_949_673, 171_798_692, 687_194_767, 2_748_779_069, 10_995_116_278, 43_980_465_111, 175_921_860_444,
      703_687_441_777,
    ];
    const sizes = [1, 100_000, ...thresholds.flatMap((t) => [t, t + 1]), 5_000_000_000_000];
    const reference = libtorrentAutoPieceLength(sizes);
    sizes.forEach((size, i) => {
      assert.equal(automaticPieceLength(size), reference[i].v1, `${size} bytes, v1`);
      assert.equal(automaticPieceLength(size), reference[i].hybrid, `${size} bytes, hybrid`);
    });
    // And on real files: libtorrent with piece size 0 and ours with none chosen make the same torrent.
    const big = path.join(dir, 'auto');
    writeTree(big, [
      { path: 'a', size: 2_000_000 },
      { path: 'b', size: 1_000_000 },
    ]);
    const reference0 = libtorrentCreate(big, 0, 'hybrid', path.join(dir, 'auto.torrent'));
    const { summary } = await ours({ path: big });
    assert.equal(summary.pieceLength, 32 * KiB);
    assert.equal(summary.infoHash.v2, reference0.v2);
    assert.equal(summary.infoHash.v1, reference0.v1);
  });

  test('named difference: mktorrent orders by the whole path as one string, we by path elements (BEP 52)', async () => {
    const odd = path.join(dir, 'odd');
    writeTree(odd, [
      { path: 'a/b', size: 10 },
      { path: 'a-b/x', size: 10 },
      { path: 'a.c', size: 10 },
    ]);
    const reference = metainfoOf(mktorrent(odd, 15, path.join(dir, 'odd.torrent')));
    const { torrent } = await ours({ path: odd, version: 'v1', pieceLength: 32 * KiB });
    const mine = metainfoOf(torrent);
    const list = (m: Metainfo) => [...m.files].map((f) => f.path.map((e) => e.text).join('/'));
    assert.deepEqual(list(reference), ['a-b/x', 'a.c', 'a/b']);
    assert.deepEqual(list(mine), ['a/b', 'a-b/x', 'a.c']);
    assert.notEqual(mine.infoHash.v1, reference.infoHash.v1);
    // The hybrid's v1 list follows its file tree, as libtorrent's does.
    const lt = libtorrentCreate(odd, 16 * KiB, 'hybrid', path.join(dir, 'odd-lt.torrent'));
    assert.equal((await ours({ path: odd, pieceLength: 16 * KiB })).summary.infoHash.v1, lt.v1);
  });
});
