// Verify Local Data… in a real VS Code: from the torrent editor's title bar and from the Explorer, the
// folder chosen in a quick pick (the torrent's own folder first, marked when the data is there), and the
// Verify panel beside the editor: the verdict, the piece map and the files, intact and then damaged.
// Pictures at 1440×900 and 1024×768 in test-results/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openTorrent, webviewShot } from '../lib/editor.mjs';
import { explorerMenu, noToasts, pickQuickItem, repoRoot, startWorkbench } from '../lib/harness.mjs';

/** @typedef {import('../lib/harness.mjs').Workbench} Workbench */
/** @typedef {import('playwright-core').Frame} Frame */

const ALBUM = 'Album';
const PIECE = 16384;
/** Sizes chosen so that each file has a few pieces of its own (a hybrid puts each file on a piece boundary). */
const FILES = { 'a.flac': 5 * PIECE + 100, 'b.flac': 3 * PIECE, 'c.jpg': 20_000, 'd.txt': 700 };
const TORRENT = `${ALBUM}.torrent`;

/** @type {Workbench} */
let wb;
let scratch = '';

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'torrent-lens-ui-verify-'));
  /** @type {Record<string, string>} */
  const files = {};
  let seed = 7;
  for (const [name, size] of Object.entries(FILES)) {
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i++) bytes[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    writeFileSync(join(scratch, name), bytes);
    files[`${ALBUM}/${name}`] = join(scratch, name);
  }
  // The torrent, made by the command line from the same files, next to the folder.
  const torrent = join(scratch, TORRENT);
  const made = spawnSync(
    process.execPath,
    [
      join(repoRoot, 'dist', 'cli.js'),
      'create',
      scratch,
      '--name',
      ALBUM,
      '--piece-length',
      '16K',
      '--exclude',
      '*.torrent',
      '-o',
      torrent,
    ],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(made.status, 0, made.stderr);
  files[TORRENT] = torrent;
  wb = await startWorkbench({ name: 'ui-verify', files });
});

after(async () => {
  await wb?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** The Verify panel's frame once its check of run `state` is over. */
async function finishedCheck() {
  const frame = await wb.webviewFrame('#verify');
  await frame.locator('#verify:not([data-state=running]):not([data-state=none])').waitFor({ timeout: 60_000 });
  return frame;
}

test('from the editor’s title bar: the torrent’s own folder is offered first, marked, and the data is complete', async () => {
  await openTorrent(wb, TORRENT);
  await wb.page.locator('.editor-actions [aria-label="Verify Local Data…"]').first().click();
  const first = wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row >> visible=true').first();
  await first.waitFor();
  const firstText = (await first.textContent()) ?? '';
  assert.ok(firstText.includes(wb.sandbox.workspace), `the torrent's folder first: ${firstText}`);
  assert.ok(firstText.includes('The data is here'), firstText);
  await wb.screenshot('verify-folder-pick');
  await first.click();
  const panel = await finishedCheck();
  assert.equal(await panel.locator('#verify').getAttribute('data-state'), 'done');
  assert.match((await panel.locator('#verdict').textContent()) ?? '', /^Complete: every file and all 12 pieces are good/);
  assert.equal(await panel.locator('#file-count').textContent(), '4 files');
  // Beside the editor: two editor groups.
  assert.equal(await wb.page.locator('.editor-group-container').count(), 2);
  assert.deepEqual(wb.dialogs, []);
});

test('damaged data, verified again from the Explorer: the bad and missing pieces, the files with problems', async () => {
  const a = join(wb.sandbox.workspace, ALBUM, 'a.flac');
  const fd = openSync(a, 'r+');
  const one = Buffer.alloc(1);
  readSync(fd, one, 0, 1, 2 * PIECE + 9);
  one[0] ^= 0xff;
  writeSync(fd, one, 0, 1, 2 * PIECE + 9);
  closeSync(fd);
  rmSync(join(wb.sandbox.workspace, ALBUM, 'd.txt'));
  await explorerMenu(wb.page, TORRENT, 'Verify Local Data…');
  await pickQuickItem(wb.page, 'The data is here');
  const panel = await wb.webviewFrame('#verify');
  await panel.locator('#verify[data-state=done] #verdict.bad').waitFor({ timeout: 60_000 });
  assert.equal(await panel.locator('#verdict').textContent(), '2 of 4 files complete; 1 damaged, 1 missing. 10 of 12 pieces good.');
  assert.equal(await panel.locator('#file-count').textContent(), '2 files with problems');
  await panel.locator('.file-row[data-status=damaged]').waitFor();
  assert.match((await panel.locator('.file-row[data-status=damaged] .problem').textContent()) ?? '', /^1 v1 piece bad; 1 v2 piece bad/);
  await panel.locator('.file-row[data-status=missing]').waitFor();
  assert.equal(await panel.locator('#piece-map').getAttribute('data-cells'), '12');
  await panel.locator('#piece-map').focus();
  await panel.page().keyboard.press('ArrowRight');
  await panel.page().keyboard.press('ArrowRight');
  await panel.locator('#piece-detail').filter({ hasText: 'Piece 2: 1 bad' }).waitFor();
  await noToasts(wb.page);
  await wb.screenshot('verify-panel-1440x900');
  await webviewShot(wb, 'verify-panel-webview-1440x900', { frame: panel });
  await wb.page.setViewportSize({ width: 1024, height: 768 });
  await panel.locator('#piece-map').waitFor();
  await noToasts(wb.page);
  await wb.screenshot('verify-panel-1024x768');
  await webviewShot(wb, 'verify-panel-webview-1024x768', { frame: panel });
  await wb.page.setViewportSize({ width: 1440, height: 900 });
  assert.deepEqual(wb.dialogs, []);
});

test('Verify Again after the file is back: complete again', async () => {
  spawnSync('cp', [join(scratch, 'd.txt'), join(wb.sandbox.workspace, ALBUM, 'd.txt')]);
  spawnSync('cp', [join(scratch, 'a.flac'), join(wb.sandbox.workspace, ALBUM, 'a.flac')]);
  const panel = await wb.webviewFrame('#verify');
  await panel.locator('#rerun').click();
  await panel.locator('#verify[data-state=done] #verdict.good').waitFor({ timeout: 60_000 });
  assert.match((await panel.locator('#verdict').textContent()) ?? '', /^Complete/);
  assert.deepEqual(wb.dialogs, []);
});
