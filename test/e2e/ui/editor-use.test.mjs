// The editor as people use it, in a real VS Code at two window sizes (1440×900 and 1024×768, one VS Code
// resized between them): finding, sorting and copying files in a 100,000-file torrent, row menus and
// Enter, the layout in a wide and a narrow (split) editor, the hash card, problems in VS Code's Problems
// view and back, Ctrl+Alt+C with the Explorer focused, copies of a private torrent with and without its
// secrets, web links through VS Code's confirmation, Open as Text, and the small words. Pictures of each
// step go to test-results/use-<size>-<step>.png.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { closeAllEditors, elementCount, grouped, openTorrent, treeRows, waitForRows, webviewShot } from '../lib/editor.mjs';
import { commandLabel, corpus, startWorkbench } from '../lib/harness.mjs';
import { importSource, writeManyFilesTorrent } from '../lib/torrents.mjs';

/** @typedef {import('../lib/harness.mjs').Workbench} Workbench */
/** @typedef {import('playwright-core').Frame} Frame */

const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
];
const PASSKEY = '0123456789abcdef0123456789abcdef';
const TRACKER = `http://tracker.example:8080/${PASSKEY}/announce`;
const COMMENT_LINK = 'https://example.org/notes';
// Not on this machine: VS Code opens localhost links without asking.
const SEED_LINK = 'https://seed.example/files/';

/** @type {Workbench} */
let wb;
let scratch = '';
/** @type {{ fileCount: number, names: { path: string, length: number }[] }} */
let many;
/** What the project's own parser says of the showcase torrent (its warning, its info hash). */
let showcase;
/** @type {(bytes: number) => string} */
let exactBytes;

before(async () => {
  const { encode } = await importSource('src/core/bencode/decode.ts');
  const { parseMetainfo } = await importSource('src/core/metainfo/parse.ts');
  ({ exactBytes } = await importSource('src/shared/format.ts'));
  scratch = mkdtempSync(join(tmpdir(), 'torrent-lens-ui-use-'));

  // A private torrent with a passkey, a comment with links (and a script URL that must stay text), a
  // web seed, long names, and a path that leaves the download folder (a warning with a byte offset).
  const files = [
    { length: 300_000, path: ['videos', 'episode-01-the-beginning-of-a-long-story.mkv'] },
    { length: 200_000, path: ['videos', 'episode-02.mkv'] },
    { length: 1000, path: ['subtitles', 'english-and-some-more-words.srt'] },
    { length: 12, path: ['..', 'escape.txt'] },
    { length: 130_000, path: ['readme.txt'] },
  ];
  const total = files.reduce((sum, f) => sum + f.length, 0);
  const bytes = encode({
    announce: TRACKER,
    comment: `Release notes at ${COMMENT_LINK} (a mirror: ${SEED_LINK}). Not a link: javascript:alert(1).`,
    'created by': 'Torrent Lens tests',
    'creation date': 1_700_000_000,
    'url-list': [SEED_LINK],
    info: {
      name: 'payload-with-a-rather-long-name-2024',
      'piece length': 16_384,
      private: 1,
      pieces: Buffer.alloc(Math.ceil(total / 16_384) * 20, 3),
      files,
    },
  });
  writeFileSync(join(scratch, 'showcase.torrent'), bytes);
  const parsed = parseMetainfo(new Uint8Array(bytes));
  assert.ok(parsed.ok, 'the showcase torrent parses');
  showcase = { ...parsed.metainfo, size: bytes.length };
  assert.equal(showcase.diagnostics.length, 1, 'the showcase torrent has one warning');

  const manyPath = join(scratch, 'many-files.torrent');
  const shape = await writeManyFilesTorrent(manyPath);
  // The same names and sizes as writeManyFilesTorrent, for the expected matches.
  many = {
    fileCount: shape.fileCount,
    names: Array.from({ length: shape.fileCount }, (_, i) => ({
      path: `folder-${String(i % 100).padStart(2, '0')}/sub-${(i >> 7) % 10}/file-${String(i).padStart(6, '0')}.bin`,
      length: 1 + ((i * 7919) % 250_000),
    })),
  };
  writeFileSync(join(scratch, 'note.txt'), 'a file in a folder, for the Explorer');

  wb = await startWorkbench({
    name: 'ui-editor-use',
    files: {
      'showcase.torrent': join(scratch, 'showcase.torrent'),
      'many-files.torrent': manyPath,
      'hybrid.torrent': corpus('gen/lt-hybrid-multi.torrent'),
      'hybrid-single.torrent': corpus('gen/lt-hybrid-single.torrent'),
      'not-a-torrent.torrent': corpus('bad/html-page.torrent'),
      ...Object.fromEntries(SIZES.map((s) => [`as-text-${s.width}x${s.height}.torrent`, corpus('gen/lt-v1-multi-nested.torrent')])),
      'docs/note.txt': join(scratch, 'note.txt'),
    },
  });
});

after(async () => {
  await wb?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

for (const size of SIZES) {
  const at = `${size.width}x${size.height}`;
  /** A picture of the editor's webview (or `frame`'s), named for this window size. */
  const shot = (name, frame) => webviewShot(wb, `use-${at}-${name}`, { frame });

  describe(`at ${size.width}×${size.height}`, () => {
    before(async () => {
      await wb.page.setViewportSize(size);
      await closeAllEditors(wb).catch(() => {});
    });
    // Each test starts from an empty editor area, whatever the one before left open.
    afterEach(() => closeAllEditors(wb).catch(() => {}));

    test('files: the filter finds files by name or path at once, shows them in their folders, and Escape clears it', async () => {
      const frame = await openTorrent(wb, 'many-files.torrent');
      await waitForRows(frame, 'files', (rows) => rows.length > 20, 'the first rows');
      const plainRows = await treeRows(frame, 'files');

      // Ctrl+F from the tree puts the cursor in the filter.
      await frame.locator('#files [role=treeitem][data-id="0.0"] .label').click();
      await wb.page.keyboard.press('Control+F');
      assert.equal(await focusedField(frame), 'files-filter', 'Ctrl+F goes to the filter');
      const query = 'file-00012';
      const expected = many.names.filter((f) => f.path.includes(query));
      await wb.page.keyboard.type(query);
      const typed = Date.now();
      await frame.locator('[data-field=files-matches]', { hasText: `${expected.length} matches` }).waitFor();
      console.log(`      ${at}: "${query}" in ${grouped(many.fileCount)} files: ${Date.now() - typed} ms from the last key to the count`);
      // The matches in view come first in the order of the data, each under its open folders; End reaches the last.
      const rows = await waitForRows(frame, 'files', (r) => r.some((row) => row.level === 4), 'the matches');
      const shown = rows.filter((r) => r.level === 4);
      assert.deepEqual(
        shown.map((r) => r.label),
        expected.slice(0, shown.length).map((f) => f.path.split('/').at(-1)),
        'the matches, in the order of the data',
      );
      assert.ok(
        rows.filter((r) => r.level < 4).every((r) => r.expanded === true),
        'the folders that lead to a match are open',
      );
      assert.equal(await frame.locator('#files [role=treeitem] .label .match', { hasText: query }).count(), shown.length, 'marked');
      await shot('filter', frame);
      await frame.locator('#files [role=treeitem][data-id="0"] .label').click();
      await wb.page.keyboard.press('End');
      const end = await waitForRows(frame, 'files', (r) => r.some((row) => row.focused && row.level === 4), 'the last match');
      const last = end.find((r) => r.focused);
      assert.equal(last?.label, expected.at(-1)?.path.split('/').at(-1), 'the last match');
      // The rows: the torrent's folder, then each folder and subfolder that holds a match, and the matches.
      const folders = new Set(expected.flatMap((f) => [f.path.split('/')[0], f.path.split('/').slice(0, 2).join('/')]));
      assert.equal(last?.index, 1 + folders.size + expected.length - 1, 'the matches and the folders they are in, nothing else');
      await frame.locator('[data-field=files-filter]').focus();

      // Escape clears it: the tree is as it was.
      await wb.page.keyboard.press('Escape');
      await frame.locator('[data-field=files-matches]', { hasText: /^$/ }).waitFor({ state: 'attached' });
      await waitForRows(
        frame,
        'files',
        (r) => r.length === plainRows.length && r.every((row, i) => row.id === plainRows[i].id),
        'the tree without a filter',
      );

      // Typing in the tree starts a filter too, across folders: `sub-3/file-0004` is part of a path.
      await frame.locator('#files [role=treeitem][data-id="0.0"] .label').click();
      await wb.page.keyboard.type('sub-3/file-0004');
      const pathMatches = many.names.filter((f) => f.path.includes('sub-3/file-0004')).length;
      assert.ok(pathMatches > 0);
      await frame.locator('[data-field=files-matches]', { hasText: `${pathMatches} match` }).waitFor();
      assert.equal(await frame.locator('[data-field=files-filter]').inputValue(), 'sub-3/file-0004');
      await frame.locator('[data-field=files-filter]').fill('');
      await frame.locator('[data-field=files-filter]').press('Enter');
      await frame.locator('[data-field=files-matches]', { hasText: /^$/ }).waitFor({ state: 'attached' });
      assert.deepEqual(wb.dialogs, []);
    });

    test('files: sort by size, Expand All and Collapse All over 100,000 files keep the DOM small', async () => {
      const frame = await openTorrent(wb, 'many-files.torrent');
      await frame.locator('[data-field=files-sort]').selectOption('size');
      const bySize = await waitForRows(frame, 'files', (r) => r.length > 20 && r[1]?.label !== 'folder-00', 'folders by size');
      const sizes = bySize.filter((r) => r.level === 2).map((r) => Number(r.detailTitle.replace(/[^\d].*$/s, '').replace(/,/g, '')));
      assert.ok(sizes.length > 10, 'top folders shown');
      assert.ok(
        sizes.every((s, i) => i === 0 || sizes[i - 1] >= s),
        `largest first: ${sizes.slice(0, 8).join(', ')}…`,
      );
      await frame.locator('[data-field=files-sort]').selectOption('torrent');
      await waitForRows(frame, 'files', (r) => r[1]?.label === 'folder-00', 'the torrent order again');

      await frame.locator('[data-action=expand-all]').click();
      const pairs = new Set(many.names.map((f) => f.path.split('/').slice(0, 2).join('/'))).size;
      const total = 1 + 100 + pairs + many.fileCount;
      await frame.locator('#files [role=treeitem][data-id="0.0"] .label').click();
      await wb.page.keyboard.press('End');
      let rows = await waitForRows(
        frame,
        'files',
        (r) => r.some((row) => row.focused && row.index === total - 1 && row.label !== ''),
        'the last of every row',
      );
      assert.equal(rows.find((r) => r.focused)?.level, 4, 'the last row is a file');
      assert.ok((await frame.locator('[role=treeitem]').count()) < 300, 'few rows in the DOM');
      assert.ok((await elementCount(frame)) < 3000, 'few elements in the DOM');
      await shot('expand-all', frame);
      await frame.locator('[data-action=collapse-all]').click();
      await wb.page.keyboard.press('End');
      // A row can be in view before its content arrives from the host: wait for its label too.
      rows = await waitForRows(
        frame,
        'files',
        (r) => r.some((row) => row.focused && row.index === 100 && row.label !== ''),
        'the last top folder',
      );
      assert.equal(rows.find((r) => r.focused)?.label, 'folder-99');
      await closeAllEditors(wb);
    });

    test('files: Ctrl+C copies a path, the row menu (Shift+F10, right-click) copies a name, and Enter opens the menu, not the Raw tab', async () => {
      const frame = await openTorrent(wb, 'showcase.torrent');
      await waitForRows(frame, 'files', (r) => r.length >= 4, 'the first rows');
      const videos = (await treeRows(frame, 'files')).find((r) => r.label === 'videos');
      assert.ok(videos);
      await frame.locator(`#files [role=treeitem][data-id="${videos.id}"] .vt-twistie`).click();
      const file = await frame.locator('#files [role=treeitem]', { hasText: 'episode-02.mkv' });
      await file.locator('.label').click();
      const name = showcase.name.text;
      const before = await clipboardMarker();
      await wb.page.keyboard.press('Control+C');
      assert.equal(await wb.clipboardChange(before), `${name}/videos/episode-02.mkv`, 'Ctrl+C copies the path');

      await wb.page.keyboard.press('Shift+F10');
      const menu = frame.locator('.popup-menu');
      await menu.waitFor();
      assert.deepEqual(await menu.locator('[role=menuitem] .menu-label').allTextContents(), ['Copy Path', 'Copy Name', 'Show in Raw Tree']);
      assert.equal(await frame.evaluate(() => document.activeElement?.getAttribute('data-item')), 'copy', 'focus on the first item');
      await shot('row-menu', frame);
      await wb.page.keyboard.press('ArrowDown');
      const marker = await clipboardMarker();
      await wb.page.keyboard.press('Enter');
      assert.equal(await wb.clipboardChange(marker), 'episode-02.mkv', 'the menu copies the name');
      assert.equal(await menu.isVisible(), false);

      await file.locator('.label').click({ button: 'right' });
      await menu.waitFor();
      await wb.page.keyboard.press('Escape');
      await menu.waitFor({ state: 'hidden' });

      await file.locator('.label').click();
      await wb.page.keyboard.press('Enter');
      await menu.waitFor();
      assert.equal(await frame.getAttribute('#tab-files', 'aria-selected'), 'true', 'Enter on a file keeps the Files tab');
      await wb.page.keyboard.press('Escape');
      assert.equal(
        await frame.evaluate(() => document.activeElement?.closest('[role=treeitem]')?.textContent?.includes('episode-02')),
        true,
      );

      // A tracker row: Enter offers what its buttons do; its URL copies with or without the passkey.
      await frame.locator('#tab-trackers').click();
      await waitForRows(frame, 'trackers', (r) => r.some((row) => row.level === 2), 'the tracker row');
      await frame.locator('#trackers [role=treeitem][aria-level="2"] .label').click();
      await wb.page.keyboard.press('Enter');
      await menu.waitFor();
      assert.deepEqual(await menu.locator('[role=menuitem] .menu-label').allTextContents(), [
        'Announce to This Tracker',
        'Scrape This Tracker',
        'Copy URL',
        'Copy URL with Its Secrets',
        // The torrent can be edited: its tracker's edits follow (its only tracker has nowhere to move).
        'Edit URL',
        'Remove Tracker',
      ]);
      assert.match(
        (await menu.locator('[data-item=copyWithSecrets] .menu-note').textContent()) ?? '',
        /Anyone who has it can announce as you/,
      );
      await shot('tracker-menu', frame);
      let mark = await clipboardMarker();
      await menu.locator('[data-item=copy]').click();
      assert.equal(await wb.clipboardChange(mark), TRACKER.replace(PASSKEY, '[redacted]'), 'the safe copy hides the passkey');
      await frame.locator('#trackers [role=treeitem][aria-level="2"] .label').click({ button: 'right' });
      mark = await clipboardMarker();
      await menu.locator('[data-item=copyWithSecrets]').click();
      assert.equal(await wb.clipboardChange(mark), TRACKER, 'copy with secrets keeps it');
      await closeAllEditors(wb);
    });

    test('layout: hashes on one line, one row of tabs, whole problem lines, a folding overview, and names that stay readable when split', async () => {
      let frame = await openTorrent(wb, 'showcase.torrent');
      await waitForRows(frame, 'files', (r) => r.length >= 4, 'the first rows');
      const layout = await frame.evaluate(() => {
        const box = (e) => e.getBoundingClientRect();
        const hash = /** @type {HTMLElement} */ (document.querySelector('[data-field=infohash-v1]'));
        const overview = box(document.getElementById('overview'));
        return {
          hashLines: hash.getClientRects().length,
          hashHeight: box(hash).height,
          tabTops: new Set(Array.from(document.querySelectorAll('.tab'), (t) => Math.round(box(t).top))).size,
          problems: Array.from(document.querySelectorAll('.diagnostic'), (d) => ({
            height: box(d).height,
            inside: box(d).top >= overview.top && box(d).bottom <= overview.bottom + 0.5,
          })),
        };
      });
      assert.equal(layout.hashLines, 1, 'the hash is one line');
      assert.ok(layout.hashHeight < 26, `the hash is one line high: ${layout.hashHeight}`);
      assert.equal(layout.tabTops, 1, 'the tabs are one row');
      assert.ok(layout.problems.length > 0, 'the overview lists the problem');
      for (const p of layout.problems) assert.ok(p.height < 26 && p.inside, `a problem is one whole line: ${JSON.stringify(p)}`);
      await shot('overview', frame);

      // The overview folds to one line; the tree gets the room.
      const treeHeight = () => frame.locator('#files-tree').evaluate((e) => e.clientHeight);
      const tall = await treeHeight();
      await frame.locator('[data-action=toggle-overview]').click();
      await frame.locator('[data-field=overview-summary]').waitFor();
      assert.match(
        (await frame.locator('[data-field=overview-summary]').textContent()) ?? '',
        /payload-with-a-rather-long-name-2024 · v1 · .* in 5 files/,
      );
      assert.equal(await frame.locator('[data-field=overview-summary] [data-action=show-problems]').textContent(), '1 warning');
      assert.ok((await treeHeight()) > tall, 'the tree is taller with the overview folded');
      await shot('overview-folded', frame);
      await frame.locator('[data-action=toggle-overview]').click();
      await frame.locator('[data-field=name]').waitFor();

      // Split: two narrow editors of the same torrent.
      await wb.runCommand('View: Split Editor Right');
      await wb.page.waitForFunction(() => document.querySelectorAll('iframe.webview.ready').length >= 2);
      const frames = await editorFrames('showcase.torrent', 2);
      frame = frames[0].frame;
      await waitForRows(frame, 'files', (r) => r.length >= 4, 'the rows of the split editor');
      const narrow = await frame.evaluate(() => {
        const box = (e) => e.getBoundingClientRect();
        const hash = /** @type {HTMLElement} */ (document.querySelector('[data-field=infohash-v1]'));
        return {
          width: document.documentElement.clientWidth,
          tabTops: new Set(Array.from(document.querySelectorAll('.tab'), (t) => Math.round(box(t).top))).size,
          hashLines: hash.getClientRects().length,
          hashCut: hash.scrollWidth > hash.clientWidth,
          rows: Array.from(document.querySelectorAll('#files [role=treeitem][data-id]'), (row) => {
            const label = /** @type {HTMLElement} */ (row.querySelector('.label'));
            const detail = row.querySelector('.detail');
            const pieces = row.querySelector('.column-pieces');
            return {
              text: label.textContent,
              shown: box(label).width,
              whole: label.scrollWidth,
              em: parseFloat(getComputedStyle(label).fontSize),
              detailInside: !detail || box(detail).right <= box(row).right + 0.5,
              piecesShown: pieces ? getComputedStyle(pieces).display !== 'none' : false,
            };
          }),
        };
      });
      assert.ok(narrow.width < 560, `the split editor is narrow: ${narrow.width} px`);
      assert.equal(narrow.tabTops, 1, 'the tabs stay one row');
      assert.equal(narrow.hashLines, 1, 'the hash stays one line');
      for (const row of narrow.rows) {
        // A name gets at least 10 characters' room (or all it needs) before anything else keeps its width.
        assert.ok(row.shown + 0.5 >= Math.min(row.whole, 10 * 0.55 * row.em), `${row.text}: ${row.shown} of ${row.whole} px`);
        assert.ok(row.detailInside, `${row.text}: the size is inside the row`);
        assert.equal(row.piecesShown, false, `${row.text}: no pieces column in a narrow tree`);
      }
      await shot('split-narrow', frame);
      // A hash cut short shows whole in the card, and its button copies it whole.
      if (narrow.hashCut) {
        await frame.locator('[data-field=infohash-v1]').hover();
        await frame.locator('#hash-card [data-field=card-v1-hex]').waitFor();
        assert.equal(await frame.textContent('#hash-card [data-field=card-v1-hex]'), showcase.infoHash.v1);
        await wb.page.mouse.move(2, 2);
      }
      const mark = await clipboardMarker();
      await frame.locator('[data-action=copy-infohash-v1]').click();
      assert.equal(await wb.clipboardChange(mark), showcase.infoHash.v1, 'the button beside the hash copies it whole');
      await closeAllEditors(wb);
    });

    test('the hash card opened from the v1 hash leaves the v2 hash in view', async () => {
      const frame = await openTorrent(wb, 'hybrid.torrent');
      await frame.locator('[data-field=infohash-v1]').hover();
      const card = frame.locator('#hash-card');
      await card.waitFor();
      const [cardBox, v2Box] = [await card.boundingBox(), await frame.locator('[data-field=infohash-v2]').boundingBox()];
      assert.ok(cardBox && v2Box);
      const overlap = cardBox.y < v2Box.y + v2Box.height && v2Box.y < cardBox.y + cardBox.height;
      assert.equal(overlap, false, `the card ${JSON.stringify(cardBox)} does not cover v2 ${JSON.stringify(v2Box)}`);
      await shot('hash-card', frame);
      await wb.page.mouse.move(2, 2);
      await closeAllEditors(wb);
    });

    test("problems: in VS Code's Problems view and the status bar; the problem's link opens the torrent at its byte; gone with the editor", async () => {
      const warning = showcase.diagnostics[0];
      const frame = await openTorrent(wb, 'showcase.torrent');
      await wb.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
      const marker = wb.page.locator('.markers-panel .monaco-list-row', { hasText: warning.message });
      await marker.waitFor();
      assert.match((await marker.textContent()) ?? '', new RegExp(`byte ${grouped(warning.offset)}`));
      assert.deepEqual(await statusProblems(), { errors: 0, warnings: 1 }, 'the status bar counts the warning');
      await wb.screenshot(`use-${at}-problems-view`);

      // Away from the problem (the Files tab), then the link: the raw tree at the problem's byte.
      await frame.locator('#tab-files').click();
      await marker.locator('a.monaco-link').click();
      await frame.locator('#tab-raw[aria-selected=true]').waitFor();
      const span = await frame.waitForFunction(
        () => document.activeElement?.closest('#raw') && document.activeElement.querySelector('.span')?.textContent,
      );
      const [start, end] = String(await span.jsonValue())
        .replace(/[[),]/g, (c) => (c === ',' ? '' : ' '))
        .trim()
        .split(/\s+/)
        .map(Number);
      assert.ok(start <= warning.offset && warning.offset < end, `byte ${warning.offset} is in the focused row [${start}, ${end})`);
      await shot('problem-revealed', frame);

      // A file that is no torrent: its error counts on its Problems tab and in VS Code's, in words only.
      const failed = await openTorrent(wb, 'not-a-torrent.torrent');
      const { parseMetainfo } = await importSource('src/core/metainfo/parse.ts');
      const failure = parseMetainfo(new Uint8Array(readFileSync(corpus('bad/html-page.torrent')))).failure;
      assert.equal(await failed.textContent('#tab-problems .count'), '1');
      assert.ok(!((await failed.locator('body').innerText()) ?? '').includes(failure.code), `no "${failure.code}" on screen`);
      await wb.page.locator('.markers-panel .monaco-list-row', { hasText: failure.message }).waitFor();
      await shot('not-a-torrent', failed);

      await closeAllEditors(wb);
      await wb.page.locator('.markers-panel', { hasText: 'No problems have been detected' }).waitFor();
      assert.deepEqual(await statusProblems(), { errors: 0, warnings: 0 }, 'no problems once the editors are closed');
      await wb.runCommand('View: Hide Panel');
    });

    test('Ctrl+Alt+C copies the info hash in the editor, and leaves Copy Path to the Explorer', async () => {
      const frame = await openTorrent(wb, 'showcase.torrent');
      await wb.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'docs' }).first().click();
      let mark = await clipboardMarker();
      await wb.page.keyboard.press('Control+Alt+C');
      assert.match(await wb.clipboardChange(mark), /\/docs$/, "the Explorer's Copy Path");
      await frame.locator('#files [role=treeitem] .label').first().click();
      mark = await clipboardMarker();
      await wb.page.keyboard.press('Control+Alt+C');
      assert.equal(await wb.clipboardChange(mark), showcase.infoHash.v1, 'the info hash, in the editor');
      await closeAllEditors(wb);
    });

    test('a private torrent: Copy magnet hides the passkey, Copy Magnet Link with Secrets keeps it and says why to be careful', async () => {
      const frame = await openTorrent(wb, 'showcase.torrent');
      let mark = await clipboardMarker();
      await frame.locator('.toolbar [data-action=copy-magnet]').click();
      const safe = await wb.clipboardChange(mark);
      assert.ok(!safe.includes(PASSKEY) && safe.startsWith('magnet:?'), safe);
      await frame.locator('.toolbar [data-action=copy-magnet-menu]').click();
      const menu = frame.locator('.popup-menu');
      await menu.waitFor();
      assert.match(
        (await menu.locator('[data-item=magnetWithSecrets]').textContent()) ?? '',
        /with Secrets.*Anyone who has it can announce as you/,
      );
      await shot('magnet-menu', frame);
      mark = await clipboardMarker();
      await menu.locator('[data-item=magnetWithSecrets]').click();
      const secret = await wb.clipboardChange(mark);
      assert.ok(new URLSearchParams(secret.slice('magnet:?'.length)).getAll('tr').includes(TRACKER), secret);
      await frame.locator('#toast', { hasText: /Anyone who has it can announce as you/ }).waitFor();
      await closeAllEditors(wb);
    });

    test("web links in the comment and the web seeds open through VS Code's confirmation; other text stays text", async () => {
      const frame = await openTorrent(wb, 'showcase.torrent');
      const links = frame.locator('[data-field=comment] .web-link');
      assert.deepEqual(await links.allTextContents(), [COMMENT_LINK, SEED_LINK], 'the http(s) URLs are links');
      assert.ok(((await frame.textContent('[data-field=comment]')) ?? '').includes('javascript:alert(1)'), 'the script URL is text');
      await links.first().click();
      await confirmExternal(COMMENT_LINK, `use-${at}-link-dialog`);
      await frame.locator('#tab-webseeds').click();
      await waitForRows(frame, 'webseeds', (r) => r.length === 1, 'the web seed');
      await frame.locator('#webseeds [role=treeitem] [data-action=open]').click();
      await confirmExternal(SEED_LINK);
      assert.equal(wb.page.context().pages().length, 1, 'nothing opened without the user saying so');
      await closeAllEditors(wb);
    });

    test('Open as Text reopens the torrent in its place: one tab of the file, in the text editor', async () => {
      // A file of its own for each window size: VS Code opens a file again in the editor it was last reopened with.
      const file = `as-text-${at}.torrent`;
      await openTorrent(wb, file);
      await wb.runCommand(commandLabel('torrentLens.openAsText'));
      // The text editor, or its notice that the file looks binary (with VS Code's own "Open Anyway").
      await wb.page.locator('.editor-instance .monaco-editor, .editor-instance .monaco-editor-pane-placeholder').first().waitFor();
      await waitUntil('the Torrent Lens editor of the file to close', async () => (await editorsShowing(file)).length === 0);
      const tab = wb.page.locator(`.tabs-container .tab[data-resource-name="${file}"]`);
      await tab.first().waitFor();
      await wb.page.waitForTimeout(500);
      assert.equal(await tab.count(), 1, 'one tab of the file');
      await wb.screenshot(`use-${at}-open-as-text`);
    });

    test('small words: one piece layer, byte spans written one way, exact byte counts', async () => {
      const frame = await openTorrent(wb, 'hybrid-single.torrent');
      assert.equal(await frame.textContent('[data-field=piece-layers]'), ' · 1 piece layer');
      const bytes = readFileSync(join(wb.sandbox.workspace, 'hybrid-single.torrent')).length;
      assert.equal(await frame.textContent('[data-field=file-size]'), exactBytes(bytes));
      await frame.locator('#tab-raw').click();
      await frame.locator('[data-action=reveal-info]').click();
      await frame.locator('#tab-raw[aria-selected=true]').waitFor();
      await waitForRows(frame, 'raw', (r) => r.length > 5, 'the raw rows');
      // Rows still loading (just expanded by Reveal) have no span yet: wait until the rows in view have theirs.
      const showSpans = () => {
        const rows = document.querySelectorAll('#raw [role=treeitem]').length;
        return rows > 5 && document.querySelectorAll('#raw [role=treeitem] .span').length >= rows - 1;
      };
      assert.ok(
        await frame.waitForFunction(showSpans, undefined, { timeout: 10_000 }).then(
          () => true,
          () => false,
        ),
        'raw rows show their spans',
      );
      const spans = await frame.locator('#raw [role=treeitem] .span').allTextContents();
      for (const span of spans) assert.match(span, /^\[\d{1,3}(,\d{3})*, \d{1,3}(,\d{3})*\)$/, `a span as formatSpan writes it: ${span}`);
      await shot('raw-spans', frame);
      await closeAllEditors(wb);
    });
  });
}

/** The Torrent Lens webviews on screen that show `fileName`, with their widths. */
async function editorsShowing(fileName) {
  const found = [];
  for (const frame of wb.page.frames()) {
    const shown = await frame.evaluate(() => document.querySelector('[data-field=file-name]')?.textContent ?? null).catch(() => null);
    if (shown !== fileName) continue;
    const width = await frame.evaluate(() => document.documentElement.clientWidth).catch(() => 0);
    if (width > 0) found.push({ frame, width });
  }
  return found;
}

/** The webviews showing `fileName`, narrowest first, once there are `count` of them. */
async function editorFrames(fileName, count) {
  let found = [];
  await waitUntil(`${count} editors of ${fileName}`, async () => (found = await editorsShowing(fileName)).length >= count);
  return found.sort((a, b) => a.width - b.width);
}

async function waitUntil(what, check, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The element with focus in the frame, by its data-field. */
function focusedField(frame) {
  return frame.evaluate(() => document.activeElement?.getAttribute('data-field') ?? document.activeElement?.tagName ?? '');
}

/** Puts a fresh marker on the clipboard and returns it, so that a copy that does nothing cannot pass. */
async function clipboardMarker() {
  const marker = `marker-${Math.random().toString(36).slice(2)}`;
  await wb.page.evaluate((text) => navigator.clipboard.writeText(text), marker);
  return marker;
}

/** The problem counts of the status bar: `{ errors, warnings }`. */
async function statusProblems() {
  const text = (await wb.page.locator('[id="status.problems"]').textContent()) ?? '';
  const [errors, warnings] = text.trim().split(/\s+/).map(Number);
  return { errors, warnings };
}

/** VS Code asks before it opens an external link: the dialog names the URL; Cancel it. */
async function confirmExternal(url, picture) {
  const dialog = wb.page.locator('.monaco-dialog-box', { hasText: url });
  await dialog.waitFor();
  assert.match((await dialog.textContent()) ?? '', /open the external website/);
  if (picture) await wb.screenshot(picture);
  await dialog.locator('.dialog-buttons a, .dialog-buttons button', { hasText: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
}
