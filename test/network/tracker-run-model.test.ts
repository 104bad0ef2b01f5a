// A tracker run as the results panel shows it (src/view-model/trackers/run.ts), against our misbehaving
// tracker on 127.0.0.1: pending rows first, each row again as its tracker answers, the end, the JSON
// report and raw answers redacted on demand, and Cancel.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { encode } from '../../src/core/bencode/decode';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import type { Metainfo } from '../../src/core/metainfo/types';
import type { InfoHashTarget, TrackerTarget } from '../../src/core/tracker';
import type { TrackersHostEvent } from '../../src/shared/protocol/trackers';
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

function torrent(): Metainfo {
  const parsed = parseMetainfo(encode({ info: { name: 'run.bin', length: 5, 'piece length': 16384, pieces: new Uint8Array(20) } }));
  assert.ok(parsed.ok);
  return parsed.metainfo;
}

function request(kind: 'announce' | 'scrape', trackers: TrackerTarget[], hashes?: InfoHashTarget[]): RunRequest {
  const metainfo = torrent();
  return {
    kind,
    torrentUri: 'file:///torrents/run.torrent',
    fileName: 'run.torrent',
    metainfo,
    trackers,
    hashes: hashes ?? [{ hex: metainfo.infoHash.v1!, kind: 'v1' }],
    scope: 'all trackers',
    target: { all: true },
  };
}

function recorder() {
  const events: TrackersHostEvent[] = [];
  const lines: string[] = [];
  const log: RunLog = (level, message) => lines.push(`${level}: ${message}`);
  return { events, lines, emit: (event: TrackersHostEvent) => events.push(event), log };
}

test('an announce: pending rows, each answer as it comes, then finished; JSON and raw redacted unless asked', async () => {
  const trackers = [
    { url: `${tracker.httpUrl('dict-peers')}?passkey=${PASSKEY}`, tier: 0 },
    { url: tracker.httpUrl('failure'), tier: 0 },
    { url: 'gopher://tracker.example/announce', tier: 1 },
  ];
  const run = new TrackerRun(7, request('announce', trackers), settings, false);
  assert.deepEqual(
    run.view.rows.map((r) => [r.id, r.status]),
    [
      ['r0', 'pending'],
      ['r1', 'pending'],
      ['r2', 'pending'],
    ],
  );
  assert.ok(!run.view.rows[0].url.includes(PASSKEY), 'pending rows are redacted');
  assert.deepEqual(run.progress(), { done: 0, total: 3, working: 0 });

  const { events, lines, emit, log } = recorder();
  await run.start(emit, log);

  const finished = events.at(-1);
  assert.equal(finished?.type, 'finished');
  assert.equal(finished.type === 'finished' && finished.cancelled, false);
  const updated = events.filter((e) => e.type === 'rows').flatMap((e) => (e.type === 'rows' ? e.rows : []));
  assert.deepEqual(updated.map((r) => r.id).sort(), ['r0', 'r1', 'r2'], 'every row is sent again once');
  assert.ok(events.every((e) => e.type !== 'rows' || e.runId === 7));
  assert.deepEqual(
    run.view.rows.map((r) => r.status),
    ['working', 'tracker-error', 'not-contacted'],
  );
  assert.equal(run.view.running, false);
  assert.ok(run.view.rows[0].peersReceived! > 0);
  assert.deepEqual(run.progress(), { done: 3, total: 3, working: 1 });
  assert.ok(!JSON.stringify(run.view).includes(PASSKEY), 'the rows the webview gets are redacted');
  assert.ok(lines.some((line) => /^info: announce of run\.torrent: 1 of 3 answered in \d+ ms$/.test(line)));

  const hidden = run.json(false);
  const shown = run.json(true);
  assert.ok(!hidden.includes(PASSKEY) && shown.includes(PASSKEY));
  assert.equal((JSON.parse(hidden) as { results: unknown[] }).results.length, 3);

  assert.notEqual(run.raw(7, 'r0', false), null, 'the raw answer of a row');
  assert.equal(run.raw(8, 'r0', false), null, "another run's row");
  assert.equal(run.raw(7, 'r99', false), null);
  assert.equal(run.raw(7, 'constructor', false), null);
});

test('a scrape answers every hash of a tracker at once: its rows share one raw answer', async () => {
  const hashes: InfoHashTarget[] = [
    { hex: 'c0ffee00112233445566778899aabbccddeeff01', kind: 'v1' },
    { hex: '0123456789abcdef0123456789abcdef01234567', kind: 'v1' },
  ];
  const run = new TrackerRun(1, request('scrape', [{ url: tracker.httpUrl('ok'), tier: 0 }], hashes), settings, false);
  const { events, emit, log } = recorder();
  await run.start(emit, log);
  assert.deepEqual(
    events.map((e) => e.type),
    ['rows', 'finished'],
  );
  assert.equal(run.view.rows.length, 2);
  assert.deepEqual(run.raw(1, 'r1', false), run.raw(1, 'r0', false));
});

test('Cancel ends a run whose tracker never answers, with the row and the run marked cancelled', async () => {
  const run = new TrackerRun(
    3,
    request('announce', [{ url: tracker.httpUrl('slow'), tier: 0 }]),
    { ...settings, timeoutMs: 60_000 },
    false,
  );
  const { events, emit, log } = recorder();
  const done = run.start(emit, log);
  setTimeout(() => run.cancel(), 100);
  await done;
  assert.equal(run.view.cancelled, true);
  assert.equal(run.view.rows[0].status, 'cancelled');
  const finished = events.at(-1);
  assert.ok(finished?.type === 'finished' && finished.cancelled);
});
