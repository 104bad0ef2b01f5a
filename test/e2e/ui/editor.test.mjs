// The Torrent Lens editor in a real VS Code: corpus torrents opened from Quick Open and read from inside
// the webview (overview, hashes, file tree), the info-hash card by mouse and keyboard with its copy
// actions, a 100,000-file torrent, malformed files, and torrents whose strings are HTML and script.
// One workbench serves every test here; each test closes the editors it opened.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import magnet from 'magnet-uri';
import {
  base32OfHex,
  childRows,
  closeAllEditors,
  elementCount,
  expandRow,
  fileBytes,
  grouped,
  installScriptTraps,
  openTorrent,
  scriptTraps,
  treeRows,
  truthText,
  waitForRows,
  webviewShot,
} from '../lib/editor.mjs';
import { corpus, corpusDir, corpusTruth, startWorkbench } from '../lib/harness.mjs';
import { importSource } from '../lib/torrents.mjs';

/** @typedef {import('../lib/harness.mjs').Workbench} Workbench */
/** @typedef {import('../lib/editor.mjs').TreeRow} TreeRow */

const truth = corpusTruth();
/** @type {{ file: string, source: string, single: boolean, version: RegExp }[]} */
const KINDS = [
  { file: 'v1-multi.torrent', source: 'gen/lt-v1-multi-nested.torrent', single: false, version: /^v1$/ },
  { file: 'hybrid.torrent', source: 'gen/lt-hybrid-multi.torrent', single: false, version: /^hybrid \(v1 \+ v2\) · meta version 2$/ },
  { file: 'v2-only.torrent', source: 'gen/lt-v2-only-multi.torrent', single: false, version: /^v2 only \(BEP 52\) · meta version 2$/ },
  { file: 'latin1-name.torrent', source: 'gen/hand-latin1-name.torrent', single: true, version: /^v1$/ },
];
const MALFORMED = ['bad/int-leading-zero.torrent', 'bad/huge-length-prefix.torrent'];
const INJECTION = readdirSync(join(corpusDir, 'gen'))
  .filter((name) => name.includes('injection'))
  .map((name) => `gen/${name}`);
const MANY_FILES = 100_000;

/** @type {Workbench} */
let wb;
let scratch = '';
/** @type {(bytes: number) => string} */
let formatSize;
/** @type {(bytes: Uint8Array) => any} */
let parseMetainfo;

before(async () => {
  assert.ok(INJECTION.length >= 3, 'the corpus has its injection torrents');
  ({ formatSize } = await importSource('src/shared/format.ts'));
  ({ parseMetainfo } = await importSource('src/core/metainfo/parse.ts'));
  scratch = mkdtempSync(join(tmpdir(), 'torrent-lens-ui-editor-'));
  const many = join(scratch, 'many-files.torrent');
  await writeFlatTorrent(many, MANY_FILES);
  /** @type {Record<string, string>} */
  const files = { 'many-files.torrent': many };
  for (const kind of KINDS) files[kind.file] = corpus(kind.source);
  for (const path of [...MALFORMED, ...INJECTION]) files[path] = corpus(path);
  wb = await startWorkbench({ name: 'ui-editor', files });
  // Before any webview exists, so that every webview frame gets the traps.
  await installScriptTraps(wb.page);
});

after(async () => {
  await wb?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/**
 * A v1 torrent with `count` files in one folder, written with the project's own bencode encoder: the
 * whole list is one level of the tree, so the End key has 100,000 rows to cross.
 */
async function writeFlatTorrent(path, count) {
  const { encode } = await importSource('src/core/bencode/decode.ts');
  const { writeFileSync } = await import('node:fs');
  const files = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    const length = 1 + ((i * 7919) % 100_000);
    total += length;
    files.push({ length, path: [`file-${String(i).padStart(6, '0')}.bin`] });
  }
  const pieceLength = 4 * 1024 * 1024;
  const pieces = Buffer.alloc(Math.ceil(total / pieceLength) * 20, 7);
  writeFileSync(
    path,
    encode({ announce: 'http://127.0.0.1:6969/announce', info: { files, name: 'many-files', 'piece length': pieceLength, pieces } }),
  );
}

/** Text of an element of the frame, or null when it is not there. */
function textIn(frame, selector) {
  return frame.locator(selector).first().textContent({ timeout: 5_000 });
}

/** Path components at `depth` of the files under `prefix`, in the order the torrent first mentions them. */
function firstMentions(files, prefix, depth) {
  const seen = new Map();
  for (const f of files) {
    const path = f.path.map(truthText);
    if (path.length <= depth || prefix.some((p, i) => path[i] !== p)) continue;
    const name = path[depth];
    const isFile = path.length === depth + 1;
    const entry = seen.get(name) ?? { name, isFile, length: 0 };
    entry.length += f.length;
    seen.set(name, entry);
  }
  return [...seen.values()];
}

/** Checks rendered children rows against the truth's entries (names in order, sizes). */
function assertEntries(rows, entries, where) {
  assert.deepEqual(
    rows.map((r) => r.label),
    entries.map((e) => e.name),
    `${where}: the children in the order the torrent lists them`,
  );
  rows.forEach((row, i) => {
    const entry = entries[i];
    if (entry.isFile) {
      assert.equal(row.expanded, undefined, `${where}/${entry.name} is a file`);
      assert.equal(row.detail, formatSize(entry.length), `${where}/${entry.name}: size`);
      assert.match(
        row.title,
        new RegExp(`^File [\\d,]+ of [\\d,]+: ${grouped(entry.length)} bytes? at byte `),
        `${where}/${entry.name}: exact size in the tooltip`,
      );
    } else {
      assert.equal(row.expanded, false, `${where}/${entry.name} is a collapsed folder`);
      assert.ok(row.detail.endsWith(` · ${formatSize(entry.length)}`), `${where}/${entry.name}: folder size in ${row.detail}`);
    }
  });
}

test('corpus torrents (v1, hybrid, v2-only, non-UTF-8 name) show their name, hashes, file count and file tree', async () => {
  for (const kind of KINDS) {
    const t = truth[kind.source];
    const frame = await openTorrent(wb, kind.file);
    assert.equal(await frame.getAttribute('body', 'data-state'), 'ok', kind.file);
    const name = truthText(t.name);
    assert.equal(await textIn(frame, '[data-field=name] .text'), name, `${kind.file}: name`);
    const notUtf8 = await frame.locator('[data-field=name] [data-marker=not-utf8]').count();
    assert.equal(notUtf8, typeof t.name === 'string' ? 0 : 1, `${kind.file}: a latin-1 marker exactly when the name is not UTF-8`);
    if (t.infoHashV1) assert.equal(await textIn(frame, '[data-field=infohash-v1]'), t.infoHashV1, `${kind.file}: v1 hash`);
    else assert.equal(await frame.locator('[data-field=infohash-v1]').count(), 0, `${kind.file}: no v1 hash`);
    if (t.infoHashV2) assert.equal(await textIn(frame, '[data-field=infohash-v2]'), t.infoHashV2, `${kind.file}: v2 hash`);
    else assert.equal(await frame.locator('[data-field=infohash-v2]').count(), 0, `${kind.file}: no v2 hash`);
    assert.match((await textIn(frame, '[data-field=version]')) ?? '', kind.version, `${kind.file}: version`);
    const real = t.fileCount - t.padFileCount;
    const count = `${grouped(real)} ${real === 1 ? 'file' : 'files'}${t.padFileCount ? ` + ${grouped(t.padFileCount)} pad` : ''}`;
    assert.equal(await textIn(frame, '[data-field=file-count]'), count, `${kind.file}: file count`);
    assert.equal(
      await frame.getAttribute('[data-field=total-size] [data-bytes]', 'data-bytes'),
      String(t.totalLength),
      `${kind.file}: total size`,
    );
    assert.equal(await frame.getAttribute('#tab-files', 'aria-selected'), 'true', `${kind.file}: the Files tab is open`);

    if (kind.file === 'v1-multi.torrent') await webviewShot(wb, 'editor-overview', { height: 440 });
    if (kind.single) {
      const rows = await waitForRows(frame, 'files', (r) => r.length > 0, 'the file row');
      assert.equal(rows.length, 1, `${kind.file}: one row for a single-file torrent`);
      assert.deepEqual([rows[0].level, rows[0].label, rows[0].detail], [1, name, formatSize(t.totalLength)], `${kind.file}: the file row`);
      continue;
    }
    // A multi-file torrent: one open folder named after the torrent (what a client creates), its entries below.
    let rows = await waitForRows(frame, 'files', (r) => r.length > 1, 'the first rows');
    assert.deepEqual([rows[0].id, rows[0].level, rows[0].label, rows[0].expanded], ['0', 1, name, true], `${kind.file}: the top folder`);
    const top = firstMentions(t.files, [], 0);
    assertEntries(childRows(rows, '0'), top, `${kind.file}: ${name}`);
    const folderAt = top.findIndex((e) => !e.isFile);
    assert.ok(folderAt >= 0, `${kind.file} has a folder`);
    const folderId = childRows(rows, '0')[folderAt].id;
    rows = await expandRow(frame, 'files', folderId);
    assertEntries(
      childRows(rows, folderId),
      firstMentions(t.files, [top[folderAt].name], 1),
      `${kind.file}: ${name}/${top[folderAt].name}`,
    );
    if (kind.file === 'v1-multi.torrent') {
      // Open the deepest path too, for a picture of the whole tree.
      for (const id of ['0.2', '0.2.0', '0.2.0.1', '0.2.0.1.0', '0.2.0.1.0.0']) await expandRow(frame, 'files', id);
      await webviewShot(wb, 'editor-file-tree', { height: 540 });
    }
  }
  assert.deepEqual(wb.dialogs, []);
  await closeAllEditors(wb);
});

test('the info-hash card opens on hover and on keyboard focus, shows every form of the hash, and copies a magnet link', async () => {
  const source = 'gen/lt-hybrid-multi.torrent';
  const t = truth[source];
  const frame = await openTorrent(wb, 'hybrid.torrent');
  const card = frame.locator('#hash-card');
  const trigger = frame.locator('[data-field=infohash-v1]');
  assert.equal(await card.isVisible(), false, 'the card starts closed');

  await trigger.hover();
  await card.waitFor({ state: 'visible' });
  assert.equal(await trigger.getAttribute('aria-expanded'), 'true');
  assert.equal(await textIn(frame, '[data-field=card-v1-hex]'), t.infoHashV1);
  assert.equal(await textIn(frame, '[data-field=card-v1-base32]'), base32OfHex(t.infoHashV1));
  assert.equal(await textIn(frame, '[data-field=card-v2-hex]'), t.infoHashV2);
  assert.equal(await textIn(frame, '[data-field=card-v2-truncated]'), t.infoHashV2Truncated);
  const [start, end] = t.infoOffset;
  const span = (await textIn(frame, '[data-field=card-span]')) ?? '';
  assert.ok(span.includes(`[${grouped(start)}, ${grouped(end)})`), `the hashed span is the info dictionary's: ${span}`);
  assert.ok(span.includes(`${grouped(end - start)} bytes`), span);
  const method = (await textIn(frame, '[data-field=card-method]')) ?? '';
  assert.match(method, /SHA-1 \(v1\) and SHA-256 \(v2\)/);
  assert.match(method, /original bytes/);
  await webviewShot(wb, 'editor-hash-card', { height: 440 });

  // Copy magnet link from the card: the pointer moves onto the card, which stays open.
  await wb.page.evaluate(() => navigator.clipboard.writeText('clipboard-marker'));
  await frame.locator('#hash-card [data-action=copy-magnet]').click();
  const link = await wb.clipboardChange('clipboard-marker');
  const parsed = magnet(link);
  assert.equal(parsed.infoHash, t.infoHashV1, link);
  assert.equal(parsed.infoHashV2, t.infoHashV2, link);
  assert.equal(parsed.dn, t.name, link);
  assert.deepEqual(parsed.announce, t.trackerTiers.flat(), link);
  await frame.locator('[data-field=card-status]', { hasText: /\S/ }).waitFor();

  // The pointer leaves: the card closes.
  await wb.page.mouse.move(5, 5);
  await card.waitFor({ state: 'hidden' });
  assert.equal(await trigger.getAttribute('aria-expanded'), 'false');

  // Keyboard: Tab from the header's last button reaches the hash, and focusing it opens the card.
  await frame.locator('[data-action=open-text]').focus();
  let focused = '';
  for (let i = 0; i < 10 && focused !== 'infohash-v1'; i++) {
    await wb.page.keyboard.press('Tab');
    focused = await frame.evaluate(() => document.activeElement?.getAttribute('data-field') ?? document.activeElement?.tagName ?? '');
  }
  assert.equal(focused, 'infohash-v1', 'Tab reaches the info hash');
  await card.waitFor({ state: 'visible' });
  assert.equal(await textIn(frame, '[data-field=card-v1-hex]'), t.infoHashV1);
  // Enter moves into the card; Escape closes it and returns to the hash.
  await wb.page.keyboard.press('Enter');
  assert.equal(await frame.evaluate(() => !!document.activeElement?.closest('#hash-card')), true, 'Enter moves focus into the card');
  await wb.page.keyboard.press('Escape');
  await card.waitFor({ state: 'hidden' });
  assert.equal(
    await frame.evaluate(() => document.activeElement?.getAttribute('data-field')),
    'infohash-v1',
    'Escape returns focus to the hash',
  );
  assert.deepEqual(wb.dialogs, []);
  await closeAllEditors(wb);
});

test('a 100,000-file torrent shows its first rows at once, keeps the DOM small, and End reaches the last file', async () => {
  const frame = await openTorrent(wb, 'many-files.torrent');
  assert.equal(await textIn(frame, '[data-field=file-count]'), `${grouped(MANY_FILES)} files`);
  assert.equal(await textIn(frame, '#tab-files .count'), grouped(MANY_FILES));
  let rows = await waitForRows(frame, 'files', (r) => r.some((row) => row.label === 'file-000010.bin'), 'the first rows');
  assert.deepEqual(
    rows.slice(0, 3).map((r) => [r.id, r.label]),
    [
      ['0', 'many-files'],
      ['0.0', 'file-000000.bin'],
      ['0.1', 'file-000001.bin'],
    ],
  );
  assert.equal(rows[1].detail, formatSize(1));
  const treeItems = await frame.locator('[role=treeitem]').count();
  const elements = await elementCount(frame);
  assert.ok(treeItems < 300, `${treeItems} tree rows in the DOM for ${MANY_FILES} files`);
  assert.ok(elements < 2500, `${elements} elements in the webview for ${MANY_FILES} files`);
  await webviewShot(wb, 'editor-many-files');

  // Keyboard: focus the first file, End goes to the last row of the tree.
  await frame.locator('#files [role=treeitem][data-id="0.0"] .label').click();
  await wb.page.keyboard.press('End');
  rows = await waitForRows(
    frame,
    'files',
    (r) => r.some((row) => row.focused && row.label === 'file-099999.bin'),
    'the last file in view and focused',
  );
  const last = /** @type {TreeRow} */ (rows.find((r) => r.focused));
  assert.deepEqual([last.id, last.index], [`0.${MANY_FILES - 1}`, MANY_FILES]);
  assert.equal(last.detail, formatSize(1 + (((MANY_FILES - 1) * 7919) % 100_000)));
  assert.equal(
    await frame.evaluate(() => document.activeElement?.getAttribute('data-id')),
    `0.${MANY_FILES - 1}`,
    'DOM focus is on the last row',
  );
  const treeItemsAtEnd = await frame.locator('[role=treeitem]').count();
  const elementsAtEnd = await elementCount(frame);
  assert.ok(treeItemsAtEnd < 300, `${treeItemsAtEnd} tree rows at the end`);
  assert.ok(elementsAtEnd < 2500, `${elementsAtEnd} elements at the end`);
  await webviewShot(wb, 'editor-many-files-end');
  await closeAllEditors(wb);
});

test('malformed torrents show the error, its byte offset and the bytes around it, and the raw tree of what decoded', async () => {
  for (const path of MALFORMED) {
    const bytes = fileBytes(corpus(path));
    const result = parseMetainfo(bytes);
    assert.equal(result.ok, false, `the core rejects ${path}`);
    const failure = result.failure;
    assert.equal(typeof failure.offset, 'number', `${path}: the core names an offset`);
    const frame = await openTorrent(wb, path);
    assert.equal(await frame.getAttribute('body', 'data-state'), 'failed', path);
    await frame.locator('#error').waitFor({ state: 'visible' });
    assert.equal(await textIn(frame, '[data-field=error-message] .text'), failure.message, `${path}: the core's message`);
    const offsetButton = frame.locator('#error [data-offset]');
    assert.equal(await offsetButton.getAttribute('data-offset'), String(failure.offset), `${path}: the core's offset`);
    assert.equal(await offsetButton.textContent(), `byte ${grouped(failure.offset)}`);
    // The code is for tools (VS Code's Problems view shows it); the editor says it in words.
    assert.ok(!((await frame.locator('#error').innerText()) ?? '').includes(failure.code), `${path}: no internal code on screen`);
    assert.equal(await frame.getAttribute('#error', 'data-code'), failure.code, `${path}: the error code, kept for tools`);
    // The byte at the offset is marked in the context (or EOF past the end).
    const marked = frame.locator('[data-field=error-context] .at-error');
    assert.equal(
      await marked.getAttribute('title'),
      failure.offset < bytes.length ? `byte ${grouped(failure.offset)}` : `byte ${grouped(failure.offset)}: the end of the file`,
    );
    if (failure.offset < bytes.length) assert.equal(await marked.textContent(), bytes[failure.offset].toString(16).padStart(2, '0'));

    // No overview; the raw tree shows what decoded before the problem.
    assert.equal(await frame.locator('#overview').isVisible(), false, `${path}: no overview`);
    assert.equal(await frame.getAttribute('#tab-raw', 'aria-selected'), 'true', `${path}: the Raw tab is open`);
    const rows = await waitForRows(frame, 'raw', (r) => r.length > 1, 'the partial raw tree');
    assert.equal(rows[0].label, 'root');
    const announce = rows.find((r) => r.level === 2 && r.label === 'announce');
    assert.ok(announce, `${path}: the decoded announce key is in the raw tree: ${JSON.stringify(rows.map((r) => r.label))}`);
    assert.ok(announce.value.includes('http://127.0.0.1:16969/announce'), announce.value);
    assert.ok(
      rows.some((r) => r.level === 2 && r.label === 'info'),
      `${path}: the info key that was being decoded`,
    );
    if (path === MALFORMED[0]) await webviewShot(wb, 'editor-malformed');
  }
  assert.deepEqual(wb.dialogs, []);
  await closeAllEditors(wb);
});

/** How the editor spells a torrent string: as is, except invisible and bidi control characters, which are named. */
function literal(text) {
  return text.replace(/[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

test('torrents whose names, paths and comments are HTML and script show them as text and run nothing', async () => {
  for (const path of INJECTION) {
    const t = truth[path];
    const consoleBefore = wb.consoleErrors.length;
    const frame = await openTorrent(wb, path);
    assert.equal(await frame.getAttribute('body', 'data-state'), 'ok', path);
    assert.equal(await textIn(frame, '[data-field=name] .text'), literal(t.name), `${path}: the name as text`);
    if (t.comment) assert.equal(await textIn(frame, '[data-field=comment] .text'), literal(t.comment), `${path}: the comment as text`);
    if (t.createdBy)
      assert.equal(await textIn(frame, '[data-field=created-by] .text'), literal(t.createdBy), `${path}: created by, as text`);

    // Open every folder so that every path is on screen, then find each file's name as a row label.
    for (let guard = 0; guard < 20; guard++) {
      const closed = frame.locator('#files [role=treeitem][aria-expanded=false]').first();
      if ((await closed.count()) === 0) break;
      const id = await closed.getAttribute('data-id');
      await expandRow(frame, 'files', /** @type {string} */ (id));
    }
    const labels = (await treeRows(frame, 'files')).map((r) => r.label);
    for (const file of t.files) {
      for (const part of file.path)
        assert.ok(labels.includes(literal(part)), `${path}: ${JSON.stringify(part)} shown literally among ${JSON.stringify(labels)}`);
    }
    if (path === 'gen/hand-injection-paths.torrent') {
      await frame.locator('#tab-trackers').click();
      const trackers = await waitForRows(frame, 'trackers', (r) => r.some((row) => row.level === 2), 'the tracker rows');
      const url = t.trackerTiers[0][0];
      assert.ok(
        trackers.some((r) => r.label === url),
        `the tracker URL shown literally: ${JSON.stringify(trackers.map((r) => r.label))}`,
      );
      await frame.locator('#tab-webseeds').click();
      const seeds = await waitForRows(frame, 'webseeds', (r) => r.length >= t.urlList.length, 'the web seed rows');
      for (const seed of t.urlList)
        assert.ok(
          seeds.some((r) => r.label === seed),
          `web seed ${seed} shown literally`,
        );
      await frame.locator('#tab-files').click();
    }

    // Nothing from the payloads became an element, a handler or a script, and nothing ran.
    const dom = await frame.evaluate(() => ({
      embedded: document.querySelectorAll('img, iframe, frame, object, embed, svg, math, video, audio, link[rel=import], base').length,
      handlers: Array.from(document.querySelectorAll('*')).filter((e) =>
        Array.from(e.attributes).some((a) => a.name.toLowerCase().startsWith('on')),
      ).length,
      // The page's own scripts, both with the CSP nonce: the bundle, and the one line that reports its failure to load.
      otherScripts: Array.from(document.querySelectorAll('body script, body style')).filter(
        (e) =>
          !(
            e instanceof HTMLScriptElement &&
            e.nonce &&
            (e.getAttribute('src')?.endsWith('/dist/webview/editor.js') ||
              (!e.hasAttribute('src') && /^addEventListener\('error', .*pageLoadFailed: true .*\);$/.test(e.text)))
          ),
      ).length,
      javascriptUrls: Array.from(document.querySelectorAll('[href], [src], [action]')).filter((e) =>
        /^\s*javascript:/i.test(e.getAttribute('href') ?? e.getAttribute('src') ?? e.getAttribute('action') ?? ''),
      ).length,
    }));
    assert.deepEqual(dom, { embedded: 0, handlers: 0, otherScripts: 0, javascriptUrls: 0 }, `${path}: no element from the payload`);
    const traps = await scriptTraps(frame);
    assert.equal(traps.installed, true, `${path}: the script traps are in the webview`);
    assert.deepEqual(traps.calls, [], `${path}: no alert/confirm/prompt/print was called`);
    assert.deepEqual(traps.violations, [], `${path}: no Content Security Policy violation`);
    assert.equal(traps.injected, undefined, `${path}: the sentinel is untouched`);
    const complaints = wb.consoleErrors.slice(consoleBefore).filter((e) => /Content Security Policy|Refused to|allow-modals/i.test(e));
    assert.deepEqual(complaints, [], `${path}: no CSP or sandbox complaint in the console`);
    if (path === 'gen/lt-v1-injection.torrent') await webviewShot(wb, 'editor-injection');

    // The traps do catch script that runs in this page: a dialog call and a blocked inline handler.
    await frame.evaluate(() => {
      window.alert('trap check');
      const probe = document.createElement('button');
      probe.setAttribute('onclick', 'window.__injected = 1');
      document.body.append(probe);
      probe.click();
      probe.remove();
    });
    await frame.waitForFunction(() => /** @type {any} */ (window).__torrentLensTraps.violations.length > 0);
    const caught = await scriptTraps(frame);
    assert.deepEqual(caught.calls, ['alert(trap check)']);
    assert.equal(caught.injected, undefined, 'the page CSP blocks inline handlers');
  }
  assert.deepEqual(wb.dialogs, [], 'no dialog opened');
  await closeAllEditors(wb);
});
