// Editing in the editor's webview, in Chromium against the real session and the real document model: a tracker URL
// edited in place (F2, checked as it is typed, Enter, Escape), moved with Alt+↑ and Alt+↓, removed with Delete,
// added from the bar; web seeds and DHT nodes added; the overview's fields edited; an edit of the info dictionary
// asked about with the old and new hashes; a hidden secret never written back; no edits offered where there are none.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { encode } from '../../src/core/bencode/decode';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import { closeBrowser, openEditorPage, type EditorPage } from '../support/editor-webview';

// The callbacks passed to page.evaluate run in the page; these names exist there, not in Node.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;

const A = 'http://a.example/announce';
const B = 'udp://b.example:6969/announce';
const C = 'https://c.example/announce';
const PASSKEY = '0123456789abcdef0123456789abcdef';
const SECRET_URL = `http://private.example/${PASSKEY}/announce`;
const INFO = { length: 70000, name: 'file.bin', 'piece length': 16384, pieces: new Uint8Array(100).fill(7) };
const shots = new URL('../../../test-results/', import.meta.url);

const open: EditorPage[] = [];
after(async () => {
  for (const editor of open) await editor.close();
  await closeBrowser();
});

async function openFile(bytes: Uint8Array, options: { editable?: boolean; viewport?: { width: number; height: number } } = {}) {
  const editor = await openEditorPage(bytes, { parser: parseMetainfo, fileName: 'edit.torrent', state: { tab: 'trackers' }, ...options });
  open.push(editor);
  await editor.page.waitForSelector('body[data-state=ok]');
  return editor;
}

async function shot(editor: EditorPage, name: string): Promise<void> {
  mkdirSync(shots, { recursive: true });
  await editor.page.screenshot({ path: new URL(`browser-edit-${name}.png`, shots).pathname });
}

/** The tracker URLs the tree shows, tier by tier. */
async function shownTrackers(editor: EditorPage): Promise<string[][]> {
  return editor.page.$$eval('#trackers [role=treeitem][data-id]', (rows: any[]) => {
    const tiers: string[][] = [];
    for (const row of rows.sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))) {
      if (row.getAttribute('aria-level') === '1') tiers.push([]);
      else tiers[tiers.length - 1].push(row.querySelector('.label')?.textContent ?? '');
    }
    return tiers;
  });
}

const focusedRow = (editor: EditorPage) => editor.page.evaluate(() => document.activeElement?.closest?.('[role=treeitem]')?.dataset.id);
const fileTrackers = (editor: EditorPage) => editor.model.parsed.metainfo!.trackers;

async function waitForTrackers(editor: EditorPage, expected: string[][]): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const shown = await shownTrackers(editor);
    if (JSON.stringify(shown) === JSON.stringify(expected)) return;
    if (Date.now() > deadline) assert.deepEqual(shown, expected);
    await editor.page.waitForTimeout(30);
  }
}

test('a tracker edited in place: F2, checked as it is typed, Enter saves it into the document, Escape leaves it', async () => {
  const editor = await openFile(encode({ announce: A, 'announce-list': [[A, B], [C]], info: INFO }));
  const { page } = editor;
  const hash = await page.textContent('[data-field=infohash-v1]');
  await page.click('#trackers [role=treeitem][data-id="0.1"] .label');
  await page.keyboard.press('F2');
  const field = page.locator('#trackers [data-field=row-edit]');
  await field.waitFor();
  assert.equal(await field.inputValue(), B, 'the field starts from the URL as stored');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.field), 'row-edit', 'the cursor is in it');
  await field.fill('not a url');
  await page.waitForSelector('#trackers .inline-message[data-tone=problem]');
  assert.match(await page.textContent('#trackers .inline-message'), /cannot be a tracker/);
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  await shot(editor, 'invalid-url');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(200);
  assert.deepEqual(fileTrackers(editor), [[A, B], [C]], 'an invalid URL is not written');
  assert.equal(editor.model.isDirty, false);
  await field.fill(A);
  await page.waitForSelector('#trackers .inline-message[data-tone=warning]');
  assert.match(await page.textContent('#trackers .inline-message'), /already listed in tier 1/);
  await field.fill('udp://new.example:1337/announce');
  await page.keyboard.press('Enter');
  await waitForTrackers(editor, [[A, 'udp://new.example:1337/announce'], [C]]);
  assert.deepEqual(fileTrackers(editor), [[A, 'udp://new.example:1337/announce'], [C]]);
  assert.equal(editor.model.isDirty, true);
  assert.equal(await page.locator('#trackers [data-field=row-edit]').count(), 0, 'the field has gone');
  assert.equal(await focusedRow(editor), '0.1', 'the edited row has focus');
  assert.equal(await page.textContent('[data-field=infohash-v1]'), hash, 'the same info hash');
  assert.match(await page.textContent('#toast'), /Tracker changed/);
  assert.equal(await page.locator('#banner:not([hidden])').count(), 0, 'an edit is not news from the disk');
  // Escape leaves the row as it was.
  await page.keyboard.press('F2');
  await field.waitFor();
  await field.fill('udp://other.example:1/announce');
  await page.keyboard.press('Escape');
  await page.waitForTimeout(150);
  assert.deepEqual(fileTrackers(editor), [[A, 'udp://new.example:1337/announce'], [C]]);
  assert.equal(await focusedRow(editor), '0.1');
  assert.deepEqual(editor.consoleErrors, []);
});

test('Alt+↑ and Alt+↓ move a tracker within its tier and on into the next; a tier moves too; Delete removes; focus follows', async () => {
  const editor = await openFile(encode({ announce: A, 'announce-list': [[A, B], [C]], info: INFO }));
  const { page } = editor;
  await page.click('#trackers [role=treeitem][data-id="0.1"] .label');
  await page.keyboard.press('Alt+ArrowUp');
  await waitForTrackers(editor, [[B, A], [C]]);
  assert.equal(await focusedRow(editor), '0.0');
  await page.keyboard.press('Alt+ArrowDown');
  await waitForTrackers(editor, [[A, B], [C]]);
  await page.keyboard.press('Alt+ArrowDown');
  await waitForTrackers(editor, [[A], [B, C]]);
  assert.equal(await focusedRow(editor), '1.0', 'on into the next tier, at its start');
  // The tier row: Alt+↑ moves the whole tier.
  await page.keyboard.press('ArrowUp');
  assert.equal(await focusedRow(editor), '1');
  await page.keyboard.press('Alt+ArrowUp');
  await waitForTrackers(editor, [[B, C], [A]]);
  assert.equal(await focusedRow(editor), '0');
  assert.deepEqual(fileTrackers(editor), [[B, C], [A]]);
  // Delete on a tracker removes it.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Delete');
  await waitForTrackers(editor, [[C], [A]]);
  assert.deepEqual(fileTrackers(editor), [[C], [A]]);
  // The row's menu names the keys.
  await page.keyboard.press('Shift+F10');
  await page.waitForSelector('.popup-menu:not([hidden])');
  const items = await page.$$eval('.popup-menu .menu-item', (els: any[]) => els.map((e) => e.textContent));
  assert.ok(
    items.some((t: string) => /Edit URLF2/.test(t)),
    JSON.stringify(items),
  );
  // The very first tracker has nowhere to go up to: only Move Down is offered.
  assert.ok(items.some((t: string) => /Move DownAlt\+↓/.test(t)));
  assert.ok(!items.some((t: string) => /Move Up/.test(t)), JSON.stringify(items));
  assert.ok(items.some((t: string) => /Remove TrackerDelete/.test(t)));
  await page.keyboard.press('Escape');
});

test('removing the only tracker of a tier removes the tier, in the file and on screen; focus stays in the tree', async () => {
  const editor = await openFile(encode({ announce: A, 'announce-list': [[A, B], [C]], info: INFO }));
  const { page } = editor;
  await page.click('#trackers [role=treeitem][data-id="1.0"] .label');
  await page.keyboard.press('Delete');
  await waitForTrackers(editor, [[A, B]]);
  assert.deepEqual(fileTrackers(editor), [[A, B]]);
  assert.equal(await page.locator('#trackers [role=treeitem][data-id="1"]:visible').count(), 0, 'no empty tier is left');
  assert.ok((await focusedRow(editor)) !== undefined, 'focus is on a row');
  assert.equal(await page.getAttribute('#tab-trackers', 'aria-selected'), 'true', 'still on the trackers tab');
});

test('the bars add a tracker to a chosen tier, a web seed and a DHT node; each new row gets focus', async () => {
  const editor = await openFile(encode({ announce: A, 'announce-list': [[A], [B]], info: INFO }));
  const { page } = editor;
  await page.click('[data-action=add-tracker]');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.field), 'add-tracker');
  await page.selectOption('[data-field=add-tracker-where]', '1');
  await page.keyboard.type('ftp://nope.example/');
  await page.waitForSelector('[data-bar=tracker] .inline-message[data-tone=problem]');
  await page.locator('[data-field=add-tracker]').fill(C);
  await shot(editor, 'add-tracker');
  await page.keyboard.press('Enter');
  await waitForTrackers(editor, [[A], [B, C]]);
  assert.equal(await focusedRow(editor), '1.1');
  assert.equal(await page.locator('[data-field=add-tracker]').count(), 0, 'the bar closed');

  await page.click('#tab-webseeds');
  await page.click('[data-action=add-webseed]');
  await page.keyboard.type('https://seed.example/files/');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#webseeds [role=treeitem][data-id="0"]');
  assert.deepEqual(editor.model.parsed.metainfo!.webSeeds, ['https://seed.example/files/']);

  await page.click('#tab-nodes');
  await page.click('[data-action=add-node]');
  await page.keyboard.type('router.example');
  await page.waitForSelector('[data-bar=node] .inline-message[data-tone=problem]');
  await page.keyboard.type(':6881');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#nodes [role=treeitem][data-id="0"]');
  assert.deepEqual(editor.model.parsed.metainfo!.nodes, [{ host: 'router.example', port: 6881 }]);
  assert.equal(await focusedRow(editor), '0');
});

test("the overview's fields are edited in place; an edit of the name asks first, with the old and the new info hash", async () => {
  const editor = await openFile(encode({ announce: A, comment: 'old comment', info: INFO }));
  const { page } = editor;
  const before = editor.model.parsed.metainfo!.infoHash.v1!;
  // The comment: a text area, Ctrl+Enter saves.
  await page.click('[data-action=edit-comment]');
  const comment = page.locator('[data-field=edit-comment]');
  assert.equal(await comment.inputValue(), 'old comment');
  await comment.fill('line one\nline two');
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction(() => document.querySelector('[data-field=comment]')?.textContent.includes('line two'));
  assert.equal(editor.model.parsed.metainfo!.comment?.text, 'line one\nline two');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.action), 'edit-comment', 'focus back on its button');
  // Add a field the torrent does not have.
  await page.click('[data-action=add-field]');
  await page.click('.popup-menu [data-item=add-createdBy]');
  await page.locator('[data-field=edit-createdBy]').fill('Torrent Lens');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-field=created-by]')?.textContent.includes('Torrent Lens'));
  // The name changes the info hash: the question shows both hashes.
  await page.click('[data-action=edit-name]');
  await page.locator('[data-field=edit-name]').fill('renamed.bin');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-field=confirm-hash]');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.action), 'confirm-cancel', 'focus starts on Cancel');
  assert.equal(await page.textContent('[data-field=hash-before-v1]'), before);
  const after = await page.textContent('[data-field=hash-after-v1]');
  assert.notEqual(after, before);
  await shot(editor, 'confirm-hash');
  await page.keyboard.press('Escape');
  await page.waitForSelector('.modal-backdrop', { state: 'hidden' });
  assert.equal(editor.model.parsed.metainfo!.name.text, 'file.bin', 'cancelled: nothing changed');
  assert.equal(editor.model.parsed.metainfo!.infoHash.v1, before);
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-field=confirm-hash]');
  await page.click('[data-action=confirm-hash]');
  await page.waitForFunction((hash: string) => document.querySelector('[data-field=infohash-v1]')?.textContent === hash, after);
  assert.equal(editor.model.parsed.metainfo!.name.text, 'renamed.bin');
  assert.equal(editor.model.parsed.metainfo!.infoHash.v1, after, 'the hash the user saw');
  // The hash card shows the new hash too.
  await page.focus('[data-field=infohash-v1]');
  await page.waitForSelector('#hash-card:not([hidden])');
  assert.ok((await page.textContent('#hash-card')).includes(after!));
  // The private flag: the same question.
  await page.keyboard.press('Escape');
  await page.click('[data-action=toggle-private]');
  await page.click('[data-action=confirm-hash]');
  await page.waitForFunction(() => document.querySelector('[data-field=private]')?.textContent.startsWith('yes'));
  assert.equal(editor.model.parsed.metainfo!.private, true);
  assert.deepEqual(editor.consoleErrors, []);
});

test('a URL whose secret is hidden is edited only once revealed; what is shown is never written', async () => {
  const editor = await openFile(encode({ announce: SECRET_URL, 'announce-list': [[SECRET_URL], [A]], info: { ...INFO, private: 1 } }));
  const { page } = editor;
  await page.click('#trackers [role=treeitem][data-id="0.0"] .label');
  assert.match(await page.textContent('#trackers [role=treeitem][data-id="0.0"] .label'), /\[redacted\]/);
  await page.keyboard.press('F2');
  await page.waitForFunction(() => /reveal secrets/.test(document.querySelector('#toast')?.textContent ?? ''));
  assert.equal(await page.locator('[data-field=row-edit]').count(), 0, 'no field over a hidden secret');
  // Removing and moving need no text from the screen.
  await page.keyboard.press('Alt+ArrowDown');
  await waitForTrackers(editor, [[`http://private.example/[redacted]/announce`, A]]);
  assert.deepEqual(fileTrackers(editor), [[SECRET_URL, A]]);
  await page.click('[data-action=toggle-secrets]');
  await page.waitForFunction(() => document.querySelector('#trackers [role=treeitem][data-id="0.0"] .label')?.textContent.includes('0123'));
  await page.click('#trackers [role=treeitem][data-id="0.0"] .label');
  await page.keyboard.press('F2');
  const field = page.locator('[data-field=row-edit]');
  await field.waitFor();
  assert.equal(await field.inputValue(), SECRET_URL, 'revealed, the field holds the URL as stored');
  await field.fill(SECRET_URL.replace('private.example', 'moved.example'));
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-field=row-edit]', { state: 'detached' });
  assert.deepEqual(fileTrackers(editor), [[SECRET_URL.replace('private.example', 'moved.example'), A]]);
});

test('everything is reachable by keyboard: the add bar from Tab, the overview fields from their buttons', async () => {
  const editor = await openFile(encode({ announce: A, info: INFO }));
  const { page } = editor;
  await page.focus('#tab-trackers');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.action), 'add-tracker', 'Tab goes from the tab to the bar');
  await page.keyboard.press('Enter');
  await page.keyboard.type(B);
  await page.keyboard.press('Enter');
  await waitForTrackers(editor, [[A], [B]]);
  assert.equal(await focusedRow(editor), '1.0');
  const editButtons = await page.$$eval('[data-action^=edit-]', (els: any[]) => els.map((e) => e.tagName));
  assert.ok(editButtons.length >= 1 && editButtons.every((tag: string) => tag === 'BUTTON'));
});

test('no edits are offered where the torrent cannot be edited, and the toolbar says it is read-only', async () => {
  const editor = await openFile(encode({ announce: A, 'url-list': ['http://w.example/'], info: INFO }), { editable: false });
  const { page } = editor;
  await page.waitForSelector('#trackers [role=treeitem][data-id="0.0"]');
  assert.equal(await page.locator('[data-action=add-tracker]:visible').count(), 0);
  assert.equal(await page.locator('[data-action^=edit-]').count(), 0);
  assert.equal(await page.locator('[data-action=toggle-private]').count(), 0);
  assert.equal(await page.locator('#trackers [data-action=edit]').count(), 0);
  assert.equal(await page.textContent('[data-field=read-only]'), 'read-only');
  await page.click('#trackers [role=treeitem][data-id="0.0"] .label');
  await page.keyboard.press('F2');
  await page.keyboard.press('Delete');
  await page.waitForTimeout(150);
  assert.deepEqual(fileTrackers(editor), [[A]]);
});

test('narrow: the bar, the field and its message fit a 420 px editor', async () => {
  const editor = await openFile(encode({ announce: A, 'announce-list': [[A, B]], info: INFO }), { viewport: { width: 420, height: 700 } });
  const { page } = editor;
  await page.click('#trackers [role=treeitem][data-id="0.0"] .label');
  await page.keyboard.press('F2');
  await page.locator('[data-field=row-edit]').fill('http://');
  await page.waitForSelector('#trackers .inline-message[data-tone=problem]');
  const box = await page.locator('#trackers .inline-message').boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 420, `the message fits: ${JSON.stringify(box)}`);
  await shot(editor, 'narrow');
});
