// The editor's webview in Chromium, against the real host session (see test/support/editor-webview.ts).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { encode } from '../../src/core/bencode/decode';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import { OVERVIEW_TEXT_LIMIT, shownText } from '../../src/view-model/format';
import { ROW_HEIGHT } from '../../src/shared/protocol/editor';
import { contentSecurityPolicy, PAGE_LOAD_FAILURE_REPORT } from '../../src/shared/webview-page';
import { closeBrowser, openEditorPage, type EditorPage } from '../support/editor-webview';
import { bigTorrent } from '../support/editor-fixtures';
import { WEBVIEW_ORIGIN } from '../support/webview-host';

// The callbacks passed to page.evaluate run in the page; these names exist there, not in Node.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;
type HTMLElement = any;
type Element = any;

const corpus = new URL('../../../test/fixtures/corpus/', import.meta.url);
const open: EditorPage[] = [];
after(async () => {
  for (const editor of open) await editor.close();
  await closeBrowser();
});

async function openFile(bytes: Uint8Array, options: { fileName?: string; state?: unknown } = {}): Promise<EditorPage> {
  const editor = await openEditorPage(bytes, { parser: parseMetainfo, ...options });
  open.push(editor);
  return editor;
}

function corpusFile(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(path, corpus)));
}

test('injection torrents render every string literally and run nothing', async () => {
  const names = readdirSync(new URL('gen/', corpus)).filter((name) => name.includes('injection'));
  assert.ok(names.length >= 3);
  for (const name of names) {
    const bytes = corpusFile(`gen/${name}`);
    const parsed = parseMetainfo(bytes);
    assert.ok(parsed.ok);
    const editor = await openFile(bytes, { fileName: name });
    const { page } = editor;
    await page.waitForSelector('#files [role=treeitem]');
    // Open every folder so that every file name is on screen.
    for (let guard = 0; guard < 50; guard++) {
      const closed = await page.$('#files [role=treeitem][aria-expanded="false"] .vt-twistie');
      if (!closed) break;
      await closed.click();
      await page.waitForTimeout(30);
    }
    await page.waitForTimeout(100);
    const shownName = await page.textContent('[data-field="name"] .text');
    assert.equal(shownName, shownText(parsed.metainfo.name, OVERVIEW_TEXT_LIMIT).text);
    const labels: string[] = await page.$$eval('#files [role=treeitem] .label', (els: Element[]) => els.map((e) => e.textContent ?? ''));
    for (const file of parsed.metainfo.files) {
      const expected = shownText(file.path.at(-1)!).text;
      assert.ok(labels.includes(expected), `${name}: ${JSON.stringify(expected)} shown literally`);
    }
    // The page's one inline script is its own failed-load report, exactly as the template writes it.
    const injected = await page.evaluate(
      (ownScript: string) => ({
        images: document.querySelectorAll('img, iframe, object, embed, svg').length,
        inlineScripts: [...document.scripts].filter((s) => !s.src && s.text !== ownScript).length,
        handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
      }),
      PAGE_LOAD_FAILURE_REPORT,
    );
    assert.deepEqual(injected, { images: 0, inlineScripts: 0, handlers: 0 }, name);
    assert.deepEqual(editor.dialogs, [], `${name}: no dialog opened`);
    assert.deepEqual(editor.consoleErrors, [], `${name}: no errors`);
  }
});

test("the page is the extension's own: its policy, which lets no script without the nonce run", async () => {
  const editor = await openFile(corpusFile('gen/lt-v1-single.torrent'));
  const { page } = editor;
  await page.waitForSelector('#files [role=treeitem]');
  const found = await page.evaluate(() => {
    const own = [...document.scripts].filter((s) => s.nonce);
    return {
      policy: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'),
      nonce: own[0]?.nonce,
      ownScripts: own.map((s) => s.getAttribute('src') ?? s.text),
    };
  });
  assert.equal(found.policy, contentSecurityPolicy(WEBVIEW_ORIGIN, found.nonce));
  assert.deepEqual(found.ownScripts, [PAGE_LOAD_FAILURE_REPORT, `${WEBVIEW_ORIGIN}/editor.js`]);
  const blocked = await page.evaluate(
    () =>
      new Promise((resolve) => {
        document.addEventListener(
          'securitypolicyviolation',
          (e: any) => resolve({ directive: e.effectiveDirective, ran: window.__ran === true }),
          {
            once: true,
          },
        );
        const script = document.createElement('script');
        script.textContent = 'window.__ran = true';
        document.body.append(script);
      }),
  );
  assert.deepEqual(blocked, { directive: 'script-src-elem', ran: false });
});

test('a 100,000-file torrent shows its first rows and keeps the DOM small while scrolling', async () => {
  const editor = await openFile(bigTorrent(), { fileName: 'big.torrent' });
  const { page } = editor;
  await page.waitForSelector('#files [role=treeitem][data-id]');
  const init = editor.sent[0];
  assert.ok(init.bytes < 40_000, `the first message is ${init.bytes} bytes`);
  assert.equal(await page.textContent('[data-field="file-count"]'), '100,000 files');
  // Open the first folder (1,000 files) and the last, then walk to the end with the keyboard.
  await page.click('#files [role=treeitem][aria-level="2"] .vt-twistie');
  await page.focus('#files [role=treeitem][tabindex="0"]');
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('#files [role=treeitem].focused')?.getAttribute('aria-expanded') === 'true');
  await page.keyboard.press('End');
  await page.waitForFunction(() => document.querySelector('#files [role=treeitem].focused .label')?.textContent === 'file-099999.bin');
  for (let i = 0; i < 20; i++) await page.keyboard.press('PageUp');
  await page.waitForFunction(() => !document.querySelector('#files [role=treeitem][aria-busy]'));
  const dom = await page.evaluate(() => ({
    rows: document.querySelectorAll('#files [role=treeitem]').length,
    nodes: document.querySelectorAll('#files *').length,
    all: document.querySelectorAll('*').length,
  }));
  assert.ok(dom.rows < 100, `${dom.rows} rows in the DOM`);
  assert.ok(dom.nodes < 1_500, `${dom.nodes} nodes in the files tree`);
  const biggest = Math.max(...editor.sent.map((m) => m.bytes));
  assert.ok(biggest < 60_000, `largest message ${biggest} bytes`);
  const focused = await page.evaluate(() => {
    const row = document.activeElement as HTMLElement;
    return { role: row.getAttribute('role'), level: row.getAttribute('aria-level'), label: row.querySelector('.label')?.textContent };
  });
  assert.equal(focused.role, 'treeitem');
  assert.equal(focused.level, '3');
  assert.match(focused.label!, /^file-0\d{5}\.bin$/);
});

test('→ pressed on a row that is still loading acts when the row arrives (End, then → at once)', async () => {
  const editor = await openFile(bigTorrent(), { fileName: 'big.torrent' });
  const { page } = editor;
  await page.waitForSelector('#files [role=treeitem][data-id]');
  // Open the first folder so the list is long, then go to its end while the host is slow to send rows.
  await page.click('#files [role=treeitem][aria-level="2"] .vt-twistie');
  await page.waitForFunction(() => document.querySelectorAll('#files [role=treeitem][aria-level="3"]').length > 0);
  await page.focus('#files [role=treeitem][tabindex="0"]');
  const slow = editor.holdReplies('getRows');
  await page.keyboard.press('End');
  await page.waitForFunction(() => document.querySelector('#files [role=treeitem].focused')?.getAttribute('aria-busy') === 'true');
  await page.keyboard.press('ArrowRight');
  assert.ok(slow.held() > 0, 'the last rows were asked for and are held back');
  slow.release();
  // The last row is the last folder: → opens it once it has arrived.
  await page.waitForFunction(() => document.querySelector('#files [role=treeitem].focused')?.getAttribute('aria-expanded') === 'true');
  assert.match((await page.textContent('#files [role=treeitem].focused .label')) ?? '', /^folder-099$/);
});

test('the info-hash card opens on hover and on keyboard focus, and copies', async () => {
  const path = 'gen/lab-hybrid.torrent';
  const parsed = parseMetainfo(corpusFile(path));
  assert.ok(parsed.ok);
  const editor = await openFile(corpusFile(path));
  const { page } = editor;
  await page.waitForSelector('[data-field="infohash-v1"]');
  assert.equal(await page.isHidden('#hash-card'), true);
  await page.hover('[data-field="infohash-v1"]');
  await page.waitForSelector('#hash-card', { state: 'visible' });
  assert.equal(await page.textContent('#hash-card [data-field="card-v1-hex"]'), parsed.metainfo.infoHash.v1);
  assert.equal(await page.textContent('#hash-card [data-field="card-v2-hex"]'), parsed.metainfo.infoHash.v2);
  assert.equal(await page.textContent('#hash-card [data-field="card-v2-truncated"]'), parsed.metainfo.infoHash.v2Truncated);
  const span = await page.textContent('#hash-card [data-field="card-span"]');
  assert.ok(
    span!.includes(`${parsed.metainfo.infoSpan.start.toLocaleString('en-US')}, ${parsed.metainfo.infoSpan.end.toLocaleString('en-US')})`),
  );
  await page.click('#hash-card [data-action="copy-hash"]');
  await page.waitForFunction(() => document.querySelector('#hash-card [data-field="card-status"]')?.textContent !== '');
  assert.deepEqual(editor.clipboard, [parsed.metainfo.infoHash.v1]);
  // Away with the mouse, back with the keyboard.
  await page.mouse.move(1, 700);
  await page.waitForSelector('#hash-card', { state: 'hidden' });
  await page.focus('[data-field="infohash-v2"]');
  await page.waitForSelector('#hash-card', { state: 'visible' });
  await page.keyboard.press('Tab');
  assert.equal(
    await page.evaluate(() => document.getElementById('hash-card')!.contains(document.activeElement)),
    true,
    'Tab moves into the card',
  );
  await page.keyboard.press('Escape');
  await page.waitForSelector('#hash-card', { state: 'hidden' });
  assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.field), 'infohash-v2');
});

test('a non-canonical info dictionary: the card warns and shows the re-encoded hash', async () => {
  const path = 'gen/hand-noncanonical-unsorted-keys.torrent';
  const parsed = parseMetainfo(corpusFile(path));
  assert.ok(parsed.ok && parsed.metainfo.reencodedInfoHashV1);
  const { page } = await openFile(corpusFile(path));
  await page.focus('[data-field="infohash-v1"]');
  await page.waitForSelector('#hash-card [data-field="card-noncanonical"]', { state: 'visible' });
  assert.equal(await page.textContent('#hash-card [data-field="card-reencoded-v1"]'), parsed.metainfo.reencodedInfoHashV1);
});

test('a malformed torrent shows the error with its byte offset and the partial raw tree', async () => {
  const { page } = await openFile(corpusFile('bad/int-leading-zero.torrent'));
  await page.waitForSelector('#error', { state: 'visible' });
  assert.match((await page.textContent('#error [data-field="error-message"]'))!, /invalid integer at byte 60: leading zero/);
  assert.equal(await page.getAttribute('#error [data-offset]', 'data-offset'), '60');
  await page.waitForSelector('#raw [role=treeitem]');
  assert.equal(await page.getAttribute('#tab-raw', 'aria-selected'), 'true');
  await page.click('#error [data-offset]');
  await page.waitForFunction(() => document.activeElement?.closest('#raw') !== null);
  const focusedSpan = await page.evaluate(() => document.activeElement?.querySelector('.span')?.textContent);
  assert.equal(focusedSpan, '[51, 60)', 'the info dictionary, open when decoding stopped');
});

test('tracker rows: keyboard reaches the Announce button, which runs the command for the real URL', async () => {
  const path = 'gen/lt-v1-tiers.torrent';
  const parsed = parseMetainfo(corpusFile(path));
  assert.ok(parsed.ok);
  const editor = await openFile(corpusFile(path));
  const { page } = editor;
  await page.click('#tab-trackers');
  await page.waitForSelector('#trackers [role=treeitem][aria-level="2"]');
  await page.focus('#trackers [role=treeitem][tabindex="0"]');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.action), 'announce');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.getElementById('toast')?.textContent !== '');
  assert.deepEqual(editor.trackerCommands, [{ command: 'announce', target: { url: parsed.metainfo.trackers[0][0] } }]);
});

test('state saved by the webview restores the tab, expansion and scroll position', async () => {
  const bytes = bigTorrent({ files: 5000, pieceCount: 48_925 });
  const first = await openFile(bytes);
  await first.page.waitForSelector('#files [role=treeitem][data-id]');
  await first.page.click('#files [role=treeitem][aria-level="2"] .vt-twistie');
  await first.page.focus('#files [role=treeitem][tabindex="0"]');
  await first.page.keyboard.press('PageDown');
  await first.page.keyboard.press('PageDown');
  await first.page.waitForTimeout(400);
  const state = await first.page.evaluate(() => window.__savedState);
  const label = await first.page.textContent('#files [role=treeitem].focused .label');
  const scrollTop = await first.page.$eval('#files [role=tree]', (tree: HTMLElement) => tree.scrollTop);
  assert.ok(scrollTop > 0);
  const second = await openFile(bytes, { state });
  await second.page.waitForSelector('#files [role=treeitem].focused[data-id]');
  assert.equal(await second.page.textContent('#files [role=treeitem].focused .label'), label);
  // The same first row in view (restored to the row's top edge).
  const restored = await second.page.$eval('#files [role=tree]', (tree: HTMLElement) => tree.scrollTop);
  assert.equal(Math.floor(restored / ROW_HEIGHT), Math.floor(scrollTop / ROW_HEIGHT));
  // A file inside the first folder: that folder is open again.
  assert.equal(await second.page.getAttribute('#files [role=treeitem].focused', 'aria-level'), '3');
  assert.match(label!, /^file-\d+\.bin$/);
});

test('a change on disk re-renders in place; a deleted file says so and keeps showing the last version', async () => {
  const make = (name: string, files: number) =>
    encode({
      info: {
        name,
        'piece length': 16384,
        pieces: new Uint8Array(20),
        files: Array.from({ length: files }, (_, i) => ({ length: 1, path: ['dir', `f${i}`] })),
      },
    });
  const editor = await openFile(make('before', 2));
  const { page } = editor;
  await page.waitForSelector('#files [role=treeitem][data-id]');
  await page.click('#files [role=treeitem][aria-level="2"] .vt-twistie');
  await page.waitForSelector('#files [role=treeitem][aria-level="3"]');
  await editor.replaceFile(make('after', 3));
  await page.waitForFunction(() => document.querySelector('[data-field="name"] .text')?.textContent === 'after');
  assert.match((await page.textContent('#banner'))!, /changed on disk/);
  await page.waitForFunction(() => document.querySelectorAll('#files [role=treeitem][aria-level="3"]').length === 3);
  assert.equal(await page.getAttribute('body', 'data-version'), '2');
  await editor.emit({ type: 'fileDeleted' });
  await page.waitForFunction(() => /deleted on disk/.test(document.getElementById('banner')?.textContent ?? ''));
  assert.equal(await page.isVisible('#banner'), true);
  assert.equal(await page.textContent('[data-field="name"] .text'), 'after');
});
