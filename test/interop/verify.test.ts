// verifyTorrent against libtorrent's force_recheck on the same damaged data: flipped bytes in chosen
// pieces, a truncated file, a missing file, a file grown by a byte. The set of failed pieces must be the
// same, for v1, v2 and hybrid torrents (for v2, libtorrent numbers pieces file after file from piece
// boundaries, as verify does).

import assert from 'node:assert/strict';
import { appendFileSync, cpSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTorrent } from '../../src/core/create/create';
import type { Metainfo } from '../../src/core/metainfo/types';
import { verifyTorrent } from '../../src/core/verify/verify';
import { flipByte, metainfoOf, tempFolder, testPool, writeTree, type TreeFile } from '../support/hashing';
import { libtorrentRecheck } from '../support/reference-tools';

const pool = testPool();
after(() => pool.close());

const KiB = 1024;
const PIECE = 16 * KiB;
const FILES: TreeFile[] = [
  { path: 'big.bin', size: 20 * PIECE + 333 },
  { path: 'docs/a.txt', size: 700 },
  { path: 'docs/b.txt', size: 3 * PIECE },
  { path: 'docs/empty', size: 0 },
  { path: 'media/clip.mkv', size: 9 * PIECE + 1 },
  { path: 'media/poster.png', size: 12_000 },
  { path: 'z-last.bin', size: 2 * PIECE - 5 },
];

interface Damage {
  name: string;
  apply(folder: string): void;
}

const DAMAGES: Damage[] = [
  { name: 'nothing', apply: () => {} },
  {
    name: 'flipped bytes in chosen pieces',
    apply: (f) => {
      flipByte(path.join(f, 'big.bin'), 0);
      flipByte(path.join(f, 'big.bin'), 7 * PIECE + 100);
      flipByte(path.join(f, 'big.bin'), 20 * PIECE + 300); // its short last piece
      flipByte(path.join(f, 'media', 'clip.mkv'), 9 * PIECE); // the one byte of its last piece
      flipByte(path.join(f, 'docs', 'a.txt'), 699);
    },
  },
  { name: 'a truncated file', apply: (f) => truncateSync(path.join(f, 'media', 'clip.mkv'), 4 * PIECE + 10) },
  { name: 'a missing file', apply: (f) => rmSync(path.join(f, 'docs', 'b.txt')) },
  { name: 'a file grown by a byte', apply: (f) => appendFileSync(path.join(f, 'media', 'poster.png'), 'x') },
  {
    name: 'all at once',
    apply: (f) => {
      flipByte(path.join(f, 'z-last.bin'), PIECE + 1);
      truncateSync(path.join(f, 'big.bin'), 3 * PIECE);
      rmSync(path.join(f, 'docs', 'empty'));
      appendFileSync(path.join(f, 'docs', 'a.txt'), 'y');
    },
  },
];

describe('verify: the same failed pieces as a libtorrent recheck', () => {
  let dir: string;
  let remove: () => void;
  let pristine: string;
  const torrents = new Map<string, { file: string; metainfo: Metainfo }>();

  before(async () => {
    ({ dir, remove } = tempFolder());
    pristine = path.join(dir, 'pristine', 'Set');
    writeTree(pristine, FILES);
    for (const version of ['v1', 'v2', 'hybrid'] as const) {
      const { torrent } = await createTorrent({ path: pristine, version, pieceLength: PIECE, pool, createdBy: false, creationDate: false });
      const file = path.join(dir, `${version}.torrent`);
      writeFileSync(file, torrent);
      // Read back from disk, as a user's torrent is.
      torrents.set(version, { file, metainfo: metainfoOf(readFileSync(file)) });
    }
  });
  after(() => remove());

  for (const damage of DAMAGES) {
    test(damage.name, async () => {
      const save = path.join(dir, damage.name.replace(/\W+/g, '-'));
      const content = path.join(save, 'Set');
      cpSync(pristine, content, { recursive: true });
      damage.apply(content);
      for (const version of ['v1', 'v2', 'hybrid'] as const) {
        const { file, metainfo } = torrents.get(version) as { file: string; metainfo: Metainfo };
        const reference = libtorrentRecheck(file, save);
        const result = await verifyTorrent(metainfo, content, { pool });
        assert.equal(result.pieceCount, reference.pieceCount, version);
        assert.deepEqual(result.badPieces, reference.badPieces, `${damage.name}, ${version}`);
        if (damage.name !== 'nothing') assert.ok(!result.complete, `${damage.name}, ${version}`);
        // A file grown by a byte still holds the torrent's bytes: libtorrent fails no piece, and verify calls it the wrong size.
        if (damage.name === 'a file grown by a byte')
          assert.equal(result.files.find((f) => f.path === 'media/poster.png')?.status, 'wrong-size');
        else if (damage.name !== 'nothing') assert.ok(reference.badPieces.length > 0, 'the damage fails some piece');
      }
    });
  }
});
