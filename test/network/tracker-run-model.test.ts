// A tracker run as the results panel shows it (src/view-model/trackers/run.ts), against our misbehaving
// tracker on 127.0.0.1: rows waiting for a slot, then asked, then answered, each sent as it changes; the
// end; the JSON report and raw answers as shown at that moment; secrets shown and hidden again without
// asking the trackers again; and Cancel.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { encode, type Encodable } from '../../src/core/bencode/decode';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import type { Metainfo } from '../../src/core/metainfo/types';
import { DEFAULTS, type InfoHashTarget, type TrackerTarget } from '../../src/core/tracker';
import type { TrackerRow, TrackersHostEvent } from '../../src/shared/protocol/trackers';
import { logLine } from '../../src/view-model/log-line';
import { trackerSettingsFrom } from '../../src/view-model/settings';
import { TrackerRun, type RunLog, type RunRequest } from '../../src/view-model/trackers/run';
import { startHostileTracker, type HostileTracker } from '../support/hostile-tracker';

const PASSKEY = '0123456789abcdef0123456789';
const settings = { ...trackerSettingsFrom(() => undefined), timeoutMs: 3000, udpRetryTimeoutMs: 200, event: 'started' as const };

let tracker: HostileTracker;
before(async () => {
  tracker = await startHostileTracker();
});
after(() => tracker?.stop());

function torrent(trackers: TrackerTarget[] = [], isPrivate = false): Metainfo {
  const info: Record<string, Encodable> = { name: 'run.bin', length: 5, 'piece length': 16384, pieces: new Uint8Array(20) };
  if (isPrivate) info.private = 1;
  const tiers: string[][] = [];
  for (const t of trackers) (tiers[t.tier] ??= []).push(t.url);
  const parsed = parseMetainfo(encode(tiers.length ? { 'announce-list': tiers.filter(Boolean), info } : { info }));
  assert.ok(parsed.ok);
  return parsed.metainfo;
}

function request(kind: 'announce' | 'scrape', trackers: TrackerTarget[], hashes?: InfoHashTarget[], isPrivate = false): RunRequest {
  const metainfo = torrent(trackers, isPrivate);
  return {
    kind,
    torrentUri: 'file:///torrents/run.torrent',
    fileName: 'run.torrent',
    metainfo,
    trackers,
    hashes: hashes ?? [{ hex: metainfo.infoHash.v1!, kind: 'v1' }],
    target: { all: true },
  };
}

function recorder() {
  const events: TrackersHostEvent[] = [];
  const lines: string[] = [];
  const log: RunLog = (level, message) => lines.push(`${level}: ${message}`);
  return { events, lines, emit: (event: TrackersHostEvent) => events.push(event), log };
}

const rowsOf = (events: TrackersHostEvent[]): TrackerRow[] => events.flatMap((e) => (e.type === 'rows' ? e.rows : []));

test('an announce: rows waiting, then asked, then answered as each tracker does, then finished; JSON and raw as shown', async () => {
  const trackers = [
    { url: `${tracker.httpUrl('dict-peers')}?passkey=${PASSKEY}`, tier: 0 },
    { url: tracker.httpUrl('failure'), tier: 0 },
    { url: 'gopher://tracker.example/announce', tier: 1 },
  ];
  let show = false;
  const run = new TrackerRun(7, request('announce', trackers), settings, () => show);
  const view = run.view();
  assert.deepEqual(
    view.rows.map((r) => [r.id, r.status]),
    [
      ['r0', 'waiting'],
      ['r1', 'waiting'],
      ['r2', 'waiting'],
    ],
  );
  assert.ok(
    view.rows.every((r) => typeof r.since === 'number'),
    'a waiting row says since when',
  );
  assert.ok(!view.rows[0].url.includes(PASSKEY), 'waiting rows are redacted');
  assert.equal(view.secretsHidden, true);
  assert.deepEqual(run.progress().counts.waiting, 3);

  const { events, lines, emit, log } = recorder();
  await run.start(emit, log);

  const finished = events.at(-1);
  assert.equal(finished?.type, 'finished');
  assert.equal(finished.type === 'finished' && finished.cancelled, false);
  const updated = rowsOf(events);
  assert.deepEqual(
    [...new Set(updated.filter((r) => r.status === 'pending').map((r) => r.id))].sort(),
    ['r0', 'r1', 'r2'],
    'each row is sent as asked',
  );
  assert.ok(
    events.every((e) => e.type !== 'rows' || (e.runId === 7 && typeof e.sentAt === 'number')),
    'rows carry the run and the host’s clock',
  );
  const after = run.view();
  assert.deepEqual(
    after.rows.map((r) => r.status),
    ['working', 'tracker-error', 'not-contacted'],
  );
  assert.ok(
    after.rows.every((r) => r.since === undefined),
    'answered rows wait no more',
  );
  assert.equal(after.running, false);
  assert.ok(after.rows[0].peersReceived! > 0);
  assert.deepEqual(run.progress(), {
    counts: { working: 1, 'tracker-error': 1, 'timed-out': 0, unreachable: 0, 'not-contacted': 1, cancelled: 0, pending: 0, waiting: 0 },
    total: 3,
    done: 3,
  });
  assert.ok(!JSON.stringify(after).includes(PASSKEY), 'the rows the webview gets are redacted');
  assert.ok(
    lines.some((line) => /^info: announce of run\.torrent: 1 worked, 1 answered with an error, 1 not contacted in [\d,]+ ms$/.test(line)),
    lines.join('\n'),
  );

  const hidden = run.json();
  assert.ok(!hidden.text.includes(PASSKEY));
  assert.deepEqual([hidden.copied.results, hidden.copied.redacted], [3, true]);
  assert.equal(hidden.copied.bytes, Buffer.byteLength(hidden.text));
  assert.notEqual(run.raw(7, 'r0'), null, 'the raw answer of a row');
  assert.equal(run.raw(8, 'r0'), null, "another run's row");
  assert.equal(run.raw(7, 'r99'), null);
  assert.equal(run.raw(7, 'constructor'), null);

  // The user turns secrets on: the same answers, shown whole, without asking the trackers again.
  const requests = tracker.httpRequests.length;
  show = true;
  const revealed = run.view();
  assert.ok(revealed.rows[0].url.includes(PASSKEY));
  assert.ok(revealed.rows[0].attempts[0].target.includes(PASSKEY));
  assert.equal(revealed.secretsShown, true);
  assert.equal(revealed.secretsHidden, false);
  assert.ok(run.json().text.includes(PASSKEY));
  assert.equal(run.json().copied.redacted, false);
  show = false;
  assert.ok(!JSON.stringify(run.view()).includes(PASSKEY), 'and hidden again');
  assert.equal(tracker.httpRequests.length, requests, 'no tracker was asked again');
});

test('more trackers than the run contacts at once: the rest wait for a slot, then are asked', async () => {
  const count = DEFAULTS.concurrency + 2;
  const trackers = Array.from({ length: count }, (_, i) => ({ url: `${tracker.httpUrl('delayed')}?n=${i}`, tier: 0 }));
  const run = new TrackerRun(2, request('announce', trackers), settings, () => false);
  const { events, emit, log } = recorder();
  await run.start(emit, log);
  const first = events.find((e) => e.type === 'rows');
  assert.ok(first?.type === 'rows');
  assert.equal(first.rows.length, DEFAULTS.concurrency, 'the first slots are taken at once, in one message');
  assert.ok(first.rows.every((r) => r.status === 'pending'));
  const waitingAtStart = run.view().rows.length - first.rows.length;
  assert.equal(waitingAtStart, 2);
  // The last two were asked only once earlier trackers had answered.
  const seen = rowsOf(events);
  const askedLate = seen.filter((r) => r.status === 'pending' && (r.id === `r${count - 1}` || r.id === `r${count - 2}`));
  assert.equal(askedLate.length, 2);
  const lastAsked = events.findIndex((e) => e.type === 'rows' && e.rows.some((r) => r.id === `r${count - 1}` && r.status === 'pending'));
  const firstAnswer = events.findIndex((e) => e.type === 'rows' && e.rows.some((r) => r.status === 'working'));
  assert.ok(firstAnswer >= 0 && firstAnswer <= lastAsked, 'a tracker answered before the waiting ones were asked');
  assert.ok(run.view().rows.every((r) => r.status === 'working'));
});

test('a scrape answers every hash of a tracker at once: its rows share one raw answer', async () => {
  const hashes: InfoHashTarget[] = [
    { hex: 'c0ffee00112233445566778899aabbccddeeff01', kind: 'v1' },
    { hex: '0123456789abcdef0123456789abcdef01234567', kind: 'v1' },
  ];
  const run = new TrackerRun(1, request('scrape', [{ url: tracker.httpUrl('ok'), tier: 0 }], hashes), settings, () => false);
  const { events, emit, log } = recorder();
  await run.start(emit, log);
  assert.deepEqual(
    events.map((e) => e.type),
    ['rows', 'rows', 'finished'],
  );
  assert.deepEqual(
    rowsOf(events).map((r) => [r.id, r.status]),
    [
      ['r0', 'pending'],
      ['r1', 'pending'],
      ['r0', 'working'],
      ['r1', 'working'],
    ],
  );
  assert.equal(run.view().rows.length, 2);
  assert.deepEqual(run.raw(1, 'r1'), run.raw(1, 'r0'));
});

test('an HTML answer keeps its text for the raw view', async () => {
  const run = new TrackerRun(4, request('announce', [{ url: tracker.httpUrl('html'), tier: 0 }]), settings, () => false);
  const { emit, log } = recorder();
  await run.start(emit, log);
  const [row] = run.view().rows;
  assert.equal(row.status, 'tracker-error');
  assert.equal(
    row.error,
    'the answer is not bencode: it looks like HTML (text/html): "<html><body><h1>Tracker is down for maintenance</h1></body></html>"',
  );
  assert.equal(row.hasRaw, true);
  assert.deepEqual(run.raw(4, 'r0'), {
    text: '<html><body><h1>Tracker is down for maintenance</h1></body></html>',
    length: 66,
    contentType: 'text/html',
  });
});

test('a private torrent’s log lines, through its secrets, name no passkey', async () => {
  const path = `${tracker.httpUrl('echo-request').replace('/announce', '')}/${PASSKEY.slice(0, 10)}/announce`;
  const trackers = [{ url: path, tier: 0 }];
  const run = new TrackerRun(5, request('announce', trackers, undefined, true), settings, () => false);
  const { lines, emit, log } = recorder();
  await run.start(emit, log);
  assert.ok(
    lines.some((line) => line.includes(PASSKEY.slice(0, 10))),
    'the run’s own lines are as the tracker said',
  );
  const written = lines.map((line) => logLine(line, false, run.secrets));
  assert.ok(!written.join('\n').includes(PASSKEY.slice(0, 10)), written.join('\n'));
  assert.deepEqual(
    lines.map((line) => logLine(line, true, run.secrets)),
    lines,
    'shown when the user shows secrets',
  );
});

test('a run whose options are refused ends at once, its rows not contacted and saying why, none left waiting', async () => {
  const run = new TrackerRun(6, request('announce', [{ url: tracker.httpUrl('ok'), tier: 0 }]), { ...settings, timeoutMs: 0 }, () => false);
  const { events, lines, emit, log } = recorder();
  const requests = tracker.httpRequests.length;
  await run.start(emit, log);
  const [row] = run.view().rows;
  assert.equal(row.status, 'not-contacted');
  assert.equal(row.since, undefined);
  assert.match(row.error!, /^the announce could not start: timeoutMs must be a whole number from 1 to 600000/);
  assert.equal(run.progress().done, 1);
  assert.equal(events.at(-1)?.type, 'finished');
  assert.ok(lines.some((line) => line.startsWith('error: announce failed: timeoutMs')));
  assert.equal(tracker.httpRequests.length, requests, 'nothing sent');
});

test('Cancel ends a run whose tracker never answers, with the row and the run marked cancelled', async () => {
  const run = new TrackerRun(
    3,
    request('announce', [{ url: tracker.httpUrl('slow'), tier: 0 }]),
    { ...settings, timeoutMs: 60_000 },
    () => false,
  );
  const { events, emit, log } = recorder();
  const done = run.start(emit, log);
  setTimeout(() => run.cancel(), 100);
  await done;
  const view = run.view();
  assert.equal(view.cancelled, true);
  assert.equal(view.rows[0].status, 'cancelled');
  const finished = events.at(-1);
  assert.ok(finished?.type === 'finished' && finished.cancelled);
});
