// `torrent-lens announce` and `torrent-lens scrape` against real trackers on 127.0.0.1, with real torrents:
// one from the shared corpus (its trackers replaced with --tracker) and one written here naming the test's
// trackers, passkey included.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from '../../src/core/bencode/decode';
import { parseMetainfo } from '../../src/core/metainfo/parse';
import { parseArgs } from '../../src/cli/args';
import { announceCommand, scrapeCommand } from '../../src/cli/commands/trackers';
import { runCommand } from '../support/cli-command';
import { startBittorrentTracker, type BittorrentTracker } from '../support/bittorrent-tracker';
import { startHostileTracker, type HostileTracker } from '../support/hostile-tracker';
import { startOpentracker, type OpenTracker } from '../support/opentracker';
import { rawHttpAnnounce } from '../support/raw-client';
import { cliPath, corpusRoot } from '../support/corpus';

const hybridFile = join(corpusRoot, 'gen', 'lab-hybrid.torrent');
const PASSKEY = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

let open: OpenTracker;
let npm: BittorrentTracker;
let hostile: HostileTracker;
let dir: string;
let ownFile: string;
let ownHash: string;
let hybrid: { v1: string; v2Truncated: string };

before(async () => {
  const parsed = parseMetainfo(new Uint8Array(readFileSync(hybridFile)));
  assert.ok(parsed.ok);
  hybrid = { v1: parsed.metainfo.infoHash.v1!, v2Truncated: parsed.metainfo.infoHash.v2Truncated! };
  npm = await startBittorrentTracker({ ws: true });
  hostile = await startHostileTracker();
  dir = mkdtempSync(join(tmpdir(), 'cli-trackers-'));
  // A torrent of our own naming the test's trackers: we need its info hash for opentracker's whitelist.
  const info = { length: 12345, name: 'cli test payload.bin', 'piece length': 16384, pieces: new Uint8Array(20).fill(7) };
  const draft = (announceList: string[][]) => encode({ announce: announceList[0][0], 'announce-list': announceList, info });
  const probe = parseMetainfo(draft([['http://x/announce']]));
  assert.ok(probe.ok);
  ownHash = probe.metainfo.infoHash.v1!;
  open = await startOpentracker([ownHash, hybrid.v1, hybrid.v2Truncated]);
  ownFile = join(dir, 'own.torrent');
  writeFileSync(
    ownFile,
    draft([
      [`${open.httpAnnounce}?passkey=${PASSKEY}`, open.udpAnnounce],
      [npm.httpAnnounce, npm.udpAnnounce],
      [hostile.httpUrl('failure'), npm.wsAnnounce],
    ]),
  );
  for (let i = 0; i < 3; i++)
    await rawHttpAnnounce(open.httpAnnounce, ownHash, {
      peerId: `-TR2940-${String(i).padStart(12, '0')}`,
      port: 46000 + i,
      left: i === 0 ? 0 : 10,
    });
  await rawHttpAnnounce(open.httpAnnounce, hybrid.v2Truncated, { peerId: '-qB4520-000000000001', port: 46100, left: 0 });
});
after(async () => {
  await open?.stop();
  await npm?.stop();
  await hostile?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('torrent-lens announce', () => {
  test('--json: every tracker of every tier, in the documented shape, passkey redacted', async () => {
    const { code, out, err } = await runCommand(announceCommand, [ownFile, '--json', '--port', '7001', '--numwant', '30']);
    assert.equal(err, '');
    assert.equal(code, 0);
    const report = JSON.parse(out);
    assert.equal(report.infoHash, ownHash);
    assert.deepEqual(
      report.results.map((r: { tier: number; protocol: string; status: string }) => [r.tier, r.protocol, r.status]),
      [
        [0, 'http', 'working'],
        [0, 'udp', 'working'],
        [1, 'http', 'working'],
        [1, 'udp', 'working'],
        [2, 'http', 'tracker-error'],
        [2, 'ws', 'working'],
      ],
    );
    const first = report.results[0];
    for (const key of [
      'tracker',
      'tier',
      'protocol',
      'hash',
      'ok',
      'error',
      'warning',
      'interval',
      'minInterval',
      'complete',
      'incomplete',
      'downloaded',
      'peers',
      'externalIp',
      'trackerId',
      'retryIn',
      'durationMs',
    ]) {
      assert.ok(key in first, `field ${key}`);
    }
    assert.equal(first.tracker, `${open.httpAnnounce}?passkey=[redacted]`);
    assert.ok(!out.includes(PASSKEY), 'the passkey never appears');
    assert.equal(first.hash, ownHash);
    assert.equal(first.complete, 1);
    assert.equal(first.incomplete, 3); // two fake leechers and us
    assert.deepEqual(first.peers.map((p: { ip: string; port: number }) => `${p.ip}:${p.port}`).sort(), [
      '127.0.0.1:46000',
      '127.0.0.1:46001',
      '127.0.0.1:46002',
      '127.0.0.1:7001',
    ]);
    assert.deepEqual(Object.keys(first.peers[0]).sort(), ['client', 'ip', 'peerId', 'port']);
    assert.equal(report.results[4].error, 'torrent not registered with this tracker');
    // Us, and maybe also our own HTTP and UDP announces to the same tracker, which run at the same time.
    assert.ok(report.results[5].incomplete >= 1 && report.results[5].incomplete <= 2, String(report.results[5].incomplete));
    assert.deepEqual([report.results[5].complete, report.results[5].peers], [0, []]);
    assert.match(report.results[5].notes[0], /^peers behind a WebSocket tracker are WebRTC peers/);
  });

  test('--show-secrets shows the passkey', async () => {
    const { code, out } = await runCommand(announceCommand, [
      ownFile,
      '--json',
      '--show-secrets',
      '--tracker',
      `${open.httpAnnounce}?passkey=${PASSKEY}`,
    ]);
    assert.equal(code, 0);
    assert.equal(JSON.parse(out).results[0].tracker, `${open.httpAnnounce}?passkey=${PASSKEY}`);
  });

  test('a hybrid torrent from the corpus, with --tracker: v1 and v2 answered separately', async () => {
    const { code, out } = await runCommand(announceCommand, [
      hybridFile,
      '--json',
      '--tracker',
      open.httpAnnounce,
      '--tracker',
      open.udpAnnounce,
      '--event',
      'started-then-stopped',
    ]);
    assert.equal(code, 0);
    const report = JSON.parse(out);
    assert.equal(report.infoHash, hybrid.v1);
    assert.deepEqual(
      report.results.map((r: { protocol: string; hash: string; hashKind: string; complete: number }) => [
        r.protocol,
        r.hashKind,
        r.hash,
        r.complete,
      ]),
      [
        ['http', 'v1', hybrid.v1, 0],
        ['http', 'v2', hybrid.v2Truncated, 1],
        ['udp', 'v1', hybrid.v1, 0],
        ['udp', 'v2', hybrid.v2Truncated, 1],
      ],
    );
  });

  test('the table: tiers, statuses, counts, messages and peers', async () => {
    const { code, out } = await runCommand(announceCommand, [ownFile]);
    assert.equal(code, 0);
    assert.match(out, /^Announce: cli test payload\.bin \(/);
    assert.match(out, /Event: started, then stopped/);
    assert.match(out, /^Tier 1$/m);
    assert.match(out, /^Tier 3$/m);
    assert.match(out, /^ {2}Status +Seeders +Leechers +Downloaded +Peers +Interval +Time +Tracker$/m);
    assert.match(
      out,
      new RegExp(
        `^ {2}working +1 +3 +0 +4 +[\\d,]+/[\\d,]+ s +[\\d,]+ ms +${open.httpAnnounce.replace(/\./g, '\\.')}\\?passkey=\\[redacted\\]$`,
        'm',
      ),
    );
    assert.match(out, /^ {2}tracker error .*\/failure\/announce\n {6}torrent not registered with this tracker$/m);
    assert.match(out, /^ {2}working .*ws:\/\/127\.0\.0\.1:\d+\n {6}note: peers behind a WebSocket tracker are WebRTC peers/m);
    assert.match(out, /^ {6}peers: .*127\.0\.0\.1:46000/m);
    assert.match(out, /^5 of 6 announces answered\.$/m);
    assert.ok(!out.includes(PASSKEY));
  });

  test('no tracker answers: exit 1; bad input: exit 2 with one line', async () => {
    const none = await runCommand(announceCommand, [ownFile, '--json', '--tracker', hostile.httpUrl('not-found')]);
    assert.equal(none.code, 1);
    assert.equal(JSON.parse(none.out).results[0].error, 'HTTP 404 Not Found: "No such tracker here"');
    const missing = await runCommand(announceCommand, [join(dir, 'nope.torrent')]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /^error: .*nope\.torrent: no such file\n$/);
    const event = await runCommand(announceCommand, [ownFile, '--event', 'bogus']);
    assert.equal(event.code, 2);
    assert.match(event.err, /--event' must be one of started-then-stopped/);
    const scheme = await runCommand(announceCommand, [ownFile, '--tracker', 'gopher://x/announce']);
    assert.equal(scheme.code, 2);
    assert.throws(() => parseArgs([ownFile, '--timeout', 'soon'], announceCommand.spec, 'announce'), /whole number/);
    const bad = join(dir, 'bad.torrent');
    writeFileSync(bad, 'd8:announce3:abce');
    const malformed = await runCommand(announceCommand, [bad]);
    assert.equal(malformed.code, 2);
    assert.match(malformed.err, /^error: .*bad\.torrent: .*\n$/);
  });

  test('--timeout against a tracker that never answers: timed out, exit 1', async () => {
    const { code, out } = await runCommand(announceCommand, [ownFile, '--json', '--timeout', '300', '--tracker', hostile.httpUrl('slow')]);
    assert.equal(code, 1);
    const [result] = JSON.parse(out).results;
    assert.equal(result.status, 'timed-out');
    assert.equal(result.error, 'timed out after 300 ms while waiting for the answer');
  });
});

describe('torrent-lens scrape', () => {
  test('--json: one row per tracker and hash, counts from both real trackers', async () => {
    const { code, out } = await runCommand(scrapeCommand, [ownFile, '--json']);
    assert.equal(code, 0);
    const report = JSON.parse(out);
    const rows = report.results.map(
      (r: { tier: number; protocol: string; status: string; complete: number | null; incomplete: number | null }) => [
        r.tier,
        r.protocol,
        r.status,
        r.complete,
        r.incomplete,
      ],
    );
    assert.deepEqual(rows.slice(0, 2), [
      [0, 'http', 'working', 1, 2],
      [0, 'udp', 'working', 1, 2],
    ]);
    assert.equal(rows[2][2], 'working'); // bittorrent-tracker knows nothing of this torrent after our stopped announces
    assert.deepEqual(rows[4].slice(0, 3), [2, 'http', 'tracker-error']);
    assert.ok(!out.includes(PASSKEY));
    for (const key of ['tracker', 'tier', 'protocol', 'hash', 'ok', 'error', 'complete', 'incomplete', 'downloaded', 'durationMs'])
      assert.ok(key in report.results[0], key);
  });

  test('the table, and a tracker without a scrape URL', async () => {
    const { code, out } = await runCommand(scrapeCommand, [
      ownFile,
      '--tracker',
      hostile.httpUrl('ok', 'tracker.php'),
      '--tracker',
      open.udpAnnounce,
    ]);
    assert.equal(code, 0);
    assert.match(out, /^ {2}not contacted .*\/ok\/tracker\.php\n {6}this tracker has no scrape URL/m);
    assert.match(out, /^ {2}working +1 +2 +0 +[\d,]+ ms +udp:\/\/127\.0\.0\.1:\d+\/announce$/m);
    assert.match(out, /^1 of 2 trackers answered\.$/m);
  });
});

test('the built torrent-lens dispatches announce and scrape, with their exit codes', async () => {
  const exec = (args: string[]) =>
    new Promise<{ code: number; out: string; err: string }>((resolve) => {
      execFile(process.execPath, [cliPath, ...args], { timeout: 30_000 }, (error, out, err) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, out, err }),
      );
    });
  const announce = await exec(['announce', ownFile, '--json', '--tracker', open.udpAnnounce]);
  assert.equal(announce.code, 0, announce.err);
  assert.equal(JSON.parse(announce.out).results[0].status, 'working');
  const scrape = await exec(['scrape', ownFile, '--tracker', hostile.httpUrl('ok', 'tracker')]);
  assert.equal(scrape.code, 1);
  assert.match(scrape.out, /this tracker has no scrape URL/);
  const usage = await exec(['scrape']);
  assert.equal(usage.code, 2);
  assert.match(usage.err, /^error: missing FILE/);
  const portZero = await exec(['announce', ownFile, '--tracker', 'udp://127.0.0.1:0']);
  assert.equal(portZero.code, 2);
  assert.equal(
    portZero.err,
    "error: option '--tracker' udp://127.0.0.1:0: port 0 cannot be contacted: a tracker URL needs a port from 1 to 65535\n",
  );
});

test('more than ten trackers: every one asked, nothing on stderr (no MaxListenersExceededWarning)', async () => {
  const trackers = Array.from({ length: 14 }, (_, i) => ['--tracker', `${hostile.httpUrl('ok')}?n=${i}`]).flat();
  const { code, out, err } = await new Promise<{ code: number; out: string; err: string }>((resolve) => {
    execFile(process.execPath, [cliPath, 'announce', ownFile, '--json', ...trackers], { timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout, err: stderr }),
    );
  });
  assert.equal(err, '');
  assert.equal(code, 0);
  const results = JSON.parse(out).results as { status: string }[];
  assert.equal(results.length, 14);
  assert.ok(results.every((r) => r.status === 'working'));
});
