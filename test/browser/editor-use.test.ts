// The editor's webview as people use it, in Chromium against the real host session: the files filter
// (one request per pause in typing, Escape, Ctrl+F, typing in the tree, kept across a reload), row menus
// and Enter, Ctrl+Alt+C, web links, the folding overview, and where the hash card opens.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { encode } from '../../src/core/bencode/decode';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import { closeBrowser, openEditorPage, type EditorPage } from '../support/editor-webview';
import { bigTorrent } from '../support/editor-fixtures';

// The callbacks passed to page.evaluate run in the page; these names exist there, not in Node.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;

const corpus = new URL('../../../test/fixtures/corpus/', import.meta.url);
const open: EditorPage[] = [];
after(async () => {
  for (const editor of open) await editor.close();
  await closeBrowser();
});

async function openFile(
  bytes: Uint8Array,
  options: { state?: unknown; viewport?: { width: number; height: number } } = {},
): Promise<EditorPage> {
  const editor = await openEditorPage(bytes, { parser: parseMetainfo, fileName: 'test.torrent', ...options });
  open.push(editor);
  await editor.page.waitForSelector('body[data-state]');
  return editor;
}

const PASSKEY = '0123456789abcdef0123456789abcdef';
const showcase = encode({
  announce: `http://tracker.example/${PASSKEY}/announce`,
  comment: 'Notes: https://example.org/notes and javascript:alert(1).',
  'url-list': ['https://seed.example/files/'],
  info: {
    name: 'show',
    'piece length': 16384,
    pieces: new Uint8Array(40),
    files: [
      { length: 20_000, path: ['videos', 'a.mkv'] },
      { length: 10, path: ['..', 'up.txt'] },
    ],
  },
});

test('the filter asks the host once per pause in typing, marks the matches, and Escape clears it', async () => {
  const editor = await openFile(bigTorrent({ files: 5000, folders: 50, pieceCount: 48_925 }));
  const { page } = editor;
  await page.waitForSelector('#files [role=treeitem][data-id]');
  await page.click('#files [role=treeitem][data-id="0"] .label');
  await page.keyboard.press('Control+F');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.field), 'files-filter', 'Ctrl+F goes to the filter');
  const asked = () => editor.received.filter((m) => m.type === 'setFilesView').length;
  // A burst of keys with no pause between them (typed in one task, so that a busy machine cannot put one in).
  await page.evaluate((query: string) => {
    const input = document.querySelector('[data-field=files-filter]');
    for (let i = 1; i <= query.length; i++) {
      input.value = query.slice(0, i);
      input.dispatchEvent(new window.Event('input'));
    }
  }, 'file-00120');
  await page.waitForFunction(() => document.querySelector('[data-field=files-matches]')?.textContent === '10 matches');
  await page.waitForTimeout(300);
  assert.equal(asked(), 1, 'one request for a burst of keys');
  const labels: string[] = await page.$$eval('#files [role=treeitem][aria-level="3"] .label', (els: any[]) =>
    els.map((e) => e.textContent),
  );
  assert.deepEqual(
    labels,
    Array.from({ length: 10 }, (_, i) => `file-00120${i}.bin`),
  );
  assert.equal(await page.$$eval('#files .label .match', (els: any[]) => els.length), 10);
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.querySelector('[data-field=files-matches]')?.textContent === '');
  assert.equal(await page.inputValue('[data-field=files-filter]'), '');
  // Escape in an empty filter goes back to the tree.
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'treeitem');
  // Typing in the tree fills the filter; ↓ from the filter goes to the first match.
  await page.keyboard.type('folder-049');
  await page.waitForFunction(() => document.querySelector('[data-field=files-matches]')?.textContent === '100 matches');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'treeitem');
  assert.deepEqual(editor.consoleErrors, []);

  // The filter and the order are part of the saved view: a reload shows the same tree.
  await page.selectOption('[data-field=files-sort]', 'size');
  await page.waitForFunction(() => document.querySelector('[data-field=files-matches]')?.textContent === '100 matches');
  await page.waitForTimeout(400);
  const state = await page.evaluate(() => window.__savedState);
  assert.deepEqual(state.filesView, { query: 'folder-049', sort: 'size' });
  const again = await openFile(bigTorrent({ files: 5000, folders: 50, pieceCount: 48_925 }), { state });
  await again.page.waitForFunction(() => document.querySelector('[data-field=files-matches]')?.textContent === '100 matches');
  assert.equal(await again.page.inputValue('[data-field=files-filter]'), 'folder-049');
  assert.equal(await again.page.inputValue('[data-field=files-sort]'), 'size');
});

test('row menus: Shift+F10 and right-click open them, arrows and Enter run an item, Escape gives focus back; Enter on a file opens it', async () => {
  const editor = await openFile(showcase);
  const { page } = editor;
  await page.click('#files [role=treeitem][data-id="0.0"] .vt-twistie');
  await page.waitForSelector('#files [role=treeitem][data-id="0.0.0"]');
  await page.click('#files [role=treeitem][data-id="0.0.0"] .label');
  await page.keyboard.press('Shift+F10');
  await page.waitForSelector('.popup-menu', { state: 'visible' });
  assert.deepEqual(await page.$$eval('.popup-menu [role=menuitem]', (els: any[]) => els.map((e) => e.dataset.item)), [
    'copy',
    'copyName',
    'reveal',
  ]);
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.popup-menu', { state: 'hidden' });
  assert.deepEqual(editor.clipboard, ['a.mkv']);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.id), '0.0.0', 'focus back on the row');

  await page.keyboard.press('Enter');
  await page.waitForSelector('.popup-menu', { state: 'visible' });
  assert.equal(await page.getAttribute('#tab-files', 'aria-selected'), 'true', 'Enter on a file keeps the Files tab');
  await page.keyboard.press('Escape');
  await page.waitForSelector('.popup-menu', { state: 'hidden' });

  await page.click('#files [role=treeitem][data-id="0.0.0"] .label', { button: 'right' });
  await page.waitForSelector('.popup-menu', { state: 'visible' });
  await page.click('.popup-menu [data-item=reveal]');
  await page.waitForFunction(() => document.querySelector('#tab-raw')?.getAttribute('aria-selected') === 'true');

  // Ctrl+C on a row copies its path; Ctrl+Alt+C anywhere in the editor copies the info hash.
  await page.click('#tab-files');
  await page.click('#files [role=treeitem][data-id="0.0.0"] .label');
  await page.keyboard.press('Control+C');
  await page.keyboard.press('Control+Alt+C');
  await page.waitForFunction(() => document.getElementById('toast')?.textContent?.startsWith('Copied info hash'));
  const parsed = parseMetainfo(showcase);
  assert.ok(parsed.ok);
  assert.deepEqual(editor.clipboard.slice(1), ['show/videos/a.mkv', parsed.metainfo.infoHash.v1]);

  // A problem row has one action: Enter runs it.
  await page.click('#tab-problems');
  await page.click('#problems [role=treeitem] .label');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#tab-raw')?.getAttribute('aria-selected') === 'true');
  assert.deepEqual(editor.consoleErrors, []);
});

test('web links: the comment and a web seed open through the host; other URLs stay text', async () => {
  const editor = await openFile(showcase);
  const { page } = editor;
  assert.deepEqual(await page.$$eval('[data-field=comment] .web-link', (els: any[]) => els.map((e) => e.textContent)), [
    'https://example.org/notes',
  ]);
  await page.click('[data-field=comment] .web-link');
  await page.click('#tab-webseeds');
  await page.click('#webseeds [role=treeitem] [data-action=open]');
  for (let i = 0; i < 50 && editor.opened.length < 2; i++) await page.waitForTimeout(20);
  assert.deepEqual(editor.opened, ['https://example.org/notes', 'https://seed.example/files/']);
});

test('the overview folds to one line and stays folded after a reload; the hash card opens below the v2 hash', async () => {
  const bytes = new Uint8Array(readFileSync(new URL('gen/lt-hybrid-multi.torrent', corpus)));
  const editor = await openFile(bytes, { viewport: { width: 900, height: 700 } });
  const { page } = editor;
  await page.hover('[data-field="infohash-v1"]');
  await page.waitForSelector('#hash-card', { state: 'visible' });
  const boxes = await page.evaluate(() => ({
    card: document.getElementById('hash-card').getBoundingClientRect().toJSON(),
    v2: document.querySelector('[data-field=infohash-v2]').getBoundingClientRect().toJSON(),
  }));
  assert.ok(boxes.card.top >= boxes.v2.bottom, `the card (${boxes.card.top}) opens below the v2 hash (${boxes.v2.bottom})`);
  await page.mouse.move(1, 690);
  await page.waitForSelector('#hash-card', { state: 'hidden' });

  await page.click('[data-action=toggle-overview]');
  await page.waitForSelector('[data-field=overview-summary]');
  assert.equal(await page.getAttribute('[data-action=toggle-overview]', 'aria-expanded'), 'false');
  await page.waitForTimeout(400);
  const state = await page.evaluate(() => window.__savedState);
  assert.equal(state.overviewCollapsed, true);
  const again = await openFile(bytes, { state });
  await again.page.waitForSelector('[data-field=overview-summary]');
  assert.equal(await again.page.$('.fields'), null, 'folded after the reload');
  // Show Info Hash Details unfolds it to show the card.
  await again.emit({ type: 'showHashCard' });
  await again.page.waitForSelector('#hash-card', { state: 'visible' });
});
