// Magnet links in a real VS Code, against a libtorrent seeder on 127.0.0.1 known to Debian's opentracker:
// Open Magnet Link… offers the link on the clipboard, asks before announcing, shows what the link says at once,
// fetches the metadata with live counts and opens the torrent in the Torrent Lens editor as an unsaved file that
// Save Torrent As… writes where the user says. In a Markdown file, a hover says what a magnet link or an info
// hash is (hostile names stay text) and copies its hashes, and a document link opens the link in Torrent Lens.
// Pictures at 1440×900 and 1024×768.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { base32OfHex, editorFrame, webviewShot } from '../lib/editor.mjs';
import { commandLabel, startWorkbench } from '../lib/harness.mjs';
import { importSource } from '../lib/torrents.mjs';

/** @typedef {import('../lib/harness.mjs').Workbench} Workbench */
/** @typedef {import('playwright-core').Frame} Frame */

const NAME = 'lens-magnet';
const NOTES = 'notes.md';
const OUR_PORT = 6881;
/** A SHA-1 as it turns up in notes and logs (a Git commit, say): 40 hex digits on its own. */
const BARE_HASH = '3f786850e387550fdab836ed7e6dc881de23001b';

/** @type {Workbench} */
let wb;
let scratch = '';
/** @type {Array<() => Promise<void>>} */
const stops = [];
/** @type {{ v1: string, v2: string }} */
let hashes;
/** @type {{ port: number, stop(): Promise<void> }} */
let seeder;
/** The piece layers of the seeder's torrent, by pieces root. */
let originalLayers = new Map();
/** The link with the tracker, and one that names the seeder itself (x.pe). */
let trackerLink = '';
let peerLink = '';
let hostileLink = '';

before(async () => {
  const { makeTorrent, startSeeder } = await importSource('test/support/libtorrent.ts');
  const { startOpentracker } = await importSource('test/support/opentracker.ts');
  const { rawHttpAnnounce } = await importSource('test/support/raw-client.ts');
  const { parseMetainfo } = await importSource('src/core/metainfo/parse.ts');

  const made = await makeTorrent(NAME, 'hybrid', [400_000, 30_000, 90_000, ...Array(200).fill(700)], 16384, 51);
  stops.push(async () => made.remove());
  const parsed = parseMetainfo(made.bytes);
  assert.ok(parsed.ok);
  hashes = { v1: parsed.metainfo.infoHash.v1, v2: parsed.metainfo.infoHash.v2 };
  originalLayers = (await importSource('test/support/piece-layers.ts')).pieceLayersOf(parsed.metainfo);
  seeder = await startSeeder(made);
  stops.push(() => seeder.stop());
  const tracker = await startOpentracker([hashes.v1, parsed.metainfo.infoHash.v2Truncated]);
  stops.push(() => tracker.stop());
  await rawHttpAnnounce(tracker.httpAnnounce, hashes.v1, { peerId: '-LT2080-seeder000001', port: seeder.port, left: 0 });
  const xt = `xt=urn:btih:${hashes.v1}&xt=urn:btmh:1220${hashes.v2}`;
  trackerLink = `magnet:?${xt}&dn=${NAME}&tr=${encodeURIComponent(tracker.httpAnnounce)}`;
  peerLink = `magnet:?${xt}&dn=${NAME}+from+notes&x.pe=127.0.0.1:${seeder.port}`;
  hostileLink = `magnet:?xt=urn:btih:${'ab'.repeat(20)}&dn=${encodeURIComponent('<img src=x onerror=alert(1)>`**bold**`[x](command:workbench.action.terminal.new)')}`;

  scratch = mkdtempSync(join(tmpdir(), 'torrent-lens-ui-magnet-'));
  const notes = join(scratch, NOTES);
  writeFileSync(
    notes,
    [
      '# Downloads',
      '',
      `The release: [the magnet](${peerLink}).`,
      '',
      `The commit: ${BARE_HASH}`,
      '',
      `Hostile: ${hostileLink}`,
      '',
      `Plain: ${peerLink}`,
      '',
    ].join('\n'),
  );
  wb = await startWorkbench({
    name: 'ui-magnet',
    files: { [NOTES]: notes },
    settings: {
      'torrentLens.tracker.timeout': 5000,
      'torrentLens.announce.port': OUR_PORT,
      'torrentLens.peers.timeout': 30000,
      'workbench.editor.enablePreview': false,
      'markdown.preview.openMarkdownLinks': 'inEditor',
    },
  });
});

after(async () => {
  await wb?.close();
  for (const stop of stops.reverse()) await stop().catch(() => {});
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/**
 * The probe panel of a magnet link once it has the torrent.
 * @returns {Promise<Frame>}
 */
async function magnetResult() {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const frame = await wb.webviewFrame('#link');
    const state = await frame
      .evaluate(() => ({
        status: document.querySelector('#summary')?.getAttribute('data-status') ?? '',
        result: document.querySelector('#result-name')?.textContent ?? '',
        summary: document.querySelector('#summary')?.textContent ?? '',
      }))
      .catch(() => ({ status: '', result: '', summary: '' }));
    if (state.status === 'ok' && state.result) return frame;
    if (Date.now() > deadline) throw new Error(`the magnet link gave no torrent: ${JSON.stringify(state)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** The peers list of a panel, as the user sees it. */
function peerRows(frame) {
  return frame.$$eval('#peers [role=treeitem][data-id]', (rows) =>
    rows.map((row) => ({
      address: row.querySelector('[data-field=address]')?.textContent ?? '',
      status: row.querySelector('.vt-content')?.getAttribute('data-status') ?? '',
      client: row.querySelector('[data-field=client]')?.textContent ?? '',
    })),
  );
}

/**
 * Waits until a quick input's text satisfies `check`.
 * @param {import('playwright-core').Locator} input
 * @param {(value: string) => boolean} check
 */
async function inputHolds(input, check, what) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await input.inputValue();
    if (check(value)) return;
    if (Date.now() > deadline) throw new Error(`the input does not hold ${what}: ${value}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the command palette lists `label`: right after start-up the extension's contributions may still be loading. */
async function paletteLists(label) {
  const input = wb.page.locator('.quick-input-widget input.input');
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (!(await input.isVisible())) await wb.page.keyboard.press('F1');
    await input.fill(`>${label}`);
    const found = await wb.page
      .locator('.quick-input-list .monaco-list-row', { hasText: label })
      .first()
      .waitFor({ timeout: 2000 })
      .then(() => true)
      .catch(() => false);
    await wb.page.keyboard.press('Escape');
    if (found) return;
    if (Date.now() > deadline) throw new Error(`the command palette does not list ${label}`);
  }
}

test('Open Magnet Link… offers the link on the clipboard, asks before announcing, and opens the torrent it fetched', async () => {
  await paletteLists(commandLabel('torrentLens.openMagnet'));
  await wb.page.evaluate((link) => navigator.clipboard.writeText(link), trackerLink);
  await wb.runCommand(commandLabel('torrentLens.openMagnet'));
  const input = wb.page.locator('.quick-input-widget input.input');
  await inputHolds(input, (value) => value === trackerLink, 'the link from the clipboard');
  await wb.screenshot('magnet-input-1440');
  await input.press('Enter');
  // Announcing discloses the user's address: the confirmation names the one tracker (asked under both hashes).
  const dialog = wb.page.locator('.monaco-dialog-box');
  await dialog.waitFor();
  assert.match((await dialog.textContent()) ?? '', /Announce to 1 tracker\?/);
  await dialog.getByRole('button', { name: 'Announce', exact: true }).click();

  // What the link says is there at once; then the metadata.
  const panel = await magnetResult();
  assert.equal(await panel.locator('#link-name').textContent(), NAME);
  assert.match((await panel.locator('#link-trackers').textContent()) ?? '', /^http:\/\/127\.0\.0\.1:\d+\/announce$/);
  assert.match(
    (await panel.locator('#hashes').textContent()) ?? '',
    new RegExp(`v1${hashes.v1}v1 base32${base32OfHex(hashes.v1)}v2${hashes.v2}`),
  );
  assert.match(
    (await panel.locator('#summary').textContent()) ?? '',
    new RegExp(`^Metadata verified: [\\d,]+ bytes from 127\\.0\\.0\\.1:${seeder.port} in`),
  );
  assert.match((await panel.locator('[data-count=blocks]').textContent()) ?? '', /^([1-9]\d*) of \1$/, 'every metadata block came');
  // The piece layers came from the seeder too (BEP 52): nothing is missing, so no note says so.
  assert.equal(await panel.locator('#result-notes').count(), 0);
  assert.match((await panel.locator('#trackers summary').textContent()) ?? '', /Trackers: 2 of 2 answered/);
  const peers = await peerRows(panel);
  assert.ok(
    peers.some((p) => p.address === `127.0.0.1:${seeder.port}` && p.status === 'answered' && /^libtorrent/.test(p.client)),
    JSON.stringify(peers),
  );
  assert.ok(!peers.some((p) => p.address === `127.0.0.1:${OUR_PORT}`), 'our own announce is not a peer');

  // The torrent, open in the Torrent Lens editor as an unsaved file.
  const editor = await editorFrame(wb.page, `${NAME}.torrent`);
  await editor.locator('#overview').waitFor();
  assert.ok(((await editor.locator('#overview').textContent()) ?? '').includes(hashes.v1));
  await wb.page.locator(`.tabs-container .tab[data-resource-name="${NAME}.torrent"]`).first().waitFor();
  await wb.screenshot('magnet-workbench-1440');
  await webviewShot(wb, 'magnet-panel-1440', { frame: panel });

  // Save Torrent As… from the editor's title: a file in the workspace, the same torrent.
  await wb.page.locator(`.tabs-container .tab[data-resource-name="${NAME}.torrent"]`).first().click();
  await wb.runCommand(commandLabel('torrentLens.saveTorrentAs'));
  const path = wb.page.locator('.quick-input-widget input.input');
  await inputHolds(path, (value) => value.endsWith(`/${NAME}.torrent`), 'the file to save to');
  await path.press('Enter');
  const saved = join(wb.sandbox.workspace, `${NAME}.torrent`);
  const deadline = Date.now() + 10_000;
  while (!existsSync(saved) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const { parseMetainfo } = await importSource('src/core/metainfo/parse.ts');
  const back = parseMetainfo(new Uint8Array(readFileSync(saved)));
  assert.ok(back.ok);
  assert.deepEqual([back.metainfo.infoHash.v1, back.metainfo.infoHash.v2], [hashes.v1, hashes.v2]);
  // With the seeder's piece layers, byte for byte, and nothing the reader finds wrong with them.
  const { pieceLayersOf } = await importSource('test/support/piece-layers.ts');
  assert.deepEqual(pieceLayersOf(back.metainfo), originalLayers);
  assert.ok(originalLayers.size > 0);
  assert.deepEqual(
    back.metainfo.diagnostics.filter((d) => /piece-layer/.test(d.code)),
    [],
  );
  await wb.page.locator('.explorer-folders-view .monaco-list-row', { hasText: `${NAME}.torrent` }).waitFor();
  assert.deepEqual(wb.dialogs, []);
});

/** Puts the cursor of the text editor on `line` (1-based), `column` characters in, and shows the hover there. */
async function hoverAt(line, column) {
  await wb.runCommand('Go to Line/Column...');
  await wb.page.keyboard.type(`${line}:${column}`);
  await wb.page.keyboard.press('Enter');
  await wb.runCommand('Show or Focus Hover');
  const hover = wb.page.locator('.monaco-hover:not(.hidden) .hover-contents').first();
  await hover.waitFor();
  return hover;
}

test('a hover in a Markdown file says what a magnet link is, copies its hashes, and its link opens it in Torrent Lens', async () => {
  await wb.quickOpen(NOTES);
  await wb.page.locator('.monaco-editor .view-lines').first().waitFor();
  const linkColumn = 'The release: [the magnet]('.length + 10;
  const hover = await hoverAt(3, linkColumn);
  await wb.page.locator('.monaco-hover', { hasText: 'Magnet link' }).first().waitFor();
  const text = (await hover.textContent()) ?? '';
  assert.match(text, new RegExp(`Magnet link ?${NAME} from notes`));
  assert.ok(text.includes(hashes.v1) && text.includes(base32OfHex(hashes.v1)) && text.includes(hashes.v2), text);
  assert.match(text, new RegExp(`Peers \\(1\\): ?127\\.0\\.0\\.1:${seeder.port}`));
  await wb.screenshot('magnet-hover-1440');
  // Copy base32: through our command, with the argument the hover made.
  await wb.page.evaluate(() => navigator.clipboard.writeText('clipboard-marker'));
  await wb.page.locator('.monaco-hover a', { hasText: 'Copy base32' }).first().click();
  assert.equal(await wb.clipboardChange('clipboard-marker'), base32OfHex(hashes.v1));

  // A bare hash: what it may be.
  await wb.page.keyboard.press('Escape');
  await hoverAt(5, 'The commit: '.length + 5);
  const bare = wb.page.locator('.monaco-hover', { hasText: '40 hex digits' }).first();
  await bare.waitFor();
  assert.match((await bare.textContent()) ?? '', /a BitTorrent v1 info hash, or another SHA-1 \(a Git commit, a checksum\)/);

  // A hostile name: shown as text, nothing of it becomes markup or a link.
  await wb.page.keyboard.press('Escape');
  await hoverAt(7, 'Hostile: '.length + 5);
  const hostile = wb.page.locator('.monaco-hover', { hasText: 'Magnet link' }).first();
  await hostile.waitFor();
  assert.ok(((await hostile.textContent()) ?? '').includes('<img src=x onerror=alert(1)>'));
  assert.equal(await hostile.locator('img').count(), 0);
  assert.equal(await hostile.locator('strong', { hasText: 'bold' }).count(), 0);
  const targets = await hostile
    .locator('a')
    .evaluateAll((links) => links.map((a) => a.getAttribute('data-href') ?? a.getAttribute('href') ?? ''));
  assert.ok(targets.length > 0 && targets.every((t) => /^command:torrentLens\.(openMagnet|copyText)\?/.test(t)), JSON.stringify(targets));
  // Its Open in Torrent Lens: the panel shows the name as text (the link names nobody to ask: add peers by hand).
  await hostile.locator('a', { hasText: 'Open in Torrent Lens' }).first().click();
  await wb.page.keyboard.press('Escape');
  const hostilePanel = await wb.webviewFrame('#link-name');
  await hostilePanel.locator('#summary[data-status=no-peers]').waitFor();
  assert.equal(
    await hostilePanel.locator('#title').textContent(),
    '<img src=x onerror=alert(1)>`**bold**`[x](command:workbench.action.terminal.new)',
  );
  assert.equal(await hostilePanel.locator('img').count(), 0);
  assert.equal(await hostilePanel.locator('#link-peers').count(), 0);
  assert.match((await hostilePanel.locator('#link').textContent()) ?? '', /names no trackers and no peers: add peers below/);
  await webviewShot(wb, 'magnet-hostile-panel-1440', { frame: hostilePanel, height: 420 });
  await wb.quickOpen(NOTES);

  // The document link of a magnet in plain text: Open Link on it opens it in Torrent Lens (x.pe: no tracker to ask).
  // (Inside Markdown's own link syntax, Markdown's link to the same text may be the one Open Link follows.)
  await wb.runCommand('Go to Line/Column...');
  await wb.page.keyboard.type(`9:${'Plain: '.length + 10}`);
  await wb.page.keyboard.press('Enter');
  await wb.runCommand('Open Link');
  const panel = await magnetResult();
  assert.equal(await panel.locator('#link-name').textContent(), `${NAME} from notes`);
  assert.equal(await panel.locator('#link-peers').textContent(), `127.0.0.1:${seeder.port}`);
  assert.match((await panel.locator('#trackers summary').textContent()) ?? '', /Trackers: not asked/);
  assert.deepEqual(wb.dialogs, []);
});

test('at 1024×768: the magnet panel and a hover', async () => {
  await wb.page.setViewportSize({ width: 1024, height: 768 });
  const panel = await magnetResult();
  await wb.screenshot('magnet-workbench-1024');
  await webviewShot(wb, 'magnet-panel-1024', { frame: panel });
  const overflow = await panel.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the panel scrolls sideways by ${overflow} px`);
  await wb.quickOpen(NOTES);
  await hoverAt(3, 'The release: [the magnet]('.length + 10);
  await wb.page.locator('.monaco-hover', { hasText: 'Magnet link' }).first().waitFor();
  await wb.screenshot('magnet-hover-1024');
  await wb.page.keyboard.press('Escape');
  await wb.page.setViewportSize({ width: 1440, height: 900 });
});
