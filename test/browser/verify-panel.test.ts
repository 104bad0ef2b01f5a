// The Verify panel's webview in Chromium, with real checks behind it (VerifySession over data the test
// makes and damages): the empty state, progress, the verdict, the piece map's cells and colours, the
// file list with its filter, both by keyboard, a million pieces, hostile names as text, the actions.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTorrent } from '../../src/core/create/create';
import type { Metainfo } from '../../src/core/metainfo/types';
import type { VerifyHostEvent, VerifyRequests } from '../../src/shared/protocol/verify';
import { VerifySession } from '../../src/view-model/verify/session';
import { flipByte, manyPiecesTorrent, metainfoOf, tempFolder, testPool, writeTree } from '../support/hashing';
import { closeBrowser, openWebview, type WebviewPage } from '../support/webview-harness';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type El = any;
declare const document: El;

const PIECE = 16384;
const HOSTILE = '<img src=x onerror=alert(1)>';

describe('the Verify panel', () => {
  const pool = testPool();
  let dir: string;
  let remove: () => void;
  let data: string;
  let metainfo: Metainfo;
  let view: WebviewPage<VerifyHostEvent>;
  let session: VerifySession | undefined;
  let runId = 1;
  const asked: string[] = [];

  /** Runs a check as the panel does: the run event, progress as it comes, the end. */
  async function check(m: Metainfo, dataPath: string): Promise<void> {
    session = new VerifySession(runId++, { metainfo: m, fileName: 'data.torrent', dataPath });
    await view.emit({ type: 'run', run: session.view });
    await session.start(pool, (event) => void view.emit(event));
    await view.page.waitForFunction(() => document.querySelector('#verify')?.dataset.state !== 'running');
  }

  before(async () => {
    ({ dir, remove } = tempFolder('torrent-lens-verify-panel-'));
    data = path.join(dir, 'data');
    writeTree(data, [
      ...Array.from({ length: 40 }, (_, i) => ({ path: `f${String(i).padStart(2, '0')}`, size: 3 * PIECE })),
      { path: HOSTILE, size: 10 },
    ]);
    metainfo = metainfoOf((await createTorrent({ path: data, version: 'hybrid', pieceLength: PIECE, pool })).torrent);
    const current = (id: number) => {
      if (!session || session.runId !== id) throw new Error('that check is no longer shown');
      return session;
    };
    view = await openWebview<VerifyRequests, VerifyHostEvent>({
      bundle: 'verify',
      title: 'Verify',
      readySelector: '#verify',
      viewport: { width: 1100, height: 800 },
      handlers: {
        ready: () => session?.view ?? null,
        rows: (r) => current(r.runId).rows(r.filter, r.start, r.count),
        pieceMap: (r) => current(r.runId).pieceMap(r.cells),
        pieceCell: (r) => current(r.runId).pieceCell(r.cells, r.cell),
        rerun: () => void asked.push('rerun'),
        cancel: () => void asked.push('cancel'),
        chooseFolder: () => void asked.push('chooseFolder'),
        copyJson: () => void asked.push('copyJson'),
      },
    });
  });
  after(async () => {
    await view?.close();
    await closeBrowser();
    await pool.close();
    remove();
  });

  const text = (selector: string) => view.page.$eval(selector, (e: El) => e.textContent);

  test('before any check: the note, and no action to take', async () => {
    assert.equal(await view.page.isVisible('#empty'), true);
    assert.equal(await view.page.isVisible('#piece-map'), false);
    assert.equal(await view.page.isEnabled('#rerun'), false);
    assert.deepEqual(view.requests, ['ready']);
  });

  test('while it runs: progress and Cancel; then the verdict of intact data, every cell green', async () => {
    session = new VerifySession(runId++, { metainfo, fileName: 'data.torrent', dataPath: data });
    await view.emit({ type: 'run', run: session.view });
    assert.equal(await text('#title'), 'data');
    assert.match(await text('#subtitle'), /data\.torrent · hybrid \(v1 and v2\) · 41 files · 121 pieces of 16\.0 KiB/);
    assert.equal(await text('#subtitle .data-path .mono'), data);
    assert.equal(await text('#verdict'), 'Looking at the files…');
    assert.equal(await view.page.isEnabled('#cancel'), true);
    await view.emit({
      type: 'progress',
      runId: session.runId,
      progress: { phase: 'hashing', bytesDone: 1 << 20, bytesTotal: 2 << 20, bytesPerSecond: 1 << 20, etaSeconds: 1 },
    });
    assert.equal(await text('#verdict'), 'Checking: 50% of 2.00 MiB, 1.00 MiB/s, 1 s left');
    await session.start(pool, (event) => void view.emit(event));
    await view.page.waitForFunction(() => document.querySelector('#verify').dataset.state === 'done');
    assert.match(await text('#verdict'), /^Complete: every file and all 121 pieces are good/);
    assert.equal(await view.page.isEnabled('#cancel'), false);
    assert.equal(await view.page.getAttribute('#piece-map', 'data-cells'), '121');
    const colours = await cellColours([0, 60, 120]);
    assert.deepEqual(colours, ['rgb(115, 201, 145)', 'rgb(115, 201, 145)', 'rgb(115, 201, 145)'], 'good is the theme’s passed colour');
    assert.equal(await view.page.isChecked('#filter-all'), true, 'nothing wrong: all files are listed');
    assert.equal(await text('#file-count'), '41 files');
  });

  test('damage: the bad and the missing pieces on the map, the files with problems listed first', async () => {
    flipByte(path.join(data, 'f03'), PIECE + 3);
    rmSync(path.join(data, 'f39'));
    await check(metainfo, data);
    assert.equal(await text('#verdict'), '39 of 41 files complete; 1 damaged, 1 missing. 117 of 121 pieces good.');
    // The hostile name sorts first (piece 0); f03 is pieces 10–12 (its second, 11, is bad); f39 is 118–120.
    assert.deepEqual(await cellColours([11, 12, 118, 120]), [
      'rgb(241, 76, 76)',
      'rgb(115, 201, 145)',
      'rgb(128, 128, 128)',
      'rgb(128, 128, 128)',
    ]);
    assert.deepEqual(await view.page.$$eval('#piece-legend .legend-item', (items: El[]) => items.map((i) => i.textContent)), [
      'good 117',
      'bad 1',
      'not there 3',
    ]);
    assert.equal(await view.page.isChecked('#filter-problems'), true);
    assert.equal(await text('#file-count'), '2 files with problems');
    await view.page.waitForFunction(
      () => document.querySelectorAll('.file-row[data-status="damaged"], .file-row[data-status="missing"]').length === 2,
    );
    assert.deepEqual(await visibleRows(), [
      ['f03', 'damaged', '1 v1 piece bad; 1 v2 piece bad'],
      ['f39', 'missing', '3 v1 pieces not read'],
    ]);
    await view.page.check('#filter-all');
    await view.page.waitForFunction(() => document.querySelector('#file-count').textContent === '41 files');
    await view.page.waitForFunction(() => document.querySelector('.file-row[data-position="0"]')?.dataset.status === 'complete');
    assert.equal((await visibleRows())[0][0], HOSTILE, 'a hostile name, as text');
    assert.equal(await view.page.$$eval('img', (images: El[]) => images.length), 0);
    assert.deepEqual(view.dialogs, []);
  });

  test('the keyboard: the file list by Down and End, the map by arrows, each told under it', async () => {
    await view.page.focus('#file-list');
    await view.page.keyboard.press('End');
    await view.page.waitForFunction(() => document.querySelector('#file-details').textContent.startsWith('f39'));
    assert.equal(await text('#file-details'), 'f39 — missing, 49,152 bytes. 3 v1 pieces not read: 118, 119, 120');
    assert.equal(await view.page.getAttribute('#file-list', 'aria-activedescendant'), 'file-40');
    await view.page.keyboard.press('Home');
    await view.page.keyboard.press('ArrowDown');
    await view.page.waitForFunction(() => document.querySelector('#file-details').textContent.startsWith('f00 — complete'));
    await view.page.focus('#piece-map');
    await view.page.waitForFunction(() => document.querySelector('#piece-detail').textContent === 'Piece 0: 1 good');
    for (let i = 0; i < 11; i++) await view.page.keyboard.press('ArrowRight');
    await view.page.waitForFunction(() => document.querySelector('#piece-detail').textContent === 'Piece 11: 1 bad');
    await view.page.keyboard.press('End');
    await view.page.waitForFunction(() => document.querySelector('#piece-detail').textContent === 'Piece 120: 1 not there');
  });

  test('a million pieces: as many cells as the map has room for, each told by the pieces it covers', async () => {
    const pieces = 1 << 20;
    const huge = manyPiecesTorrent(pieces, PIECE);
    await check(huge, data);
    const cells = Number(await view.page.getAttribute('#piece-map', 'data-cells'));
    const columns = Number(await view.page.getAttribute('#piece-map', 'data-columns'));
    assert.ok(cells <= columns * 16 && cells > 1000, `${cells} cells in ${columns} columns`);
    await view.page.focus('#piece-map');
    await view.page.keyboard.press('End');
    await view.page.waitForFunction(() =>
      /^Pieces [\d,]+–1,048,575: [\d,]+ not there$/.test(document.querySelector('#piece-detail').textContent),
    );
    assert.equal(await text('#file-count'), '1 file with problems');
  });

  test('the actions go to the host', async () => {
    await view.page.click('#rerun');
    await view.page.click('#choose-folder');
    await view.page.click('#copy-json');
    const deadline = Date.now() + 5000;
    while (asked.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(asked, ['rerun', 'chooseFolder', 'copyJson']);
    assert.deepEqual(view.errors, []);
  });

  /** The colours of map cells, read from the canvas. */
  function cellColours(cells: number[]): Promise<string[]> {
    return view.page.$eval(
      '#piece-map',
      (canvas: El, wanted: number[]) => {
        const columns = Number(canvas.dataset.columns);
        const pitch = Number(canvas.dataset.pitch);
        const ctx = canvas.getContext('2d');
        return wanted.map((c) => {
          const [r, g, b] = ctx.getImageData((c % columns) * pitch + 3, Math.floor(c / columns) * pitch + 3, 1, 1).data;
          return `rgb(${r}, ${g}, ${b})`;
        });
      },
      cells,
    );
  }

  /** The file rows shown: path, status, what is wrong. */
  function visibleRows(): Promise<string[][]> {
    return view.page.$$eval('.file-row:not([hidden])', (rows: El[]) =>
      rows
        .sort((a, b) => Number(a.dataset.position) - Number(b.dataset.position))
        .map((r) => [r.querySelector('.path')?.textContent ?? '', r.dataset.status, r.querySelector('.problem')?.textContent ?? '']),
    );
  }
});
