// Announce and scrape in a real VS Code against real trackers on 127.0.0.1: Debian's opentracker and
// npm's bittorrent-tracker, each holding fake peers put in beforehand by an independent raw client. The
// commands run from the command palette and from the editor's tracker rows, and the numbers are read
// from the results panel.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openTorrent, treeRows, waitForRows, webviewShot } from '../lib/editor.mjs';
import { commandLabel, runCommandAndPick, startWorkbench } from '../lib/harness.mjs';
import { importSource } from '../lib/torrents.mjs';
import { finishedRun } from '../lib/trackers.mjs';

/** @typedef {import('../lib/harness.mjs').Workbench} Workbench */
/** @typedef {import('playwright-core').Frame} Frame */

const TORRENT = 'lab-swarm.torrent';
/** Where our announces say we listen (the torrentLens.announce.port setting). */
const OUR_PORT = 6881;

/** @type {Workbench} */
let wb;
let scratch = '';
/** @type {Array<() => Promise<void>>} */
const stops = [];
/** @type {{ http: string, udp: string, name: string, seeders: number, leechers: number, fakes: string[] }[]} */
let trackers = [];
let infoHash = '';

before(async () => {
  const { encode } = await importSource('src/core/bencode/decode.ts');
  const { startOpentracker } = await importSource('test/support/opentracker.ts');
  const { startBittorrentTracker } = await importSource('test/support/bittorrent-tracker.ts');
  const { fakePeers, rawHttpAnnounce } = await importSource('test/support/raw-client.ts');

  const length = 50_005;
  const pieceLength = 16_384;
  const info = {
    length,
    name: 'lab-swarm.bin',
    'piece length': pieceLength,
    pieces: Buffer.alloc(Math.ceil(length / pieceLength) * 20, 0x5a),
  };
  infoHash = createHash('sha1').update(encode(info)).digest('hex');

  // opentracker serves whitelisted hashes only and takes a peer's address from the connection, so its
  // fake peers differ by port; bittorrent-tracker trusts X-Forwarded-For, so its peers have their own addresses.
  const opentracker = await startOpentracker([infoHash]);
  stops.push(() => opentracker.stop());
  const bittorrentTracker = await startBittorrentTracker();
  stops.push(() => bittorrentTracker.stop());
  const openPeers = fakePeers(5, 2, 40_000);
  for (const peer of openPeers) await rawHttpAnnounce(opentracker.httpAnnounce, infoHash, peer);
  const btPeers = fakePeers(4, 3, 42_000, (i) => `10.1.0.${i + 1}`);
  for (const peer of btPeers) await rawHttpAnnounce(bittorrentTracker.httpAnnounce, infoHash, peer);
  const count = (peers, seeding) => peers.filter((p) => (p.left === 0) === seeding).length;
  trackers = [
    {
      name: 'opentracker',
      http: opentracker.httpAnnounce,
      udp: opentracker.udpAnnounce,
      seeders: count(openPeers, true),
      leechers: count(openPeers, false),
      fakes: openPeers.map((p) => `127.0.0.1|${p.port}`),
    },
    {
      name: 'bittorrent-tracker',
      http: bittorrentTracker.httpAnnounce,
      udp: bittorrentTracker.udpAnnounce,
      seeders: count(btPeers, true),
      leechers: count(btPeers, false),
      fakes: btPeers.map((p) => `${p.ip}|${p.port}`),
    },
  ];

  scratch = mkdtempSync(join(tmpdir(), 'torrent-lens-ui-trackers-'));
  const torrent = join(scratch, TORRENT);
  writeFileSync(
    torrent,
    encode({
      announce: trackers[0].http,
      'announce-list': trackers.map((t) => [t.http, t.udp]),
      comment: 'a swarm of fake peers on 127.0.0.1',
      'created by': 'Torrent Lens tests',
      'creation date': 1_760_000_000,
      info,
    }),
  );
  wb = await startWorkbench({
    name: 'ui-trackers',
    files: { [TORRENT]: torrent },
    settings: {
      // Local trackers answer in milliseconds; a tracker that does not should fail the test fast.
      'torrentLens.tracker.timeout': 5000,
      'torrentLens.tracker.udpRetryTimeout': 500,
      'torrentLens.announce.port': OUR_PORT,
    },
  });
});

after(async () => {
  await wb?.close();
  for (const stop of stops.reverse()) await stop().catch(() => {});
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/**
 * A picture of the results panel with room for every column: its editor group maximized and the side
 * bars hidden (left so).
 * @param {Frame} panel
 */
async function widePanelShot(panel, name, height) {
  const narrow = await panel.evaluate(() => window.innerWidth);
  await wb.page.locator('.tabs-container .tab[aria-label^="Announce: "]').click();
  await wb.runCommand('View: Maximize Editor Group and Hide Side Bars');
  await panel.waitForFunction((before) => window.innerWidth > before + 400, narrow);
  await webviewShot(wb, name, { frame: panel, height });
}

/** The panel's rows as the user sees them. */
function panelRows(frame) {
  return frame.$$eval('tr.tracker-row', (rows) =>
    rows.map((row) => {
      const cell = (field) => row.querySelector(`td[data-field=${field}]`)?.textContent?.trim() ?? '';
      return {
        id: row.getAttribute('data-tracker') ?? '',
        tier: Number(row.getAttribute('data-tier')),
        status: row.getAttribute('data-status') ?? '',
        // The URL itself; a sorted table also names the tier in that cell.
        url: row.querySelector('[data-field=url] .url')?.textContent?.trim() ?? '',
        seeders: cell('seeders'),
        leechers: cell('leechers'),
        peers: cell('peers'),
        message: cell('message'),
      };
    }),
  );
}

/** Which tracker (and protocol) a URL in the panel is. */
function trackerOf(url) {
  const tracker = trackers.find((t) => t.http === url || t.udp === url);
  assert.ok(tracker, `the panel shows a tracker of the torrent: ${url}`);
  return tracker;
}

test('Scrape Trackers from the command palette asks which trackers, then shows every tracker’s seeders and leechers', async () => {
  await openTorrent(wb, TORRENT);
  // Which trackers: all of them, as Announce asks.
  await runCommandAndPick(wb.page, commandLabel('torrentLens.scrape'), 'All trackers');
  const panel = await finishedRun(wb, 'scrape', 4);
  const rows = await panelRows(panel);
  assert.deepEqual(
    rows.map((r) => r.url),
    trackers.flatMap((t) => [t.http, t.udp]),
    'one row per tracker, in the torrent’s order',
  );
  for (const row of rows) {
    const tracker = trackerOf(row.url);
    assert.equal(row.status, 'working', `${tracker.name} ${row.url}: ${row.message}`);
    assert.equal(row.tier, trackers.indexOf(tracker));
    assert.deepEqual(
      [row.seeders, row.leechers],
      [String(tracker.seeders), String(tracker.leechers)],
      `${tracker.name} ${row.url}: the fake peers’ counts`,
    );
  }
  assert.match((await panel.locator('#summary').textContent()) ?? '', /^4 trackers in [\d,]+ ms: 4 worked\.$/);
  assert.ok(((await panel.locator('#subtitle').textContent()) ?? '').includes(`v1 ${infoHash}`), 'the panel names the info hash');
  await webviewShot(wb, 'trackers-scrape', { frame: panel, height: 300 });
  assert.deepEqual(wb.dialogs, []);
});

test('after a window reload the results panel comes back with its last run, and Rerun scrapes again', async () => {
  const scraped = await panelRows(await finishedRun(wb, 'scrape', 4));
  // Through VS Code's own Reload Window: it saves the workbench state (open editors, webview state) first.
  const reloaded = wb.page.waitForEvent('load', { timeout: 60_000 });
  await wb.runCommand('Developer: Reload Window').catch(() => {});
  await reloaded;
  await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // VS Code restores the panel through the extension's serializer; its webview shows the saved run.
  const restored = await wb.webviewFrame('#summary[data-restored="true"]', { timeout: 60_000 });
  assert.match(
    (await restored.locator('#summary').textContent()) ?? '',
    /^From before VS Code reloaded: 4 trackers in [\d,]+ ms: 4 worked\./,
  );
  assert.deepEqual(await panelRows(restored), scraped, 'the same rows and numbers as before the reload');
  await restored.locator('#rerun').click();
  const deadline = Date.now() + 30_000;
  for (;;) {
    const frame = await wb.webviewFrame('#results[data-kind=scrape]');
    const state = await frame
      .evaluate(() => ({
        restored: document.querySelector('#summary')?.getAttribute('data-restored'),
        finished: document.querySelector('#summary')?.getAttribute('data-state'),
      }))
      .catch(() => ({ restored: undefined, finished: undefined }));
    if (state.restored === 'false' && state.finished === 'finished') break;
    if (Date.now() > deadline) throw new Error(`Rerun of the restored panel did not finish a new scrape: ${JSON.stringify(state)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  const again = await panelRows(await finishedRun(wb, 'scrape', 4));
  assert.deepEqual(
    again.map((r) => [r.url, r.status, r.seeders, r.leechers]),
    scraped.map((r) => [r.url, r.status, r.seeders, r.leechers]),
  );
  assert.match(
    (await (await finishedRun(wb, 'scrape', 4)).locator('#summary').textContent()) ?? '',
    /^4 trackers in [\d,]+ ms: 4 worked\.$/,
  );
  assert.deepEqual(wb.dialogs, []);
});

test('the announce button of a tracker row in the editor confirms once, then announces to that tracker alone', async () => {
  const editor = await openTorrent(wb, TORRENT);
  await editor.locator('#tab-trackers').click();
  const url = trackers[1].http;
  const rows = await waitForRows(editor, 'trackers', (r) => r.some((row) => row.label === url), 'the tracker rows');
  const row = /** @type {import('../lib/editor.mjs').TreeRow} */ (rows.find((r) => r.label === url));
  assert.ok(row.actions.includes('announce'), `the row offers announce: ${row.actions}`);
  await editor.locator(`#trackers [role=treeitem][data-id="${row.id}"] button[data-action=announce]`).click();
  // Announcing discloses the user's address: the first announce of a session asks.
  const dialog = wb.page.locator('.monaco-dialog-box');
  await dialog.waitFor();
  assert.match((await dialog.textContent()) ?? '', /Announce to 1 tracker\?/);
  await dialog.getByRole('button', { name: 'Announce', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });

  const panel = await finishedRun(wb, 'announce', 1);
  const [result] = await panelRows(panel);
  assert.equal(result.url, url);
  assert.equal(result.status, 'working', result.message);
  assert.deepEqual(
    [result.seeders, result.leechers, result.peers],
    [String(trackers[1].seeders), String(trackers[1].leechers + 1), String(trackers[1].fakes.length + 1)],
  );
  assert.ok(((await panel.locator('#subtitle').textContent()) ?? '').includes(url), 'the panel says which tracker was asked');
  // The editor's trackers are unchanged by the run.
  assert.equal((await treeRows(editor, 'trackers')).filter((r) => r.level === 2).length, 4);
  assert.deepEqual(wb.dialogs, []);
});

test('Announce to Tracker from the command palette asks which trackers, then shows every tracker’s counts and peers', async () => {
  await openTorrent(wb, TORRENT);
  // Which trackers: all of them. (The announce confirmation was given earlier in this session.)
  await runCommandAndPick(wb.page, commandLabel('torrentLens.announce'), 'All trackers');

  const panel = await finishedRun(wb, 'announce', 4);
  const rows = await panelRows(panel);
  assert.deepEqual(
    rows.map((r) => r.url),
    trackers.flatMap((t) => [t.http, t.udp]),
  );
  for (const row of rows) {
    const tracker = trackerOf(row.url);
    assert.equal(row.status, 'working', `${tracker.name} ${row.url}: ${row.message}`);
    // While our `started` is in, the tracker counts us as a leecher (we have nothing of the torrent) and
    // both trackers list us among the peers.
    assert.deepEqual(
      [row.seeders, row.leechers, row.peers],
      [String(tracker.seeders), String(tracker.leechers + 1), String(tracker.fakes.length + 1)],
      `${tracker.name} ${row.url}: seeders, leechers, peers`,
    );
  }

  // The details of the bittorrent-tracker HTTP row list the fake peers at their addresses, and us.
  const btRow = /** @type {{ id: string }} */ (rows.find((r) => r.url === trackers[1].http));
  await panel.locator(`tr.tracker-row[data-tracker=${btRow.id}] button[data-action=toggle]`).click();
  const details = panel.locator(`tr[data-details-for=${btRow.id}]`);
  await details.locator('tr[data-peer]').first().waitFor();
  const peers = await details.locator('tr[data-peer]').evaluateAll((list) => list.map((e) => e.getAttribute('data-peer') ?? ''));
  assert.deepEqual(peers.sort(), [...trackers[1].fakes, `127.0.0.1|${OUR_PORT}`].sort());
  assert.match((await details.textContent()) ?? '', /sent; the tracker forgot this announce/, 'the stopped announce followed');
  await wb.screenshot('trackers-workbench');
  // Last: this leaves the panel maximized.
  await widePanelShot(panel, 'trackers-announce', 600);
  assert.deepEqual(wb.dialogs, []);
});
