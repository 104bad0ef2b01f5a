// The tracker results panel's webview in Chromium, with the host's own model of a run (TrackerRun) asking
// our misbehaving tracker on 127.0.0.1 and sending what it learns, as the extension does: live updates,
// rows waiting for a slot with how long they wait, statuses and counts, hostile text shown literally,
// details and raw answers (an HTML one too), sorting and resizing by mouse and keyboard, the table fitting
// panels from wide to very narrow, secrets shown and hidden again, and the actions sent back to the host.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import type { InfoHashTarget, TrackerTarget } from '../../src/core/tracker';
import type { RunView, TrackersHostEvent } from '../../src/shared/protocol/trackers';
import { trackerSettingsFrom } from '../../src/view-model/settings';
import { TrackerRun, type RunRequest } from '../../src/view-model/trackers/run';
import { startHostileTracker, type HostileTracker } from '../support/hostile-tracker';
import { misbehavingTrackers, torrentWithTrackers } from '../support/trackers-fixtures';
import { closeBrowser, openTrackersPage, type TrackersPage } from '../support/trackers-webview';

// Page callbacks run in Chromium; the tests are type-checked without the DOM library.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type El = any;
declare const document: El;
declare const window: El;

const V2: InfoHashTarget = { hex: '326ce27b3d990751d7eb34775b222cc43914693a', kind: 'v2' };
const PASSKEY = '0123456789abcdef0123456789';
// Local trackers answer in milliseconds; silent ones time out after 1.5 s, long enough for a busy machine.
const settings = { ...trackerSettingsFrom(() => undefined), timeoutMs: 1500, udpRetryTimeoutMs: 300, event: 'started' as const };
const screenshots = new URL('../../../test-results/', import.meta.url);

let tracker: HostileTracker;
let view: TrackersPage;
/** What the harness, playing the host, runs and shows. */
const host: { run?: TrackerRun; show: boolean; copied: number } = { show: false, copied: 0 };
let nextRunId = 1;

before(async () => {
  tracker = await startHostileTracker();
  view = await openTrackersPage({
    ready: () => null,
    getRaw: (request) => host.run?.raw(request.runId, request.rowId) ?? null,
    rerun: () => {},
    cancel: () => host.run?.cancel(),
    copyJson: () => {
      host.copied++;
      return host.run!.json().copied;
    },
    showLog: () => {},
  });
});
after(async () => {
  await view?.close();
  await closeBrowser();
  await tracker?.stop();
});

/** A run of the host's model over these trackers (tiers as listed), with v1 or both hashes. */
function newRun(kind: 'announce' | 'scrape', tiers: string[][], options: { hybrid?: boolean } = {}): TrackerRun {
  const parsed = parseMetainfo(torrentWithTrackers(tiers));
  assert.ok(parsed.ok);
  const metainfo = parsed.metainfo;
  const trackers: TrackerTarget[] = tiers.flatMap((urls, tier) => urls.map((url) => ({ url, tier })));
  const hashes: InfoHashTarget[] = [{ hex: metainfo.infoHash.v1!, kind: 'v1' }, ...(options.hybrid ? [V2] : [])];
  const request: RunRequest = {
    kind,
    torrentUri: 'file:///torrents/misbehaving.torrent',
    fileName: 'misbehaving.torrent',
    metainfo,
    trackers,
    hashes,
    target: { all: true },
  };
  return new TrackerRun(nextRunId++, request, settings, () => host.show);
}

/** Shows the run and plays it to the end, every event sent to the webview as the extension sends it. */
async function play(run: TrackerRun): Promise<void> {
  host.run = run;
  const sent: Promise<void>[] = [view.emit({ type: 'run', run: run.view(), sentAt: Date.now() })];
  await run.start(
    (event: TrackersHostEvent) => void sent.push(view.emit(event)),
    () => {},
  );
  await Promise.all(sent);
  await view.page.waitForSelector(`#summary[data-state="finished"]`);
}

const text = (selector: string) => view.page.$eval(selector, (e: El) => e.textContent);
const cell = (id: string, field: string) => text(`tr[data-tracker="${id}"] [data-field="${field}"]`);
/** The row id of the first row whose tracker URL contains `part`. */
const rowOf = (part: string) =>
  view.page.$$eval(
    'tr.tracker-row',
    (rows: El[], part: string) => rows.find((r) => r.querySelector('[data-field="url"]').textContent.includes(part))?.dataset.tracker,
    part,
  );

async function shot(name: string): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  await view.page.screenshot({ path: new URL(`${name}.png`, screenshots).pathname });
}

/**
 * Resizes the page and waits until the table has laid itself out for the new size: its ResizeObserver runs in
 * the frame after the window changed, so two frames later the layout is the new one.
 */
async function resizeTo(width: number, height: number): Promise<void> {
  await view.page.setViewportSize({ width, height });
  await view.page.waitForFunction((w: number) => window.innerWidth === w, width);
  await view.page.evaluate(() => new Promise((resolve) => window.requestAnimationFrame(() => window.requestAnimationFrame(resolve))));
}

test('before any run: the empty state, and the webview asked for the current run', async () => {
  assert.equal(await view.page.isVisible('#empty'), true);
  assert.equal(await view.page.isVisible('#results'), false);
  assert.deepEqual(view.requests, ['ready']);
});

test('a hybrid announce fills in live, row by row, grouped by tier, and says how each tracker did', async () => {
  const tiers = [
    [`${tracker.httpUrl('dict-peers')}?passkey=${PASSKEY}`, tracker.httpUrl('hostile-text')],
    [tracker.httpUrl('external-ip'), tracker.httpUrl('slow')],
    ['gopher://tracker.example/announce'],
  ];
  const run = newRun('announce', tiers, { hybrid: true });
  host.run = run;
  await view.emit({ type: 'run', run: run.view(), sentAt: Date.now() });
  assert.equal(await view.page.$$eval('tr[data-tracker]', (rows: El[]) => rows.length), 10);
  assert.deepEqual(await view.page.$$eval('tbody.tier-group', (rows: El[]) => rows.map((r) => r.textContent)), [
    'Tier 1',
    'Tier 2',
    'Tier 3',
  ]);
  assert.equal(await view.page.$$eval('tr[data-status="waiting"]', (rows: El[]) => rows.length), 10);
  assert.equal(await text('#title'), 'misbehaving-trackers.bin');
  assert.equal(await text('#summary'), '5 trackers × 2 info hashes: 10 waiting for a slot.');
  assert.ok(!(await cell('r0', 'url'))!.includes(PASSKEY), 'passkey redacted');
  assert.equal(await view.page.isVisible('#secrets-note'), true, 'the panel says secrets are hidden, and how to show them');

  await play(run);
  assert.match(
    (await text('#summary'))!,
    /^5 trackers × 2 info hashes in [\d,]+ ms: 4 worked, 2 answered with an error, 2 timed out, 2 not contacted\.$/,
  );
  assert.deepEqual(await view.page.$$eval('#summary .count', (e: El[]) => e.map((c) => c.dataset.count)), [
    'working',
    'tracker-error',
    'timed-out',
    'not-contacted',
  ]);
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
  assert.equal(await cell('r0', 'seeders'), '1');
  assert.equal(await cell('r0', 'leechers'), '5');
  assert.equal(await cell('r0', 'peers'), '5');
  assert.equal(await cell('r0', 'hash'), 'v1');
  assert.equal(await cell('r1', 'hash'), 'v2');
  assert.equal(await cell('r4', 'externalIp'), '203.0.113.7');
  assert.equal(await cell('r4', 'trackerId'), 'hostile-42');
  assert.equal(await cell('r4', 'interval'), '30 min / 15 min');
  assert.equal(await cell('r6', 'status'), 'timed out');
  assert.match((await cell('r6', 'message'))!, /^timed out after 1,500 ms/);
  assert.match((await cell('r8', 'message'))!, /unsupported tracker scheme "gopher:"/);
  assert.equal(await cell('r8', 'protocol'), '–');
});

test('hostile tracker text is shown literally and runs nothing', async () => {
  assert.equal(await cell('r2', 'message'), 'bad \\x1b[31mred\\x07 <script>alert(1)</script>\\r\\nline');
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
  assert.ok(!attempts[0]!.includes(PASSKEY));
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

  // Down arrow moves to the next row's details button.
  await view.page.focus('tr[data-tracker="r0"] button.expander');
  await view.page.keyboard.press('ArrowDown');
  assert.equal(await view.page.evaluate(() => (document.activeElement?.closest('tr') as El | null)?.dataset.tracker), 'r1');
});

test('secrets shown and hidden again without asking the trackers again: the rows, the details and the raw answer follow', async () => {
  const requests = tracker.httpRequests.length;
  host.show = true;
  await view.emit({ type: 'run', run: host.run!.view(), sentAt: Date.now() });
  assert.ok((await cell('r0', 'url'))!.includes(PASSKEY));
  assert.equal(await view.page.isVisible('tr[data-details-for="r0"]'), true, 'open details stay open');
  assert.ok((await text('tr[data-details-for="r0"] ol.attempts'))!.includes(PASSKEY));
  assert.equal(await view.page.isVisible('#secrets-note'), false);
  host.show = false;
  await view.emit({ type: 'run', run: host.run!.view(), sentAt: Date.now() });
  assert.ok(!(await view.page.textContent('#results'))!.includes(PASSKEY));
  assert.equal(tracker.httpRequests.length, requests);
});

test('headers sort: seeders most first, then fewest first, then the torrent’s order again; by keyboard too', async () => {
  const order = () => view.page.$$eval('tr.tracker-row', (rows: El[]) => rows.map((r) => r.dataset.tracker));
  const unsorted = await order();
  await view.page.click('th[data-column="seeders"] button.sort');
  assert.equal(await view.page.getAttribute('th[data-column="seeders"]', 'aria-sort'), 'descending');
  assert.equal(await view.page.getAttribute('th[data-column="leechers"]', 'aria-sort'), 'none');
  const seeds = await view.page.$$eval('tr.tracker-row [data-field="seeders"]', (cells: El[]) => cells.map((c) => c.textContent));
  assert.deepEqual(seeds, ['3', '3', '1', '1', '–', '–', '–', '–', '–', '–']);
  assert.equal(await view.page.isVisible('tbody.tier-group'), false, 'a sorted table has no tier headings…');
  assert.equal(await view.page.isVisible('tr[data-tracker="r4"] .tier-badge'), true, '…each row names its tier');
  assert.equal(await text('tr[data-tracker="r4"] .tier-badge'), 'T2');
  await view.page.click('th[data-column="seeders"] button.sort');
  assert.equal(await view.page.getAttribute('th[data-column="seeders"]', 'aria-sort'), 'ascending');
  assert.deepEqual(
    await view.page.$$eval('tr.tracker-row [data-field="seeders"]', (cells: El[]) => cells.map((c) => c.textContent)),
    ['1', '1', '3', '3', '–', '–', '–', '–', '–', '–'],
    'rows without a count stay last either way',
  );
  await view.page.click('th[data-column="seeders"] button.sort');
  assert.equal(await view.page.getAttribute('th[data-column="seeders"]', 'aria-sort'), 'none');
  assert.deepEqual(await order(), unsorted);
  assert.equal(await view.page.isVisible('tbody.tier-group'), true);

  await view.page.focus('th[data-column="status"] button.sort');
  await view.page.keyboard.press('Enter');
  assert.equal(await view.page.getAttribute('th[data-column="status"]', 'aria-sort'), 'ascending');
  assert.deepEqual(await view.page.$$eval('tr.tracker-row', (rows: El[]) => [...new Set(rows.map((r) => r.dataset.status))]), [
    'working',
    'tracker-error',
    'timed-out',
    'not-contacted',
  ]);
  assert.equal(
    await view.page.evaluate(() => document.activeElement?.closest('th')?.dataset.column),
    'status',
    'focus stays on the header',
  );
  await view.page.keyboard.press('Enter');
  await view.page.keyboard.press('Enter');
  assert.deepEqual(await order(), unsorted);
});

test('column edges resize by keyboard (← →) and by dragging, and keep their width', async () => {
  const width = (column: string) => view.page.$eval(`col[data-column="${column}"]`, (c: El) => parseFloat(c.style.width));
  const before = await width('seeders');
  await view.page.focus('.resizer[data-resize="seeders"]');
  assert.equal(await view.page.getAttribute('.resizer[data-resize="seeders"]', 'role'), 'separator');
  for (let i = 0; i < 3; i++) await view.page.keyboard.press('ArrowRight');
  assert.equal(await width('seeders'), before + 30);
  assert.equal(await view.page.getAttribute('.resizer[data-resize="seeders"]', 'aria-valuenow'), String(before + 30));
  await view.page.keyboard.press('ArrowLeft');
  assert.equal(await width('seeders'), before + 20);

  const handle = await view.page.$('.resizer[data-resize="status"]');
  const box = await handle.boundingBox();
  const statusBefore = await width('status');
  await view.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await view.page.mouse.down();
  await view.page.mouse.move(box.x + box.width / 2 + 40, box.y + box.height / 2, { steps: 4 });
  await view.page.mouse.up();
  assert.equal(await width('status'), statusBefore + 40);
  assert.equal(await view.page.getAttribute('th[data-column="status"]', 'aria-sort'), 'none', 'dragging an edge sorts nothing');
});

test('waiting rows say how long they have waited, and keep counting', async () => {
  const run = newRun('announce', [[tracker.httpUrl('slow'), tracker.httpUrl('ok')]]);
  const shown: RunView = run.view();
  // As if the first had waited a minute for a slot and the second were being asked for 3 s.
  const now = Date.now();
  shown.rows[0].since = now - 65_000;
  shown.rows[1] = { ...shown.rows[1], status: 'pending', since: now - 3_000 };
  await view.emit({ type: 'run', run: shown, sentAt: now });
  assert.equal(await cell('r0', 'status'), 'waiting 65 s');
  assert.equal(await cell('r1', 'status'), 'asking 3 s');
  assert.equal(await text('#summary'), '2 trackers: 1 being asked, 1 waiting for a slot.');
  await view.page.waitForFunction(
    () => document.querySelector('tr[data-tracker="r0"] .status-label')?.textContent === 'waiting 66 s',
    undefined,
    {
      timeout: 3000,
    },
  );
  // Narrower, the status shows as its icon and its words move to the line under the row, or the row becomes
  // a card: either way it still says how long it has waited.
  for (const width of [520, 440, 340]) {
    await resizeTo(width, 700);
    const shown = await view.page.$$eval('tbody[data-row="r0"] [data-since][data-label]', (labels: El[]) =>
      labels.filter((l) => l.offsetParent !== null).map((l) => l.textContent),
    );
    assert.equal(shown.length, 1, `${width} px: ${JSON.stringify(shown)}`);
    assert.match(shown[0], /^waiting 6\d s$/, `${width} px`);
  }
  await view.page.setViewportSize({ width: 1400, height: 900 });
});

test('a torrent with many misbehaving trackers fits panels from wide to very narrow: the counts always show, the message wraps', async () => {
  const run = newRun('announce', await misbehavingTrackers(tracker));
  await play(run);
  const rows = await view.page.$$eval('tr.tracker-row', (r: El[]) => r.length);
  assert.equal(rows, 20);
  const failure = await rowOf('/failure/');
  const counts = ['seeders', 'leechers', 'downloaded', 'peers'];
  const layouts: string[] = [];
  for (const [width, height] of [
    [1400, 900],
    [1000, 800],
    [700, 800],
    [560, 800],
    [400, 800],
    [340, 700],
  ]) {
    await resizeTo(width, height);
    const state = await view.page.evaluate(
      ({ counts, failure }: { counts: string[]; failure: string }) => {
        const scroller = document.getElementById('scroller');
        const table = document.getElementById('results');
        const row = document.querySelector(`tr[data-tracker="${failure}"]`);
        const inView = (e: El) => {
          if (!e || e.offsetParent === null) return false;
          const r = e.getBoundingClientRect();
          return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth + 0.5;
        };
        const message =
          [...row.querySelectorAll('[data-field="message"]')].find((e: El) => e.offsetParent !== null) ??
          [...row.parentElement.querySelectorAll('.fold [data-part="message"]')].find((e: El) => e.offsetParent !== null);
        const messageCell = message?.closest('td');
        return {
          layout: table.dataset.layout,
          fold: table.dataset.fold,
          overflow: scroller.scrollWidth - scroller.clientWidth,
          countsInView: counts.map((c: string) => inView(row.querySelector(`[data-field="${c}"]`))),
          url: inView(row.querySelector('[data-field="url"]')),
          message: message ? { text: message.textContent, clipped: messageCell.scrollWidth > messageCell.clientWidth + 1 } : null,
        };
      },
      { counts, failure },
    );
    layouts.push(`${width}: ${state.layout} (${state.fold})`);
    await shot(`tracker-panel-${width}`);
    assert.equal(state.overflow <= 0, true, `${width} px: nothing off to the side (${state.overflow} px)`);
    assert.deepEqual(state.countsInView, [true, true, true, true], `${width} px: seeds, leeches, downloads and peers in view`);
    assert.equal(state.url, true, `${width} px: the tracker in view`);
    assert.ok(state.message, `${width} px: the message shows`);
    assert.equal(state.message.text, 'torrent not registered with this tracker', `${width} px`);
    assert.equal(state.message.clipped, false, `${width} px: the message wraps, not clipped`);
  }
  assert.match(layouts[0], /^1400: table \(trackerId externalIp/, layouts.join('\n'));
  assert.ok(!layouts[0].includes('message'), `at 1400 px the message is a column: ${layouts[0]}`);
  assert.match(layouts.at(-1)!, /^340: cards/, layouts.join('\n'));
  await view.page.setViewportSize({ width: 1400, height: 900 });
});

test('what misbehaving trackers say, worded alike: big counts, absurd intervals, retry in, Retry-After, WebSocket peers', async () => {
  const big = (await rowOf('/big-counts/'))!;
  assert.deepEqual(
    [await cell(big, 'seeders'), await cell(big, 'leechers'), await cell(big, 'downloaded')],
    ['1,234,567', '89,012', '3,456,789'],
  );
  const absurd = (await rowOf('/absurd-interval/'))!;
  assert.equal(await cell(absurd, 'interval'), '8 h / 4 h', 'clamped as rtorrent does');
  assert.match((await cell(absurd, 'message'))!, /"interval" is 1,099,511,627,776 s; taken as 28,800 s \(8 hours\)/);
  assert.match((await cell((await rowOf('/retry/'))!, 'message'))!, /^tracker overloaded · Retry in 30 min\.$/);
  assert.match((await cell((await rowOf('/busy-429/'))!, 'message'))!, /Retry-After\) · Retry in 2 min\.$/);
  const ws = (await rowOf('ws://'))!;
  assert.equal(await cell(ws, 'protocol'), 'WS');
  assert.deepEqual([await cell(ws, 'seeders'), await cell(ws, 'leechers'), await cell(ws, 'peers')], ['4', '1', 'WebRTC']);
  assert.match(
    (await cell(ws, 'message'))!,
    /Note: peers behind a WebSocket tracker are WebRTC peers \(WebTorrent\), which Torrent Lens does not contact/,
  );
  const html = (await rowOf('/html/'))!;
  assert.equal(
    await cell(html, 'message'),
    'the answer is not bencode: it looks like HTML (text/html): "<html><body><h1>Tracker is down for maintenance</h1></body></html>"',
  );
  assert.equal(await cell((await rowOf('/slow/'))!, 'message'), 'timed out after 1,500 ms while waiting for the answer');
});

test('a row’s details say everything, also what its folded columns would: interval, time, tracker id', async () => {
  const warning = (await rowOf('/warning/'))!;
  await view.page.setViewportSize({ width: 600, height: 800 });
  await view.page.waitForFunction(() => (document.getElementById('results').dataset.fold ?? '').includes('interval'));
  await view.page.click(`tr[data-tracker="${warning}"] button.expander`);
  const facts = await view.page.$$eval(`tr[data-details-for="${warning}"] dl.facts dd`, (dds: El[]) =>
    dds.filter((dd) => dd.offsetParent !== null).map((dd) => `${dd.dataset.field}: ${dd.textContent}`),
  );
  assert.ok(facts.includes('interval: 1,800 s (30 min)'), facts.join('\n'));
  assert.ok(facts.includes('minInterval: 900 s (15 min)'), facts.join('\n'));
  assert.ok(facts.includes('trackerId: hostile-42'), facts.join('\n'));
  assert.ok(facts.includes('warning: your client is outdated'), facts.join('\n'));
  await view.page.click(`tr[data-tracker="${warning}"] button.expander`);
  await view.page.setViewportSize({ width: 1400, height: 900 });
});

test('an HTML answer opens as raw text, as a bencoded one does', async () => {
  const html = (await rowOf('/html/'))!;
  await view.page.click(`tr[data-tracker="${html}"] button.expander`);
  await view.page.click(`tr[data-details-for="${html}"] button[data-action="raw"]`);
  await view.page.waitForSelector(`tr[data-details-for="${html}"] pre[data-field="raw"]`);
  assert.equal(
    await text(`tr[data-details-for="${html}"] pre[data-field="raw"]`),
    '(text/html, 66 bytes)\n<html><body><h1>Tracker is down for maintenance</h1></body></html>',
  );
  await shot('tracker-panel-html-answer');
});

test('Copy as JSON reaches the host and says what it copied; rerun and show log reach the host', async () => {
  await view.page.click('#copy-json');
  await view.page.waitForFunction(() => document.querySelector('#toast.visible'));
  assert.match((await text('#toast'))!, /^Copied 20 results as JSON \([\d.]+ KiB\), secrets \[redacted\]\.$/);
  assert.equal(host.copied, 1);
  await view.page.click('#rerun');
  await view.page.click('#show-log');
  await view.page.waitForFunction(() => true);
  for (const request of ['copyJson', 'rerun', 'showLog']) assert.ok(view.requests.includes(request), request);
});

test('a scrape run: per-hash counts, an unknown torrent and a tracker without a scrape URL', async () => {
  const run = newRun('scrape', [[tracker.httpUrl('ok'), tracker.httpUrl('ok', 'tracker')], [await tracker.udpUrl('ok')]], { hybrid: true });
  await view.emit({ type: 'run', run: run.view(), sentAt: Date.now() });
  assert.equal(await view.page.$$eval('th[data-column="peers"]', (e: El[]) => e.length), 0, 'no peer column for scrapes');
  await play(run);
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
  assert.match((await cell('r2', 'message'))!, /no scrape URL/);
  // Rows of an older run that arrive late are ignored.
  const late = run.view().rows[0];
  await view.emit({ type: 'rows', runId: run.runId - 1, rows: [{ ...late, seeders: 999 }], sentAt: Date.now() });
  assert.equal(await cell('r0', 'seeders'), '10');
});

test('after a reload the last finished run comes back from the saved state, marked as such, and Rerun asks the host', async () => {
  const before = await view.page.$$eval('tr[data-tracker]', (rows: El[]) =>
    rows.map((r) => [r.dataset.status, r.querySelector('[data-field="seeders"]')!.textContent]),
  );
  await view.page.click('tr[data-tracker="r0"] button.expander');
  await view.page.click('th[data-column="leechers"] button.sort');
  const widthBefore = await view.page.$eval('col[data-column="seeders"]', (c: El) => c.style.width);
  const requestsBefore = view.requests.length;
  await view.page.reload();
  // The host of a restored panel has no run: `ready` answers null and the webview shows what it saved.
  await view.page.waitForSelector('#summary[data-restored="true"]');
  assert.equal(view.requests[requestsBefore], 'ready');
  assert.deepEqual(
    await view.page.$$eval('tr[data-tracker]', (rows: El[]) =>
      rows
        .map((r) => [r.dataset.tracker, r.dataset.status, r.querySelector('[data-field="seeders"]')!.textContent])
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([, status, seeders]) => [status, seeders]),
    ),
    before,
  );
  assert.match(
    (await text('#summary'))!,
    /^From before VS Code reloaded: 3 trackers × 2 info hashes in [\d,]+ ms: 4 worked, 2 not contacted\. Rerun asks the trackers again\.$/,
  );
  assert.equal(await view.page.isVisible('tr[data-details-for="r0"]'), true, 'open details stay open');
  assert.equal(await view.page.getAttribute('th[data-column="leechers"]', 'aria-sort'), 'descending', 'the sort order stays');
  assert.equal(await view.page.$eval('col[data-column="seeders"]', (c: El) => c.style.width), widthBefore, 'column widths stay');
  assert.equal(await view.page.isDisabled('#copy-json'), true, 'the host has no answers to copy');
  await view.page.click('#rerun');
  await view.page.waitForFunction(() => true);
  assert.equal(view.requests.at(-1), 'rerun');

  // The rerun's run replaces the restored one.
  const rerun = newRun('scrape', [[tracker.httpUrl('ok')]]);
  await view.emit({ type: 'run', run: rerun.view(), sentAt: Date.now() });
  assert.equal(await view.page.getAttribute('#summary', 'data-restored'), 'false');
  assert.equal(await text('#summary'), '1 tracker: 1 waiting for a slot.');
});

test('a run still going at a reload is not saved as if it had finished', async () => {
  await view.page.reload();
  await view.page.waitForSelector('#empty');
  await view.page.waitForFunction(() => true);
  assert.equal(await view.page.isVisible('#empty'), true);
  assert.equal(await view.page.isVisible('#results'), false);
});
