// The tracker results panel's webview in Chromium, fed with rows built from real answers of the
// misbehaving tracker: live updates, statuses, hostile text shown literally, details by keyboard, raw
// answers on demand, and the actions sent back to the host.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  announceAll,
  scrapeAll,
  redactResult,
  UdpConnectionCache,
  type AnnounceResult,
  type InfoHashTarget,
  type ScrapeResult,
  type TrackerTarget,
} from '../../src/core/tracker';
import { announceRow, pendingRows, rowId, scrapeRows } from '../../src/view-model/trackers/rows';
import type { RunView, TrackerRow } from '../../src/shared/protocol/trackers';
import { startHostileTracker, type HostileTracker } from '../support/hostile-tracker';
import { closeBrowser, openTrackersPage, type TrackersPage } from '../support/trackers-webview';

// Page callbacks run in Chromium; the tests are type-checked without the DOM library.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type El = any;
declare const document: El;

const V1: InfoHashTarget = { hex: 'c0ffee00112233445566778899aabbccddeeff01', kind: 'v1' };
const V2: InfoHashTarget = { hex: '326ce27b3d990751d7eb34775b222cc43914693a', kind: 'v2' };

let tracker: HostileTracker;
let view: TrackersPage;
const results = new Map<string, AnnounceResult>();
let run: RunView;

before(async () => {
  tracker = await startHostileTracker();
  view = await openTrackersPage({
    ready: () => null,
    getRaw: (request) => {
      const result = results.get(request.rowId);
      return result ? (redactResult(result).raw ?? null) : null;
    },
    rerun: () => {},
    cancel: () => {},
    copyJson: () => {},
    showLog: () => {},
  });
});
after(async () => {
  await view?.close();
  await closeBrowser();
  await tracker?.stop();
});

const text = (selector: string) => view.page.$eval(selector, (e: El) => e.textContent);

test('before any run: the empty state, and the webview asked for the current run', async () => {
  assert.equal(await view.page.isVisible('#empty'), true);
  assert.equal(await view.page.isVisible('#results'), false);
  assert.deepEqual(view.requests, ['ready']);
});

test('a hybrid announce fills in live, row by row, grouped by tier', async () => {
  const trackers: TrackerTarget[] = [
    { url: `${tracker.httpUrl('dict-peers')}?passkey=0123456789abcdef0123456789`, tier: 0 },
    { url: tracker.httpUrl('hostile-text'), tier: 0 },
    { url: tracker.httpUrl('external-ip'), tier: 1 },
    { url: tracker.httpUrl('slow'), tier: 1 },
    { url: 'gopher://tracker.example/announce', tier: 2 },
  ];
  const hashes = [V1, V2];
  run = {
    runId: 1,
    kind: 'announce',
    source: { torrentUri: 'file:///torrents/lab-hybrid.torrent', target: { all: true } },
    fileName: 'lab-hybrid.torrent',
    torrentName: 'lab <b>hybrid</b>',
    infoHash: { v1: V1.hex, v2Truncated: V2.hex },
    scope: 'all trackers',
    event: 'started-then-stopped',
    rows: pendingRows(trackers, hashes, false),
    running: true,
  };
  await view.emit({ type: 'run', run });
  assert.equal(await view.page.$$eval('tr[data-tracker]', (rows: El[]) => rows.length), 10);
  assert.deepEqual(await view.page.$$eval('tr.tier-row', (rows: El[]) => rows.map((r) => r.textContent)), ['Tier 1', 'Tier 2', 'Tier 3']);
  assert.equal(await view.page.$$eval('tr[data-status="pending"]', (rows: El[]) => rows.length), 10);
  assert.equal(await text('#title'), 'lab <b>hybrid</b>');
  assert.match((await text('#summary'))!, /^Waiting for 10 of 10… 0 answered so far\.$/);
  assert.ok(!(await text('tr[data-tracker="r0"] [data-field="url"]'))!.includes('0123456789abcdef0123456789'), 'passkey redacted');

  const index = new Map(trackers.map((t, i) => [t.url, i]));
  const delivered: string[] = [];
  await announceAll(
    trackers,
    hashes,
    { timeoutMs: 400, event: 'started', left: 50006, udpConnections: new UdpConnectionCache() },
    (result) => {
      const id = rowId(index.get(result.tracker)!, result.hashKind === 'v1' ? 0 : 1, 2);
      results.set(id, result);
      const row = announceRow(
        run.rows.find((r) => r.id === id)!,
        result,
        false,
      );
      run.rows[Number(id.slice(1))] = row;
      delivered.push(id);
      void view.emit({ type: 'rows', runId: 1, rows: [row] });
    },
  );
  await view.emit({ type: 'finished', runId: 1, durationMs: 412, cancelled: false });
  assert.equal(delivered.length, 10);
  assert.match((await text('#summary'))!, /^4 of 10 answered in 412 ms\.$/);

  const status = (id: string) => view.page.$eval(`tr[data-tracker="${id}"]`, (e: El) => e.dataset.status);
  assert.deepEqual(await Promise.all(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9'].map(status)), [
    'working',
    'working',
    'tracker-error',
    'tracker-error',
    'working',
    'working',
    'timed-out',
    'timed-out',
    'not-contacted',
    'not-contacted',
  ]);
  assert.equal(await text('tr[data-tracker="r0"] [data-field="seeders"]'), '1');
  assert.equal(await text('tr[data-tracker="r0"] [data-field="leechers"]'), '5');
  assert.equal(await text('tr[data-tracker="r0"] [data-field="peers"]'), '5');
  assert.equal(await text('tr[data-tracker="r0"] [data-field="hash"]'), 'v1');
  assert.equal(await text('tr[data-tracker="r1"] [data-field="hash"]'), 'v2');
  assert.equal(await text('tr[data-tracker="r4"] [data-field="externalIp"]'), '203.0.113.7');
  assert.equal(await text('tr[data-tracker="r4"] [data-field="trackerId"]'), 'hostile-42');
  assert.equal(await text('tr[data-tracker="r4"] [data-field="interval"]'), '30 min / 15 min');
  assert.equal(await text('tr[data-tracker="r6"] [data-field="status"]'), 'timed out');
  assert.match((await text('tr[data-tracker="r6"] [data-field="message"]'))!, /^timed out after 400 ms/);
  assert.match((await text('tr[data-tracker="r8"] [data-field="message"]'))!, /unsupported tracker scheme "gopher:"/);
  assert.equal(await text('tr[data-tracker="r8"] [data-field="protocol"]'), '–');
});

test('hostile tracker text is shown literally and runs nothing', async () => {
  const message = await text('tr[data-tracker="r2"] [data-field="message"]');
  assert.equal(message, 'bad \\x1b[31mred\\x07 <script>alert(1)</script>\\r\\nline');
  assert.equal(await view.page.$$eval('#results script, #results img, #title b', (e: El[]) => e.length), 0);
  assert.deepEqual(view.dialogs, []);
  assert.deepEqual(view.errors, []);
});

test('details open by keyboard: what was tried, peers with client names, the raw answer on demand', async () => {
  await view.page.focus('tr[data-tracker="r0"] button.expander');
  await view.page.keyboard.press('Enter');
  assert.equal(await view.page.getAttribute('tr[data-tracker="r0"] button.expander', 'aria-expanded'), 'true');
  assert.equal(await view.page.isVisible('tr[data-details-for="r0"]'), true);
  assert.deepEqual(
    await view.page.$$eval('tr[data-details-for="r0"] table.peers tr[data-peer]', (rows: El[]) =>
      rows.map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent)),
    ),
    [
      ['192.0.2.1', '6881', '-TR2940-k8hj0wgej6ch', 'Transmission 2.94'],
      ['192.0.2.2', '6882', '-qB4520-abcdefghijkl', 'qBittorrent 4.5.2'],
      ['2001:db8::7', '6883', 'M4-4-0--9aa757efd5bc', 'BitTorrent (Mainline) 4.4.0'],
      ['192.0.2.4', '6884', 'S58B-----abcdefghijk', 'Shadow 5.8.11'],
      ['192.0.2.5', '6885', '-ZZ0001-%00%01%02%03%04%05%06%07%08%09%0A%0B', 'unknown client -ZZ- 0.0.0.1'],
    ],
  );
  const attempts = await view.page.$$eval('tr[data-details-for="r0"] ol.attempts li', (items: El[]) => items.map((i) => i.textContent));
  assert.equal(attempts.length, 1);
  assert.match(attempts[0]!, /GET http:\/\/127\.0\.0\.1:\d+\/dict-peers\/announce\?passkey=\[redacted\]&info_hash=.* → HTTP 200 OK/);
  assert.ok(!attempts[0]!.includes('0123456789abcdef0123456789'));
  // Notes say where the tracker bent the protocol (a peer with a hostile "ip" was skipped).
  assert.match(
    (await text('tr[data-details-for="r0"] [data-section="notes"]'))!,
    /1 dictionary peers without a valid ip and port were skipped/,
  );

  await view.page.click('tr[data-details-for="r0"] button[data-action="raw"]');
  await view.page.waitForSelector('tr[data-details-for="r0"] pre[data-field="raw"]');
  const raw = (await text('tr[data-details-for="r0"] pre[data-field="raw"]'))!;
  assert.match(raw, /"interval": 1800/);
  assert.match(raw, /"ip": "<img src=x onerror=alert\(1\)>"/);
  assert.deepEqual(view.dialogs, []);
  assert.ok(view.requests.includes('getRaw'));
  // For looking at the panel by eye: TRACKER_PANEL_SCREENSHOT=path.png
  if (process.env.TRACKER_PANEL_SCREENSHOT) await view.page.screenshot({ path: process.env.TRACKER_PANEL_SCREENSHOT, fullPage: true });

  // Down arrow moves to the next row's details button.
  await view.page.focus('tr[data-tracker="r0"] button.expander');
  await view.page.keyboard.press('ArrowDown');
  assert.equal(await view.page.evaluate(() => (document.activeElement?.closest('tr') as El | null)?.dataset.tracker), 'r1');
});

test('actions reach the host: copy as JSON, rerun, show log', async () => {
  await view.page.click('#copy-json');
  await view.page.click('#rerun');
  await view.page.click('#show-log');
  await view.page.waitForFunction(() => true);
  for (const request of ['copyJson', 'rerun', 'showLog']) assert.ok(view.requests.includes(request), request);
});

test('a scrape run: per-hash counts, an unknown torrent and a tracker without a scrape URL', async () => {
  const trackers: TrackerTarget[] = [
    { url: tracker.httpUrl('ok'), tier: 0 },
    { url: tracker.httpUrl('ok', 'tracker'), tier: 0 },
    { url: await tracker.udpUrl('ok'), tier: 1 },
  ];
  const hashes = [V1, V2];
  const scrape: RunView = {
    runId: 2,
    kind: 'scrape',
    source: { torrentUri: 'file:///torrents/x.torrent', target: { all: true } },
    fileName: 'x.torrent',
    torrentName: 'x',
    infoHash: { v1: V1.hex },
    scope: 'all trackers',
    rows: pendingRows(trackers, hashes, false),
    running: true,
  };
  await view.emit({ type: 'run', run: scrape });
  assert.equal(await view.page.$$eval('th[data-column="peers"]', (e: El[]) => e.length), 0, 'no peer column for scrapes');
  const index = new Map(trackers.map((t, i) => [t.url, i]));
  const all: ScrapeResult[] = await scrapeAll(trackers, hashes, { udpConnections: new UdpConnectionCache() }, (result) => {
    const t = index.get(result.tracker)!;
    const rows = scrapeRows(
      [0, 1].map((h) => scrape.rows[t * 2 + h]),
      result,
      false,
    );
    rows.forEach((row: TrackerRow) => (scrape.rows[Number(row.id.slice(1))] = row));
    void view.emit({ type: 'rows', runId: 2, rows });
  });
  await view.emit({ type: 'finished', runId: 2, durationMs: 5, cancelled: false });
  assert.equal(all.length, 3);
  assert.deepEqual(
    await view.page.$$eval('tr[data-tracker]', (rows: El[]) =>
      rows.map((r) => [
        r.dataset.status,
        r.querySelector('[data-field="seeders"]')!.textContent,
        r.querySelector('[data-field="leechers"]')!.textContent,
      ]),
    ),
    [
      ['working', '10', '20'],
      ['working', '11', '21'],
      ['not-contacted', '–', '–'],
      ['not-contacted', '–', '–'],
      ['working', '10', '20'],
      ['working', '11', '21'],
    ],
  );
  assert.match((await text('tr[data-tracker="r2"] [data-field="message"]'))!, /no scrape URL/);
  // Rows of an older run that arrive late are ignored.
  await view.emit({ type: 'rows', runId: 1, rows: [{ ...scrape.rows[0], seeders: 999 }] });
  assert.equal(await text('tr[data-tracker="r0"] [data-field="seeders"]'), '10');
});

test('after a reload the last finished run comes back from the saved state, marked as such, and Rerun asks the host', async () => {
  const before = await view.page.$$eval('tr[data-tracker]', (rows: El[]) =>
    rows.map((r) => [r.dataset.status, r.querySelector('[data-field="seeders"]')!.textContent]),
  );
  await view.page.click('tr[data-tracker="r0"] button.expander');
  const requestsBefore = view.requests.length;
  await view.page.reload();
  // The host of a restored panel has no run: `ready` answers null and the webview shows what it saved.
  await view.page.waitForSelector('#summary[data-restored="true"]');
  assert.equal(view.requests[requestsBefore], 'ready');
  assert.deepEqual(
    await view.page.$$eval('tr[data-tracker]', (rows: El[]) =>
      rows.map((r) => [r.dataset.status, r.querySelector('[data-field="seeders"]')!.textContent]),
    ),
    before,
  );
  assert.equal(await text('#summary'), 'From before VS Code reloaded: 4 of 6 answered. Rerun asks the trackers again.');
  assert.equal(await view.page.isVisible('tr[data-details-for="r0"]'), true, 'open details stay open');
  assert.equal(await view.page.isDisabled('#copy-json'), true, 'the host has no answers to copy');
  await view.page.click('#rerun');
  await view.page.waitForFunction(() => true);
  assert.equal(view.requests.at(-1), 'rerun');

  // The rerun's run replaces the restored one.
  await view.emit({
    type: 'run',
    run: { ...run, runId: 1, running: true, rows: run.rows.map((r) => ({ ...r, status: 'pending' as const })) },
  });
  assert.equal(await view.page.getAttribute('#summary', 'data-restored'), 'false');
  assert.match((await text('#summary'))!, /^Waiting for 10 of 10/);
});

test('a run still going at a reload is not saved as if it had finished', async () => {
  await view.page.reload();
  await view.page.waitForSelector('#empty');
  await view.page.waitForFunction(() => true);
  assert.equal(await view.page.isVisible('#empty'), true);
  assert.equal(await view.page.isVisible('#results'), false);
});
