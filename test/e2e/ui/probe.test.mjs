// Probe Peers in a real VS Code: a hybrid torrent whose tracker (Debian's opentracker on 127.0.0.1) knows a
// libtorrent seeder and a libtorrent peer holding part of the data. The command asks before announcing, the panel
// shows each peer (our own announce not among them), the swarm's availability, the files and the piece picture;
// a peer added by hand is asked too; the list is driven by keyboard. Pictures at 1440×900 and 1024×768.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openTorrent, webviewShot } from '../lib/editor.mjs';
import { commandLabel, startWorkbench } from '../lib/harness.mjs';
import { importSource } from '../lib/torrents.mjs';

/** @typedef {import('../lib/harness.mjs').Workbench} Workbench */
/** @typedef {import('playwright-core').Frame} Frame */

const TORRENT = 'swarm-probe.torrent';
const OUR_PORT = 6881;

/** @type {Workbench} */
let wb;
let scratch = '';
/** @type {Array<() => Promise<void>>} */
const stops = [];
/** @type {{ port: number, pieces: string, seed: boolean, stop(): Promise<void> }} */
let seeder;
/** @type {{ port: number, pieces: string, seed: boolean, stop(): Promise<void> }} */
let partial;
let closedPort = 0;
let pieceCount = 0;
let fileCount = 0;

before(async () => {
  const { makeTorrent, startSeeder, startPartialPeer } = await importSource('test/support/libtorrent.ts');
  const { startOpentracker } = await importSource('test/support/opentracker.ts');
  const { rawHttpAnnounce } = await importSource('test/support/raw-client.ts');
  const { parseMetainfo } = await importSource('src/core/metainfo/parse.ts');
  const { encode } = await importSource('src/core/bencode/decode.ts');
  const { freePort } = await importSource('test/support/ports.ts');

  const made = await makeTorrent('swarm-probe', 'hybrid', [300_000, 80_000, 200_000, 50_000, 120_000], 16384, 41);
  stops.push(async () => made.remove());
  const parsed = parseMetainfo(made.bytes);
  assert.ok(parsed.ok);
  const m = parsed.metainfo;
  pieceCount = m.pieceCount;
  fileCount = m.files.count - m.files.padCount;
  seeder = await startSeeder(made);
  stops.push(() => seeder.stop());
  partial = await startPartialPeer(made, [1, 3]);
  stops.push(() => partial.stop());
  const tracker = await startOpentracker([m.infoHash.v1, m.infoHash.v2Truncated]);
  stops.push(() => tracker.stop());
  await rawHttpAnnounce(tracker.httpAnnounce, m.infoHash.v1, { peerId: '-LT2080-seeder000001', port: seeder.port, left: 0 });
  await rawHttpAnnounce(tracker.httpAnnounce, m.infoHash.v1, { peerId: '-LT2080-partial00001', port: partial.port, left: 10 });
  closedPort = await freePort();

  // The libtorrent torrent with the tracker put in (the info dictionary kept byte for byte, the piece layers too).
  const info = made.bytes.subarray(m.infoSpan.start, m.infoSpan.end);
  const layersToken = m.document.get(m.document.root, 'piece layers');
  const head = encode({ announce: tracker.httpAnnounce, 'created by': 'Torrent Lens tests' });
  const layers = made.bytes.subarray(m.document.start(layersToken), m.document.end(layersToken));
  const bytes = Buffer.concat([
    head.subarray(0, head.length - 1),
    Buffer.from('4:info'),
    info,
    Buffer.from('12:piece layers'),
    layers,
    Buffer.from('e'),
  ]);
  scratch = mkdtempSync(join(tmpdir(), 'torrent-lens-ui-probe-'));
  const file = join(scratch, TORRENT);
  writeFileSync(file, bytes);
  const check = parseMetainfo(new Uint8Array(bytes));
  assert.ok(check.ok && check.metainfo.infoHash.v1 === m.infoHash.v1, 'the torrent keeps its info hash');

  wb = await startWorkbench({
    name: 'ui-probe',
    files: { [TORRENT]: file },
    settings: {
      'torrentLens.tracker.timeout': 5000,
      'torrentLens.announce.port': OUR_PORT,
      'torrentLens.peers.timeout': 30000,
    },
  });
});

after(async () => {
  await wb?.close();
  for (const stop of stops.reverse()) await stop().catch(() => {});
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/**
 * The probe panel once `ready(state)` holds for what it shows.
 * @param {(s: { status: string, running: boolean, peers: number, rows: number }) => boolean} ready
 * @returns {Promise<Frame>}
 */
async function probePanel(ready, what) {
  const deadline = Date.now() + 45_000;
  let last;
  for (;;) {
    const frame = await wb.webviewFrame('#peers');
    last = await frame
      .evaluate(() => ({
        status: document.querySelector('#summary')?.getAttribute('data-status') ?? '',
        running: document.querySelector('#summary')?.getAttribute('data-state') === 'running',
        summary: document.querySelector('#summary')?.textContent ?? '',
        peers: Number(document.querySelector('[data-figure=peers]')?.textContent ?? 0),
        rows: document.querySelectorAll('#peers [role=treeitem][data-id]').length,
      }))
      .catch(() => ({ status: '', running: true, peers: 0, rows: 0 }));
    if (ready(/** @type {any} */ (last))) return frame;
    if (Date.now() > deadline) throw new Error(`the probe panel did not get to ${what}: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** The peers list as the user sees it. */
function peerRows(frame) {
  return frame.$$eval('#peers [role=treeitem][data-id]', (rows) =>
    rows.map((row) => {
      const cell = (field) => row.querySelector(`[data-field=${field}]`)?.textContent?.trim() ?? '';
      return {
        id: row.getAttribute('data-id') ?? '',
        status: row.querySelector('.vt-content')?.getAttribute('data-status') ?? '',
        address: cell('address'),
        have: cell('have'),
        client: cell('client'),
        flags: cell('flags'),
        detail: cell('detail'),
      };
    }),
  );
}

test('Probe Peers asks before announcing, then shows each peer, the swarm’s availability and the files', async () => {
  await openTorrent(wb, TORRENT);
  await wb.runCommand(commandLabel('torrentLens.probePeers'));
  const dialog = wb.page.locator('.monaco-dialog-box');
  await dialog.waitFor();
  // The one tracker (it is asked under the v1 and the truncated v2 hash, as the panel shows).
  assert.match((await dialog.textContent()) ?? '', /Announce to 1 tracker\?/);
  await dialog.getByRole('button', { name: 'Announce', exact: true }).click();

  const panel = await probePanel((s) => !s.running && s.status === 'ok' && s.rows === 2, 'a finished probe of both peers');
  const rows = await peerRows(panel);
  const byAddress = new Map(rows.map((r) => [r.address, r]));
  const seedRow = byAddress.get(`127.0.0.1:${seeder.port}`);
  const partialRow = byAddress.get(`127.0.0.1:${partial.port}`);
  assert.ok(seedRow && partialRow, JSON.stringify(rows));
  assert.ok(!byAddress.has(`127.0.0.1:${OUR_PORT}`), 'our own announce is not a peer');
  assert.equal(seedRow.status, 'answered');
  assert.match(seedRow.have, /seed/);
  assert.match(seedRow.client, /^libtorrent/);
  assert.match(seedRow.flags, /ext fast/);
  assert.equal(partialRow.status, 'answered');
  assert.match(partialRow.have, /^\d+(\.\d+)?%$/);
  assert.equal(await panel.locator('[data-figure=peers]').textContent(), '2');
  assert.equal(await panel.locator('[data-figure=seeds]').textContent(), '1');
  assert.equal(await panel.locator('[data-figure=available]').textContent(), '100.0%');
  assert.match((await panel.locator('#trackers summary').textContent()) ?? '', /Trackers: 2 of 2 answered/);
  assert.match((await panel.locator('#piece-legend').textContent()) ?? '', new RegExp(`^${pieceCount} pieces, one stretch a piece`));
  // Files: every data file; the two the partial peer lacks are whole at the seeder alone.
  const files = await panel.$$eval('#files [role=treeitem][data-id]', (list) =>
    list.map((row) => ({
      path: row.querySelector('[data-field=path]')?.textContent ?? '',
      whole: row.querySelector('[data-field=whole]')?.textContent ?? '',
      available: row.querySelector('[data-field=available]')?.textContent ?? '',
    })),
  );
  assert.equal(files.length, fileCount);
  assert.deepEqual(files.map((f) => f.whole).sort(), ['1', '1', '2', '2', '2'].sort());
  assert.ok(files.every((f) => f.available.endsWith('100.0%')));
  await wb.screenshot('probe-workbench-1440');
  await webviewShot(wb, 'probe-panel-1440', { frame: panel });
  assert.deepEqual(wb.dialogs, []);
});

test('a peer added by hand is asked too; the list is driven by keyboard and the focused peer’s details follow', async () => {
  let panel = await probePanel((s) => !s.running && s.rows === 2, 'the finished probe');
  await panel.locator('#add-peers-input').fill(`127.0.0.1:${closedPort} not-an-address`);
  await panel.locator('#add-peers-input').press('Enter');
  await panel.locator('#add-peers-message', { hasText: 'Asking 1 peer.' }).waitFor();
  assert.match((await panel.locator('#add-peers-message').textContent()) ?? '', /"not-an-address" is not an address and port/);
  panel = await probePanel((s) => !s.running && s.rows === 3, 'the added peer');
  const added = (await peerRows(panel)).find((r) => r.address === `127.0.0.1:${closedPort}`);
  assert.ok(added);
  assert.equal(added.status, 'refused');
  assert.match(added.detail, /connection refused/);
  // Sorted by status: the answers first. Keyboard: into the list, down to the second peer.
  await panel.locator('#peers button[data-sort=status]').click();
  await panel.locator('#peers button[data-sort=status][aria-pressed=true]').waitFor();
  await panel.locator('#peers [role=tree]').focus();
  await wb.page.keyboard.press('Home');
  await wb.page.keyboard.press('ArrowDown');
  await panel.locator('#peers .vt-row.focused').waitFor();
  const focused = (await panel.locator('#peers .vt-row.focused [data-field=address]').textContent()) ?? '';
  await panel.locator('#peer-details h2', { hasText: focused }).waitFor();
  const facts = (await panel.locator('#peer-details').textContent()) ?? '';
  assert.match(facts, /Client/);
  assert.match(facts, /Has\d|Has[\s\S]*pieces/);
  await wb.page.keyboard.press('End');
  await panel.locator('#peer-details h2', { hasText: `127.0.0.1:${closedPort}` }).waitFor();
  assert.match((await panel.locator('#peer-details').textContent()) ?? '', /refused: connection refused/);
  await webviewShot(wb, 'probe-panel-added-1440', { frame: panel });
  assert.deepEqual(wb.dialogs, []);
});

test('the panel at 1024×768: the narrow layout keeps the columns that matter', async () => {
  await wb.page.setViewportSize({ width: 1024, height: 768 });
  const panel = await probePanel((s) => !s.running && s.rows === 3, 'the probe after resizing');
  await wb.screenshot('probe-workbench-1024');
  await webviewShot(wb, 'probe-panel-1024', { frame: panel });
  await panel.locator('#peer-details').scrollIntoViewIfNeeded();
  await webviewShot(wb, 'probe-panel-peers-1024', { frame: panel });
  // Nothing overflows the panel sideways.
  const overflow = await panel.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the panel scrolls sideways by ${overflow} px`);
  await wb.page.setViewportSize({ width: 1440, height: 900 });
});
