// The verify view's model on real checks: the summary, the rows in view with and without the problems
// filter, the piece map binned to the cells a view draws (a million pieces into a few thousand cells),
// what a cell covers, the JSON, and runs that are cancelled or cannot start.

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTorrent } from '../../src/core/create/create';
import type { Metainfo } from '../../src/core/metainfo/types';
import type { VerifyHostEvent } from '../../src/shared/protocol/verify';
import { cellRange, MAX_ROWS, VerifySession } from '../../src/view-model/verify/session';
import { flipByte, manyPiecesTorrent, metainfoOf, tempFolder, testPool, writeTree } from '../support/hashing';

const pool = testPool();
after(() => pool.close());

const PIECE = 16384;

async function run(metainfo: Metainfo, dataPath: string): Promise<{ session: VerifySession; events: VerifyHostEvent[] }> {
  const session = new VerifySession(7, { metainfo, fileName: 'x.torrent', dataPath });
  const events: VerifyHostEvent[] = [];
  await session.start(pool, (event) => events.push(event));
  return { session, events };
}

describe('VerifySession', () => {
  let dir: string;
  let remove: () => void;
  let data: string;
  let metainfo: Metainfo;

  before(async () => {
    ({ dir, remove } = tempFolder());
    data = path.join(dir, 'data');
    // 40 files of 3 pieces and one of 1: 121 pieces, v1 numbering = v2 (every file starts a piece).
    writeTree(data, [
      ...Array.from({ length: 40 }, (_, i) => ({ path: `f${String(i).padStart(2, '0')}`, size: 3 * PIECE })),
      { path: 'z', size: 10 },
    ]);
    metainfo = metainfoOf((await createTorrent({ path: data, version: 'hybrid', pieceLength: PIECE, pool })).torrent);
  });
  after(() => remove());

  test('a damaged and a missing file: the summary, the rows, the map and what a cell covers', async () => {
    flipByte(path.join(data, 'f03'), PIECE + 5); // piece 10
    rmSync(path.join(data, 'f39')); // pieces 117–119
    const { session, events } = await run(metainfo, data);
    assert.equal(events.at(-1)?.type, 'finished');
    assert.ok(events.some((e) => e.type === 'progress'));
    const view = session.view;
    assert.equal(view.state, 'done');
    assert.equal(view.pieceCount, 121);
    assert.equal(view.fileCount, 41);
    assert.deepEqual(view.summary && { ...view.summary, bytesRead: 0, elapsedMs: 0 }, {
      complete: false,
      goodPieces: 117,
      badPieces: 1,
      missingPieces: 3,
      files: { complete: 39, damaged: 1, 'wrong-size': 0, missing: 1, unreadable: 0 },
      disagreeing: 0,
      bytesRead: 0,
      elapsedMs: 0,
    });
    const problems = session.rows('problems', 0, 100);
    assert.equal(problems.total, 2);
    assert.deepEqual(
      problems.rows.map((r) => [r.index, r.path, r.status, r.badPieces, r.firstBadPieces, r.v2BadPieces]),
      [
        [3, 'f03', 'damaged', 1, [10], 1],
        [39, 'f39', 'missing', 3, [117, 118, 119], 3],
      ],
    );
    const page = session.rows('all', 38, 10);
    assert.deepEqual([page.total, page.start, page.rows.map((r) => r.path)], [41, 38, ['f38', 'f39', 'z']]);
    assert.equal(session.rows('all', 0, 100_000).rows.length, 41);
    assert.equal(session.rows('all', -5, 2).start, 0);
    // One cell per piece when there is room; the worst piece of a cell when there is not.
    const full = session.pieceMap(1000);
    assert.equal(full.length, 121);
    assert.equal(full, `${'g'.repeat(10)}b${'g'.repeat(106)}mmm${'g'}`);
    const binned = session.pieceMap(11);
    assert.equal(binned.length, 11);
    assert.equal(binned, 'bgggggggggm');
    assert.deepEqual(session.pieceCell(11, 0), { first: 0, last: 10, good: 10, bad: 1, missing: 0 });
    assert.deepEqual(session.pieceCell(11, 10), { first: 110, last: 120, good: 8, bad: 0, missing: 3 });
    const json = JSON.parse(session.json());
    assert.equal(json.data, data);
    assert.deepEqual(json.badPieces, [10, 117, 118, 119]);
  });

  test('cells share the pieces out evenly, every piece in exactly one', () => {
    for (const [pieces, cells] of [
      [121, 11],
      [1_000_000, 30_000],
      [7, 7],
      [10, 3],
    ]) {
      let next = 0;
      for (let c = 0; c < cells; c++) {
        const [first, last] = cellRange(pieces, cells, c);
        assert.equal(first, next);
        assert.ok(last >= first);
        next = last + 1;
      }
      assert.equal(next, pieces);
    }
  });

  test('a million pieces: the map costs the cells a view draws, not the pieces', async () => {
    // A torrent of 16 GiB in 1,048,576 pieces of 16 KiB whose file is not there: checked without a read.
    const pieces = 1 << 20;
    const huge = manyPiecesTorrent(pieces, PIECE);
    const { session } = await run(huge, data);
    assert.equal(session.view.pieceCount, pieces);
    assert.equal(session.view.summary?.missingPieces, pieces);
    const map = session.pieceMap(30_000);
    assert.equal(map.length, 30_000);
    assert.match(map, /^m+$/);
    const cell = session.pieceCell(30_000, 29_999);
    assert.equal(cell.last, pieces - 1);
    assert.equal(cell.missing, cell.last - cell.first + 1);
    assert.equal(session.rows('all', 0, MAX_ROWS + 100).rows.length, 1);
    assert.equal(session.pieceMap(1 << 30).length, 1 << 20, 'never more cells than pieces (and at most a million)');
  });

  test('cancelled, and a folder that is not there', async () => {
    const cancelled = new VerifySession(8, { metainfo, fileName: 'x.torrent', dataPath: data });
    const started = cancelled.start(pool, () => {});
    cancelled.cancel();
    await started;
    assert.equal(cancelled.view.state, 'cancelled');
    const { session } = await run(metainfo, path.join(dir, 'nowhere'));
    assert.equal(session.view.state, 'failed');
    assert.match(session.view.error ?? '', /nowhere does not exist/);
    assert.deepEqual(session.rows('all', 0, 10), { total: 0, start: 0, rows: [] });
    assert.equal(session.pieceMap(100), '');
  });
});
